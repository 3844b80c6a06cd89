"""A local mirror of the reference rassegna's web coverage, for end-to-end acceptance tests.

The real outlets' hostnames and article URLs are served by ``simweb`` with pages shaped like
each outlet's CMS; the headlines and article texts are synthetic (written for these tests, never
the real articles). ``sources.yaml`` is the registry of the mirror and ``imports.csv`` the
reference rows that cannot be crawled.
"""
