"""Humberside's own CMS: the date in its own element; no meta; "Headline | Humberside Police".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Humberside(RawMetaPlatform):
    name = "humberside"
    listing = "/news"
    body_classes = ("field--name-body", "news-body")
    date_classes = ("date", "date-display-single")
    title_suffixes = (" | Humberside Police",)


PLATFORM = Humberside()
