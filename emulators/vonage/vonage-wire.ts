import { randomBytes } from 'node:crypto';
import { type EmuRequest, type EmuResponse, json, readBasic } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';

/** What every Vonage Numbers answer carries (docs/carriers/vonage-plivo-bandwidth-signalwire-sinch.md §1.1). */
export function headers(): Record<string, string> {
  return {
    'content-type': 'application/json;charset=UTF-8',
    'content-disposition': 'attachment; filename="api.txt"',
    'x-nexmo-trace-id': randomBytes(16).toString('hex'),
  };
}

/** `{"error-code": "<status>", "error-code-label": label}`, the code a string (§1.4). */
export function error(status: number, label: string, extra: Record<string, string> = {}): EmuResponse {
  return json(status, { 'error-code': String(status), 'error-code-label': label }, { ...headers(), ...extra });
}

/**
 * Basic `api_key:api_secret` (the current spec), or the older spec's `api_key`/`api_secret` parameters (§1.1):
 * in the query, or in a POST's form body, where the older SDKs put them.
 */
export function authorised(req: EmuRequest, creds: Readonly<Record<string, string>>, form?: URLSearchParams): boolean {
  const basic = readBasic(req.headers);
  if (basic) return basic.user === creds.apiKey && basic.password === creds.apiSecret;
  const key = req.query.get('api_key') ?? form?.get('api_key');
  const secret = req.query.get('api_secret') ?? form?.get('api_secret');
  return key === creds.apiKey && secret === creds.apiSecret;
}

/** Vonage's `type` of a number (§1.2); NANP long codes carry `nanpLocalType` (an option of the emulator). */
export function vonageType(n: InventoryNumber, nanpLocalType: string): string | undefined {
  switch (n.type) {
    case 'local':
      return n.callingCode === '1' ? nanpLocalType : 'landline';
    case 'mobile':
      return 'mobile-lvn';
    case 'toll_free':
      return 'landline-toll-free';
    case 'national':
      return undefined; // Vonage has no national type: such numbers are not held.
    default: {
      const never: never = n.type;
      return never;
    }
  }
}
