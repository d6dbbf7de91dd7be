// @ts-check
const { join } = require('node:path');

/**
 * The floor plan of src/, as rules `npm test` checks (`npm run lint:deps`). Layers, lowest first; an import
 * only ever points to the same layer or a lower one:
 *
 *   domain            the vocabulary: query, E.164, canonical key, the NumberProvider contract, ProviderError
 *   errors, config    AppError and the envelope; env parsing and typed config (owns Env, ConfigProblems)
 *   memo              every in-process memo and its bound
 *   providers         one folder per carrier + http/ + registry.ts
 *   infrastructure    redis, metrics, logging, auth, docs, resilience, cache, usage
 *   numbers           the search feature (controller, service, fan-out, engine, validation)
 *   health            readiness and liveness
 *   app               the composition (which carriers, how each is wrapped, the Nest root module)
 *   main.ts           bootstrap only
 *
 * Each rule below is one thing the plan forbids, named so that a wrong import fails with the rule's name
 * and this comment's reason. There are no exceptions.
 */

/** Packages with I/O, a framework or process-wide state: none of them belongs in the lowest layers. */
const FRAMEWORKS = '(^|/)node_modules/(@nestjs/|nestjs-pino|pino|pino-http|ioredis|cockatiel|prom-client|fastify|@fastify/|axios|class-validator|class-transformer|reflect-metadata|rxjs)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-the-app',
      comment: 'src/domain is the vocabulary every layer stands on: it imports only src/domain (and node built-ins).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-uses-no-framework',
      comment: 'src/domain is plain TypeScript: no framework, no I/O client.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'errors-stand-on-domain-only',
      comment: 'src/errors (AppError, codes, envelope) sits beside the domain: it imports only src/domain and itself.',
      severity: 'error',
      from: { path: '^src/errors/' },
      to: { path: '^src/', pathNot: '^src/(domain|errors)/' },
    },
    {
      name: 'config-stands-on-domain-only',
      comment:
        'src/config owns its types (Env, ConfigProblems) and reads carriers through the definitions handed to loadConfig: it never imports src/providers or anything above.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(domain|config)/' },
    },
    {
      name: 'memo-stands-alone',
      comment: 'src/memo owns every in-process memo and its bound; it imports nothing of the app.',
      severity: 'error',
      from: { path: '^src/memo/' },
      to: { path: '^src/', pathNot: '^src/memo/' },
    },
    {
      name: 'providers-know-domain-config-and-http-only',
      comment:
        'A carrier adapter translates and nothing else: src/providers imports src/domain, src/config and itself (its http/), never the cache, resilience, metrics, Nest modules or anything above.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/', pathNot: '^src/(domain|config|providers)/' },
    },
    {
      name: 'providers-use-no-framework',
      comment: 'Adapters are plain classes: no @nestjs/*, no logger, no Redis, no policies library in src/providers.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '(^|/)node_modules/(@nestjs/|nestjs-pino|pino|ioredis|cockatiel|prom-client|fastify|@fastify/|rxjs)' },
    },
    {
      name: 'infrastructure-stands-below-carriers-and-features',
      comment:
        'Infrastructure (redis, metrics, logging, auth, docs, resilience, cache, usage) works on the NumberProvider contract: it never imports a carrier, a feature, health or the composition.',
      severity: 'error',
      from: { path: '^src/(redis|metrics|logging|auth|docs|resilience|cache|usage)/' },
      to: { path: '^src/(providers|numbers|health|app)/' },
    },
    {
      name: 'features-depend-on-contracts',
      comment:
        'src/numbers calls carriers through the contracts it is handed (SearchCarrier, CachedCarrier): never a concrete adapter, a policy wrapper, health or the composition.',
      severity: 'error',
      from: { path: '^src/numbers/' },
      to: { path: '^src/(providers|resilience|health|app)/' },
    },
    {
      name: 'health-reads-contracts',
      comment: 'src/health reports through the views it is handed (CircuitView, RedisService): never a carrier, a feature or the composition.',
      severity: 'error',
      from: { path: '^src/health/' },
      to: { path: '^src/(providers|numbers|app)/' },
    },
    {
      name: 'nothing-imports-the-composition',
      comment: 'src/app is the top: only main.ts (bootstrap) imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app/|main\\.ts$)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'main-is-bootstrap-only',
      comment: 'src/main.ts loads the configuration and starts the app built by src/app; everything else is composed there.',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(app|config)/' },
    },
    {
      name: 'exception-filter-wired-from-the-top',
      comment: 'The one global exception filter is registered by the composition (src/app) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|errors)/' },
      to: { path: '^src/errors/all-exceptions\\.filter\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle has no lowest member: split the shared part out into the lower of the two places.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import that cannot be resolved cannot be checked against the floor plan.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a type taken from a module file drags that file's layer in just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(__dirname, 'tsconfig.json') },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    moduleSystems: ['cjs', 'es6'],
    reporterOptions: { text: { highlightFocused: true } },
  },
};
