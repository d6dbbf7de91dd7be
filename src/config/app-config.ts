import { readApiKeys, type ApiKeyEntry } from './api-keys.config';
import { readCacheBypassClients } from './cache-bypass.config';
import { readRedisKeyPrefix } from './cache.config';
import type { CarrierSettingsDefinition, EnabledCarrier } from './carrier-settings';
import { ConfigError, ConfigProblemList } from './config-problems';
import { readLedgerConfig, type LedgerConfig } from './ledger.config';
import { readOrdersConfig, type OrdersConfig } from './orders.config';
import type { Env } from './env';
import { readMemoryConfig, type MemoryConfig } from './memory.config';
import { readBool, readInt, readOptionalInt, splitList } from './parsers';
import { readRedisConfig, type RedisConfig } from './redis.config';
import { readResilienceConfig, type ResilienceConfig } from './resilience.config';
import { readTracingConfig, type TracingConfig } from './tracing.config';
import { readUsageConfig, type UsageConfig } from './usage.config';

export interface AppConfig<D extends CarrierSettingsDefinition = CarrierSettingsDefinition> {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
  auth: {
    disabled: boolean;
    keys: ApiKeyEntry[];
  };
  usage: UsageConfig;
  redis: RedisConfig | undefined;
  cache: {
    ttlSeconds: number;
    staleSeconds: number;
    /**
     * After the TTL, how long an answer is kept to be served (X-Cache: STALE) when its carrier cannot be
     * asked: overloaded, timed out, unavailable or paused (CACHE_STALE_IF_ERROR_SECONDS).
     */
    staleIfErrorSeconds: number;
    /** The clients whose Cache-Control: no-cache is honoured (CACHE_BYPASS_CLIENTS). */
    bypassClients: readonly string[];
    /** First part of every Redis key (REDIS_KEY_PREFIX). */
    keyPrefix: string;
  };
  /** Enabled carriers, highest priority first. */
  providers: EnabledCarrier<D>[];
  providerTimeoutMs: number;
  requestTimeoutMs: number;
  resilience: ResilienceConfig;
  /** How long SIGTERM waits for in-flight requests before the process exits anyway (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /**
   * Where /metrics and /health/* are served on a listener of their own (MANAGEMENT_PORT, MANAGEMENT_HOST);
   * undefined: on the API's listener.
   */
  management: { port: number; host: string } | undefined;
  /** Trace export (OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* variables); undefined: no tracing at all. */
  tracing: TracingConfig | undefined;
  /** Who may order numbers, their order limit, how long unfinished orders are followed. */
  orders: OrdersConfig;
  /** Where the orders ledger lives (DATABASE_URL, or PGlite in process). */
  ledger: LedgerConfig;
  /** What the in-process memos may hold together (MEMORY_BUDGET_MB). */
  memory: MemoryConfig;
  /** Every secret value the process knows, so answers and log lines can be scrubbed of them. */
  secrets: string[];
  /** The user:secret pairs carriers are sent as HTTP Basic credentials, scrubbed in their encoded form. */
  basicCredentials: { user: string; secret: string }[];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the whole environment once (contract/configuration.md). Every wrong value is
 * reported, one line each, in a single ConfigError; nothing is defaulted silently when a value was given.
 * `carriers` are the carrier definitions the composition hands over (src/providers/registry.ts): each
 * reads its own variables, and a carrier is enabled exactly when its credentials are set.
 */
export function loadConfig<D extends CarrierSettingsDefinition>(env: Env, carriers: readonly D[]): AppConfig<D> {
  const problems = new ConfigProblemList();
  const int = (name: string, fallback: number, min: number, max: number, example: string) => readInt(env, problems, name, fallback, min, max, example);

  const port = int('PORT', 3000, 1, 65535, '3000');
  const host = (env.HOST ?? '').trim() || '0.0.0.0';
  const rawLevel = (env.LOG_LEVEL ?? '').trim().toLowerCase() || 'info';
  let logLevel: AppConfig['logLevel'] = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as AppConfig['logLevel'];
  else problems.add('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`, 'LOG_LEVEL=info');

  const authDisabled = readBool(env, problems, 'AUTH_DISABLED', false);
  const keys = readApiKeys(env, problems);
  if (!authDisabled && keys.length === 0 && problems.empty) {
    problems.add(
      'API_KEYS',
      'is empty and so is API_KEY_SHA256: the service refuses to run without keys unless AUTH_DISABLED=true',
      'API_KEYS=billing:k_live_4f9a2c7e1b8d3f60,crm:k_live_9e1b7c3a5d2f8e04',
    );
  }

  const usage = readUsageConfig(env, problems);
  const redis = readRedisConfig(env, problems);
  const ttl = int('CACHE_TTL_SECONDS', 60, 0, 86_400 * 7, '60');
  const stale = int('CACHE_STALE_SECONDS', 0, 0, 86_400 * 7, '30');
  const staleIfError = int('CACHE_STALE_IF_ERROR_SECONDS', 300, 0, 86_400 * 7, '300');
  const bypassClients = readCacheBypassClients(env, problems, keys, authDisabled);
  const keyPrefix = readRedisKeyPrefix(env, problems);
  const providerTimeoutMs = int('PROVIDER_TIMEOUT_MS', 3000, 50, 120_000, '3000');
  const requestTimeoutMs = int('REQUEST_TIMEOUT_MS', 5000, 50, 300_000, '5000');
  const resilience = readResilienceConfig(env, problems);
  // Long enough by default for a search that started just before SIGTERM to finish within its own deadline.
  const shutdownGraceMs = int('SHUTDOWN_GRACE_MS', requestTimeoutMs + 1000, 0, 3_600_000, String(requestTimeoutMs + 1000));
  const management = readManagementListener(env, problems, port, host);
  const tracing = readTracingConfig(env, problems);
  const orders = readOrdersConfig(env, problems, keys, authDisabled);
  const ledger = readLedgerConfig(env, problems);
  const memory = readMemoryConfig(env, problems);

  const enabled: EnabledCarrier<D>[] = [];
  for (const definition of carriers) {
    const settings = definition.readConfig(env, problems);
    if (settings !== undefined) enabled.push({ definition, settings });
  }
  const ordered = orderByPriority(enabled, carriers, env.PROVIDER_PRIORITY, problems);

  const secrets = collectSecrets(env, keys, carriers, redis, ledger, tracing);
  const basicCredentials = collectBasicCredentials(env, carriers);
  if (!problems.empty) throw new ConfigError(problems.lines());
  return {
    port,
    host,
    logLevel,
    production: (env.NODE_ENV ?? '').trim() === 'production',
    auth: { disabled: authDisabled, keys },
    usage,
    redis,
    cache: { ttlSeconds: ttl, staleSeconds: stale, staleIfErrorSeconds: staleIfError, bypassClients, keyPrefix },
    providers: ordered,
    providerTimeoutMs,
    requestTimeoutMs,
    resilience,
    shutdownGraceMs,
    management,
    tracing,
    orders,
    ledger,
    memory,
    secrets,
    basicCredentials,
  };
}

/**
 * PROVIDER_PRIORITY names carriers highest first; carriers it does not name follow in the order they were
 * handed over (the registry's). An unknown name stops start-up (a typo would silently change which
 * carrier wins duplicates).
 */
function orderByPriority<D extends CarrierSettingsDefinition>(
  enabled: EnabledCarrier<D>[],
  carriers: readonly D[],
  raw: string | undefined,
  problems: ConfigProblemList,
): EnabledCarrier<D>[] {
  const known = carriers.map((d) => d.name);
  const names = splitList(raw).map((s) => s.toLowerCase());
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name)) {
      problems.add(
        'PROVIDER_PRIORITY',
        `names an unknown provider "${name}" (known: ${known.join(', ') || 'none'})`,
        `PROVIDER_PRIORITY=${known.slice(0, 2).join(',') || 'telnyx,twilio'}`,
      );
    } else if (seen.has(name)) {
      problems.add('PROVIDER_PRIORITY', `names "${name}" twice`, `PROVIDER_PRIORITY=${known.slice(0, 2).join(',')}`);
    }
    seen.add(name);
  }
  const rank = (name: string) => {
    const i = names.indexOf(name);
    return i >= 0 ? i : names.length + known.indexOf(name);
  };
  return [...enabled].sort((a, b) => rank(a.definition.name) - rank(b.definition.name));
}

