/** One HS256 signing secret and its key id (`kid` header). */
export interface JwtKey {
  kid: string;
  secret: Uint8Array;
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_LENGTH = 32;

/**
 * The current signing key plus the previous ones still accepted for verification, so a secret
 * can rotate (policy: every 30 days) without signing anyone out: the old key stays in
 * JWT_PREVIOUS_KEYS until the last token it signed has expired (access TTL, 24 h).
 */
export class JwtKeyring {
  readonly current: JwtKey;
  private readonly byKid: ReadonlyMap<string, JwtKey>;

  constructor(currentKid: string, currentSecret: string, previous: readonly string[]) {
    this.current = { kid: currentKid, secret: new TextEncoder().encode(currentSecret) };
    const keys = new Map<string, JwtKey>([[currentKid, this.current]]);
    for (const entry of previous) {
      const at = entry.indexOf(':');
      const kid = at > 0 ? entry.slice(0, at) : '';
      const secret = at > 0 ? entry.slice(at + 1) : '';
      // Never echo the secret in the message.
      if (!KID.test(kid)) throw new Error('JWT_PREVIOUS_KEYS: each entry must be "kid:secret"');
      if (secret.length < MIN_SECRET_LENGTH)
        throw new Error(
          `JWT_PREVIOUS_KEYS: the secret of kid ${kid} is shorter than 32 characters`,
        );
      if (keys.has(kid)) throw new Error(`JWT_PREVIOUS_KEYS: kid ${kid} appears twice`);
      keys.set(kid, { kid, secret: new TextEncoder().encode(secret) });
    }
    this.byKid = keys;
  }

  find(kid: string | undefined): JwtKey | undefined {
    return kid === undefined ? undefined : this.byKid.get(kid);
  }

  get kids(): string[] {
    return [...this.byKid.keys()];
  }
}
