import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { CLIENT_ANONYMOUS } from '../config/api-keys.config';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AppError } from '../errors/app-error';
import { ApiKeyVerifier, presentedCredentials } from './api-key.verifier';
import { IS_PUBLIC } from './public.decorator';

/** The caller's identity when AUTH_DISABLED lets a request in without a key (for usage limits and logs). */
export { CLIENT_ANONYMOUS };

/** The protection space named in WWW-Authenticate (RFC 9110 §11.6.1, RFC 6750 §3). */
export const AUTH_REALM = 'numbers-gateway';

declare module 'fastify' {
  interface FastifyRequest {
    client?: string;
  }
}

const FIX = 'Send your key as "Authorization: Bearer <key>" or "X-API-Key: <key>"; ask the platform team for a key if you have none.';
const WRONG_KEY_FIX =
  'Check that the key is complete and current; keys are case-sensitive. Ask the platform team for a new key if it was rotated.';

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
    request.client = this.authenticate(request) ?? CLIENT_ANONYMOUS;
    return true;
  }

  /** The client the request authenticates as; undefined only when AUTH_DISABLED lets it in anonymously. */
  private authenticate(request: FastifyRequest): string | undefined {
    const presented = presentedCredentials(request.headers);
    let refusal: AppError;
    switch (presented.kind) {
      case 'none':
        refusal = unauthorized('No API key was sent.', FIX);
        break;
      case 'malformed':
        refusal = unauthorized(`The API key could not be read: ${presented.reason}.`, FIX, 'invalid_request');
        break;
      case 'keys': {
        const clients = presented.keys.map((k) => ({ header: k.header, client: this.verifier.clientFor(k.value) }));
        const invalid = clients.filter((c) => c.client === undefined);
        if (invalid.length === 0 && new Set(clients.map((c) => c.client)).size === 1) return clients[0].client;
        if (clients.length === 1) refusal = unauthorized('The API key is not valid.', WRONG_KEY_FIX, 'invalid_token');
        else if (invalid.length === 2) refusal = unauthorized('Neither the Authorization key nor the X-API-Key key is valid.', WRONG_KEY_FIX, 'invalid_token');
        else if (invalid.length === 1) {
          refusal = unauthorized(
            `The Authorization and X-API-Key headers disagree: the ${invalid[0].header} key is not valid.`,
            'Send one key, in one of the two headers; if you send both, they must hold keys of the same client.',
            'invalid_token',
          );
        } else {
          refusal = unauthorized(
            'The Authorization and X-API-Key headers disagree: they hold keys of two different clients.',
            'Send one key, in one of the two headers; if you send both, they must hold keys of the same client.',
            'invalid_token',
          );
        }
        break;
      }
      default: {
        const never: never = presented;
        return never;
      }
    }
    if (this.config.auth.disabled) return undefined;
    throw refusal;
  }
}

/**
 * A 401 with its challenge (RFC 6750 §3): the realm always, the error code when credentials were sent
 * but could not be used.
 */
function unauthorized(message: string, fix: string, error?: 'invalid_request' | 'invalid_token'): AppError {
  const challenge = `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}"` : ''}`;
  return new AppError('unauthorized', message, { fix }, { 'www-authenticate': challenge });
}
