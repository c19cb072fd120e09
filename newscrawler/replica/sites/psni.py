"""PSNI: the date in its own element; the district bullet opens the body; no meta.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class PSNI(RawMetaPlatform):
    name = "psni"
    listing = "/news/Latest-News/"
    body_classes = ("news-content", "article-body")
    date_classes = ("date", "article-date")
    title_suffixes = (" | PSNI",)


PLATFORM = PSNI()
