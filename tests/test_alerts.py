"""Alerts on new mentions, through real SMTP and HTTP on loopback (tests/receivers.py)."""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import feedparser
import pytest
import trustme

from enrichment.errors import RassegnaError
from enrichment.records import Article
from enrichment.vocabulary import italian_date
from search.alerts import deliver
from search.alerts.channels import Channel, parse_channels, send
from search.alerts.compose import compose
from search.alerts.feed import write_mentions_feed
from search.alerts.ledger import Alert, AlertLedger
from search.desk.decisions import Desk
from search.errors import ChannelError
from search.store import StoredItem
from search.syndication import group_copies
from tests.receivers import SMTPReceiver, WebhookReceiver

TOPIC = "LgNet2"
START = datetime(2023, 11, 29, 10, 5, tzinfo=UTC)

PRESS_RELEASE = (
    "Il Comune ha presentato questa mattina i primi risultati del progetto LgNet2, la rete "
    "delle sedici città che lavorano insieme sull'inclusione delle persone senza dimora. "
    "Gli sportelli di quartiere hanno accolto più di trecento persone nei primi sei mesi e "
    "il modello sarà esteso a due nuovi municipi entro la primavera."
)
OTHER_TEXT = (
    "A Bari il consiglio comunale discute il bilancio di previsione: tra le voci più "
    "discusse gli investimenti per il trasporto pubblico e la manutenzione delle scuole, "
    "mentre l'opposizione chiede più fondi per le periferie e per gli impianti sportivi."
)


def at(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).isoformat()


def stored(
    url: str,
    *,
    outlet: str = "Genova24.it",
    title: str = "LgNet2, a Genova i primi risultati degli sportelli di quartiere",
    text: str = PRESS_RELEASE,
    mentions: int = 1,
    minutes: float = 0,
    **fields: object,
) -> StoredItem:
    facts: dict[str, object] = {
        "category": "quotidiani",
        "date": "2023-11-29",
        "city": "Genova",
        "journalist": "A. Gipponi",
        "snippets": ("i primi risultati del progetto LgNet2, la rete delle sedici città",),
        **fields,
    }
    article = Article(
        url=url,
        outlet=outlet,
        title=title,
        text=text,
        mentions=mentions,
        **facts,  # type: ignore[arg-type]
    )
    return StoredItem(article=article, first_seen=at(minutes), changed_at=at(minutes))


def plain_text(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    with SMTPReceiver() as receiver:
        yield receiver


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[AlertLedger]:
    db = AlertLedger(tmp_path / "alerts.sqlite")
    yield db
    db.close()


# -- channels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("nosuchservice://user:s3cret@example.org/hook", "unknown scheme"),
        ("mailto://user:s3cret@127.0.0.1/?from=nobody", "Apprise cannot use it"),
        ("json://user:s3cret@127.0.0.1:99999/hook", "out of range"),
    ],
)
def test_unusable_channel_url_is_refused_naming_it_without_secrets(url: str, reason: str) -> None:
    with pytest.raises(ChannelError) as refused:
        parse_channels(["json://127.0.0.1:8080/hook", url])
    message = str(refused.value)
    assert message.startswith("alert channel #2 (")
    assert reason in message
    assert "s3cret" not in message
    assert "\n" not in message
    assert isinstance(refused.value, RassegnaError)
    assert isinstance(refused.value, ValueError)


def test_a_channel_listed_twice_is_refused() -> None:
    with pytest.raises(ChannelError, match=r"#2 .*same URL as channel #1"):
        parse_channels(["json://127.0.0.1:8080/hook", " json://127.0.0.1:8080/hook "])


def test_channel_name_and_repr_keep_secrets_out_of_logs() -> None:
    (channel,) = parse_channels(
        ["json://user:s3cret@127.0.0.1:8080/hook?+Authorization=Bearer%20t0ken"]
    )
    assert channel.name == "json://127.0.0.1:8080/hook"
    assert "s3cret" not in repr(channel)
    assert "t0ken" not in repr(channel)


# -- delivery ------------------------------------------------------------------------------------


