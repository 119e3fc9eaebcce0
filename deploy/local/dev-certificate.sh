#!/usr/bin/env bash
# A development certificate set for silo-to-silo mutual TLS: a cluster authority of its own and one silo
# certificate it issued (server and client authentication, for 127.0.0.1 and localhost), as PEM files:
#
#   DIR/ca.pem  DIR/ca.key  DIR/silo.pem  DIR/silo.key
#
#   deploy/local/dev-certificate.sh [--out DIR]    (default ./data/certificates; prints DIR last)
#
# Files already in DIR are kept, so every silo started from one DIR trusts the others. For local runs and
# tests only: production silos get certificates from the site's own PKI (deploy/systemd/README.md).
set -euo pipefail
out="${PWD}/data/certificates"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v openssl >/dev/null || { echo "dev-certificate.sh needs openssl (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
umask 077

if [ ! -s "$out/ca.pem" ] || [ ! -s "$out/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/CN=contact-center development cluster authority" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$out/ca.key" -out "$out/ca.pem" 2>/dev/null
  rm -f "$out/silo.pem" "$out/silo.key"
fi

if [ ! -s "$out/silo.pem" ] || [ ! -s "$out/silo.key" ]; then
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=contact-center development silo" -keyout "$out/silo.key" -out "$out/silo.csr" 2>/dev/null
  extensions=$(mktemp)
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$extensions"
  openssl x509 -req -in "$out/silo.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial -days 825 \
    -extfile "$extensions" -out "$out/silo.pem" 2>/dev/null
  rm -f "$out/silo.csr" "$extensions" "$out/ca.srl"
fi

echo "$out"
