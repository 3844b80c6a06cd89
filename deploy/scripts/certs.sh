#!/usr/bin/env bash
# One-shot job of the `certs` service (Elasticsearch image, run as root), before Elasticsearch
# starts: the stack's private CA and the node certificate for HTTP and transport TLS, kept in
# the `certs` volume. Safe to run at every `docker compose up`: the CA is made once; the node
# certificate is made again only when its names (ES_CERT_EXTRA_DNS/IPS) change, and clients
# keep trusting it because they trust the CA.
#
# It also hands the snapshot volume to the elasticsearch user (uid 1000): a fresh named volume
# mounted where the image has no folder belongs to root, and path.repo must be writable.
set -euo pipefail

cd "${ES_HOME:-/usr/share/elasticsearch}"
certs=config/certs
node=elasticsearch
snapshots=${SNAPSHOTS_DIR:-/usr/share/elasticsearch/snapshots}

extract() { # ZIP: certutil writes zip files; unpack one into the certs folder
  unzip -q -o "$1" -d "$certs"
  rm -f "$1"
}

if [[ ! -f $certs/ca/ca.crt ]]; then
  echo "certs: creating the stack CA"
  bin/elasticsearch-certutil ca --silent --pem --days 3650 --out "$certs/ca.zip"
  extract "$certs/ca.zip"
fi

# The names clients may use for Elasticsearch: the compose service name inside the stack,
# localhost on the host, plus the server's own names for access from other machines.
read -ra extra_dns <<<"${ES_CERT_EXTRA_DNS:-}"
read -ra extra_ips <<<"${ES_CERT_EXTRA_IPS:-}"
wanted=$(mktemp)
{
  echo "instances:"
  echo "  - name: $node"
  echo "    dns:"
  for name in "$node" localhost "${extra_dns[@]}"; do
    echo "      - \"$name\""
  done
  echo "    ip:"
  for address in 127.0.0.1 ::1 "${extra_ips[@]}"; do
    echo "      - \"$address\""
  done
} >"$wanted"

if [[ ! -f $certs/$node/$node.crt ]] || ! cmp -s "$wanted" "$certs/instances.yml"; then
  echo "certs: creating the certificate of $node"
  mv "$wanted" "$certs/instances.yml"
  bin/elasticsearch-certutil cert --silent --pem --days 1095 \
    --in "$certs/instances.yml" --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key" \
    --out "$certs/node.zip"
  extract "$certs/node.zip"
else
  rm -f "$wanted"
fi

# Elasticsearch and Kibana run as uid 1000 in group root (gid 0): group-readable keys are
# enough for them. The CA certificate is public and must be readable by the crawler's own
# user; the CA key stays with root, needed only to sign a new node certificate.
chown -R root:root "$certs"
find "$certs" -type d -exec chmod 755 {} +
find "$certs" -type f -exec chmod 640 {} +
chmod 644 "$certs/ca/ca.crt"
chmod 600 "$certs/ca/ca.key"

chown 1000:0 "$snapshots"
chmod 770 "$snapshots"
echo "certs: ready"
