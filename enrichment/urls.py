"""Canonical URLs: one article, one address.

Feeds, sitemaps, newsletters and social shares decorate links with tracking parameters;
the same article must still be one item, so the identity of an item is its URL with those
parameters, the fragment and default ports removed and the host lower-cased.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|ref_src|ref_url|"
    r"cmpid|ito|xtor|sr_share|share|fb_action_ids|fb_action_types|fb_source|amp;utm_\w+)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """The identity form of ``url``: tracking parameters, fragment and default port removed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    # Rebuild the query only when something was dropped, so ordinary queries keep their
    # exact encoding (the server may be picky about it).
    query = parts.query if len(kept) == len(pairs) else urlencode(kept, doseq=True)
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on the same host, ignoring a leading ``www.``."""

    def bare(u: str) -> str:
        host = (urlsplit(u).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host

    return bare(url) == bare(other)
