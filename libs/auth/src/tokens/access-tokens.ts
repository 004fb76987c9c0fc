import {
  AppConfigService,
  ErrorCode,
  SecurityPolicy,
  StakingException,
  type Role,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { randomUUID } from 'node:crypto';
import { JwtKeyring } from './jwt-keyring.js';

export interface AccessTokenClaims {
  userId: string;
  username: string;
  role: Role;
  sessionId: string;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  tokenId: string;
  kid: string;
  expiresAt: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

// The only algorithm we sign or accept; `none`, RS*/ES* and other HMACs are refused.
const ALGORITHM = 'HS256';

/** Signs and verifies access JWTs: HS256 pinned, issuer/audience checked, key chosen by `kid`. */
@Injectable()
export class AccessTokens {
  readonly keyring: JwtKeyring;
  private readonly issuer: string;
  private readonly audience: string;
  readonly ttlSeconds: number;

  constructor(config: AppConfigService, policy: SecurityPolicy) {
    this.keyring = new JwtKeyring(
      config.get('JWT_KEY_ID'),
      config.get('JWT_SECRET'),
      config.get('JWT_PREVIOUS_KEYS'),
    );
    const jwt = policy.file.authentication.jwt;
    this.issuer = jwt.issuer;
    this.audience = jwt.audience;
    this.ttlSeconds = jwt.access_token_ttl_seconds;
  }

  /** `notAfter`: the token never outlives it (the end of its sign-in session). */
  async issue(
    claims: AccessTokenClaims,
    now: Date = new Date(),
    notAfter?: Date,
  ): Promise<IssuedAccessToken> {
    const key = this.keyring.current;
    const iat = Math.floor(now.getTime() / 1000);
    const exp = Math.min(
      iat + this.ttlSeconds,
      notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity,
    );
    const token = await new SignJWT({
      role: claims.role,
      username: claims.username,
      sid: claims.sessionId,
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key.secret);
    return { token, expiresIn: Math.max(0, exp - iat) };
  }

  /** Throws S123 for an expired token and S122 for anything else wrong with it. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    let kid = '';
    try {
      const { payload } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => {
          const key = this.keyring.find(header.kid);
          if (!key) throw new errors.JWKSNoMatchingKey();
          kid = key.kid;
          return key.secret;
        },
        { algorithms: [ALGORITHM], issuer: this.issuer, audience: this.audience, typ: 'JWT' },
      );
      const { sub, jti, exp, role, username, sid } = payload as Record<string, unknown>;
      if (
        typeof sub !== 'string' ||
        typeof jti !== 'string' ||
        typeof exp !== 'number' ||
        typeof role !== 'string' ||
        typeof sid !== 'string'
      ) {
        throw new StakingException(ErrorCode.TOKEN_INVALID, 'The token lacks required claims.');
      }
      return {
        userId: sub,
        username: typeof username === 'string' ? username : '',
        role: role as Role,
        sessionId: sid,
        tokenId: jti,
        kid,
        expiresAt: new Date(exp * 1000),
      };
    } catch (error) {
      if (error instanceof StakingException) throw error;
      if (error instanceof errors.JWTExpired) throw new StakingException(ErrorCode.TOKEN_EXPIRED);
      throw new StakingException(ErrorCode.TOKEN_INVALID);
    }
  }
}
