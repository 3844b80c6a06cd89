"""Importing this module readies a process to extract pages; the extraction forkserver
(``crawler.extraction_pool``) imports it once so that every worker forked from it starts
with trafilatura imported and the language model in memory.

Its import has that effect on purpose and nothing imports it otherwise: the command line
would pay a second of start-up for a model it may never use.
"""

from __future__ import annotations

import trafilatura  # noqa: F401

import enrichment.enrich  # noqa: F401
from enrichment.language import detect_language

detect_language("Avvio del processo di estrazione delle pagine del giorno.")
