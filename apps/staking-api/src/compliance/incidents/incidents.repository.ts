import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { StateCountersRepository } from '../../state-counters/state-counters.repository.js';
import { IncidentDocument, type IncidentSeverity, type IncidentStatus } from './incident.schema.js';

export interface Incident {
  id: string;
  type: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  summary: string;
  subject?: string;
  details?: Record<string, unknown>;
  assignee?: string;
  escalation_level: number;
  acknowledged_by?: string;
  acknowledged_at?: Date;
  resolved_by?: string;
  resolved_at?: Date;
  resolution?: string;
  created_at: Date;
  updated_at: Date;
}

export interface IncidentFilter {
  status?: IncidentStatus;
  type?: string;
}

const toEntity = (doc: Record<string, unknown> | null): Incident | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as unknown as Incident;
};

/** The counts field of an incident: `<status>_<severity>` (resolved ones are not counted). */
export const incidentCountOf = (status: IncidentStatus, severity: IncidentSeverity) =>
  status === 'resolved' ? undefined : `${status}_${severity}`;

/** Incidents; every insert and status change also moves the maintained counts (`staking_incidents_open`). */
@Injectable()
export class IncidentsRepository {
  constructor(
    @InjectModel(IncidentDocument.name) private readonly model: Model<IncidentDocument>,
    private readonly counters: StateCountersRepository,
  ) {}

  /** Inserts the incident unless one with its id exists; `created` says which. */
  async openOnce(
    incident: Omit<Incident, 'created_at' | 'updated_at' | 'escalation_level'>,
  ): Promise<{ incident: Incident; created: boolean }> {
    const { id, ...fields } = incident;
    try {
      const doc = await this.model.create({ _id: id, ...fields, escalation_level: 0 });
      await this.counters.move(
        'incidents',
        undefined,
        incidentCountOf(incident.status, incident.severity),
      );
      return { incident: toEntity(doc.toObject() as never)!, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return { incident: (await this.find(id))!, created: false };
    }
  }

  async find(id: string): Promise<Incident | null> {
    return toEntity(await this.model.findOne({ _id: id }).lean<Record<string, unknown>>().exec());
  }

  /** Moves the incident only from `from` (a concurrent move wins once). */
  async transition(
    id: string,
    from: IncidentStatus[],
    set: Partial<Incident>,
  ): Promise<Incident | null> {
    for (const status of from) {
      const doc = await this.model
        .findOneAndUpdate({ _id: id, status }, { $set: set }, { returnDocument: 'after' })
        .lean<Record<string, unknown>>()
        .exec();
      if (!doc) continue;
      const moved = toEntity(doc)!;
      await this.counters.move(
        'incidents',
        incidentCountOf(status, moved.severity),
        incidentCountOf(moved.status, moved.severity),
      );
      return moved;
    }
    return null;
  }

  /** Raises the escalation level from exactly `from`, so two ticks never queue a level twice. */
  async escalate(id: string, from: number, to: number): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: id, escalation_level: from }, { $set: { escalation_level: to } })
      .exec();
    return res.modifiedCount === 1;
  }

  /** Open incidents (not acknowledged): the escalation job's work, by equality on status. */
  async open(limit: number): Promise<Incident[]> {
    const docs = await this.model
      .find({ status: 'open' })
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map((d) => toEntity(d)!);
  }

  async list(
    filter: IncidentFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: Incident[]; total: number }> {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const [docs, total] = await Promise.all([
      this.model
        .find(query)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<Record<string, unknown>[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items: docs.map((d) => toEntity(d)!), total };
  }

  /** Every incident's status and severity, in batches: only for the hourly state-counters recount. */
  async *allStates(
    batchSize: number,
  ): AsyncGenerator<{ status: IncidentStatus; severity: IncidentSeverity }> {
    const cursor = this.model
      .find({}, { _id: 0, status: 1, severity: 1 })
      .batchSize(batchSize)
      .lean<{ status: IncidentStatus; severity: IncidentSeverity }>()
      .cursor();
    for await (const d of cursor) yield d;
  }
}
