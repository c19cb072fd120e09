"""Markup variants: the same records, rendered with structures nobody tuned a parser on.

The replica's own templates (``sites/``, ``chrome``) are one rendering of each platform, and
parsers written against them fit them. A variant keeps what a record *is* (its five fields:
title, url, og.description, publish.date, body) and changes how a page says it, with every
choice drawn from a seed:

- structure: class names renamed (words, random tokens, BEM, utility-class soup) or removed,
  ids, extra wrappers, ``<article>``/``<main>`` or plain ``<div>`` soup;
- headline: ``<h1>`` (text, nested span or link) or an ``<h2>`` under a logo ``<h1>``;
  ``<title>`` with the force's name before or after it, or bare; og:title there or not;
- publication date: its own element above or below the headline or after the text, as
  ``<time datetime>`` or text, labelled or not, in the platform's own form or another common
  UK form, or only in meta (article:published_time, JSON-LD datePublished, microdata);
- distractor dates a parser must ignore: "Updated" dates, latest-news lists with other
  articles' dates (before or after the article), event widgets, cookie notices, "©" and
  "last reviewed" footers, dateModified and article:modified_time;
- description: og:description, name=description, twitter:description or JSON-LD, else the
  first paragraph; sometimes a visible standfirst;
- og:url/canonical there or not; boilerplate (navigation, breadcrumbs, share bar, cookie
  banner, related links, newsletter box) reordered, inside or outside the article.

A seed fixes one site template per platform (a site's pages share their structure) and the
page's own details by its URL. What a platform's pages carry (the date as the platform shows
it, the raw meta a record holds, the body as the site had it) comes from the replica's
platform modules, so this is one mechanism for every platform. A record that cannot be made
whole (``expected_record`` is None: no date, say) is rendered without a publication date: a
parser must report it, not guess one.

:data:`TUNING_SEEDS` are for working on parsers; :data:`HELD_OUT_SEEDS` are for measuring
them only (``benchmarks/variants.py``): never look at their pages while tuning.
"""

from __future__ import annotations

import html
import json
import random
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from newscrawler.forces import Force, Site, registry
from newscrawler.importer import extraction, is_target_format
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle
from newscrawler.record import Article
from newscrawler.replica.chrome import SiteInfo, attr, esc
from newscrawler.replica.markup import markdown_to_html
from newscrawler.replica.sites import platform as replica_platform
from newscrawler.replica.sites.base import UK, Entry

#: Seeds to tune parsers on, and seeds kept aside to measure them (never tune on these).
TUNING_SEEDS = range(0, 1000)
HELD_OUT_SEEDS = range(1_000_000, 1_001_000)

_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_TAG = re.compile(r"<[^>]+>")
#: Where the distractor dates of an undated page are placed around.
_UNDATED = date(2020, 6, 1)


def _plain(text: str) -> str:
    """Raw meta as a reader sees it: entities decoded, tags gone, whitespace collapsed."""
    return " ".join(_TAG.sub(" ", html.unescape(text)).split())


# ---- the record a variant page must give back ---------------------------------------------
def expected_record(article: Article, force: Force, site: Site) -> Article | None:
    """The five-field record of an archive record: itself when already in that form (BCH),
    else the importer's normalisation of its raw meta; None when it cannot be made whole."""
    if is_target_format(article.meta):
        return article
    try:
        return platform_for(force, site).normalise(extraction(article))
    except (ExtractionError, UnsupportedPlatformError):
        return None


