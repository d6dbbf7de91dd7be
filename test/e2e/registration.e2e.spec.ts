import { startEmulators, type EmulatorServer } from '../../emulators/index';
import { telnyxEmulator } from '../../emulators/telnyx/telnyx.emulator';
import type { AppConfig } from '../../src/config/app-config';
import { APP_CONFIG } from '../../src/config/app-config.token';
import { readCredentials } from '../../src/config/credentials';
import { readBaseUrl } from '../../src/config/parsers';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { ProviderDefinition } from '../../src/providers/provider-definition';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry';
import { telnyxProvider } from '../../src/providers/telnyx/telnyx.provider';
import { baseEnv, startApp, type RunningApp } from '../support/app';

/**
 * Adding a carrier is adding its definition to the one list: handed a list with one more definition, the
 * service reads that carrier's variables, enables it by its credentials, orders it by PROVIDER_PRIORITY,
 * wraps it in its policies and the cache, searches it, reports it in readiness and keeps its secret out of
 * the logs, with nothing else edited. The new carrier ("acme") speaks Telnyx's API, so it is served by the
 * Telnyx emulator over real HTTP.
 */
class AcmeProvider implements NumberProvider {
  readonly name = 'acme';
  constructor(private readonly wire: NumberProvider) {}
  supports = (query: Parameters<NumberProvider['supports']>[0]) => this.wire.supports(query);
  search: NumberProvider['search'] = (query, ctx) => this.wire.search(query, ctx);
}

const acmeProvider: ProviderDefinition<{ apiKey: string; baseUrl: string }> = {
  name: 'acme',
  secretEnv: ['ACME_API_KEY'],
  readConfig: (env, problems) => {
    const baseUrl = readBaseUrl(env, problems, 'ACME_BASE_URL', 'https://api.acme.example');
    const creds = readCredentials(env, problems, 'acme', ['ACME_API_KEY'] as const);
    return creds && { apiKey: creds.ACME_API_KEY, baseUrl };
  },
  create: (config, deps) => new AcmeProvider(telnyxProvider.create(config, deps)),
};

let emu: EmulatorServer;
let app: RunningApp;
const SECRET = telnyxEmulator.defaultCredentials.apiKey;

beforeAll(async () => {
  emu = await startEmulators({ carriers: ['telnyx'] });
  const telnyxUrl = emu.env().TELNYX_BASE_URL;
  app = await startApp(
    baseEnv({ ACME_API_KEY: SECRET, ACME_BASE_URL: telnyxUrl, PROVIDER_PRIORITY: 'acme' }),
    undefined,
    [],
    [...PROVIDER_DEFINITIONS, acmeProvider],
  );
});
afterAll(async () => {
  await app?.close();
  await emu?.close();
});

describe('a carrier added by its definition alone', () => {
  it('is enabled by its credentials, searched through the cache, and reported in readiness', async () => {
    const first = await app.get('/numbers/available?countryCode=US&areaCode=415&limit=3');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const body = (await first.json()) as { numbers: { phoneNumber: string }[] };
    expect(body.numbers).toHaveLength(3);
    for (const n of body.numbers) expect(n.phoneNumber).toMatch(/^\+1415\d{7}$/);
    expect(emu.requests('telnyx')).toHaveLength(1);
    expect((await app.get('/numbers/available?countryCode=US&areaCode=415&limit=3')).headers.get('x-cache')).toBe('HIT');
    expect(emu.requests('telnyx')).toHaveLength(1);
    const ready = (await (await app.get('/health/ready', {})).json()) as { details: { providers: { enabled: string[]; circuits: Record<string, string> } } };
    expect(ready.details.providers).toMatchObject({ enabled: ['acme'], circuits: { acme: 'closed' } });
  });

  it('has its secret among those every log line is scrubbed of', () => {
    expect(app.app.get<AppConfig>(APP_CONFIG).secrets).toContain(SECRET);
    expect(app.rawLogs.filter((line) => line.includes(SECRET))).toEqual([]);
  });
});
