# Lua 5.4 from Debian.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends lua5.4 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