# ---- dates ---------------------------------------------------------------------------------
def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: Common UK forms a date is shown in ("own" is the platform's form, from its replica module).
DATE_FORMS = {
    "long": lambda d, t: f"{d.day} {d:%B %Y}",
    "short": lambda d, t: f"{d.day} {d:%b %Y}",
    "numeric": lambda d, t: f"{d:%d/%m/%Y}",
    "weekday_at": lambda d, t: f"{d:%A} {d.day} {d:%B %Y} at {t:%H:%M}",
    "ordinal": lambda d, t: f"{_ordinal(d.day)} {d:%b %Y}",
    "time_numeric": lambda d, t: f"{t:%H:%M} {d:%d/%m/%Y}",
    "month_first": lambda d, t: f"{d:%B} {d.day}, {d:%Y}",
    "weekday_comma": lambda d, t: f"{d:%A}, {d.day} {d:%B %Y}",
    "long_time": lambda d, t: f"{d.day} {d:%B %Y}, {t:%H:%M}",
}
_LABELS = ("", "", "Published:", "Posted on", "Date published:", "Published on", "Posted:")
_LABELLED = re.compile(r"published|posted|dated?\b|release", re.I)
_UPDATED_LABELS = ("Updated:", "Last updated", "Last modified:", "Updated on", "Page updated")


def _show(form: str, day: date, at: time, own: str | None) -> str:
    if form == "own" and own:
        return own
    return DATE_FORMS["long" if form == "own" else form](day, at)


def _stamp(day: date, at: time, rng: random.Random) -> str:
    """An ISO stamp whose calendar date is ``day`` as written (local time, with its offset)."""
    if rng.random() < 0.15:
        return day.isoformat()
    return datetime.combine(day, at, tzinfo=UK).isoformat()


# ---- class names -------------------------------------------------------------------------------
_ROLES = (
    "page", "header", "logo", "nav", "crumbs", "main", "article", "head", "headline", "date",
    "updated", "standfirst", "body", "share", "related", "sidebar", "cookie", "newsletter",
    "footer", "events", "wrap", "item", "meta",
)  # fmt: skip
_WORDS = {
    "page": ("site", "layout", "app"),
    "header": ("top-bar", "site-top", "branding"),
    "logo": ("brand", "site-logo", "emblem"),
    "nav": ("menu-main", "links", "site-links"),
    "crumbs": ("trail", "you-are-here", "path"),
    "main": ("content-area", "primary", "page-body"),
    "article": ("story", "post", "news-detail", "item-detail"),
    "head": ("story-head", "intro", "title-area"),
    "headline": ("story-title", "heading", "title", "page-heading"),
    "date": ("dateline", "stamp", "when", "info"),
    "updated": ("revised", "stamp-2", "info-extra"),
    "standfirst": ("summary", "teaser", "deck", "strapline"),
    "body": ("story-text", "copy", "text", "rte", "prose"),
    "share": ("social-links", "tools", "spread"),
    "related": ("see-also", "more", "linked"),
    "sidebar": ("rail", "secondary", "aside-col"),
    "cookie": ("consent-bar", "notice", "privacy-bar"),
    "newsletter": ("sign-up", "alerts", "updates-box"),
    "footer": ("bottom", "site-end", "colophon"),
    "events": ("whats-on", "diary", "calendar-box"),
    "wrap": ("container", "inner", "row", "col", "block", "region"),
    "item": ("entry", "card", "tile"),
    "meta": ("details", "facts", "byline"),
}
_UTILITY = (
    "flex", "grid", "block", "mt-2", "mt-4", "mb-6", "px-4", "py-2", "gap-3", "w-full",
    "max-w-3xl", "mx-auto", "text-sm", "text-lg", "font-bold", "text-gray-700", "rounded",
    "shadow", "md:w-2/3", "lg:px-8", "items-center", "space-y-4", "leading-7",
)  # fmt: skip


#: Class words that say an element is boilerplate (generic.py's rules, which real sites mean).
_SAYS_BOILERPLATE = re.compile(
    r"ads?|nav|menu|tags?|skip|print|share|promo|pager|foot|side|cookie|social|banner|advert"
)


class Namer:
    """Class and id attributes for each role of a page, in one naming scheme."""

    SCHEMES = ("words", "tokens", "bem", "utility", "none")

    def __init__(self, rng: random.Random, scheme: str) -> None:
        self.scheme = scheme
        self._rng = rng
        block = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 4)))
        while _SAYS_BOILERPLATE.fullmatch(block):
            # A BEM block drawn as "ad" or "nav" would call the article an advert or a menu.
            block = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 4)))
        self._names: dict[str, str] = {}
        for role in _ROLES:
            self._names[role] = self._make(role, block)
        self._ids = rng.random() < 0.5

    def _token(self) -> str:
        return self._rng.choice(string.ascii_lowercase) + "".join(
            self._rng.choices(string.ascii_lowercase + string.digits, k=self._rng.randint(4, 7))
        )

    def _make(self, role: str, block: str) -> str:
        rng = self._rng
        if self.scheme == "words":
            return rng.choice(_WORDS[role])
        if self.scheme == "tokens":
            return self._token() if rng.random() < 0.7 else f"{self._token()} {self._token()}"
        if self.scheme == "bem":
            element = rng.choice(_WORDS[role])
            return f"{block}__{element}" + (
                f" {block}__{element}--{self._token()}" if rng.random() < 0.3 else ""
            )
        if self.scheme == "utility":
            return " ".join(rng.sample(_UTILITY, rng.randint(2, 6)))
        return ""

    def __call__(self, role: str) -> str:
        """`` class="…"`` (and sometimes an id) for an element of this role, or nothing."""
        name = self._names[role]
        out = f' class="{attr(name)}"' if name else ""
        if self._ids and role not in ("item", "wrap") and self.scheme != "none":
            out += f' id="{attr(self._token() if self.scheme != "words" else name.split()[0])}"'
        return out


