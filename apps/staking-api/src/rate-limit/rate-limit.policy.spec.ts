import { loadPolicyFile, SecurityPolicy, securityPolicySchema } from '@app/common';
import { buildThrottlers, EDGE_THROTTLERS, PRINCIPAL_THROTTLERS } from './rate-limit.policy.js';

const policy = new SecurityPolicy(
  loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema),
);
const ctx = (request: Record<string, unknown>) =>
  ({ switchToHttp: () => ({ getRequest: () => request }) }) as never;

describe('rate-limit throttlers come from the security policy', () => {
  const throttlers = Object.fromEntries(buildThrottlers(policy).map((t) => [t.name, t]));

  it('global 100/s and 5000/min, per IP 10/s and 500/min, per user 5/s and 300/min', () => {
    expect([throttlers['global-second']!.limit, throttlers['global-second']!.ttl]).toEqual([
      100, 1000,
    ]);
    expect([throttlers['global-minute']!.limit, throttlers['global-minute']!.ttl]).toEqual([
      5000, 60_000,
    ]);
    expect([throttlers['ip-second']!.limit, throttlers['ip-minute']!.limit]).toEqual([10, 500]);
    expect([throttlers['user-second']!.limit, throttlers['user-minute']!.limit]).toEqual([5, 300]);
  });

  it('role limits per minute: admin 1000, manager 500, operator 200, viewer 100', () => {
    const limit = throttlers['role-minute']!.limit as (c: never) => number;
    const of = (role: string) => limit(ctx({ principal: { kind: 'user', id: 'u', role } }));
    expect(['admin', 'manager', 'operator', 'viewer'].map(of)).toEqual([1000, 500, 200, 100]);
  });

  it('60/min on stake and unstake; other routes have no endpoint limit', () => {
    const endpoint = throttlers.endpoint!;
    const limit = endpoint.limit as (c: never) => number;
    const stake = ctx({
      method: 'POST',
      routeOptions: { url: '/api/v1/tron/staking/stake' },
      url: '/api/v1/tron/staking/stake',
    });
    const unstake = ctx({
      method: 'POST',
      routeOptions: { url: '/api/v1/tron/staking/unstake' },
      url: '/x',
    });
    const other = ctx({
      method: 'GET',
      routeOptions: { url: '/api/v1/tron/staking/stake' },
      url: '/x',
    });
    expect([limit(stake), limit(unstake)]).toEqual([60, 60]);
    expect(endpoint.skipIf!(other)).toBe(true);
    expect(endpoint.skipIf!(stake)).toBe(false);
  });

  it('principal throttlers skip anonymous requests; edge and principal sets cover every throttler once', () => {
    expect(throttlers['user-minute']!.skipIf!(ctx({}))).toBe(true);
    expect(
      throttlers['user-minute']!.skipIf!(
        ctx({ principal: { kind: 'user', id: 'u', role: 'viewer' } }),
      ),
    ).toBe(false);
    expect([...EDGE_THROTTLERS, ...PRINCIPAL_THROTTLERS].sort()).toEqual(
      Object.keys(throttlers).sort(),
    );
  });
});
