/**
 * The sizes of a request the service reads, stated once so that the answers refusing a larger one, the
 * server's own limit and the served document all name the same numbers.
 */

/** Largest request head Node reads (request line and headers): Node's default, stated here so the answers can name it. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Longest a request's head (request line and headers) may take to arrive, and how often Node checks: a client
 * that stalls mid-head, or sends nothing but line breaks, gets the 408 envelope within about 6 s instead of
 * holding a connection until Node's 60-second default. A client library writes a head at once.
 */
export const HEAD_TIMEOUT_MS = 5000;
export const HEAD_TIMEOUT_CHECK_MS = 1000;

/** Largest URL (path and query) the service reads; search URLs are well under 1 KiB. */
export const MAX_URL_BYTES = 8 * 1024;

export const URL_FIX =
  'Send only countryCode, features, areaCode, phoneNumberType and limit; the URL of a search is under 1 KiB.';
