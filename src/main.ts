import 'reflect-metadata';
import { loadAppConfig } from './app/load-app-config';
import { serve, watchProcess } from './app/serve';
import { ConfigError } from './config/config-problems';

watchProcess();

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.lines) process.stderr.write(`configuration error: ${line}\n`);
      process.exit(1);
    }
    throw e;
  }
  await serve(config);
}

void main().catch((e: unknown) => {
  process.stderr.write(`start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
