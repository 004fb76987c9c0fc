import { AppConfigService } from '@app/common';
import { Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * MongoDB through mongoose. Start-up retries come from config; shutdown closes the pool via
 * @nestjs/mongoose's own hook. Only features FerretDB v1 serves are used: no transactions,
 * no change streams; consistency rides on unique indexes and atomic single-document updates.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        uri: config.get('MONGODB_URI'),
        maxPoolSize: config.get('MONGODB_POOL_SIZE'),
        serverSelectionTimeoutMS: config.get('MONGODB_SERVER_SELECTION_TIMEOUT_MS'),
        retryAttempts: config.get('MONGODB_CONNECT_RETRIES'),
        retryDelay: config.get('MONGODB_RETRY_DELAY_MS'),
        // FerretDB v1 has no retryable writes; the service's own idempotency covers retries.
        retryWrites: false,
        // With the database away, a call fails after server selection (503 S804) instead of
        // waiting in mongoose's buffer.
        bufferCommands: false,
        autoIndex: true,
        connectionFactory: (connection: Connection) => {
          const logger = new Logger('MongoDB');
          connection.on('disconnected', () => logger.warn('MongoDB disconnected'));
          connection.on('reconnected', () => logger.log('MongoDB reconnected'));
          return connection;
        },
      }),
    }),
  ],
})
export class DatabaseModule {}
