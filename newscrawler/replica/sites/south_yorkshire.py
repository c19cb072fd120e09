"""South Yorkshire's own CMS: "Date published: …" and "Dated: …" open the body; "Headline - SYP".

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class SouthYorkshire(RawMetaPlatform):
    name = "south-yorkshire"
    listing = "/find-out/news-and-appeals/"
    body_classes = ("article-body", "rich-text")
    date_classes = ("date",)
    title_suffixes = (" - SYP",)


PLATFORM = SouthYorkshire()
