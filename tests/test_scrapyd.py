"""Scrapyd, the Scrapy job server, runs the crawl (contract 8, second half; issue 14).

A Scrapyd server on loopback, with its own configuration and folders, receives the project
from ``scrapyd-deploy`` (the egg it builds, with the registry and the templates) as the project
``rassegna``; ``schedule.json`` starts the spider ``outlets`` on the simulated web with the
contract's arguments (``sources``, ``connect_to``, ``setting=RASSEGNA_DATA_DIR=…``), and the store
it fills must hold what ``rassegna crawl`` stores from the same web.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.sources import load_sources
from simweb.content import build_web, sources_path
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

FAST = {"AUTOTHROTTLE_START_DELAY": "0.05", "RETRY_BACKOFF_BASE": "0.2"}
JOB_TIMEOUT = 120.0
# What would point Scrapyd's jobs at other data or settings than the test gives them.
FOREIGN = (
    "ELASTICSEARCH_URL",
    "RASSEGNA_CONNECT_TO",
    "RASSEGNA_DATA_DIR",
    "RASSEGNA_SOURCES",
    "SCRAPY_SETTINGS_MODULE",
    "SCRAPY_PROJECT",
)


def _clean_env() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in FOREIGN}
    env["PYTHONHASHSEED"] = "0"
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(url: str, fields: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """GET ``url``, or POST ``fields`` to it (form-encoded, repeated names allowed)."""
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with urllib.request.urlopen(url, data=data, timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def _stored(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "rassegna.sqlite") as db:
        return sorted(db.execute("SELECT url, title FROM items").fetchall())


def _project_copy(into: Path, scrapyd_url: str) -> Path:
    """The project's sources as ``scrapyd-deploy`` packs them, in a folder of their own:
    scrapyd-deploy writes a ``setup.py`` and a ``build`` folder beside ``scrapy.cfg``, which
    must not land in the repository. The copy's ``scrapy.cfg`` is the repository's, plus a
    deploy target for the test's server (the project name comes from ``[deploy]``)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy2(ROOT / name, into / name)
    for package in ("crawler", "enrichment", "search"):
        shutil.copytree(ROOT / package, into / package, ignore=ignore)
    shutil.copytree(ROOT / "tests" / "simweb", into / "tests" / "simweb", ignore=ignore)
    with (into / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {scrapyd_url}\n")
    return into


class Scrapyd:
    """A Scrapyd server on 127.0.0.1, configured by its own file in its own folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"eggs_dir = {home / 'eggs'}\n"
            f"logs_dir = {home / 'logs'}\n"
            "items_dir =\n"
            f"dbs_dir = {home / 'dbs'}\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            "poll_interval = 0.5\n"
            "max_proc = 1\n",
            encoding="utf-8",
        )
        self.output = (home / "scrapyd.out").open("w", encoding="utf-8")
        # Scrapyd reads ./scrapyd.conf, and its jobs run in its folder, away from the
        # repository's scrapy.cfg: what they run comes from the egg.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"],
            cwd=home,
            env=_clean_env(),
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"scrapyd exited {self.process.returncode}\n{self.log()}")
            try:
                if _call(self.url + "daemonstatus.json")["status"] == "ok":
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"scrapyd did not answer in {timeout} s\n{self.log()}")

    def log(self) -> str:
        self.output.flush()
        return (self.home / "scrapyd.out").read_text(encoding="utf-8", errors="replace")

    def job_log(self, job: str) -> str:
        path = self.home / "logs" / "rassegna" / "outlets" / f"{job}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.output.close()


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    pytest.importorskip("scrapyd", reason="Scrapyd is not installed (pip install scrapyd)")
    home = tmp_path / "scrapyd"
    home.mkdir()
    server = Scrapyd(home)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _scrapyd_deploy(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", *args],
        cwd=project,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Run inside the egg the way Scrapyd's runner runs a job: the egg first on sys.path.
IN_EGG = """
import json, os, sys
from scrapyd.runner import activate_egg
activate_egg(sys.argv[1])
# A Scrapyd server's environment has no rassegna of its own; the tests' has one installed,
# which would shadow the egg: the egg goes first, as it is alone there.
sys.path[:] = [sys.argv[1], *(entry for entry in sys.path if entry != sys.argv[1])]
import crawler
from crawler.standalone import _registry
print(json.dumps({
    "crawler": crawler.__file__,
    "settings": os.environ["SCRAPY_SETTINGS_MODULE"],
    "outlets": len(_registry(None).outlets),
}))
"""


def test_the_egg_carries_the_settings_and_the_bundled_registry(tmp_path: Path) -> None:
    pytest.importorskip("scrapyd", reason="Scrapyd is not installed (pip install scrapyd)")
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    _project_copy(project, "http://127.0.0.1:9/")
    egg = tmp_path / "rassegna.egg"
    built = _scrapyd_deploy(project, "--build-egg", str(egg))
    assert built.returncode == 0, f"{built.stdout}\n{built.stderr}"
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]\nsettings = crawler.settings" in entry_points
    assert {"crawler/sources.yaml", "search/render/templates/rassegna.html"} <= names
    assert "simweb/sources.yaml" in names

    env = _clean_env()
    env.pop("PYTHONPATH", None)
    ran = subprocess.run(
        [sys.executable, "-c", IN_EGG, str(egg)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    assert found["crawler"].startswith(str(egg)), found  # the egg's code, not the checkout's
    assert found["settings"] == "crawler.settings"
    assert found["outlets"] == len(load_sources().outlets)  # the bundled registry, read in a zip


def test_scrapyd_runs_the_crawl_rassegna_crawl_runs(scrapyd: Scrapyd, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    _project_copy(project, scrapyd.url)
    deploy = _scrapyd_deploy(project, "test", "--version", "1")
    assert deploy.returncode == 0, f"{deploy.stdout}\n{deploy.stderr}\n{scrapyd.log()}"
    assert json.loads(deploy.stdout)["spiders"] == 1, deploy.stdout
    assert _call(scrapyd.url + "listspiders.json?project=rassegna")["spiders"] == ["outlets"]

    ours = tmp_path / "rassegna-crawl"
    theirs = tmp_path / "scrapyd-crawl"
    with build_web() as web:
        settings = [("setting", f"{name}={value}") for name, value in FAST.items()]
        job = _call(
            scrapyd.url + "schedule.json",
            [
                ("project", "rassegna"),
                ("spider", "outlets"),
                ("sources", sources_path()),
                ("connect_to", web.connect_to),
                ("setting", f"RASSEGNA_DATA_DIR={theirs}"),
                *settings,
            ],
        )
        assert job["status"] == "ok", job
        jobid = job["jobid"]

        deadline = time.monotonic() + JOB_TIMEOUT
        while True:
            jobs = _call(scrapyd.url + "listjobs.json?project=rassegna")
            finished = [j for j in jobs["finished"] if j["id"] == jobid]
            if finished:
                break
            assert time.monotonic() < deadline, (
                f"job {jobid} not finished in {JOB_TIMEOUT} s: {jobs}\n{scrapyd.job_log(jobid)}"
            )
            time.sleep(0.5)

        # The same web crawled by the command line, once Scrapyd's job is done.
        flags = [item for name, value in FAST.items() for item in ("--set", f"{name}={value}")]
        run_cli(
            "crawl",
            "--sources",
            sources_path(),
            "--connect-to",
            web.connect_to,
            *flags,
            data_dir=ours,
        )

    log = scrapyd.job_log(jobid)
    assert (theirs / "rassegna.sqlite").exists(), f"{log}\n{scrapyd.log()}"
    items = _stored(theirs)
    assert items, log
    assert items == _stored(ours), log
