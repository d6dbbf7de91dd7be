import { randomUUID } from 'node:crypto';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, OTHER_KEY, startApp, TEST_KEY, type RunningApp } from '../support/app';
import { postgresBackend, type LedgerBackend } from '../support/ledger';
import { ordersApi, purchasesOf, searchedNumber, searchedNumbers, type OrdersApi } from '../support/orders';

/**
 * The orders API's contract, with one synchronous carrier (Twilio) and one asynchronous one (Telnyx) behind it
 * and the ledger in a PostgreSQL database of this file's own: who may order, what a request must look like,
 * idempotency, the one holder of a number, reading and paging, the order limit, and every answer's envelope.
 */
const CRM = { authorization: `Bearer ${OTHER_KEY}` };
const TWILIO_QUERY = 'countryCode=US&areaCode=415&limit=10';
const key = () => `api-${randomUUID()}`;

let db: LedgerBackend;
let emu: EmulatorServer;
let app: RunningApp;
let api: OrdersApi;

beforeAll(async () => {
  db = await postgresBackend('orders_api');
  emu = await startEmulators({ carriers: ['twilio', 'telnyx'] });
  app = await startApp(
    baseEnv({
      ...emu.env(),
      ...db.env,
      API_KEYS: `billing:${TEST_KEY},crm:${OTHER_KEY},reports:k_test_reports_000001`,
      ORDER_CLIENTS: 'billing,crm',
      ORDER_LIMIT_REQUESTS: '0',
      PROVIDER_PRIORITY: 'twilio,telnyx',
      CIRCUIT_BREAKER_THRESHOLD: '1000',
    }),
  );
  api = ordersApi(app);
});
afterAll(async () => {
  await app?.close();
  await emu?.close();
  await db?.cleanup();
});
/** Telnyx answers no search unless a test says so: every number searched is Twilio's offer alone. */
function onlyTwilioSearches(): void {
  emu.setBehaviour('telnyx', { options: { orderDelayMs: 300 }, fault: { type: 'error', status: 500 }, faultOn: ['search'] });
  emu.setBehaviour('twilio', { fault: { type: 'none' } });
}

beforeEach(() => {
  emu.reset();
  onlyTwilioSearches();
});

