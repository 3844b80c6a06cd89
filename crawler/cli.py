"""The ``rassegna`` command line (contract 3).

Every command takes ``--data-dir`` (env ``RASSEGNA_DATA_DIR``, default ``./rassegna-data``).
Errors a user can fix (a bad registry, an unreadable file, a bad ``--connect-to``) end the
command with a one-line message on stderr and exit status 2; a crawl in which some pages
failed is still a success and lists the failures in its summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from crawler import __version__
from crawler.errors import RassegnaError

FORMATS = ["json", "md", "html", "docx", "pdf", "csv"]
CATEGORY_IDS = (
    "agenzie",
    "quotidiani",
    "periodici",
    "specializzati",
    "radio_tv",
    "social",
    "portali",
)
logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2023-10-19") from None


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("RASSEGNA_DATA_DIR", "rassegna-data")),
        help="where the store, crawl state and snapshots live (env RASSEGNA_DATA_DIR; "
        "default ./rassegna-data)",
    )
    common.add_argument(
        "--es-url", help="Elasticsearch URL (env ELASTICSEARCH_URL); default: the embedded store"
    )
    common.add_argument("--es-api-key", help="Elasticsearch API key (env ELASTICSEARCH_API_KEY)")
    common.add_argument("--es-user", help="Elasticsearch user (env ELASTICSEARCH_USERNAME)")
    common.add_argument(
        "--es-password",
        help="Elasticsearch password (env ELASTICSEARCH_PASSWORD, safer: flags show in ps)",
    )
    common.add_argument(
        "--es-ca-certs", help="CA certificate of the cluster (env ELASTICSEARCH_CA_CERTS)"
    )
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-v info, -vv debug)"
    )
    sources = _Parser(add_help=False)
    sources.add_argument(
        "--sources",
        type=Path,
        default=os.environ.get("RASSEGNA_SOURCES"),
        help="registry file (env RASSEGNA_SOURCES; default: the bundled one)",
    )

    parser = _Parser(
        prog="rassegna", description="Media monitoring and rassegna stampa for LgNet2."
    )
    parser.add_argument("--version", action="version", version=f"rassegna {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    crawl = commands.add_parser(
        "crawl", parents=[common, sources], help="crawl the registry once, to completion"
    )
    crawl.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="send connections for H1:P1 to H2:P2, as curl does "
        "(env RASSEGNA_CONNECT_TO, space-separated)",
    )
    crawl.add_argument(
        "--outlet",
        action="append",
        default=[],
        metavar="NAME",
        help="crawl only this outlet (repeatable)",
    )
    crawl.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting, e.g. --set CONCURRENT_REQUESTS=8",
    )
    crawl.add_argument(
        "--distributed",
        nargs="?",
        const="",
        metavar="REDIS_URL",
        help="be one worker of a crawl shared through Redis: no page is fetched twice across "
        "workers (URL redis://[:password@]host:port/db, or env RASSEGNA_REDIS_URL)",
    )
    crawl.add_argument(
        "--run-id",
        metavar="ID",
        help="with --distributed: the crawl's name; every worker of one crawl uses the same, "
        "each new crawl a new one",
    )
    crawl.add_argument("--json", action="store_true", help="print the summary as JSON")
    crawl.set_defaults(run=_crawl)

    imp = commands.add_parser(
        "import", parents=[common, sources], help="import manual or wire items from a CSV file"
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(run=_import)

    snap = commands.add_parser("snapshot", parents=[common, sources], help="write the rassegna")
    snap.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (contract 4), md, html, docx, pdf (needs Chromium) or csv",
    )
    snap.add_argument("--out", default="-", help="output file ('-' for stdout, text formats only)")
    snap.add_argument("--since", type=_iso_date, help="first date included (YYYY-MM-DD)")
    snap.add_argument("--until", type=_iso_date, help="last date included (YYYY-MM-DD)")
    snap.add_argument("--city", help="only the uscite about this city")
    snap.add_argument("--category", choices=list(CATEGORY_IDS), help="only this category")
    snap.add_argument(
        "--clippings",
        choices=["full", "excerpt", "none"],
        default="full",
        help="article texts in the document: full, excerpt (title, first lines, "
        "link: for publishing without reproducing articles) or none",
    )
    snap.set_defaults(run=_snapshot)

    serve = commands.add_parser(
        "serve",
        parents=[common, sources],
        help="browse the latest rassegna and search the archive in a web browser",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    serve.add_argument("--port", type=int, default=8800, help="port (default 8800)")
    serve.set_defaults(run=_serve)

    search = commands.add_parser("search", parents=[common], help="full-text search of items")
    search.add_argument(
        "query",
        nargs="?",
        default="",
        help='words (Italian stemming), "a phrase", -excluded, a OR b',
    )
    search.add_argument("--city", help="only items about this city (e.g. Sassari)")
    search.add_argument("--category", help="only this category id (quotidiani, social...)")
    search.add_argument("--outlet", help="only this outlet (Testata label)")
    search.add_argument("--language", help="only this language (it, de...)")
    search.add_argument("--since", type=_iso_date, help="first date included (YYYY-MM-DD)")
    search.add_argument("--until", type=_iso_date, help="last date included (YYYY-MM-DD)")
    search.add_argument("--mentions", action="store_true", help="only items naming the topic")
    search.add_argument("--limit", type=int, default=20, help="at most this many results")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.add_argument(
        "--collapse",
        action="store_true",
        help="show each story once: copies on other outlets as 'anche su'",
    )
    search.set_defaults(run=_search)

    extract = commands.add_parser(
        "extract",
        parents=[common, sources],
        help="run one page through extraction and enrichment, to see why it matched or not",
    )
    extract.add_argument("page", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's address, when FILE_OR_URL is a saved file")
    extract.add_argument("--json", action="store_true", help="print the record as JSON")
    extract.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl: fetch the URL from another address",
    )
    extract.set_defaults(run=_extract)

    run = commands.add_parser(
        "run",
        parents=[common, sources],
        help="the service: scheduled crawls, dated snapshots, alerts on new mentions",
    )
    run.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl (env RASSEGNA_CONNECT_TO)",
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="crawl setting override, as for crawl",
    )
    run.add_argument(
        "--once",
        action="store_true",
        help="one cycle (crawl, snapshot, alerts), then exit: for cron and checks",
    )
    run.add_argument(
        "--alert-url",
        action="append",
        default=[],
        metavar="URL",
        help="an Apprise URL to notify (repeatable; env RASSEGNA_ALERT_URLS, "
        "space-separated; or 'alerts:' in the registry)",
    )
    run.add_argument(
        "--digest",
        choices=["hourly", "daily"],
        default=os.environ.get("RASSEGNA_ALERT_DIGEST") or None,
        help="batch alerts per period instead of one message per new item "
        "(env RASSEGNA_ALERT_DIGEST)",
    )
    run.add_argument(
        "--format",
        action="append",
        default=[],
        dest="formats",
        choices=FORMATS,
        help="snapshot formats kept current (repeatable; default json and html)",
    )
    run.add_argument(
        "--clippings",
        choices=["full", "excerpt", "none"],
        default="full",
        help="article texts in the documents kept current (as for snapshot)",
    )
    run.add_argument(
        "--crawl-timeout",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="a crawl running longer is killed (default 3600)",
    )
    run.add_argument(
        "--alerts-every",
        type=int,
        default=5,
        metavar="MINUTES",
        help="minutes between retries of alerts that failed (default 5)",
    )
    run.set_defaults(run=_run)

    status = commands.add_parser(
        "status",
        parents=[common, sources],
        help="per outlet: last crawl, its result and errors, items found, next scheduled run",
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(run=_status)

    reprocess = commands.add_parser(
        "reprocess",
        parents=[common, sources],
        help="extract and enrich again every archived page (after an upgrade), without fetching",
    )
    reprocess.set_defaults(run=_reprocess)

    es_setup = commands.add_parser(
        "es-setup",
        parents=[common],
        help="create or update the Elasticsearch index template, index and aliases "
        "(and the Kibana objects when KIBANA_URL is set); safe to run twice",
    )
    es_setup.add_argument(
        "--kibana-url", default=os.environ.get("KIBANA_URL"), help="Kibana URL (env KIBANA_URL)"
    )
    es_setup.add_argument(
        "--kibana-objects",
        type=Path,
        help="saved objects to import (env RASSEGNA_KIBANA_OBJECTS; default "
        "deploy/kibana/rassegna.ndjson of the source tree)",
    )
    es_setup.set_defaults(run=_es_setup)

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="serve the bundled simulated web on loopback, crawl it and write a rassegna",
    )
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # Scrapy sets its own loggers to DEBUG; filter at the handler so -v decides what shows.
    for handler in logging.root.handlers:
        handler.setLevel(level)
    if args.verbose < 2:
        # The client logs every retry with a traceback; our messages say what failed.
        logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    try:
        return int(args.run(args) or 0)
    except RassegnaError as exc:
        sys.stderr.write(f"rassegna {args.command}: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"rassegna {args.command}: interrupted\n")
        return 130


def _registry(args: argparse.Namespace) -> Any:
    from crawler.registry import load_registry

    return load_registry(args.sources)


def _es(args: argparse.Namespace) -> Any:
    from search.es_config import ESConfig

    return ESConfig.from_env(
        url=args.es_url,
        api_key=args.es_api_key,
        username=args.es_user,
        password=args.es_password,
        ca_certs=args.es_ca_certs,
    )


def _store(args: argparse.Namespace, *, writing: bool = False) -> Any:
    from search.open import open_store

    return open_store(args.data_dir, _es(args), writing=writing)


def _overrides(values: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name.isupper():
            raise RassegnaError(f"--set {value!r}: expected NAME=VALUE with an upper-case name")
        try:
            result[name] = json.loads(raw)
        except ValueError:
            result[name] = raw
    return result


def _crawl(args: argparse.Namespace) -> int:
    from crawler.connect_to import rules_from_env
    from crawler.console import print_summary, progress_printer
    from crawler.crawl import run_crawl

    registry = _registry(args)
    if args.outlet:
        registry = registry.select(args.outlet)
    rules = rules_from_env(args.connect_to)
    overrides = _overrides(args.set)
    distributed = None
    if args.distributed is not None or args.run_id is not None:
        from crawler.distributed import DistributedRun

        distributed = DistributedRun.from_args(args.distributed, args.run_id)
        distributed.check()
    store = _store(args, writing=True)
    try:
        summary = run_crawl(
            registry,
            store,
            args.data_dir,
            connect_to=rules,
            overrides=overrides,
            progress=progress_printer(sys.stderr),
            distributed=distributed,
        )
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_summary(summary, sys.stdout)
    return 0


def _import(args: argparse.Namespace) -> int:
    from crawler.failures import utc_now
    from crawler.imports import import_csv

    registry = _registry(args)
    store = _store(args, writing=True)
    try:
        result = import_csv(args.file, store, registry, now=utc_now())
    finally:
        store.close()
    for error in result.errors:
        sys.stderr.write(error + "\n")
    sys.stdout.write(
        f"{args.file}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.errors)} rejected\n"
    )
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from search.output import write_atomically
    from search.render import render
    from search.render.model import make_document

    if args.out == "-" and args.format in ("docx", "pdf"):
        raise RassegnaError(f"--format {args.format} needs --out FILE")
    registry = _registry(args)
    store = _store(args)
    try:
        document = make_document(
            store,
            registry,
            since=args.since,
            until=args.until,
            city=args.city,
            category=args.category,
            clippings=args.clippings,
        )
    finally:
        store.close()
    payload = render(document, args.format)
    if args.out == "-":
        sys.stdout.write(payload.decode("utf-8"))
    else:
        write_atomically(Path(args.out), payload)
        sys.stdout.write(f"{args.out}\n")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from search.serve import serve

    registry = _registry(args)
    config = _es(args)
    _store(args).close()  # fail now, with one line, if the store cannot be opened

    def announce(server: Any) -> None:
        sys.stdout.write(f"Rassegna {registry.topic.name} on {server.url} (Ctrl-C to stop)\n")
        sys.stdout.flush()

    serve(
        args.host, args.port, data_dir=args.data_dir, registry=registry, es=config, ready=announce
    )
    return 0


def _search(args: argparse.Namespace) -> int:
    from crawler.console import print_results
    from search.store import SearchQuery

    query = SearchQuery(
        text=args.query,
        city=args.city,
        category=args.category,
        outlet=args.outlet,
        language=args.language,
        since=args.since,
        until=args.until,
        mentions_only=args.mentions,
        limit=args.limit,
    )
    store = _store(args)
    try:
        results = store.search(query)
    finally:
        store.close()
    also = None
    if args.collapse:
        from search.syndication import group_copies

        groups = group_copies(results)
        results = [group[0] for group in groups]
        also = {
            g[0].article.url: tuple(dict.fromkeys(o.article.outlet for o in g[1:])) for g in groups
        }
    print_results(results, args.query, sys.stdout, as_json=args.json, also=also)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from crawler.connect_to import rules_from_env
    from crawler.console import print_record
    from crawler.inspect import extract_record

    rules = rules_from_env(args.connect_to)
    record = extract_record(args.page, args.url, _registry(args), rules)
    if args.json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        print_record(record, sys.stdout)
    return 0


def _reprocess(args: argparse.Namespace) -> int:
    from crawler.failures import utc_now
    from crawler.reprocess import reprocess

    registry = _registry(args)
    store = _store(args, writing=True)
    try:
        result = reprocess(args.data_dir, registry, store, now=utc_now())
    finally:
        store.close()
    sys.stdout.write(
        f"{result.records} archived pages read, {result.articles} articles, "
        f"{result.changed} items changed, {result.unattributed} of outlets no longer watched\n"
    )
    return 0


def _es_setup(args: argparse.Namespace) -> int:
    from elasticsearch import ApiError, TransportError

    from search.errors import StoreError
    from search.es_errors import store_error
    from search.es_setup import setup_indices
    from search.kibana import import_saved_objects, objects_path

    config = _es(args)
    if config is None:
        raise RassegnaError("es-setup needs ELASTICSEARCH_URL (or --es-url)")
    client = config.client()
    try:
        done = setup_indices(client, config.names)
    except (ApiError, TransportError) as exc:
        raise store_error(config.where, exc) from None
    finally:
        client.close()
    for line in done:
        sys.stdout.write(f"{config.where}: {line}\n")
    if args.kibana_url:
        path = args.kibana_objects or objects_path()
        answer = import_saved_objects(args.kibana_url, path, config)
        sys.stdout.write(
            f"{args.kibana_url}: {answer.get('successCount', 0)} Kibana objects "
            f"imported from {path}\n"
        )
    elif args.kibana_objects:
        raise StoreError("KIBANA_URL", "--kibana-objects given but no Kibana URL")
    return 0


def _run(args: argparse.Namespace) -> int:
    from crawler.connect_to import rules_from_env
    from crawler.service import ServiceSettings, cycle, run_service
    from search.alerts.channels import parse_channels

    registry = _registry(args)  # refuse a bad registry before anything starts
    rules_from_env(args.connect_to)  # validated now; the crawls get the flags (and the env)
    _overrides(args.set)
    urls = (
        args.alert_url or os.environ.get("RASSEGNA_ALERT_URLS", "").split() or list(registry.alerts)
    )
    parse_channels(urls)
    config = _es(args)
    es_env = {
        key: value
        for key, value in (
            ("ELASTICSEARCH_URL", args.es_url),
            ("ELASTICSEARCH_API_KEY", args.es_api_key),
            ("ELASTICSEARCH_USERNAME", args.es_user),
            ("ELASTICSEARCH_PASSWORD", args.es_password),
            ("ELASTICSEARCH_CA_CERTS", args.es_ca_certs),
        )
        if value
    }
    if config is not None:
        _store(args, writing=True).close()  # credentials and es-setup checked now, not later
    settings = ServiceSettings(
        data_dir=args.data_dir.resolve(),
        sources=args.sources.resolve() if args.sources else None,
        connect_to=tuple(args.connect_to),
        crawl_settings=tuple(args.set),
        alert_urls=tuple(urls),
        digest=args.digest,
        crawl_timeout=args.crawl_timeout,
        formats=tuple(args.formats or ["json", "html"]),
        clippings=args.clippings,
        alerts_every=args.alerts_every,
        es_env=es_env,
    )
    if args.verbose == 0:
        logging.getLogger("crawler.service").setLevel(logging.INFO)
        for handler in logging.root.handlers:
            handler.setLevel(logging.INFO)
    if args.once:
        record = cycle(settings)
        return 0 if record["result"] == "ok" else 1
    run_service(settings)
    return 0


def _status(args: argparse.Namespace) -> int:
    from crawler.console import print_status
    from crawler.status import collect_status

    status = collect_status(args.data_dir, _registry(args))
    if args.json:
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    else:
        print_status(status, sys.stdout)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from crawler.demo import run_demo

    return run_demo(args.data_dir, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
