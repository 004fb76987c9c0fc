import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SessionsModule } from '../auth/sessions/sessions.module.js';
import { FirstAdminBootstrap } from './first-admin.bootstrap.js';
import { User, UserSchema } from './user.schema.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: User.name, schema: UserSchema }]), SessionsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, FirstAdminBootstrap],
  exports: [UsersRepository],
})
export class UsersModule {}
