"""The boilerplate around every replica page: header and navigation, cookie banner,
breadcrumbs, share links, related news, pager, footer.

Real police pages carry all of these, and the crawler must find the article among them. The
markup is believable but varied from page to page (seeded by the page's URL, so the same page
is always the same): class names and wrappers here are not a contract a parser may rely on.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

#: Other sites real police pages link to from their header and footer.
_EXTERNAL = (
    ("Police.uk", "https://www.police.uk/"),
    ("Crimestoppers", "https://crimestoppers-uk.org/"),
    ("Action Fraud", "https://www.actionfraud.police.uk/"),
    ("Independent Office for Police Conduct", "https://www.policeconduct.gov.uk/"),
)
_COOKIE_TEXT = (
    "We use cookies to make this website work and to understand how you use it.",
    "This site uses cookies. Some are essential, others help us improve the site.",
    "We'd like to set additional cookies to understand how you use our website.",
)


def esc(text: str) -> str:
    """Text as HTML element content."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Text as a double-quoted HTML attribute value (parsing it gives the text back)."""
    return html.escape(text, quote=True)


def pick(rng: random.Random, *choices: str) -> str:
    """One of ``choices``, as the page's seed decides."""
    return rng.choice(choices)


@dataclass(frozen=True)
class SiteInfo:
    """What the boilerplate needs to know about a site."""

    name: str  # the force's name
    area: str
    slug: str
    origin: str
    news_url: str  # the first listing page
    feed_url: str | None = None


def share_links(rng: random.Random, url: str, headline: str) -> str:
    """Share links for an article: "Share on Facebook", "Share on X", email."""
    u, t = quote(url, safe=""), quote(headline, safe="")
    links = [
        (f"https://www.facebook.com/sharer/sharer.php?u={u}", "Share on Facebook"),
        (f"https://twitter.com/intent/tweet?url={u}&text={t}", "Share on X"),
        (f"mailto:?subject={t}&body={u}", pick(rng, "Share by email", "Email this page")),
    ]
    items = "".join(f'<li><a href="{attr(href)}">{label}</a></li>' for href, label in links)
    cls = pick(rng, "share-links", "social-share", "article-share", "sharing")
    heading = pick(rng, "Share this page", "Share", "Share this article")
    return f'<div class="{cls}"><h2 class="{cls}__title">{heading}</h2><ul>{items}</ul></div>'


def related_news(rng: random.Random, links: Sequence[tuple[str, str]]) -> str:
    """A block linking to other articles of the site: (url, headline) pairs."""
    if not links:
        return ""
    cls = pick(rng, "related-news", "related", "more-news related-articles")
    heading = pick(rng, "Related news", "You may also be interested in", "More news")
    items = "".join(f'<li><a href="{attr(u)}">{esc(h)}</a></li>' for u, h in links)
    return f'<aside class="{cls}"><h2>{heading}</h2><ul>{items}</ul></aside>'


def pager(rng: random.Random, current: int, count: int, url_for: dict[int, str]) -> str:
    """Previous/next links (rel) and numbered pages around the current one."""
    if count <= 1:
        return ""
    shown = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
    parts = []
    if current > 1:
        parts.append(f'<a rel="prev" href="{attr(url_for[current - 1])}">Previous</a>')
    last = 0
    for n in shown:
        if n > last + 1:
            parts.append('<span class="ellipsis">&hellip;</span>')
        if n == current:
            parts.append(f'<span aria-current="page">{n}</span>')
        else:
            parts.append(f'<a href="{attr(url_for[n])}">{n}</a>')
        last = n
    if current < count:
        parts.append(f'<a rel="next" href="{attr(url_for[current + 1])}">Next</a>')
    cls = pick(rng, "pagination", "pager", "paging")
    return f'<nav class="{cls}" aria-label="Pages">{" ".join(parts)}</nav>'


