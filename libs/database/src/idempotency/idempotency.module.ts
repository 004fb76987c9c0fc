import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyRecordDocument, IdempotencyRecordSchema } from './idempotency-record.schema.js';
import { IdempotencyCleanupJob } from './idempotency-cleanup.job.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: IdempotencyRecordDocument.name, schema: IdempotencyRecordSchema },
    ]),
  ],
  providers: [
    IdempotencyStore,
    IdempotencyCleanupJob,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [IdempotencyStore, IdempotencyCleanupJob],
})
export class IdempotencyModule {}
