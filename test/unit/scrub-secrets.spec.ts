import fc from 'fast-check';
import { REDACTED, SecretScrubber } from '../../src/secrets/secret-scrubber';

const KEY = 'KEY_live/se"cr\\et+42';
const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'tw_token_ü/"9f8e7d6c';
const scrubber = new SecretScrubber({ values: [KEY, TOKEN], basicPairs: [{ user: SID, secret: TOKEN }] });

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const json = (s: string) => JSON.stringify(s).slice(1, -1);

describe('SecretScrubber', () => {
  it.each([
    ['as is', KEY],
    ['in a Bearer header', `Authorization: Bearer ${KEY}`],
    ['base64 alone', b64(KEY)],
    ['base64 of a whole Bearer header (secret at byte offset 7)', b64(`Bearer ${KEY}`)],
    ['base64 at byte offset 2', b64(`xy${KEY} and more`)],
    ['as the Basic pair the carrier is sent', `Basic ${b64(`${SID}:${TOKEN}`)}`],
    ['base64 of the whole Basic header', b64(`Basic ${b64(`${SID}:${TOKEN}`)}`)],
    ['percent-encoded', encodeURIComponent(KEY)],
    ['percent-encoded with lower-case hex', encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    ['form-encoded', new URLSearchParams({ k: TOKEN }).toString()],
    ['the Basic pair percent-encoded', encodeURIComponent(`Basic ${b64(`${SID}:${TOKEN}`)}`)],
    ['JSON-escaped', json(KEY)],
    ['JSON-escaped twice', json(json(KEY))],
    ['JSON-escaped with \\u for non-ASCII', JSON.stringify(TOKEN).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['JSON-escaped with \\/', json(KEY).replace(/\//g, '\\/')],
  ])('removes a secret %s', (_form, text) => {
    const out = scrubber.scrub(`before ${text} after`);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
    for (const secret of [KEY, TOKEN]) {
      for (const form of [secret, b64(secret), encodeURIComponent(secret), json(secret), json(json(secret))]) expect(out).not.toContain(form);
    }
  });

  it('removes a secret cut short by a carrier message limit, once 12 characters of it remain', () => {
    const cut = `token request failed: ${json(KEY).slice(0, 13)}`;
    expect(scrubber.scrub(cut)).toBe(`token request failed: ${REDACTED}`);
  });

  it('keeps the scheme of an Authorization header whose token it does not know, and drops the token', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
    expect(scrubber.scrub(`echo: Bearer ${jwt}.`)).toBe(`echo: Bearer ${REDACTED}`);
    // Words after "Basic" and "Bearer" are not tokens.
    const prose = 'Request had invalid authentication credentials. Expected OAuth 2 access token or valid basic credentials. Bearer token expired.';
    expect(scrubber.scrub(prose)).toBe(prose);
  });

  it('returns text without secrets unchanged (the same string)', () => {
    const line = '{"level":"info","trackingId":"d8e7e98770df4aa6b9c56e67ae2d568f","msg":"GET /numbers/available 200"}';
    expect(scrubber.scrub(line)).toBe(line);
    expect(new SecretScrubber({ values: [], basicPairs: [] }).scrub(line)).toBe(line);
  });

  it('ignores secrets too short to tell from ordinary text', () => {
    const s = new SecretScrubber({ values: ['abc'], basicPairs: [{ user: 'u', secret: 'xy' }] });
    expect(s.formCount).toBe(0);
    expect(s.scrub('abc xy')).toBe('abc xy');
  });

  it('leaves a JSON line valid JSON whatever the secret holds, with none of it left', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 40, unit: 'binary' }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.constantFrom('raw', 'json', 'base64'),
        (secret, before, after, form) => {
          const s = new SecretScrubber({ values: [secret], basicPairs: [] });
          const inner = form === 'raw' ? secret : form === 'json' ? JSON.stringify(secret) : b64(`Bearer ${secret}`);
          const line = JSON.stringify({ msg: `${before}${inner}${after}`, n: 1 });
          const out = s.scrub(line);
          const parsed = JSON.parse(out) as { msg: string; n: number };
          expect(parsed.n).toBe(1);
          expect(parsed.msg).not.toContain(secret);
          expect(out).not.toContain(json(secret));
          for (const run of parsed.msg.match(/[A-Za-z0-9+/=]{8,}/g) ?? []) {
            expect(Buffer.from(run, 'base64').includes(Buffer.from(secret, 'utf8'))).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