def _header(rng: random.Random, site: SiteInfo) -> str:
    o = site.origin
    own = [
        ("Report", f"{o}/report/"),
        ("Contact us", f"{o}/contact/"),
        ("News", site.news_url),
        ("Advice and information", f"{o}/advice/"),
        ("About us", f"{o}/about-us/"),
        ("Annual report (PDF)", f"{o}/SysSiteAssets/media/downloads/{site.slug}/annual-report.pdf"),
    ]
    start = rng.randrange(len(own) - 1)
    links = own[start:] + own[:start] + [rng.choice(_EXTERNAL)]
    items = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in links)
    nav = pick(rng, "main-nav", "primary-navigation", "navbar")
    search = (
        f'<form class="search" role="search" action="{attr(o)}/search/">'
        '<label for="q">Search</label><input id="q" name="q" type="search">'
        '<button type="submit">Search</button></form>'
        if rng.random() < 0.7
        else ""
    )
    return (
        f'<header class="{pick(rng, "site-header", "masthead", "header")}">'
        f'<a class="logo" href="{attr(o)}/"><img src="{attr(o)}/assets/img/logo.svg" '
        f'alt="{attr(site.name)}"></a>'
        f'<nav class="{nav}" aria-label="Main menu"><ul>{items}</ul></nav>{search}</header>'
    )


def _cookies(rng: random.Random, site: SiteInfo) -> str:
    cls = pick(rng, "cookie-banner", "cookie-consent", "ccc-notify cookie-notice")
    return (
        f'<div class="{cls}" role="dialog" aria-label="Cookies on this site">'
        f"<p>{esc(rng.choice(_COOKIE_TEXT))}</p>"
        '<button type="button">Accept all cookies</button>'
        '<button type="button">Reject additional cookies</button>'
        f'<a href="{attr(site.origin)}/cookies/">View cookie settings</a></div>'
    )


def _crumbs(rng: random.Random, crumbs: Sequence[tuple[str, str | None]]) -> str:
    items = "".join(
        f'<li><a href="{attr(u)}">{esc(t)}</a></li>' if u else f'<li aria-current="page">{esc(t)}</li>'
        for t, u in crumbs
    )
    cls = pick(rng, "breadcrumbs", "breadcrumb", "crumbs breadcrumb-trail")
    return f'<nav class="{cls}" aria-label="Breadcrumb"><ol>{items}</ol></nav>'


def _footer(rng: random.Random, site: SiteInfo) -> str:
    o = site.origin
    links = [
        ("Accessibility", f"{o}/accessibility/"),
        ("Privacy notice", f"{o}/privacy/"),
        ("Cookies", f"{o}/cookies/"),
        ("Freedom of information", f"{o}/SysSiteAssets/foi-media/{site.slug}/publication-scheme.pdf"),
        ("Contact us", f"{o}/contact/"),
        *_EXTERNAL[: rng.randint(1, len(_EXTERNAL))],
    ]
    items = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in links)
    return (
        f'<footer class="{pick(rng, "site-footer", "footer", "page-footer")}">'
        f"<address>{esc(site.name)}<br>Police Headquarters<br>{esc(site.area)}</address>"
        f"<p>In an emergency call 999. For non-emergencies call 101.</p>"
        f"<ul>{items}</ul><p>&copy; {esc(site.name)}</p></footer>"
    )


def page(
    *,
    seed: str,
    site: SiteInfo,
    title: str,
    head: str,
    crumbs: Sequence[tuple[str, str | None]],
    main: str,
) -> str:
    """A whole HTML page: ``head`` holds the page's own meta tags, ``main`` its content."""
    rng = random.Random(seed)
    feed = (
        f'<link rel="alternate" type="application/rss+xml" href="{attr(site.feed_url)}">'
        if site.feed_url
        else ""
    )
    main_cls = pick(rng, "main-content", "page-content", "content")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{head}{feed}\n"
        f'<link rel="stylesheet" href="{attr(site.origin)}/assets/css/site.css">\n</head>\n'
        f'<body class="{pick(rng, "page", "news", "template-news")}">\n'
        f"{_cookies(rng, site)}\n"
        '<a class="skip-link" href="#main">Skip to main content</a>\n'
        f"{_header(rng, site)}\n{_crumbs(rng, crumbs)}\n"
        f'<main id="main" class="{main_cls}">\n{main}\n</main>\n'
        f"{_footer(rng, site)}\n"
        f'<script src="{attr(site.origin)}/assets/js/site.js" defer></script>\n</body>\n</html>\n'
    )


def not_found(site: SiteInfo | None, path: str) -> str:
    """The 404 page (a site's own when the host is known)."""
    text = (
        f"<h1>Page not found</h1><p>Sorry, we can't find the page you were looking for.</p><p>{esc(path)}</p>"
    )
    if site is None:
        return f"<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>{text}</body></html>\n"
    crumbs = [("Home", site.origin + "/"), ("Page not found", None)]
    return page(
        seed=path, site=site, title=f"Page not found | {site.name}", head="", crumbs=crumbs, main=text
    )
