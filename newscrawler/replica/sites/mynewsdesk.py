"""The Metropolitan Police's Mynewsdesk newsroom: the dateline opens the body; og:* and pressroom:name.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Mynewsdesk(RawMetaPlatform):
    name = "mynewsdesk"
    listing_title = "Latest news"
    listing = "/latest_news/page/1"
    feed_at = "/rss/current_news/66871"
    body_classes = ("release-body", "newsroom-body")
    date_classes = ("publish-date", "dateline")
    title_suffixes = (" - Metropolitan Police",)


PLATFORM = Mynewsdesk()
