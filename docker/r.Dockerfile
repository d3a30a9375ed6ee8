# R from Debian (Rscript).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends r-base-core && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
