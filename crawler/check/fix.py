"""``--fix OUT.yaml``: the registry with each broken entry point replaced by a working one of
the same kind, comments, order and quoting kept (ruamel.yaml's round trip).

A replacement is the same path on the host that answers when there is one, else the first
working suggestion of that kind the registry does not list yet. Every change, and every broken
entry point left as it was for want of a replacement, gets a comment above its key saying what
failed and when, so a reviewer of the new file sees why it differs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as safe_yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from crawler.check.results import REGISTRY_KEYS, EntryCheck, OutletCheck, Suggestion
from crawler.errors import UsageError
from enrichment.registry import parse_registry

MARK = "rassegna sources check"


@dataclass
class FixResult:
    replaced: list[tuple[str, str, str]] = field(default_factory=list)
    """(outlet, old entry, new entry)."""
    kept: list[tuple[str, str]] = field(default_factory=list)
    """(outlet, broken entry) with nothing to replace it."""


def write_fixed(
    source: Path, checks: Sequence[OutletCheck], target: Path, *, today: str
) -> FixResult:
    """Write the corrected copy of ``source`` to ``target``, which must not exist yet."""
    try:
        text = source.read_text(encoding="utf-8")
        _, indent, offset = load_yaml_guess_indent(text)
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never fold a long line the file did not fold
        offset = offset or 0
        yaml.indent(mapping=indent - offset if offset else indent, sequence=indent, offset=offset)
        data = yaml.load(text)
    except (OSError, YAMLError) as exc:
        raise UsageError(f"{source}: cannot read the registry to fix: {exc}") from exc
    outlets = {
        str(item.get("name", "")).strip(): item
        for item in data.get("outlets") or []
        if isinstance(item, CommentedMap)
    }
    result = FixResult()
    for check in checks:
        mapping = outlets.get(check.outlet)
        if mapping is not None and check.broken:
            _fix_outlet(mapping, check, today, result)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    # A registry the crawl would refuse is never written (it would be a bug of the fix).
    parse_registry(safe_yaml.safe_load(buffer.getvalue()), str(target))
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(buffer.getvalue())
    except FileExistsError:
        raise UsageError(f"{target}: already exists; give a new file for --fix") from None
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return result


def _fix_outlet(mapping: CommentedMap, check: OutletCheck, today: str, result: FixResult) -> None:
    comments: dict[str, list[str]] = {}
    used = {str(v).strip() for key in REGISTRY_KEYS.values() for v in _values(mapping.get(key))}
    for broken in check.broken:
        key = REGISTRY_KEYS[broken.kind]
        found = _replacement(check.suggestions, broken, used)
        why = broken.reason or "non funziona"
        if found is None:
            comments.setdefault(key, []).append(
                f"{MARK}, {today}: {broken.entry} non funziona ({why}); nessuna alternativa"
            )
            result.kept.append((check.outlet, broken.entry))
            continue
        if _replace(mapping, key, broken.entry, found.entry):
            used.add(found.entry)
            comments.setdefault(key, []).append(
                f"{MARK}, {today}: {found.entry} al posto di {broken.entry} ({why}); {found.found}"
            )
            result.replaced.append((check.outlet, broken.entry, found.entry))
    for key, lines in comments.items():
        mapping.yaml_set_comment_before_after_key(
            key, before="\n".join(lines), indent=mapping.lc.col
        )


def _values(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else []


def _replacement(
    suggestions: Sequence[Suggestion], broken: EntryCheck, used: set[str]
) -> Suggestion | None:
    same_kind = [s for s in suggestions if s.kind == broken.kind and s.entry not in used]
    for suggestion in same_kind:
        if suggestion.replaces == broken.entry:
            return suggestion
    return next((s for s in same_kind if s.replaces is None), None)


def _replace(mapping: CommentedMap, key: str, old: str, new: str) -> bool:
    """Put ``new`` where ``old`` is under ``key`` (a list or a lone string), in its style."""
    value = mapping.get(key)
    if isinstance(value, str):
        if value.strip() != old:
            return False
        mapping[key] = _styled(value, new)
        return True
    if isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip() == old:
                value[index] = _styled(item, new)
                return True
    return False


def _styled(old: str, new: str) -> str:
    """``new`` quoted as ``old`` was."""
    return type(old)(new) if isinstance(old, ScalarString) else new
