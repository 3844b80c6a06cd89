"""``rassegna sources check`` (contract 7): the registry's entry points tried against the live
sites, what each site offers besides, and a corrected registry.

One module per job: ``fetcher`` (polite fetching through ``crawler.one_page``), ``probe`` (one
entry point: status, parse, articles), ``discover`` (feeds, sitemaps, WordPress, the other host
form, the CMS), ``outlets`` (the whole registry, hosts in parallel), ``report`` (Italian text
and JSON) and ``fix`` (the registry rewritten, comments and order kept).
"""
