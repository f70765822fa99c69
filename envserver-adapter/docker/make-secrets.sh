#!/bin/sh
# Makes the TLS and token material of a private gymlink deployment once (docker-compose.yml: the env server's entry
# point runs it when GYMLINK_MAKE_SECRETS names a directory):
#   DIR/ca.crt       the CA clients trust (--ca-cert)            DIR/server.crt, DIR/server.key  the server's TLS pair
#   DIR/tokens       the server's tokens file (--tokens)          DIR/token                       the trainer's token
# The server certificate names the given host names, localhost and 127.0.0.1. Existing files are kept, so the token
# and the CA survive restarts; delete the volume to rotate them.
#   gymlink-make-secrets DIR [HOSTNAME...]
set -eu
dir=${1:?usage: gymlink-make-secrets DIR [HOSTNAME...]}
shift
cd "$dir"
# Replicas sharing the directory (--scale) wait for whichever makes the files first.
tries=0
until mkdir .lock 2>/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 120 ] || { echo "gymlink secrets: $dir/.lock held for 60 s; remove it if no one is making secrets" >&2; exit 1; }
  sleep 0.5
done
trap 'rmdir .lock' EXIT
if [ -s ca.crt ] && [ -s server.crt ] && [ -s server.key ] && [ -s tokens ] && [ -s token ]; then
  echo "gymlink secrets: kept the existing CA, server certificate and token in $dir"
  exit 0
fi
umask 077
san="DNS:localhost,IP:127.0.0.1"
for host in "$@"; do san="$san,DNS:$host"; done
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 825 -subj "/CN=gymlink private CA" \
  2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=${1:-localhost}" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 825 \
  -extfile server.ext 2>/dev/null
token=$(openssl rand -hex 24)
printf '%s trainer\n' "$token" > tokens
printf '%s\n' "$token" > token
rm -f server.csr server.ext ca.srl
# The trainer runs as the owner of its runs/ directory: it must be able to read the CA and its token.
chmod 644 ca.crt server.crt token
echo "gymlink secrets: made a CA, a server certificate for $san and a token in $dir"
