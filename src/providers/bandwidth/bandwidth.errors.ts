import type { ProviderResponse } from '../http/provider-http-client';
import { errorKind } from '../http/coded-error';
import { retryAfterSeconds } from '../http/retry-after';
import { unreadableErrorBody } from '../http/unreadable-body';
import { kindFromHttpStatus, ProviderError, type ProviderErrorKind } from '../../domain/provider-error';
import type { BandwidthXmlError } from './bandwidth.types';
import { findBandwidthError, parseBandwidthXml } from './bandwidth.xml';

/**
 * Bandwidth's search error codes (vonage-…-sinch.md §3.4, [BW-ERR] SearchErrorType). Most are a malformed
 * or unsupported search: invalid_request. The exceptions say more than the HTTP status.
 */
const KIND_BY_CODE: Readonly<Record<string, ProviderErrorKind>> = {
  '4009': 'unavailable', // "system error, please retry"
  '4014': 'auth_failed', // access denied for this search
};

/**
 * "Bandwidth does not support new numbers in this area" (§3.4): the truthful answer to the caller is
 * that Bandwidth has no numbers there, not that the search failed (see README).
 */
export const NO_NUMBERS_IN_AREA = '4023';

/** Maps a Bandwidth error code found in a body (any status, 200 included) to a ProviderError. */
export function bandwidthCodeError(res: ProviderResponse, error: BandwidthXmlError): ProviderError {
  const code = error.code;
  // Status first, then code (errorKind): a 4009 "please retry" inside a 400 is still a refused request. An
  // error inside a 200 has only its code to go on; without a known one it is a rejected search.
  const codeKind = code === undefined ? undefined : KIND_BY_CODE[code];
  return new ProviderError({
    provider: 'bandwidth',
    kind: res.ok ? (codeKind ?? 'invalid_request') : errorKind(res.status, codeKind),
    httpStatus: res.status,
    providerCode: code,
    message: error.description ? error.description.slice(0, 300) : `answered HTTP ${res.status} with error ${code}`,
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}

/**
 * A non-2xx answer. 401/403 bodies are unverified (probably empty or not XML, §3.4) and the 429 body is
 * empty with X-RateLimit-Reset in epoch seconds (§3.5): those statuses decide whatever the body. Any
 * other status with a body that is not Bandwidth XML (an HTML page from a proxy) is bad_response; an
 * empty body maps by status.
 */
export function bandwidthError(res: ProviderResponse): ProviderError {
  const parsed = parseBandwidthXml(res.body);
  const error = parsed.ok ? findBandwidthError(parsed.doc) : undefined;
  if (error) return bandwidthCodeError(res, error);
  const statusDecides = res.status === 401 || res.status === 403 || res.status === 429;
  // An HTML page is well-formed enough to parse as XML: it is still not Bandwidth's answer.
  const bandwidthXml = parsed.ok && parsed.doc.root.toLowerCase() !== 'html';
  if (!bandwidthXml && res.body.trim() !== '' && !statusDecides) return unreadableErrorBody('bandwidth', res);
  return new ProviderError({
    provider: 'bandwidth',
    kind: kindFromHttpStatus(res.status),
    httpStatus: res.status,
    message: STATUS_MESSAGES[res.status] ?? `answered HTTP ${res.status}`,
    retryAfterSeconds: retryAfterSeconds((h) => res.header(h)),
  });
}

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  401: 'rejected the API user credentials (HTTP 401)',
  403: 'refused access to this account (HTTP 403)',
  429: 'rate limit reached for the SEARCH group (HTTP 429)',
};
