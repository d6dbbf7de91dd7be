import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { baseEnv, startApp, TEST_KEY } from '../support/app';
import { OtlpReceiver } from '../support/otlp-receiver';
import { freePort } from '../support/redis';
import { callerContext, QUERY } from '../support/tracing';

/**
 * Without OTEL_EXPORTER_OTLP_ENDPOINT (or with OTEL_SDK_DISABLED=true) nothing of tracing runs: the
 * caller's traceparent changes nothing, log lines carry no trace fields, carriers receive no traceparent,
 * nothing is exported, and the process never loads the OpenTelemetry SDK (only the API, whose no-op the
 * code calls). The last is checked on the real service, started as a process from src/main.ts.
 */
it('in the app: ignores the caller\'s traceparent, writes no trace fields, sends carriers no traceparent', async () => {
  const emu = await startEmulators({ carriers: ['telnyx'] });
  // Tracing variables other than the endpoint do not turn it on.
  const app = await startApp(baseEnv({ ...emu.env(), OTEL_SERVICE_NAME: 'numbers-gateway-test', OTEL_TRACES_SAMPLER: 'always_on' }));
  try {
    const res = await app.get(QUERY, { ...app.authHeaders, traceparent: callerContext().traceparent });
    expect(res.status).toBe(200);
    const lines = app.logs.filter((l) => l.trackingId === res.headers.get('x-tracking-id'));
    // The request line and the carrier's lines.
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['provider answered', 'GET /numbers/available 200']));
    expect(lines.filter((l) => 'trace_id' in l || 'span_id' in l)).toEqual([]);
    expect(emu.requests('telnyx').map((r) => r.headers.traceparent)).toEqual([undefined]);
  } finally {
    await app.close();
    await emu.close();
  }
});

interface Service {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function startService(emu: EmulatorServer, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const root = join(__dirname, '..', '..');
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', join(root, 'test', 'support', 'report-loaded-modules.ts'), join(root, 'src', 'main.ts')],
    {
      env: { PATH: process.env.PATH ?? '', ...emu.env(), API_KEYS: `t:${TEST_KEY}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(`${url}/health/live`).then((r) => r.ok, () => false)); i++) {
    if (i > 600 || child.exitCode !== null) throw new Error(`the service did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, output: () => output, exited };
}

/** Runs one traced-looking search against the real service, stops it, and reports what it loaded. */
async function searchThenStop(env: Record<string, string>): Promise<{ modules: string[]; receiver: OtlpReceiver; emu: EmulatorServer; output: string }> {
  const emu = await startEmulators({ carriers: ['telnyx'] });
  const receiver = new OtlpReceiver();
  await receiver.listen();
  const service = await startService(emu, Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('$RECEIVER', receiver.url)])));
  try {
    const res = await fetch(`${service.url}${QUERY}`, { headers: { authorization: `Bearer ${TEST_KEY}`, traceparent: callerContext().traceparent } });
    expect(res.status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const line = /opentelemetry-modules-loaded (.*)/.exec(service.output());
    expect(line).not.toBeNull();
    return { modules: JSON.parse(line![1]) as string[], receiver, emu, output: service.output() };
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await Promise.all([emu.close(), receiver.close()]);
  }
}

const sdkModules = (modules: string[]) => modules.filter((m) => !m.startsWith('@opentelemetry/api/'));

describe('the real service', () => {
  it('loads no SDK module and exports nothing when no endpoint is set', async () => {
    const { modules, receiver, emu } = await searchThenStop({ OTEL_SERVICE_NAME: 'numbers-gateway-test', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(modules.length).toBeGreaterThan(0);
    expect(sdkModules(modules)).toEqual([]);
    expect(receiver.exports).toEqual([]);
    expect(emu.requests('telnyx').map((r) => r.headers.traceparent)).toEqual([undefined]);
  }, 60_000);

  it('loads none with OTEL_SDK_DISABLED=true either, though the endpoint is set', async () => {
    const { modules, receiver } = await searchThenStop({ OTEL_EXPORTER_OTLP_ENDPOINT: '$RECEIVER', OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(sdkModules(modules)).toEqual([]);
    expect(receiver.exports).toEqual([]);
  }, 60_000);

  it('loads the SDK and exports the search once the endpoint is set (bootstrapped by main.ts)', async () => {
    const { modules, receiver, emu, output } = await searchThenStop({ OTEL_EXPORTER_OTLP_ENDPOINT: '$RECEIVER', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(sdkModules(modules)).toEqual(expect.arrayContaining([expect.stringMatching(/^@opentelemetry\/sdk-trace-node\//), expect.stringMatching(/^@opentelemetry\/exporter-trace-otlp-http\//)]));
    const names = receiver.spans().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['GET /numbers/available', 'carrier telnyx', 'carrier attempt', 'GET']));
    expect(String(emu.requests('telnyx')[0]?.headers.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(output).toContain('tracing: exporting traces to');
  }, 60_000);
});
