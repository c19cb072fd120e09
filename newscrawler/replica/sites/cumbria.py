"""Cumbria's own CMS: "Posted on 13:29:00 on 13th November 2019" opens the body; og:title.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Cumbria(RawMetaPlatform):
    name = "cumbria"
    listing = "/News/News-Articles/"
    body_classes = ("news-content", "article-content")
    date_classes = ("posted", "date")


PLATFORM = Cumbria()
