import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ResourceSnapshotDocument, type ResourceSample } from './resource-snapshot.schema.js';

@Injectable()
export class ResourceSnapshotsRepository {
  constructor(
    @InjectModel(ResourceSnapshotDocument.name)
    private readonly model: Model<ResourceSnapshotDocument>,
  ) {}

  /**
   * Appends a sample to the address's document of the day, unless it already holds `max`
   * (then nothing is stored: a day's document stays bounded). One write, by _id.
   */
  async append(
    address: string,
    day: string,
    sample: ResourceSample,
    max: number,
  ): Promise<boolean> {
    try {
      const res = await this.model
        .updateOne(
          { _id: `${address}:${day}`, n: { $lt: max } },
          { $push: { samples: sample }, $inc: { n: 1 }, $setOnInsert: { address, day } },
          { upsert: true },
        )
        .exec();
      return res.modifiedCount + res.upsertedCount === 1;
    } catch (error) {
      // A full day's document: the filter misses and the upsert collides on _id.
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** The samples of the given days, one lookup by id each. */
  async samples(address: string, days: string[]): Promise<ResourceSample[]> {
    const docs = await Promise.all(
      days.map((day) =>
        this.model
          .findOne({ _id: `${address}:${day}` })
          .lean<{ samples: ResourceSample[] }>()
          .exec(),
      ),
    );
    return docs.flatMap((d) => d?.samples ?? []);
  }

  async deleteDay(day: string): Promise<number> {
    return (await this.model.deleteMany({ day }).exec()).deletedCount;
  }
}
