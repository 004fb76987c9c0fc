import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AlertDocument, type AlertChannel } from './alert.schema.js';

export interface Alert {
  id: string;
  incident_id: string;
  level: number;
  channel: AlertChannel;
  state: 'pending' | 'sent' | 'failed';
  subject: string;
  text: string;
  attempts: number;
  next_attempt_at: Date;
  sent_at?: Date;
  last_error?: string;
}

const toEntity = (doc: Record<string, unknown>): Alert => {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as unknown as Alert;
};

@Injectable()
export class AlertsRepository {
  constructor(@InjectModel(AlertDocument.name) private readonly model: Model<AlertDocument>) {}

  /** Queues the alert unless it is already queued (same incident, level and channel). */
  async enqueue(
    alert: Omit<Alert, 'state' | 'attempts' | 'sent_at' | 'last_error'>,
  ): Promise<void> {
    const { id, ...fields } = alert;
    await this.model
      .updateOne(
        { _id: id },
        { $setOnInsert: { ...fields, state: 'pending', attempts: 0 } },
        { upsert: true },
      )
      .exec();
  }

  async pending(limit: number): Promise<Alert[]> {
    const docs = await this.model
      .find({ state: 'pending' })
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map(toEntity);
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, state: 'pending' },
        { $set: { state: 'sent', sent_at: at }, $inc: { attempts: 1 } },
      )
      .exec();
  }

  async markFailedAttempt(id: string, error: string, next: Date | null): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, state: 'pending' },
        {
          $set: { last_error: error, ...(next ? { next_attempt_at: next } : { state: 'failed' }) },
          $inc: { attempts: 1 },
        },
      )
      .exec();
  }

  async ofIncident(incidentId: string): Promise<Alert[]> {
    const docs = await this.model
      .find({ incident_id: incidentId })
      .limit(100)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map(toEntity);
  }
}
