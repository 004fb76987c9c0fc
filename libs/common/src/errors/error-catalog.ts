import { ErrorCode, type StakingErrorCode } from './error-code.js';
import type {
  ErrorCatalogFile,
  ErrorDefinition,
  RetryPolicy,
  RetryPolicyName,
} from './error-catalog.schema.js';

/** The loaded error catalog: status, severity and retry facts for each S-code. */
export class ErrorCatalog {
  constructor(private readonly file: ErrorCatalogFile) {
    const problems: string[] = [];
    for (const [name, code] of Object.entries(ErrorCode)) {
      const def = file.codes[code];
      if (!def) problems.push(`${code} (${name}) is missing`);
      else if (def.name !== name)
        problems.push(`${code} is named ${def.name}, code expects ${name}`);
    }
    if (problems.length)
      throw new Error(`Error catalog does not match the code: ${problems.join('; ')}`);
  }

  get(code: StakingErrorCode): ErrorDefinition {
    return this.file.codes[code]!;
  }

  retryPolicy(name: RetryPolicyName): RetryPolicy {
    return this.file.retry_policies[name];
  }

  get codes(): Readonly<Record<string, ErrorDefinition>> {
    return this.file.codes;
  }
}
