"""Where a crawl's CPU goes: a py-spy profile of every process, summarised for the report.

py-spy (``pip install py-spy``) samples the crawl process and its extraction workers from
outside (``--subprocesses``, ``--nonblocking``: the crawl is never paused) and writes
collapsed stacks. Only the thread holding the GIL is sampled (``--gil``): py-spy's idle
detection alone counted threads waiting in epoll or on a queue, doubling the CPU it reported;
with ``--gil`` the sampled seconds come within about 20% of the measured CPU.

The stacks are grouped by process role, by the package of the innermost Python frame (time in
C extensions such as lxml is charged to the Python function that called them) and by the
innermost of our own functions on the stack.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 100
OUR_PACKAGES = ("crawler", "enrichment", "search")
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
_PROCESS = re.compile(r'process \d+:"[^"]*";?')
"""A process frame; its command line may hold ";" (``-c "import ...; spawn_main()"``)."""


@dataclass
class Profile:
    samples: Counter[str] = field(default_factory=Counter)
    """On-CPU samples per process role."""
    packages: dict[str, Counter[str]] = field(default_factory=dict)
    """Per role: samples by the package of the innermost Python frame."""
    ours: dict[str, Counter[str]] = field(default_factory=dict)
    """Per role: samples by the innermost of our functions on the stack, with the library
    code it called (a sample under ``detect_language`` counts there, not in its callers)."""
    leaves: dict[str, Counter[str]] = field(default_factory=dict)
    """Per role: samples by innermost function (self time)."""


def py_spy() -> str | None:
    found = Path(sys.executable).with_name("py-spy")
    return str(found) if found.exists() else shutil.which("py-spy")


def wrapper(output: Path) -> list[str]:
    """The command prefix that profiles a crawl into ``output``."""
    spy = py_spy()
    if spy is None:
        raise FileNotFoundError("py-spy is not installed: pip install py-spy")
    options = ["--format", "raw", "--subprocesses", "--nonblocking", "--gil"]
    return [spy, "record", *options, "--rate", str(SAMPLE_RATE), "--output", str(output), "--"]


def read_profile(raw: Path) -> Profile:
    profile = Profile()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        processes = _PROCESS.findall(stack_text)
        code = [f for f in _PROCESS.sub("", stack_text).split(";") if f]
        role = _role(processes, code)
        profile.samples[role] += count
        if not code:
            continue
        if any(f.startswith("_find_and_load ") for f in code):
            profile.packages.setdefault(role, Counter())["(imports at start-up)"] += count
            continue
        leaf_function, leaf_file = _split(code[-1])
        profile.packages.setdefault(role, Counter())[_package(leaf_file)] += count
        profile.leaves.setdefault(role, Counter())[f"{leaf_function} ({leaf_file})"] += count
        ours = [f"{fn} ({file})" for fn, file in map(_split, code) if _is_ours(file)]
        if ours:
            profile.ours.setdefault(role, Counter())[ours[-1]] += count
    return profile


def report(profile: Profile, pages: int, top: int = 12) -> list[str]:
    """Text lines: per role, ms of CPU per page by package and by our functions."""
    lines = []
    total = sum(profile.samples.values()) or 1
    for role, samples in profile.samples.most_common():
        seconds = samples / SAMPLE_RATE
        lines.append(
            f"{role}: {seconds:.1f} s sampled on CPU ({samples / total:.0%}), "
            f"{seconds / pages * 1000:.2f} ms per page"
        )
        lines.append("  by package of the innermost Python frame:")
        lines += _rows(profile.packages.get(role, Counter()), samples, pages, top)
        lines.append("  innermost of our functions, with the library code they call:")
        lines += _rows(profile.ours.get(role, Counter()), samples, pages, top)
        lines.append("  innermost functions (self time):")
        lines += _rows(profile.leaves.get(role, Counter()), samples, pages, top)
    return lines


def _rows(counts: Counter[str], role_samples: int, pages: int, top: int) -> list[str]:
    return [
        f"    {count / role_samples:5.1%}  {count / SAMPLE_RATE / pages * 1000:6.2f} ms/page  "
        f"{name}"
        for name, count in counts.most_common(top)
    ]


def _role(processes: list[str], code: list[str]) -> str:
    if any("multiprocessing" in p for p in processes) or any("spawn_main" in f for f in code):
        return "extraction workers"
    return "crawl process (Scrapy, reactor, pipelines)"


def _split(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame)
    if match is None:
        return frame, "?"
    return match.group("function"), match.group("file")


def _package(file: str) -> str:
    if file.startswith("<frozen"):
        return "(python start-up)"
    parts = Path(file).parts
    if len(parts) <= 1:
        return file
    return parts[0]


def _is_ours(file: str) -> bool:
    return file.split("/", 1)[0] in OUR_PACKAGES