# ---- the template a seed chooses per platform ------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A site template: the structural choices shared by every page of a platform for a seed."""

    naming: str
    article_tag: str  # "article", "div", "section"
    main_tag: str  # "main", "div"
    wrappers: int  # extra wrapper elements around the article and around its text
    headline: str  # "h1", "h1-span", "h1-link", "h2-logo"
    title_form: str  # "pipe", "dash", "prefix", "bare", "own"
    og_title: str  # "none", "headline", "raw"
    date_form: str  # a key of DATE_FORMS or "own"
    list_date_form: str  # the form of the dates in latest-news lists
    date_label: str
    date_markup: str  # "time", "text", "meta-only"
    date_place: str  # "above", "below", "after-body"
    date_meta: frozenset[str]  # of "article", "json-ld", "microdata"
    description_in: frozenset[str]  # of "og", "name", "twitter", "json-ld"
    og_url: str  # "none", "article", or "home": a wrong one (the site's front page), as some sites had
    canonical: bool
    lift_date: bool  # a body that carries its date line is shown without it
    standfirst: float  # share of pages with a visible standfirst
    updated: float  # share of pages with an "Updated" date near the headline
    sidebar_first: bool  # the latest-news list comes before the article in the document
    share_inside: bool
    crumbs_inside: bool
    cookie_last: bool
    json_ld_modified: bool
    events: bool

    @classmethod
    def choose(cls, seed: int, platform: str) -> Template:
        rng = random.Random(f"variant-template:{seed}:{platform}")
        date_markup = rng.choice(("time", "time", "text", "text", "text", "meta-only"))
        date_meta = frozenset(m for m in ("article", "json-ld", "microdata") if rng.random() < 0.3)
        if date_markup == "meta-only" and not date_meta:
            date_meta = frozenset({rng.choice(("article", "json-ld", "microdata"))})
        description_in = frozenset(d for d in ("og", "name", "twitter", "json-ld") if rng.random() < 0.4)
        return cls(
            naming=rng.choices(Namer.SCHEMES, weights=(3, 3, 2, 2, 1))[0],
            article_tag=rng.choice(("article", "article", "div", "section")),
            main_tag=rng.choice(("main", "div")),
            wrappers=rng.randint(0, 3),
            headline=rng.choice(("h1", "h1", "h1-span", "h1-link", "h2-logo")),
            title_form=rng.choice(("pipe", "dash", "prefix", "bare", "own")),
            og_title=rng.choice(("none", "headline", "raw")),
            date_form=rng.choice(("own", "own", *DATE_FORMS)),
            list_date_form=rng.choice(tuple(DATE_FORMS)),
            date_label=rng.choice(_LABELS),
            date_markup=date_markup,
            date_place=rng.choice(("above", "below", "below", "after-body")),
            date_meta=date_meta,
            description_in=description_in or frozenset({rng.choice(("og", "name", "twitter", "json-ld"))}),
            og_url=rng.choices(("none", "article", "home"), weights=(4, 5, 1))[0],
            canonical=rng.random() < 0.5,
            lift_date=rng.random() < 0.5,
            standfirst=rng.choice((0.0, 0.0, 0.5, 1.0)),
            updated=rng.choice((0.0, 0.3, 0.7)),
            sidebar_first=rng.random() < 0.4,
            share_inside=rng.random() < 0.5,
            crumbs_inside=rng.random() < 0.3,
            cookie_last=rng.random() < 0.5,
            json_ld_modified=rng.random() < 0.5,
            events=rng.random() < 0.4,
        )


@dataclass(frozen=True)
class Teaser:
    """Another article, as a sidebar lists it."""

    url: str
    headline: str
    day: date | None


_FAKE_HEADLINES = (
    "Appeal for witnesses after collision",
    "Man charged following burglary",
    "Officers seize drugs in warrant",
    "Missing woman found safe and well",
    "Road closure after serious crash",
    "Community event at local station",
    "Two arrested after vehicle thefts",
    "Warning over courier fraud calls",
)


def _teasers(rng: random.Random, origin: str, around: date, related: Sequence[Entry]) -> list[Teaser]:
    """Other articles with their dates: the neighbours the replica gives, else made up (dated
    within forty days of ``around``)."""
    if related:
        return [Teaser(e.url, e.headline, e.day) for e in related]
    out = []
    for headline in rng.sample(_FAKE_HEADLINES, rng.randint(2, 4)):
        slug = headline.lower().replace(" ", "-")
        out.append(
            Teaser(
                f"{origin}/news/{slug}-{rng.randint(100, 999)}",
                headline,
                around + timedelta(rng.randint(-40, 40)),
            )
        )
    return out


