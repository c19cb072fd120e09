"""Wiltshire's own CMS: a "Published …" footer where a page shows a date; "Headline - Wiltshire Police".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Wiltshire(RawMetaPlatform):
    name = "wiltshire"
    listing = "/news"
    body_classes = ("article-body", "news-content")
    date_classes = ("date",)
    title_suffixes = (" - Wiltshire Police",)


PLATFORM = Wiltshire()
