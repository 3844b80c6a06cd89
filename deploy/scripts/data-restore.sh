#!/usr/bin/env bash
# Restore of the rassegna data volume from an archive of data-backup.sh, run on the Docker host
# with the crawler and the desk stopped:
#
#   docker compose stop crawler serve
#   scripts/data-restore.sh backups/rassegna-data-YYYYmmdd-HHMMSS.tar.gz
#   docker compose start crawler serve
#
# data_archive.py (beside this script) checks every member of the archive and unpacks it in a
# one-off container of the crawler's image; then it moves the volume's current contents into
# /data/.before-restore-<time>/ and the restored ones into place. Nothing is deleted: once the
# restored data is right, remove that folder
# (docker compose run --rm --no-deps --entrypoint rm crawler -rf /data/.before-restore-<time>).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 1 && -f $1 ]] || {
  echo "usage: $0 ARCHIVE.tar.gz (a file written by data-backup.sh)" >&2
  exit 2
}
archive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
code=$(<"$here/data_archive.py")

cd "$here/.." # docker compose reads docker-compose.yml and .env from deploy/
running=$(docker compose ps --status running --services)
running=$(grep -xE 'crawler|serve' <<<"$running" || true)
if [[ -n $running ]]; then
  echo "data-restore: stop the services that write the data first:" \
    "docker compose stop crawler serve (running: $(echo "$running" | tr '\n' ' '))" >&2
  exit 1
fi
docker compose run --rm --no-deps -T --entrypoint python crawler -c "$code" restore <"$archive"
echo "data-restore: done; start the services again: docker compose start crawler serve"
