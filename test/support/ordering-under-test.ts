import { randomUUID } from 'node:crypto';
import { ConfigProblemList } from '../../src/config/config-problems';
import type { CarrierOrderState, NumberOrdering, OrderingSetup, PlacedOrder, PurchaseContext } from '../../src/domain/number-ordering';
import { ProviderHttpClient } from '../../src/providers/http/provider-http-client';
import type { Env } from '../../src/config/env';
import type { ProviderDefinition } from '../../src/providers/provider-definition';

/**
 * Builds a carrier's ordering adapter exactly as the service will (its definition reading the environment,
 * the shared HTTP client), pointed at an emulator through the environment only.
 */
export function orderingSetupFromEnv(definition: ProviderDefinition<any>, env: Env): OrderingSetup {
  const problems = new ConfigProblemList();
  const config = definition.readConfig(env, problems);
  if (!problems.empty) throw new Error(`configuration problems: ${problems.lines().join('; ')}`);
  if (config === undefined) throw new Error(`${definition.name} is not enabled by this environment`);
  if (!definition.createOrdering) throw new Error(`${definition.name} has no ordering`);
  return definition.createOrdering(config, { http: ProviderHttpClient.create().forProvider(definition.name) });
}

export function createOrderingFromEnv(definition: ProviderDefinition<any>, env: Env): NumberOrdering {
  const setup = orderingSetupFromEnv(definition, env);
  if (!setup.available) throw new Error(`${definition.name} cannot order: ${setup.reason}`);
  return setup.ordering;
}

/** A purchase context with a fresh order id (a UUID, as the orders service makes them). */
export function purchaseCtx(signal: AbortSignal = new AbortController().signal, orderId: string = randomUUID()): PurchaseContext {
  return { signal, trackingId: 'test-tracking-id', orderId };
}

export function callCtx(signal: AbortSignal = new AbortController().signal) {
  return { signal, trackingId: 'test-tracking-id' };
}

/** What the orders service would remember of a purchase. */
export function placed(phoneNumber: string, ctx: PurchaseContext, state?: CarrierOrderState): PlacedOrder {
  const providerOrderId = state && 'providerOrderId' in state ? state.providerOrderId : undefined;
  return { phoneNumber, orderId: ctx.orderId, ...(providerOrderId ? { providerOrderId } : {}) };
}

/**
 * Follows an order with status() until it leaves `pending` (the emulators settle orders when asked), for at most
 * `withinMs`: orders scripted to take a while are followed as long as they take, on a slow machine too.
 */
export async function settled(ordering: NumberOrdering, order: PlacedOrder, withinMs = 10_000): Promise<CarrierOrderState> {
  const giveUpAt = Date.now() + withinMs;
  let state = await ordering.status(order, callCtx());
  while (state.state === 'pending' && Date.now() < giveUpAt) {
    await new Promise((r) => setTimeout(r, 25));
    state = await ordering.status({ ...order, providerOrderId: state.providerOrderId }, callCtx());
  }
  return state;
}
