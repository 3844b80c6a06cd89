"""``rassegna serve``: the desk in a web browser (the rassegna, review, archive, accounts).

While no account exists the desk has no login, so it only listens on a loopback address;
``rassegna users add`` creates the first account, and from then on every page needs one.
"Aggiungi articolo" runs ``rassegna add``'s function (``crawler.add``, a layer above the web
app, hence handed in), fetching through ``RASSEGNA_CONNECT_TO`` when it is set.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.app.options import Subcommands, es_of, registry_of, store_of
from search.web.serve import DEFAULT_HOST, DEFAULT_PORT, DeskServer

if TYPE_CHECKING:
    from enrichment.registry import Registry


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[common, sources],
        help="the desk in a web browser: review, rassegna, archive search, accounts",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default 127.0.0.1: this machine only; any other address "
        "needs an account first: rassegna users add)",
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    serve.set_defaults(run=run)


def flagged_outlets(data_dir: Path, registry: Registry) -> dict[str, list[str]]:
    """The outlets ``rassegna status`` flags, for the desk's notice on Da rivedere."""
    from crawler.app.status import collect_status

    status = collect_status(data_dir, registry)
    return {row["outlet"]: row["flags"] for row in status["outlets"] if row["flags"]}


def run(args: argparse.Namespace) -> int:
    from crawler.add import AddResult, add_url
    from crawler.connect_to import rules_from_env
    from search.web.serve import serve

    registry = registry_of(args)
    config = es_of(args)
    store_of(args).close()  # fail now, with one line, if the store cannot be opened

    def announce(server: DeskServer) -> None:
        sys.stdout.write(f"Rassegna {registry.topic.name} on {server.url} (Ctrl-C to stop)\n")
        sys.stdout.flush()

    rules = rules_from_env(())

    def add_one(
        url: str,
        outlet: str | None,
        category: str | None,
        audience: int | None,
        date: str | None,
        actor: str,
    ) -> AddResult:
        store = store_of(args, writing=True)
        try:
            return add_url(
                url,
                registry=registry,
                store=store,
                data_dir=args.data_dir,
                connect_to=rules,
                outlet=outlet,
                category=category,
                audience=audience,
                date=date,
                actor=actor,
            )
        finally:
            store.close()

    serve(
        args.host,
        args.port,
        data_dir=args.data_dir,
        registry=registry,
        es=config,
        add_url=add_one,
        outlet_flags=partial(flagged_outlets, args.data_dir),
        registry_editable=args.sources is not None,  # the bundled registry is never edited
        ready=announce,
    )
    return 0
