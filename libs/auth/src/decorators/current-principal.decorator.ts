import { ErrorCode, StakingException } from '@app/common';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../principal.js';

/** The caller resolved by the authentication guard. Only on routes that are not @Public(). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    // A public route asking for the principal is a programming error, not a client one.
    if (!principal) throw new StakingException(ErrorCode.AUTHENTICATION_REQUIRED);
    return principal;
  },
);
