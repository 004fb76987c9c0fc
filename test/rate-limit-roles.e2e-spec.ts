import { createApiKey, createUser, login, loginAs } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { bootReplicaPair, type TestApp } from './support/test-app.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
let lastHost = 0;
// A new client address per request (TRUST_PROXY trusts the inject peer): per-IP limits stay out of it.
const ip = () => `198.51.${Math.floor(++lastHost / 250)}.${(lastHost % 250) + 1}`;

const expect429 = (res: Res, scope: string) => {
  expect(res.statusCode).toBe(429);
  const body = res.json();
  expect(body.error_code).toBe('S126');
  expect(body.details.scope).toBe(scope);
  const retry = Number(res.headers['retry-after']);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
};

/** Sends `count` GET /api/v1/auth/me in sequence, alternating instances; the status codes. */
async function burst(
  [a, b]: [TestApp, TestApp],
  count: number,
  credentials: Record<string, string>,
): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await (i % 2 ? b : a).inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { ...credentials, 'x-forwarded-for': ip() },
    });
    codes.push(res.statusCode);
  }
  return codes;
}

describe("a role's rate limit is its callers' limit, above the generic per_user numbers", () => {
  let pair: [TestApp, TestApp];

  beforeAll(async () => {
    // The role numbers (admin 1000/min, viewer 100/min) and per_user (300/min) stay the policy's.
    // Only the per-second numbers are raised, so hundreds of requests fit in a few seconds:
    // global and per-IP out of the way, and per_user.per_second is the floor of every role's
    // per-second limit (admin's own would be ceil(1000 / 60) = 17/s).
    const policy = writeTestPolicy((p) => {
      p.rate_limiting.global = { per_second: 100_000, per_minute: 100_000 };
      p.rate_limiting.per_ip = { per_second: 100_000, per_minute: 100_000 };
      p.rate_limiting.per_user.per_second = 100_000;
    });
    pair = await bootReplicaPair('rate_limit_roles', {
      RATE_LIMIT_ENABLED: 'true',
      TRUST_PROXY: '127.0.0.1',
      SECURITY_POLICIES_FILE: policy,
    });
  });
  afterAll(async () => {
    await pair?.[1].close();
    await pair?.[0].close();
  });

  it('an admin makes 600 requests in a minute across both instances and none is refused', async () => {
    const codes = await burst(pair, 600, await loginAs(pair[0], 'admin'));
    expect(codes.filter((c) => c !== 200)).toEqual([]);
  });

  it("a viewer's 101st request in the minute, on either instance, is refused with 429 S126 and Retry-After", async () => {
    const user = await createUser(pair[0], 'viewer');
    const { access_token } = await login(pair[1], user.username, user.password);
    const credentials = { authorization: `Bearer ${access_token}` };
    const codes = await burst(pair, 100, credentials);
    expect(codes.filter((c) => c !== 200)).toEqual([]);
    for (const app of pair)
      expect429(
        await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { ...credentials, 'x-forwarded-for': ip() },
        }),
        'role-minute',
      );
  });

  it("an API key is limited by the key's role: a viewer key gets 100 a minute", async () => {
    const key = await createApiKey(pair[0], 'viewer');
    const codes = await burst(pair, 101, key.headers);
    expect(codes.slice(0, 100).filter((c) => c !== 200)).toEqual([]);
    expect(codes[100]).toBe(429);
  });
});
