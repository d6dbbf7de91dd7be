import fc from 'fast-check';
import { contractValidator } from '../support/contract';
import { authed, startApp, type RunningApp } from '../support/app';

/**
 * Whatever a caller sends, the answer is 200 or a 4xx envelope: never a 5xx, never a hang, never a stack.
 * Thousands of random query strings go to the real HTTP endpoint.
 */
const validateError = contractValidator('ErrorResponse');

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const KEYS = ['countryCode', 'features', 'areaCode', 'phoneNumberType', 'limit'];
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][x]', 'hasOwnProperty', 'toString', 'countryCode[]', 'features[0]', 'limit[$gt]', ''];
const NASTY_VALUES = ['US', 'us', 'sms,voice', '415', 'toll_free', '10', '', ' ', '0', '-1', '1e3', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '%', '%00', '%E0%A4%A', '\u0000', '💥', 'ＵＳ', 'x'.repeat(3000), '../../etc/passwd', '<script>', "' OR 1=1 --"];

const value = fc.oneof(
  fc.constantFrom(...NASTY_VALUES),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const key = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 }));
const encode = fc.constantFrom(
  (s: string) => encodeURIComponent(s),
  (s: string) => s.replace(/[#&\s]/g, (c) => encodeURIComponent(c)),
  (s: string) => escape(s),
);
const queryString = fc
  .tuple(fc.array(fc.tuple(key, value), { maxLength: 8 }), encode, encode)
  .map(([pairs, ek, ev]) => pairs.map(([k, v]) => `${ek(k)}=${ev(v)}`).join('&'));

describe('random query strings', () => {
  it('never produce a 5xx; every 4xx is a valid envelope with a fix', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        const res = await fetch(`${app.url}/numbers/available?${qs}`, { headers: authed });
        const text = await res.text();
        if (res.status >= 500) throw new Error(`status ${res.status} for ?${qs}: ${text.slice(0, 300)}`);
        if (res.status !== 200) {
          const body = JSON.parse(text);
          const errors = validateError(body);
          if (errors.length > 0 || !body.error.fix) throw new Error(`bad envelope for ?${qs}: ${text.slice(0, 300)}`);
          if (body.trackingId !== res.headers.get('x-tracking-id')) throw new Error('tracking id mismatch');
        }
        if (({} as Record<string, unknown>).polluted !== undefined || (Object.prototype as Record<string, unknown>).x !== undefined) {
          throw new Error(`prototype polluted by ?${qs}`);
        }
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('also holds for hand-picked prototype-pollution and encoding attacks', async () => {
    const attacks = [
      '__proto__[countryCode]=US',
      '__proto__=x&countryCode=US',
      'constructor[prototype][countryCode]=US',
      'countryCode=US&__proto__[limit]=99',
      'countryCode[]=US',
      'countryCode[0]=US&countryCode[1]=CA',
      'countryCode=US&limit[$gt]=1',
      'countryCode=%F0%9F%92%A5',
      'countryCode=%ZZ',
      'countryCode=US%00',
      `countryCode=US&features=${'sms,'.repeat(1000)}sms`,
    ];
    for (const qs of attacks) {
      const res = await fetch(`${app.url}/numbers/available?${qs}`, { headers: authed });
      expect({ qs, status: res.status }).toEqual({ qs, status: expect.any(Number) });
      expect(res.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).countryCode).toBeUndefined();
    }
  });
});
