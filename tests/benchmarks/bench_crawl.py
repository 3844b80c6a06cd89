"""Benchmark: rassegna's full crawl against the extraction bound and against news-please.

Serves a generated web (``simweb.generate``: OUTLETS outlets x ARTICLES article pages, each
outlet with a feed and a sitemap) on loopback and measures, printing a Markdown table:

- ``rassegna crawl`` of the whole web: article pages per second, CPU per page over every
  process of the crawl, peak resident memory (the whole process tree, and its largest
  process), and the CPU the web's own server took from the same cores;
- the same pages, one process per core, through trafilatura alone (twice: with its default
  settings, and with the options our extraction passes it), our extraction, and extraction +
  enrichment (``process_page``): the bounds any crawl on this machine can reach, and the
  crawl's rate as a share of each;
- a second crawl of the unchanged web (the incremental recrawl);
- memory flatness: peak memory of the main crawl against a crawl of a web a tenth its size
  (about 1,000 pages against the default 10,000; see ``flatness_articles``), target within
  +20%;
- the peer: news-please crawling the same web from its own venv, and its extractor alone;
- with ``--profile``, one more crawl under py-spy and where its CPU goes.

    python tests/benchmarks/bench_crawl.py                       # 200 x 50 = 10,000 pages
    python tests/benchmarks/bench_crawl.py --outlets 20 --articles 10 --no-peer
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_web  # noqa: E402
import hotspots  # noqa: E402
import newsplease_peer  # noqa: E402
from extraction_bound import ExtractionRun, run_extraction  # noqa: E402
from rassegna_run import OVERRIDES, CrawlRun, run_crawl  # noqa: E402
from time_extraction import describe_options, our_trafilatura_options  # noqa: E402

logger = logging.getLogger("bench")

QUIET_SHARE = 0.05
"""Other processes may take this share of the cores' time over the measured phases before the
figures are flagged."""

FLATNESS_PAGES = 1_000
"""Pages of the comparison web for memory flatness when the main web has 2,000 or more."""
FLATNESS_TARGET = 1.20
"""Peak memory of the main crawl may exceed the comparison crawl's by 20% at most: a crawl's
memory must not follow its page count (issue 13)."""


def main() -> None:
    args = _arguments()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    cores = os.cpu_count() or 1
    crawl = functools.partial(run_crawl, settings=_settings(args))
    figures: dict[str, object] = {"machine": _machine(), "outlets": args.outlets}
    figures["articles_per_outlet"] = args.articles
    figures["crawl_settings"] = list(_settings(args))
    # Here, not after the crawls: if our extraction no longer calls trafilatura as expected,
    # fail in a second rather than after the full run.
    options, source = our_trafilatura_options()
    figures["trafilatura_ours_options"] = {"options": options, "source": source}
    logger.info("our trafilatura options (%s): %s", source, describe_options(options))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        logger.info("work and logs in %s", work)
        web, registry_text, outlets = bench_web.benchmark_web(args.outlets, args.articles)
        registry = work / "sources.yaml"
        registry.write_text(registry_text, encoding="utf-8")
        with web:
            logger.info("full crawl of %d outlets x %d articles", args.outlets, args.articles)
            first = crawl(registry, work / "crawl", web, work)
            logger.info("recrawl of the unchanged web")
            again = crawl(registry, work / "crawl", web, work, name="recrawl")
            logger.info("saving the article pages for the extraction runs")
            shards = bench_web.save_article_pages(web, outlets, cores, work)
            peer, peer_missing = None, None
            if args.peer and newsplease_peer.available():
                logger.info("news-please crawl, %d sites in parallel", args.np_parallel)
                try:
                    peer = newsplease_peer.crawl(
                        web, outlets, work / "news-please", parallel_sites=args.np_parallel
                    )
                except (RuntimeError, OSError) as error:
                    # A long run must still print rassegna's figures when the peer breaks.
                    logger.error("news-please crawl failed: %s", error)
                    peer_missing = f"crawl FAILED: {error}"
            elif args.peer:
                logger.warning("no news-please venv at %s: peer skipped", newsplease_peer.NP_VENV)
                peer_missing = f"NOT RUN: no news-please venv at {newsplease_peer.NP_VENV}"
            profiled = None
            if args.profile:
                logger.info("profiled crawl (py-spy) into %s", args.profile)
                profiled = crawl(
                    registry, work / "profiled", web, work, wrapper=hotspots.wrapper(args.profile)
                )
        extraction = {
            name: _undisturbed(
                functools.partial(run_extraction, name, shards, registry=registry), name, cores
            )
            for name in ("trafilatura", "trafilatura_ours", "ours", "enrich")
        }
        if args.peer and newsplease_peer.available():
            python = str(newsplease_peer.NP_VENV / "bin" / "python")
            try:
                extraction["newsplease"] = _undisturbed(
                    functools.partial(run_extraction, "newsplease", shards, python=python),
                    "newsplease",
                    cores,
                )
            except (RuntimeError, OSError, ValueError) as error:
                logger.error("news-please extractor failed: %s", error)
                peer_missing = f"{peer_missing + '; ' if peer_missing else ''}extractor FAILED"
        small = None
        if args.flatness:
            small = _flatness_crawl(args, work)
    figures |= _figures(first, again, small, extraction, peer)
    rows = _rows(figures, first, again, small, extraction, peer, cores)
    if peer_missing:
        rows.insert(-1, ("news-please", peer_missing))
    sys.stdout.write(markdown_table(rows))
    if profiled is not None:
        assert args.profile is not None
        sys.stdout.write(f"\nWhere the CPU of a profiled crawl goes ({profiled.pages} pages):\n\n")
        lines = hotspots.report(hotspots.read_profile(args.profile), profiled.pages)
        sys.stdout.write("\n".join(lines) + "\n")
    if args.json:
        figures["table"] = dict(rows)
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--outlets", type=int, default=200, help="outlets (default 200)")
    parser.add_argument(
        "--articles", type=int, default=50, help="article pages per outlet (default 50)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--no-peer", dest="peer", action="store_false", help="skip news-please (crawl, extractor)"
    )
    parser.add_argument(
        "--np-parallel",
        type=int,
        default=5,
        help="sites news-please crawls at once (its default, 5)",
    )
    parser.add_argument(
        "--no-flatness",
        dest="flatness",
        action="store_false",
        help="skip the crawl of a 10x smaller web that shows memory is flat",
    )
    parser.add_argument(
        "--profile", type=Path, help="also crawl under py-spy, raw stacks to this file"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one more Scrapy setting for every rassegna crawl (repeatable), to try a change",
    )
    parser.add_argument("--keep", type=Path, help="keep logs and data in this folder")
    return parser.parse_args()


def _undisturbed(
    run: Callable[[], ExtractionRun], name: str, cores: int, attempts: int = 3
) -> ExtractionRun:
    """The least disturbed of up to ``attempts`` runs: other work on a shared machine takes
    cores from a run of a minute; stop at the first run that had the machine to itself."""
    best: tuple[float, ExtractionRun] | None = None
    for attempt in range(1, attempts + 1):
        logger.info("extraction alone: %s (run %d)", name, attempt)
        result = run()
        share = (result.machine_busy - result.cpu) / (result.wall * cores)
        if best is None or share < best[0]:
            best = (share, result)
        if share < QUIET_SHARE:
            break
        logger.warning("other work took %.0f%% of the cores meanwhile", share * 100)
    assert best is not None
    return best[1]


def _settings(args: argparse.Namespace) -> tuple[str, ...]:
    return (*OVERRIDES, *args.set)


def flatness_articles(outlets: int, articles: int) -> int:
    """Articles per outlet of the comparison web for memory flatness.

    The same outlets, so that per-outlet state (queues, feeds, sitemaps, dedup keys of the
    registry) is the same in both crawls and only the page count differs: about
    ``FLATNESS_PAGES`` pages in all (200 x 5 against the default 200 x 50), or a tenth of a
    main web smaller than 2,000 pages; never fewer than one article per outlet.
    """
    if outlets * articles >= 2 * FLATNESS_PAGES:
        return max(round(FLATNESS_PAGES / outlets), 1)
    return max(round(articles / 10), 1)


def _flatness_crawl(args: argparse.Namespace, work: Path) -> CrawlRun:
    """A crawl of the same outlets with a tenth of the pages: memory must not follow them."""
    articles = flatness_articles(args.outlets, args.articles)
    logger.info("crawl of %d outlets x %d articles (memory flatness)", args.outlets, articles)
    web, registry_text, _ = bench_web.benchmark_web(args.outlets, articles)
    registry = work / "sources-small.yaml"
    registry.write_text(registry_text, encoding="utf-8")
    with web:
        return run_crawl(registry, work / "small", web, work, settings=_settings(args))


def _machine() -> dict[str, object]:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(memory_kb / 1024 / 1024),
        "python": sys.version.split()[0],
    }


def _crawl_figures(run: CrawlRun) -> dict[str, object]:
    return {
        **asdict(run.usage),
        "summary": run.summary,
        "requests": run.requests,
        "server_cpu": run.server_cpu,
        "article_pages_per_s": run.articles / run.usage.wall,
        "cpu_ms_per_article": run.usage.cpu / max(run.articles, 1) * 1000,
    }


def _figures(
    first: CrawlRun,
    again: CrawlRun,
    small: CrawlRun | None,
    extraction: dict[str, ExtractionRun],
    peer: newsplease_peer.PeerCrawl | None,
) -> dict[str, object]:
    figures: dict[str, object] = {
        "crawl": _crawl_figures(first),
        "recrawl": _crawl_figures(again),
        "extraction": {
            name: {**asdict(run), "ms_per_page": run.ms_per_page, "per_s": run.pages_per_second}
            for name, run in extraction.items()
        },
    }
    if small is not None:
        figures["flatness_crawl"] = _crawl_figures(small) | {
            "tree_ratio": first.usage.peak_tree_mb / small.usage.peak_tree_mb,
            "process_ratio": first.usage.peak_process_mb / small.usage.peak_process_mb,
            "target": FLATNESS_TARGET,
        }
    if peer is not None:
        figures["newsplease"] = {
            **asdict(peer),
            "article_pages_per_s": peer.articles / peer.usage.wall,
            "cpu_ms_per_article": peer.usage.cpu / max(peer.articles, 1) * 1000,
        }
    return figures


def _rows(
    figures: dict[str, object],
    first: CrawlRun,
    again: CrawlRun,
    small: CrawlRun | None,
    extraction: dict[str, ExtractionRun],
    peer: newsplease_peer.PeerCrawl | None,
    cores: int,
) -> list[tuple[str, str]]:
    machine = figures["machine"]
    assert isinstance(machine, dict)
    n = extraction["trafilatura"].pages
    rate = first.articles / first.usage.wall
    rows = [
        ("machine", f"{machine['cores']} cores, {machine['cpu']}, {machine['memory_gib']} GiB"),
        ("web", f"{figures['outlets']} outlets x {figures['articles_per_outlet']} = {n} articles"),
        ("rassegna crawl settings (--set)", " ".join(figures["crawl_settings"])),  # type: ignore[arg-type]
        (
            "rassegna crawl: requests, article pages",
            f"{first.requests} requests, {first.articles} articles, {first.usage.wall:.1f} s"
            + _errors(first),
        ),
        ("rassegna crawl: article pages/s", f"**{rate:.1f}**"),
        (
            "rassegna crawl: CPU per article page, all processes",
            f"{first.usage.cpu / first.articles * 1000:.1f} ms "
            f"({first.usage.cpu / first.usage.wall:.2f} of {cores} cores busy)",
        ),
        (
            "rassegna crawl: peak RSS, process tree / largest process",
            f"{first.usage.peak_tree_mb:.0f} MB / {first.usage.peak_process_mb:.0f} MB",
        ),
        (
            "the web's server meanwhile (same cores)",
            f"{first.server_cpu:.1f} s CPU ({first.server_cpu / first.usage.wall:.0%} of a core)",
        ),
    ]
    ours = figures["trafilatura_ours_options"]
    assert isinstance(ours, dict)
    rows.append(
        (
            f"trafilatura options of our extraction ({ours['source']})",
            describe_options(ours["options"]),
        )
    )
    labels = {
        "trafilatura": "trafilatura alone, defaults + with_metadata=True, include_comments=False",
        "trafilatura_ours": "trafilatura alone, our extraction's options",
        "ours": "our extraction (trafilatura + fallbacks)",
        "enrich": "our extraction + enrichment (process_page)",
        "newsplease": "news-please extractor alone (from_html)",
    }
    for name, run in extraction.items():
        rows.append(
            (
                f"{labels[name]}, {cores} processes",
                f"{run.ms_per_page:.1f} ms CPU/page, {run.pages_per_second:.0f} pages/s",
            )
        )
    rows += [
        (
            "rassegna crawl / trafilatura bound, default settings",
            f"{rate / extraction['trafilatura'].pages_per_second:.0%}",
        ),
        (
            "rassegna crawl / trafilatura bound, our options",
            f"{rate / extraction['trafilatura_ours'].pages_per_second:.0%}",
        ),
        (
            "rassegna crawl / extraction + enrichment bound",
            f"**{rate / extraction['enrich'].pages_per_second:.0%}**",
        ),
        (
            "incremental recrawl (unchanged web)",
            f"{again.requests} requests ({again.summary['not_modified']} answered 304), "
            f"{again.articles} articles, {again.usage.wall:.1f} s",
        ),
    ]
    if small is not None:
        rows += _flatness_rows(first, small)
    if peer is not None:
        rows += _peer_rows(first, peer, extraction.get("newsplease"), cores)
    rows.append(_interference(first, again, small, extraction, peer, cores))
    return rows


def _flatness_rows(first: CrawlRun, small: CrawlRun) -> list[tuple[str, str]]:
    """Peak memory of the main crawl against the crawl of a tenth of its pages.

    Both the tree (crawl process + extraction workers) and its largest process must stay
    within ``FLATNESS_TARGET``: a tree can look flat while one process grows with the pages.
    """
    tree = first.usage.peak_tree_mb / small.usage.peak_tree_mb
    largest = first.usage.peak_process_mb / small.usage.peak_process_mb
    met = max(tree, largest) <= FLATNESS_TARGET
    verdict = "met" if met else "**NOT met**"
    if _errors(first) or _errors(small) or not small.articles:
        # A crawl whose extraction broke holds fewer pages in memory: no verdict from it.
        verdict = f"NO VERDICT: a crawl had errors (main:{_errors(first) or ' none'}; "
        verdict += f"comparison: {small.articles} articles{_errors(small)}), see its log"
    rows = [
        (
            f"memory flatness: peak RSS at {small.articles} vs {first.articles} pages",
            f"process tree {small.usage.peak_tree_mb:.0f} vs {first.usage.peak_tree_mb:.0f} MB"
            f" (x{tree:.2f}); largest process {small.usage.peak_process_mb:.0f} vs "
            f"{first.usage.peak_process_mb:.0f} MB (x{largest:.2f})",
        ),
        (
            f"memory flatness target (within +{FLATNESS_TARGET - 1:.0%})",
            f"{verdict}"
            + "".join(
                f"; {name} {small.usage.peaks_by_role.get(name, 0):.0f} vs {peak:.0f} MB"
                for name, peak in sorted(first.usage.peaks_by_role.items())
            ),
        ),
    ]
    if first.articles > small.articles:
        marginal = (first.usage.cpu - small.usage.cpu) / (first.articles - small.articles)
        rows.append(
            (
                f"rassegna crawl: marginal CPU per article page ({first.articles} minus "
                f"{small.articles} pages crawl)",
                f"{marginal * 1000:.1f} ms",
            )
        )
    return rows


def _errors(run: CrawlRun) -> str:
    """``", N errors"`` when the crawl counted failures (see its log), else empty."""
    errors = int(run.summary.get("errors", 0))  # type: ignore[call-overload]
    return f", {errors} errors" if errors else ""


def _peer_rows(
    first: CrawlRun,
    peer: newsplease_peer.PeerCrawl,
    extractor: ExtractionRun | None,
    cores: int,
) -> list[tuple[str, str]]:
    """news-please's crawl beside ours, and against its own extractor's bound."""
    rate = first.articles / first.usage.wall
    peer_rate = peer.articles / peer.usage.wall
    cpu_ratio = (peer.usage.cpu / max(peer.articles, 1)) / (first.usage.cpu / first.articles)
    rows = [
        (
            f"news-please crawl ({peer.parallel_sites} sites at once): requests, articles",
            f"{peer.requests} requests, {peer.articles} articles, {peer.usage.wall:.1f} s",
        ),
        ("news-please crawl: article pages/s", f"{peer_rate:.1f}"),
        (
            "news-please crawl: CPU per article page, all processes",
            f"{peer.usage.cpu / max(peer.articles, 1) * 1000:.1f} ms "
            f"({peer.usage.cpu / peer.usage.wall:.2f} of {cores} cores busy; "
            f"+ {peer.proxy_cpu:.1f} s in the loopback proxy, not counted)",
        ),
        (
            "news-please crawl: peak RSS, process tree / largest process",
            f"{peer.usage.peak_tree_mb:.0f} MB / {peer.usage.peak_process_mb:.0f} MB",
        ),
    ]
    if extractor is not None:
        rows.append(
            (
                "news-please crawl / its extractor's bound",
                f"{peer_rate / extractor.pages_per_second:.0%}",
            )
        )
    rows.append(
        (
            "rassegna vs news-please: pages/s, CPU per page",
            f"**{rate / peer_rate:.1f}x** faster, {cpu_ratio:.1f}x less CPU",
        )
    )
    return rows


def _interference(
    first: CrawlRun,
    again: CrawlRun,
    small: CrawlRun | None,
    extraction: dict[str, ExtractionRun],
    peer: newsplease_peer.PeerCrawl | None,
    cores: int,
) -> tuple[str, str]:
    """CPU the machine spent on work other than the benchmark's, per measured phase.

    Anything beyond a few percent of the cores' time means the figures are pessimistic: run
    again on a quiet machine.
    """
    phases: list[tuple[str, float, float]] = [
        (name, run.usage.machine_busy - run.usage.cpu - run.server_cpu, run.usage.wall)
        for name, run in (("crawl", first), ("recrawl", again), ("flatness crawl", small))
        if run is not None
    ]
    phases += [
        (f"{name} alone", run.machine_busy - run.cpu, run.wall) for name, run in extraction.items()
    ]
    if peer is not None:
        other = peer.usage.machine_busy - peer.usage.cpu - peer.proxy_cpu - peer.server_cpu
        phases.append(("news-please", other, peer.usage.wall))
    share = sum(max(o, 0) for _, o, _ in phases) / sum(wall * cores for _, _, wall in phases)
    verdict = "quiet" if share < QUIET_SHARE else f"BUSY ({share:.0%} of the cores)"
    listed = ", ".join(f"{name} {max(other, 0):.1f}" for name, other, _ in phases)
    return ("other work on the machine meanwhile, CPU s", f"{verdict}: {listed}")


def markdown_table(rows: list[tuple[str, str]]) -> str:
    """The two-column table every benchmark of ours prints."""
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
