FROM gcc:14
RUN mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
