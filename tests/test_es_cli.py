"""The command line with ELASTICSEARCH_URL set, against the local Elasticsearch stub."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from simweb.content import build_web, expected, sources_path
from tests.conftest import run_cli
from tests.esstub import ESStub

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")


@pytest.fixture
def stub() -> Iterator[ESStub]:
    with ESStub() as server:
        yield server


def es(stub: ESStub, *args: str, data_dir: Path, check: bool = True) -> Any:
    return run_cli(*args, "--es-url", stub.url, data_dir=data_dir, check=check)


def test_es_setup_is_safe_to_run_twice(stub: ESStub, tmp_path: Path) -> None:
    first = es(stub, "es-setup", data_dir=tmp_path)
    second = es(stub, "es-setup", data_dir=tmp_path)
    assert "created" in first.stdout
    assert "already on" in second.stdout
    assert sorted(stub.indices) == ["rassegna-items-v2"]


@pytest.mark.slow
def test_crawl_with_the_cluster_down_then_up_loses_and_duplicates_nothing(
    stub: ESStub, tmp_path: Path
) -> None:
    es(stub, "es-setup", data_dir=tmp_path)
    stub.go_down()
    with build_web() as web:
        crawl = es(
            stub,
            "crawl",
            "--sources",
            sources_path(),
            "--connect-to",
            web.connect_to,
            "--json",
            *FAST,
            data_dir=tmp_path,
        )
        summary = json.loads(crawl.stdout)
        assert summary["queued_items"] > 0
        assert summary["new_items"] == 0
        stub.come_back()
        again = json.loads(
            es(
                stub,
                "crawl",
                "--sources",
                sources_path(),
                "--connect-to",
                web.connect_to,
                "--json",
                *FAST,
                data_dir=tmp_path,
            ).stdout
        )
    assert again["queued_items"] == 0
    snapshot = json.loads(
        es(stub, "snapshot", "--sources", sources_path(), data_dir=tmp_path).stdout
    )
    want = sorted(m["url"] for m in expected()["mentions"])
    assert sorted(i["url"] for i in snapshot["items"]) == want
    assert len(stub.indices["rassegna-items-v2"].docs) == summary["queued_items"]


def test_import_search_and_snapshot_through_elasticsearch(stub: ESStub, tmp_path: Path) -> None:
    csv_file = tmp_path / "voci.csv"
    csv_file.write_text(
        "url,outlet,category,audience,date,title,journalist,text\n"
        "https://www.facebook.com/x/posts/1,Facebook – Trieste Cafè,social,119974,2023-12-01,"
        "Trieste nella rete LgNet2,,Le unità di strada arrivano a Trieste\n",
        encoding="utf-8",
    )
    es(stub, "es-setup", data_dir=tmp_path)
    assert "1 new" in es(stub, "import", str(csv_file), data_dir=tmp_path).stdout
    assert "0 new" in es(stub, "import", str(csv_file), data_dir=tmp_path).stdout
    found = es(stub, "search", "trieste", "--json", data_dir=tmp_path).stdout.splitlines()
    assert [json.loads(line)["city"] for line in found] == ["Trieste"]
    snapshot = json.loads(es(stub, "snapshot", data_dir=tmp_path).stdout)
    assert snapshot["total"] == {"uscite": 1, "audience": 119974}


def test_cluster_errors_are_one_line(tmp_path: Path) -> None:
    with ESStub(api_key="giusta") as stub:
        result = run_cli(
            "search",
            "x",
            "--es-url",
            stub.url,
            "--es-api-key",
            "sbagliata",
            data_dir=tmp_path,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "credentials refused" in result.stderr
    assert "sbagliata" not in result.stderr
    down = run_cli("es-setup", "--es-url", "http://127.0.0.1:9", data_dir=tmp_path, check=False)
    assert down.returncode == 2
    assert "unreachable" in down.stderr
    assert down.stderr.count("\n") == 1
    missing = run_cli("es-setup", data_dir=tmp_path, check=False)
    assert "needs ELASTICSEARCH_URL" in missing.stderr


class _Kibana(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        raw = self.rfile.read(length)
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + raw
        )
        files = {
            part.get_filename(): part.get_payload(decode=True) for part in message.iter_parts()
        }
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.received.append({"path": self.path, "headers": headers, "files": files})
        body = json.dumps({"success": True, "successCount": 7}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        """Quiet."""


def test_es_setup_imports_the_kibana_objects(stub: ESStub, tmp_path: Path) -> None:
    objects = tmp_path / "oggetti.ndjson"
    objects.write_text(
        '{"type":"index-pattern","id":"rassegna-items","attributes":{}}\n', encoding="utf-8"
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Kibana)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = es(
            stub,
            "es-setup",
            "--kibana-url",
            f"http://127.0.0.1:{server.server_port}",
            "--kibana-objects",
            str(objects),
            data_dir=tmp_path,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert "7 Kibana objects imported" in result.stdout
    request = _Kibana.received[-1]
    assert request["path"] == "/api/saved_objects/_import?overwrite=true"
    assert request["headers"]["kbn-xsrf"]
    assert request["files"] == {"oggetti.ndjson": objects.read_bytes()}
