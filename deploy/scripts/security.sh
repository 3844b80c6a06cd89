#!/usr/bin/env bash
# One-shot job of the `security` service (Elasticsearch image), once Elasticsearch is healthy
# and before Kibana starts: Kibana cannot become healthy until its `kibana_system` user has the
# password it was given, so this cannot wait for Kibana.
#
#  - sets the password of the built-in `kibana_system` user (KIBANA_PASSWORD);
#  - creates the role `rassegna_writer` and the user `rassegna` (RASSEGNA_ES_PASSWORD) that the
#    crawler uses: read and write the items, nothing else. Index template, indices and aliases
#    are managed by `rassegna es-setup`, which the `setup` service runs as `elastic`.
#
# Every call sets the same state again, so it runs at every `docker compose up`; a password
# changed in .env takes effect there.
set -euo pipefail

: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD in .env}"
: "${KIBANA_PASSWORD:?set KIBANA_PASSWORD in .env}"
: "${RASSEGNA_ES_PASSWORD:?set RASSEGNA_ES_PASSWORD in .env}"

es_url=https://elasticsearch:9200
ca=/usr/share/elasticsearch/config/certs/ca/ca.crt
# Index names follow the default prefix of the product (RASSEGNA_ES_PREFIX, "rassegna-items").
items="${RASSEGNA_ES_PREFIX:-rassegna-items}*"

json_string() { # VALUE: a JSON string literal, so any password character is safe
  local value=${1//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

es() { # METHOD PATH BODY: one API call as `elastic`; prints the answer, fails on non-2xx
  local answer status
  answer=$(mktemp)
  status=$(curl -sS --cacert "$ca" -u "elastic:$ELASTIC_PASSWORD" -o "$answer" \
    -w '%{http_code}' -H 'Content-Type: application/json' -X "$1" "$es_url$2" \
    --data-binary @- <<<"$3")
  cat "$answer"
  echo
  rm -f "$answer"
  [[ $status == 2* ]] || {
    echo "security: $1 $2 answered HTTP $status" >&2
    return 1
  }
}

echo "security: password of kibana_system"
es POST /_security/user/kibana_system/_password "{\"password\": $(json_string "$KIBANA_PASSWORD")}"

echo "security: role rassegna_writer"
es PUT /_security/role/rassegna_writer "$(
  cat <<JSON
{
  "cluster": ["monitor"],
  "indices": [
    {
      "names": ["$items"],
      "privileges": ["read", "write", "view_index_metadata", "maintenance"]
    }
  ],
  "metadata": {"managed_by": "rassegna deploy/scripts/security.sh"}
}
JSON
)"

echo "security: user rassegna"
es PUT /_security/user/rassegna "{
  \"password\": $(json_string "$RASSEGNA_ES_PASSWORD"),
  \"roles\": [\"rassegna_writer\"],
  \"full_name\": \"rassegna crawler\"
}"
echo "security: ready"
