import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { CLIENT_ANONYMOUS } from '../config/api-keys.config';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AppError } from '../errors/app-error';
import { Memo } from '../memo/memo';
import { ApiKeyVerifier, presentedCredentials } from './api-key.verifier';

/** The protection space named in WWW-Authenticate (RFC 9110 §11.6.1, RFC 6750 §3). */
export const AUTH_REALM = 'numbers-gateway';

const FIX = 'Send your key as "Authorization: Bearer <key>" or "X-API-Key: <key>"; ask the platform team for a key if you have none.';
const WRONG_KEY_FIX =
  'Check that the key is complete and current; keys are case-sensitive. Ask the platform team for a new key if it was rotated.';

/**
 * Who a request is: the one place the credential headers are read and checked (the guard and the search
 * fast path both ask here). A verdict depends on those two headers only, so each pair of header values that
 * authenticated is remembered (memo-bounds.ts) and not hashed and compared again; refusals are not kept.
 */
@Injectable()
export class Authenticator {
  private readonly verifier: ApiKeyVerifier;
  private readonly accepted = new Memo<string>('credentials');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.verifier = new ApiKeyVerifier(config.auth.keys);
  }

  /** The client the headers authenticate as (CLIENT_ANONYMOUS when AUTH_DISABLED lets them in without one); throws the 401. */
  clientOf(headers: IncomingHttpHeaders): string {
    const key = memoKey(headers);
    const known = key === undefined ? undefined : this.accepted.get(key);
    if (known !== undefined) return known;
    const client = this.authenticate(headers) ?? CLIENT_ANONYMOUS;
    if (key !== undefined) this.accepted.set(key, client);
    return client;
  }

  /** The client these exact headers already authenticated as, or undefined: nothing is verified here. */
  rememberedClient(headers: IncomingHttpHeaders): string | undefined {
    const key = memoKey(headers);
    return key === undefined ? undefined : this.accepted.get(key);
  }

  /** The client, or undefined only when AUTH_DISABLED lets the request in anonymously. */
  private authenticate(headers: IncomingHttpHeaders): string | undefined {
    const presented = presentedCredentials(headers);
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
 * The two credential headers as one memo key; undefined for a header sent twice (refused anyway, and never
 * worth remembering). NUL cannot occur in a header value, so it separates them unambiguously; an absent header
 * and an empty one give the same verdict, so they may share a key.
 */
function memoKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (Array.isArray(auth) || Array.isArray(apiKey)) return undefined;
  return `${auth ?? ''}\u0000${apiKey ?? ''}`;
}

/**
 * A 401 with its challenge (RFC 6750 §3): the realm always, the error code when credentials were sent
 * but could not be used.
 */
function unauthorized(message: string, fix: string, error?: 'invalid_request' | 'invalid_token'): AppError {
  const challenge = `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}"` : ''}`;
  return new AppError('unauthorized', message, { fix }, { 'www-authenticate': challenge });
}
