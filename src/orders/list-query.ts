import { ORDER_STATUSES, type OrderStatus } from '../domain/order';
import { AppError } from '../errors/app-error';
import type { ParameterProblem } from '../errors/error-envelope';

/** GET /numbers/orders, once checked. */
export interface ListQuery {
  readonly status?: OrderStatus;
  readonly limit: number;
  /** The ledger's position after which the page starts. */
  readonly after?: string;
}

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;
const NAMES = ['status', 'limit', 'cursor'] as const;
const CURSOR_VERSION = 'o1';

/** The cursor of the page after `position`: opaque to callers, read back only by readCursor. */
export function cursorAfter(position: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${position}`, 'utf8').toString('base64url');
}

function readCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  const m = /^o1:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m?.[1];
}

/** Checks the query of GET /numbers/orders as strictly as the search's: unknown or repeated parameters are refused. */
export function checkListQuery(query: Record<string, unknown>): ListQuery {
  const problems: ParameterProblem[] = [];
  for (const name of Object.keys(query)) {
    if ((NAMES as readonly string[]).includes(name)) {
      if (typeof query[name] !== 'string') problems.push({ parameter: name, message: `${name} was sent more than once.`, fix: `Send ${name} once.` });
      continue;
    }
    const shown = JSON.stringify(name.slice(0, 40));
    const guess = NAMES.find((n) => n === name.toLowerCase());
    problems.push({
      parameter: name.slice(0, 40),
      message: `Unknown query parameter ${shown}.`,
      fix: guess ? `Did you mean ${guess}? Rename ${shown} to ${guess}.` : `Remove ${shown}; the accepted parameters are ${NAMES.join(', ')}.`,
    });
  }
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const status = text('status');
  if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status)) {
    problems.push({
      parameter: 'status',
      message: `status must be one of ${ORDER_STATUSES.join(', ')}, got ${JSON.stringify(status.slice(0, 40))}.`,
      fix: `Send status=${ORDER_STATUSES.find((s) => s === status.trim().toLowerCase()) ?? 'completed'}, or leave it out for orders in every state.`,
    });
  }
  const rawLimit = text('limit');
  let limit = LIST_LIMIT_DEFAULT;
  if (rawLimit !== undefined) {
    if (/^[1-9]\d{0,2}$/.test(rawLimit) && Number(rawLimit) <= LIST_LIMIT_MAX) limit = Number(rawLimit);
    else {
      problems.push({
        parameter: 'limit',
        message: `limit must be a whole number from 1 to ${LIST_LIMIT_MAX} in plain digits, got ${JSON.stringify(rawLimit.slice(0, 40))}.`,
        fix: `Send limit=${LIST_LIMIT_DEFAULT} (the default) or another number up to ${LIST_LIMIT_MAX}.`,
      });
    }
  }
  const cursor = text('cursor');
  const after = cursor === undefined ? undefined : readCursor(cursor);
  if (cursor !== undefined && after === undefined) {
    problems.push({
      parameter: 'cursor',
      message: 'cursor is not one this service gave out.',
      fix: 'Send the nextCursor of the previous page exactly as it came, or leave cursor out to start from the newest order.',
    });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    const message = shown.length === 1 ? shown[0].message : `${shown.length} query parameters are invalid: ${shown.map((p) => p.message).join(' ')}`;
    throw new AppError('validation_error', message, { fix: shown.map((p) => p.fix).join(' '), details: shown });
  }
  return { ...(status !== undefined ? { status: status as OrderStatus } : {}), limit, ...(after !== undefined ? { after } : {}) };
}
