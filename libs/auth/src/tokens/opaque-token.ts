import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret (refresh token, API key): 256 bits, URL-safe. */
export function generateOpaqueToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored instead of the token. The tokens carry 256 random bits, so a fast hash is
 * enough (no dictionary to guess from) and lets us look a token up by its hash.
 */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
