"""The ``rassegna`` command line (contract 3): the parser of every command, and ``main``.

Every command takes ``--data-dir`` (env ``RASSEGNA_DATA_DIR``, default ``./rassegna-data``).
Errors a user can fix (a bad registry, an unreadable file, a bad ``--connect-to``) end the
command with a one-line message on stderr and exit status 2; a crawl in which some pages
failed is still a success and lists the failures in its summary. Each command lives in its own
module of ``crawler.app.commands``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crawler import __version__
from crawler.app.commands import (
    add,
    crawl,
    demo,
    edition,
    es_setup,
    extract,
    import_csv,
    reprocess,
    review,
    run,
    search,
    serve,
    snapshot,
    sources,
    status,
    users,
)
from crawler.app.options import Parser, parents
from enrichment.errors import RassegnaError

COMMANDS = (
    crawl,
    import_csv,
    add,
    snapshot,
    serve,
    users,
    search,
    review,
    edition,
    extract,
    run,
    status,
    sources,
    reprocess,
    es_setup,
    demo,
)
"""In the order ``rassegna --help`` lists them."""


def _parser() -> argparse.ArgumentParser:
    common, sources = parents()
    parser = Parser(prog="rassegna", description="Media monitoring and rassegna stampa for LgNet2.")
    parser.add_argument("--version", action="version", version=f"rassegna {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    for command in COMMANDS:
        command.add(commands, common, sources)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `rassegna search lgnet2 -roma`: an unquoted -word is an excluded word, not an option.
        excluded = all(e.startswith("-") and not e.startswith("--") for e in extra)
        if getattr(args, "words", False) and excluded:
            args.query = " ".join([args.query, *extra]).strip()
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
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


if __name__ == "__main__":
    sys.exit(main())
