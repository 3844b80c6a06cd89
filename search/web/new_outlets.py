"""Testate nuove: the sites discovery found outside the registry, for the office to classify.

An item from an unknown site waits labelled with the site's own name, in the default category
and with no audience (contract 7). Here an editor names the outlet, gives its category and
audience, and the registry file gains it (``search.desk.new_outlets.classify``); the desk then
reads the new registry at once, and the next crawl attributes the site's pages to it.

The registry must be one the operator named (``rassegna serve --sources FILE``): the one
bundled inside the installed package is never edited. It must also be writable by the desk's
process (the Docker stack mounts it read-only unless the operator says otherwise); when it is
not, the page says so in one line and nothing changes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from enrichment.errors import RegistryError
from search.desk.new_outlets import classify, new_outlets
from search.errors import DecisionError, OutputError
from search.web.context import desk, editor_required, page, settings, signed_in, store

bp = Blueprint("new_outlets", __name__)


@bp.get("/testate-nuove")
def waiting() -> tuple[str, int]:
    account = signed_in()
    return page(
        "testate_nuove.html",
        title="Testate nuove",
        outlets=new_outlets(store()),
        can_write=account is not None and account.can_write,
        editable=settings().registry_editable,
        registry_file=Path(settings().registry.path).name,
    )


@bp.post("/testate-nuove/classifica")
@editor_required
def classify_outlet() -> Response:
    if not settings().registry_editable:
        flash(
            "Il registro incluso nel programma non si modifica: avvia il desk con "
            "--sources FILE (una copia del registro) per aggiungere testate.",
            "error",
        )
        return redirect(url_for("new_outlets.waiting"), 303)
    host = request.form.get("sito", "")
    name = request.form.get("nome", "")
    raw_audience = request.form.get("audience", "").strip()
    back = redirect(url_for("new_outlets.waiting"), 303)
    try:
        audience = int(raw_audience) if raw_audience else None
    except ValueError:
        flash(f"Audience non valida: «{raw_audience}» (un numero intero, 0 o più).", "error")
        return back
    account = signed_in()
    try:
        registry, changed = classify(
            store(),
            desk(),
            settings().registry,
            host,
            name=name,
            category=request.form.get("categoria", ""),
            audience=audience,
            actor=account.name if account is not None else "?",
        )
    except DecisionError as exc:
        flash(f"Testata non classificata: {exc}", "error")
        return back
    except (RegistryError, OutputError) as exc:
        flash(f"Il registro non è stato modificato: {exc}", "error")
        return back
    current_app.extensions["rassegna"] = replace(settings(), registry=registry)
    store().publish_decisions()
    flash(
        f"{host}: ora è la testata «{' '.join(name.split())}» del registro "
        f"({changed} uscit{'a' if changed == 1 else 'e'} aggiornat{'a' if changed == 1 else 'e'}).",
        "ok",
    )
    return back
