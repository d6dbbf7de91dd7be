// @ts-check
const { join } = require('node:path');

/**
 * The floor plan of src/, as rules `npm test` checks (`npm run lint:deps`). Layers, lowest first; an
 * import only ever points to the same layer or a lower one:
 *
 *   domain            the vocabulary: query, E.164, canonical key, the NumberProvider and NumberOrdering contracts,
 *                     ProviderError
 *   secrets, memo     pure helpers of every layer: the one secret scrubber; every in-process memo and its bound
 *   errors, config    AppError, the envelope, request limits, the protocol-level answers (wired by app only);
 *                     env parsing and typed config (owns Env, ConfigProblems)
 *   places            the place a number shows (libphonenumber's geocoding data): a pure library of the engine
 *   providers         one folder per carrier + http/ + ordering/ + registry.ts
 *   infrastructure    redis, metrics, logging, auth, docs, resilience, cache, usage, management, tracing, ledger (the
 *                     orders' database), offers (which carrier offered which number), taken-numbers (numbers orders hold)
 *   numbers, orders   the features: search (controller, service, fan-out, engine, validation); buying numbers
 *                     (controller, service, reconciler)
 *   health            readiness and liveness
 *   app               the composition (which carriers, how each is wrapped, the Nest root module, the server's
 *                     hooks and listeners, the process's start and stop)
 *   main.ts           bootstrap only
 *
 * client/src, the typed client other teams install, stands apart: generated from the served document, it
 * and the service never import each other.
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
      name: 'secrets-stand-alone',
      comment:
        'src/secrets is the one secret scrubber (logs, answers, carrier error bodies): every layer that hands text on may use it, so it imports nothing of the app.',
      severity: 'error',
      from: { path: '^src/secrets/' },
      to: { path: '^src/', pathNot: '^src/secrets/' },
    },
    {
      name: 'places-stand-on-domain-and-memo',
      comment:
        'src/places decides the place a number shows, from the carrier\'s answer and libphonenumber\'s data: a pure library of the engine, it imports only src/domain, src/memo (its bound) and itself.',
      severity: 'error',
      from: { path: '^src/places/' },
      to: { path: '^src/', pathNot: '^src/(domain|memo|places)/' },
    },
    {
      name: 'pure-libraries-use-no-framework',
      comment: 'src/secrets, src/memo and src/places are plain TypeScript: no framework, no I/O client, no process-wide state of a library.',
      severity: 'error',
      from: { path: '^src/(secrets|memo|places)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'providers-know-domain-config-and-http-only',
      comment:
        'A carrier adapter translates and nothing else: src/providers imports src/domain, src/config, src/secrets and itself (its http/ and ordering/), never the cache, resilience, metrics, logging, Nest modules or anything above.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/', pathNot: '^src/(domain|config|secrets|providers)/' },
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
        'Infrastructure (redis, metrics, logging, auth, docs, resilience, cache, usage, management, tracing, ledger, offers, taken-numbers) works on the contracts of the domain: it never imports a carrier, a feature, health or the composition.',
      severity: 'error',
      from: { path: '^src/(redis|metrics|logging|auth|docs|resilience|cache|usage|management|tracing|ledger|offers|taken-numbers)/' },
      to: { path: '^src/(providers|numbers|orders|health|app)/' },
    },
    {
      name: 'tracing-stands-on-domain-config-and-secrets',
      comment:
        'src/tracing (spans of requests, carrier calls and Redis commands; the SDK) is used by the infrastructure, the search and the composition, so it imports only src/domain, src/config, src/secrets and itself.',
      severity: 'error',
      from: { path: '^src/tracing/' },
      to: { path: '^src/', pathNot: '^src/(domain|config|secrets|tracing)/' },
    },
    {
      name: 'opentelemetry-through-src-tracing',
      comment:
        'Spans are started, named and given attributes in src/tracing only (one place decides what a span may hold: never a credential); everything else calls its helpers. The carrier HTTP client is observed through its ExchangeObserver, wired by the composition.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tracing/' },
      to: { path: '(^|/)node_modules/@opentelemetry/' },
    },
    {
      name: 'tracing-sdk-loaded-on-demand',
      comment:
        'Only src/tracing/sdk/ loads the OpenTelemetry SDK (anything of @opentelemetry/ but the API), and everything else reaches it by a dynamic import (start-tracing.ts) or for types: a service that exports no traces never loads the SDK.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tracing/sdk/' },
      to: { path: ['(^|/)node_modules/@opentelemetry/(?!api/)', '^src/tracing/sdk/'], dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'features-depend-on-contracts',
      comment:
        'src/numbers and src/orders call carriers through the contracts they are handed (SearchCarrier, CachedCarrier, NumberOrdering): never a concrete adapter, a policy wrapper, health or the composition.',
      severity: 'error',
      from: { path: '^src/(numbers|orders)/' },
      to: { path: '^src/(providers|resilience|health|app)/' },
    },
    {
      name: 'features-stand-apart',
      comment:
        'The search (src/numbers) and buying (src/orders) share what they need through infrastructure (offers, taken-numbers) and the domain, never by importing each other: either can change without the other.',
      severity: 'error',
      from: { path: '^src/(numbers|orders)/' },
      to: { path: '^src/(numbers|orders)/', pathNot: '^src/$1/' },
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
      name: 'migrate-is-bootstrap-only',
      comment: 'src/migrate.ts (npm run migrate) reads the ledger configuration and runs the ledger migrations; it composes nothing else.',
      severity: 'error',
      from: { path: '^src/migrate\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(ledger|config)/' },
    },
    {
      name: 'exception-filter-wired-from-the-top',
      comment: 'The one global exception filter is registered by the composition (src/app) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|errors)/' },
      to: { path: '^src/errors/all-exceptions\\.filter\\.ts$' },
    },
    {
      name: 'protocol-errors-wired-from-the-top',
      comment:
        'The answers to what never reaches a handler (bytes Node refuses, routing errors, refused request heads, their log) are installed on the server by the composition (src/app) only; their limits live in src/errors/request-limits.ts for anyone to name.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|errors)/' },
      to: { path: '^src/errors/(client-errors|framework-errors|refusal-log|request-head-checks)\\.ts$' },
    },
    {
      name: 'management-wired-from-the-top',
      comment: 'The management listener (/metrics and /health/* on a port of their own) is started by the composition (src/app) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|management)/' },
      to: { path: '^src/management/' },
    },
    {
      name: 'client-stands-alone',
      comment:
        'client/ is the typed client other teams install: its types are generated from the served document, so it never imports the service (src/) or its tooling, and stays publishable on its own.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(src|scripts|test|emulators|bench)/' },
    },
    {
      name: 'the-service-never-imports-its-client',
      comment: 'src/ serves the document the client is generated from; importing the client back would make the two depend on each other.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^client/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle has no lowest member: split the shared part out into the lower of the two places.',
      severity: 'error',
      from: { path: '^(src|client)/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import that cannot be resolved cannot be checked against the floor plan.',
      severity: 'error',
      from: { path: '^(src|client)/' },
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
