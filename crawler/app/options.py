"""What every command of ``rassegna`` shares: the common options, and the store, registry and
Elasticsearch settings they name.

Parsers here end a bad command line with one line, like every other error of the program.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from crawler.errors import UsageError
from enrichment.vocabulary import CATEGORIES

if TYPE_CHECKING:
    from enrichment.registry import Registry
    from search.es.config import ESConfig
    from search.store import Store

FORMATS = ["json", "md", "html", "docx", "pdf", "csv"]
CATEGORY_IDS = tuple(CATEGORIES)


class Subcommands(Protocol):
    """The object ``add_subparsers`` returns, as the command modules use it."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2023-10-19") from None


def parents() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The options of every command (data dir, Elasticsearch, verbosity), and ``--sources``."""
    common = Parser(add_help=False)
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
    sources = Parser(add_help=False)
    sources.add_argument(
        "--sources",
        type=Path,
        default=os.environ.get("RASSEGNA_SOURCES"),
        help="registry file (env RASSEGNA_SOURCES; default: the bundled one)",
    )

    return common, sources


def registry_of(args: argparse.Namespace) -> Registry:
    from crawler.sources import load_sources

    return load_sources(args.sources)


def es_of(args: argparse.Namespace) -> ESConfig | None:
    from search.es.config import ESConfig

    return ESConfig.from_env(
        url=args.es_url,
        api_key=args.es_api_key,
        username=args.es_user,
        password=args.es_password,
        ca_certs=args.es_ca_certs,
    )


def store_of(args: argparse.Namespace, *, writing: bool = False) -> Store:
    from search.backends.choose import open_store

    return open_store(args.data_dir, es_of(args), writing=writing)


def overrides_of(values: list[str]) -> dict[str, Any]:
    """``--set NAME=VALUE`` flags as Scrapy settings; a VALUE that is JSON is parsed."""
    result: dict[str, Any] = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name.isupper():
            raise UsageError(f"--set {value!r}: expected NAME=VALUE with an upper-case name")
        try:
            result[name] = json.loads(raw)
        except ValueError:
            result[name] = raw
    return result