/**
 * MANAGEMENT_PORT (with MANAGEMENT_HOST, default HOST) moves /metrics and /health/* to a listener of their
 * own, so they need not be reachable where the API is; unset, they stay on the API's listener.
 */
function readManagementListener(env: Env, problems: ConfigProblemList, apiPort: number, apiHost: string): AppConfig['management'] {
  const host = (env.MANAGEMENT_HOST ?? '').trim();
  if ((env.MANAGEMENT_PORT ?? '').trim() === '') {
    if (host !== '') problems.add('MANAGEMENT_HOST', 'is set without MANAGEMENT_PORT', 'MANAGEMENT_PORT=9090');
    return undefined;
  }
  const port = readOptionalInt(env, problems, 'MANAGEMENT_PORT', 1, 65535, '9090');
  if (port === undefined) return undefined;
  if (port === apiPort) {
    problems.add('MANAGEMENT_PORT', `is the API's port (PORT=${apiPort}): the management listener needs a port of its own`, `MANAGEMENT_PORT=${apiPort === 9090 ? 9091 : 9090}`);
    return undefined;
  }
  return { port, host: host || apiHost };
}

/** Header names that carry credentials (authorization, x-api-key, x-honeycomb-team keys, dd-api-key, access tokens, DSNs). */
const SECRET_HEADER = /auth|key|token|secret|pass|dsn|signature|credential|cookie|team/i;

