"""Sending editions through a real SMTP server on loopback (aiosmtpd, ``tests/receivers.py``).

One edition is approved once for the module, with a real PDF printed by Chromium; each test
sends a copy of that data dir. E-mails carry the PDF (read back with pypdf) and the figures; a
recipient gets an edition once, whatever happens: a second send, a mail server down then up,
a process killed between two recipients. ``--again`` sends it again on purpose.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pypdf
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from search.desk.decisions import Desk
from search.errors import RenderError
from search.render.pdf import find_chromium
from tests.conftest import ROOT, run_cli
from tests.editions_data import (
    TORINO,
    WEEK_1,
    Result,
    edition_cli,
    fill_store,
    one_line_error,
)
from tests.receivers import SMTPReceiver, WebhookReceiver, free_port

PEOPLE = ("stampa@comune.example", "sindaco@comune.example", "giunta@comune.example")


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with edition 1 (the first week of October) approved, PDF included."""
    try:
        find_chromium()
    except RenderError as exc:
        pytest.skip(str(exc))
    folder = tmp_path_factory.mktemp("approved") / "data"
    fill_store(folder)
    Desk(folder / "desk.sqlite").highlight(TORINO, actor="anna")
    run_cli("edition", "new", "--since", WEEK_1[0], "--until", WEEK_1[1], data_dir=folder)
    run_cli("edition", "approve", "1", data_dir=folder)
    assert (folder / "editions" / "1" / "rassegna.pdf").is_file()
    return folder


