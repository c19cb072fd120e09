"""Dorset's own CMS: "# Headline" and the date open the body; og:title, twitter:*; "Headline |".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Dorset(RawMetaPlatform):
    name = "dorset"
    listing = "/news-information/"
    body_classes = ("article-body", "news-content")
    date_classes = ("date",)
    title_suffixes = (" |",)


PLATFORM = Dorset()
