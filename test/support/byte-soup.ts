import fc from 'fast-check';

/** Raw bytes for one request, and whether it asks with HEAD (whose answer has no body). */
export interface SoupRequest {
  bytes: Buffer;
  head: boolean;
}

const CRLF = '\r\n';
/** Bytes that do not end a line, so a disturbed request stays one request on the wire. */
const lineByte = fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a && b !== 0x0d);
const lineBytes = (maxLength: number) => fc.array(lineByte, { maxLength }).map((a) => Buffer.from(a).toString('latin1'));

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('GET') },
  { weight: 3, arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT', 'get', 'G ET', '') },
  { weight: 1, arbitrary: lineBytes(8) },
);

const query = fc
  .array(
    fc.tuple(
      fc.constantFrom('countryCode', 'features', 'areaCode', 'phoneNumberType', 'limit', '__proto__', 'constructor', 'x'),
      fc.oneof(fc.constantFrom('US', 'us', 'GB', 'AQ', 'sms,voice', '415', 'toll_free', '10', '', '%', '%ZZ', '+5'), fc.string({ maxLength: 6 })),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%25/g, '%')}`).join('&'));

const target = fc.oneof(
  { weight: 8, arbitrary: query.map((q) => `/numbers/available?${q}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('/', '*', '/health/live', '/openapi.json', '/numbers', '/numbers/available/', '//numbers/available', 'http://x/numbers/available?countryCode=US', '/numbers/%ZZ', '/numbers/available?countryCode=US#frag'),
  },
  { weight: 1, arbitrary: fc.nat({ max: 24_000 }).map((n) => `/numbers/available?countryCode=US&x=${'a'.repeat(n)}`) },
  { weight: 1, arbitrary: lineBytes(40).map((s) => `/${s}`) },
);

const version = fc.oneof({ weight: 10, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1 ', '') });

/**
 * Header lines, none of them declaring a body (those are added whole, below): a body length the bytes
 * do not honour would leave the server rightly waiting for more.
 */
const header = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Authorization: Bearer k_test_0123456789', 'X-API-Key: k_test_other_98765', 'Accept: application/json', 'Cache-Control: no-cache') },
  { weight: 1, arbitrary: fc.constantFrom('Connection: close', 'Connection: keep-alive', 'Expect: 100-continue', 'Expect: teapot', 'Authorization: Basic x', 'Host: other', 'Upgrade: websocket') },
  { weight: 1, arbitrary: fc.tuple(lineBytes(12), lineBytes(30)).map(([n, v]) => `${n}: ${v}`).filter((l) => !/content-length|transfer-encoding|^\s*host/i.test(l)) },
  { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map((n) => `X-Padding: ${'p'.repeat(n)}`) },
);

/** A body with the headers that announce it; some announcements are malformed on purpose. */
const body = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ headers: [] as string[], bytes: '' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((b) => ({ headers: [`Content-Length: ${Buffer.byteLength(b)}`, 'Content-Type: application/json'], bytes: b })) },
  { weight: 1, arbitrary: fc.constant({ headers: ['Transfer-Encoding: chunked'], bytes: `3${CRLF}abc${CRLF}0${CRLF}${CRLF}` }) },
  { weight: 1, arbitrary: fc.constantFrom('Content-Length: -1', 'Content-Length: abc', 'Content-Length: 1, 2', 'Transfer-Encoding: gzip, chunked').map((h) => ({ headers: [h], bytes: '' })) },
  { weight: 1, arbitrary: fc.constant({ headers: ['Content-Length: 2', 'Transfer-Encoding: chunked'], bytes: `0${CRLF}${CRLF}` }) },
);

/** Replaces some bytes of the head with others (never line ends, never inside the body or its headers). */
function disturb(head: string, positions: number[], replacements: number[]): string {
  const bytes = Buffer.from(head, 'latin1');
  positions.forEach((p, i) => {
    const at = p % bytes.length;
    if (bytes[at] !== 0x0a && bytes[at] !== 0x0d) bytes[at] = replacements[i % replacements.length];
  });
  return bytes.toString('latin1');
}

/** Requests built like HTTP/1.1 and then disturbed, plus plain noise: what a hostile or broken client writes. */
export const soupRequest: fc.Arbitrary<SoupRequest> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        method,
        target,
        version,
        host: fc.oneof({ weight: 9, arbitrary: fc.constant(['Host: gateway']) }, { weight: 1, arbitrary: fc.constant([] as string[]) }),
        headers: fc.array(header, { maxLength: 5 }),
        body,
        disturbance: fc.option(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.array(lineByte, { minLength: 1, maxLength: 4 })), { freq: 4 }),
      })
      .map(({ method: m, target: t, version: v, host, headers, body: b, disturbance }) => {
        let head = [`${m} ${t} ${v}`, ...host, ...headers].join(CRLF);
        if (disturbance) head = disturb(head, disturbance[0], disturbance[1]);
        const bytes = Buffer.from([head, ...b.headers].join(CRLF) + CRLF + CRLF + b.bytes, 'latin1');
        return { bytes, head: /^HEAD /.test(head) };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => ({ bytes: Buffer.concat([Buffer.from(a), Buffer.from(CRLF + CRLF)]), head: false })),
  },
);
