import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { KnownCounterpartyDocument } from './known-counterparty.schema.js';

const idOf = (owner: string, counterparty: string) => `${owner}:${counterparty}`;

/** Which counterparties an account already has confirmed writes with (novelty, by `_id`). */
@Injectable()
export class KnownCounterpartiesRepository {
  constructor(
    @InjectModel(KnownCounterpartyDocument.name)
    private readonly model: Model<KnownCounterpartyDocument>,
  ) {}

  async isKnown(owner: string, counterparty: string): Promise<boolean> {
    const found = await this.model
      .findOne({ _id: idOf(owner, counterparty) }, { _id: 1 })
      .lean()
      .exec();
    return found !== null;
  }

  /** Idempotent: the first confirmed operation stays recorded. */
  async remember(owner: string, counterparty: string, operationId: string, kind: string) {
    await this.model
      .updateOne(
        { _id: idOf(owner, counterparty) },
        {
          $setOnInsert: {
            owner,
            counterparty,
            operation_id: operationId,
            kind,
            first_at: new Date(),
          },
        },
        { upsert: true },
      )
      .exec();
  }
}
