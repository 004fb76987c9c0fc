import { loadPolicyFile, SecurityPolicy, securityPolicySchema } from '@app/common';
import {
  buildThrottlers,
  EDGE_THROTTLERS,
  PRINCIPAL_THROTTLERS,
  principalLimits,
} from './rate-limit.policy.js';

const policy = new SecurityPolicy(
  loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema),
);
const ctx = (request: Record<string, unknown>) =>
  ({ switchToHttp: () => ({ getRequest: () => request }) }) as never;

describe('rate-limit throttlers come from the security policy', () => {
  const throttlers = Object.fromEntries(buildThrottlers(policy).map((t) => [t.name, t]));

  it('global 100/s and 5000/min, per IP 10/s and 500/min', () => {
    expect([throttlers['global-second']!.limit, throttlers['global-second']!.ttl]).toEqual([
      100, 1000,
    ]);
    expect([throttlers['global-minute']!.limit, throttlers['global-minute']!.ttl]).toEqual([
      5000, 60_000,
    ]);
    expect([throttlers['ip-second']!.limit, throttlers['ip-minute']!.limit]).toEqual([10, 500]);
  });

  const as = (role: string, kind = 'user') => ctx({ principal: { kind, id: 'u', role } });
  const roles = ['admin', 'manager', 'operator', 'viewer'];

  it("a role's numbers are its users' limits: per minute admin 1000, manager 500, operator 200, viewer 100", () => {
    const limit = throttlers['role-minute']!.limit as (c: never) => number;
    expect(roles.map((role) => limit(as(role)))).toEqual([1000, 500, 200, 100]);
    // The generic per-user minute counter does not run beside it: 300/min caps no role.
    expect(roles.map((role) => throttlers['user-minute']!.skipIf!(as(role)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(throttlers['role-minute']!.skipIf!(as('admin'))).toBe(false);
  });

  it('per second ceil(per minute / 60), never below per_user 5/s: admin 17, manager 9, operator 5, viewer 5', () => {
    const limit = throttlers['user-second']!.limit as (c: never) => number;
    expect(roles.map((role) => limit(as(role)))).toEqual([17, 9, 5, 5]);
  });

  it("an API key has its role's limits", () => {
    const second = throttlers['user-second']!.limit as (c: never) => number;
    const minute = throttlers['role-minute']!.limit as (c: never) => number;
    expect([second(as('admin', 'api_key')), minute(as('admin', 'api_key'))]).toEqual([17, 1000]);
  });

  it('a role that sets no number gets per_user: 5/s and 300/min', () => {
    const file = loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema);
    delete file.rbac.roles.operator.rate_limit_per_minute;
    const noRoleNumber = new SecurityPolicy(file);
    expect(principalLimits(noRoleNumber, 'operator')).toEqual({
      perSecond: 5,
      perMinute: 300,
      byRole: false,
    });
    const t = Object.fromEntries(buildThrottlers(noRoleNumber).map((x) => [x.name, x]));
    expect(t['user-minute']!.limit).toBe(300);
    expect([
      t['user-minute']!.skipIf!(as('operator')),
      t['role-minute']!.skipIf!(as('operator')),
    ]).toEqual([false, true]);
    expect((t['user-second']!.limit as (c: never) => number)(as('operator'))).toBe(5);
    // The other roles keep their own numbers.
    expect(principalLimits(noRoleNumber, 'viewer')).toEqual({
      perSecond: 5,
      perMinute: 100,
      byRole: true,
    });
  });

  it('per second is never below per_user.per_second, even for a high role', () => {
    const file = loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema);
    file.rate_limiting.per_user.per_second = 50;
    expect(principalLimits(new SecurityPolicy(file), 'admin').perSecond).toBe(50);
  });

  it('the policy schema accepts a role without rate_limit_per_minute', () => {
    const file = loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema);
    delete file.rbac.roles.viewer.rate_limit_per_minute;
    expect(securityPolicySchema.safeParse(file).success).toBe(true);
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
    for (const name of ['user-second', 'user-minute', 'role-minute'])
      expect(throttlers[name]!.skipIf!(ctx({}))).toBe(true);
    expect(throttlers['user-second']!.skipIf!(as('viewer'))).toBe(false);
    expect([...EDGE_THROTTLERS, ...PRINCIPAL_THROTTLERS].sort()).toEqual(
      Object.keys(throttlers).sort(),
    );
  });
});
