"""``rassegna serve``: the rassegna and the archive in a web browser."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.app.options import Subcommands, es_of, registry_of, store_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
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
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from search.web.serve import serve

    registry = registry_of(args)
    config = es_of(args)
    store_of(args).close()  # fail now, with one line, if the store cannot be opened

    def announce(server: Any) -> None:
        sys.stdout.write(f"Rassegna {registry.topic.name} on {server.url} (Ctrl-C to stop)\n")
        sys.stdout.flush()

    serve(
        args.host, args.port, data_dir=args.data_dir, registry=registry, es=config, ready=announce
    )
    return 0
