"""FGC Data: record, check, return and benchmark Family Group Conference data."""

__version__ = "0.1.0"
