# SQL on SQLite: an in-memory database seeded by the request (or a sample schema).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
