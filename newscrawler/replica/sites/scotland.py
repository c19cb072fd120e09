"""Police Scotland: the bold "Published 4 March 2020" line opens the body; no meta.

Pages are rebuilt from the record's raw meta (``rawmeta``); this module sets the values. The
2020 site was at http://, the registry's origin is https://: each page names the address it
was published at as its canonical link, so a crawl keeps the record's own url.
"""

from __future__ import annotations

from newscrawler.replica.chrome import attr
from newscrawler.replica.sites.base import Entry
from newscrawler.replica.sites.rawmeta import RawMetaPlatform


class Scotland(RawMetaPlatform):
    name = "scotland"
    listing = "/what-s-happening/news/"
    body_classes = ("news-content", "article-body")
    date_classes = ("published", "date")
    title_suffixes = (" - Police Scotland",)

    def head(self, entry: Entry) -> str:
        return super().head(entry) + f'<link rel="canonical" href="{attr(entry.url)}">\n'


PLATFORM = Scotland()
