#!/bin/sh
# Starts gymlink-envserver on GYMLINK_HOST:GYMLINK_PORT (the address the HEALTHCHECK probes) with the given arguments;
# GYMLINK_HTTP_PORT, when set, also serves the gym-http-api routes on that port (same host).
# GYMLINK_MAKE_SECRETS=DIR first makes a private CA, server certificate and token in DIR unless they exist
# (gymlink-make-secrets; GYMLINK_SECRETS_HOSTS names the hosts the certificate is for).
# shellcheck disable=SC2086
if [ -n "${GYMLINK_MAKE_SECRETS:-}" ]; then
  gymlink-make-secrets "$GYMLINK_MAKE_SECRETS" ${GYMLINK_SECRETS_HOSTS:-}
fi
exec gymlink-envserver --host "${GYMLINK_HOST:-0.0.0.0}" --port "${GYMLINK_PORT:-50051}" \
  ${GYMLINK_HTTP_PORT:+--http-port "$GYMLINK_HTTP_PORT"} "$@"
