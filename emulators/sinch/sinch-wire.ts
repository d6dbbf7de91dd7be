import { createHmac, timingSafeEqual } from 'node:crypto';
import { type EmuRequest, type EmuResponse, json, readBasic, readBearer } from '../core/carrier';
import type { EmuNumberType } from '../core/inventory';
import { redactCredential } from '../core/redact';

/** What Sinch's search and its number calls share: the error envelope, tokens and the auth check (§5.1, §5.4). */
/** `type` values (§5.2); Sinch has no national type. */
export const TYPES: Readonly<Record<string, EmuNumberType>> = { LOCAL: 'local', MOBILE: 'mobile', TOLL_FREE: 'toll_free' };
/** Only SMS and VOICE exist in Sinch's vocabulary (§5.2). */
export const CAPABILITIES = ['SMS', 'VOICE'];

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function envelope(status: number, message: string, details: unknown[] = [], options: Record<string, unknown> = {}, headers: Record<string, string> = {}): EmuResponse {
  const code = options.stringCodes === true ? String(status) : status;
  return json(status, { error: { code, message, status: STATUS_NAMES[status] ?? (status >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION'), details } }, headers);
}

/** 400 INVALID_ARGUMENT with a BadRequest field violation (§5.4, [S-NODE-ERR]). */
export const invalid = (field: string, message: string, options: Record<string, unknown>) =>
  envelope(400, message, [{ type: 'BadRequest', fieldViolations: [{ field, description: message }] }], options);

export const unauthenticated = (options: Record<string, unknown> = {}) =>
  envelope(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token or valid basic credentials.', [], options);

export const b64url = (s: string) => Buffer.from(s).toString('base64url');
export const sign = (data: string, secret: string) => createHmac('sha256', secret).update(data).digest('base64url');

/** A token this emulator issued for this key, signature intact, not expired, not revoked. */
export function tokenValid(token: string, creds: Readonly<Record<string, string>>, options: Record<string, unknown>): boolean {
  const revoked = Array.isArray(options.revokedTokens) ? (options.revokedTokens as unknown[]) : [];
  if (revoked.includes(token) || revoked.includes(redactCredential(token))) return false;
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, creds.keySecret));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    return claims.sub === creds.keyId && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

/**
 * Bearer tokens this emulator issued, or Basic keyId:keySecret (§5.1); then the project in the path must be the
 * key's (403 otherwise). Undefined when the request may go on.
 */
export function refuseCaller(req: EmuRequest, projectId: string, creds: Readonly<Record<string, string>>, options: Record<string, unknown>): EmuResponse | undefined {
  const bearer = readBearer(req.headers);
  const basic = readBasic(req.headers);
  const authorised = bearer !== undefined ? tokenValid(bearer, creds, options) : basic?.user === creds.keyId && basic?.password === creds.keySecret;
  if (!authorised) return unauthenticated(options);
  if (projectId !== creds.projectId) return envelope(403, `The caller does not have permission on project ${projectId}.`, [], options);
  return undefined;
}
