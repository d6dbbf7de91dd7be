import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { startEmulators } from '../emulators/index';

/**
 * `npm run demo`: the service on http://127.0.0.1:3000 (PORT) against local carrier emulators on port 4010
 * (EMULATOR_PORT), with a demo key. Uses Redis when REDIS_URL is set, the in-process cache otherwise.
 * The banner and the ready-to-paste curl are printed only once the service itself answers /health/ready.
 * Ctrl-C stops both.
 */
const DEMO_KEY = 'demo-key-0123456789';
const READY_WITHIN_MS = 30_000;

/** Resolves when nothing listens on host:port, rejects with a sentence naming the variable otherwise. */
async function ensureFree(port: number, host: string, variable: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${port} (${what}) is already in use on ${host}: stop what listens there, or set ${variable} to a free port, e.g. ${variable}=${port + 1} npm run demo`
            : `cannot listen on ${host}:${port} (${what}, ${variable}): ${e.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function portFrom(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number from 1 to 65535, got "${raw}"`);
  return port;
}

/** The service's entry point: dist/main.js beside the built demo (dist/tools/scripts), src/main.ts from source. */
function serviceEntry(): string {
  return __filename.endsWith('.ts') ? join(__dirname, '..', 'src', 'main.ts') : join(__dirname, '..', '..', 'main.js');
}

async function main(): Promise<void> {
  const port = portFrom('PORT', 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const emulatorPort = portFrom('EMULATOR_PORT', 4010);
  await ensureFree(emulatorPort, '127.0.0.1', 'EMULATOR_PORT', 'carrier emulators');
  await ensureFree(port, host, 'PORT', 'numbers-gateway');

  const emulators = await startEmulators({ port: emulatorPort });
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...emulators.env(),
    PORT: String(port),
    HOST: host,
    API_KEYS: process.env.API_KEYS ?? `demo:${DEMO_KEY}`,
    // The demo client may buy numbers (from the emulators), recorded in an embedded PostgreSQL unless
    // DATABASE_URL or PGLITE_DIR says otherwise.
    ORDER_CLIENTS: process.env.ORDER_CLIENTS ?? (process.env.API_KEYS === undefined ? 'demo' : undefined),
    // ...and may ask the carriers afresh with Cache-Control: no-cache, as the README's examples do.
    CACHE_BYPASS_CLIENTS: process.env.CACHE_BYPASS_CLIENTS ?? (process.env.API_KEYS === undefined ? 'demo' : undefined),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  // The same loader flags as this process (ts-node when the demo runs from source).
  const service = spawn(process.execPath, [...process.execArgv, serviceEntry()], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  service.stdout.pipe(process.stdout);
  let exited = false;
  const stop = () => {
    service.kill('SIGTERM');
    void emulators.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  service.once('exit', (code) => {
    exited = true;
    void emulators.close().then(() => process.exit(code ?? 0));
  });

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_WITHIN_MS;
  let ready = false;
  while (!exited && !ready && Date.now() < deadline) {
    // Ours answers with an X-Tracking-Id; the port was checked free, so nothing else should answer.
    const res = await fetch(`${base}/health/ready`).catch(() => undefined);
    ready = res !== undefined && res.status === 200 && res.headers.has('x-tracking-id');
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (exited) return; // the service said why on its own output; its exit code ends the demo
  if (!ready) {
    process.stderr.write(`demo failed: the service did not answer ${base}/health/ready within ${READY_WITHIN_MS / 1000} s\n`);
    stop();
    process.exitCode = 1;
    return;
  }
  const key = (env.API_KEYS ?? '').split(',')[0].split(':')[1];
  process.stdout.write(
    [
      '',
      `numbers-gateway is running on ${base} against local carrier emulators (${emulators.carrierNames().join(', ')}) at ${emulators.url}`,
      `cache: ${env.REDIS_URL ? `Redis at ${env.REDIS_URL}` : 'in-process (set REDIS_URL to use Redis)'}`,
      `orders: ${env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : env.PGLITE_DIR ? `embedded PostgreSQL in ${env.PGLITE_DIR}` : 'embedded PostgreSQL in memory (set DATABASE_URL or PGLITE_DIR to keep them)'}`,
      'try:',
      `  curl -si '${base}/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=5' -H 'Authorization: Bearer ${key}'`,
      ...(env.ORDER_CLIENTS
        ? [
            `  curl -si -X POST '${base}/numbers/orders' -H 'Authorization: Bearer ${key}' -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' -d '{"phoneNumber":"<a number the search returned>"}'`,
          ]
        : []),
      `  open ${base}/docs for the API, ${base}/health/ready for health`,
      '',
    ].join('\n'),
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
