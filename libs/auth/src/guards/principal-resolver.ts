import type { AccessSession, Principal } from '../principal.js';

export type Credentials = { kind: 'bearer'; token: string } | { kind: 'api_key'; key: string };

export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export interface ResolvedCaller {
  principal: Principal;
  session?: AccessSession;
}

/**
 * Turns credentials into a principal (checks the token, the user's status, the API key's
 * revocation). The app provides it, backed by its user, session and API key stores.
 * Throws a StakingException (S122/S123/S129, S136 session ended, S137 key expired) when the
 * credentials are not good.
 */
export abstract class PrincipalResolver {
  abstract resolve(credentials: Credentials, meta: RequestMeta): Promise<ResolvedCaller>;
}
