"""``rassegna demo``: the whole product on one machine with no internet.

Serves the bundled simulated web (fictional outlets on loopback, HTTP and HTTPS), crawls it
through ``--connect-to`` exactly as a real registry would be crawled, writes the
rassegna (JSON, HTML, Word, Markdown) into its own folder (``./rassegna-demo`` unless
``--data-dir`` says otherwise, never the real data dir) and prints where and what it found, and
how to start real work.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import IO

from crawler.app.console import print_summary, progress_printer
from crawler.connect_to import parse_rules
from crawler.crawl import run_crawl
from enrichment.registry import load_registry
from search.backends.choose import open_store
from search.files.atomic import write_atomically
from search.render import render
from search.render.model import make_document

DEMO_FORMATS = ("json", "html", "docx", "md")
"""PDF is left out: it needs Chromium, which a fresh machine may not have."""


def run_demo(data_dir: Path, out: IO[str], err: IO[str]) -> int:
    from simweb.content import build_web

    registry = load_registry(Path(str(resources.files("simweb") / "sources.yaml")))
    store = open_store(data_dir)
    try:
        with build_web() as web:
            out.write(f"Simulated web of {len(registry.outlets)} outlets on 127.0.0.1:{web.port}\n")
            summary = run_crawl(
                registry,
                store,
                data_dir,
                connect_to=parse_rules([web.connect_to]),
                overrides={"AUTOTHROTTLE_START_DELAY": 0.1},
                progress=progress_printer(err),
            )
        print_summary(summary, out)
        document = make_document(store, registry)
        written = []
        for fmt in DEMO_FORMATS:
            path = data_dir / f"rassegna.{fmt}"
            write_atomically(path, render(document, fmt))
            written.append(path)
    finally:
        store.close()
    snapshot = document.snapshot
    out.write(f"\nRassegna {registry.topic.name}: {snapshot['total']['uscite']} uscite\n")
    for category in snapshot["categories"]:
        items = [i for i in snapshot["items"] if i["category"] == category["id"]]
        if items:
            out.write(f"\n{category['label']} ({len(items)})\n")
        for item in items:
            out.write(f"  {item['date']}  {item['outlet']:<36.36} {item['title'][:70]}\n")
    out.write("\nThe rassegna, written to:\n" + "".join(f"  {p}\n" for p in written))
    out.write(
        f"Try: rassegna search lgnet2 --data-dir {data_dir}\n"
        f"     rassegna serve --data-dir {data_dir} --sources "
        f"{resources.files('simweb') / 'sources.yaml'}\n"
        "\nTo start real work, list your outlets in a registry (see crawler/sources.yaml), then:\n"
        "  rassegna crawl --sources sources.yaml   one crawl now\n"
        "  rassegna run --sources sources.yaml     the service: crawls, snapshots, alerts\n"
        "Real data goes to ./rassegna-data (or --data-dir DIR, env RASSEGNA_DATA_DIR); "
        f"this demo stays in {data_dir}.\n"
    )
    return 0