def test_each_new_mention_is_alerted_once_by_email_and_by_webhook(
    smtp: SMTPReceiver, webhook: WebhookReceiver, ledger: AlertLedger
) -> None:
    channels = parse_channels([smtp.url(), webhook.url("/rassegna")])
    items = [
        stored("https://www.genova24.it/lgnet2-sportelli"),
        stored(
            "https://www.baritoday.it/bilancio",
            outlet="BariToday",
            title="Bilancio comunale, la discussione in aula",
            text=OTHER_TEXT,
            mentions=0,
        ),
    ]

    assert ledger.enqueue(items, channels, now=at(1)) == 1
    assert deliver(ledger, now=at(1), topic=TOPIC) == {"sent": 2, "failed": 0}
    assert deliver(ledger, now=at(2), topic=TOPIC) == {"sent": 0, "failed": 0}

    (mail,) = smtp.messages
    assert mail["Subject"] == (
        "LgNet2: nuova uscita su Genova24.it — "
        "LgNet2, a Genova i primi risultati degli sportelli di quartiere"
    )
    assert mail["To"] == "redazione@example.org"
    text = plain_text(mail)
    for fact in ("Genova24.it", "29 novembre 2023", "Genova", "Quotidiani e quotidiani online"):
        assert fact in text
    assert "A. Gipponi" in text
    assert "https://www.genova24.it/lgnet2-sportelli" in text
    assert "la rete delle sedici città" in text

    (payload,) = webhook.payloads
    assert payload["title"] == mail["Subject"]
    assert "https://www.genova24.it/lgnet2-sportelli" in payload["message"]
    assert payload["alert_key"] == webhook.headers[0]["X-Rassegna-Alert-Key"]
    assert mail["X-Rassegna-Alert-Key"]
    assert mail["X-Rassegna-Alert-Key"] != payload["alert_key"]  # one alert per channel
    assert ledger.stats()["sent"] == 2


def test_enqueueing_the_same_items_again_creates_no_alert(
    ledger: AlertLedger, webhook: WebhookReceiver
) -> None:
    channels = parse_channels([webhook.url()])
    items = [stored("https://www.genova24.it/lgnet2-sportelli")]
    assert ledger.enqueue(items, channels, now=at(0)) == 1
    deliver(ledger, now=at(0), topic=TOPIC)

    assert ledger.enqueue(items, channels, now=at(10)) == 0
    assert deliver(ledger, now=at(10), topic=TOPIC) == {"sent": 0, "failed": 0}
    assert len(webhook.payloads) == 1


def test_copies_on_two_outlets_make_one_message_listing_both(
    ledger: AlertLedger, smtp: SMTPReceiver
) -> None:
    original = stored("https://www.genova24.it/lgnet2-sportelli")
    copy = stored(
        "https://notizie.virgilio.it/genova/lgnet2-sportelli",
        outlet="Virgilio.it – Genova 24",
        title="LGNET2: a Genova i primi risultati degli sportelli di quartiere!",
        minutes=3,
    )
    unrelated = stored(
        "https://www.baritoday.it/bilancio",
        outlet="BariToday",
        title="Bilancio comunale, LgNet2 citato in aula",
        text=OTHER_TEXT,
    )
    channels = parse_channels([smtp.url()])
    assert ledger.enqueue([original, copy, unrelated], channels, now=at(5)) == 3

    assert deliver(ledger, now=at(5), topic=TOPIC) == {"sent": 2, "failed": 0}
    genova = next(m for m in smtp.messages if "Genova24.it" in m["Subject"])
    text = plain_text(genova)
    assert "Anche su:" in text
    assert "Virgilio.it – Genova 24: https://notizie.virgilio.it/genova/lgnet2-sportelli" in text
    assert not any("Virgilio" in m["Subject"] for m in smtp.messages)


