#!/bin/sh
# Entry point of the trainer image: runs `gymlink train` against GYMLINK_SERVER, writing runs into /runs.
#
# Environment (defaults in brackets):
#   GYMLINK_SERVER    env server(s): host:port, a comma-separated list, dns:///host:port (every replica the name
#                     resolves to) or http://host:port           [envserver:50051]
#   GYMLINK_ENV       Gymnasium id to train on                    [Pendulum-v1]
#   GYMLINK_NUM_ENVS  training envs, spread over the servers      [1]
#   GYMLINK_STEPS     total environment steps                     [the preset's]
#   GYMLINK_SEED      seed                                        [0]
#   GYMLINK_CA_CERT   PEM CA of the server's TLS certificate: speak TLS (--ca-cert)   [none: plaintext]
#   GYMLINK_TOKEN_FILE file holding the server's bearer token (--token-file)     [none; GYMLINK_TOKEN also works]
#   GYMLINK_TRAIN_ARGS more `gymlink train` flags, space-separated, e.g. "--set learningStarts=1000"
#   GYMLINK_JAVA_OPTS JVM options; ND4J keeps arrays off-heap, so bound both the heap and javacpp's allocations
#                     [-Xmx1g -Dorg.bytedeco.javacpp.maxBytes=1G -Dorg.bytedeco.javacpp.maxPhysicalBytes=2500M]
# Arguments are appended to `gymlink train` (e.g. `--set gamma=0.99`, or `--resume /runs/<dir>`). Each run writes metrics.csv,
# evaluations.csv, learning_curve.png and checkpoint/ into /runs/<env>-<date>-<time>/ (mount a host directory there).
set -eu
runs=/runs

if [ "$(id -u)" = 0 ]; then
  # Write runs/ as its owner, so a host directory mounted there keeps files its user can read and delete. A
  # directory Docker created (owned by root) is handed to the unprivileged gymlink user instead.
  mkdir -p "$runs"
  uid=$(stat -c %u "$runs")
  gid=$(stat -c %g "$runs")
  if [ "$uid" = 0 ]; then
    chown gymlink:gymlink "$runs"
    uid=$(id -u gymlink)
    gid=$(id -g gymlink)
  fi
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$0" "$@"
fi

# shellcheck source=bin/openblas-env
. /opt/gymlink/bin/openblas-env
echo "gymlink trainer: env ${GYMLINK_ENV:-Pendulum-v1} via ${GYMLINK_SERVER:-envserver:50051}," \
  "OpenBLAS kernel ${OPENBLAS_CORETYPE:-auto-detected}, runs in $runs (uid $(id -u))"

# From / the train command's default run directory, runs/<env>-<date>-<time>, is inside the mounted /runs.
cd /
# `--resume DIR` continues a run with its own env and seed, which train then refuses to be given again.
resuming=""
for arg in "$@" ${GYMLINK_TRAIN_ARGS:-}; do
  case "$arg" in --resume|--resume=*) resuming=1 ;; esac
done
# shellcheck disable=SC2086
if [ -n "$resuming" ]; then
  set -- train --server "${GYMLINK_SERVER:-envserver:50051}" ${GYMLINK_STEPS:+--steps "$GYMLINK_STEPS"} \
    ${GYMLINK_CA_CERT:+--ca-cert "$GYMLINK_CA_CERT"} ${GYMLINK_TOKEN_FILE:+--token-file "$GYMLINK_TOKEN_FILE"} \
    ${GYMLINK_NUM_ENVS:+--num-envs "$GYMLINK_NUM_ENVS"} ${GYMLINK_TRAIN_ARGS:-} "$@"
else
  set -- train --server "${GYMLINK_SERVER:-envserver:50051}" --env "${GYMLINK_ENV:-Pendulum-v1}" \
    ${GYMLINK_CA_CERT:+--ca-cert "$GYMLINK_CA_CERT"} ${GYMLINK_TOKEN_FILE:+--token-file "$GYMLINK_TOKEN_FILE"} \
    ${GYMLINK_STEPS:+--steps "$GYMLINK_STEPS"} ${GYMLINK_SEED:+--seed "$GYMLINK_SEED"} \
    ${GYMLINK_NUM_ENVS:+--num-envs "$GYMLINK_NUM_ENVS"} ${GYMLINK_TRAIN_ARGS:-} "$@"
fi
# javacpp unpacks ~400 MB of native libraries on first use; /cache is a volume in docker-compose.yml so that
# happens once, not at every start. HOME may not be writable for the uid taken above.
# shellcheck disable=SC2086
exec java ${GYMLINK_JAVA_OPTS:--Xmx1g -Dorg.bytedeco.javacpp.maxBytes=1G -Dorg.bytedeco.javacpp.maxPhysicalBytes=2500M} \
  -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.cachedir=/cache/javacpp -Duser.home=/tmp \
  -jar /opt/gymlink/gymlink-agent.jar "$@"
