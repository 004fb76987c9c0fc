import { PasswordHasher } from '@app/auth';
import { AppConfigService, SecurityPolicy } from '@app/common';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { USERNAME_PATTERN } from './dto/create-user.dto.js';
import { UsersRepository } from './users.repository.js';

/**
 * Creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD when no active admin exists.
 * Replicas starting together race on the unique username index: one insert wins, the others
 * see it taken and do nothing.
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    private readonly config: AppConfigService,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: SecurityPolicy,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.get('ADMIN_USERNAME')?.trim().toLowerCase();
    const password = this.config.get('ADMIN_PASSWORD');
    if (!username || !password) return;
    if (!USERNAME_PATTERN.test(username)) {
      this.logger.error('ADMIN_USERNAME is not a valid username; no admin created');
      return;
    }
    if (password.length < this.policy.file.authentication.password.min_length) {
      this.logger.error('ADMIN_PASSWORD is shorter than the policy minimum; no admin created');
      return;
    }
    if ((await this.users.countActive('admin')) > 0) return;
    const created = await this.users.createIfAbsent({
      username,
      password_hash: await this.hasher.hash(password),
      role: 'admin',
      created_by: null,
    });
    if (created) this.logger.log(`First admin "${username}" created`);
  }
}
