"""Lancashire's own CMS: "Tuesday, March 2, 2021" opens the body; og:*; "Lancashire Constabulary - Headline".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Lancashire(RawMetaPlatform):
    name = "lancashire"
    listing = "/news/"
    body_classes = ("article-body", "news-content")
    date_classes = ("date",)
    title_prefixes = ("Lancashire Constabulary - ",)


PLATFORM = Lancashire()
