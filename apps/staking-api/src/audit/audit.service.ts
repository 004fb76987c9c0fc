import { AuditTrail, type AuditEvent } from '@app/auth';
import { SecurityPolicy } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { AuditChainWriter } from './audit-chain.writer.js';
import { maskAuditParams } from './audit-masking.js';
import { canonicalJson } from './chain/canonical-json.js';
import type { AuditContent } from './chain/audit-entry.js';

// Long free text (user agents, resources) is cut: an audit entry is evidence, not a dump.
const MAX_TEXT = 512;
const cut = (s: string | undefined | null) => (s ? s.slice(0, MAX_TEXT) : null);

/** The AuditTrail: masks, seals into the hash chain and stores. */
@Injectable()
export class AuditService extends AuditTrail {
  private readonly logger = new Logger('Audit');
  private readonly fields: readonly string[];
  private readonly apiKeyPrefix: string;

  constructor(
    private readonly writer: AuditChainWriter,
    private readonly policy: SecurityPolicy,
  ) {
    super();
    this.fields = policy.maskedFields;
    this.apiKeyPrefix = policy.file.authentication.api_keys.prefix;
  }

  /**
   * Never throws: an audit failure must not turn a completed operation into an error answer.
   * It is logged at error level instead (alerting watches for it).
   */
  async record(event: AuditEvent): Promise<void> {
    if (!this.policy.file.audit.enabled) return;
    try {
      await this.writer.append(this.content(event));
    } catch (error) {
      this.logger.error(
        { err: error, action: event.action, request_id: event.requestId },
        'Audit entry not written',
      );
    }
  }

  content(event: AuditEvent, now: Date = new Date()): AuditContent {
    const p = event.principal;
    const params =
      event.params === undefined
        ? null
        : canonicalJson(
            this.policy.file.audit.mask_sensitive_fields
              ? maskAuditParams(event.params, this.fields, this.apiKeyPrefix)
              : event.params,
          );
    return {
      time: now.toISOString(),
      action: event.action.slice(0, MAX_TEXT),
      resource: cut(event.resource),
      actor: {
        type: p?.kind ?? 'anonymous',
        id: p?.id ?? null,
        username: p?.username ?? null,
        role: p?.role ?? null,
      },
      request_id: cut(event.requestId),
      ip: cut(event.ip),
      user_agent: cut(event.userAgent),
      params,
      result: {
        status: event.result.status,
        error_code: event.result.error_code ?? null,
        http_status: event.result.http_status ?? null,
      },
    };
  }
}
