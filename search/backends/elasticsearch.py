"""The Elasticsearch store: the archive users search through Kibana or the ES API.

Writes go in bulk through the official client's helpers, to the write alias. Each batch first
reads the existing documents (``mget``) to keep their ``first_seen`` and to skip unchanged items,
then writes with optimistic concurrency control (``op_type=create`` for new documents,
``if_seq_no``/``if_primary_term`` for updates), so two writers can never overwrite each other's
newer data: a conflicting item is simply re-read and re-decided.

If the cluster cannot be reached, items go to the durable outbox (``search.es.outbox``) and are
delivered, before any newer write, once it answers again; a crawl never fails because of it.
Items the cluster refuses stay in the outbox, marked rejected, and are reported with their URL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, fields
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from enrichment.cities import CITY_COORDINATES
from enrichment.records import Article
from enrichment.vocabulary import CATEGORIES
from search.backends.fts import query_terms
from search.errors import StoreError
from search.es.failures import reason_of, store_error
from search.es.outbox import Outbox
from search.es.schema import IndexNames
from search.store import SearchQuery, Store, StoredItem, UpsertResult

logger = logging.getLogger(__name__)

_ARTICLE_FIELDS = [f.name for f in fields(Article)]
_TEXT_FIELDS = ["title^3", "text", "title_de^3", "text_de", "outlet"]
_CONFLICT_ATTEMPTS = 3
_PAGE = 500


def document_id(url: str) -> str:
    """The document id: the canonical URL's SHA-256, so any URL length fits and ids are stable."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def content_hash(article: Article) -> str:
    """What makes two versions of an item different (the fetched address does not)."""
    data = asdict(article)
    data.pop("fetched_url")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def to_document(article: Article, *, first_seen: str, changed_at: str) -> dict[str, Any]:
    document = asdict(article)
    document["snippets"] = list(article.snippets)
    document["tags"] = list(article.tags)
    document["category_label"] = CATEGORIES.get(article.category, article.category)
    if article.city in CITY_COORDINATES:
        lat, lon = CITY_COORDINATES[article.city]
        document["city_location"] = {"lat": lat, "lon": lon}
    if article.language == "de":
        document["title_de"] = article.title
        document["text_de"] = article.text
    document["content_hash"] = content_hash(article)
    document["first_seen"] = first_seen
    document["changed_at"] = changed_at
    return document


def from_document(source: dict[str, Any]) -> StoredItem:
    values: dict[str, Any] = {name: source.get(name) for name in _ARTICLE_FIELDS}
    values["snippets"] = tuple(values["snippets"] or ())
    values["tags"] = tuple(values["tags"] or ())
    values["extra"] = values["extra"] or {}
    return StoredItem(
        article=Article(**values), first_seen=source["first_seen"], changed_at=source["changed_at"]
    )


_NOT_IN_PHRASE = str.maketrans('"\\()', "    ")
"""Characters that would end a quoted phrase or change the nesting (Lucene counts parentheses
inside quotes too); the analyzers drop them anyway."""


