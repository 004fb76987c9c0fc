import type { Principal } from '../principal.js';

export type AuditResultStatus = 'success' | 'failure' | 'denied';

/** Action names of the security events this library and the app record. */
export const SecurityAction = {
  LOGIN: 'auth.login',
  LOGOUT: 'auth.logout',
  REFRESH: 'auth.refresh',
  FAILURE: 'auth.failure',
  LOCKOUT: 'auth.lockout',
  SESSIONS_REVOKED: 'auth.sessions_revoked',
  ACCESS_DENIED: 'access.denied',
  RATE_LIMIT: 'rate_limit',
  API_KEY_USE: 'api_key.use',
  APPROVAL_DECISION: 'approval.decision',
} as const;

export interface AuditEvent {
  /** e.g. `stake`, `auth.login`, `POST /api/v1/users`. */
  action: string;
  /** What it acted on: an id, an address, a route. */
  resource?: string;
  principal?: Principal;
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /** Masked before storage (policy audit.masked_fields + SENSITIVE_FIELDS); never pass keys anyway. */
  params?: unknown;
  result: { status: AuditResultStatus; error_code?: string; http_status?: number };
}

/**
 * The tamper-evident audit trail. Inject it to record domain events (e.g. an operation confirmed
 * on chain); mutating HTTP requests and security events are recorded for you. The app's audit
 * module provides the implementation (a hash-chained `audit_logs` collection).
 */
export abstract class AuditTrail {
  abstract record(event: AuditEvent): Promise<void>;
}