# ---- the page ----------------------------------------------------------------------------------
@dataclass
class _Page:
    """What one variant page is made of, before assembly."""

    t: Template
    n: Namer
    rng: random.Random
    site: SiteInfo
    url: str
    headline: str
    day: date | None  # the publication date; None: the page must show none
    at: time  # the time of day shown with it
    stamp: str | None  # its ISO form, for <time datetime> and meta
    reference: date  # the date the distractors are placed around
    later: date  # an "updated" date, after publication
    later_stamp: str


def _wrap(page: _Page, inner: str, depth: int) -> str:
    for _ in range(depth):
        tag = page.rng.choice(("div", "div", "section"))
        inner = f"<{tag}{page.n('wrap')}>\n{inner}\n</{tag}>"
    return inner


def _date_value(page: _Page, text: str, stamp: str | None, label: str, micro: bool) -> str:
    """A date as inline markup: label, then ``<time datetime>`` or text (with microdata)."""
    shown = f"{esc(label)} " if label else ""
    prop = ' itemprop="datePublished"' if micro else ""
    if page.t.date_markup == "time" and stamp:
        return f'{shown}<time datetime="{attr(stamp)}"{prop}>{esc(text)}</time>'
    value = f"{shown}<span>{esc(text)}</span>" if page.rng.random() < 0.3 else f"{shown}{esc(text)}"
    if micro and stamp:
        value += f'<meta itemprop="datePublished" content="{attr(stamp)}">'
    return value


def _date_element(page: _Page, inner: str, role: str) -> str:
    tag = page.rng.choice(("p", "div", "span")) if role != "updated" else page.rng.choice(("p", "div"))
    return f"<{tag}{page.n(role)}>{inner}</{tag}>"


def _headline(page: _Page) -> str:
    title = esc(page.headline)
    style = page.t.headline
    if style == "h1-span":
        return f"<h1{page.n('headline')}><span>{title}</span></h1>"
    if style == "h1-link":
        return f'<h1{page.n("headline")}><a href="{attr(page.url)}">{title}</a></h1>'
    if style == "h2-logo":
        return f"<h2{page.n('headline')}>{title}</h2>"
    return f"<h1{page.n('headline')}>{title}</h1>"


def _share(page: _Page) -> str:
    u = attr(page.url)
    links = "".join(
        f'<li><a href="{h}">{label}</a></li>'
        for h, label in (
            (f"https://www.facebook.com/sharer/sharer.php?u={u}", "Facebook"),
            (f"https://twitter.com/intent/tweet?url={u}", "X (Twitter)"),
            (f"mailto:?body={u}", "Email"),
        )
    )
    heading = page.rng.choice(("Share this", "Share", "Share this article", "Tell others"))
    return f"<div{page.n('share')}><p>{heading}</p><ul>{links}</ul></div>"


def _teaser_list(page: _Page, teasers: Sequence[Teaser], role: str) -> str:
    """Other articles with their dates (a latest-news column, related links)."""
    heading = page.rng.choice(
        ("Latest news", "Related news", "More from this force", "Recent appeals", "Related")
    )
    items = []
    for item in teasers:
        when = ""
        if item.day is not None:
            text = _show(
                page.t.list_date_form,
                item.day,
                time(page.rng.randint(7, 19), page.rng.choice((0, 15, 30, 45))),
                None,
            )
            when = (
                f'<time datetime="{item.day.isoformat()}">{esc(text)}</time>'
                if page.rng.random() < 0.5
                else f"<span>{esc(text)}</span>"
            )
        items.append(f'<li{page.n("item")}><a href="{attr(item.url)}">{esc(item.headline)}</a> {when}</li>')
    tag = "aside" if page.rng.random() < 0.5 else "div"
    return f"<{tag}{page.n(role)}><h2>{heading}</h2><ul>{''.join(items)}</ul></{tag}>"


def _events(page: _Page) -> str:
    """A widget of coming events, with their dates."""
    rows = []
    for what in page.rng.sample(("Community surgery", "Bike marking", "Open day", "Beat meeting"), 2):
        when = page.reference + timedelta(days=page.rng.randint(3, 60))
        rows.append(f"<li>{what}: {esc(_show('weekday_comma', when, time(10), None))}</li>")
    return f"<div{page.n('events')}><h3>Upcoming events</h3><ul>{''.join(rows)}</ul></div>"


