"""The editorial desk: what the press office decided about the uscite (contract 5).

The decisions live in their own file (``DataDir.desk``), apart from crawled data, so no crawl,
re-import, ``reprocess`` or store migration ever undoes them; everything that shows an item
(the document, the snapshot, search, alerts, the feed) applies them when it reads.
"""
