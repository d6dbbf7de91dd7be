import { CARRIER_EMULATORS, startEmulators } from './index';

/**
 * `npm run emulators`: every carrier emulator on one port, printing the environment that points the
 * service at them. EMULATOR_PORT (4010), EMULATOR_HOST (127.0.0.1), EMULATOR_SEED, EMULATOR_PUBLIC_URL
 * (the URL the service should use, when it differs from the listening address, as in Docker Compose).
 */
async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? 4010);
  const host = process.env.EMULATOR_HOST ?? '127.0.0.1';
  const server = await startEmulators({ port, host, seed: process.env.EMULATOR_SEED });
  const env = server.env();
  const publicUrl = process.env.EMULATOR_PUBLIC_URL;
  process.stdout.write(`carrier emulators (${CARRIER_EMULATORS.map((c) => c.name).join(', ') || 'none'}) listening on ${server.url}\n`);
  process.stdout.write(`control API: ${server.url}/_emulator/carriers/<name>/behaviour, /requests and /account; POST ${server.url}/_emulator/world/sold {"phoneNumber":…} (sold elsewhere); POST ${server.url}/_emulator/reset\n`);
  process.stdout.write('# environment for the service:\n');
  for (const [k, v] of Object.entries(env)) {
    process.stdout.write(`${k}=${publicUrl ? v.replace(server.url, publicUrl.replace(/\/$/, '')) : v}\n`);
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main().catch((e: unknown) => {
  process.stderr.write(`emulators failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