def _newsletter(page: _Page) -> str:
    return (
        f"<div{page.n('newsletter')}><h3>Get alerts in your area</h3>"
        "<p>Sign up to hear about crime and appeals near you.</p>"
        f'<a href="{attr(page.site.origin)}/alerts/">Sign up</a></div>'
    )


def _cookie(page: _Page) -> str:
    """A cookie banner, sometimes with the date its policy changed."""
    note = ""
    if page.rng.random() < 0.5:
        changed = date(max(page.reference.year + 1, 2021), page.rng.randint(1, 12), page.rng.randint(1, 28))
        note = f" Our cookie policy was updated on {_show('long', changed, time(9), None)}."
    return (
        f"<div{page.n('cookie')}><p>We use cookies to make this site work.{esc(note)}</p>"
        '<button type="button">Accept</button><button type="button">Reject</button></div>'
    )


def _nav(page: _Page) -> str:
    o = attr(page.site.origin)
    links = "".join(
        f'<li><a href="{o}{p}">{label}</a></li>'
        for p, label in (
            ("/report/", "Report"),
            ("/contact/", "Contact"),
            ("/news/", "News"),
            ("/advice/", "Advice"),
        )
    )
    tag = "nav" if page.rng.random() < 0.6 else "div"
    return f"<{tag}{page.n('nav')}><ul>{links}</ul></{tag}>"


def _crumbs(page: _Page) -> str:
    o = attr(page.site.origin)
    tag = "nav" if page.rng.random() < 0.5 else "div"
    return (
        f'<{tag}{page.n("crumbs")}><a href="{o}/">Home</a> &gt; <a href="{attr(page.site.news_url)}">News</a>'
        f" &gt; <span>{esc(page.headline)}</span></{tag}>"
    )


def _logo(page: _Page) -> str:
    name = esc(page.site.name)
    o = attr(page.site.origin)
    if page.t.headline == "h2-logo":
        return f'<h1{page.n("logo")}><a href="{o}/">{name}</a></h1>'
    return f'<a{page.n("logo")} href="{o}/"><img src="{o}/logo.svg" alt="{attr(page.site.name)}"></a>'


def _footer(page: _Page) -> str:
    """The site's footer: "© YEAR", sometimes "Page last reviewed: DATE"."""
    year = max(page.reference.year + page.rng.randint(1, 5), 2022)
    reviewed = date(year, page.rng.randint(1, 12), page.rng.randint(1, 28))
    tag = "footer" if page.rng.random() < 0.6 else "div"
    lines = [f"<p>&copy; {year} {esc(page.site.name)}</p>"]
    if page.rng.random() < 0.5:
        lines.append(f"<p>Page last reviewed: {esc(_show('long', reviewed, time(9), None))}</p>")
    page.rng.shuffle(lines)
    return f"<{tag}{page.n('footer')}>{''.join(lines)}<p>In an emergency call 999.</p></{tag}>"


def _page_title(page: _Page, force: str, own: str) -> str:
    return {
        "pipe": f"{page.headline} | {force}",
        "dash": f"{page.headline} - {force}",
        "prefix": f"{force} - {page.headline}",
        "bare": page.headline,
        "own": own or page.headline,
    }[page.t.title_form]


def _head(page: _Page, article: Article, force: Force, own_title: str, description: str | None) -> str:
    """``<title>``, meta tags and JSON-LD, as the template has them."""
    t, rng, tags = page.t, page.rng, [f"<title>{esc(_page_title(page, force.name, own_title))}</title>"]
    raw_og_title = article.get("og.title")
    if t.og_title == "headline" or (t.og_title == "raw" and raw_og_title is None):
        tags.append(f'<meta property="og:title" content="{attr(page.headline)}">')
    elif t.og_title == "raw":
        tags.append(f'<meta property="og:title" content="{attr(str(raw_og_title))}">')
    ld: dict[str, object] = {}
    if description:
        for where in sorted(t.description_in):
            if where == "json-ld":
                ld["description"] = description
            else:
                key = "property" if where == "og" else "name"
                name = {"og": "og:description", "name": "description", "twitter": "twitter:description"}[
                    where
                ]
                tags.append(f'<meta {key}="{name}" content="{attr(description)}">')
    if t.og_url != "none":
        og_url = page.url if t.og_url == "article" else page.site.origin + "/"
        tags.append(f'<meta property="og:url" content="{attr(og_url)}">')
    if t.canonical or urlsplit(page.url)[:2] != urlsplit(page.site.origin)[:2]:
        tags.append(f'<link rel="canonical" href="{attr(page.url)}">')  # http:// records (Scotland)
    for name, value in (("og:type", "article"), ("og:site_name", force.name), ("twitter:card", "summary")):
        if rng.random() < 0.5:
            key = "name" if name.startswith("twitter") else "property"
            tags.append(f'<meta {key}="{name}" content="{attr(value)}">')
    if page.stamp and "article" in t.date_meta:
        tags.append(f'<meta property="article:published_time" content="{attr(page.stamp)}">')
    if rng.random() < 0.3:
        tags.append(f'<meta property="article:modified_time" content="{attr(page.later_stamp)}">')
    if page.stamp and "json-ld" in t.date_meta:
        ld["datePublished"] = page.stamp
    if t.json_ld_modified:
        ld["dateModified"] = page.later_stamp
    if ld:
        if rng.random() < 0.5:
            ld["headline"] = page.headline
        item = {"@type": rng.choice(("NewsArticle", "Article", "ReportageNewsArticle")), **ld}
        item["publisher"] = {"@type": "Organization", "name": force.name}
        if rng.random() < 0.3:  # as WordPress SEO plugins write it
            doc: dict[str, object] = {
                "@context": "https://schema.org",
                "@graph": [{"@type": "WebPage", "url": page.url, "name": page.headline}, item],
            }
        else:
            doc = {"@context": "https://schema.org", **item}
        text = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c")
        tags.append(f'<script type="application/ld+json">{text}</script>')
    return "\n".join(tags)


