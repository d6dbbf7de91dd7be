/**
 * What must never reach a caller or a log line: every configured secret value (API keys, carrier
 * secrets, Redis passwords), and the `user:secret` pairs carriers are sent as HTTP Basic credentials.
 */
export interface SecretSet {
  readonly values: readonly string[];
  readonly basicPairs: readonly { readonly user: string; readonly secret: string }[];
}

export const REDACTED = '[REDACTED]';

/**
 * A run of at least this many characters of a secret form is redacted even when the rest is missing:
 * carrier messages are cut to a few hundred characters, and a secret cut in half is still half a secret.
 * Twelve characters of a key are far too specific to occur in ordinary text by chance.
 */
const MIN_RUN = 12;
/** Secrets shorter than this are not scrubbed: they would match ordinary words (and are refused as keys anyway). */
const MIN_SECRET = 4;
/** Encoded forms shorter than this (the inner base64 of a short secret) would match ordinary text. */
const MIN_DERIVED = 8;
/**
 * `Bearer <token>` / `Basic <token>` with a token of at least this many characters and a digit is an
 * Authorization header even when the token is not a configured one (Sinch's short-lived access token).
 */
const MIN_SCHEME_TOKEN = 16;

const FORM = 1;
const SCHEME = 2;

/** One way a secret may be written, and how much of it (from its start) is enough to redact. */
interface Form {
  readonly text: string;
  readonly minRun: number;
}

/**
 * The one scrubber every text a caller or a log receives goes through (the logger's write hook and the
 * HTTP send hook). Each secret is looked for in every form a carrier or a serialiser may have turned it
 * into: as is; base64 (alone, at any byte offset inside a longer encoded string, and as the Basic pair a
 * carrier is actually sent); URL-encoded (percent and form encoding, either hex case); JSON-escaped once
 * and twice (a carrier's JSON message, serialised again in our own JSON body or log line); with `\/`.
 *
 * The text is scanned once: a table indexed by each form's first two characters names the few forms that
 * can start at a position, so the cost does not grow with the number of forms (a cache hit's body is
 * scanned in about a microsecond).
 */
export class SecretScrubber {
  /** Forms by the key of their first two characters; each list longest first. */
  private readonly starts = new Map<number, Form[]>();
  /** What may start with each pair of characters (FORM, SCHEME): most positions are passed on one lookup. */
  private readonly pairs = new Uint8Array(65536);
  readonly formCount: number;

