import { randomUUID } from 'node:crypto';
import { startEmulators } from '../../emulators/index';
import { percentile } from '../lib/load';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { AUTH, keyPrefix, log, serviceEnv } from '../lib/setup';

/** Orders placed, and how many at a time. */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CONCURRENCY = 16;
const AREA_CODES = ['415', '212', '312', '206', '512', '617', '303', '919', '213', '305', '404', '702', '206', '646', '718', '773', '214', '713', '602', '503'];

export interface OrdersResult {
  /** Where the ledger was: PostgreSQL (BENCH_DATABASE_URL) or PGlite in memory. */
  ledger: string;
  carrier: string;
  orders: number;
  concurrency: number;
  ordersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Orders that ended completed (all should). */
  completed: number;
  /** Numbers the carrier was asked to buy more than once (must be 0). */
  boughtTwice: number;
}

/**
 * Order throughput: searched numbers bought from one synchronous carrier (Twilio's emulator, answering at once),
 * CONCURRENCY orders in flight, each a write to the ledger before the purchase and one after it, plus the offer
 * look-up and the order limit in Redis. The ledger is PostgreSQL at BENCH_DATABASE_URL (a database the run may
 * fill), PGlite in memory otherwise. Every order must end completed with one purchase per number.
 */
export async function orders(): Promise<OrdersResult> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const ledger = databaseUrl ? 'PostgreSQL (BENCH_DATABASE_URL)' : 'PGlite in memory';
  log(`6. orders: ${ORDERS} orders from twilio, ${CONCURRENCY} at a time, ledger: ${ledger}`);
  const emulators = await startEmulators({ carriers: ['twilio'] });
  const env = serviceEnv(emulators.env(), {
    REDIS_KEY_PREFIX: keyPrefix('orders'),
    ORDER_CLIENTS: 'bench',
    ORDER_LIMIT_REQUESTS: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const service = await startProcess(SERVICE_MAIN, env, '/health/ready');
  try {
    const numbers = new Set<string>();
    for (const areaCode of AREA_CODES) {
      if (numbers.size >= ORDERS) break;
      const res = await fetch(`${service.url}/numbers/available?countryCode=US&areaCode=${areaCode}&limit=50`, { headers: AUTH });
      const body = (await res.json()) as { numbers: { phoneNumber: string }[] };
      for (const n of body.numbers) numbers.add(n.phoneNumber);
    }
    const queue = [...numbers].slice(0, ORDERS);
    if (queue.length < ORDERS) log(`   only ${queue.length} numbers offered: ordering those`);
    const latencies: number[] = [];
    let completed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let number = queue.pop(); number !== undefined; number = queue.pop()) {
          const t = performance.now();
          const res = await fetch(`${service.url}/numbers/orders`, {
            method: 'POST',
            headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` },
            body: JSON.stringify({ phoneNumber: number }),
          });
          const order = (await res.json()) as { status?: string };
          latencies.push(performance.now() - t);
          if (res.status === 201 && order.status === 'completed') completed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const purchases = Object.values(emulators.purchases('twilio'));
    return {
      ledger,
      carrier: 'twilio',
      orders: latencies.length,
      concurrency: CONCURRENCY,
      ordersPerSecond: latencies.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      completed,
      boughtTwice: purchases.filter((n) => n > 1).length,
    };
  } finally {
    await Promise.all([service.stop(), emulators.close()]);
  }
}