def test_a_reworded_copy_is_recognised_by_its_text() -> None:
    first = stored("https://a.example/1", title="Sportelli di quartiere, i numeri")
    reworded = stored(
        "https://b.example/2",
        outlet="Primocanale",
        title="Senza dimora: trecento persone accolte",
        text=PRESS_RELEASE.replace("questa mattina", "oggi"),
    )
    generic = stored("https://c.example/3", title="Sportelli di quartiere, i numeri!", text="")
    other = stored("https://d.example/4", title="Notizie", text=OTHER_TEXT)
    lonely = stored("https://e.example/5", title="Notizie", text="")

    groups = group_copies([first, reworded, generic, other, lonely])

    urls = [[i.article.url for i in g] for g in groups]
    assert urls == [
        ["https://a.example/1", "https://b.example/2", "https://c.example/3"],
        ["https://d.example/4"],
        ["https://e.example/5"],
    ]


def test_mail_server_down_then_up_delivers_once_after_the_backoff(
    ledger: AlertLedger, smtp: SMTPReceiver
) -> None:
    channels = parse_channels([smtp.url()])
    ledger.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=at(0))
    smtp.stop()

    assert deliver(ledger, now=at(0), topic=TOPIC) == {"sent": 0, "failed": 1}
    assert ledger.stats()["failed"] == 1
    assert ledger.due(now=at(0.9)) == []  # first retry after 1 minute
    assert deliver(ledger, now=at(1), topic=TOPIC) == {"sent": 0, "failed": 1}
    assert ledger.due(now=at(2.9)) == []  # then after 2 more

    smtp.start()
    assert deliver(ledger, now=at(3), topic=TOPIC) == {"sent": 1, "failed": 0}
    assert deliver(ledger, now=at(60), topic=TOPIC) == {"sent": 0, "failed": 0}
    assert len(smtp.messages) == 1
    assert ledger.stats() == {
        "pending": 0,
        "attempting": 0,
        "sent": 1,
        "failed": 0,
        "uncertain": 0,
    }


def test_backoff_doubles_up_to_one_hour(ledger: AlertLedger) -> None:
    channels = (Channel(url="json://127.0.0.1:9/hook", name="json://127.0.0.1:9/hook"),)
    ledger.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=at(0))
    now, waits = 0.0, []
    for _ in range(9):
        (alert,) = ledger.due(now=at(now))
        ledger.mark_attempting(alert)
        ledger.mark_failed(alert, now=at(now), error="refused")
        wait = next(m for m in range(1, 200) if ledger.due(now=at(now + m)))
        waits.append(wait)
        now += wait
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_failing_webhook_does_not_hold_back_email(
    ledger: AlertLedger, smtp: SMTPReceiver, webhook: WebhookReceiver
) -> None:
    channels = parse_channels([webhook.url(), smtp.url()])
    ledger.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=at(0))
    webhook.status = 500

    assert deliver(ledger, now=at(0), topic=TOPIC) == {"sent": 1, "failed": 1}
    assert len(smtp.messages) == 1
    assert webhook.payloads == []

    webhook.status = 200
    assert deliver(ledger, now=at(1), topic=TOPIC) == {"sent": 1, "failed": 0}
    assert len(webhook.payloads) == 1
    assert len(smtp.messages) == 1


def test_alerts_caught_mid_send_by_a_crash_are_not_sent_again(
    tmp_path: Path, smtp: SMTPReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    channels = parse_channels([smtp.url()])
    before = AlertLedger(tmp_path / "alerts.sqlite")
    before.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=at(0))
    (alert,) = before.due(now=at(0))
    before.mark_attempting(alert)
    before.close()  # the process dies here: was the message sent or not?

    after = AlertLedger(tmp_path / "alerts.sqlite")
    try:
        with caplog.at_level(logging.WARNING, logger="search.alerts.ledger"):
            assert after.recover() == 1
        assert after.stats()["uncertain"] == 1
        assert deliver(after, now=at(5), topic=TOPIC) == {"sent": 0, "failed": 0}
        assert after.recover() == 0
    finally:
        after.close()
    assert smtp.messages == []
    assert "https://www.genova24.it/lgnet2-sportelli" in caplog.text
    assert channels[0].name in caplog.text


