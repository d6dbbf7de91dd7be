import { randomBytes } from 'node:crypto';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, type RunningApp } from './app';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from './redis';

/** OTLP span kinds and status codes, as the JSON encoding sends them. */
export const SERVER = 2;
export const CLIENT = 3;
export const ERROR = 2;
export const QUERY = '/numbers/available?countryCode=US&areaCode=415&limit=5';

/** The app with tracing on, the emulators of a few carriers, the real Redis and an OTLP receiver. */
export interface Traced {
  emu: EmulatorServer;
  receiver: OtlpReceiver;
  app: RunningApp;
  prefix: string;
  /** Closes the app (shutdown exports what is left) and returns every span received. */
  finish(): Promise<ReceivedSpan[]>;
  /** Closes everything and deletes the Redis keys. */
  release(): Promise<void>;
}

export async function startTraced(env: Record<string, string> = {}, carriers = ['telnyx', 'vonage']): Promise<Traced> {
  const emu = await startEmulators({ carriers });
  const receiver = new OtlpReceiver();
  const endpoint = await receiver.listen();
  const prefix = uniquePrefix('tracing');
  const app = await startApp(
    baseEnv({
      ...emu.env(),
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      USAGE_LIMIT_REQUESTS: '1000',
      PROVIDER_MAX_RETRIES: '1',
      CIRCUIT_BREAKER_THRESHOLD: '1000',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      ...env,
    }),
  );
  let closed = false;
  const finish = async () => {
    if (!closed) await app.close();
    closed = true;
    return receiver.spans();
  };
  return {
    emu,
    receiver,
    app,
    prefix,
    finish,
    release: async () => {
      await finish();
      await Promise.all([emu.close(), receiver.close(), deletePrefix(prefix)]);
    },
  };
}

/** A caller's trace context: its trace id, its span (our server span's parent) and the traceparent header. */
export function callerContext(sampled = true): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` };
}

export const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] => spans.filter((s) => s.parentSpanId === parent.spanId);

/** The one span of that name (fails the test when there are none or several). */
export function one(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  expect({ name, count: found.length }).toEqual({ name, count: 1 });
  return found[0];
}

/** Waits for something the service does on its own schedule (an export), 10 s at most. */
export async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); ) {
    if (Date.now() - started > 10_000) throw new Error('waited 10 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
