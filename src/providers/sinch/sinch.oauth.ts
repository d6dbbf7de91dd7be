import { basicAuth } from '../http/basic-auth';
import type { ProviderHttp, ProviderResponse } from '../http/provider-http-client';
import { isProviderError, ProviderError } from '../../domain/provider-error';
import type { SinchConfig } from './sinch.config';
import { sinchTokenError } from './sinch.errors';
import type { IssuedToken } from './sinch.token';
import type { SinchTokenResponse } from './sinch.types';

/** When the token answer says nothing about its lifetime: short, and a 401 refreshes it anyway. */
const DEFAULT_TOKEN_LIFETIME_MS = 5 * 60_000;

/** OAuth2 client credentials (§5.1, [S-NODE-OAUTH]): Basic keyId:keySecret, form grant_type. */
export async function requestSinchToken(http: ProviderHttp, config: SinchConfig, signal: AbortSignal): Promise<IssuedToken> {
  const res = await http.request({
    method: 'POST',
    url: `${config.authUrl}/oauth2/token`,
    headers: { authorization: basicAuth(config.keyId, config.keySecret), accept: 'application/json' },
    form: new URLSearchParams({ grant_type: 'client_credentials' }),
    signal,
  });
  if (!res.ok) throw sinchTokenError(res);
  let body: SinchTokenResponse;
  try {
    body = res.json() as SinchTokenResponse;
  } catch (e) {
    throw isProviderError(e) ? tokenBadResponse(res, e.message) : e;
  }
  if (typeof body !== 'object' || body === null || typeof body.access_token !== 'string' || body.access_token.trim() === '') {
    throw tokenBadResponse(res, 'answered without an access_token');
  }
  if (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer') {
    throw tokenBadResponse(res, 'answered a token that is not a bearer token');
  }
  return { value: body.access_token.trim(), lifetimeMs: lifetimeMs(body) };
}

function tokenBadResponse(res: ProviderResponse, message: string): ProviderError {
  return new ProviderError({ provider: 'sinch', kind: 'bad_response', httpStatus: res.status, message: `token request ${message}` });
}

/** expires_in, else the JWT's exp claim (what Sinch's SDK reads), else a short default. */
function lifetimeMs(body: SinchTokenResponse, now = Date.now()): number {
  if (typeof body.expires_in === 'number' && Number.isFinite(body.expires_in) && body.expires_in > 0) return body.expires_in * 1000;
  const parts = body.access_token!.split('.');
  if (parts.length === 3) {
    try {
      const exp = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp;
      if (typeof exp === 'number' && exp * 1000 > now) return exp * 1000 - now;
    } catch {
      // Not a JWT: fall through.
    }
  }
  return DEFAULT_TOKEN_LIFETIME_MS;
}
