FROM python:3.12-slim
RUN mkdir -p /box && chown 65534:65534 /box
USER 65534:65534
WORKDIR /box
