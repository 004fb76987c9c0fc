import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StateCounterDocument, StateCounterSchema } from './state-counter.schema.js';
import { StateCountersRepository } from './state-counters.repository.js';

/** Maintained per-state counts of approvals and incidents, for the metrics gauges. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: StateCounterDocument.name, schema: StateCounterSchema }]),
  ],
  providers: [StateCountersRepository],
  exports: [StateCountersRepository],
})
export class StateCountersModule {}
