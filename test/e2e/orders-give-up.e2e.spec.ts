import { randomUUID } from 'node:crypto';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from '../support/app';
import { ordersApi, purchasesOf, searchedNumber, searchedNumbers } from '../support/orders';
import { eventually } from '../support/redis';

/**
 * What the reconciler decides when the carrier never settles an order, with ORDER_GIVE_UP_SECONDS shortened to
 * 3 s (which shortens the grace for "no record" to half of it): a lost purchase the carrier has no trace of is
 * failed as nothing bought, never purchased again; an order the carrier never finishes is given up, saying what
 * to check at the carrier. On PGlite in memory, as `npm run demo` runs.
 */
let emu: EmulatorServer;
let app: RunningApp;

beforeAll(async () => {
  emu = await startEmulators({ carriers: ['twilio', 'telnyx'] });
  app = await startApp(baseEnv({ ...emu.env(), ORDER_CLIENTS: 'billing', ORDER_GIVE_UP_SECONDS: '3', PROVIDER_PRIORITY: 'twilio,telnyx', CIRCUIT_BREAKER_THRESHOLD: '1000' }));
});
afterAll(async () => {
  await app?.close();
  await emu?.close();
});

function onlySearches(carrier: 'twilio' | 'telnyx'): void {
  const other = carrier === 'twilio' ? 'telnyx' : 'twilio';
  emu.setBehaviour(other, { fault: { type: 'error', status: 500 }, faultOn: ['search'] });
  emu.setBehaviour(carrier, { fault: { type: 'none' } });
}

it('fails a purchase whose answer was lost and that the carrier has no record of, once the grace is over; never buys it again', async () => {
  onlySearches('twilio');
  const number = await searchedNumber(app, 'countryCode=US&areaCode=415&limit=5');
  // The connection breaks before Twilio acts on the purchase.
  emu.setBehaviour('twilio', { fault: { type: 'reset' }, faultOn: ['purchase'] });
  const api = ordersApi(app);
  const placed = await api.place({ phoneNumber: number }, `lost-${randomUUID()}`);
  expect(placed.body.status).toBe('unknown');
  expect(await searchedNumbers(app, 'countryCode=US&areaCode=415&limit=5', { 'cache-control': 'no-cache' })).not.toContain(number);
  const done = await api.settled(placed.body.id, 20_000);
  expect(done.body).toMatchObject({
    status: 'failed',
    error: { code: 'carrier_error', message: expect.stringContaining('The carrier has no record of this purchase; nothing was bought'), fix: expect.stringContaining('new Idempotency-Key') },
  });
  expect(emu.requests('twilio').filter((r) => r.operation === 'purchase')).toHaveLength(1);
  expect(emu.requests('twilio').filter((r) => r.operation === 'lookup').length).toBeGreaterThan(1);
  expect(purchasesOf(emu, 'twilio', number)).toBe(0);
  // Nothing holds the number any more: it is offered again.
  emu.setBehaviour('twilio', { fault: { type: 'none' } });
  expect(await searchedNumbers(app, 'countryCode=US&areaCode=415&limit=5', { 'cache-control': 'no-cache' })).toContain(number);
});

it('gives up an order the carrier never finishes after ORDER_GIVE_UP_SECONDS, saying what to check', async () => {
  onlySearches('telnyx');
  emu.setBehaviour('telnyx', { options: { orderDelayMs: 600_000 } });
  const number = await searchedNumber(app, 'countryCode=US&areaCode=312&limit=5');
  const api = ordersApi(app);
  const placed = await api.place({ phoneNumber: number }, `slow-${randomUUID()}`);
  expect(placed.body).toMatchObject({ status: 'pending', providerOrderId: expect.any(String) });
  const done = await api.settled(placed.body.id, 20_000);
  expect(done.body).toMatchObject({
    status: 'failed',
    providerOrderId: placed.body.providerOrderId,
    error: { code: 'carrier_error', message: expect.stringContaining('ORDER_GIVE_UP_SECONDS'), fix: expect.stringContaining(placed.body.providerOrderId) },
  });
  expect(purchasesOf(emu, 'telnyx', number)).toBe(1);
});

it('stops the reconciler cleanly with the application', async () => {
  const other = await startApp(baseEnv({ ...emu.env(), ORDER_CLIENTS: 'billing' }));
  await other.close();
  // nestjs-pino's injected loggers write to the stream of one of the applications a process holds.
  expect(await eventually(() => [...app.logs, ...other.logs].some((l) => l.msg === 'order reconciler stopped'))).toBe(true);
});

it('fails an order for a number only a carrier that cannot order here offered, saying what is missing, without calling it', async () => {
  const bw = await startEmulators({ carriers: ['bandwidth'] });
  const { BANDWIDTH_SITE_ID: _siteId, ...withoutSite } = bw.env();
  const noSite = await startApp(baseEnv({ ...withoutSite, ORDER_CLIENTS: 'billing' }));
  try {
    const number = await searchedNumber(noSite, 'countryCode=US&areaCode=919&limit=5');
    const placed = await ordersApi(noSite).place({ phoneNumber: number }, `bw-${randomUUID()}`);
    expect(placed).toMatchObject({
      status: 201,
      body: { status: 'failed', provider: 'bandwidth', error: { code: 'invalid_request', message: expect.stringContaining('BANDWIDTH_SITE_ID'), fix: expect.any(String) } },
    });
    expect(bw.requests('bandwidth').filter((r) => r.operation === 'purchase')).toHaveLength(0);
  } finally {
    await noSite.close();
    await bw.close();
  }
});
