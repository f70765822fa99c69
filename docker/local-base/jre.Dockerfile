# Local stand-in for eclipse-temurin:17-jre on machines without a container registry (bin/docker-local-base only).
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
COPY ca/ /usr/local/share/ca-certificates/
# mkdir: openjdk's postinst expects man pages directories that minbase leaves out.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates passwd >/dev/null \
 && update-ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8
