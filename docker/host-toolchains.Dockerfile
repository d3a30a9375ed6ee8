# An empty image for tests and development: the DockerExecutor binds the host's toolchains read-only
# into it (see apps/server/src/executor/docker.test.ts). Nothing is pulled from a registry.
FROM scratch
LABEL org.opencontainers.image.title="pairpad-run-host-toolchains"
WORKDIR /box
