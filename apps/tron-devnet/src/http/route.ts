import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Params, readParams } from './request.js';

export type Handler = (p: Params, req: FastifyRequest) => unknown;

export function sendJson(reply: FastifyReply, body: unknown): void {
  reply
    .header('content-type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Proto int32 fields; every other integer is an int64 and printed as a string on request. */
const INT32_FIELDS = new Set(['version', 'id', 'Permission_id', 'brokerage', 'weight']);

/**
 * `int64_as_string=true` on a GET (java-tron#6699, tronweb's `trx.raw`): int64 values are
 * printed as JSON strings.
 */
function int64AsString(body: unknown): string {
  const value: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  return JSON.stringify(value, (key, v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && !INT32_FIELDS.has(key) ? String(v) : v,
  );
}

/** Registers a java-tron style servlet on one or more paths. */
export function route(
  app: FastifyInstance,
  paths: string[],
  methods: Array<'GET' | 'POST'>,
  handler: Handler,
): void {
  for (const url of paths)
    app.route({
      method: methods,
      url,
      handler: (req, reply) => {
        const p = readParams(req);
        const out = handler(p, req);
        const raw = req.method === 'GET' && String(p.values.int64_as_string) === 'true';
        sendJson(reply, raw ? int64AsString(out) : out);
      },
    });
}

export const full = (name: string): string[] => [`/wallet/${name}`];
/** The solidity twin's path; it must answer from the solidified state (wallet.routes.ts twin). */
export const solidity = (name: string): string[] => [`/walletsolidity/${name}`];
