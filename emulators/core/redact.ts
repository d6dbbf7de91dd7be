import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the emulators keep of a request must not hold a credential: request logs are served over the control
 * API and printed by tools, and a service pointed at an emulator by mistake would send its real secrets. A
 * secret is replaced by a short fingerprint, so a test can still tell two tokens apart or check that the
 * expected credential was sent (compare with redactCredential / redactAuthorization of the expected value),
 * and a Basic header keeps its user and its shape (a validator still sees `Basic <base64>`).
 */
export function redactCredential(secret: string): string {
  return `redacted:sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

/** An Authorization header with its secret part replaced; the scheme (and a Basic user) kept. */
export function redactAuthorization(value: string): string {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value.trim());
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? '' : decoded.slice(0, colon);
    const password = colon < 0 ? decoded : decoded.slice(colon + 1);
    return `Basic ${Buffer.from(`${user}:${redactCredential(password)}`).toString('base64')}`;
  }
  const scheme = /^(\S+)\s+(.+)$/.exec(value.trim());
  if (scheme) return `${scheme[1]} ${redactCredential(scheme[2])}`;
  return redactCredential(value);
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'x-auth-token']);

/** Parameter and field names that hold secrets (Vonage api_secret, OAuth client_secret, tokens, passwords). */
const SECRET_NAME = /secret|token|password|passwd|signature/i;

export function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of Object.keys(out)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
    const value = out[name];
    if (typeof value === 'string') out[name] = name.toLowerCase().endsWith('authorization') ? redactAuthorization(value) : redactCredential(value);
    else if (Array.isArray(value)) out[name] = value.map(redactCredential);
  }
  return out;
}

/** A raw query or form body with the values of secret-named parameters replaced, everything else byte for byte. */
export function redactPairs(raw: string): string {
  if (raw === '') return raw;
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return SECRET_NAME.test(name) ? `${pair.slice(0, eq)}=${redactCredential(safeDecode(pair.slice(eq + 1)))}` : pair;
    })
    .join('&');
}

/** A request body: form fields and JSON members with secret names redacted; other bodies (XML) as sent. */
export function redactBody(body: string, contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return redactPairs(body);
  if (type.includes('json')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body) as unknown));
    } catch {
      return body;
    }
  }
  return body;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_NAME.test(k) && typeof v === 'string' ? redactCredential(v) : redactJson(v)]),
    );
  }
  return value;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
