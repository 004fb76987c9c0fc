import type { Role } from '@app/common';

export type PrincipalKind = 'user' | 'api_key';

/** Who is calling: a signed-in user or a service's API key, with the role that decides access. */
export interface Principal {
  kind: PrincipalKind;
  id: string;
  username?: string;
  role: Role;
}

/** The signed-in session behind a bearer token (absent for API keys). */
export interface AccessSession {
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    accessSession?: AccessSession;
  }
}