def test_hourly_digest_sends_one_message_once_the_hour_is_over(
    ledger: AlertLedger, webhook: WebhookReceiver
) -> None:
    channels = parse_channels([webhook.url()])
    ledger.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=at(0))
    other = stored(
        "https://www.baritoday.it/lgnet2-bari",
        outlet="BariToday",
        title="LgNet2 arriva anche a Bari",
        text=OTHER_TEXT,
        city="Bari",
    )
    ledger.enqueue([other], channels, now=at(30))

    assert deliver(ledger, now=at(50), topic=TOPIC, digest="hourly") == {"sent": 0, "failed": 0}
    assert deliver(ledger, now=at(55), topic=TOPIC, digest="hourly") == {"sent": 1, "failed": 0}

    (payload,) = webhook.payloads
    assert payload["title"] == "LgNet2: riepilogo, 2 nuove uscite"
    assert "LgNet2 arriva anche a Bari" in payload["message"]
    assert "https://www.genova24.it/lgnet2-sportelli" in payload["message"]
    assert ledger.stats()["sent"] == 2
    assert deliver(ledger, now=at(200), topic=TOPIC, digest="hourly") == {"sent": 0, "failed": 0}


def test_daily_digest_waits_for_midnight_in_italy(ledger: AlertLedger) -> None:
    channels = (Channel(url="json://127.0.0.1:9/hook", name="json://127.0.0.1:9/hook"),)
    late_evening = "2023-11-29T22:30:00+00:00"  # 23:30 in Rome
    ledger.enqueue([stored("https://www.genova24.it/lgnet2-sportelli")], channels, now=late_evening)

    assert ledger.due(now="2023-11-29T22:59:00+00:00", digest="daily") == []
    (digest,) = ledger.due(now="2023-11-29T23:00:00+00:00", digest="daily")
    assert digest.kind == "digest"
    assert [i.article.url for i in digest.items] == ["https://www.genova24.it/lgnet2-sportelli"]


def test_alerts_of_a_channel_no_longer_configured_are_held(ledger: AlertLedger) -> None:
    old = Channel(url="json://127.0.0.1:9/old", name="json://127.0.0.1:9/old")
    new = Channel(url="json://127.0.0.1:9/new", name="json://127.0.0.1:9/new")
    ledger.enqueue([stored("https://a.example/1")], [old], now=at(0))
    ledger.enqueue([stored("https://b.example/2", title="Altro titolo", text="")], [new], now=at(1))

    assert [a.channel for a in ledger.due(now=at(2))] == [new]


def test_starttls_with_login_keeps_the_password_out_of_the_channel_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))

    with SMTPReceiver(tls=server, login=("rassegna", "s3cret")) as smtp:
        (channel,) = parse_channels([smtp.url(scheme="mailtos", mode="starttls")])
        assert send(channel, "Prova", "Messaggio di prova", key="k-1")
    assert "s3cret" not in channel.name
    (mail,) = smtp.messages
    assert mail["X-Rassegna-Alert-Key"] == "k-1"
    assert mail["Subject"] == "Prova"


def test_a_service_without_headers_gets_the_key_in_the_body_and_its_token_masked(
    webhook: WebhookReceiver,
) -> None:
    (channel,) = parse_channels([f"gotify://127.0.0.1:{webhook.port}/AbCdEfGhIjKlMnO"])
    assert "AbCdEfGhIjKlMnO" not in channel.name

    assert send(channel, "Prova", "Messaggio di prova", body_html="<p>Prova</p>", key="k-3")
    (payload,) = webhook.payloads
    assert payload["message"] == "Messaggio di prova\n\nCodice avviso: k-3"


