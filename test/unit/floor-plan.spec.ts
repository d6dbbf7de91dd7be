import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The floor plan (.dependency-cruiser.js) catches imports that run back up: a tree laid out like src/,
 * written in a fresh folder, with one wrong import per file, is cruised with the project's own rules, and
 * each wrong import fails under the rule that forbids it, by name. Files without a wrong import pass.
 */
const root = join(__dirname, '..', '..');

/** Files of the tree: path → source. Every import target exists, so only the floor plan can object. */
const TREE: Record<string, string> = {
  'src/domain/search-query.ts': 'export interface SearchQuery { countryCode: string }\n',
  'src/domain/leak.ts': "import { NumbersService } from '../numbers/numbers.service';\nexport const leak = NumbersService;\n",
  'src/domain/typed-leak.ts': "import type { SearchCarrier } from '../numbers/search-carrier';\nexport type Leak = SearchCarrier;\n",
  'src/domain/framework.ts': "import { Injectable } from '@nestjs/common';\nexport const framework = Injectable;\n",
  'src/config/reads-registry.ts': "import { REGISTRY } from '../providers/registry';\nexport const known = REGISTRY;\n",
  'src/providers/registry.ts': 'export const REGISTRY = [];\n',
  'src/providers/acme/acme.provider.ts': "import { AnswerCache } from '../../cache/answer-cache';\nexport const cached = AnswerCache;\n",
  'src/providers/acme/acme.guarded.ts': "import { ResilientProvider } from '../../resilience/resilient-provider';\nexport const guarded = ResilientProvider;\n",
  'src/providers/acme/acme.module.ts': "import { Module } from '@nestjs/common';\nexport const module = Module;\n",
  'src/providers/acme/acme.config.ts': "import type { SearchQuery } from '../../domain/search-query';\nexport type Config = SearchQuery;\n",
  'src/resilience/resilient-provider.ts': 'export class ResilientProvider {}\n',
  'src/cache/answer-cache.ts': 'export class AnswerCache {}\n',
  'src/cache/reads-feature.ts': "import type { SearchCarrier } from '../numbers/search-carrier';\nexport type Carrier = SearchCarrier;\n",
  'src/cache/ping.ts': "import { pong } from './pong';\nexport const ping = () => pong;\n",
  'src/cache/pong.ts': "import { ping } from './ping';\nexport const pong = () => ping;\n",
  'src/numbers/search-carrier.ts': "import type { SearchQuery } from '../domain/search-query';\nexport interface SearchCarrier { q: SearchQuery }\n",
  'src/numbers/numbers.service.ts': "import type { SearchCarrier } from './search-carrier';\nexport class NumbersService { c?: SearchCarrier }\n",
  'src/numbers/concrete.ts': "import { REGISTRY } from '../providers/registry';\nexport const carriers = REGISTRY;\n",
  'src/numbers/upward.ts': "import { AppModule } from '../app/app.module';\nexport const app = AppModule;\n",
  'src/app/app.module.ts': "import { NumbersService } from '../numbers/numbers.service';\nexport class AppModule { s = NumbersService }\n",
  'src/main.ts': "import { AppModule } from './app/app.module';\nexport const main = AppModule;\n",
  'src/memo/memo.ts': 'export class Memo {}\n',
  'src/secrets/secret-scrubber.ts': 'export class SecretScrubber {}\n',
  'src/secrets/leak.ts': "import { NumbersService } from '../numbers/numbers.service';\nexport const leak = NumbersService;\n",
  'src/logging/root-logger.ts': 'export const rootLogger = {};\n',
  'src/providers/acme/acme.logs.ts': "import { rootLogger } from '../../logging/root-logger';\nexport const logs = rootLogger;\n",
  'src/providers/acme/acme.http.ts': "import { SecretScrubber } from '../../secrets/secret-scrubber';\nexport const scrubber = SecretScrubber;\n",
  'src/places/readable-place.ts': "import { Memo } from '../memo/memo';\nimport type { SearchQuery } from '../domain/search-query';\nexport type Q = SearchQuery;\nexport const memo = Memo;\n",
  'src/places/upward.ts': "import type { SearchCarrier } from '../numbers/search-carrier';\nexport type Carrier = SearchCarrier;\n",
  'src/errors/request-limits.ts': 'export const MAX_URL_BYTES = 8192;\n',
  'src/errors/client-errors.ts': "import { MAX_URL_BYTES } from './request-limits';\nexport const answerClientError = () => MAX_URL_BYTES;\n",
  'src/docs/limits.ts': "import { MAX_URL_BYTES } from '../errors/request-limits';\nexport const limit = MAX_URL_BYTES;\n",
  'src/docs/hooks.ts': "import { answerClientError } from '../errors/client-errors';\nexport const hook = answerClientError;\n",
  'src/management/management-listener.ts': 'export class ManagementListener {}\n',
  'src/numbers/management.ts': "import { ManagementListener } from '../management/management-listener';\nexport const listener = ManagementListener;\n",
  'client/src/index.ts': "import { operations } from './operations';\nexport const client = operations;\n",
  'client/src/operations.ts': 'export const operations = {};\n',
  'client/src/leak.ts': "import { AppModule } from '../../src/app/app.module';\nexport const leak = AppModule;\n",
  'src/docs/client-types.ts': "import { client } from '../../client/src/index';\nexport const types = client;\n",
  'src/tracing/tracer.ts': "import { trace } from '@opentelemetry/api';\nexport const tracer = () => trace.getTracer('t');\n",
  'src/tracing/start-tracing.ts': "export const start = () => import('./sdk/start-sdk');\n",
  'src/tracing/sdk/start-sdk.ts': "import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';\nexport const startSdk = () => new NodeTracerProvider();\n",
  'src/tracing/eager-sdk.ts': "import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';\nexport const provider = NodeTracerProvider;\n",
  'src/tracing/eager-start.ts': "import { startSdk } from './sdk/start-sdk';\nexport const start = startSdk;\n",
  'src/tracing/sdk-types.ts': "import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';\nexport type Span = ReadableSpan;\n",
  'src/tracing/upward.ts': "import { AnswerCache } from '../cache/answer-cache';\nexport const cache = AnswerCache;\n",
  'src/cache/traced.ts': "import { tracer } from '../tracing/tracer';\nexport const traced = tracer;\n",
  'src/numbers/own-spans.ts': "import { trace } from '@opentelemetry/api';\nexport const spans = trace;\n",
  'src/ledger/order-ledger.ts': "import type { SearchQuery } from '../domain/search-query';\nexport interface OrderLedger { q?: SearchQuery }\n",
  'src/ledger/reads-orders.ts': "import { OrdersService } from '../orders/orders.service';\nexport const service = OrdersService;\n",
  'src/orders/orders.service.ts': "import type { OrderLedger } from '../ledger/order-ledger';\nimport { OrderIds } from './order-ids';\nexport class OrdersService { l?: OrderLedger; ids = OrderIds }\n",
  'src/orders/order-ids.ts': 'export class OrderIds {}\n',
  'src/orders/searches.ts': "import { NumbersService } from '../numbers/numbers.service';\nexport const searches = NumbersService;\n",
  'src/numbers/buys.ts': "import { OrdersService } from '../orders/orders.service';\nexport const buys = OrdersService;\n",
  'src/orders/concrete.ts': "import { REGISTRY } from '../providers/registry';\nexport const carriers = REGISTRY;\n",
  'src/app/create-app.ts': "import { answerClientError } from '../errors/client-errors';\nimport { ManagementListener } from '../management/management-listener';\nexport const wired = [answerClientError, ManagementListener];\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

describe('the floor plan', () => {
  let folder: string;
  let result: { status: number | null; violations: Violation[]; text: string };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'floor-plan-'));
    for (const [path, source] of Object.entries(TREE)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), source);
    }
    // Packages resolve as in the repository (the rules about frameworks look at where they resolve).
    symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
    const cruise = (outputType: string) =>
      spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs'), 'src', 'client/src', '--config', join(root, '.dependency-cruiser.js'), '--output-type', outputType],
        { cwd: folder, encoding: 'utf8', timeout: 60_000 },
      );
    const json = cruise('json');
    const text = cruise('err-long');
    result = { status: text.status, violations: (JSON.parse(json.stdout) as { summary: { violations: Violation[] } }).summary.violations, text: text.stdout + text.stderr };
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const rulesOf = (from: string) => result.violations.filter((v) => v.from === from).map((v) => v.rule.name).sort();

  it.each([
    ['src/domain/leak.ts', 'domain-imports-nothing-of-the-app'],
    ['src/domain/typed-leak.ts', 'domain-imports-nothing-of-the-app'],
    ['src/domain/framework.ts', 'domain-uses-no-framework'],
    ['src/config/reads-registry.ts', 'config-stands-on-domain-only'],
    ['src/providers/acme/acme.provider.ts', 'providers-know-domain-config-and-http-only'],
    ['src/providers/acme/acme.guarded.ts', 'providers-know-domain-config-and-http-only'],
    ['src/providers/acme/acme.module.ts', 'providers-use-no-framework'],
    ['src/cache/reads-feature.ts', 'infrastructure-stands-below-carriers-and-features'],
    ['src/numbers/concrete.ts', 'features-depend-on-contracts'],
    ['src/orders/concrete.ts', 'features-depend-on-contracts'],
    ['src/orders/searches.ts', 'features-stand-apart'],
    ['src/numbers/buys.ts', 'features-stand-apart'],
    ['src/ledger/reads-orders.ts', 'infrastructure-stands-below-carriers-and-features'],
    ['src/numbers/upward.ts', 'nothing-imports-the-composition'],
    ['src/cache/ping.ts', 'no-circular'],
    ['src/secrets/leak.ts', 'secrets-stand-alone'],
    ['src/providers/acme/acme.logs.ts', 'providers-know-domain-config-and-http-only'],
    ['src/places/upward.ts', 'places-stand-on-domain-and-memo'],
    ['src/docs/hooks.ts', 'protocol-errors-wired-from-the-top'],
    ['src/numbers/management.ts', 'management-wired-from-the-top'],
    ['client/src/leak.ts', 'client-stands-alone'],
    ['src/docs/client-types.ts', 'the-service-never-imports-its-client'],
    ['src/tracing/eager-sdk.ts', 'tracing-sdk-loaded-on-demand'],
    ['src/tracing/eager-start.ts', 'tracing-sdk-loaded-on-demand'],
    ['src/tracing/upward.ts', 'tracing-stands-on-domain-config-and-secrets'],
    ['src/numbers/own-spans.ts', 'opentelemetry-through-src-tracing'],
  ])('refuses %s under %s', (from, rule) => {
    expect(rulesOf(from)).toContain(rule);
    expect(result.text).toContain(rule);
  });

  it('fails the build, naming each rule with its reason', () => {
    expect(result.status).not.toBe(0);
    expect(result.text).toMatch(/domain-imports-nothing-of-the-app: src\/domain\/leak\.ts → src\/numbers\/numbers\.service\.ts/);
    expect(result.text).toContain('src/domain is the vocabulary every layer stands on');
  });

  it('lets every import that points down or sideways through', () => {
    for (const ok of [
      'src/providers/acme/acme.config.ts',
      'src/providers/acme/acme.http.ts',
      'src/numbers/numbers.service.ts',
      'src/numbers/search-carrier.ts',
      'src/orders/orders.service.ts',
      'src/ledger/order-ledger.ts',
      'src/places/readable-place.ts',
      'src/docs/limits.ts',
      'src/app/app.module.ts',
      'src/app/create-app.ts',
      'src/tracing/tracer.ts',
      'src/tracing/start-tracing.ts',
      'src/tracing/sdk/start-sdk.ts',
      'src/tracing/sdk-types.ts',
      'src/cache/traced.ts',
      'src/main.ts',
      'client/src/index.ts',
    ]) {
      expect({ ok, rules: rulesOf(ok) }).toEqual({ ok, rules: [] });
    }
  });
});
