"""GOV.UK organisation news: og:*, the date in the page's metadata ("Published").

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class GovUK(RawMetaPlatform):
    name = "govuk"
    listing_title = "News and communications"
    listing = "/search/news-and-communications"
    feed_at = "/search/news-and-communications.atom"
    body_classes = ("govspeak", "gem-c-govspeak govspeak")
    date_classes = ("published", "app-c-published-dates")
    title_suffixes = (" - GOV.UK",)


PLATFORM = GovUK()
