"""Run a command and measure it as a whole: wall time, CPU and memory of its process tree.

A crawl is several processes (the Scrapy process and its extraction workers; news-please
starts one Scrapy process per site), so the figures must cover the tree, not the first
process. CPU comes from ``wait4``, which adds every descendant its parent waited for; memory
is sampled from ``/proc`` because ``ru_maxrss`` only gives the largest single process.

Some descendants are never waited for by their parent: the crawl's extraction pool forks its
workers from a multiprocessing forkserver, which outlives the crawl process by a moment and
is then re-parented. Without care its CPU (all the extraction) would vanish from the crawl's
figures and show up as "other work on the machine". So this process makes itself a child
subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``): orphans of a measured command come to it
instead of to init, and ``run_measured`` waits for them and adds their usage.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
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
_PR_SET_CHILD_SUBREAPER = 36
_ORPHANS_GRACE_SECONDS = 30.0
"""How long a measured command's orphans may linger after it exits before they are killed."""
_FORKSERVER = "extraction forkserver"


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
    """Run ``command`` to completion, stdout in ``log``, stderr in ``errors`` or ``log``.

    Completion includes the command's orphaned descendants (see the module's docstring): the
    wall time stops when the command exits, CPU and ``ru_maxrss`` include the orphans too.
    """
    _become_subreaper()
    with log.open("wb") as out, (errors or Path("/dev/null")).open("wb") as err:
        ours = _children()
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
        usages = [rusage, *_reap_orphans(ours)]
        busy = machine_busy_seconds() - busy
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    return Usage(
        wall=wall,
        cpu=sum(u.ru_utime + u.ru_stime for u in usages),
        peak_tree_mb=sampler.peak_bytes / _MB,
        peak_process_mb=max(u.ru_maxrss for u in usages) / 1024,
        peaks_by_role={name: peak / _MB for name, peak in sampler.peaks_by_role.items()},
        returncode=process.returncode,
        machine_busy=busy,
    )


def _become_subreaper() -> None:
    """Have orphaned descendants re-parented to this process (Linux 3.4+); idempotent."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _children() -> set[int]:
    """This process's children now, zombies included."""
    me = os.getpid()
    return {
        int(entry.name)
        for entry in os.scandir("/proc")
        if entry.name.isdigit() and _parent_pid(int(entry.name)) == me
    }


def _reap_orphans(ours: set[int]) -> list[resource.struct_rusage]:
    """Wait for every child that is not in ``ours``: orphans of the measured command.

    Repeats until none is left, since an orphan that exits may orphan its own children; those
    still running after ``_ORPHANS_GRACE_SECONDS`` are killed (they are the command's own
    processes, and a benchmark must not hang on one).
    """
    usages = []
    deadline = time.monotonic() + _ORPHANS_GRACE_SECONDS
    while orphans := _children() - ours:
        for pid in orphans:
            try:
                done, _, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:  # reaped meanwhile by someone else
                ours.add(pid)
                continue
            if done:
                usages.append(usage)
            elif time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
    return usages


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
    if any("multiprocessing.forkserver" in word for word in words):
        # Its workers are forked, not executed: the same command line, the forkserver as parent.
        parent = _parent_pid(pid)
        return "worker process" if parent and role(parent) == _FORKSERVER else _FORKSERVER
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
