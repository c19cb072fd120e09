"""The layered extraction every platform shares, and the normalisation to the five fields.

The real markup of the forces' sites is unknown (PLATFORMS.md), so each field is taken from
what every page is known to carry first (meta tags, ``<title>``, the first ``<h1>``, JSON-LD,
``<time>``), then from the platform's selectors, then from a generic fallback; which layer gave
each field is kept, so ``newscrawler check`` can say when a platform's selectors missed. A
platform module subclasses :class:`Platform` and sets class attributes; nothing here names a
force or a platform.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from parsel import Selector
from parsel.csstranslator import css2xpath
from scrapy.http import TextResponse

from newscrawler.dates import find_time, format_date, parse_date
from newscrawler.forces import Force, Site
from newscrawler.markdown import html_to_markdown
from newscrawler.platforms import generic, pubdate
from newscrawler.record import Article


class Layer(StrEnum):
    """Where a field came from, best first."""

    META = "meta"
    #: The page's structure: the date line next to the headline.
    STRUCTURE = "structure"
    PLATFORM = "platform"
    FALLBACK = "fallback"


class NotAnArticle(Exception):
    """The page is not an article (a listing, an error page served with 200, …)."""


class ExtractionError(Exception):
    """An article page whose record lost a field: reported, never written."""

    def __init__(self, url: str, missing: list[str]) -> None:
        super().__init__(f"{url}: could not extract {', '.join(missing)}")
        self.url = url
        self.missing = missing


@dataclass
class Extraction:
    """What a parser found on a page, before normalisation (also what ``import`` builds from
    an archive record's raw meta)."""

    url: str
    title: str | None = None
    date_text: str | None = None
    description: str | None = None
    body: str = ""
    sources: dict[str, Layer] = field(default_factory=dict)


@dataclass
class Head:
    """A page's ``<meta>`` contents, canonical link, ``<title>`` and JSON-LD, read in one pass
    over the tree: each CSS query walks the whole page, and the meta layer asked ten."""

    #: ``("property=og:url", content)`` for each attribute naming a <meta> with a content,
    #: in document order.
    metas: list[tuple[str, str]] = field(default_factory=list)
    canonical: str | None = None
    title: str | None = None
    json_ld_blocks: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, sel: Selector) -> Head:
        head = cls()
        root = sel.root
        if not hasattr(root, "iter"):
            return head
        for el in root.iter("meta", "link", "title", "script"):
            if el.tag == "meta":
                content = el.get("content")
                if content is not None:
                    head.metas.extend(
                        (f"{attr}={el.get(attr)}", content)
                        for attr in ("property", "name", "itemprop")
                        if el.get(attr) is not None
                    )
            elif el.tag == "link":
                if head.canonical is None and el.get("rel") == "canonical" and el.get("href") is not None:
                    head.canonical = el.get("href")
            elif el.tag == "title":
                if head.title is None and el.text is not None:
                    head.title = el.text
            elif el.get("type") == "application/ld+json" and el.text is not None:
                head.json_ld_blocks.append(el.text)
        return head

    def meta(self, *keys: str) -> str | None:
        """The first content of a <meta> named by any of ``keys``, in document order."""
        return next((content for key, content in self.metas if key in keys), None)

    def json_ld(self, key: str) -> str | None:
        """The first string ``key`` of the page's JSON-LD objects (lists and ``@graph`` read
        through), e.g. ``datePublished``, ``headline``, ``description``."""
        for raw in self.json_ld_blocks:
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            for item in _json_objects(data):
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    return value
        return None


