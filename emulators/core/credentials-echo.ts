import type { EmuRequest } from './carrier';

/** The encodings a hostile or careless carrier writes received credentials back in. */
export const ECHO_FORMS = ['raw', 'base64', 'url', 'json'] as const;
export type EchoForm = (typeof ECHO_FORMS)[number];

/** Query and form fields that carry credentials (Vonage api_key/api_secret, OAuth client_secret, tokens). */
export const CREDENTIAL_FIELD = /key|secret|token|password|passwd|auth|sid|client_id|signature/i;

/**
 * Every credential a request carried, as received: the Authorization header, the user:password inside a
 * Basic one, the token of a Bearer one, and query or form fields named like credentials.
 */
export function receivedCredentials(req: EmuRequest): string[] {
  const out: string[] = [];
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    out.push(authorization);
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    if (/^basic$/i.test(scheme)) out.push(Buffer.from(value, 'base64').toString('utf8'));
    if (/^bearer$/i.test(scheme)) out.push(value);
  }
  for (const [name, value] of req.query) if (CREDENTIAL_FIELD.test(name)) out.push(`${name}=${value}`);
  if (req.body !== '' && !req.body.trimStart().startsWith('{')) {
    for (const [name, value] of new URLSearchParams(req.body)) if (CREDENTIAL_FIELD.test(name)) out.push(`${name}=${value}`);
  }
  return out;
}

/**
 * The text of the echo_credentials fault: each received credential in each requested form, e.g.
 * `invalid credentials: raw=Bearer KEY…; base64=QmVhcmVy…; url=Bearer%20KEY…; json="Bearer KEY…"`.
 */
export function echoText(credentials: readonly string[], forms: readonly EchoForm[]): string {
  const encode = (value: string, form: EchoForm): string => {
    switch (form) {
      case 'raw':
        return value;
      case 'base64':
        return Buffer.from(value, 'utf8').toString('base64');
      case 'url':
        return encodeURIComponent(value);
      case 'json':
        return JSON.stringify(value);
      default: {
        const never: never = form;
        return never;
      }
    }
  };
  const parts = forms.map((form) => `${form}=${credentials.map((c) => encode(c, form)).join(' ')}`);
  return `invalid credentials: ${parts.join('; ') || 'none received'}`;
}
