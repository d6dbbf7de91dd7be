import type { OrderingSetup } from '../domain/number-ordering';

/** An enabled carrier as ordering sees it: whether it can take orders here, and how. */
export interface OrderingCarrier {
  readonly name: string;
  readonly setup: OrderingSetup;
}

/**
 * The injection token of the enabled carriers' ordering (OrderingCarrier[], highest priority first), bound by the
 * composition (src/app) from each carrier definition's createOrdering.
 */
export const ORDERING_CARRIERS = Symbol('ORDERING_CARRIERS');

/**
 * The injection token of every registered carrier's name (src/providers/registry.ts), enabled or not: what an
 * order's `provider` may name, bound by the composition.
 */
export const KNOWN_PROVIDERS = Symbol('KNOWN_PROVIDERS');
