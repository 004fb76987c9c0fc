import { ConfigValidationError, validateEnv } from '@app/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { writeTestPolicy } from './support/policy.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const JWT_SECRET = randomBytes(32).toString('hex');
const trustProxy = (value: string) => validateEnv({ JWT_SECRET, TRUST_PROXY: value }).TRUST_PROXY;
const problemOf = (env: Record<string, string>) => {
  try {
    validateEnv({ JWT_SECRET, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error('the environment was accepted');
};

describe('TRUST_PROXY validation', () => {
  it('accepts off (false, 0, empty), a hop count, and IP addresses/CIDRs (v4 and v6)', () => {
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
    expect(trustProxy('')).toBe(false);
    expect(validateEnv({ JWT_SECRET }).TRUST_PROXY).toBe(false);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy(' 10.0.0.0/8 , 192.168.1.10,::1, fd00::/8 ')).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      '::1',
      'fd00::/8',
    ]);
  });

  it('refuses true, naming the variable and what to set instead', () => {
    for (const value of ['true', 'TRUE', ' true ']) {
      const message = problemOf({ TRUST_PROXY: value });
      expect(message).toMatch(/TRUST_PROXY: true is not accepted/);
      expect(message).toMatch(/number of proxy hops/);
      expect(message).toMatch(/CIDRs/);
    }
  });

  it('refuses a list with bad entries by position, never echoing the value', () => {
    const message = problemOf({ TRUST_PROXY: '10.0.0.0/8,proxy.internal,10.0.0.0/33,1.2.3.4/8/1' });
    expect(message).toMatch(/TRUST_PROXY: must be false, a hop count/);
    expect(message).toMatch(/entries 2, 3, 4 are not an IP address or CIDR/);
    expect(message).not.toContain('proxy.internal');
    expect(problemOf({ TRUST_PROXY: '99' })).toMatch(/TRUST_PROXY: a hop count must be between/);
  });

  it('is reported in the one message that names every bad variable', () => {
    const message = problemOf({ TRUST_PROXY: 'true', PORT: '70000' });
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/TRUST_PROXY:/);
  });

  it('stops the app from starting with TRUST_PROXY=true', async () => {
    await expect(bootTestApp('trust_proxy_true', { TRUST_PROXY: 'true' })).rejects.toThrow(
      /TRUST_PROXY: true is not accepted/,
    );
  });
});

/** The client address the service saw for one request: from the audit entry of a 401 on /me. */
async function seenIp(t: TestApp, peer: string, forwardedFor?: string): Promise<string> {
  const requestId = `tp-${randomBytes(8).toString('hex')}`;
  const res = await t.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    remoteAddress: peer,
    headers: {
      'x-request-id': requestId,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
  });
  expect(res.statusCode).toBe(401);
  const entry = await t.app
    .get<Connection>(getConnectionToken())
    .collection('audit_logs')
    .findOne({ request_id: requestId, action: 'access.denied' });
  expect(entry).not.toBeNull();
  return entry!.ip as string;
}

// Each call a new address, so no rate-limit counter is shared between checks by accident.
let host = 0;
const client = () => `198.51.100.${++host}`;
const SPOOFED = '192.0.2.66';

describe('TRUST_PROXY off (the default): X-Forwarded-For is ignored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp('trust_proxy_off');
  });
  afterAll(async () => t?.close());

  it('the request IP is the peer, whatever X-Forwarded-For says', async () => {
    expect(await seenIp(t, '203.0.113.5', SPOOFED)).toBe('203.0.113.5');
    expect(await seenIp(t, '10.1.2.3', SPOOFED)).toBe('10.1.2.3');
  });
});

describe('TRUST_PROXY as CIDRs: only the listed proxies are believed (audit and rate limits)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const policy = writeTestPolicy((p) => {
      p.rate_limiting.global = { per_second: 1000, per_minute: 100_000 };
      p.rate_limiting.per_ip = { per_second: 1000, per_minute: 3 };
    });
    t = await bootTestApp('trust_proxy_cidr', {
      TRUST_PROXY: '10.0.0.0/8,2001:db8::/32',
      RATE_LIMIT_ENABLED: 'true',
      SECURITY_POLICIES_FILE: policy,
    });
  });
  afterAll(async () => t?.close());

  it('a spoofed X-Forwarded-For from an untrusted peer does not become the request IP', async () => {
    expect(await seenIp(t, '203.0.113.9', SPOOFED)).toBe('203.0.113.9');
    expect(await seenIp(t, '11.0.0.1', SPOOFED)).toBe('11.0.0.1');
  });

  it('through a trusted proxy the client address is the request IP (IPv4 and IPv6 proxies)', async () => {
    const a = client();
    expect(await seenIp(t, '10.0.0.7', a)).toBe(a);
    const b = client();
    expect(await seenIp(t, '2001:db8::10', b)).toBe(b);
  });

  it("a client's own X-Forwarded-For entries in front of what the trusted proxy appended are ignored", async () => {
    const real = client();
    expect(await seenIp(t, '10.0.0.7', `${SPOOFED}, ${real}`)).toBe(real);
    // Two trusted proxies: the first untrusted hop from the right is the client.
    const other = client();
    expect(await seenIp(t, '10.0.0.7', `${SPOOFED}, ${other}, 10.9.9.9`)).toBe(other);
  });

  it('an untrusted peer cannot dodge the per-IP limit by changing X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.inject({
        method: 'GET',
        url: '/',
        remoteAddress: '203.0.113.10',
        headers: { 'x-forwarded-for': client() },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('behind a trusted proxy each client has its own per-IP limit, the proxy none', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.inject({
        method: 'GET',
        url: '/',
        remoteAddress: '10.0.0.8',
        headers: { 'x-forwarded-for': client() },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    // One client through the proxy is limited like any other.
    const one = client();
    const own: number[] = [];
    for (let i = 0; i < 4; i++)
      own.push(
        (
          await t.inject({
            method: 'GET',
            url: '/',
            remoteAddress: '10.0.0.8',
            headers: { 'x-forwarded-for': one },
          })
        ).statusCode,
      );
    expect(own).toEqual([200, 200, 200, 429]);
  });
});

describe('TRUST_PROXY as a hop count: the address the nearest proxy saw', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp('trust_proxy_hops', { TRUST_PROXY: '1' });
  });
  afterAll(async () => t?.close());

  it('one hop: the last X-Forwarded-For entry (appended by the proxy), not a spoofed one before it', async () => {
    const real = client();
    expect(await seenIp(t, '10.0.0.7', `${SPOOFED}, ${real}`)).toBe(real);
    expect(await seenIp(t, '10.0.0.7')).toBe('10.0.0.7');
  });
});
