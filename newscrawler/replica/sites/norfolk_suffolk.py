"""The shared Norfolk and Suffolk site: og:*, article:published_time.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class NorfolkSuffolk(RawMetaPlatform):
    name = "norfolk-suffolk"
    listing_title = "Latest news"
    listing = "/news/latest-news"
    body_classes = ("news-article__body", "article-body")
    date_classes = ("date", "news-date")
    title_suffixes = (" | Suffolk Constabulary", " | Norfolk Constabulary")


PLATFORM = NorfolkSuffolk()
