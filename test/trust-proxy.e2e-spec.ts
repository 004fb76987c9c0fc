import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { writeTestPolicy } from './support/policy.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

// The accepted and refused forms, message by message: libs/common/src/config/env.schema.spec.ts.
describe('TRUST_PROXY at start-up', () => {
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
