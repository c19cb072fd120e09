"""Durham's SharePoint site: headline, "## 26/03/2019" and SharePoint labels open the body; no meta.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values.
"""

from __future__ import annotations

from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Durham(RawMetaPlatform):
    name = "durham"
    listing = "/news-and-events/Pages/default.aspx"
    body_classes = ("ms-rtestate-field", "article-content")
    date_classes = ("date",)


PLATFORM = Durham()
