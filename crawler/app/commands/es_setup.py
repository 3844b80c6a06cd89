"""``rassegna es-setup``: index template, indices, aliases and the Kibana objects."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from crawler.app.options import Subcommands, es_of
from crawler.errors import UsageError


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
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
        help="saved objects to import (env RASSEGNA_KIBANA_OBJECTS; default: the data view, "
        "saved search, visualizations and dashboard installed with the package)",
    )
    es_setup.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from elasticsearch import ApiError, TransportError

    from search.backends.choose import open_store
    from search.backends.elasticsearch import ElasticsearchStore
    from search.es.failures import store_error
    from search.es.kibana import import_saved_objects, objects_path
    from search.es.setup import setup_indices

    config = es_of(args)
    if config is None:
        raise UsageError("es-setup needs ELASTICSEARCH_URL (or --es-url)")
    client = config.client()
    try:
        done = setup_indices(client, config.names)
    except (ApiError, TransportError) as exc:
        raise store_error(config.where, exc) from None
    finally:
        client.close()
    for line in done:
        sys.stdout.write(f"{config.where}: {line}\n")
    store = open_store(args.data_dir, config)
    try:
        if isinstance(store, ElasticsearchStore):
            written = store.verify_decisions()
            sys.stdout.write(f"{config.where}: {written} desk decisions written into the index\n")
    finally:
        store.close()
    if args.kibana_url:
        path = args.kibana_objects or objects_path()
        answer = import_saved_objects(args.kibana_url, path, config)
        sys.stdout.write(
            f"{args.kibana_url}: {answer.get('successCount', 0)} Kibana objects "
            f"imported from {path}\n"
        )
    elif args.kibana_objects:
        raise UsageError("--kibana-objects given but no Kibana URL")
    return 0