@pytest.fixture
def data_dir(approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("RASSEGNA_EDITION_URLS", raising=False)
    monkeypatch.delenv("RASSEGNA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("RASSEGNA_EDITION_RETRY_DELAYS", "0.1")
    return Path(shutil.copytree(approved, tmp_path / "data"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Callable[..., Result]:
    return edition_cli(capsys, data_dir)


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    with SMTPReceiver() as receiver:
        yield receiver


def to_all(receiver: SMTPReceiver, people: tuple[str, ...] = PEOPLE) -> list[str]:
    return [arg for person in people for arg in ("--to", receiver.url(to=person))]


def recipients_of(receiver: SMTPReceiver) -> list[str]:
    return sorted(str(message["To"]) for message in receiver.messages)


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def record(cli: Callable[..., Result]) -> dict[str, Any]:
    (edition,) = [json.loads(line) for line in cli("list", "--json").stdout.splitlines()]
    return edition


def test_send_delivers_one_email_per_recipient_with_the_pdf_and_the_figures(
    data_dir: Path, smtp: SMTPReceiver, cli: Callable[..., Result]
) -> None:
    sent = run_cli("edition", "send", "1", *to_all(smtp, PEOPLE[:2]), data_dir=data_dir)
    assert "Inviata: Edizione n. 1" in sent.stdout
    assert recipients_of(smtp) == sorted(PEOPLE[:2])
    frozen_pdf = (data_dir / "editions" / "1" / "rassegna.pdf").read_bytes()
    for message in smtp.messages:
        assert "Edizione n. 1" in str(message["Subject"])
        text = plain(message)
        for fact in (
            "Periodo: dal 1 ottobre 2023 al 7 ottobre 2023",
            "Numero uscite: 3",
            "Audience totale: 82.000",
            "In evidenza:",
            "- Torinoggi.it: LgNet2 a Torino: la rete cresce",
            "In allegato il documento completo (PDF).",
        ):
            assert fact in text, fact
        (attachment,) = message.iter_attachments()
        assert attachment.get_filename() == "rassegna-edizione-1.pdf"
        assert attachment.get_content_type() == "application/pdf"
        payload = attachment.get_payload(decode=True)
        assert payload == frozen_pdf
        pages = pypdf.PdfReader(io.BytesIO(payload)).pages
        pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
        for fact in ("Edizione n. 1", "dal 1 ottobre al 7 ottobre 2023", "82.000"):
            assert fact in pdf_text, fact
        assert "Numero Uscite 3" in pdf_text

    edition = record(cli)
    assert edition["state"] == "sent"
    assert edition["deliveries"]["sent"] == 2

    again = cli("send", "1", *to_all(smtp, PEOPLE[:2]))
    assert "Nulla da inviare: l'edizione 1 è già stata inviata" in again.stdout
    assert len(smtp.messages) == 2

    cli("send", "1", "--again", *to_all(smtp, PEOPLE[:2]))
    assert recipients_of(smtp) == sorted(PEOPLE[:2] * 2)


def test_other_channels_get_the_summary_and_a_link_without_the_file(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASSEGNA_PUBLIC_URL", "https://rassegna.example.org/")
    with WebhookReceiver() as hook:
        monkeypatch.setenv("RASSEGNA_EDITION_URLS", hook.url("/redazione"))
        cli("send", "1")
    (payload,) = hook.payloads
    assert "Edizione n. 1" in payload["title"]
    assert "Numero uscite: 3" in payload["message"]
    assert "Il documento completo: https://rassegna.example.org/edizioni/1" in payload["message"]
    assert not payload.get("attachments")


def test_a_mail_server_down_then_up_during_the_send_gets_the_edition_once(
    data_dir: Path,
) -> None:
    port = free_port()
    broken = socket.create_server(("127.0.0.1", port))  # answers, then hangs up: down
    receiver = SMTPReceiver()
    receiver.port = port
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), RASSEGNA_EDITION_RETRY_DELAYS="1 " * 10)
    child = subprocess.Popen(
        [sys.executable, "-m", "crawler.app.cli", "edition", "send", "1", "--to", receiver.url()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        broken.settimeout(30)
        connection, _ = broken.accept()
        connection.close()
        broken.close()
        receiver.start()
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
        receiver.stop()
    assert child.returncode == 0, err
    assert [str(m["To"]) for m in receiver.messages] == ["redazione@example.org"]
    assert "Inviata a mailto://" in out


def test_a_mail_server_down_fails_in_one_line_and_the_next_send_delivers_once(
    data_dir: Path, cli: Callable[..., Result]
) -> None:
    receiver = SMTPReceiver()  # not started: nothing listens on its port
    secret = f"mailto://editor:S3cretPw@example.org?smtp=127.0.0.1&port={receiver.port}"
    first = [*to_all(receiver, PEOPLE[:2])]
    failed = run_cli("edition", "send", "1", *first, data_dir=data_dir, check=False)
    message = one_line_error(failed, status=1)
    assert f"not delivered to mailto://example.org:{receiver.port}/" in message
    assert "2 recipients still waiting" in message
    edition = record(cli)
    assert edition["state"] == "approved"
    assert edition["deliveries"] == {
        "pending": 1,
        "attempting": 0,
        "sent": 0,
        "failed": 1,
        "uncertain": 0,
    }

    leaked = cli("send", "1", "--to", f"{secret}&to=a@example.org&from=r@example.org", status=1)
    assert "S3cretPw" not in leaked.stdout + leaked.stderr
    assert "S3cretPw" not in cli("list", "--json").stdout
    assert "S3cretPw" not in cli("list").stdout

    with receiver:
        cli("send", "1", *first)
    assert recipients_of(receiver) == sorted(PEOPLE[:2])
    assert record(cli)["state"] == "sent"


class RefusingReceiver(SMTPReceiver):
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        return "550 5.1.1 mailbox unavailable"


def test_a_mail_server_that_refuses_fails_in_one_line_and_changes_nothing(
    cli: Callable[..., Result],
) -> None:
    with RefusingReceiver() as refusing:
        refused = cli("send", "1", *to_all(refusing, PEOPLE[:1]), status=1)
    message = one_line_error(refused, status=1)
    assert "edition 1 not delivered to mailto://" in message
    assert "failed" in message  # Apprise's reason: the 550 itself it keeps to its debug log
    assert refusing.messages == []
    assert record(cli)["state"] == "approved"


class KillingReceiver(SMTPReceiver):
    """Kills the sending process while the ``kill_at``-th message is being handed over."""

    def __init__(self, kill_at: int) -> None:
        super().__init__()
        self.kill_at = kill_at
        self.pid: int | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.kill_at and self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            time.sleep(0.2)  # gone before it could hear the answer
        return answer


def test_a_send_killed_between_two_recipients_never_sends_anyone_twice(
    data_dir: Path, cli: Callable[..., Result]
) -> None:
    with KillingReceiver(kill_at=2) as receiver:
        env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir))
        command = [sys.executable, "-m", "crawler.app.cli", "edition", "send", "1"]
        child = subprocess.Popen(
            [*command, *to_all(receiver)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        receiver.pid = child.pid
        out, _ = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        assert out.count("Inviata a") == 1
        assert recipients_of(receiver) == sorted(PEOPLE[:2])

        resumed = cli("send", "1", *to_all(receiver))
        assert "Incerta: edizione 1 a mailto://" in resumed.stdout
        assert "sindaco@comune.example" in resumed.stdout  # the second one, masked
        assert recipients_of(receiver) == sorted(PEOPLE)  # the third, and nobody twice
        edition = record(cli)
        assert edition["state"] == "sent"
        assert (edition["deliveries"]["sent"], edition["deliveries"]["uncertain"]) == (2, 1)

        assert "Nulla da inviare" in cli("send", "1", *to_all(receiver)).stdout
        assert len(receiver.messages) == 3
        cli("send", "1", "--again", *to_all(receiver))
    assert recipients_of(receiver) == sorted(PEOPLE * 2)


def test_a_send_waits_while_another_holds_the_editions(data_dir: Path, smtp: SMTPReceiver) -> None:
    """Two senders never overlap, so the second never takes the first's message in flight
    for one a crash interrupted."""
    from search.alerts.channels import parse_channels
    from search.editions.send import send_edition
    from search.editions.store import open_editions

    channels = parse_channels([smtp.url()])
    thread = threading.Thread(
        target=send_edition, args=(data_dir, 1, channels), kwargs={"actor": "anna"}
    )
    with open_editions(data_dir) as book, book.locked():
        thread.start()
        time.sleep(1.0)
        assert smtp.messages == []
    thread.join(timeout=30)
    assert [str(m["To"]) for m in smtp.messages] == ["redazione@example.org"]