def simple_query(text: str) -> str | None:
    """The user's text in ``simple_query_string`` syntax, read as the embedded store reads it.

    Every term is quoted (a typed ``*``, ``~``, ``+``, ``|`` or parenthesis is a plain
    character, never an operator) and each ``OR`` group is parenthesised, since Lucene combines
    operators left to right: ``a b | c`` would be ``(a AND b) OR c``. None when the text has no
    word; QueryError when every word is excluded.
    """
    required, excluded = query_terms(text)
    if not required:
        return None

    def quoted(term: str) -> str:
        return '"' + term.translate(_NOT_IN_PHRASE) + '"'

    groups = [
        quoted(terms[0]) if len(terms) == 1 else "(" + " | ".join(map(quoted, terms)) + ")"
        for terms in required
    ]
    return " ".join(groups + [f"-{quoted(term)}" for term in excluded])


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The ``_search`` body for a user query: ``simple_query_string`` only, never raw syntax."""
    must: list[dict[str, Any]] = []
    text = simple_query(query.text) if query.text else None  # same reading as SQLite
    if text is not None:
        must.append(
            {
                "simple_query_string": {
                    "query": text,
                    "fields": _TEXT_FIELDS,
                    "default_operator": "and",
                }
            }
        )
    filters: list[dict[str, Any]] = []
    for field, value in (
        ("city", query.city),
        ("category", query.category),
        ("outlet.keyword", query.outlet),
        ("language", query.language),
    ):
        if value:
            filters.append({"term": {field: {"value": value, "case_insensitive": True}}})
    if query.since or query.until:
        bounds = {k: v for k, v in (("gte", query.since), ("lte", query.until)) if v}
        filters.append({"range": {"date": bounds}})
    if query.mentions_only:
        filters.append({"range": {"mentions": {"gt": 0}}})
    sort: list[Any] = (
        ["_score", {"date": {"order": "desc"}}]
        if must
        else [{"date": {"order": "desc"}}, {"url": {"order": "desc"}}]
    )
    return {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": sort,
        "size": query.limit,
    }


def rassegna_query(since: str | None, until: str | None) -> dict[str, Any]:
    """Items that name the topic, and every imported item, in the date range."""
    filters: list[dict[str, Any]] = [
        {
            "bool": {
                "should": [
                    {"range": {"mentions": {"gt": 0}}},
                    {"term": {"source": "import"}},
                    {"term": {"source": "manual"}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    if since or until:
        bounds = {k: v for k, v in (("gte", since), ("lte", until)) if v}
        filters.append({"range": {"date": bounds}})
    return {"bool": {"filter": filters}}


class ElasticsearchStore(Store):
    batch_size = 200

    def __init__(
        self, client: Elasticsearch, names: IndexNames, outbox: Outbox, where: str
    ) -> None:
        self._client = client
        self._names = names
        self._outbox = outbox
        self._where = where
        self._unreachable = False
        self._wrote = False
        self._closed = False

    # -- writes ----------------------------------------------------------------------------

    def upsert(self, article: Article, *, now: str) -> UpsertResult:
        return self.upsert_many([article], now=now)[0]

    def upsert_many(self, articles: Sequence[Article], *, now: str) -> list[UpsertResult]:
        if not articles:
            return []
        if not self._unreachable:
            try:
                self.deliver_outbox()
                return self._write([(a, now) for a in articles])
            except NotFoundError as exc:
                raise self._missing_index(exc) from None
            except ApiError as exc:
                if exc.meta.status < 500:
                    raise store_error(self._where, exc) from None
                self._go_offline(exc)
            except TransportError as exc:
                self._go_offline(exc)
        self._outbox.put(list(articles), now=now)
        return [UpsertResult(created=False, changed=False, queued=True) for _ in articles]

    def _go_offline(self, exc: Exception) -> None:
        """Queue everything for the rest of this run rather than wait on a dead cluster."""
        self._unreachable = True
        logger.warning(
            "Elasticsearch at %s unreachable (%s): items wait in the outbox %s",
            self._where,
            type(exc).__name__,
            self._outbox.path,
        )

    def deliver_outbox(self) -> int:
        """Send the items queued while the cluster was unreachable; how many were delivered."""
        delivered = 0
        while entries := self._outbox.pending(self.batch_size):
            self._write([(e.article, e.seen_at) for e in entries], from_outbox=True)
            delivered += len(entries)
        if delivered:
            logger.info("delivered %d items from the outbox to %s", delivered, self._where)
        return delivered

    def _write(
        self, batch: list[tuple[Article, str]], *, from_outbox: bool = False
    ) -> list[UpsertResult]:
        results: dict[int, UpsertResult] = {}
        todo = list(range(len(batch)))
        for attempt in range(_CONFLICT_ATTEMPTS):
            if attempt:
                time.sleep(0.2 * 2**attempt)
            todo = self._write_once(batch, todo, results)
            if not todo:
                break
        if todo:  # still conflicting: keep them for the next delivery rather than guess
            self._outbox.put([batch[i][0] for i in todo], now=batch[todo[0]][1])
            results.update({i: UpsertResult(False, False, queued=True) for i in todo})
        if from_outbox:
            self._outbox.remove(
                [batch[i][0].url for i, r in results.items() if not r.queued and not r.rejected]
            )
        self._wrote = True
        return [results[i] for i in range(len(batch))]

    def _write_once(
        self, batch: list[tuple[Article, str]], todo: list[int], results: dict[int, UpsertResult]
    ) -> list[int]:
        """One read-decide-write round; returns the positions to try again (conflicts)."""
        existing = self._existing([document_id(batch[i][0].url) for i in todo])
        actions: list[dict[str, Any]] = []
        positions: list[tuple[int, bool]] = []
        for i in todo:
            article, now = batch[i]
            doc_id = document_id(article.url)
            old = existing.get(doc_id)
            if old is None:
                actions.append(
                    {
                        "_op_type": "create",
                        "_index": self._names.write_alias,
                        "_id": doc_id,
                        "_source": to_document(article, first_seen=now, changed_at=now),
                    }
                )
                positions.append((i, True))
                continue
            source = old["_source"]
            if (source.get("source") in ("import", "manual") and article.source == "crawl") or (
                source.get("content_hash") == content_hash(article)
            ):
                results[i] = UpsertResult(created=False, changed=False)
                continue
            actions.append(
                {
                    "_op_type": "index",
                    "_index": self._names.write_alias,
                    "_id": doc_id,
                    "if_seq_no": old["_seq_no"],
                    "if_primary_term": old["_primary_term"],
                    "_source": to_document(
                        article, first_seen=source["first_seen"], changed_at=now
                    ),
                }
            )
            positions.append((i, False))
        retry: list[int] = []
        outcomes = helpers.streaming_bulk(
            self._client, actions, max_retries=0, raise_on_error=False, raise_on_exception=True
        )
        for (i, created), (ok, info) in zip(positions, outcomes, strict=True):
            item = next(iter(info.values()))
            if ok:
                results[i] = UpsertResult(created=created, changed=True)
            elif item.get("status") in (409, 429):
                retry.append(i)
            elif item["status"] >= 500:
                raise TransportError(f"bulk item failed: {item.get('error')}")
            else:
                article, now = batch[i]
                error = item.get("error") or {}
                reason = f"{error.get('type', item['status'])}: {error.get('reason', '')}".strip()
                logger.warning("Elasticsearch refused %s: %s", article.url, reason)
                self._outbox.put([article], now=now)
                self._outbox.reject(article.url, reason)
                results[i] = UpsertResult(created=False, changed=False, rejected=reason)
        return retry

    def _existing(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        answer = self._client.mget(
            index=self._names.write_alias,
            ids=ids,
            source_includes=["first_seen", "content_hash", "source"],
        )
        for doc in answer["docs"]:
            if "error" in doc:  # no such index: mget fails each document, not the request
                error = doc["error"]
                reason = error.get("reason", "") if isinstance(error, dict) else error
                raise StoreError(self._where, f"{reason}: run `rassegna es-setup` first")
        return {doc["_id"]: doc for doc in answer["docs"] if doc.get("found")}

    # -- reads -----------------------------------------------------------------------------

    def get(self, url: str) -> StoredItem | None:
        try:
            answer = self._client.get(index=self._names.read_alias, id=document_id(url))
        except NotFoundError as exc:
            if exc.error == "index_not_found_exception":
                raise self._missing_index(exc) from None
            return None
        except (ApiError, TransportError) as exc:
            raise store_error(self._where, exc) from None
        return from_document(answer["_source"])

    def search(self, query: SearchQuery) -> list[StoredItem]:
        answer = self._call(self._client.search, index=self._names.read_alias, **search_body(query))
        return [from_document(hit["_source"]) for hit in answer["hits"]["hits"]]

    def rassegna_items(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[StoredItem]:
        self.refresh()
        after: list[Any] | None = None
        while True:
            page = self._call(
                self._client.search,
                index=self._names.read_alias,
                query=rassegna_query(since, until),
                size=_PAGE,
                sort=[{"url": {"order": "asc"}}],
                search_after=after,
            )
            hits = page["hits"]["hits"]
            for hit in hits:
                yield from_document(hit["_source"])
            if len(hits) < _PAGE:
                return
            after = hits[-1]["sort"]

    def count(self) -> int:
        self.refresh()
        return int(self._call(self._client.count, index=self._names.read_alias)["count"])

    def refresh(self) -> None:
        """Make the latest writes visible to searches (a snapshot right after a crawl)."""
        self._call(self._client.indices.refresh, index=self._names.read_alias)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._wrote and not self._unreachable:
                self.refresh()
        except StoreError as exc:
            logger.warning("%s", exc)
        finally:
            self._outbox.close()
            self._client.close()

    def check(self, *, writing: bool) -> None:
        """Fail early on what the user must fix: bad credentials, not Elasticsearch, no index.

        An unreachable cluster is fatal for reading; for writing, items go to the outbox.
        """
        try:
            self._client.info()
            if not self._client.indices.exists_alias(name=self._names.write_alias):
                raise StoreError(
                    self._where,
                    f"no alias {self._names.write_alias!r}: run `rassegna es-setup` first",
                )
            if writing:
                self.deliver_outbox()
        except ApiError as exc:
            raise store_error(self._where, exc) from None
        except TransportError as exc:
            if not writing:
                raise store_error(self._where, exc) from None
            self._go_offline(exc)

    def _missing_index(self, exc: NotFoundError) -> StoreError:
        return StoreError(self._where, f"{reason_of(exc)}: run `rassegna es-setup` first")

    def _call(self, method: Any, **kwargs: Any) -> Any:
        """Run a read, turning failures into one-line store errors."""
        try:
            return method(**kwargs)
        except NotFoundError as exc:
            raise self._missing_index(exc) from None
        except (ApiError, TransportError) as exc:
            raise store_error(self._where, exc) from None
