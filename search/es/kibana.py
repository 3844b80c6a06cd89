"""Importing the Kibana saved objects (data view, saved search, dashboard) shipped beside this
module in ``kibana.ndjson``.

Uses Kibana's saved-objects API (``POST /api/saved_objects/_import?overwrite=true``), so running
``rassegna es-setup`` again replaces the objects instead of duplicating them. Credentials and CA
are the Elasticsearch ones: in the bundled compose stack the same user logs in to both.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import urllib.request
import uuid
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError

from search.errors import KibanaError
from search.es.config import ESConfig


def objects_path() -> Path:
    """``RASSEGNA_KIBANA_OBJECTS``, else the objects installed with the package."""
    bundled = Path(str(resources.files("search.es") / "kibana.ndjson"))
    return Path(os.environ.get("RASSEGNA_KIBANA_OBJECTS") or bundled)


def _headers(config: ESConfig | None) -> dict[str, str]:
    headers = {"kbn-xsrf": "rassegna"}
    if config is None:
        return headers
    if config.api_key:
        headers["Authorization"] = f"ApiKey {config.api_key}"
    elif config.username and config.password:
        token = base64.b64encode(f"{config.username}:{config.password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    return headers


def import_saved_objects(kibana_url: str, path: Path, config: ESConfig | None) -> dict[str, Any]:
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise KibanaError(str(path), f"cannot read the Kibana objects: {exc.strerror}") from exc
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/ndjson\r\n\r\n'
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310 - http(s) checked below
        kibana_url.rstrip("/") + "/api/saved_objects/_import?overwrite=true",
        data=body,
        method="POST",
        headers={**_headers(config), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    if not request.full_url.startswith(("http://", "https://")):
        raise KibanaError("KIBANA_URL", f"{kibana_url!r} is not an http(s) URL")
    context = ssl.create_default_context(cafile=config.ca_certs if config else None)
    try:
        with urllib.request.urlopen(request, timeout=60, context=context) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
    except HTTPError as exc:
        raise KibanaError("KIBANA_URL", f"Kibana answered HTTP {exc.code} to the import") from None
    except (URLError, OSError, ValueError) as exc:
        raise KibanaError("KIBANA_URL", f"cannot import into Kibana: {exc}") from None
    if not answer.get("success"):
        errors = [
            f"{e.get('type')}/{e.get('id')}: {e.get('error', {}).get('type')}"
            for e in answer.get("errors", [])
        ]
        raise KibanaError("KIBANA_URL", f"Kibana refused objects: {'; '.join(errors)}")
    return answer
