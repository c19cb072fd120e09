"""The one spider: discovery per platform (feeds, listings with pagination, sitemaps named by
robots.txt), bounded by --since/--until, each article fetched once per run, pages fetched
through mirrors while records keep the force's own URLs.

``scrapy crawl police -a forces=kent,essex -a since=2024-01-01``
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from newscrawler.dates import parse_cli_date, parse_date
from newscrawler.failures import LASTING, describe, failure_reason
from newscrawler.forces import Force, Site, registry
from newscrawler.items import ArticleItem
from newscrawler.mirrors import Mirrors
from newscrawler.platforms import PLATFORMS, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle, Platform
from newscrawler.record import UrlSet
from newscrawler.runs import Incremental

log = logging.getLogger("newscrawler")

#: Links to files, not pages: never fetched as articles.
_FILE_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".ppt", ".pptx", ".odt", ".rtf", ".zip",
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".mov", ".avi", ".wav",
)  # fmt: skip

# RSS and sitemaps are parsed without entity expansion or network access (billion laughs,
# external entities): a hostile feed is refused, not obeyed.
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=True, load_dtd=False
)


def _feed_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        return parse_date(text)


def article_page(response: Response) -> HtmlResponse | None:
    """An article's response as its parser reads it: HTML also when labelled XML or text;
    None when it is not text at all (also used by ``newscrawler reparse``)."""
    if not isinstance(response, TextResponse):
        return None
    return response if isinstance(response, HtmlResponse) else response.replace(cls=HtmlResponse)


class PoliceSpider(Spider):
    name = "police"
    #: What the state knows (set in from_crawler): which articles to skip or revisit.
    incremental: Incremental

    def __init__(
        self,
        forces: str = "",
        since: str | None = None,
        until: str | None = None,
        max_articles: str | int | None = None,
        all: str | bool = False,
        urls: str | list[str] = "",
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        reg = registry()
        #: One-off scrapes: just these article URLs (``newscrawler scrape``).
        self.urls = urls.split() if isinstance(urls, str) else list(urls)
        if self.urls:
            self.forces: list[Force] = []
            for url in self.urls:
                found = reg.for_url(url)
                if found is None:
                    raise ValueError(f"no force has a site at {url}")
                if found[0] not in self.forces:
                    self.forces.append(found[0])
        elif all in (True, "1", "true", "yes"):
            self.forces = list(reg)
        else:
            self.forces = reg.resolve([forces]) if forces else []
        if not self.forces:
            raise ValueError("no forces to crawl: give forces=slug,slug or all=1")
        self.since = parse_cli_date(since) if since else None
        self.until = parse_cli_date(until) if until else None
        self.max_articles = int(max_articles) if max_articles else None
        self.platforms: dict[str, Platform] = {}
        self.scheduled: Counter[str] = Counter()
        self.seen = UrlSet()  # article urls requested this run
        #: Listing pages asked for, and per site how many listings are still being paged.
        self.listed: set[str] = set()
        self.paging: Counter[str] = Counter()
        #: Article links the listing pages read this run have shown: a page showing none
        #: other (empty, or the last page served again for any number past it) ends its
        #: listing, whatever its pagination links say.
        self.shown = UrlSet()
        self.first_error: dict[str, str] = {}
        #: The first listing, feed or sitemap per force that was not there (HTTP 404 / 410).
        self.first_missing: dict[str, str] = {}
        self.mirrors = Mirrors()
        self.max_listing_pages = 1000

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PoliceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.mirrors = Mirrors(crawler.settings.getdict("NEWSCRAWLER_MIRRORS"))
        spider.max_listing_pages = crawler.settings.getint("NEWSCRAWLER_MAX_PAGES_PER_LISTING")
        spider.incremental = Incremental.for_crawler(crawler)
        return spider

    # ---- which sites ----------------------------------------------------------------------
    def _choose_sites(self) -> None:
        """The live site of each force, plus earlier sites a mirror is given for. When mirrors
        are given, only mirrored sites are fetched: a replica or web-archive run never
        reaches a live site by accident."""
        for force in self.forces:
            for site in force.sites:
                mirrored = self.mirrors.covers(site.origin)
                if self.mirrors and not mirrored:
                    continue
                if self.urls:
                    if not any(force.site_for_url(u) == site for u in self.urls):
                        continue
                elif not self.mirrors and not site.live:
                    continue
                self._add_site(force, site)
        if not self.platforms:
            log.error("nothing to crawl: no supported (or mirrored) site for the forces given")

    def _add_site(self, force: Force, site: Site) -> Platform | None:
        """The site's platform, now one of the crawl's; None (warned, counted) when there is
        no parser for it yet."""
        if site.platform not in PLATFORMS:
            log.warning("%s: no parser yet for %s (%s)", force.slug, site.platform, site.origin)
            self.crawler.stats.inc_value(f"newscrawler/{force.slug}/unsupported")
            return None
        platform = platform_for(force, site)
        self.platforms[self._key(platform)] = platform
        return platform

    # ---- requests -------------------------------------------------------------------------
    def _request(
        self, url: str, platform: Platform, callback: Any, *, fetch: str | None = None, **meta: Any
    ) -> Request:
        """A request for a force's ``url``, fetched from its mirror, or from ``fetch`` (an
        archive's snapshot of it)."""
        return Request(
            fetch or self.mirrors.to_fetch(url),
            callback=callback,
            errback=self.on_error,
            meta={
                "platform": self._key(platform),
                "force": platform.force.slug,
                "origin_url": url,
                # article, listing, feed, sitemap or robots: kept with the raw page (warc.py)
                "kind": callback.__name__.removeprefix("parse_"),
                **meta,
            },
            # Listing pages are asked for once by `listed`, and each must reach parse_listing
            # or on_error to end its listing; articles once by `seen`, and each must reach
            # parse_article or on_error for the state to remember its link (Scrapy's duplicate
            # filter would drop a link redirected to an address asked for already, and the
            # next run would fetch it again). A next listing page waits for the articles found
            # before it, so the queue holds a page of articles per listing, not a whole site.
            dont_filter=callback in (self.parse_listing, self.parse_article),
            priority=-1 if callback == self.parse_listing else 0,
        )

    @property
    def origins(self) -> set[str]:
        """The sites this run reads (the only ones middlewares.SiteGuardMiddleware lets a
        request go to, through their mirrors when mirrors are given)."""
        return {platform.origin for platform in self.platforms.values()}

    @staticmethod
    def _key(platform: Platform) -> str:
        return f"{platform.force.slug} {platform.site.origin}"

    def _platform(self, response: Response) -> Platform:
        return self.platforms[response.meta["platform"]]

    def _origin_response(self, response: Response) -> Response:
        """The response as if fetched from the force's own site."""
        url = self.mirrors.to_origin(response.url)
        return response if url == response.url else response.replace(url=url)

    def _count(self, platform: Platform, what: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawler/{platform.force.slug}/{what}", n)

    async def start(self) -> AsyncIterator[Request]:
        self._choose_sites()
        if self.urls:
            reg = registry()
            for url in self.urls:
                found = reg.for_url(url)
                key = f"{found[0].slug} {found[1].origin}" if found else ""
                if key in self.platforms:
                    yield self._request(url, self.platforms[key], self.parse_article)
            return
        for platform in self.platforms.values():
            slug = platform.force.slug
            for url, retry in [
                *((u, False) for u in self.incremental.revisits(slug)),
                *((u, True) for u in self.incremental.retries(slug)),
            ]:
                if platform.force.site_for_url(url) == platform.site and url not in self.seen:
                    self.seen.add(url)
                    yield self._request(url, platform, self.parse_article, retry=retry)
            for url in platform.feed_urls():
                yield self._request(url, platform, self.parse_feed)
            for url in platform.listing_urls():
                if url not in self.listed:
                    self.listed.add(url)
                    self.paging[self._key(platform)] += 1
                    yield self._request(url, platform, self.parse_listing, page=1)
            if not self.paging[self._key(platform)]:
                for request in self._sitemaps(platform):
                    yield request

    def _sitemaps(self, platform: Platform) -> Iterable[Request]:
        """robots.txt, for its sitemaps: asked for once the site's listings are read (or at
        once when it has none), so they add only what the listings did not show instead of
        queueing every article of the site at the start."""
        if self.incremental.needs_sitemaps(platform.force.slug):
            yield self._request(platform.origin + "/robots.txt", platform, self.parse_robots)

    def _listing_done(self, platform: Platform) -> Iterable[Request]:
        """One listing of the site read to its end (or given up): the sitemaps come after
        the last."""
        key = self._key(platform)
        self.paging[key] -= 1
        if not self.paging[key]:
            yield from self._sitemaps(platform)

    def in_range(self, value: date | None) -> bool:
        if value is None:
            return True
        return not (self.since and value < self.since) and not (self.until and value > self.until)

    def _articles(self, platform: Platform, links: Iterable[tuple[str, date | None]]) -> Iterable[Request]:
        slug = platform.force.slug
        for url, when in links:
            if (
                url in self.seen
                or not self.in_range(when)
                or urlsplit(url).path.lower().endswith(_FILE_SUFFIXES)
            ):
                continue
            if not self.incremental.wants(url, slug):
                continue
            if self.max_articles is not None and self.scheduled[slug] >= self.max_articles:
                return
            self.seen.add(url)
            self.scheduled[slug] += 1
            yield self._request(url, platform, self.parse_article)

    # ---- discovery ------------------------------------------------------------------------
    def _xml(self, platform: Platform, response: Response, kind: str) -> Any:
        """A feed or sitemap parsed safely (no entity expansion, no network), or None: the
        crawl goes on with the listings."""
        self._count(platform, "pages")
        try:
            root = etree.fromstring(response.body, parser=_XML_PARSER)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            log.warning("%s: %s %s is not XML; listings are used", platform.force.slug, kind, response.url)
        return root

    def parse_feed(self, response: Response) -> Iterable[Request]:
        platform = self._platform(response)
        root = self._xml(platform, response, "feed")
        if root is None:
            return
        links: list[tuple[str, date | None]] = []
        for item in root.iter("{*}item", "{*}entry"):
            try:
                link = item.findtext("{*}link") or ""
                if not link.strip():
                    el = item.find("{*}link")
                    link = el.get("href", "") if el is not None else ""
                when = _feed_date(
                    item.findtext("{*}pubDate")
                    or item.findtext("{*}published")
                    or item.findtext("{*}updated")
                )
            except ValueError:  # text lxml's recovery kept but cannot decode (&#xD800;)
                continue
            url = self._article_link(platform, response.meta["origin_url"], link.strip())
            if url is not None:
                links.append((url, when))
        yield from self._articles(platform, links)

    def parse_listing(self, response: Response) -> Iterable[Request]:
        platform = self._platform(response)
        self._count(platform, "pages")
        more = list(self._listing(platform, response)) if isinstance(response, TextResponse) else []
        nexts = [r for r in more if r.callback == self.parse_listing]
        yield from more
        # This listing goes on in as many pages as it names next (usually one), or ends here.
        self.paging[self._key(platform)] += len(nexts)
        yield from self._listing_done(platform)

    def _listing(self, platform: Platform, response: Response) -> Iterable[Request]:
        page = self._origin_response(response)
        try:
            links = platform.article_links(page)
            next_pages = platform.next_pages(page)
        except ValueError as exc:  # a malformed address (http://[oops) among the page's links
            self._malformed(platform, response, exc)
            return
        yield from self._articles(platform, links)
        new = [url for url, _ in links if url not in self.shown]
        if not new:
            return  # nothing an earlier listing page did not show: the listing ends here
        for url in new:
            self.shown.add(url)
        dated = [d for _, d in links if d is not None]
        if self.since and dated and max(dated) < self.since:
            return  # this page is wholly older than --since: stop paging
        if response.meta["page"] >= self.max_listing_pages:
            return
        if not self.incremental.keep_paging(platform.force.slug, (url for url, _ in links)):
            return
        for url in next_pages:
            if self._on_site(platform, url) and url not in self.listed:
                self.listed.add(url)
                yield self._request(url, platform, self.parse_listing, page=response.meta["page"] + 1)

    @staticmethod
    def _on_site(platform: Platform, url: str) -> bool:
        """Listings and sitemaps are read from the site itself only: a hostile page, robots.txt
        or sitemap index cannot send the crawler elsewhere."""
        try:
            parts = urlsplit(url)
            own = urlsplit(platform.origin).netloc.lower()
            return parts.scheme in ("http", "https") and parts.netloc.lower() == own
        except ValueError:  # urllib refuses malformed addresses (http://[oops)
            return False

    def _absolute(self, response: Response, href: str) -> str:
        """A link of a robots.txt or sitemap as a full address on the force's site ("" when
        malformed): relative ones are resolved, a mirror's mapped back."""
        try:
            return self.mirrors.to_origin(urljoin(self.mirrors.to_origin(response.url), href))
        except ValueError:
            return ""

    @staticmethod
    def _article_link(platform: Platform, base: str, href: str) -> str | None:
        """The article a feed or sitemap link names, canonical; None for other links and for
        malformed addresses."""
        try:
            url = platform.canonical_link(urljoin(base, href))
            return url if platform.is_article_url(url) else None
        except ValueError:
            return None

    def _malformed(self, platform: Platform, response: Response, exc: ValueError) -> None:
        self._count(platform, "failed")
        self._count(platform, "listing_failed")
        self._count(platform, "malformed")
        log.warning("%s: %s not read: a malformed address on it (%s)", platform.force.slug, response.url, exc)

    def parse_robots(self, response: Response) -> Iterable[Request]:
        platform = self._platform(response)
        if not isinstance(response, TextResponse):
            return
        for line in response.text.splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap" and value.strip():
                url = self._absolute(response, value.strip())
                if self._on_site(platform, url):
                    yield self._request(url, platform, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        platform = self._platform(response)
        root = self._xml(platform, response, "sitemap")
        if root is None:
            return
        links: list[tuple[str, date | None]] = []
        for url_el in root.iter("{*}url", "{*}sitemap"):
            try:
                loc = (url_el.findtext("{*}loc") or "").strip()
                lastmod = parse_date(url_el.findtext("{*}lastmod"))
            except ValueError:  # text lxml's recovery kept but cannot decode (&#xD800;)
                continue
            if not loc:
                continue
            url = self._absolute(response, loc)
            if url_el.tag.endswith("sitemap"):
                if self._on_site(platform, url):
                    yield self._request(url, platform, self.parse_sitemap)
                continue
            article = self._article_link(platform, "", url)
            if article is not None:
                links.append((article, lastmod))
        # lastmod is when a page last changed, on or after its publication: a page unchanged
        # since before --since was published before it. Under --since, links without one are
        # left to the dated listings and feeds too, or a first run would fetch whole sites.
        # It bounds nothing else (an article edited after --until may be within it).
        if self.since:
            links = [(u, m) for u, m in links if m is not None and m >= self.since]
        yield from self._articles(platform, [(u, None) for u, _ in links])

    # ---- articles -------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterable[ArticleItem]:
        platform = self._platform(response)
        self._count(platform, "pages")
        if response.status == 304:
            self.incremental.not_modified(response)
            self._count(platform, "unchanged")
            return
        page = article_page(self._origin_response(response))
        if page is None:
            self._count(platform, "not_article")
            return
        slug = platform.force.slug
        try:
            article = platform.parse(page)
        except NotAnArticle as exc:
            self._count(platform, "not_article")
            self.incremental.no_record(response.meta["origin_url"], slug, str(exc))
            log.info("%s: %s", slug, exc)
            return
        except ExtractionError as exc:
            self._no_record(platform, response.meta, str(exc))
            return
        except ValueError as exc:  # a malformed og:url or canonical address
            self._count(platform, "malformed")
            self._no_record(
                platform, response.meta, f"{response.url} not read: a malformed address on it ({exc})"
            )
            return
        # The link may name the record at another address (a redirect, og:url, canonical): the
        # state remembers it, so the listings that link it cost nothing next time.
        self.incremental.alias(response.meta["origin_url"], slug, article.url)
        self.seen.add(article.url)
        if not self.in_range(article.published):
            self._count(platform, "out_of_range")
            return
        yield ArticleItem.from_article(article, datetime.now(UTC).isoformat(timespec="seconds"))

    def _no_record(self, platform: Platform, meta: dict[str, Any], reason: str) -> None:
        """An article page that gave no record: a failure, but not one that hid articles (the
        run may still count the force's listings as read to the end). A retry that gives no
        record again was reported by an earlier run: noted, not counted as a failure."""
        slug = platform.force.slug
        self.incremental.no_record(meta["origin_url"], slug, reason)
        if meta.get("retry"):
            self._count(platform, "no_record_again")
            log.info("%s: still not written, %s", slug, reason)
            return
        self._count(platform, "failed")
        self._count(platform, "no_record")
        log.warning("%s: not written, %s", slug, reason)

    def on_error(self, failure: Failure) -> list[Request]:
        """Count and report a request that failed; a listing page that failed ends its
        listing (the sitemaps may then show what it would have)."""
        request = failure.request  # type: ignore[attr-defined]
        platform = self.platforms[request.meta["platform"]]
        self._failed(platform, request, failure)
        return list(self._listing_done(platform)) if request.callback == self.parse_listing else []

    def _failed(self, platform: Platform, request: Request, failure: Failure) -> None:
        slug, url = platform.force.slug, request.meta["origin_url"]
        reason = describe(failure)
        host = urlsplit(request.url).netloc
        where = reason if host in reason else f"{host}: {reason}"
        kind = failure_reason(failure)
        self._count(platform, kind)
        log.warning("%s: cannot fetch %s: %s", slug, url, reason)
        if request.callback == self.parse_article:
            if kind in LASTING:  # gone, refused, or not a page to use: asking at once changes nothing
                if kind == "not_found":  # gone: flagged on its archived record, never deleted
                    self.incremental.gone(url)
                self._no_record(platform, request.meta, reason)
                if request.meta.get("retry"):
                    return
            else:
                self._count(platform, "failed")
                self.incremental.fetch_failed(url, slug, reason)
        elif kind == "not_found":
            # A listing, feed or sitemap that is not there hides no article (a path the
            # platform guesses, a site that moved it): the force fails on it only when
            # nothing else of it could be read (runs.failed_entirely).
            self._count(platform, "missing")
            self.first_missing.setdefault(slug, where)
            return
        else:
            self._count(platform, "failed")
            if request.callback != self.parse_feed:
                # A listing page, robots.txt or sitemap not read may hide articles: the
                # listings are not counted as read to the end (runs.RunExtension). A feed
                # shows what the listings show.
                self._count(platform, "listing_failed")
        self.first_error.setdefault(slug, where)
