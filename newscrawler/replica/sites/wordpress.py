"""WordPress (North Yorkshire, Avon and Somerset): og:* and article:published_time; North
Yorkshire's "Last modified:" line and "Posted on … in …" footer are in the body.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class WordPress(RawMetaPlatform):
    name = "wordpress"
    listing = "/news/"
    feed_at = "/feed/"
    body_classes = ("entry-content", "post-content")
    date_classes = ("entry-date", "posted-on", "post-date")
    title_suffixes = (" | Avon and Somerset Police", " | North Yorkshire Police")


PLATFORM = WordPress()
