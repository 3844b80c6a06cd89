"""Time one extractor over one shard of saved pages; a worker of ``extraction_bound``.

Runs under our venv (trafilatura with its default settings, trafilatura with the options our
extraction passes it, our extraction, extraction + enrichment) or under news-please's
(``newsplease``), so it imports nothing of ours at module level. Protocol on
stdin/stdout, so that the shards of all cores start their timed loops together: load the
extractor and warm it on one page, print ``ready``, wait for a line on stdin, run every page,
print one JSON line ``{"pages", "articles", "cpu", "wall"}``.

    python time_extraction.py {trafilatura,trafilatura_ours,ours,enrich,newsplease} SHARD [REG]
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Extractor = Callable[[str, bytes], bool]
"""Reads one page; True when it produced an article (title and text)."""


def _has_article(document: Any) -> bool:
    """Title and text found; ``Any`` since trafilatura types its result as a Document or a
    dict, though without ``as_dict`` it is always a Document (or ``None``)."""
    return bool(document is not None and document.title and document.text)


def _trafilatura(_registry: str | None) -> Extractor:
    """trafilatura as its documentation shows it: metadata on, every other setting default."""
    import trafilatura

    def run(url: str, body: bytes) -> bool:
        document = trafilatura.bare_extraction(
            body, url=url, with_metadata=True, include_comments=False
        )
        return _has_article(document)

    return run


def our_trafilatura_options() -> tuple[dict[str, Any], str]:
    """The keyword arguments ``enrichment.extract`` passes to ``trafilatura.bare_extraction``,
    and where they came from: they change what trafilatura does and costs (``fast`` skips the
    fallback extractors, metadata and date search are the dearest parts), so a bound meant
    for our crawl must use the same ones."""
    from enrichment.extract import TRAFILATURA_OPTIONS

    return dict(TRAFILATURA_OPTIONS), "enrichment.extract.TRAFILATURA_OPTIONS"


def describe_options(options: dict[str, Any]) -> str:
    """``name=value`` pairs, one line, for the benchmark's table."""
    return " ".join(f"{name}={value!r}" for name, value in sorted(options.items()))


def _trafilatura_ours(_registry: str | None) -> Extractor:
    """trafilatura alone with our options: what our extraction's trafilatura step costs
    without the parsing, pruning and fallbacks around it."""
    import trafilatura

    options, _ = our_trafilatura_options()

    def run(url: str, body: bytes) -> bool:
        document = trafilatura.bare_extraction(body, url=url, **options)
        return _has_article(document)

    return run


def _ours(_registry: str | None) -> Extractor:
    from enrichment.extract import extract_page

    def run(url: str, body: bytes) -> bool:
        page = extract_page(body, url)
        return bool(page.title and page.text)

    return run


def _enrich(registry_path: str | None) -> Extractor:
    import yaml

    from enrichment.enrich import process_page
    from enrichment.registry import parse_registry

    assert registry_path is not None, "enrich needs the registry YAML"
    registry = parse_registry(yaml.safe_load(Path(registry_path).read_text(encoding="utf-8")))

    def run(url: str, body: bytes) -> bool:
        outlet = registry.outlet_for_url(url)
        assert outlet is not None, url
        return process_page(body, url, None, outlet, registry.topic) is not None

    return run


def _newsplease(_registry: str | None) -> Extractor:
    import warnings

    warnings.simplefilter("ignore")  # newspaper4k warns at import that nltk is missing
    from newsplease import NewsPlease

    def run(url: str, body: bytes) -> bool:
        article = NewsPlease.from_html(body.decode("utf-8"), url=url)
        return bool(article.title and article.maintext)

    return run


EXTRACTORS: dict[str, Callable[[str | None], Extractor]] = {
    "trafilatura": _trafilatura,
    "trafilatura_ours": _trafilatura_ours,
    "ours": _ours,
    "enrich": _enrich,
    "newsplease": _newsplease,
}


def main() -> None:
    name, shard = sys.argv[1], Path(sys.argv[2])
    registry = sys.argv[3] if len(sys.argv) > 3 else None
    pages: list[tuple[str, bytes]] = pickle.loads(shard.read_bytes())  # our own file
    extract = EXTRACTORS[name](registry)
    if pages:
        extract(*pages[0])
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.readline()
    cpu, wall = time.process_time(), time.perf_counter()
    articles = sum(extract(url, body) for url, body in pages)
    result = {
        "pages": len(pages),
        "articles": articles,
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
