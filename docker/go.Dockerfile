# Go from Debian; the executor builds in GOPATH mode with the caches on /tmp.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends golang-go && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
