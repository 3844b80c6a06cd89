"""Discovery beyond the registry (contract 7): aggregator searches that name articles on sites
the registry may not list.

One module per source, each reading that source's real public format into a ``Found``
(``results``): ``google_news`` (RSS search; opaque links, resolved on the publisher's site by
``publisher``), ``bing_news`` (RSS search; the article URL is a parameter of the link) and
``gdelt`` (the DOC 2.0 API's JSON article list). ``new_outlets`` names and files what is found
off the registry. The spider's side is ``crawler.spiders.discovery_requests``.
"""

from __future__ import annotations

from crawler.discovery import bing_news, gdelt, google_news
from crawler.discovery.results import Source

SOURCES: dict[str, Source] = {m.NAME: m for m in (google_news, bing_news, gdelt)}
"""The source modules by the name the registry's ``discovery.sources`` uses."""