describe('who may order', () => {
  it('refuses a client ORDER_CLIENTS does not name, on every operation, with a fix naming the variable', async () => {
    const reports = { authorization: 'Bearer k_test_reports_000001' };
    const number = await searchedNumber(app, TWILIO_QUERY);
    for (const answer of [
      await api.place({ phoneNumber: number }, key(), reports),
      await api.list('', reports),
      await api.get(randomUUID(), reports),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('"reports"'), fix: expect.stringContaining('ORDER_CLIENTS') });
    }
    expect(emu.requests('twilio').filter((r) => r.operation === 'purchase')).toHaveLength(0);
  });

  it('answers 401 before anything else to a request without a key', async () => {
    const res = await fetch(`${app.url}/numbers/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
});

describe('what an order request must be', () => {
  it.each([
    ['no Idempotency-Key', { phoneNumber: '+14155550100' }, {}, 'Idempotency-Key', /missing/],
    ['an Idempotency-Key with a space', { phoneNumber: '+14155550100' }, { 'idempotency-key': 'two words' }, 'Idempotency-Key', /\[A-Za-z0-9_:-\]/],
    ['an Idempotency-Key over 255 characters', { phoneNumber: '+14155550100' }, { 'idempotency-key': 'k'.repeat(256) }, 'Idempotency-Key', /1 to 255/],
    ['a number with spaces', { phoneNumber: '+1 415 555 0100' }, {}, 'phoneNumber', /E\.164/],
    ['a number without +', { phoneNumber: '14155550100' }, {}, 'phoneNumber', /E\.164/],
    ['a number as a JSON number', { phoneNumber: 14155550100 }, {}, 'phoneNumber', /must be a string/],
    ['no number', { provider: 'twilio' }, {}, 'phoneNumber', /required/],
    ['an unknown provider', { phoneNumber: '+14155550100', provider: 'acme' }, {}, 'provider', /must be one of/],
    ['a provider in upper case', { phoneNumber: '+14155550100', provider: 'TWILIO' }, {}, 'provider', /must be one of/],
    ['an unknown property', { phoneNumber: '+14155550100', quantity: 2 }, {}, 'quantity', /Unknown property/],
    ['a misspelt property', { phone_number: '+14155550100' }, {}, 'phone_number', /Unknown property/],
    ['an array', [{ phoneNumber: '+14155550100' }], {}, 'body', /JSON object/],
    ['a JSON string', '"+14155550100"', {}, 'body', /JSON object/],
    ['null', 'null', {}, 'body', /JSON object/],
  ])('refuses %s with 400, the problem in details and a fix', async (_label, body, headers, parameter, message) => {
    const sent: Record<string, string> = _label === 'no Idempotency-Key' ? headers : { 'idempotency-key': key(), ...headers };
    const res = await fetch(`${app.url}/numbers/orders`, {
      method: 'POST',
      headers: { ...app.authHeaders, 'content-type': 'application/json', ...sent },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await res.json()) as { error: { code: string; fix: string; details: { parameter: string; message: string; fix: string }[] } };
    expect(res.status).toBe(400);
    expect(answer.error.code).toBe('validation_error');
    const problem = answer.error.details.find((d) => d.parameter === parameter);
    expect(problem).toMatchObject({ message: expect.stringMatching(message), fix: expect.any(String) });
    expect(answer.error.fix).toContain(problem!.fix);
  });

  it('names the fix of a near miss: the property to rename, the number to send, the provider in lower case', async () => {
    const answer = await api.place({ phone_number: '+1 (415) 555-0100', provider: 'Twilio' }, key());
    expect(answer.status).toBe(400);
    expect(answer.body.error.fix).toContain('Rename "phone_number" to "phoneNumber"');
    expect(answer.body.error.fix).toContain('Send "twilio" (lower case)');
    const spaced = await api.place({ phoneNumber: '+1 (415) 555-0100' }, key());
    expect(spaced.body.error.fix).toContain('Send "+14155550100"');
  });

  it('refuses a request without the header whatever its body, listing both problems', async () => {
    const res = await fetch(`${app.url}/numbers/orders`, { method: 'POST', headers: { ...app.authHeaders, 'content-type': 'application/json' }, body: '{"phoneNumber":"0"}' });
    const answer = (await res.json()) as { error: { details: { parameter: string }[] } };
    expect(res.status).toBe(400);
    expect(answer.error.details.map((d) => d.parameter)).toEqual(['Idempotency-Key', 'phoneNumber']);
  });

  it.each([
    ['text/plain', 'phoneNumber=+14155550100', 415],
    ['application/x-www-form-urlencoded', 'phoneNumber=%2B14155550100', 415],
    ['application/xml', '<order/>', 415],
    ['application/json', '{"phoneNumber": ', 400],
    ['application/json', '{"__proto__": {"admin": true}, "phoneNumber": "+14155550100"}', 400],
  ])('answers a %s body %j with the envelope (%i), never a 500', async (type, body, status) => {
    const res = await fetch(`${app.url}/numbers/orders`, { method: 'POST', headers: { ...app.authHeaders, 'content-type': type, 'idempotency-key': key() }, body });
    const answer = (await res.json()) as { trackingId: string; error: { code: string; fix: string } };
    expect(res.status).toBe(status);
    expect(answer.error).toMatchObject({ code: 'validation_error', fix: expect.any(String) });
    expect(answer.trackingId).toBe(res.headers.get('x-tracking-id'));
  });

  it('answers a body over 16 KiB with a 413 envelope', async () => {
    const res = await fetch(`${app.url}/numbers/orders`, {
      method: 'POST',
      headers: { ...app.authHeaders, 'content-type': 'application/json', 'idempotency-key': key() },
      body: JSON.stringify({ phoneNumber: '+14155550100', pad: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_error');
  });
});

describe('offers', () => {
  it('refuses a number no recent search offered: 409 number_not_offered, the fix saying to search first', async () => {
    const answer = await api.place({ phoneNumber: '+14155550199' }, key());
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'number_not_offered', fix: expect.stringContaining('Search first') });
    expect(emu.requests('twilio').filter((r) => r.operation === 'purchase')).toHaveLength(0);
  });

  it('refuses a provider that did not offer the number, naming the one that did', async () => {
    const number = await searchedNumber(app, TWILIO_QUERY);
    const answer = await api.place({ phoneNumber: number, provider: 'telnyx' }, key());
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'number_not_offered', message: expect.stringContaining('offered by twilio'), provider: 'telnyx', fix: expect.stringContaining('twilio') });
    expect((await api.place({ phoneNumber: number, provider: 'twilio' }, key())).body.status).toBe('completed');
  });
});

describe('idempotency and the one holder of a number', () => {
  it('replays the same key and body (200, same order), refuses the same key with another body (409), across clients apart', async () => {
    const [a, b] = [await searchedNumber(app, TWILIO_QUERY, 0), await searchedNumber(app, TWILIO_QUERY, 1)];
    const k = key();
    const first = await api.place({ phoneNumber: a }, k);
    expect(first).toMatchObject({ status: 201, body: { status: 'completed', provider: 'twilio', providerOrderId: expect.stringMatching(/^PN/) } });
    expect((await api.place({ phoneNumber: a }, k)).body.id).toBe(first.body.id);
    const other = await api.place({ phoneNumber: b }, k);
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'idempotency_conflict', message: expect.stringContaining(first.body.id), fix: expect.stringContaining('new Idempotency-Key') });
    const pinned = await api.place({ phoneNumber: a, provider: 'twilio' }, k);
    expect(pinned.body.error.code).toBe('idempotency_conflict');
    // The same key is another client's own key.
    const crm = await api.place({ phoneNumber: b }, k, CRM);
    expect(crm.status).toBe(201);
    expect(crm.body.id).not.toBe(first.body.id);
    expect(purchasesOf(emu, 'twilio', a)).toBe(1);
  });

  it('lets one of two concurrent orders of a number through: the other fails with number_unavailable without reaching the carrier', async () => {
    const number = await searchedNumber(app, TWILIO_QUERY);
    const [x, y] = await Promise.all([api.place({ phoneNumber: number }, key()), api.place({ phoneNumber: number }, key(), CRM)]);
    const statuses = [x.body.status, y.body.status].sort();
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(statuses).toEqual(['completed', 'failed']);
    const loser = [x, y].find((o) => o.body.status === 'failed')!;
    expect(loser.body.error).toMatchObject({ code: 'number_unavailable', message: expect.stringContaining('Another order holds') });
    expect(purchasesOf(emu, 'twilio', number)).toBe(1);
    // A later order of a completed number is refused the same way.
    const late = await api.place({ phoneNumber: number }, key());
    expect(late.body).toMatchObject({ status: 'failed', error: { code: 'number_unavailable' } });
    expect(purchasesOf(emu, 'twilio', number)).toBe(1);
  });

  it('frees a number whose order failed: it may be ordered again', async () => {
    const number = await searchedNumber(app, TWILIO_QUERY);
    emu.setBehaviour('twilio', { options: { purchaseError: { status: 400, code: 20005, message: 'Account not active' } } });
    const refused = await api.place({ phoneNumber: number }, key());
    expect(refused.body).toMatchObject({ status: 'failed', error: { code: 'insufficient_funds', providerCode: '20005' } });
    emu.setBehaviour('twilio', { options: {} });
    const bought = await api.place({ phoneNumber: number }, key());
    expect(bought.body.status).toBe('completed');
  });
});

describe('reading orders', () => {
  it('shows a client its order and 404s another client\'s, or an id that is no order', async () => {
    const number = await searchedNumber(app, TWILIO_QUERY);
    const placed = await api.place({ phoneNumber: number }, key());
    expect((await api.get(placed.body.id)).body).toEqual(placed.body);
    const foreign = await api.get(placed.body.id, CRM);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: 'not_found', fix: expect.any(String) });
    expect(JSON.stringify(foreign.body)).not.toContain(number);
    for (const id of ['ord_1', randomUUID(), '%27%20OR%201=1--']) expect((await api.get(id)).status).toBe(404);
  });

  it('pages the client\'s orders newest first with a cursor, nextCursor absent on the last page, filtered by status', async () => {
    const pager = { authorization: `Bearer ${OTHER_KEY}` };
    const before = await api.list('?limit=100', pager);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const number = await searchedNumber(app, TWILIO_QUERY);
      const placed = await api.place({ phoneNumber: number }, key(), pager);
      ids.unshift(placed.body.id);
    }
    const seen: string[] = [];
    let page = await api.list('?limit=2', pager);
    let pages = 1;
    while (page.body.nextCursor !== undefined) {
      expect(page.body.orders).toHaveLength(2);
      seen.push(...page.body.orders.map((o: { id: string }) => o.id));
      page = await api.list(`?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`, pager);
      pages++;
    }
    seen.push(...page.body.orders.map((o: { id: string }) => o.id));
    expect(seen.slice(0, 5)).toEqual(ids);
    expect(seen).toHaveLength(5 + before.body.orders.length);
    expect(pages).toBe(Math.ceil(seen.length / 2));
    const completed = await api.list('?status=completed&limit=100', pager);
    expect(completed.body.orders.every((o: { status: string }) => o.status === 'completed')).toBe(true);
    const failed = await api.list('?status=failed&limit=100', pager);
    expect(failed.body.orders.map((o: { id: string }) => o.id)).not.toEqual(expect.arrayContaining([ids[0]]));
  });

  it.each([
    ['?cursor=bm90LWEtY3Vyc29y', 'cursor', /not one this service gave out/],
    ['?cursor=', 'cursor', /not one this service gave out/],
    ['?limit=0', 'limit', /1 to 100/],
    ['?limit=101', 'limit', /1 to 100/],
    ['?limit=05', 'limit', /plain digits/],
    ['?status=done', 'status', /must be one of/],
    ['?status=completed&status=failed', 'status', /more than once/],
    ['?Limit=5', 'Limit', /Unknown query parameter/],
    ['?constructor=1', 'constructor', /Unknown query parameter/],
  ])('refuses %s with 400 and a fix', async (query, parameter, message) => {
    const answer = await api.list(query);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ parameter, message: expect.stringMatching(message), fix: expect.any(String) })]));
  });
});

describe('searches after an order', () => {
  it('never offer a bought number again, from the cache or the memo of answers', async () => {
    emu.setBehaviour('telnyx', { fault: { type: 'none' } });
    const query = 'countryCode=US&areaCode=415&limit=5';
    const before = await searchedNumbers(app, query);
    // The same search again: served from the cache and the in-process memo of serialised answers.
    const cached = await fetch(`${app.url}/numbers/available?${query}`, { headers: app.authHeaders });
    expect(cached.headers.get('x-cache')).toBe('HIT');
    const number = before[0];
    expect(['completed', 'pending']).toContain((await api.place({ phoneNumber: number }, key())).body.status);
    const after = await fetch(`${app.url}/numbers/available?${query}`, { headers: app.authHeaders });
    const numbers = ((await after.json()) as { numbers: { phoneNumber: string }[] }).numbers.map((n) => n.phoneNumber);
    expect(numbers).not.toContain(number);
    // The rest of the cached answers still comes (a carrier answer holding taken numbers yields fewer).
    expect(numbers.length).toBeGreaterThan(0);
    expect(after.headers.get('x-cache')).toBe('HIT');
  });

  it('hide a number while its order is pending, and offer it again once the order failed', async () => {
    // Telnyx alone answers searches; its orders take a while, then fail.
    emu.setBehaviour('telnyx', { options: { orderDelayMs: 1500, orderOutcome: 'failure' }, fault: { type: 'none' } });
    emu.setBehaviour('twilio', { fault: { type: 'error', status: 500 }, faultOn: ['search'] });
    const query = 'countryCode=US&areaCode=312&limit=10';
    const number = (await searchedNumbers(app, query, { 'cache-control': 'no-cache' }))[0];
    const placed = await api.place({ phoneNumber: number }, key());
    expect(placed.body.status).toBe('pending');
    expect(await searchedNumbers(app, query, { 'cache-control': 'no-cache' })).not.toContain(number);
    const done = await api.settled(placed.body.id);
    expect(done.body).toMatchObject({ status: 'failed', error: { code: 'number_unavailable' } });
    expect(await searchedNumbers(app, query, { 'cache-control': 'no-cache' })).toContain(number);
  });
});

describe('readiness', () => {
  it('reports the ledger in /health/ready', async () => {
    const body = (await (await fetch(`${app.url}/health/ready`)).json()) as { status: string; info: Record<string, { status: string; kind?: string }> };
    expect(body.status).toBe('ok');
    expect(body.info.ledger).toMatchObject({ status: 'up', kind: 'postgres' });
  });
});

describe('metrics', () => {
  it('count orders by provider and outcome, and the reconciler\'s rounds', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/orders_total\{provider="twilio",outcome="completed"\} [1-9]/);
    expect(text).toMatch(/order_state_changes_total\{provider="telnyx",status="failed"\} [1-9]/);
    expect(text).toMatch(/order_reconciler_runs_total\{result="ok"\} [1-9]/);
    expect(text).toMatch(/order_rejections_total\{reason="forbidden"\} [1-9]/);
  });

  it('log one line per state change, with the order id and tracking id, and no key', () => {
    const lines = app.logs.filter((l) => typeof l.orderId === 'string');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatchObject({ orderId: expect.any(String), trackingId: expect.any(String), status: expect.any(String) });
    expect(app.rawLogs.join('\n')).not.toContain(TEST_KEY);
    expect(app.rawLogs.join('\n')).not.toContain(OTHER_KEY);
  });
});
