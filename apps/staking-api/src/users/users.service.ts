import { PasswordHasher, type Principal, type RequestMeta } from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import {
  SessionRevocation,
  type UserSessionsRevocationReason,
} from '../auth/sessions/session-revocation.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import type { UserRecord } from './user.schema.js';
import { UsersRepository } from './users.repository.js';

/**
 * User administration (admin only at the routes). Passwords are hashed here, never kept. A new
 * password, another role, disabling or deleting ends every session of the user at once.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: SecurityPolicy,
    private readonly sessions: SessionRevocation,
  ) {}

  async create(dto: CreateUserDto, by: Principal | null): Promise<UserRecord> {
    this.checkPassword(dto.password);
    return this.users.create({
      username: dto.username,
      password_hash: await this.hasher.hash(dto.password),
      role: dto.role,
      created_by: by?.id ?? null,
    });
  }

  list(skip: number, limit: number) {
    return this.users.list(skip, limit);
  }

  async update(
    id: string,
    dto: UpdateUserDto,
    by: Principal,
    meta: RequestMeta,
  ): Promise<UserRecord> {
    const user = await this.existing(id);
    if (user.role === 'admin' && ((dto.role && dto.role !== 'admin') || dto.status === 'disabled'))
      await this.keepOneAdmin(user, by);
    const changes: Parameters<UsersRepository['update']>[1] = {};
    const ends: UserSessionsRevocationReason[] = [];
    if (dto.role) changes.role = dto.role;
    if (dto.role && dto.role !== user.role) ends.push('role changed');
    if (dto.status) changes.status = dto.status;
    if (dto.status === 'disabled' && user.status !== 'disabled') ends.push('user disabled');
    if (dto.password !== undefined) {
      this.checkPassword(dto.password);
      changes.password_hash = await this.hasher.hash(dto.password);
      ends.push('password changed');
    }
    if (dto.unlock) Object.assign(changes, { locked_until: null, failed_logins: 0 });
    const updated = await this.users.update(id, changes);
    if (!updated) throw this.notFound();
    // After the change: a sign-in racing it either used the old password and is revoked here,
    // or used the new one. A refresh racing it gets a pair whose session the guard refuses.
    if (ends.length) await this.sessions.revokeAllOfUser(id, ends, by, meta);
    return updated;
  }

  async remove(id: string, by: Principal, meta: RequestMeta): Promise<void> {
    const user = await this.existing(id);
    if (user.role === 'admin') await this.keepOneAdmin(user, by);
    // Soft delete: audit entries keep pointing at a real user; the guard refuses its tokens.
    if (!(await this.users.markDeleted(id))) throw this.notFound();
    await this.sessions.revokeAllOfUser(id, ['user deleted'], by, meta);
  }

  private async existing(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user || user.status === 'deleted') throw this.notFound();
    return user;
  }

  /**
   * An admin never takes away their own access (another admin has to), and the service always
   * keeps an active admin: otherwise nobody could manage users again short of the database.
   */
  private async keepOneAdmin(user: UserRecord, by: Principal): Promise<void> {
    if (by.kind === 'user' && by.id === user.id)
      throw new StakingException(
        ErrorCode.LAST_ADMIN,
        'An admin cannot delete, disable or demote themselves; another admin can.',
      );
    if (user.status === 'active' && (await this.users.countActive('admin')) <= 1)
      throw new StakingException(
        ErrorCode.LAST_ADMIN,
        'The last active admin cannot be removed, disabled or demoted.',
      );
  }

  private checkPassword(password: string): void {
    const min = this.policy.file.authentication.password.min_length;
    if (password.length < min)
      throw new StakingException(ErrorCode.VALIDATION_FAILED, undefined, [
        {
          field: 'password',
          problem: `password must be at least ${min} characters`,
          error_code: ErrorCode.VALIDATION_FAILED,
        },
      ]);
  }

  private notFound(): StakingException {
    // No dedicated "user not found" code in the catalog; S119's 404 tells the client the same.
    return new StakingException(ErrorCode.ROUTE_NOT_FOUND, 'User not found.');
  }
}
