#!/bin/sh
# Starts gymlink-envserver on GYMLINK_HOST:GYMLINK_PORT (the address the HEALTHCHECK probes) with the given arguments;
# GYMLINK_HTTP_PORT, when set, also serves the gym-http-api routes on that port (same host).
# shellcheck disable=SC2086
exec gymlink-envserver --host "${GYMLINK_HOST:-0.0.0.0}" --port "${GYMLINK_PORT:-50051}" \
  ${GYMLINK_HTTP_PORT:+--http-port "$GYMLINK_HTTP_PORT"} "$@"
