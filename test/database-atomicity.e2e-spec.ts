import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/test-env.js';

/**
 * The guarantee our state machines are built on (DESIGN.md §4: atomic single-document updates
 * carry consistency): of several concurrent conditional writes to one document, exactly one wins.
 * MongoDB gives it; FerretDB v1 as shipped does not (it queries, filters and then writes by _id),
 * so scripts/lib.sh builds it with scripts/ferretdb/collection_write_locks.go. This suite runs
 * against whichever server the scripts started and fails on one that lets two writers win.
 */
describe('conditional writes on the database server', () => {
  const ROUNDS = 25;
  const WRITERS = 4;
  let conn: Connection;

  beforeAll(async () => {
    conn = await mongoose.createConnection(isolatedEnv('atomicity').MONGODB_URI!).asPromise();
  });

  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const collection = () =>
    conn.db!.collection<{ _id: string; state: string; wins: number }>('arms');
  const arm = async (id: string) => {
    await collection().deleteOne({ _id: id });
    await collection().insertOne({ _id: id, state: 'armed', wins: 0 });
  };
  const writers = <T>(write: () => Promise<T>) =>
    Promise.all(Array.from({ length: WRITERS }, write));

  it('updateOne with a condition on the state: one winner a round, the counter moved once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await arm('u');
      const results = await writers(() =>
        collection().updateOne(
          { _id: 'u', state: 'armed' },
          { $set: { state: 'fired' }, $inc: { wins: 1 } },
        ),
      );
      expect(results.reduce((n, r) => n + r.modifiedCount, 0)).toBe(1);
      expect((await collection().findOne({ _id: 'u' }))!.wins).toBe(1);
    }
  });

  it('findOneAndUpdate with a condition: exactly one caller gets the document', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await arm('f');
      const results = await writers(() =>
        collection().findOneAndUpdate(
          { _id: 'f', state: 'armed' },
          { $set: { state: 'fired' }, $inc: { wins: 1 } },
        ),
      );
      expect(results.filter((doc) => doc !== null)).toHaveLength(1);
      expect((await collection().findOne({ _id: 'f' }))!.wins).toBe(1);
    }
  });

  it('a conditional delete racing a conditional update: never both', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await arm('d');
      const [deleted, updated] = await Promise.all([
        collection().deleteOne({ _id: 'd', state: 'armed' }),
        collection().updateOne({ _id: 'd', state: 'armed' }, { $set: { state: 'fired' } }),
      ]);
      expect(deleted.deletedCount + updated.modifiedCount).toBe(1);
    }
  });
});
