import { E164 } from '../domain/e164';
import { AppError } from '../errors/app-error';
import type { ParameterProblem } from '../errors/error-envelope';

/** What an order request says, once checked. */
export interface OrderRequest {
  readonly idempotencyKey: string;
  readonly phoneNumber: string;
  readonly provider?: string;
}

/** The Idempotency-Key the contract accepts. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:-]{1,255}$/;

const FIELDS = ['phoneNumber', 'provider'] as const;
const KEY_FIX =
  'Send an Idempotency-Key header of 1 to 255 characters of A-Z, a-z, 0-9, "_", ":" and "-" (a UUID will do): a new one for each number you mean to buy, the same one when you retry that purchase.';

/**
 * Checks a POST /numbers/orders request: the Idempotency-Key header and a JSON object body with phoneNumber
 * (E.164, as a search returned it) and, optionally, provider (one of `providers`). Every problem is reported at
 * once, each with what to send instead; a property the contract does not name is refused (a typo must not be
 * ignored when money is spent).
 */
export function checkOrderRequest(body: unknown, idempotencyKey: string | string[] | undefined, providers: readonly string[]): OrderRequest {
  const problems: ParameterProblem[] = [];
  const key = typeof idempotencyKey === 'string' ? idempotencyKey : undefined;
  if (idempotencyKey === undefined) {
    problems.push({ parameter: 'Idempotency-Key', message: 'The Idempotency-Key header is missing.', fix: KEY_FIX });
  } else if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
    const shown = key === undefined ? 'several values' : JSON.stringify(key.slice(0, 40)) + (key.length > 40 ? '…' : '');
    problems.push({ parameter: 'Idempotency-Key', message: `The Idempotency-Key header must be 1 to 255 characters of [A-Za-z0-9_:-], got ${shown}.`, fix: KEY_FIX });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push({
      parameter: 'body',
      message: `The request body must be a JSON object, got ${body === undefined ? 'no body' : Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`}.`,
      fix: 'Send Content-Type: application/json with a body such as {"phoneNumber":"+14155550123"}.',
    });
    throw refusal(problems);
  }
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if ((FIELDS as readonly string[]).includes(name)) continue;
    const guess = FIELDS.find((f) => simplified(f) === simplified(name));
    const shown = JSON.stringify(name.slice(0, 40));
    problems.push({
      parameter: name.slice(0, 40),
      message: `Unknown property ${shown}.`,
      fix: guess ? `Did you mean ${guess}? Rename ${shown} to "${guess}".` : `Remove ${shown}; an order takes phoneNumber and, optionally, provider.`,
    });
  }
  const phoneNumber = checkPhoneNumber(fields.phoneNumber, problems);
  const provider = checkProvider(fields.provider, providers, problems);
  if (problems.length > 0 || key === undefined || phoneNumber === undefined) throw refusal(problems);
  return { idempotencyKey: key, phoneNumber, ...(provider !== undefined ? { provider } : {}) };
}

function checkPhoneNumber(value: unknown, problems: ParameterProblem[]): string | undefined {
  if (value === undefined) {
    problems.push({ parameter: 'phoneNumber', message: 'phoneNumber is required.', fix: 'Send the number to buy as a search returned it, e.g. {"phoneNumber":"+14155550123"}.' });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ parameter: 'phoneNumber', message: `phoneNumber must be a string, got ${describe(value)}.`, fix: 'Send it as a JSON string in E.164, e.g. "+14155550123".' });
    return undefined;
  }
  if (E164.test(value)) return value;
  const digits = value.replace(/[\s().-]/g, '');
  const repaired = /^\+?[1-9]\d{6,14}$/.test(digits) ? `+${digits.replace(/^\+/, '')}` : undefined;
  problems.push({
    parameter: 'phoneNumber',
    message: `phoneNumber must be E.164 ("+", the country code, then the number: 7 to 15 digits in all), got ${JSON.stringify(value.slice(0, 40))}.`,
    fix: repaired ? `Send "${repaired}", exactly as the search returned it.` : 'Send the number exactly as the search returned it, e.g. "+14155550123".',
  });
  return undefined;
}

function checkProvider(value: unknown, providers: readonly string[], problems: ParameterProblem[]): string | undefined {
  if (value === undefined) return undefined;
  const list = providers.join(', ');
  if (typeof value !== 'string') {
    problems.push({ parameter: 'provider', message: `provider must be a string, got ${describe(value)}.`, fix: `Send one of ${list}, or leave provider out.` });
    return undefined;
  }
  if (providers.includes(value)) return value;
  const guess = providers.find((p) => p === value.trim().toLowerCase());
  problems.push({
    parameter: 'provider',
    message: `provider must be one of ${list}, got ${JSON.stringify(value.slice(0, 40))}.`,
    fix: guess ? `Send "${guess}" (lower case).` : 'Leave provider out to buy from the carrier that offered the number, or name one of them.',
  });
  return undefined;
}

function refusal(problems: ParameterProblem[]): AppError {
  const shown = problems.slice(0, 10);
  const message = shown.length === 1 ? shown[0].message : `${shown.length} problems with the order request: ${shown.map((p) => p.message).join(' ')}`;
  return new AppError('validation_error', message, { fix: shown.map((p) => p.fix).join(' '), details: shown });
}

function simplified(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
