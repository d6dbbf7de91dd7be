import type { EmuResponse } from '../core/carrier';

/** XML pieces Bandwidth's search and its orders share (vonage-…-sinch.md §3; ordering.md §5). */
export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export const el = (name: string, value: string | number) => `<${name}>${esc(String(value))}</${name}>`;

/** An XML answer, with the `<?xml …?>` prolog unless options.xmlDeclaration is false. */
export function xml(status: number, body: string, options: Record<string, unknown>): EmuResponse {
  const prolog = options.xmlDeclaration === false ? '' : '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  return { status, headers: { 'content-type': 'application/xml' }, body: prolog + body };
}

export const empty = (status: number, headers: Record<string, string> = {}): EmuResponse => ({ status, headers, body: '' });

/** The 401: an empty body with WWW-Authenticate (the body is unverified, see the emulator's header). */
export const UNAUTHORIZED = () => empty(401, { 'www-authenticate': 'Basic realm="Bandwidth Dashboard API"' });
