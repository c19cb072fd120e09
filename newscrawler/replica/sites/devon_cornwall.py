"""Devon and Cornwall's own CMS: og:title "News article" on every page; the date only in the body's
"Release date:" block.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class DevonCornwall(RawMetaPlatform):
    name = "devon-cornwall"
    listing = "/News/"
    body_classes = ("news-content", "article-body")
    date_classes = ("release-date",)
    generic_titles = frozenset({"News article"})


PLATFORM = DevonCornwall()
