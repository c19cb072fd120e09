"""Northumbria's beta site: a day/month badge without a year; og:title.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Northumbria(RawMetaPlatform):
    name = "northumbria"
    listing_title = "Latest news"
    listing = "/latest-news/"
    body_classes = ("article-body", "news-content")
    date_classes = ("news-date", "date")


PLATFORM = Northumbria()
