# JavaScript and TypeScript both run on Bun (see apps/server/src/executor/languages.ts). The shared
# terminal's JavaScript REPL is node's (`node -i` with the code loaded first; Bun has no such REPL),
# so node's binary comes along from the official image of the same Debian release.
FROM node:22-bookworm-slim AS node

FROM oven/bun:1-slim
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
