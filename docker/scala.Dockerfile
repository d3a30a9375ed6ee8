# Scala from Debian on its JDK; the program runs on java with scala-library.jar.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends scala default-jdk-headless && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
