import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';

export class PolicyFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid policy file ${file}: ${problems.join('; ')}`);
    this.name = 'PolicyFileError';
  }
}

/** Reads a YAML policy file and validates it; every problem is named with its path. */
export function loadPolicyFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyFileError(file, [(error as Error).message]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new PolicyFileError(
      file,
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}
