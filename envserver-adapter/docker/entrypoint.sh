#!/bin/sh
# Starts gymlink-envserver on GYMLINK_HOST:GYMLINK_PORT (the address the HEALTHCHECK probes) with the given arguments.
exec gymlink-envserver --host "${GYMLINK_HOST:-0.0.0.0}" --port "${GYMLINK_PORT:-50051}" "$@"
