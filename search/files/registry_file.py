"""Adding an outlet to the registry file, in place, as the office keeps it.

The registry is a file people edit by hand, with comments that say where each entry point
comes from; a program that rewrites it must keep them. ruamel.yaml's round-trip mode keeps
comments, order and quoting, so the new outlet is appended and nothing else moves. The result
is validated as a registry before it replaces the file (atomically: a reader never sees half
of it), so an outlet the registry would refuse is never written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from enrichment.errors import RegistryError
from enrichment.registry import Registry, parse_registry
from search.files.atomic import write_atomically


def _round_trip() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 100
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def add_outlet(path: Path, outlet: Mapping[str, Any], *, comment: str) -> Registry:
    """Append ``outlet`` (the registry's own keys) to the file's ``outlets``, with ``comment``
    above it; the registry as it now reads.

    Raises ``RegistryError`` naming the file when it cannot be read, when an outlet of that name
    exists or one of its hosts is already another outlet's, or when the entry is not valid.
    """
    name = str(path)
    handler = _round_trip()
    try:
        data = handler.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(name, f"cannot read: {exc.strerror or exc}") from exc
    except YAMLError as exc:
        raise RegistryError(name, "not valid YAML") from exc
    before = parse_registry(yaml.safe_load(_dumped(handler, data)), name)
    if any(o.name == outlet.get("name") for o in before.outlets):
        raise RegistryError(name, f"an outlet named {outlet.get('name')!r} already exists")
    for host in outlet.get("urls", ()):
        owner = before.outlet_for_url(f"https://{host}/")
        if owner is not None:
            raise RegistryError(name, f"{host} is already attributed to {owner.name!r}")
    outlets = data["outlets"]
    if not isinstance(outlets, CommentedSeq):  # parse_registry has checked it is a list
        raise RegistryError(name, "'outlets' must be a list")
    outlets.append(CommentedMap(outlet))
    # A blank line first, as between the file's other outlets.
    outlets.yaml_set_comment_before_after_key(len(outlets) - 1, before="\n" + comment, indent=2)
    text = _dumped(handler, data)
    after = parse_registry(yaml.safe_load(text), name)
    write_atomically(path, text)
    return after


def _dumped(handler: YAML, data: Any) -> str:
    out = io.StringIO()
    handler.dump(data, out)
    return out.getvalue()
