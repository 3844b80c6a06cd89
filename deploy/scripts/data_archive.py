"""A consistent archive of the rassegna data dir, and its restore; run inside a rassegna
container by ``data-backup.sh`` and ``data-restore.sh`` (``python -c "$(cat ...)" ACTION``).

``backup [--no-warc]`` writes a gzipped tar of the data dir (``RASSEGNA_DATA_DIR``) to stdout.
Each SQLite database (the store, the crawl state, the outbox, the jobs, the ledgers of alerts
and editions, the desk's decisions, the accounts) is copied with SQLite's online backup API: a
snapshot of one moment, even while the service writes to it, which a copy of the file and its
``-wal`` is not. Every other file (editions/, snapshots/, the Atom feed, warc/) is copied as it
is; the service replaces those atomically or only appends to them. ``--no-warc`` leaves out the
WARC archive of fetched pages, the largest part, needed only by ``rassegna reprocess``.

``restore`` reads such an archive from stdin, checks every member (no absolute path, no
``..``, no link or device) and unpacks it beside the data; only then it moves the current
contents of the data dir into ``.before-restore-<time>/`` and the restored ones into place, so
no stale ``-wal`` file meets a restored database and the old data stays until you delete it.
The services must be stopped (``data-restore.sh`` checks).

Standard library only: it runs in the image's Python, as the image's user.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import time
from contextlib import closing
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal")
"""Companions of a live database: the backup API already read what they hold."""
ASIDE_PREFIX = ".before-restore-"
STAGING = ".restoring"


def is_sqlite(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def sqlite_copy(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` as of one moment, and checked."""
    with (
        closing(sqlite3.connect(source, timeout=60)) as live,
        closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)
        (result,) = copy.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise SystemExit(f"data_archive: the copy of {source} fails its check: {result}")


def members(root: Path, *, warc: bool) -> list[Path]:
    """Every folder and regular file to archive, relative to ``root``, parents first."""
    found = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith((ASIDE_PREFIX, STAGING)) and (warc or base != root or d != "warc")
        )
        found.extend((base / d).relative_to(root) for d in dirs)
        found.extend(
            (base / f).relative_to(root)
            for f in sorted(files)
            if not f.endswith(SKIPPED_SUFFIXES) and (base / f).is_file()
        )
    return found


def backup(root: Path, *, warc: bool) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="rassegna-backup-") as scratch,
        tarfile.open(fileobj=sys.stdout.buffer, mode="w|gz") as archive,
    ):
        for relative in members(root, warc=warc):
            path = root / relative
            try:
                if path.is_file() and is_sqlite(path):
                    copy = Path(scratch) / "copy.sqlite"
                    sqlite_copy(path, copy)
                    info = archive.gettarinfo(copy, arcname=str(relative))
                    info.mode, info.mtime = path.stat().st_mode & 0o7777, path.stat().st_mtime
                    with copy.open("rb") as file:
                        archive.addfile(info, file)
                    copy.unlink()
                else:
                    archive.add(path, arcname=str(relative), recursive=False)
            except FileNotFoundError:
                # A snapshot replaced between the listing and the copy: its successor is newer
                # than this backup anyway.
                sys.stderr.write(f"data_archive: {relative} vanished during the backup\n")


def checked(member: tarfile.TarInfo) -> tarfile.TarInfo:
    name = Path(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise SystemExit(f"data_archive: refusing archive member {member.name!r}")
    return member


def restore(root: Path) -> None:
    staging = root / STAGING
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    with tarfile.open(fileobj=sys.stdin.buffer, mode="r|gz") as archive:
        for member in archive:
            archive.extract(checked(member), staging, filter="data")
    aside = root / f"{ASIDE_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}"
    aside.mkdir()
    for entry in root.iterdir():
        if entry not in (staging, aside) and not entry.name.startswith(ASIDE_PREFIX):
            entry.rename(aside / entry.name)
    for entry in staging.iterdir():
        entry.rename(root / entry.name)
    staging.rmdir()
    sys.stderr.write(f"data_archive: restored; the previous contents are in {aside}\n")


def main(argv: list[str]) -> None:
    root = Path(os.environ.get("RASSEGNA_DATA_DIR", "/data"))
    action, *options = argv or [""]
    if action == "backup" and set(options) <= {"--no-warc"}:
        backup(root, warc="--no-warc" not in options)
    elif action == "restore" and not options:
        restore(root)
    else:
        raise SystemExit("usage: data_archive.py backup [--no-warc] | restore")


if __name__ == "__main__":
    main(sys.argv[1:])