def _json_objects(data: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    """Every JSON object in a JSON-LD value, outermost first (``@graph``, lists, nesting)."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _json_objects(data[key], depth + 1)


_WS = re.compile(r"\s+")
_ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_SPLIT = re.compile(r"\n\n+")
_EMPHASIS = re.compile(r"[*_#>]+")
#: Markdown's escapes ("Jo Smith \- 12 Mar 2020"): the character without its backslash.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def clean_text(value: str | None, keep_nbsp: bool = False) -> str:
    """Entities decoded (twice: some sites double-encode), tags stripped, whitespace collapsed.
    ``keep_nbsp``: non-breaking spaces stay (descriptions keep them, as the archive does)."""
    if not value:
        return ""
    # (Without "&" and "<" there is nothing to decode or strip.)
    text = _TAGS.sub(" ", html.unescape(html.unescape(value))) if "&" in value or "<" in value else value
    if keep_nbsp:
        return _ASCII_WS.sub(" ", text).strip()
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def without_site_name(title: str, site: str) -> str:
    """A <title> without the site's own name (its og:site_name) before or after a separator:
    "Headline - Some Police Service" where the registry knows the force by another name."""
    if not site:
        return title
    name = re.escape(site)
    bare = re.sub(rf"\s*[|\-–—:]\s*{name}\s*$", "", title, flags=re.I)
    bare = re.sub(rf"^\s*{name}\s*[|\-–—:]\s*", "", bare, flags=re.I)
    return bare or title


def without_domain(title: str, url: str) -> str:
    """A <title> without a last part naming the site by its address ("… - CBS News" on
    cbsnews.com, "… — www.wday.ru")."""
    parts = re.split(r"\s+[|\-–—]\s+", title)
    if len(parts) < 2:
        return title
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in _HOST_WORDS and len(label) > 2]
    last = re.sub(r"[\W_]", "", parts[-1]).casefold()
    if len(last) > 2 and any(label in last or last in label for label in labels):
        return title[: title.rfind(parts[-1])].rstrip(" |-–—")
    return title


def is_date_line(block: str, url: str = "") -> bool:
    """A Markdown block that only carries a date (with a time, weekday, labels, a byline)."""
    text = _EMPHASIS.sub(" ", _ESCAPE.sub(r"\1", block) if "\\" in block else block).strip()
    if not text or len(text) > 120 or "\n" in text.strip():
        return False
    return pubdate.date_line(text, url) is not None


class Platform:
    """A news platform: discovery rules and selectors. Subclasses set the class attributes."""

    name: ClassVar[str] = "base"
    #: Path of an article page on the origin (matched against the URL path, after decoding).
    article_path: ClassVar[re.Pattern[str]] = re.compile(r"^/news/.+")
    #: Paths of RSS/Atom feeds and of the first listing pages (format fields: params).
    feed_paths: ClassVar[tuple[str, ...]] = ()
    listing_paths: ClassVar[tuple[str, ...]] = ()
    #: CSS selectors, tried in order after the meta layer (date selectors name elements: a
    #: date inside boilerplate or another article's link is passed over).
    title_selectors: ClassVar[tuple[str, ...]] = ("article h1", "main h1", "h1")
    date_selectors: ClassVar[tuple[str, ...]] = ()
    #: The platform's own <meta> keys for the publication date ("name=govuk:first-published-at"),
    #: read with the standard ones in the meta layer.
    date_metas: ClassVar[tuple[str, ...]] = ()
    #: The platform's own date form, searched in the article text when no selector matched.
    date_pattern: ClassVar[re.Pattern[str] | None] = None
    description_selectors: ClassVar[tuple[str, ...]] = ()
    body_selectors: ClassVar[tuple[str, ...]] = ()
    #: Removed from the body before conversion (boilerplate inside the article container).
    strip_selectors: ClassVar[tuple[str, ...]] = generic.BOILERPLATE
    #: Title affixes to remove, beyond the force's own name (e.g. " - SYP").
    title_affixes: ClassVar[tuple[str, ...]] = ()
    #: Short labels that stand before the date at the top of a body ("News", "Appeals").
    top_labels: ClassVar[frozenset[str]] = frozenset(
        {
            "news",
            "appeal",
            "appeals",
            "wanted",
            "most wanted",
            "press release",
            "press releases",
            "court result",
            "missing",
            "update",
            "latest news",
        }
    )
    #: Whether the publication date may stand inside the text (Devon and Cornwall's
    #: "Release date:" block): then ``date_pattern`` dates the record and the text stays.
    dated_in_text: ClassVar[bool] = False
    #: Whether the body keeps a `# headline` line at its top (some sites' article text
    #: starts with it); otherwise a top `# ` line equal to the title is dropped.
    keep_headline: ClassVar[bool] = True

    def __init__(self, force: Force, site: Site) -> None:
        self.force = force
        self.site = site
        self.origin = site.origin.rstrip("/")
        self._host = urlsplit(self.origin).netloc.lower()
        affixes = [re.escape(force.name), *map(re.escape, self.title_affixes)]
        alternatives = "|".join(affixes)
        self._named_suffix = re.compile(rf"\s*[|\-–—:]\s*(?:{alternatives})\s*$", re.I)
        self._prefix = re.compile(rf"^\s*(?:{alternatives})\s*[|\-–—:]\s*", re.I)
        self._site_name = re.compile(rf"(?:{alternatives})", re.I)

    # ---- discovery -------------------------------------------------------------------
    def _paths(self, templates: Iterable[str]) -> list[str]:
        params = {"force": self.force.slug, **self.site.params}
        return [self.origin + t.format(**params) for t in templates]

    def feed_urls(self) -> list[str]:
        return self._paths(self.feed_paths)

    def listing_urls(self) -> list[str]:
        return self._paths(self.listing_paths)

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc.lower() != self._host or parts.scheme not in ("http", "https"):
            return False
        return bool(self.article_path.search(unquote(parts.path)))

    def archive_prefix(self) -> str:
        """The path every article address of the site starts with: what a web archive's index
        is asked for (``newscrawler backfill``). The literal start of ``article_path`` up to
        its last "/" (a platform may narrow it)."""
        literal = _LITERAL_START.match(self.article_path.pattern)
        start = literal.group(1) if literal else ""
        return start[: start.rfind("/") + 1] or "/"

    def article_links(self, response: Any) -> list[tuple[str, date | None]]:
        """Article links on a listing page, with the date shown next to each when there is
        one (so paging can stop once past --since). Recognised by URL pattern, not class."""
        seen: dict[str, date | None] = {}
        for a in response.css("a[href]"):
            try:
                url = self.canonical_link(urljoin(response.url, a.attrib["href"]))
                if not self.is_article_url(url) or url in seen:
                    continue
            except ValueError:  # a malformed href ("http://[x") skips that link only
                continue
            container = a.xpath("ancestor::*[self::li or self::article or self::div][1]")
            text = " ".join(container.css("*::text").getall()) if container else ""
            seen[url] = parse_date(text)
        return list(seen.items())

    def next_pages(self, response: Any) -> list[str]:
        """Pagination: rel=next first, then links that only change a page number."""
        urls = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').getall()
        if not urls:
            here = urlsplit(response.url)
            for href in response.css("a[href]::attr(href)").getall():
                try:
                    u = urlsplit(urljoin(response.url, href))
                except ValueError:
                    continue
                if u.path == here.path and re.search(r"(?:^|&)(?:page|p|pg)=\d+", u.query):
                    urls.append(href)
        return [_join(response.url, u) for u in urls if _join(response.url, u)]

    def canonical_link(self, url: str) -> str:
        """A link as the force's own address: fragment and tracking parameters dropped, and
        percent-encoded non-ASCII letters shown as letters (``Dad’s``, as the sites write
        them in their links and the archive keeps them), whichever form was fetched."""
        parts = urlsplit(url)
        query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith(_TRACKING))
        path, query = _NON_ASCII_ESCAPES.sub(_decode, parts.path), _NON_ASCII_ESCAPES.sub(_decode, query)
        return urlunsplit((parts.scheme, parts.netloc, path, query, ""))

    # ---- extraction ------------------------------------------------------------------
    def extract(self, response: TextResponse) -> Extraction:
        """Fields of an article page (raises NotAnArticle for other pages)."""
        # A plain parsel Selector, not Scrapy's subclass, which records every selector object
        # it makes (trackref): an extraction makes some 35 of them (+23% pages/s, BENCHMARKS.md).
        sel = Selector(text=response.text, type="html", base_url=response.url)
        head = Head.read(sel)
        url = self.article_url(head, response.url)
        if not self.is_article_url(url):
            raise NotAnArticle(f"not an article address: {url}")
        ex = Extraction(url=url)
        self._title(sel, head, ex)
        headline = self.headline_text(ex.title)
        headline_el = pubdate.headline_element(sel.root, headline)
        self._date(sel, head, ex, headline_el)
        self._description(sel, head, ex)
        self._body(sel, ex, headline)
        if not ex.body and not ex.title:
            raise NotAnArticle(f"no article content: {url}")
        return ex

    def headline_text(self, title: str | None) -> str:
        """The headline as the page's heading shows it (the title without site affixes)."""
        return self.clean_title(title) if title else ""

    def article_url(self, head: Head, fetched: str) -> str:
        """og:url or canonical when it is an article address of this site, else the fetched
        URL (PLATFORMS.md: they are not always right)."""
        for candidate in (head.meta("property=og:url"), head.canonical):
            joined = _join(fetched, unquote(candidate.strip())) if candidate else ""
            if joined:
                url = self.canonical_link(joined)
                if self.is_article_url(url):
                    return url
        return self.canonical_link(fetched)

    @staticmethod
    def _texts(sel: Selector, css: str) -> list[str]:
        """Text of each match: an attribute or ::text as selected, else the element's text."""
        found = _select(sel, css)
        if "::" in css:
            return [t for t in map(clean_text, found) if t]
        return [t for t in (clean_text(el.text_content()) for el in found) if t]

    def _first(self, sel: Selector, selectors: Iterable[str]) -> str | None:
        for css in selectors:
            values = self._texts(sel, css)
            if values:
                return values[0]
        return None

    def _title(self, sel: Selector, head: Head, ex: Extraction) -> list[str]:
        """The <h1> headline confirmed by the page's other statements of it (og:title,
        twitter:title, JSON-LD headline, <title> with or without the site's affixes); else
        <title> (its affixes go in normalise), og:title, or the first <h1>, in that order.
        Returns the headlines the title selectors found, so a subclass does not query them
        again."""
        og = clean_text(head.meta("property=og:title"))
        page = without_site_name(clean_text(head.title), clean_text(head.meta("property=og:site_name")))
        bare = self.clean_title(page) if page else ""
        confirmers = {
            og,
            clean_text(head.meta("name=twitter:title", "property=twitter:title")),
            clean_text(head.json_ld("headline")),
            bare,
        } - {""}
        # A heading that only names the site is its logo (some templates put it in the <h1>).
        headlines = [
            h
            for css in self.title_selectors
            for h in self._texts(sel, css)
            if not self._site_name.fullmatch(h)
        ]
        # A <title> cut short ("Six charged with drugs offences following raids in London
        # and... - Metropolitan Police") confirms the headline it begins.
        cut = bare[:-1] if bare.endswith("…") else bare[:-3] if bare.endswith("...") else ""
        for headline in headlines:
            if (
                headline in confirmers
                or (page and page.startswith(headline))
                or (cut and headline.startswith(cut.rstrip()))
            ):
                ex.title, ex.sources["title"] = headline, Layer.META
                return headlines
        # The <h1> is the site's logo on some templates, and the headline a lower heading
        # (which a <title> cut short, or written twice, "Headline Headline", confirms too).
        for css in ("h2", "h3"):
            for heading in self._texts(sel, css):
                if (
                    heading in confirmers
                    or page == f"{heading} {heading}"
                    or (cut and heading.startswith(cut.rstrip()))
                ):
                    ex.title, ex.sources["title"] = heading, Layer.META
                    return headlines
        # Unconfirmed: the page's one <h1> (as trafilatura and readability take it: <title>
        # is often written for search engines), else <title> without the site's name.
        h1 = {h for h in self._texts(sel, "h1") if not self._site_name.fullmatch(h)}
        if len(h1) == 1:
            ex.title, ex.sources["title"] = h1.pop(), Layer.STRUCTURE
        elif page and not cut:
            ex.title, ex.sources["title"] = without_domain(page, ex.url), Layer.META
        elif og:
            ex.title, ex.sources["title"] = og, Layer.META
        elif headlines:
            ex.title, ex.sources["title"] = headlines[0], Layer.FALLBACK
        return headlines

    def _date(self, sel: Selector, head: Head, ex: Extraction, headline: Any = None) -> None:
        """The publication date: the page's metadata, else the date line next to the headline
        (``pubdate``), else the platform's selectors outside boilerplate and other articles'
        links. Nothing else: a date from a sidebar would be a wrong record."""
        meta = head.meta(
            "property=article:published_time",
            "name=article:published_time",
            "itemprop=datePublished",
            "name=date",
            "name=dc.date.issued",
            "name=DC.date.issued",
            "name=dcterms.created",
            *self.date_metas,
        ) or head.json_ld("datePublished")
        if not meta:
            meta = next(iter(_select(sel, "[itemprop=datePublished]::attr(datetime)")), None)
        if meta and parse_date(meta, ex.url):
            ex.date_text, ex.sources["date"] = meta.strip(), Layer.META
            return
        if headline is not None:
            found = pubdate.near_headline(sel.root, headline, ex.url)
            if found:
                ex.date_text, ex.sources["date"] = found, Layer.STRUCTURE
                return
        for css in self.date_selectors:
            for el in _select(sel, css):
                if pubdate.belongs_to_article(el) and not pubdate.is_update(el):
                    value = clean_text(el.text_content())
                    if parse_date(value, ex.url):
                        ex.date_text, ex.sources["date"] = value, Layer.PLATFORM
                        return
        if self.date_pattern is not None:
            line = pubdate.platform_date_line(sel.root, headline, ex.url, self.date_pattern)
            if line and parse_date(line, ex.url):
                ex.date_text, ex.sources["date"] = line, Layer.PLATFORM

    def _description(self, sel: Selector, head: Head, ex: Extraction) -> None:
        for value in (
            head.meta("property=og:description"),
            head.meta("name=description"),
            head.meta("name=twitter:description", "property=twitter:description"),
            head.json_ld("description"),
        ):
            if value and value.strip():
                ex.description, ex.sources["description"] = value, Layer.META
                return
        value = self._first(sel, self.description_selectors)
        if value:
            ex.description, ex.sources["description"] = value, Layer.PLATFORM

    def _body(self, sel: Selector, ex: Extraction, headline: str = "") -> None:
        """The article text: the platform's body container, else ``itemprop=articleBody``,
        else the text block of the page's one <article> or <main>, else the generic main
        text; whichever it is, what stands before the headline in it is not article text."""
        for css in self.body_selectors:
            nodes = _outermost(sel.css(css))
            if nodes:
                ex.body = self.to_markdown([after_headline(n, headline) for n in nodes])
                if ex.body:
                    ex.sources["body"] = Layer.PLATFORM
                    return
        nodes = sel.css('[itemprop="articleBody"]')
        if len(nodes) == 1:
            ex.body = self.to_markdown(after_headline(nodes[0], headline))
            if ex.body:
                ex.sources["body"] = Layer.META
                return
        skip = clean_text(ex.description)
        for css in ("article", "main", '[role="main"]'):
            nodes = sel.css(css)
            if len(nodes) == 1:
                ex.body = self.to_markdown(text_container(nodes[0], skip, headline))
                if ex.body:
                    ex.sources["body"] = Layer.META
                    return
        node: Selector | None
        page = sel.css("body")
        mark = _headline_in(page[0].root, headline) if page else None
        if mark is not None and mark.getparent() is not page[0].root:
            # The article is found from the headline, in whatever holds it: the densest block
            # may be a box beside a short article. (A headline straight in <body> has no
            # container to find: the densest block it is.)
            node = page[0]
        else:
            node = generic.main_content(sel)
        if node is not None:
            ex.body = self.to_markdown(text_container(node, skip, headline))
            if ex.body:
                ex.sources["body"] = Layer.FALLBACK

    def to_markdown(self, nodes: Any) -> str:
        """The article container(s) as Markdown, boilerplate removed."""
        return html_to_markdown(generic.clean_html(nodes, self.strip_selectors))

    # ---- normalisation ---------------------------------------------------------------
    def clean_title(self, title: str) -> str:
        """The bare headline: no " | Force" suffix or "Force - " prefix."""
        title = clean_text(title)
        stripped = self._named_suffix.sub("", title)
        stripped = self._prefix.sub("", stripped)
        # "Headline |" with an empty site name (Dorset), or "Headline | Any Police" suffixes.
        if "|" in stripped:  # (most titles have none left: the patterns are not tried)
            stripped = re.sub(r"\s*\|\s*$", "", stripped)
            stripped = re.sub(r"\s+\|\s+[^|]*(?:Police|Constabulary|Service)[^|]*$", "", stripped, flags=re.I)
        return stripped or title

    def strip_date_blocks(self, body: str, url: str, title: str = "") -> tuple[str, date | None]:
        """Remove the date/dateline blocks at the top of a body (after a `# headline` too) and
        a date footer; returns the body and the first date found in them."""
        blocks = _BLOCK_SPLIT.split(body) if body else []
        found: date | None = None
        start = 1 if blocks and blocks[0].startswith("# ") else 0
        i = start
        removed_any = False
        while i < len(blocks) and i < start + 4:
            block = blocks[i]
            plain = _EMPHASIS.sub(" ", block).strip().lower()
            if is_date_line(block, url):
                found = found or _published(block, url)
                del blocks[i]
                removed_any = True
                continue
            if (self.is_top_noise(block, plain) or _is_label(plain)) and i + 1 < len(blocks):
                nxt = blocks[i + 1]
                if is_date_line(nxt, url) or self.is_top_noise(nxt, _EMPHASIS.sub(" ", nxt).strip().lower()):
                    del blocks[i]
                    continue
            if removed_any and plain in ("", "* * *"):
                del blocks[i]
                continue
            break
        if blocks and len(blocks) > 1 and is_date_line(blocks[-1], url):
            footer = _published(blocks.pop(), url)
            found = found or footer
        if (
            not self.keep_headline
            and blocks
            and blocks[0].startswith("# ")
            and clean_text(blocks[0][2:]) == title
        ):
            blocks.pop(0)
        return "\n\n".join(blocks), found

    def is_top_noise(self, block: str, plain: str) -> bool:
        """Category labels and "Last modified:" lines standing at the top of a body."""
        return plain in self.top_labels or plain.startswith("last modified:")

    def description_from_body(self, body: str) -> str:
        """The first non-empty paragraph of the body, as text."""
        for block in _BLOCK_SPLIT.split(body):
            if block.startswith("#") or is_date_line(block):
                continue
            text = clean_text(_EMPHASIS.sub(" ", block).replace("\\", ""))
            if text:
                return text
        return ""

    def normalise(self, ex: Extraction) -> Article:
        """The five-field record, or ExtractionError naming what could not be found."""
        title = self.clean_title(ex.title or "")
        body, body_date = self.strip_date_blocks(ex.body, ex.url, title)
        published = parse_date(ex.date_text, ex.url) if ex.date_text else None
        found_on_page = ex.sources.get("date") in (Layer.STRUCTURE, Layer.PLATFORM)
        if published and found_on_page and _inside(body, ex.date_text):
            # The date line found stands between paragraphs of the text (an earlier article's
            # date in an update, a video's date under its title): not the page's dateline.
            published = None
        # The time only from the text that gave the date: a time elsewhere may be anything.
        clock = find_time(ex.date_text) if published else None
        published = published or body_date
        if published is None and self.dated_in_text and self.date_pattern is not None:
            m = self.date_pattern.search(body)
            published = parse_date(m.group(0), ex.url) if m else None
        description = clean_text(ex.description, keep_nbsp=True) or self.description_from_body(body)
        missing = [
            name
            for name, value in (
                ("title", title),
                ("publish.date", published),
                ("og.description", description),
                ("body", body),
            )
            if not value
        ]
        if missing or published is None:
            raise ExtractionError(ex.url, missing)
        return Article.build(
            area=self.force.area,
            title=title,
            # The address as the crawler writes it (an archive's "…-418381#related" too).
            url=self.canonical_link(ex.url),
            description=description,
            published=format_date(published),
            body=body,
            force=self.force.slug,
            time=clock,
        )

    def parse(self, response: TextResponse) -> Article:
        """Response → record: extract, then normalise."""
        return self.normalise(self.extract(response))


_TEXT_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")
#: Address labels that name no site.
_HOST_WORDS = frozenset({"www", "com", "org", "net", "gov", "police", "news"})
_BOX_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_NO_DESCENT = frozenset({*_TEXT_BLOCKS, "ul", "ol", "dl", "table", "tbody", "tr"})


def _inside(body: str, date_text: str | None) -> bool:
    """Whether the line ``date_text`` is one of the body's blocks between its first and its
    last (what the top and the end of a body hold, ``strip_date_blocks`` has taken)."""
    line = clean_text(date_text)
    blocks = _BLOCK_SPLIT.split(body)
    # A block that reads as the line holds each of its words as written, unless an entity
    # spells one: the others are passed over without cleaning them.
    words = line.split()
    return bool(line) and any(
        clean_text(_EMPHASIS.sub(" ", b)).strip("# ") == line
        for b in blocks[1:-1]
        if "&" in b or all(w in b for w in words)
    )


def _published(block: str, url: str) -> date | None:
    """The publication date of a Markdown date line (None for "Last modified: …")."""
    found = pubdate.published(_EMPHASIS.sub(" ", block), url)
    return found.value if found else None


def _join(base: str, href: str) -> str:
    """``urljoin``, or "" for a malformed href."""
    try:
        return urljoin(base, href)
    except ValueError:
        return ""


def _is_label(plain: str) -> bool:
    """A few words with no sentence in them ("News Safer Neighbourhood"): a category label
    when a date line follows it at the top of a body."""
    return 0 < len(plain.split()) <= 4 and not re.search(r"[.!?:;,]", plain)


def _outermost(nodes: Any) -> list[Selector]:
    """Matches not inside another match (``[class*=body]`` can match a wrapper and the body
    in it; the text must come once)."""
    roots = {n.root for n in nodes}
    return [n for n in nodes if not any(a in roots for a in n.root.iterancestors())]


def _headline_in(root: Any, headline: str) -> Any | None:
    """The heading inside ``root`` (not ``root`` itself) that shows the headline: the page's
    first such heading (a video's title repeating the headline further down is not it)."""
    if not headline or not hasattr(root, "iter"):
        return None
    for el in root.getroottree().getroot().iter("h1", "h2", "h3"):
        if " ".join(el.text_content().split()) == headline:
            return el if el is not root and root in el.iterancestors() else None
    return None


def after_headline(node: Selector, headline: str) -> Selector:
    """A container without the headline and what stands before it (a sidebar, breadcrumbs
    and labels inside a wrapper that also holds the text); the node itself when the headline
    is not in it."""
    root = node.root
    mark = _headline_in(root, headline)
    if mark is None:
        return node
    index_path = []
    el = mark
    while el is not root:
        parent = el.getparent()
        index_path.append(parent.index(el))
        el = parent
    el = copy_root = copy.deepcopy(root)
    for i in reversed(index_path):
        child = el[i]
        for before in list(el)[:i]:
            el.remove(before)
        el.text = None
        el = child
    el.getparent().remove(el)
    return Selector(root=copy_root)


def text_container(
    node: Selector, standfirst: str = "", headline: str = "", shortest: int = 25, by_class: bool = True
) -> Selector:
    """Within an article container, the element holding its text. First the article itself:
    the nearest ancestor of the headline that holds half the text following the headline (a
    sign-up box or a list beside the article stays out), from the headline on. Then descend
    while one child holds nine tenths of the paragraph text, or all of its prose (paragraphs
    of 80 characters and more), so the date, a standfirst (a paragraph repeating the
    description), share bars and other articles' lists beside the text stay out. Other
    articles' entries (mostly a link, or a link and a date), date lines, copyright and cookie
    notices, boilerplate, a text's copies but its last, and blocks under ``shortest``
    characters weigh nothing; where then nothing weighs, the longest line there is does (a
    one-line article: "The appeal has now ended")."""

    given = node
    texts: dict[Any, str] = {}
    words: dict[Any, str] = {}
    mark = _headline_in(node.root, headline)

    def plain(block: Any) -> str:
        """A block's text, unless it is another article's entry, a date line, a site's
        notice, a list of links' label ("Tell others") or inside boilerplate (worked out once
        per block)."""
        if block not in texts:
            value = " ".join(block.text_content().split())
            noise = (
                len(value) < 3
                or is_date_line(value)
                or _is_site_notice(value)
                or _is_entry(block, value)
                or _labels_links(block)
                or pubdate.in_boilerplate(block, by_class)
            )
            texts[block] = "" if noise else value
            words[block] = _words(texts[block])
        return texts[block]

    def text(block: Any) -> str:
        """A block's text when it can weigh: not noise, not short."""
        value = plain(block)
        return value if len(value) >= shortest else ""

    def shorter(candidates: Iterable[Any]) -> Selector | None:
        """The text container found with the longest of ``candidates`` (all short) weighing."""
        longest = max((len(plain(b)) for b in candidates), default=0)
        if 0 < longest < shortest:
            return text_container(given, standfirst, headline, longest, by_class)
        return None

    boxes: dict[Any, bool] = {}

    def in_box(block: Any) -> bool:
        """Whether a block is in a small box of its own heading ("Get alerts", "Upcoming
        events") apart from the headline's: such boxes do not count in finding the article,
        whose text may be as short as theirs."""
        for el in block.iterancestors():
            if el not in boxes:
                first = next((c for c in el if isinstance(c.tag, str)), None)
                boxes[el] = (
                    first is not None
                    and first.tag in _BOX_HEADINGS
                    and len(el.text_content()) < 300
                    and (mark is None or mark not in el.iterdescendants())
                )
            if boxes[el]:
                return True
        return False

    # A text shown twice (a standfirst above the body that repeats its first paragraph) weighs
    # only where it is shown last, so the copy inside the body's container is the one kept.
    # Copies are told by their words alone: the body's may carry marks the standfirst has not
    # ("#Hull" against "Hull").
    # A standfirst made of the first paragraphs (or list items) joined is their copy too.
    last: dict[str, Any] = {}
    repeated: set[Any] = set()

    def weigh(root: Any) -> list[Any]:
        """The blocks of ``root`` that weigh, in document order."""
        shown = [b for b in root.iter(*_TEXT_BLOCKS) if plain(b)]  # short ones too ("Pictured: …")
        blocks = [b for b in shown if text(b)]
        last.update((words[b], b) for b in blocks)
        repeated.update(_repeated_later(shown, words))
        return blocks

    def weight(el: Any, counted: Callable[[Any], bool]) -> tuple[int, int]:
        total = prose = 0
        for block in el.iter(*_TEXT_BLOCKS):
            value = text(block)
            if value and last[words[block]] is block and block not in repeated and counted(block):
                total += len(value)
                prose += len(value) if len(value) >= 80 else 0
        return total, prose

    blocks = weigh(node.root)
    if mark is not None:
        # The article is found among the text after the headline (a cookie notice or a list
        # before it is not the article's), boxes aside unless there is nothing else.
        after: set[Any] = set()
        el = mark
        while el is not node.root:
            after.update(b for sibling in el.itersiblings() for b in sibling.iter(*_TEXT_BLOCKS))
            el = el.getparent()
        if by_class and not any(plain(b) for b in after):
            # Nothing after the headline but what class words call boilerplate: a layout class
            # ("gem-print-columns-none") around a short text. Tags and roles alone judge then.
            return text_container(given, standfirst, headline, shortest, by_class=False)
        unboxed = {b for b in blocks if b in after and not in_box(b)}
        if not unboxed and (found := shorter(b for b in after if not in_box(b))):
            return found
        unboxed = unboxed or after
        whole = weight(node.root, unboxed.__contains__)[0]
        article = mark.getparent()
        while article is not node.root:
            held = weight(article, unboxed.__contains__)[0]
            # Half the text, or a section (an article by its microdata) holding the headline and
            # text after it: the article.
            if held >= 0.5 * whole or (held and _is_article_element(article)):
                break
            article = article.getparent()
        node = after_headline(Selector(root=article), headline)
        blocks = weigh(node.root)
    # The description shown once weighs nothing here (a standfirst above the body), unless the
    # rest is no prose and shorter than it (a one-line article, or a text that is its own
    # description beside a contacts box).
    shown = Counter(words[b] for b in blocks)
    standfirst = _words(standfirst)
    besides = [len(texts[b]) for b in blocks if words[b] != standfirst]
    text_besides = any(n >= 80 for n in besides) or sum(besides) >= len(standfirst)
    skip = {standfirst} if shown[standfirst] == 1 and text_besides else set()

    def counted(block: Any) -> bool:
        return words[block] not in skip

    el = node.root
    total, prose = weight(el, counted)
    if not total and mark is None and (found := shorter(el.iter(*_TEXT_BLOCKS))):
        return found
    while total:
        children = [c for c in el if isinstance(c.tag, str) and c.tag not in _NO_DESCENT]
        weights = [(weight(c, counted), c) for c in children]
        if not weights:
            break
        (best_total, best_prose), best = max(weights, key=lambda w: w[0])
        if best_total < 0.9 * total and not (prose and best_prose == prose):
            break
        el = best
    return node if el is node.root else Selector(root=el)


def _repeated_later(blocks: list[Any], words: dict[Any, str]) -> list[Any]:
    """The paragraphs (80 characters and more) whose words whole blocks after them repeat,
    one or several in a row: a standfirst joining the first paragraphs of the text."""
    leaves = [b for b in blocks if next(b.iterdescendants(*_TEXT_BLOCKS), None) is None]
    joined = " ".join(words[b] for b in leaves)
    starts, ends, offset = [], [], 0
    for block in leaves:
        starts.append(offset)
        offset += len(words[block])
        ends.append(offset)
        offset += 1
    bounds = set(starts), set(ends)
    found = []
    for block, end in zip(leaves, ends, strict=True):
        text = words[block]
        if len(text) < 80:
            continue
        at = joined.find(text, end)
        while at != -1 and not (at in bounds[0] and at + len(text) in bounds[1]):
            at = joined.find(text, at + 1)
        if at != -1:
            found.append(block)
    return found


def _labels_links(block: Any) -> bool:
    """A block followed by a list whose every item is a link: that list's label ("Share this",
    "Related")."""
    after = block.getnext()
    while after is not None and not isinstance(after.tag, str):
        after = after.getnext()
    if after is None or after.tag not in ("ul", "ol"):
        return False
    items = [li for li in after if li.tag == "li"]
    return bool(items) and all(next(li.iter("a"), None) is not None for li in items)


def _is_article_element(el: Any) -> bool:
    """A <section> or <article>, or an element typed as an article by its microdata."""
    return el.tag in ("section", "article") or bool(_ARTICLE_TYPE.search(el.get("itemtype") or ""))


_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Report\b")
_SITE_NOTICE = re.compile(r"^(?:©|\(c\)|copyright\b)|\bcookies\b", re.I)


def _is_site_notice(text: str) -> bool:
    """A footer's copyright line or a cookie notice: the site's, never the article's."""
    return len(text) < 200 and bool(_SITE_NOTICE.search(text))


def _words(text: str) -> str:
    """A text's words, lower-cased: what two copies of a paragraph share whatever their marks."""
    return " ".join(_WORD.findall(text.lower()))


_WORD = re.compile(r"[^\W_]+")


def _is_entry(block: Any, value: str) -> bool:
    """Another article's entry in a list: a block whose text is mostly a link's, or a link
    and a date ("Officers seize drugs in warrant Monday 17 August 2020 at 09:45")."""
    links = [" ".join(a.text_content().split()) for a in block.iter("a")]
    linked = sum(map(len, links))
    if not linked or linked * 2 > len(value):
        return bool(linked)
    rest = value
    for link in links:
        rest = rest.replace(link, " ", 1)
    return is_date_line(rest)


#: The start of a pattern up to its first regular-expression syntax (``^`` aside).
_LITERAL_START = re.compile(r"\^?([^\\\[\](){}.*+?^$|]*)")

#: Query parameters that only say where a visitor came from: never part of an address.
_TRACKING = ("utm_", "fbclid=", "gclid=", "msclkid=", "mc_cid=", "mc_eid=", "_ga=", "_gl=")
_NON_ASCII_ESCAPES = re.compile(r"(?:%[89a-fA-F][0-9a-fA-F])+")


def _select(sel: Selector, css: str) -> list[Any]:
    """A CSS query's matches straight from lxml (strings for ``::text`` and ``::attr()``):
    parsel's ``css()`` would wrap each one in a Selector, and the date and title layers read
    every text node of an article. A query of tag names only ("h1", "article h1": the title
    layer's) is lxml's own walk of the tree, a third of an XPath query's time."""
    tags = _TAG_QUERY.fullmatch(css)
    if tags:
        outer, inner = tags.groups() if tags.group(2) else (None, tags.group(1))
        root = sel.root
        return [el for el in root.iter(inner) if outer is None or _has_ancestor(el, outer, root)]
    return list(sel.root.xpath(css2xpath(css), namespaces=sel.namespaces, smart_strings=False))


#: A CSS query of one tag name, or two (the second inside the first).
_TAG_QUERY = re.compile(r"([a-z][a-z0-9]*)(?:\s+([a-z][a-z0-9]*))?")


def _has_ancestor(el: Any, tag: str, root: Any) -> bool:
    """Whether ``el`` stands inside a ``tag`` element that is ``root`` or inside it."""
    for a in el.iterancestors():
        if a.tag == tag:
            return True
        if a is root:
            return False
    return False


def _decode(match: re.Match[str]) -> str:
    try:
        return unquote(match.group(0), errors="strict")
    except UnicodeDecodeError:
        return match.group(0)
