import { randomUUID } from 'node:crypto';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, OTHER_KEY, startApp, type RunningApp } from '../support/app';
import { postgresBackend, type LedgerBackend } from '../support/ledger';
import { ordersApi, purchasesOf, searchedNumber, searchedNumbers } from '../support/orders';
import { deletePrefix, eventually, SHARED_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * Two instances of the service sharing one PostgreSQL ledger and one Redis (a prefix of this file's own), as a
 * deployment runs them: offers made on one can be ordered on the other, a number is bought once whichever
 * instances race for it, and a bought number leaves both instances' searches, cached and memoised ones included.
 */
const prefix = uniquePrefix('orders-instances');
const CRM = { authorization: `Bearer ${OTHER_KEY}` };
const QUERY = 'countryCode=US&areaCode=415&limit=5';
let db: LedgerBackend;
let emu: EmulatorServer;
let a: RunningApp;
let b: RunningApp;

beforeAll(async () => {
  db = await postgresBackend('orders_instances');
  emu = await startEmulators({ carriers: ['twilio'] });
  const env = baseEnv({
    ...emu.env(),
    ...db.env,
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    ORDER_CLIENTS: 'billing,crm',
    ORDER_LIMIT_REQUESTS: '0',
    CIRCUIT_BREAKER_THRESHOLD: '1000',
  });
  [a, b] = await Promise.all([startApp(env), startApp(env)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await emu?.close();
  await db?.cleanup();
  await deletePrefix(prefix);
});

it('orders on one instance a number a search offered on the other', async () => {
  const number = await searchedNumber(a, QUERY);
  const placed = await ordersApi(b).place({ phoneNumber: number }, `inst-${randomUUID()}`);
  expect(placed.body).toMatchObject({ status: 'completed', provider: 'twilio' });
  // Either instance reads it.
  expect((await ordersApi(a).get(placed.body.id)).body.status).toBe('completed');
});

it('lets one of two instances racing for a number buy it: the other order fails with number_unavailable; one purchase', async () => {
  for (let round = 0; round < 5; round++) {
    const number = await searchedNumber(a, QUERY);
    const [x, y] = await Promise.all([
      ordersApi(a).place({ phoneNumber: number }, `race-a-${randomUUID()}`),
      ordersApi(b).place({ phoneNumber: number }, `race-b-${randomUUID()}`, CRM),
    ]);
    expect({ round, statuses: [x.body.status, y.body.status].sort() }).toEqual({ round, statuses: ['completed', 'failed'] });
    expect([x, y].find((o) => o.body.status === 'failed')!.body.error.code).toBe('number_unavailable');
    expect({ round, purchases: purchasesOf(emu, 'twilio', number) }).toEqual({ round, purchases: 1 });
  }
});

it('takes a bought number out of both instances\' searches at once, cached and memoised answers included', async () => {
  const before = await searchedNumbers(a, QUERY, { 'cache-control': 'no-cache' });
  // Both instances now hold the answer in the shared cache and in their own memo of serialised answers.
  for (const app of [a, b]) {
    const res = await fetch(`${app.url}/numbers/available?${QUERY}`, { headers: app.authHeaders });
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(((await res.json()) as { numbers: { phoneNumber: string }[] }).numbers.map((n) => n.phoneNumber)).toEqual(before);
  }
  const number = before[0];
  const bought = await ordersApi(a).place({ phoneNumber: number }, `gone-${randomUUID()}`);
  expect(bought.body.status).toBe('completed');
  expect(await searchedNumbers(a, QUERY)).not.toContain(number);
  // B hears it over Redis (a message, not a timer): it is gone there as soon as the message lands.
  expect(await eventually(async () => !(await searchedNumbers(b, QUERY)).includes(number), 100, 20)).toBe(true);
  expect(await searchedNumbers(b, QUERY, { 'cache-control': 'no-cache' })).not.toContain(number);
});

it('counts each client\'s orders across instances against ORDER_LIMIT_REQUESTS, apart from its searches', async () => {
  // The limit is per deployment (in Redis), so it is checked with apps configured alike but limited.
  const limited = baseEnv({
    ...emu.env(),
    ...db.env,
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}-limit`,
    ORDER_CLIENTS: 'billing',
    ORDER_LIMIT_REQUESTS: '2',
    ORDER_LIMIT_WINDOW_SECONDS: '3600',
    USAGE_LIMIT_REQUESTS: '1000',
  });
  const [c, d] = await Promise.all([startApp(limited), startApp(limited)]);
  try {
    const numbers = await searchedNumbers(c, QUERY, { 'cache-control': 'no-cache' });
    const first = await ordersApi(c).place({ phoneNumber: numbers[0] }, `lim-${randomUUID()}`);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    const k = `lim-${randomUUID()}`;
    expect((await ordersApi(d).place({ phoneNumber: numbers[1] }, k)).status).toBe(201);
    // A replay is not a new order: it does not count.
    expect((await ordersApi(c).place({ phoneNumber: numbers[1] }, k)).status).toBe(200);
    const third = await ordersApi(c).place({ phoneNumber: numbers[2] }, `lim-${randomUUID()}`);
    expect(third.status).toBe(402);
    expect(third.body.error).toMatchObject({ code: 'usage_limit_exceeded', fix: expect.stringContaining('ORDER_LIMIT_REQUESTS') });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(purchasesOf(emu, 'twilio', numbers[2])).toBe(0);
    // Searches are counted apart.
    expect((await fetch(`${c.url}/numbers/available?${QUERY}`, { headers: c.authHeaders })).status).toBe(200);
  } finally {
    await Promise.all([c.close(), d.close()]);
    await deletePrefix(`${prefix}-limit`);
  }
});