def test_send_reports_an_unreachable_channel_without_raising(
    webhook: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    (channel,) = parse_channels([webhook.url()])
    webhook.stop()
    with caplog.at_level(logging.WARNING, logger="search.alerts.channels"):
        assert send(channel, "Prova", "Messaggio", key="k-2") is False
    assert f"k-2 not delivered to {channel.name}" in caplog.text


# -- wording ------------------------------------------------------------------------------------


def test_html_body_escapes_every_crawled_string() -> None:
    item = stored(
        "javascript:alert(1)",
        title="LgNet2 <script>alert('x')</script>",
        outlet="Testata <b>falsa</b>",
    )
    copy = stored('https://b.example/2?a=1&b="2"', outlet="<i>Copia</i>")
    channel = Channel(url="json://127.0.0.1:9/hook", name="json://127.0.0.1:9/hook")

    subject, text, page = compose(Alert(id="k", channel=channel, items=(item, copy)), TOPIC)

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>" not in page
    assert "<i>" not in page
    assert 'href="javascript:' not in page
    assert 'href="https://b.example/2?a=1&amp;b=&quot;2&quot;"' in page
    assert "<script>" in subject  # plain text: shown as written, never interpreted
    assert "LgNet2 <script>alert('x')</script>" in text


def test_digest_lists_copies_under_their_article() -> None:
    channel = Channel(url="json://127.0.0.1:9/hook", name="json://127.0.0.1:9/hook")
    items = (
        stored("https://www.genova24.it/lgnet2-sportelli"),
        stored("https://notizie.virgilio.it/genova/x", outlet="Virgilio.it – Genova 24"),
        stored("https://www.baritoday.it/y", outlet="BariToday", title="Bari", text=OTHER_TEXT),
    )
    subject, text, page = compose(Alert(id="d", channel=channel, items=items, kind="digest"), TOPIC)
    assert subject == "LgNet2: riepilogo, 3 nuove uscite"
    assert text.count("\n- ") == 2
    assert "Anche su Virgilio.it – Genova 24: https://notizie.virgilio.it/genova/x" in text
    assert page.count("<li>") == 2


@pytest.mark.parametrize(
    ("iso", "italian"),
    [("2023-11-29", "29 novembre 2023"), ("2024-01-01", "1 gennaio 2024"), ("boh", "boh")],
)
def test_dates_are_written_the_italian_way(iso: str, italian: str) -> None:
    assert italian_date(iso) == italian


# -- Atom feed ----------------------------------------------------------------------------------


def test_atom_feed_lists_the_latest_mentions_newest_first_identically_each_time(
    tmp_path: Path,
) -> None:
    items = [
        stored(f"https://www.genova24.it/{n}", title=f"Uscita {n} <b>", minutes=n)
        for n in range(105)
    ]
    items.append(stored("https://www.baritoday.it/z", mentions=0, minutes=500))
    first, second = tmp_path / "a.atom", tmp_path / "b.atom"

    write_mentions_feed(items, {}, first, topic=TOPIC, default_updated=at(0))
    write_mentions_feed(list(reversed(items)), {}, second, topic=TOPIC, default_updated=at(0))

    assert first.read_bytes() == second.read_bytes()
    feed = feedparser.parse(first.read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "LgNet2: ultime uscite"
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == 100
    assert ids[:2] == ["https://www.genova24.it/104", "https://www.genova24.it/103"]
    assert "https://www.baritoday.it/z" not in ids
    assert feed.entries[0].title == "Uscita 104 <b>"
    assert feed.entries[0].link == "https://www.genova24.it/104"
    assert "Genova24.it — 29 novembre 2023 — Genova" in feed.entries[0].summary


def test_an_alert_follows_the_office_decisions_held_while_excluded_sent_once_restored(
    webhook: WebhookReceiver, ledger: AlertLedger, tmp_path: Path
) -> None:
    url = "https://www.genova24.it/lgnet2-sportelli"
    ledger.enqueue([stored(url)], parse_channels([webhook.url()]), now=at(1))
    desk = Desk(tmp_path / "desk.sqlite")
    try:
        desk.exclude(url, reason="doppione", actor="giulia")
        assert deliver(ledger, now=at(1), topic=TOPIC, decisions=desk.decisions()) == {
            "sent": 0,
            "failed": 0,
        }
        assert webhook.payloads == []
        desk.restore(url, actor="giulia")
        desk.edit(url, {"title": "Genova, gli sportelli LgNet2 nei quartieri"}, actor="giulia")
        decisions = desk.decisions()
    finally:
        desk.close()
    assert deliver(ledger, now=at(2), topic=TOPIC, decisions=decisions)["sent"] == 1
    assert deliver(ledger, now=at(3), topic=TOPIC, decisions=decisions)["sent"] == 0
    (payload,) = webhook.payloads
    assert "Genova, gli sportelli LgNet2 nei quartieri" in json.dumps(payload, ensure_ascii=False)
