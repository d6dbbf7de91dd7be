import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AppError } from '../errors/app-error';
import { ApiKeyVerifier, presentedKey } from './api-key.verifier';
import { IS_PUBLIC } from './public.decorator';

/** The caller's identity, set by the guard for usage limits and logs. */
export const CLIENT_ANONYMOUS = 'anonymous';

declare module 'fastify' {
  interface FastifyRequest {
    client?: string;
  }
}

const FIX = 'Send your key as "Authorization: Bearer <key>" or "X-API-Key: <key>"; ask the platform team for a key if you have none.';

/** Authentication runs before validation: without a valid key the answer is 401 whatever the query. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verifier: ApiKeyVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.verifier = new ApiKeyVerifier(config.auth.keys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedKey(request.headers);
    if (key.kind === 'key') {
      const client = this.verifier.clientFor(key.value);
      if (client !== undefined) {
        request.client = client;
        return true;
      }
    }
    if (this.config.auth.disabled) {
      request.client = CLIENT_ANONYMOUS;
      return true;
    }
    switch (key.kind) {
      case 'none':
        throw new AppError('unauthorized', 'No API key was sent.', { fix: FIX });
      case 'malformed':
        throw new AppError('unauthorized', `The API key could not be read: ${key.reason}.`, { fix: FIX });
      case 'key':
        throw new AppError('unauthorized', 'The API key is not valid.', {
          fix: 'Check that the key is complete and current; keys are case-sensitive. Ask the platform team for a new key if it was rotated.',
        });
      default: {
        const never: never = key;
        return never;
      }
    }
  }
}