function collectSecrets(
  env: Env,
  keys: ApiKeyEntry[],
  carriers: readonly CarrierSettingsDefinition[],
  redis: RedisConfig | undefined,
  ledger: LedgerConfig,
  tracing: TracingConfig | undefined,
): string[] {
  const out = new Set<string>();
  for (const k of keys) if (k.plain) out.add(k.plain);
  for (const d of carriers) {
    for (const name of d.secretEnv) {
      const v = (env[name] ?? '').trim();
      if (v.length >= 4) out.add(v);
    }
  }
  const databasePassword = ledger.kind === 'postgres' ? ledger.password : undefined;
  for (const v of [redis?.security.password, redis?.security.sentinelPassword, databasePassword]) if (v !== undefined && v.length >= 4) out.add(v);
  // The trace exporter's headers carry the collector's or vendor's key. Other header values (a tenant or
  // scope name such as "production") are not secrets, and scrubbing them would blank ordinary words.
  for (const [name, v] of Object.entries(tracing?.headers ?? {})) {
    if (!SECRET_HEADER.test(name) && v.length < 16) continue;
    out.add(v);
    // `Bearer <key>` / `Basic <key>`: the key alone too, wherever it turns up without its scheme.
    const token = v.trim().split(/\s+/)[1];
    if (token !== undefined) out.add(token);
  }
  return [...out].filter((v) => v.length >= 4);
}

/** The Basic pairs of every carrier that is sent them (CarrierSettingsDefinition.basicAuthEnv), as the adapters send them. */
function collectBasicCredentials(env: Env, carriers: readonly CarrierSettingsDefinition[]): { user: string; secret: string }[] {
  const out: { user: string; secret: string }[] = [];
  for (const d of carriers) {
    if (!d.basicAuthEnv) continue;
    const [user, secret] = d.basicAuthEnv.map((name) => (env[name] ?? '').trim());
    if (user !== '' && secret.length >= 4) out.push({ user, secret });
  }
  return out;
}
