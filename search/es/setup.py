"""``rassegna es-setup``: the index template, the versioned index and its aliases.

Safe to run any number of times. When the schema version in ``search.es.schema`` is newer than
the index the aliases point to, it creates the new index, copies the documents over with
``_reindex`` and swaps both aliases in one atomic ``_aliases`` call: searches never see an
empty or missing index. Stop the crawler during such a migration (writes to the old index
after the copy would not be carried over).
"""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from search.es.schema import IndexNames, index_template

logger = logging.getLogger(__name__)


def _alias_targets(client: Elasticsearch, alias: str) -> set[str]:
    try:
        return set(client.indices.get_alias(name=alias))
    except NotFoundError:
        return set()


def setup_indices(client: Elasticsearch, names: IndexNames) -> list[str]:
    """Create or update everything; returns one line per thing done, for the operator."""
    done: list[str] = []
    body = index_template(names)
    client.indices.put_index_template(
        name=names.template,
        index_patterns=body["index_patterns"],
        priority=body["priority"],
        template=body["template"],
        meta=body["_meta"],
    )
    done.append(f"index template {names.template!r} written")
    target = names.index()
    if not client.indices.exists(index=target):
        client.indices.create(index=target)
        done.append(f"index {target!r} created")
    readers = _alias_targets(client, names.read_alias)
    writers = _alias_targets(client, names.write_alias)
    if readers == {target} and writers == {target}:
        done.append(f"aliases {names.read_alias!r} and {names.write_alias!r} already on {target!r}")
        return done
    previous = sorted((readers | writers) - {target})
    for index in previous:
        answer = client.reindex(
            source={"index": index},
            dest={"index": target},
            wait_for_completion=True,
            refresh=True,
            conflicts="proceed",
        )
        done.append(f"{answer.get('total', 0)} documents copied from {index!r} to {target!r}")
    actions: list[dict[str, Any]] = [
        {"remove": {"index": index, "alias": alias}}
        for index in previous
        for alias, members in ((names.read_alias, readers), (names.write_alias, writers))
        if index in members
    ]
    actions += [
        {"add": {"index": target, "alias": names.read_alias}},
        {"add": {"index": target, "alias": names.write_alias, "is_write_index": True}},
    ]
    client.indices.update_aliases(actions=actions)
    done.append(f"aliases {names.read_alias!r} and {names.write_alias!r} now on {target!r}")
    return done
