import { ErrorCode, StakingException } from '@app/common';
import type { Principal } from '@app/auth';
import { addressOfPrivateKey, generateKeyPair, KeystoreCipher } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { KycProfilesRepository } from '../compliance/kyc/kyc-profiles.repository.js';
import type { ManagedAccountDto } from './dto/create-account.dto.js';
import { ManagedAccountsRepository, type ManagedAccount } from './managed-accounts.repository.js';

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** App event after a managed account is stored (resource monitoring starts watching it). */
export const MANAGED_ACCOUNT_CREATED = 'managed_account.created';
export interface ManagedAccountCreatedEvent {
  address: string;
  label: string;
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: ManagedAccountsRepository,
    private readonly cipher: KeystoreCipher,
    private readonly profiles: KycProfilesRepository,
    private readonly events: EventEmitter2,
  ) {}

  private async announce(account: ManagedAccount): Promise<ManagedAccountDto> {
    const event: ManagedAccountCreatedEvent = { address: account.address, label: account.label };
    await this.events.emitAsync(MANAGED_ACCOUNT_CREATED, event);
    return toDto(account);
  }

  /** Generates a key pair server-side; only the encrypted envelope is stored. */
  async create(
    label: string,
    kycProfileId: string | undefined,
    principal: Principal,
  ): Promise<ManagedAccountDto> {
    if (kycProfileId !== undefined) await this.assertProfile(kycProfileId);
    const pair = generateKeyPair();
    const encrypted_key = await this.cipher.encrypt(pair.privateKey, pair.address);
    const account = await this.accounts.insert({
      address: pair.address,
      label,
      kyc_profile_id: kycProfileId,
      origin: 'generated',
      created_by: { kind: principal.kind, id: principal.id },
      encrypted_key,
    });
    return this.announce(account);
  }

  /** CLI only: imports a key read from stdin. */
  async importKey(privateKey: string, label: string): Promise<ManagedAccountDto> {
    if (!HEX_KEY.test(privateKey)) throw new Error('the private key must be 64 hex characters');
    const key = privateKey.replace(/^0x/, '').toLowerCase();
    const address = addressOfPrivateKey(key);
    if (await this.accounts.exists(address))
      throw new StakingException(ErrorCode.DUPLICATE_RECORD, `${address} is already managed`);
    const encrypted_key = await this.cipher.encrypt(key, address);
    return this.announce(
      await this.accounts.insert({
        address,
        label,
        origin: 'imported',
        created_by: { kind: 'system', id: 'cli' },
        encrypted_key,
      }),
    );
  }

  /** Re-encrypts every envelope that is not under the current master secret. */
  async rotateKeys(): Promise<{ rotated: number; unchanged: number }> {
    let rotated = 0;
    let unchanged = 0;
    for await (const { address, encrypted_key } of this.accounts.allKeys()) {
      if (!this.cipher.needsRotation(encrypted_key)) {
        unchanged++;
        continue;
      }
      const next = await this.cipher.encrypt(
        await this.cipher.decrypt(encrypted_key, address),
        address,
      );
      if (await this.accounts.replaceKey(address, encrypted_key, next)) rotated++;
    }
    return { rotated, unchanged };
  }

  async get(address: string): Promise<ManagedAccountDto> {
    const account = await this.accounts.findByAddress(address);
    if (!account) throw new StakingException(ErrorCode.ACCOUNT_NOT_FOUND, undefined, { address });
    return toDto(account);
  }

  /** Links the account to a KYC profile (or unlinks it with null). */
  async linkProfile(address: string, kycProfileId: string | null): Promise<ManagedAccountDto> {
    if (kycProfileId !== null) await this.assertProfile(kycProfileId);
    const account = await this.accounts.setProfile(address, kycProfileId);
    if (!account) throw new StakingException(ErrorCode.ACCOUNT_NOT_FOUND, undefined, { address });
    return toDto(account);
  }

  private async assertProfile(id: string): Promise<void> {
    if (!(await this.profiles.find(id)))
      throw new StakingException(ErrorCode.KYC_PROFILE_NOT_FOUND, undefined, {
        kyc_profile_id: id,
      });
  }

  /** The account, or null (the compliance decision: an unsigned-mode owner may not be managed). */
  find(address: string) {
    return this.accounts.findByAddress(address);
  }

  async list(skip: number, limit: number) {
    const { items, total } = await this.accounts.list(skip, limit);
    return { accounts: items.map(toDto), total_count: total, skip, limit };
  }
}

function toDto(a: ManagedAccount): ManagedAccountDto {
  return {
    address: a.address,
    label: a.label,
    ...(a.kyc_profile_id ? { kyc_profile_id: a.kyc_profile_id } : {}),
    origin: a.origin,
    created_at: new Date(a.created_at).toISOString(),
  };
}
