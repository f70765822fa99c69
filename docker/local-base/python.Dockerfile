# Local stand-in for python:3.12-slim on machines without a container registry (used by bin/docker-local-base only).
# Debian bookworm's Python is 3.11; the env server supports >= 3.10. Users build on python:3.12-slim instead.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# The machine's extra CA certificates (this workplace intercepts TLS to the package registries); public certs only.
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates passwd >/dev/null \
 && update-ca-certificates >/dev/null \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -rf /var/lib/apt/lists/*
# pip bundles its own CA list; point it (and requests/urllib) at the system one, which has the machine's CAs.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    LANG=C.UTF-8
