"""Turn a fetched body into Unicode text, whatever charset it claims.

Italian local sites are old and varied: some still serve ISO-8859-1, some declare UTF-8 in
a template while the editors paste Windows-1252 text, a few declare Latin-1 on pages that
are really UTF-8. A wrong guess shows up as "cittÃ " or "citt\ufffd" in titles and breaks
topic matching, so decoding tries to recover the text the editor typed rather than obey the
declaration blindly.

Order of evidence: a byte-order mark (it cannot be wrong), then the HTTP ``Content-Type``
charset, then ``<meta charset>`` / ``http-equiv`` / XML declaration, then UTF-8. Western
single-byte declarations are checked against the bytes: valid non-ASCII UTF-8 wins over
them. UTF-8 (declared or assumed) is decoded leniently: bytes that are not UTF-8 are read as
Windows-1252, so a Latin-1 page, or a UTF-8 page with a few pasted Latin-1 bytes, comes out
right without replacement characters.
"""

from __future__ import annotations

import codecs
import logging

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

logger = logging.getLogger(__name__)

_WESTERN_SINGLE_BYTE = frozenset({"cp1252", "iso8859-15"})
_UTF8_ERRORS = "rassegna-utf8-as-cp1252"


def _cp1252_for_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """Read one undecodable byte as Windows-1252 and resume right after it.

    Only one byte is consumed so a valid UTF-8 sequence that follows a stray byte is still
    read as UTF-8. The five bytes Windows-1252 leaves undefined map to their Latin-1 control
    characters, which the HTML parser later drops.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.start + 1]
    try:
        char = bad.decode("cp1252")
    except UnicodeDecodeError:
        char = bad.decode("latin-1")
    return char, error.start + 1


codecs.register_error(_UTF8_ERRORS, _cp1252_for_bad_bytes)


def decode_html(body: bytes | str, declared: str | None = None) -> str:
    """Return the page as text; ``declared`` is the HTTP header charset, if any."""
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return body[len(bom) :].decode(bom_encoding, errors="replace")
    encoding = _resolve(declared) or _resolve(html_body_declared_encoding(body))
    if encoding is None or encoding in ("utf-8", "utf-8-sig"):
        return body.decode("utf-8", errors=_UTF8_ERRORS)
    if encoding in _WESTERN_SINGLE_BYTE and not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            logger.debug("page declares %s but its bytes are UTF-8", encoding)
            return text
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        # Without a byte-order mark a UTF-16 label is a wrong label on an ASCII-based page:
        # a UTF-16 body would have no readable ASCII meta tag at all.
        return body.decode("utf-8", errors=_UTF8_ERRORS)
    return body.decode(encoding, errors="replace")


def _resolve(name: str | None) -> str | None:
    """Map a charset label to a Python codec name, ``None`` for unknown labels."""
    if not name:
        return None
    resolved = resolve_encoding(name.strip().strip("\"'"))
    if resolved is None:
        return None
    return codecs.lookup(resolved).name
