"""newscrawler: a polite, exact, incremental archive of UK police forces' news."""

__version__ = "0.1.0"