def _article(page: _Page, own_date: str | None, standfirst: str, body_md: str, teasers: list[Teaser]) -> str:
    """The article container: headline with its dates, standfirst, text, and what the
    template puts inside it (share bar, breadcrumbs, related links)."""
    t, rng = page.t, page.rng
    published = updated = ""
    if page.day is not None and t.date_markup != "meta-only":
        shown = _show(t.date_form, page.day, page.at, own_date)
        label = "" if _LABELLED.search(shown) else t.date_label  # the platform's form has its own
        published = _date_value(page, shown, page.stamp, label, "microdata" in t.date_meta)
    if rng.random() < t.updated:  # a later date by the headline: never the publication date
        form = t.date_form if t.date_form != "own" else "long"
        shown = _show(form, page.later, time(rng.randint(7, 19), rng.randint(0, 59)), None)
        updated = _date_value(page, shown, page.later_stamp, rng.choice(_UPDATED_LABELS), False)
    if published and updated and rng.random() < 0.3:  # "Published: … | Updated: …" in one line
        published, updated = published + rng.choice((" | ", " · ", ", ", " ")) + updated, ""
    date_el = _date_element(page, published, "date") if published else ""
    if not published and page.stamp and "microdata" in t.date_meta:
        date_el = f'<meta itemprop="datePublished" content="{attr(page.stamp)}">'
    top = [_headline(page)]
    if date_el and t.date_place == "above":
        top.insert(0, date_el)
    elif date_el and t.date_place == "below":
        top.append(date_el)
    if updated:
        top.insert(rng.choice((0, len(top))), _date_element(page, updated, "updated"))
    head_block = "\n".join(top)
    if rng.random() < 0.5:
        head_block = f"<div{page.n('head')}>\n{head_block}\n</div>"
    parts = [head_block, f"<p{page.n('standfirst')}>{esc(standfirst)}</p>" if standfirst else ""]
    if t.share_inside:
        parts.insert(1 if rng.random() < 0.5 else len(parts), _share(page))
    if t.crumbs_inside:
        parts.insert(0, _crumbs(page))
    body_attrs = page.n("body") + (' itemprop="articleBody"' if rng.random() < 0.2 else "")
    parts.append(
        _wrap(page, f"<div{body_attrs}>\n{markdown_to_html(body_md)}\n</div>", rng.randint(0, t.wrappers))
    )
    if date_el and t.date_place == "after-body":
        parts.append(date_el)
    if rng.random() < 0.4:
        parts.append(_teaser_list(page, teasers[:2], "related"))
    itemscope = ' itemscope itemtype="https://schema.org/NewsArticle"' if "microdata" in t.date_meta else ""
    tag = t.article_tag
    inner = "\n".join(p for p in parts if p)
    return _wrap(page, f"<{tag}{page.n('article')}{itemscope}>\n{inner}\n</{tag}>", t.wrappers)


