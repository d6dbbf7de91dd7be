import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * The injection token of this instance's name in the ledger's leases: host, process and a random part, so two
 * instances never share one (not even two applications in one process, as the tests run them).
 */
export const INSTANCE_ID = Symbol('INSTANCE_ID');

export function newInstanceId(): string {
  return `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
