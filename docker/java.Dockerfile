# A full JDK: the executor compiles with javac, then runs with a JVM sized to the memory limit.
FROM eclipse-temurin:21-jdk
RUN mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
