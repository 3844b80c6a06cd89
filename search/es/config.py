"""Connection settings for Elasticsearch, from flags or the environment.

``ELASTICSEARCH_URL`` selects the backend; credentials come from ``ELASTICSEARCH_API_KEY`` or
``ELASTICSEARCH_USERNAME``/``ELASTICSEARCH_PASSWORD``, a private CA from
``ELASTICSEARCH_CA_CERTS``. Secrets never appear in messages or logs: only ``where`` (the URL
without user information) does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import Elasticsearch

from search.errors import ESConfigError
from search.es.schema import DEFAULT_PREFIX, IndexNames


@dataclass(frozen=True, repr=False)
class ESConfig:
    url: str
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    prefix: str = DEFAULT_PREFIX

    def __repr__(self) -> str:
        return f"ESConfig({self.where!r}, prefix={self.prefix!r})"

    @property
    def where(self) -> str:
        """The URL with any user:password removed, safe to print."""
        parts = urlsplit(self.url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    @property
    def names(self) -> IndexNames:
        return IndexNames(self.prefix)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **flags: str | None) -> ESConfig | None:
        """The configuration, flags first, or None when no URL is set (embedded store)."""
        env = os.environ if env is None else env

        def pick(flag: str, var: str) -> str | None:
            return flags.get(flag) or env.get(var) or None

        url = pick("url", "ELASTICSEARCH_URL")
        if not url:
            return None
        config = cls(
            url=url.strip(),
            api_key=pick("api_key", "ELASTICSEARCH_API_KEY"),
            username=pick("username", "ELASTICSEARCH_USERNAME"),
            password=pick("password", "ELASTICSEARCH_PASSWORD"),
            ca_certs=pick("ca_certs", "ELASTICSEARCH_CA_CERTS"),
            prefix=pick("prefix", "RASSEGNA_ES_PREFIX") or DEFAULT_PREFIX,
        )
        config.validate()
        return config

    def validate(self) -> None:
        try:
            parts = urlsplit(self.url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError as exc:
            raise ESConfigError(
                "ELASTICSEARCH_URL", f"{self.where!r} is not a URL: {exc}"
            ) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ESConfigError(
                "ELASTICSEARCH_URL",
                f"{self.where or '(empty)'!r} is not an http(s) URL like https://localhost:9200",
            )
        if self.ca_certs and not Path(self.ca_certs).is_file():
            raise ESConfigError("ELASTICSEARCH_CA_CERTS", f"{self.ca_certs}: no such file")
        if (self.username is None) != (self.password is None) and not parts.username:
            raise ESConfigError(
                "ELASTICSEARCH_USERNAME",
                "set both ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD (or an API key)",
            )

    def client(self) -> Elasticsearch:
        parts = urlsplit(self.url)
        username = self.username or parts.username
        password = self.password or parts.password
        tls: dict[str, Any] = {"ca_certs": self.ca_certs} if self.ca_certs else {}
        return Elasticsearch(
            self.where,
            api_key=self.api_key,
            basic_auth=(username, password) if username and password else None,
            request_timeout=30,
            max_retries=3,
            retry_on_timeout=True,
            retry_on_status=(429, 502, 503, 504),
            **tls,
        )
