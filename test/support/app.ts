import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app/app.module';
import { configureApp, createAdapter, listenManagement } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/app-config';
import type { ProviderDefinition } from '../../src/providers/provider-definition';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';

export const TEST_KEY = 'k_test_0123456789';
export const OTHER_KEY = 'k_test_other_98765';

/**
 * The environment every test app starts from: two clients, no carriers, no Redis. The first client
 * (billing, TEST_KEY) may bypass the cache, as the tests that send Cache-Control: no-cache expect.
 */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { API_KEYS: `billing:${TEST_KEY},crm:${OTHER_KEY}`, CACHE_BYPASS_CLIENTS: 'billing', LOG_LEVEL: 'debug', ...extra };
}

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  /** The management listener (/metrics, /health/*) when MANAGEMENT_PORT is set. */
  managementUrl?: string;
  /** Every JSON log line written so far. */
  logs: Record<string, unknown>[];
  rawLogs: string[];
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** The headers that authenticate as the first test client. */
  authHeaders: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Boots the real application (real config parsing, real Fastify, real port on 127.0.0.1) with its log
 * lines captured. `override` may swap providers, as the forced-500 test does; `carriers` replaces the
 * registered carrier definitions, as main.ts hands them to the configuration.
 */
export async function startApp(
  env: Record<string, string | undefined> = baseEnv(),
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
  extraImports: ModuleMetadata['imports'] = [],
  carriers: readonly ProviderDefinition<any>[] = PROVIDER_DEFINITIONS,
): Promise<RunningApp> {
  const config = loadConfig(env, carriers);
  const rawLogs: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        rawLogs.push(line);
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logs.push({ unparsable: line });
        }
      }
      cb();
    },
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, { logStream: stream }), ...extraImports] });
  if (override) builder = override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(), { bufferLogs: true });
  await configureApp(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const management = await listenManagement(app);
  return {
    app,
    url,
    managementUrl: management && `http://127.0.0.1:${management.port}`,
    logs,
    rawLogs,
    get: (path, headers = { authorization: `Bearer ${TEST_KEY}` }) => fetch(`${url}${path}`, { headers }),
    authHeaders: { authorization: `Bearer ${TEST_KEY}` },
    close: () => app.close(),
  };
}

export const authed = { authorization: `Bearer ${TEST_KEY}` };
