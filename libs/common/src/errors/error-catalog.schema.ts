import { z } from 'zod';

const retryPolicy = z
  .object({
    max_retries: z.number().int().min(0),
    backoff: z.enum(['exponential', 'linear']),
    initial_delay_ms: z.number().int().min(0),
    multiplier: z.number().min(1).optional(),
    increment_ms: z.number().int().min(0).optional(),
    max_delay_ms: z.number().int().min(0),
  })
  .refine(
    (p) =>
      p.backoff === 'exponential' ? p.multiplier !== undefined : p.increment_ms !== undefined,
    {
      message: 'exponential needs multiplier, linear needs increment_ms',
    },
  );

export const RETRY_POLICY_NAMES = [
  'network',
  'transaction',
  'database',
  'resource_wait',
  'state_conflict',
] as const;
export type RetryPolicyName = (typeof RETRY_POLICY_NAMES)[number];

const errorDefinition = z.object({
  name: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
  http_status: z.number().int().min(400).max(599),
  severity: z.enum(['warning', 'medium', 'high', 'critical']),
  retryable: z.boolean(),
  retry_policy: z.enum(RETRY_POLICY_NAMES).optional(),
  message: z.string().min(1),
  recovery_action: z.string().min(1),
});

export const errorCatalogSchema = z
  .object({
    version: z.literal(1),
    categories: z.record(
      z.string().regex(/^S[1-9]$/),
      z.object({ name: z.string(), description: z.string() }),
    ),
    retry_policies: z.object(
      Object.fromEntries(RETRY_POLICY_NAMES.map((n) => [n, retryPolicy])) as Record<
        RetryPolicyName,
        typeof retryPolicy
      >,
    ),
    codes: z.record(
      z.string().regex(/^S[1-9]\d\d$/, 'error codes look like S123'),
      errorDefinition,
    ),
  })
  .superRefine((catalog, ctx) => {
    for (const code of Object.keys(catalog.codes)) {
      if (!catalog.categories[code.slice(0, 2)]) {
        ctx.addIssue({
          code: 'custom',
          path: ['codes', code],
          message: `no category ${code.slice(0, 2)}`,
        });
      }
    }
    const names = Object.values(catalog.codes).map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['codes'], message: `duplicate name ${dup}` });
  });

export type ErrorCatalogFile = z.infer<typeof errorCatalogSchema>;
export type ErrorDefinition = z.infer<typeof errorDefinition>;
export type RetryPolicy = z.infer<typeof retryPolicy>;
