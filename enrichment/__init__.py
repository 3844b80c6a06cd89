"""Extraction and enrichment: plain functions from a fetched page to an article record.

Nothing here knows about Scrapy or the store, so every step can be run on a saved
page (``rassegna extract``) and tested alone.
"""
