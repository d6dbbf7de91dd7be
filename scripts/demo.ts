import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulators } from '../emulators/index';

/**
 * `npm run demo`: the service on http://127.0.0.1:3000 against local carrier emulators, with a demo key.
 * Uses Redis when REDIS_URL is set, the in-process cache otherwise. Ctrl-C stops both.
 */
const DEMO_KEY = 'demo-key-0123456789';

async function main(): Promise<void> {
  const emulators = await startEmulators({ port: Number(process.env.EMULATOR_PORT ?? 4010) });
  const port = process.env.PORT ?? '3000';
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...emulators.env(),
    PORT: port,
    HOST: process.env.HOST ?? '127.0.0.1',
    API_KEYS: process.env.API_KEYS ?? `demo:${DEMO_KEY}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const mainJs = join(__dirname, '..', '..', 'main.js');
  const service = spawn(process.execPath, [mainJs], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  service.stdout.pipe(process.stdout);
  const stop = () => {
    service.kill('SIGTERM');
    void emulators.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  service.once('exit', (code) => {
    void emulators.close().then(() => process.exit(code ?? 0));
  });

  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const key = (env.API_KEYS ?? '').split(',')[0].split(':')[1];
  process.stdout.write(
    [
      '',
      `numbers-gateway is running on ${base} against local carrier emulators (${emulators.carrierNames().join(', ')}) at ${emulators.url}`,
      `cache: ${env.REDIS_URL ? `Redis at ${env.REDIS_URL}` : 'in-process (set REDIS_URL to use Redis)'}`,
      'try:',
      `  curl -s '${base}/numbers/available?countryCode=US&areaCode=415&features=sms,voice&limit=5' -H 'Authorization: Bearer ${key}'`,
      `  open ${base}/docs for the API, ${base}/health/ready for health`,
      '',
    ].join('\n'),
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
