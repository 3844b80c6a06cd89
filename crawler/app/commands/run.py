"""``rassegna run``: the long-running service (scheduled crawls, snapshots, alerts, and draft
editions when asked)."""

from __future__ import annotations

import argparse
import logging
import os

from crawler.app.options import FORMATS, Subcommands, es_of, overrides_of, registry_of, store_of
from crawler.errors import UsageError


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    service = commands.add_parser(
        "run",
        parents=[common, sources],
        help="the service: scheduled crawls, dated snapshots, alerts on new mentions",
    )
    service.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl (env RASSEGNA_CONNECT_TO)",
    )
    service.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="crawl setting override, as for crawl",
    )
    service.add_argument(
        "--once",
        action="store_true",
        help="one cycle (crawl, snapshot, alerts), then exit: for cron and checks",
    )
    service.add_argument(
        "--alert-url",
        action="append",
        default=[],
        metavar="URL",
        help="an Apprise URL to notify (repeatable; env RASSEGNA_ALERT_URLS, "
        "space-separated; or 'alerts:' in the registry)",
    )
    service.add_argument(
        "--digest",
        choices=["hourly", "daily"],
        default=os.environ.get("RASSEGNA_ALERT_DIGEST") or None,
        help="batch alerts per period instead of one message per new item "
        "(env RASSEGNA_ALERT_DIGEST)",
    )
    service.add_argument(
        "--format",
        action="append",
        default=[],
        dest="formats",
        choices=FORMATS,
        help="snapshot formats kept current (repeatable; default json and html)",
    )
    service.add_argument(
        "--clippings",
        choices=["full", "excerpt", "none"],
        default="full",
        help="article texts in the documents kept current (as for snapshot)",
    )
    service.add_argument(
        "--crawl-timeout",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="a crawl running longer is killed (default 3600)",
    )
    service.add_argument(
        "--alert-existing",
        action="store_true",
        help="on the first run, alert the mentions already in the archive too "
        "(default: recorded as known, not alerted)",
    )
    service.add_argument(
        "--alerts-every",
        type=int,
        default=5,
        metavar="MINUTES",
        help="minutes between retries of alerts that failed (default 5)",
    )
    service.add_argument(
        "--edition-every",
        choices=["daily", "weekly", "off"],
        help="prepare a draft edition every day or week, to approve and send "
        "(env RASSEGNA_EDITION_EVERY; or 'editions: {every: ...}' in the registry; default off)",
    )
    service.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.service import ServiceSettings, cycle, run_service
    from crawler.connect_to import rules_from_env
    from search.alerts.channels import parse_channels

    registry = registry_of(args)  # refuse a bad registry before anything starts
    rules_from_env(args.connect_to)  # validated now; the crawls get the flags (and the env)
    overrides_of(args.set)
    urls = (
        args.alert_url or os.environ.get("RASSEGNA_ALERT_URLS", "").split() or list(registry.alerts)
    )
    parse_channels(urls)
    every = (
        args.edition_every or os.environ.get("RASSEGNA_EDITION_EVERY") or registry.editions.every
    )
    if every not in ("daily", "weekly", "off"):
        raise UsageError(f"RASSEGNA_EDITION_EVERY={every!r}: use daily, weekly or off")
    config = es_of(args)
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
        store_of(args, writing=True).close()  # credentials and es-setup checked now, not later
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
        alert_existing=args.alert_existing,
        es_env=es_env,
        edition_every=None if every == "off" else every,
    )
    if args.verbose == 0:
        logging.getLogger("crawler.app.service").setLevel(logging.INFO)
        for handler in logging.root.handlers:
            handler.setLevel(logging.INFO)
    if args.once:
        record = cycle(settings)
        return 0 if record["result"] == "ok" else 1
    run_service(settings)
    return 0
