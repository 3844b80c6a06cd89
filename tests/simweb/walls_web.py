"""A small simulated web where an outlet puts a consent wall in front of its articles.

One fictional outlet, Gazzetta del Tirreno, whose RSS feed lists three articles:

- ``NORMAL``: an ordinary page that names LgNet2 in its text, stored as usual;
- ``WALLED_MENTION``: redirected to the outlet's consent address, a consent manager's page;
  the feed's headline names LgNet2, so the item is an uscita made of the feed's headline and
  description, walled, kept under the article's URL (not the consent page's);
- ``WALLED_OTHER``: the same consent page, whose "articoli correlati" box names LgNet2 while
  the feed's headline does not: stored walled, not an uscita.

``write_sources`` writes the registry of this web for ``--sources``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from simweb.server import Page, Web

HOST = "www.gazzettadeltirreno.test"
OUTLET = "Gazzetta del Tirreno"
FEED = f"https://{HOST}/feed/"
RSS = "application/rss+xml; charset=UTF-8"

CONSENT_URL = f"https://{HOST}/privacy/consenso-lettori/?ritorno=articolo-pisa"
"""Where the outlet sends a reader without consent, before the article."""
WALL_HEADING = "Il tuo consenso conta"
"""Printed on the wall page only: it must never reach the store or the document."""


@dataclass(frozen=True)
class Entry:
    """One article as the feed lists it."""

    path: str
    title: str
    summary: str
    published: str
    """RFC 822, as RSS wants it."""

    @property
    def url(self) -> str:
        return f"https://{HOST}{self.path}"


NORMAL = Entry(
    "/2023/11/20/livorno-sportello-mediazione/",
    "Livorno, apre lo sportello di mediazione nei quartieri nord",
    "Il nuovo servizio del Comune accompagna le famiglie straniere negli uffici pubblici.",
    "Mon, 20 Nov 2023 09:00:00 +0100",
)
WALLED_MENTION = Entry(
    "/2023/11/21/pisa-rete-lgnet2-centri/",
    "Pisa entra nella rete LgNet2 dei centri per l'integrazione",
    "La città aderisce al progetto <b>nazionale</b> con due centri &amp; uno sportello "
    "per i giovani arrivati da poco.",
    "Tue, 21 Nov 2023 10:30:00 +0100",
)
WALLED_MENTION_SUMMARY = (
    "La città aderisce al progetto nazionale con due centri & uno sportello per i giovani "
    "arrivati da poco."
)
"""``WALLED_MENTION.summary`` as plain text: what the item keeps."""
WALLED_OTHER = Entry(
    "/2023/11/22/porto-orari-traghetti/",
    "Porto, cambiano gli orari dei traghetti per le isole",
    "Dal primo dicembre le corse serali partiranno mezz'ora prima.",
    "Wed, 22 Nov 2023 08:15:00 +0100",
)
ENTRIES = (NORMAL, WALLED_MENTION, WALLED_OTHER)


def build_web() -> Web:
    """The outlet's feed, its one readable article and its two walled ones (not started)."""
    web = Web()
    web.add(FEED, Page(_feed(), RSS))
    web.add(NORMAL.url, Page(_article(NORMAL)))
    web.add(WALLED_MENTION.url, Page("", redirect_to=CONSENT_URL))
    web.add(CONSENT_URL, Page(_consent_wall()))
    web.add(WALLED_OTHER.url, Page(_consent_wall()))
    web.add(f"https://{HOST}/robots.txt", Page("User-agent: *\nAllow: /\n", "text/plain"))
    return web


def write_sources(path: Path) -> Path:
    """The registry of this web, written to ``path``."""
    path.write_text(
        "topic:\n"
        "  name: LgNet2\n"
        "  query: lgnet2\n"
        '  variants: ["LgNet 2"]\n'
        "outlets:\n"
        f'  - name: "{OUTLET}"\n'
        "    category: quotidiani\n"
        "    audience: 12000\n"
        "    city: Livorno\n"
        f'    urls: ["{HOST}"]\n'
        f'    feeds: ["{FEED}"]\n',
        encoding="utf-8",
    )
    return path


def _feed() -> str:
    items = "\n".join(
        "    <item>\n"
        f"      <title>{escape(e.title, quote=False)}</title>\n"
        f"      <link>{e.url}</link>\n"
        f"      <pubDate>{e.published}</pubDate>\n"
        f"      <description>{escape(e.summary, quote=False)}</description>\n"
        "    </item>"
        for e in ENTRIES
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        f"    <title>{OUTLET}</title>\n    <link>https://{HOST}/</link>\n"
        "    <description>Le notizie della costa</description>\n"
        f"{items}\n  </channel>\n</rss>\n"
    )


def _article(entry: Entry) -> str:
    return f"""<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>{escape(entry.title)} - {OUTLET}</title>
<meta property="og:title" content="{escape(entry.title)}">
<meta property="article:published_time" content="2023-11-20T09:00:00+01:00">
</head>
<body>
<header><a href="/">{OUTLET}</a> <nav><a href="/abbonati/">Abbonati</a></nav></header>
<article>
  <h1>{escape(entry.title)}</h1>
  <p>Da lunedì nei quartieri nord di Livorno è aperto lo sportello di mediazione culturale
  che accompagna le famiglie straniere negli uffici dell'anagrafe, delle scuole e della
  sanità, con mediatrici che parlano arabo, cinese, albanese e wolof.</p>
  <p>Il servizio fa parte della rete LgNet2 e riceve tre pomeriggi a settimana nella sede
  del centro civico, su appuntamento o senza, con un numero di telefono dedicato.</p>
  <p>Nei primi mesi gli operatori raccoglieranno le domande più frequenti per preparare una
  guida in più lingue da distribuire nelle scuole e negli ambulatori del quartiere.</p>
</article>
<div id="iubenda-cs-banner" class="cookie-banner"><p>Questo sito usa cookie tecnici e, con il
tuo consenso, di profilazione dei nostri partner.</p><button>Accetta</button></div>
</body>
</html>
"""


def _consent_wall() -> str:
    """A consent manager's page in place of the article, with the "related" box some sites
    keep under it (one link names the project)."""
    return f"""<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>{OUTLET}</title>
<script src="https://sdk.privacy-center.test/didomi/loader.js"></script>
</head>
<body>
<header><a href="/">{OUTLET}</a></header>
<div id="didomi-host" class="didomi-popup">
  <h2>{WALL_HEADING}</h2>
  <p>Noi e i nostri 640 partner utilizziamo cookie e tecnologie simili per archiviare e
  accedere a informazioni sul tuo dispositivo e trattiamo dati personali per finalità di
  pubblicità personalizzata e misurazione del pubblico.</p>
  <p>Puoi accettare, rifiutare o gestire le tue preferenze in ogni momento.</p>
  <button>Accetta e continua</button> <button>Rifiuta</button>
</div>
<section class="articoli-correlati">
  <h3>Potrebbe interessarti</h3>
  <ul>
    <li><a href="/2023/11/19/lgnet2-corsi-italiano/">LgNet2, al via i corsi di italiano</a></li>
    <li><a href="/2023/11/18/mercato-centrale/">Mercato centrale, nuovi orari</a></li>
  </ul>
</section>
</body>
</html>
"""
