import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DataMigrationDocument } from './data-migration.schema.js';

const DUPLICATE_KEY = 11000;

/** Which one-time migrations completed on this database: every access is by `_id`. */
@Injectable()
export class DataMigrationsRepository {
  constructor(
    @InjectModel(DataMigrationDocument.name) private readonly model: Model<DataMigrationDocument>,
  ) {}

  async completed(name: string): Promise<boolean> {
    return (await this.model.exists({ _id: name })) !== null;
  }

  /** Records the completion once (a second replica finishing too keeps the first record). */
  async complete(name: string, result: Record<string, unknown>, at = new Date()): Promise<void> {
    try {
      await this.model.create([{ _id: name, completed_at: at, result }]);
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }
}
