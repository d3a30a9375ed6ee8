# Pairpad server with the web client built in. Multi-stage: dependencies and the Vite build stay in
# the build stages; the final image holds production dependencies, the sources Bun runs directly
# and the built client, and runs as the unprivileged `bun` user.
#   docker build -t pairpad:latest .
ARG BUN_VERSION=1.4

FROM oven/bun:${BUN_VERSION} AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/api/package.json packages/api/
COPY packages/db/package.json packages/db/
COPY bench/package.json bench/
RUN bun install --frozen-lockfile --ignore-scripts

FROM deps AS web
COPY . .
RUN cd apps/web && bun run build

FROM oven/bun:${BUN_VERSION} AS prod-deps
WORKDIR /app
COPY --from=deps /app/package.json /app/bun.lock /app/bunfig.toml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/api/package.json packages/api/
COPY packages/db/package.json packages/db/
COPY bench/package.json bench/
# Only what the server imports: the web client's packages (React, CodeMirror, xterm, Vite) stay out.
RUN bun install --frozen-lockfile --production --ignore-scripts --filter '@pairpad/server'

FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data EXECUTOR=docker
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json bun.lock bunfig.toml tsconfig.json ./
COPY packages ./packages
COPY apps/server ./apps/server
COPY --from=web /app/apps/web/dist ./apps/web/dist
COPY apps/web/package.json ./apps/web/package.json
RUN mkdir -p /data && chown bun:bun /data
USER bun
EXPOSE 3000
# SIGTERM drains: not ready, sockets moved with 1001, runs in flight finish (SHUTDOWN_TIMEOUT_SECONDS).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bun", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["bun", "apps/server/src/main-cli.ts"]
