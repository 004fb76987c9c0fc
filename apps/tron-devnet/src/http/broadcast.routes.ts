import type { FastifyInstance } from 'fastify';
import type { DevnetRuntime } from '../runtime.js';
import type { FaultRegistry } from './faults.js';
import { decodeRawBytes, decodeSignedTransaction, TxFormatError } from '../tx/codec.js';
import { readFields, repeated } from '../tx/protobuf.js';
import { transactionJson } from './format.js';
import { HttpError } from './request.js';
import { full, route } from './route.js';

const PARSE_EXCEPTION = 'class org.tron.core.services.http.JsonFormat$ParseException';

export function registerBroadcastRoutes(
  app: FastifyInstance,
  rt: DevnetRuntime,
  faults: FaultRegistry,
): void {
  const send = (tx: Parameters<DevnetRuntime['broadcast']>[0], visible: boolean) => {
    const failInBlock = faults.failsNextInBlock;
    const reply = rt.broadcast(tx, visible, failInBlock);
    if (failInBlock && reply.result) faults.takeFailInBlock();
    return reply;
  };

  // Failures carry the message as hex of its UTF-8 bytes (JsonFormat prints bytes as hex).
  route(app, full('broadcasttransaction'), ['POST'], (p) => {
    let tx;
    try {
      tx = decodeSignedTransaction(p.values);
    } catch (e) {
      if (e instanceof TxFormatError) throw new HttpError(`${PARSE_EXCEPTION} : ${e.message}`);
      throw e;
    }
    const reply = send(tx, p.visible);
    if (reply.result) return { result: true, txid: reply.txid };
    return {
      code: reply.code,
      txid: reply.txid,
      message: Buffer.from(reply.message ?? '', 'utf8').toString('hex'),
    };
  });

  // BroadcastHexServlet answers with plain-text message and the transaction printed visible.
  route(app, full('broadcasthex'), ['POST'], (p) => {
    const hex = p.values.transaction;
    if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(hex))
      throw new HttpError('class java.lang.IllegalArgumentException : INVALID hex String');
    let tx;
    try {
      const fields = readFields(Buffer.from(hex, 'hex'));
      const raw = repeated(fields, 1)[0] ?? new Uint8Array();
      const sigs = repeated(fields, 2).map((s) => Buffer.from(s).toString('hex'));
      tx = decodeRawBytes(raw, sigs);
    } catch (e) {
      throw new HttpError(
        `class com.google.protobuf.InvalidProtocolBufferException : ${(e as Error).message}`,
      );
    }
    const reply = send(tx, true);
    const printed = transactionJson(
      {
        tx,
        visible: true,
        fee: 0,
        netUsage: 0,
        netFee: 0,
        extras: {},
        blockNumber: -1,
        blockTimestamp: 0,
      },
      true,
    );
    const { ret: _ret, ...withoutRet } = printed;
    return {
      result: reply.result === true,
      code: reply.code ?? 'SUCCESS',
      message: reply.message ?? '',
      transaction: JSON.stringify(withoutRet),
      txid: reply.txid,
    };
  });
}
