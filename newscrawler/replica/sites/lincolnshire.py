"""Lincolnshire's own CMS: the date is the body's footer ("22 Dec 20 8:47 AM"); no meta.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Lincolnshire(RawMetaPlatform):
    name = "lincolnshire"
    listing = "/news-campaigns/news/"
    body_classes = ("article-body", "news-content")
    date_classes = ("date",)


PLATFORM = Lincolnshire()
