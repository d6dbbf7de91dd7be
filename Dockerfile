# numbers-gateway: build with the dev toolchain, run with production dependencies only.
# Node.js 24 LTS, the version of .node-version, pinned by image digest (CI runs the tests on the same version).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.tools.json nest-cli.json ./
COPY src ./src
COPY emulators ./emulators
COPY bench ./bench
COPY scripts ./scripts
COPY .node-version ./
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
# V8 grows its heap lazily under load (RSS rose past 300 MB with about 50 MB live); a 128 MB old space
# bounds the old generation. The young generation is bounded apart: by default V8 lets each semi-space grow
# to 64 MB for a heap this size (a 320 MB heap limit), and under load it did, which alone kept RSS near
# 190 MB. Semi-spaces of 2 MB (a 134 MB heap limit) held RSS about 40 MB lower after the same searches, for
# a cache-hit throughput within the noise of the shared 2-core machine (autocannon, 32 connections, four
# 8 s runs each: 2 600–5 500 req/s with the default, 3 400–4 800 with 2 MB). The in-process memos share a
# fifth of the heap limit (MEMORY_BUDGET_MB). See the README's Benchmarks section.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=2"
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
# Liveness of the process itself; readiness (dependencies) is /health/ready, used by the orchestrator.
# Both are on the management listener when MANAGEMENT_PORT is set, on the API's otherwise.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.MANAGEMENT_PORT||process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: it stops accepting, finishes in-flight requests and exits 0.
CMD ["node", "dist/main.js"]
