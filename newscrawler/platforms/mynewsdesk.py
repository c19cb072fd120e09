"""Mynewsdesk newsrooms: the Metropolitan Police's press releases (news.met.police.uk).

Articles at ``/news/<slug>-<numeric id>``; RSS ``/rss/current_news/66871``; listing
``/latest_news/page/<N>``. The dateline ``Mar 31, 2021 20:10 BST`` stands at the top of the
body (listing items: "News • Dec 24, 2020 16:15 GMT"); og:* with og:site_name "Mynewsdesk";
``<title>`` is "Headline - Metropolitan Police".
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Mynewsdesk(CMS):
    name = "mynewsdesk"
    article_path = re.compile(r"^/news/[^/]+-\d+/?$")
    feed_paths = ("/rss/current_news/66871",)
    listing_paths = ("/latest_news/page/1",)
    date_selectors = ("[class*=publish-date]", "[class*=dateline]", "[class*=date]", "time")
    date_pattern = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d (?:GMT|BST)\b")
    body_selectors = ("[class*=release-body]", "[class*=newsroom-body]", "[itemprop=articleBody]")
    title_affixes = ("Metropolitan Police",)
