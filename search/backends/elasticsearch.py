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

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from enrichment.records import Article
from search.desk.decisions import Decision, Desk
from search.errors import StoreError
from search.es.decisions import desk_object, desk_version
from search.es.documents import content_hash, document_id, from_document, to_document
from search.es.failures import reason_of, store_error
from search.es.outbox import Outbox
from search.es.queries import rassegna_query, search_body
from search.es.schema import IndexNames
from search.store import SearchQuery, Store, StoredItem, UpsertResult

logger = logging.getLogger(__name__)

_DECIDING_FIELDS = ["first_seen", "content_hash", "source", "desk"]
"""What a write reads of a stored document to decide whether and how to write it."""
_CONFLICT_ATTEMPTS = 3
_PAGE = 500


class ElasticsearchStore(Store):
    batch_size = 200

    def __init__(
        self,
        client: Elasticsearch,
        names: IndexNames,
        outbox: Outbox,
        where: str,
        desk: Desk | None = None,
    ) -> None:
        self._client = client
        self._names = names
        self._outbox = outbox
        self._where = where
        self._desk = desk
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
                        article,
                        first_seen=source["first_seen"],
                        changed_at=now,
                        desk=source.get("desk"),
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

    def _existing(
        self,
        ids: list[str],
        includes: list[str] | None = _DECIDING_FIELDS,
    ) -> dict[str, dict[str, Any]]:
        """The stored documents among ``ids`` (only the ``includes`` fields; all with None)."""
        if not ids:
            return {}
        answer = self._client.mget(index=self._names.write_alias, ids=ids, source_includes=includes)
        for doc in answer["docs"]:
            if "error" in doc:  # no such index: mget fails each document, not the request
                error = doc["error"]
                reason = error.get("reason", "") if isinstance(error, dict) else error
                raise StoreError(self._where, f"{reason}: run `rassegna es-setup` first")
        return {doc["_id"]: doc for doc in answer["docs"] if doc.get("found")}

    # -- the desk's decisions -----------------------------------------------------------------

    def publish_decisions(self, urls: Iterable[str] | None = None) -> int:
        """Write into the documents the decisions the cluster does not hold yet.

        The desk keeps every decision whatever happens here: a cluster that cannot be reached
        or refuses is one warning, and the decisions it missed are sent by the next call
        (every crawl, ``es-setup``). The ledger of versions sent sits in the outbox file.
        """
        if self._desk is None or self._unreachable:
            return 0
        if urls is None:
            decisions = list(self._desk.decisions().values())
        else:
            decisions = [d for d in map(self._desk.decision, urls) if d is not None]
        sent = self._outbox.decisions_sent()
        due = [d for d in decisions if sent.get(d.url) != d.version]
        written = 0
        try:
            for start in range(0, len(due), self.batch_size):
                written += self._publish(due[start : start + self.batch_size])
        except (ApiError, TransportError, StoreError) as exc:
            logger.warning(
                "Elasticsearch at %s has not taken the desk's latest decisions (%s): they are "
                "kept in the desk and sent at the next crawl",
                self._where,
                reason_of(exc) if isinstance(exc, ApiError) else type(exc).__name__,
            )
        if written:
            logger.info("%d decisions of the desk written to %s", written, self._where)
        return written

    def verify_decisions(self) -> int:
        """``publish_decisions`` for every decision, whatever the ledger says: after an index
        was created or restored, it may hold none of them (``rassegna es-setup``)."""
        self._outbox.forget_decisions()
        return self.publish_decisions()

    def _publish(self, decisions: list[Decision]) -> int:
        ids = {document_id(d.url): d for d in decisions}
        existing = self._existing(list(ids), None)
        actions = []
        done: dict[str, int] = {}
        for doc_id, doc in existing.items():
            decision = ids[doc_id]
            if desk_version(doc["_source"]) == decision.version:
                done[decision.url] = decision.version
                continue
            stored = from_document(doc["_source"])
            actions.append(
                {
                    "_op_type": "index",
                    "_index": self._names.write_alias,
                    "_id": doc_id,
                    "if_seq_no": doc["_seq_no"],
                    "if_primary_term": doc["_primary_term"],
                    "_source": to_document(
                        stored.article,
                        first_seen=stored.first_seen,
                        changed_at=stored.changed_at,
                        desk=desk_object(decision),
                    ),
                }
            )
        outcomes = helpers.streaming_bulk(
            self._client, actions, max_retries=0, raise_on_error=False, raise_on_exception=True
        )
        written = 0
        for action, (ok, info) in zip(actions, outcomes, strict=True):
            decision = ids[action["_id"]]
            if ok:
                done[decision.url] = decision.version
                written += 1
            elif next(iter(info.values())).get("status") != 409:  # 409: a crawl wrote it now
                logger.warning("Elasticsearch refused the decision on %s: %s", decision.url, info)
        self._outbox.record_decisions(done)
        self._wrote = self._wrote or written > 0
        return written

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
                self.publish_decisions()
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
                self.publish_decisions()
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
