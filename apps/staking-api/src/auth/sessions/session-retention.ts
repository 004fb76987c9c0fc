import { expiresBucketOf } from '@app/database';

// Spent/expired rows stay a day longer, so a late reuse of a token is still recognised as reuse.
export const SESSION_GRACE_MS = 24 * 60 * 60 * 1000;

/** The hour bucket a session or refresh token is deleted in: its expiry plus the grace. */
export const deleteBucketOf = (expiresAt: Date): string =>
  expiresBucketOf(new Date(new Date(expiresAt).getTime() + SESSION_GRACE_MS));
