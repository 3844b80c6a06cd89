"""Run a command and measure it as a whole: wall time, CPU and memory of its process tree.

A crawl is several processes (the Scrapy process and its extraction workers; news-please
starts one Scrapy process per site), so the figures must cover the tree, not the first
process. CPU comes from ``wait4``, which adds every descendant its parent waited for; memory
is sampled from ``/proc`` because ``ru_maxrss`` only gives the largest single process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")
_SAMPLE_SECONDS = 0.2
_MB = 1024 * 1024


@dataclass(frozen=True)
class Usage:
    """What one command cost, from its start to its exit."""

    wall: float
    cpu: float
    """User + system seconds of the process and of every descendant it waited for."""
    peak_tree_mb: float
    """Peak of the summed resident memory of the whole tree, sampled every 0.2 s."""
    peak_process_mb: float
    """Peak resident memory of the largest single process of the tree (``ru_maxrss``)."""
    peaks_by_role: dict[str, float]
    """Sampled peak resident MB of the largest process of each role (see ``role``)."""
    returncode: int
    machine_busy: float
    """CPU seconds the whole machine spent meanwhile (all cores, every process): what is
    beyond ``cpu`` and the web's server was other work competing for the cores."""


def machine_busy_seconds() -> float:
    """CPU seconds the machine has been busy since boot, over all cores (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICKS


def run_measured(
    command: Sequence[str],
    *,
    log: Path,
    errors: Path | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Usage:
    """Run ``command`` to completion, stdout in ``log``, stderr in ``errors`` or ``log``."""
    with log.open("wb") as out, (errors or Path("/dev/null")).open("wb") as err:
        busy = machine_busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=err if errors else subprocess.STDOUT,
            cwd=cwd,
            env=env,
        )
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, rusage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        busy = machine_busy_seconds() - busy
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    return Usage(
        wall=wall,
        cpu=rusage.ru_utime + rusage.ru_stime,
        peak_tree_mb=sampler.peak_bytes / _MB,
        peak_process_mb=rusage.ru_maxrss / 1024,
        peaks_by_role={name: peak / _MB for name, peak in sampler.peaks_by_role.items()},
        returncode=process.returncode,
        machine_busy=busy,
    )


class _TreeSampler(threading.Thread):
    """Polls ``/proc`` for the resident memory of a process and all its descendants."""

    def __init__(self, root: int) -> None:
        super().__init__(name=f"rss:{root}", daemon=True)
        self._root = root
        self._done = threading.Event()
        self._roles: dict[int, str] = {}
        self.peak_bytes = 0
        self.peaks_by_role: dict[str, int] = {}

    def run(self) -> None:
        while not self._done.is_set():
            sizes = tree_rss(self._root)
            self.peak_bytes = max(self.peak_bytes, sum(sizes.values()))
            for pid, size in sizes.items():
                if pid not in self._roles:
                    self._roles[pid] = role(pid)
                name = self._roles[pid]
                self.peaks_by_role[name] = max(self.peaks_by_role.get(name, 0), size)
            self._done.wait(_SAMPLE_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_rss(root: int) -> dict[int, int]:
    """Resident bytes of ``root`` and of each descendant now (0 for those gone meanwhile)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            parent = _parent_pid(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    sizes, stack = {}, [root]
    while stack:
        pid = stack.pop()
        sizes[pid] = _rss_bytes(pid)
        stack.extend(children.get(pid, ()))
    return sizes


def role(pid: int) -> str:
    """What a process of a crawl is, from its command line: for per-role memory peaks."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in argv if a]
    if any("spawn_main" in word for word in words):
        return "worker process"
    if any("resource_tracker" in word for word in words):
        return "multiprocessing resource tracker"
    if "crawler.app.cli" in words:
        return "crawl process"
    if any(word.endswith("single_crawler.py") for word in words):
        return "news-please site crawler"
    if any(word.endswith("/news-please") for word in words):
        return "news-please launcher"
    return Path(words[0]).name if words else "?"


def _parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ")".
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0