def _layout(page: _Page, head: str, article_html: str, teasers: list[Teaser]) -> str:
    """The whole document: header, breadcrumbs, the article and a column of widgets in the
    template's order, cookie banner, footer."""
    t, rng = page.t, page.rng
    column = [_teaser_list(page, teasers, "sidebar"), _newsletter(page)]
    if t.events:
        column.append(_events(page))
    if not t.share_inside:
        column.append(_share(page))
    rng.shuffle(column)
    inner = ["\n".join(column), article_html] if t.sidebar_first else [article_html, "\n".join(column)]
    if not t.crumbs_inside:
        inner.insert(0, _crumbs(page))
    main = f"<{t.main_tag}{page.n('main')}>\n" + "\n".join(inner) + f"\n</{t.main_tag}>"
    header_tag = "header" if rng.random() < 0.7 else "div"
    header = f"<{header_tag}{page.n('header')}>{_logo(page)}{_nav(page)}</{header_tag}>"
    parts = [header, main, _footer(page)]
    parts.insert(len(parts) if t.cookie_last else 0, _cookie(page))
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n'
        f"<body{page.n('page')}>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def render_variant(
    article: Article,
    force: Force,
    site: Site,
    seed: int,
    related: Sequence[Entry] = (),
    info: SiteInfo | None = None,
) -> str:
    """The article page of an archive record in variant ``seed``'s markup.

    ``related``: other articles of the site (for the sidebars; made up when empty); ``info``:
    the site's boilerplate facts (as the replica has them; derived from ``force`` when None).
    """
    templates = replica_platform(site.platform)
    if templates is None:
        raise ValueError(f"the replica has no templates for platform {site.platform!r}")
    entry = templates.entry(article, force)
    expected = expected_record(article, force, site)
    origin = site.origin.rstrip("/")
    if info is None:
        info = SiteInfo(force.name, force.area, force.slug, origin, origin + templates.listing_path(site))
    t = Template.choose(seed, site.platform)
    rng = random.Random(f"variant-page:{seed}:{article.url}")
    day = expected.published if expected is not None else None
    # The time shown beside the date: the platform's own, else one made up.
    clock = _CLOCK.search(entry.date_text or "") or _CLOCK.search(str(article.get("time") or ""))
    at = (
        time(int(clock.group(1)), int(clock.group(2)))
        if clock
        else time(rng.randint(7, 19), rng.randint(0, 59))
    )
    reference = day or entry.day or _UNDATED  # for the distractor dates only
    later = reference + timedelta(days=rng.randint(1, 40))
    page = _Page(
        t=t,
        n=Namer(random.Random(f"variant-names:{seed}:{site.platform}"), t.naming),
        rng=rng,
        site=info,
        url=article.url,
        headline=expected.title if expected is not None else _plain(entry.headline or article.title),
        day=day,
        at=at,
        stamp=_stamp(day, at, rng) if day else None,
        reference=reference,
        later=later,
        later_stamp=datetime.combine(
            later, time(rng.randint(7, 19), rng.randint(0, 59)), tzinfo=UK
        ).isoformat(),
    )
    # The description as the page had it (raw: the parser's normalisation is under test), else
    # on some pages the first paragraph a parser would take.
    description = article.description if is_target_format(article.meta) else extraction(article).description
    if description is None and expected is not None and rng.random() < 0.5:
        description = expected.description
    standfirst = ""
    if rng.random() < t.standfirst and (expected is not None or description):
        standfirst = expected.description if expected is not None else _plain(description or "")
    # The body as the site had it, or without its date blocks where the template lifts them out.
    body_md = expected.body if expected is not None and t.lift_date else article.body
    teasers = _teasers(rng, origin, reference, related)
    head = _head(page, article, force, _plain(templates.page_title(entry)), description)
    return _layout(page, head, _article(page, entry.date_text, standfirst, body_md, teasers), teasers)


# ---- parsing variants: the yardstick ------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What a parser made of one variant page.

    ``kind``: "exact" (the expected record; ``identical``: byte for byte), "reported" (an
    ExtractionError or not taken as an article: ``detail`` says why), "wrong" (a record was
    written that differs from the expected one: ``detail`` names the fields), "guessed" (a
    record was written for a page whose record cannot be made whole, e.g. has no date).
    ``makeable``: the record can be made whole (else "reported" is the right outcome).
    """

    url: str
    platform: str
    seed: int
    kind: str
    detail: str = ""
    identical: bool = False
    makeable: bool = True


_FIELDS = ("title", "url", "description", "body", "area")


def differing_fields(expected: Article, got: Article) -> list[str]:
    bad = [k for k in _FIELDS if getattr(expected, k) != getattr(got, k)]
    if expected.get("publish.date") != got.get("publish.date"):
        bad.append("publish.date")
    return bad


def parse_variant(article: Article, force: Force, site: Site, seed: int) -> Outcome:
    """Render a record's variant page, parse it as the spider does, and judge the result."""
    return judge_page(article, force, site, render_variant(article, force, site, seed), seed)


