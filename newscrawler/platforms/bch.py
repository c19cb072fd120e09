"""The shared Bedfordshire, Cambridgeshire and Hertfordshire site (BCH), gone c. 2022.

Articles at ``/news-and-appeals/<Slug>`` (no trailing slash, mixed case); date ``12 Mar 2020``;
only og:description; ``<title>`` is the bare headline. Readable now only from web archives,
through ``--mirror``.
"""

from __future__ import annotations

import re

from newscrawler.platforms.base import Platform


class BCH(Platform):
    name = "bch"
    article_path = re.compile(r"^/news-and-appeals/[^/?#]+$", re.I)
    listing_paths = ("/news-and-appeals",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")
    body_selectors = ("[class*=article-body]", "[class*=news-body]", "[class*=rich-text]")
    keep_headline = False
