import { generateOpaqueToken, hashOpaqueToken, type Principal } from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { ApiKeyRecord } from './api-key.schema.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';

// Enough to tell keys apart in a list; 6 of 43 random characters leave 220 bits unknown.
const DISPLAY_PREFIX_CHARS = 6;
const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class ApiKeysService {
  private readonly prefix: string;
  private readonly maxLifetimeDays: number;

  constructor(
    private readonly keys: ApiKeysRepository,
    policy: SecurityPolicy,
  ) {
    this.prefix = policy.file.authentication.api_keys.prefix;
    this.maxLifetimeDays = policy.file.authentication.api_keys.max_lifetime_days;
  }

  async create(
    dto: CreateApiKeyDto,
    by: Principal,
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const now = new Date();
    const expiresAt = dto.expires_at === undefined ? null : this.expiry(dto.expires_at, now);
    const key = generateOpaqueToken(this.prefix);
    const record = await this.keys.create({
      name: dto.name,
      role: dto.role,
      key_hash: hashOpaqueToken(key),
      key_prefix: key.slice(0, this.prefix.length + DISPLAY_PREFIX_CHARS),
      created_by: by.id,
      created_at: now,
      expires_at: expiresAt,
    });
    return { record, key };
  }

  list(skip: number, limit: number) {
    return this.keys.list(skip, limit);
  }

  /** In the future and within the policy's authentication.api_keys.max_lifetime_days. */
  private expiry(value: string, now: Date): Date {
    const at = new Date(value);
    const latest = new Date(now.getTime() + this.maxLifetimeDays * DAY_MS);
    const problem =
      at <= now
        ? 'expires_at must be in the future'
        : at > latest
          ? `expires_at must be at most ${this.maxLifetimeDays} days ahead (policy authentication.api_keys.max_lifetime_days)`
          : undefined;
    if (problem)
      throw new StakingException(ErrorCode.VALIDATION_FAILED, undefined, [
        { field: 'expires_at', problem, error_code: ErrorCode.VALIDATION_FAILED },
      ]);
    return at;
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const record = await this.keys.revoke(id, new Date());
    if (!record) throw new StakingException(ErrorCode.ROUTE_NOT_FOUND, 'API key not found.');
    return record;
  }
}
