"""British Transport Police's media centre: no meta; image captions and download links open the body.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class BTPMedia(RawMetaPlatform):
    name = "btp-media"
    listing_title = "Latest releases"
    listing = "/"
    body_classes = ("story-body", "release-body")
    date_classes = ("date", "story-date")


PLATFORM = BTPMedia()
