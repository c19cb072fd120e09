"""West Yorkshire's own CMS: "Wednesday 20 January, 2021" opens the body; no meta.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class WestYorkshire(RawMetaPlatform):
    name = "west-yorkshire"
    listing = "/news-appeals"
    body_classes = ("field--name-body", "article-body")
    date_classes = ("date",)
    title_suffixes = (" | West Yorkshire Police",)


PLATFORM = WestYorkshire()
