import type { EmulatorServer } from '../../emulators/index';
import { contractValidator } from './contract';
import type { RunningApp } from './app';

const validateOrder = contractValidator('Order');
const validateList = contractValidator('OrderList');
const validateError = contractValidator('ErrorResponse');

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Every answer of the orders API is checked against the contract's schema for its status. */
async function answer(res: Response, schema: 'order' | 'list'): Promise<Answer> {
  const text = await res.text();
  const body = text === '' ? undefined : JSON.parse(text);
  const problems = res.status >= 400 ? validateError(body) : schema === 'order' ? validateOrder(body) : validateList(body);
  if (problems.length > 0) throw new Error(`answer ${res.status} does not match the contract: ${problems.join('; ')}: ${text}`);
  if (res.status >= 400 && body.trackingId !== res.headers.get('x-tracking-id')) throw new Error('the envelope and X-Tracking-Id disagree');
  return { status: res.status, headers: res.headers, body };
}

export interface OrdersApi {
  place(body: unknown, key: string, headers?: Record<string, string>): Promise<Answer>;
  get(id: string, headers?: Record<string, string>): Promise<Answer>;
  list(query?: string, headers?: Record<string, string>): Promise<Answer>;
  /** Reads the order until it is completed or failed (the reconciler follows it), for at most `withinMs`. */
  settled(id: string, withinMs?: number): Promise<Answer>;
}

export function ordersApi(app: { url: string; authHeaders: Record<string, string> } | RunningApp): OrdersApi {
  const auth = app.authHeaders;
  const api: OrdersApi = {
    place: async (body, key, headers = {}) =>
      answer(
        await fetch(`${app.url}/numbers/orders`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key, ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
        'order',
      ),
    get: async (id, headers = auth) => answer(await fetch(`${app.url}/numbers/orders/${id}`, { headers }), 'order'),
    list: async (query = '', headers = auth) => answer(await fetch(`${app.url}/numbers/orders${query}`, { headers }), 'list'),
    settled: async (id, withinMs = 30_000) => {
      const giveUpAt = Date.now() + withinMs;
      let current = await api.get(id);
      while (!['completed', 'failed'].includes(current.body.status) && Date.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, 100));
        current = await api.get(id);
      }
      return current;
    },
  };
  return api;
}

/** What the end-to-end tests need to know of each carrier to buy one of its numbers. */
export interface CarrierOrderFacts {
  name: string;
  /** A search that carrier answers with numbers it sells. */
  query: string;
  /** Emulator options that make its orders take a while (asynchronous carriers), or none. */
  slowOrders?: Record<string, unknown>;
  /** Whether its orders are followed after the purchase (Telnyx, Bandwidth orders; Plivo numbers awaiting documents). */
  asynchronous: boolean;
}

export const CARRIER_ORDER_FACTS: readonly CarrierOrderFacts[] = [
  { name: 'telnyx', query: 'countryCode=US&areaCode=312&limit=10', slowOrders: { orderDelayMs: 1500 }, asynchronous: true },
  { name: 'twilio', query: 'countryCode=US&areaCode=415&limit=10', asynchronous: false },
  { name: 'vonage', query: 'countryCode=GB&phoneNumberType=mobile&limit=10', asynchronous: false },
  // Plivo numbers of a country with verification are pending until the documents are accepted.
  { name: 'plivo', query: 'countryCode=GB&areaCode=20&limit=10', slowOrders: { verification: 'required', orderDelayMs: 1500 }, asynchronous: true },
  { name: 'bandwidth', query: 'countryCode=US&areaCode=919&limit=10', slowOrders: { orderDelayMs: 1500 }, asynchronous: true },
  { name: 'sinch', query: 'countryCode=US&areaCode=617&limit=10', asynchronous: false },
  { name: 'signalwire', query: 'countryCode=US&areaCode=206&limit=10', asynchronous: false },
];

/** The first number a search returns (the app under test has one carrier: every number is that carrier's offer). */
export async function searchedNumber(app: { url: string; authHeaders: Record<string, string> }, query: string, index = 0): Promise<string> {
  const res = await fetch(`${app.url}/numbers/available?${query}`, { headers: { ...app.authHeaders, 'cache-control': 'no-cache' } });
  const body = (await res.json()) as { numbers?: { phoneNumber: string }[] };
  if (res.status !== 200 || !body.numbers || body.numbers.length <= index) throw new Error(`search ${query} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.numbers[index].phoneNumber;
}

/** The numbers a search returns now. */
export async function searchedNumbers(app: { url: string; authHeaders: Record<string, string> }, query: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${app.url}/numbers/available?${query}`, { headers: { ...app.authHeaders, ...headers } });
  const body = (await res.json()) as { numbers?: { phoneNumber: string }[] };
  if (res.status !== 200 || !body.numbers) throw new Error(`search ${query} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.numbers.map((n) => n.phoneNumber);
}

/** How many purchase requests the carrier saw for the number. */
export function purchasesOf(emu: EmulatorServer, carrier: string, number: string): number {
  return emu.purchases(carrier)[number] ?? 0;
}
