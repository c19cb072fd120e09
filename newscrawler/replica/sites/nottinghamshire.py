"""Nottinghamshire's own CMS: "January 11, 2021" and "Share by email" open the body; og:*.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Nottinghamshire(RawMetaPlatform):
    name = "nottinghamshire"
    listing = "/news"
    body_classes = ("field--name-body", "article-body")
    date_classes = ("date",)
    title_suffixes = (" | Nottinghamshire Police",)


PLATFORM = Nottinghamshire()
