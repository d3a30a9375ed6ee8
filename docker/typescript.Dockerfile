# JavaScript and TypeScript both run on Bun (see apps/server/src/executor/languages.ts).
FROM oven/bun:1-slim
RUN mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
