"""West Midlands" own CMS: the date in its own element; og:title "Headline | News | West Midlands Police".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class WestMidlands(RawMetaPlatform):
    name = "west-midlands"
    listing = "/news"
    body_classes = ("field--name-body", "article-body")
    date_classes = ("date", "field--name-field-date")
    title_suffixes = (" | News | West Midlands Police",)


PLATFORM = WestMidlands()
