import { generateOpaqueToken, hashOpaqueToken, type Principal } from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { ApiKeyRecord } from './api-key.schema.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';

// Enough to tell keys apart in a list; 6 of 43 random characters leave 220 bits unknown.
const DISPLAY_PREFIX_CHARS = 6;

@Injectable()
export class ApiKeysService {
  private readonly prefix: string;

  constructor(
    private readonly keys: ApiKeysRepository,
    policy: SecurityPolicy,
  ) {
    this.prefix = policy.file.authentication.api_keys.prefix;
  }

  async create(
    dto: CreateApiKeyDto,
    by: Principal,
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const key = generateOpaqueToken(this.prefix);
    const record = await this.keys.create({
      name: dto.name,
      role: dto.role,
      key_hash: hashOpaqueToken(key),
      key_prefix: key.slice(0, this.prefix.length + DISPLAY_PREFIX_CHARS),
      created_by: by.id,
      created_at: new Date(),
    });
    return { record, key };
  }

  list(skip: number, limit: number) {
    return this.keys.list(skip, limit);
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const record = await this.keys.revoke(id, new Date());
    if (!record) throw new StakingException(ErrorCode.ROUTE_NOT_FOUND, 'API key not found.');
    return record;
  }
}
