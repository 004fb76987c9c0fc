import type { FastifyRequest } from 'fastify';
import { base58ToHex } from '../tx/address.js';

/** An error answered as java-tron does: HTTP 200 with `{"Error": "<class> : <message>"}`. */
export class HttpError extends Error {}

const PARSE_EXCEPTION = 'class org.tron.core.services.http.JsonFormat$ParseException';
const HEX = /^(0x)?([0-9a-fA-F]{2})*$/;

export interface Params {
  values: Record<string, unknown>;
  visible: boolean;
}

/**
 * java-tron reads POST bodies as JSON whatever the content type (an empty body is `{}`), and
 * GET parameters from the query string; `visible` comes from the same place.
 */
export function readParams(req: FastifyRequest): Params {
  let values: Record<string, unknown>;
  if (req.method === 'GET') {
    values = { ...(req.query as Record<string, unknown>) };
  } else {
    const body = typeof req.body === 'string' ? req.body.trim() : '';
    if (body === '') values = {};
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (e) {
        throw new HttpError(
          `class com.alibaba.fastjson.JSONException : ${e instanceof Error ? e.message : 'syntax error'}`,
        );
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new HttpError('class com.alibaba.fastjson.JSONException : syntax error, expect {');
      values = parsed as Record<string, unknown>;
    }
  }
  const v = values.visible;
  return { values, visible: v === true || v === 'true' };
}

/**
 * An address field parsed like JsonFormat does: hex bytes when visible=false, Base58Check when
 * visible=true. Returns lowercase hex ('' when absent).
 */
export function addressParam(p: Params, key: string): string {
  const raw = p.values[key];
  if (raw === undefined || raw === null || raw === '') return '';
  if (typeof raw !== 'string') throw new HttpError(`${PARSE_EXCEPTION} : Expected string.`);
  if (p.visible) {
    try {
      return base58ToHex(raw);
    } catch (e) {
      throw new HttpError(
        `${PARSE_EXCEPTION} : INVALID base58 String, ${e instanceof Error ? e.message : ''}`,
      );
    }
  }
  if (!HEX.test(raw)) throw new HttpError(`${PARSE_EXCEPTION} : INVALID hex String`);
  return raw.replace(/^0x/, '').toLowerCase();
}

/** Address taken as either encoding (Util.getAddress for getReward/getBrokerage). */
export function looseAddressParam(p: Params, key: string): string {
  const raw = p.values[key];
  if (typeof raw !== 'string' || raw === '') return '';
  if (HEX.test(raw) && raw.length >= 2) return raw.replace(/^0x/, '').toLowerCase();
  try {
    return base58ToHex(raw);
  } catch (e) {
    throw new HttpError(`INVALID address, ${e instanceof Error ? e.message : ''}`);
  }
}

/** int64 field: JSON number or numeric string; anything else is a JsonFormat parse error. */
export function intParam(p: Params, key: string): number {
  const raw = p.values[key];
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isInteger(n))
    throw new HttpError(`${PARSE_EXCEPTION} : Couldn't parse number: ${String(raw)}`);
  return n;
}

export function boolParam(p: Params, key: string): boolean {
  const raw = p.values[key];
  return raw === true || raw === 'true';
}

const RESOURCES: Record<string, number> = { BANDWIDTH: 0, ENERGY: 1, TRON_POWER: 2 };

/** ResourceCode enum: by name or number; unknown names are a parse error as in JsonFormat. */
export function resourceParam(p: Params, key = 'resource'): number {
  const raw = p.values[key];
  if (raw === undefined || raw === null || raw === '') return 0;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && raw in RESOURCES) return RESOURCES[raw];
  throw new HttpError(
    `${PARSE_EXCEPTION} : Enum type "protocol.ResourceCode" has no value named "${String(raw)}".`,
  );
}
