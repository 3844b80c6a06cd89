#!/usr/bin/env bash
# Backup of the rassegna data volume (`rassegna-data`, /data in the crawler and the desk), run on
# the Docker host:
#
#   scripts/data-backup.sh [--no-warc] [FOLDER]      # FOLDER defaults to ./backups
#
# Writes FOLDER/rassegna-data-YYYYmmdd-HHMMSS.tar.gz and prints its path. The archive is made
# inside a rassegna container by data_archive.py (beside this script): every SQLite database is
# copied with SQLite's online backup API, consistent even while the crawler and the desk write,
# and the other files (editions/, snapshots/, warc/ ...) as they are. It uses the running
# crawler when there is one, else a one-off container of its image: no service is stopped.
# --no-warc leaves out the WARC archive of fetched pages (the largest part; only `rassegna
# reprocess` needs it).
#
# The archive holds the desk's password hashes and its session data: it is written owner-only
# (umask 077); keep it where only administrators can read it. The items themselves live in
# Elasticsearch: back them up with its snapshots (README.md, "Backups").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
options=()
if [[ ${1:-} == --no-warc ]]; then
  options+=(--no-warc)
  shift
fi
folder=${1:-./backups}
[[ $# -le 1 ]] || {
  echo "usage: $0 [--no-warc] [FOLDER]" >&2
  exit 2
}

umask 077
mkdir -p "$folder"
target="$(cd "$folder" && pwd)/rassegna-data-$(date +%Y%m%d-%H%M%S).tar.gz"
partial="$target.partial"
trap 'rm -f "$partial"' EXIT
code=$(<"$here/data_archive.py")

cd "$here/.." # docker compose reads docker-compose.yml and .env from deploy/
running=$(docker compose ps --status running --services)
if grep -qx crawler <<<"$running"; then
  docker compose exec -T crawler python -c "$code" backup "${options[@]}" >"$partial"
else
  docker compose run --rm --no-deps -T --entrypoint python crawler \
    -c "$code" backup "${options[@]}" >"$partial"
fi
mv "$partial" "$target"
trap - EXIT
echo "$target"
