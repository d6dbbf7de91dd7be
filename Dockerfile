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
# keeps the process near 145 MB under sustained load (see the README's benchmarks).
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS=--max-old-space-size=128
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