def judge_page(article: Article, force: Force, site: Site, page: str, seed: int) -> Outcome:
    """Parse a record's page (served at its url) as the spider does, and judge the result
    against :func:`expected_record`. ``seed`` names the page's template in the outcome."""
    expected = expected_record(article, force, site)
    response = HtmlResponse(url=article.url, body=page.encode("utf-8"), encoding="utf-8")
    name, makeable = site.platform, expected is not None
    try:
        got = platform_for(force, site).parse(response)
    except ExtractionError as exc:
        return Outcome(article.url, name, seed, "reported", f"no {', '.join(exc.missing)}", makeable=makeable)
    except NotAnArticle as exc:
        return Outcome(article.url, name, seed, "reported", f"not an article: {exc}", makeable=makeable)
    if expected is None:
        return Outcome(
            article.url, name, seed, "guessed", "written, but the record cannot be made whole", makeable=False
        )
    bad = differing_fields(expected, got)
    if bad:
        return Outcome(article.url, name, seed, "wrong", ", ".join(bad))
    return Outcome(article.url, name, seed, "exact", identical=got.render() == expected.render())


@dataclass
class Tally:
    """Outcomes of one platform's variant pages."""

    pages: int = 0
    makeable: int = 0  # pages whose record can be made whole (the others must be reported)
    exact: int = 0
    identical: int = 0
    reported: int = 0
    wrong: int = 0
    guessed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    wrong_fields: Counter[str] = field(default_factory=Counter)
    wrong_pages: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.pages += 1
        self.makeable += outcome.makeable
        if outcome.kind == "exact":
            self.exact += 1
            self.identical += outcome.identical
        elif outcome.kind == "reported":
            self.reported += 1
            self.reasons[outcome.detail.split(":")[0]] += 1
        else:
            if outcome.kind == "wrong":
                self.wrong += 1
                self.wrong_fields.update(outcome.detail.split(", "))
            else:
                self.guessed += 1
            self.wrong_pages.append(f"seed {outcome.seed} {outcome.url}: {outcome.detail}")

    @property
    def share_exact(self) -> float:
        """Exact records among the pages whose record can be made whole."""
        return self.exact / self.makeable if self.makeable else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in _COUNTS},
            "share_exact": self.share_exact,
            "reasons": dict(self.reasons.most_common()),
            "wrong_fields": dict(self.wrong_fields.most_common()),
            "wrong_pages": list(self.wrong_pages),
        }


def located(articles: Iterable[Article]) -> Iterable[tuple[Article, Force, Site]]:
    """Records with the force and site they belong to, where the replica serves the platform."""
    reg = registry()
    for article in articles:
        found = reg.for_url(article.url) if article.url else None
        if found is not None and replica_platform(found[1].platform) is not None:
            try:
                platform_for(*found)
            except UnsupportedPlatformError:
                continue
            yield article, found[0], found[1]


def measure(
    records: Iterable[tuple[Article, Force, Site]], seeds: Sequence[int], per_record: int | None = None
) -> dict[str, Tally]:
    """Per platform, the outcomes of the records' variant pages (``records`` as :func:`located`
    gives them): every seed for every record, or ``per_record`` seeds each, taken from
    ``seeds`` in turn (so that a sample meets many templates of each platform)."""
    tallies: dict[str, Tally] = {}
    turn = 0
    for article, force, site in records:
        if per_record is None:
            chosen: Sequence[int] = seeds
        else:
            chosen = [seeds[(turn + j) % len(seeds)] for j in range(per_record)]
            turn += per_record
        for seed in chosen:
            tallies.setdefault(site.platform, Tally()).add(parse_variant(article, force, site, seed))
    return dict(sorted(tallies.items()))


_COUNTS = ("pages", "makeable", "exact", "identical", "reported", "wrong", "guessed")


def total(tallies: dict[str, Tally]) -> Tally:
    """All platforms' counts together."""
    out = Tally()
    for t in tallies.values():
        for name in _COUNTS:
            setattr(out, name, getattr(out, name) + getattr(t, name))
        out.reasons.update(t.reasons)
        out.wrong_fields.update(t.wrong_fields)
    return out


def table(tallies: dict[str, Tally]) -> str:
    """Per platform: pages, records that can be made whole, exact (share of those; and
    byte-identical), reported, written wrong, written where none can be made (guessed)."""
    rows: list[tuple[str, ...]] = [("platform", *_COUNTS[:3], "share", *_COUNTS[3:])]
    for name, t in [*tallies.items(), ("all", total(tallies))]:
        counts = [str(getattr(t, c)) for c in _COUNTS]
        rows.append((name, *counts[:3], f"{t.share_exact:.1%}", *counts[3:]))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join([r[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(r[1:], widths[1:], strict=True))])
        for r in rows
    )
