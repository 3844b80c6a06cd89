"""The crawler: registry, spiders, middlewares and pipelines, and the command line."""

__version__ = "0.1.0"