  constructor(secrets: SecretSet) {
    // Form → the shortest run of it that is redacted.
    const forms = new Map<string, number>();
    const add = (form: string, minRun: number) => forms.set(form, Math.min(minRun, forms.get(form) ?? minRun));
    for (const value of secrets.values) {
      if (value.length < MIN_SECRET) continue;
      for (const base of [value, ...base64Forms(value)]) {
        for (const form of encodings(base)) if (form.length >= (base === value ? MIN_SECRET : MIN_DERIVED)) add(form, Math.min(form.length, MIN_RUN));
      }
    }
    // A Basic pair is redacted whole (user included) where it appears whole. Its first characters encode
    // the user, which is no secret and turns up elsewhere (in a JWT's subject, say): a cut-off pair is left
    // to the secret's own base64 forms, which match it at whatever offset the user leaves it.
    for (const { user, secret } of secrets.basicPairs) {
      if (secret.length < MIN_SECRET) continue;
      const pair = Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
      for (const base of [pair, ...base64Forms(pair)]) for (const form of encodings(base)) if (form.length >= MIN_DERIVED) add(form, form.length);
      for (const form of encodings(secret)) add(form, Math.min(form.length, MIN_RUN));
      for (const base of base64Forms(secret)) for (const form of encodings(base)) if (form.length >= MIN_DERIVED) add(form, Math.min(form.length, MIN_RUN));
    }
    for (const [text, minRun] of forms) {
      const key = bigram(text, 0);
      const list = this.starts.get(key) ?? [];
      list.push({ text, minRun });
      this.starts.set(key, list);
      this.pairs[key] |= FORM;
    }
    for (const list of this.starts.values()) list.sort((a, b) => b.text.length - a.text.length);
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'BASIC']) this.pairs[bigram(scheme, 0)] |= SCHEME;
    this.formCount = forms.size;
  }

  /** Every secret replaced by [REDACTED]; the same string back when there was none. */
  scrub(text: string): string {
    let out = '';
    let last = 0;
    const n = text.length;
    let prev = text.charCodeAt(0) & 0xff;
    for (let i = 1; i < n; i++) {
      const c = text.charCodeAt(i) & 0xff;
      const key = (prev << 8) | c;
      prev = c;
      const mark = this.pairs[key];
      if (mark === 0) continue;
      // The pair starts at i - 1.
      let start = i - 1;
      let end = mark & FORM ? longestRun(text, start, this.starts.get(key)!) : -1;
      if (end < 0 && mark & SCHEME) {
        // "Bearer " / "Basic ": the scheme stays, the token goes.
        const token = schemeToken(text, start);
        if (token !== undefined) [start, end] = token;
      }
      if (end < 0) continue;
      // A run that starts on an escaped character takes its backslash along, so no lone `\` is left
      // to escape the marker; one that ends on a backslash leaves it to the character it escapes.
      if (start > last && oddBackslashesBefore(text, start, last)) start--;
      while (end > start + 1 && text.charCodeAt(end - 1) === 92) end--;
      out += text.slice(last, start) + REDACTED;
      last = end;
      if (end >= n) break;
      i = end;
      prev = text.charCodeAt(end) & 0xff;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

/** Key of the two characters at i (collisions among non-ASCII characters are resolved by comparing). */
function bigram(text: string, i: number): number {
  return ((text.charCodeAt(i) & 0xff) << 8) | (text.charCodeAt(i + 1) & 0xff);
}

/** End of the longest run at i that is at least the minimum run of a form; -1 if none. */
function longestRun(text: string, i: number, forms: readonly Form[]): number {
  let best = -1;
  for (const { text: form, minRun } of forms) {
    if (form.length <= best - i) break; // longest first: no shorter form can do better
    let k = 0;
    const max = Math.min(form.length, text.length - i);
    while (k < max && text.charCodeAt(i + k) === form.charCodeAt(k)) k++;
    if (k >= minRun) best = Math.max(best, i + k);
  }
  return best;
}

const TOKEN_CHAR = /[A-Za-z0-9._~+/=-]/;

/** [start, end) of the token after "Bearer " or "Basic " at i, when it looks like a credential. */
function schemeToken(text: string, i: number): [number, number] | undefined {
  const scheme = text.startsWith('earer ', i + 1) || text.startsWith('EARER ', i + 1) ? 7 : text.startsWith('asic ', i + 1) || text.startsWith('ASIC ', i + 1) ? 6 : 0;
  if (scheme === 0 || (i > 0 && /[A-Za-z0-9]/.test(text[i - 1]))) return undefined;
  const start = i + scheme;
  let end = start;
  let digit = false;
  while (end < text.length && TOKEN_CHAR.test(text[end])) {
    if (text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) digit = true;
    end++;
  }
  return end - start >= MIN_SCHEME_TOKEN && digit ? [start, end] : undefined;
}

function oddBackslashesBefore(text: string, i: number, floor: number): boolean {
  let count = 0;
  for (let j = i - 1; j >= floor && text.charCodeAt(j) === 92; j--) count++;
  return count % 2 === 1;
}

/**
 * The base64 of s, and the part of the base64 of any longer string that contains s at any byte offset
 * (`Bearer <key>` encoded whole, for instance): the characters that depend on s alone.
 */
function base64Forms(s: string): string[] {
  const bytes = Buffer.from(s, 'utf8');
  const whole = bytes.toString('base64');
  // At offset 0 inside a longer string, only the complete groups are s's alone.
  const out = [whole, whole.slice(0, Math.floor(bytes.length / 3) * 4)];
  for (const offset of [1, 2]) {
    const full = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    out.push(full.slice(4, Math.floor((offset + bytes.length) / 3) * 4));
  }
  return out;
}

/** s as is, URL-encoded and JSON-escaped in the ways carriers and serialisers write it. */
function encodings(s: string): string[] {
  const percent = encodeURIComponent(s);
  const form = new URLSearchParams({ s }).toString().slice(2);
  const lowerHex = (v: string) => v.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
  const json = jsonEscape(s);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [s, percent, lowerHex(percent), form, lowerHex(form), json, jsonEscape(json), asciiJson, json.replace(/\//g, '\\/')];
}

function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
