import type { SessionRecord } from './session.schema.js';

/**
 * When a sign-in session (its refresh family and every access token issued in it) ends: the
 * policy's refresh_token_ttl_seconds after its login, never later. The stored expires_at is set
 * at login and never moved; sessions written before that rule were slid forward on each refresh,
 * and a policy may be shortened, so the login time caps it as well.
 */
export function sessionEndsAt(
  session: Pick<SessionRecord, 'created_at' | 'expires_at'>,
  ttlMs: number,
): Date {
  return new Date(Math.min(session.expires_at.getTime(), session.created_at.getTime() + ttlMs));
}
