/** Emitted (and awaited) once per refused sign-in: the compliance incidents count these. */
export const AUTH_LOGIN_FAILED = 'auth.login_failed';

export interface AuthLoginFailedEvent {
  /** As typed, trimmed and lower-cased; never the password. */
  username: string;
  ip?: string;
  at: Date;
}
