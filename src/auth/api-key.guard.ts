import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { CLIENT_ANONYMOUS } from '../config/api-keys.config';
import { Authenticator } from './authenticator';
import { IS_PUBLIC } from './public.decorator';

/** The caller's identity when AUTH_DISABLED lets a request in without a key (for usage limits and logs). */
export { CLIENT_ANONYMOUS };
export { AUTH_REALM } from './authenticator';

declare module 'fastify' {
  interface FastifyRequest {
    client?: string;
  }
}

/** Authentication runs before validation: without a valid key the answer is 401 whatever the query. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.client = this.authenticator.clientOf(request.headers);
    return true;
  }
}
