"""WordPress sites (2020–21): North Yorkshire (``/news/<slug>/``) and Avon and Somerset
(``/news/YYYY/MM/<slug>/``, "Posted at 09:48 on 12th August 2020").

``article:published_time`` (ISO) dates a page; og:*. North Yorkshire's body starts with
"Last modified: 12 October 2020 at 10:27am" and ends with "Posted on … in News stories".
Listings page as ``/news/page/<N>/``; ``/feed/`` is WordPress's RSS.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class WordPress(CMS):
    name = "wordpress"
    article_path = re.compile(r"^/news/(?:\d{4}/\d\d/)?(?!(?:page|feed)/?$)[^/]+/?$")
    feed_paths = ("/feed/",)
    listing_paths = ("/news/",)
    date_selectors = ("[class*=posted-on]", "[class*=entry-date]", "[class*=post-date]", "time")
    date_pattern = re.compile(r"\bPosted (?:at \d\d:\d\d )?on \d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4}\b")
    body_selectors = ("[class*=entry-content]", "[class*=post-content]")
    top_noise = re.compile(r"Last modified: .+")
    date_footer = re.compile(r"Posted on .+ in .+")
