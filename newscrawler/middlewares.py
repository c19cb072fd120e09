"""Downloader middlewares: what the crawler does when a site misbehaves.

In the order a request passes them (``settings.DOWNLOADER_MIDDLEWARES``):
:class:`SiteGuardMiddleware` (nothing is sent off the forces' sites, or their mirrors),
:class:`RobotsTxtMiddleware` (robots.txt of the force's own site, also through a mirror),
:class:`UnreachableHostMiddleware`, :class:`RetryMiddleware` (backoff, Retry-After, pages not
to be trusted), :class:`CharsetMiddleware` (a wrong or missing charset) and
:class:`RedirectGuardMiddleware` (loops, other sites, redirects through a mirror).
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import CannotResolveHostError, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

from newscrawler.charset import declared_encoding, redecode
from newscrawler.failures import BadPage, page_problem
from newscrawler.mirrors import Mirrors

log = logging.getLogger("newscrawler")


def _force(request: Request) -> str:
    """The force a request is for (stats are ``newscrawler/<force>/…``)."""
    return str(request.meta.get("force") or "unknown")


class SiteGuardMiddleware:
    """First in the chain, the last word on where a request may go: every request the
    downloader is given (listings, articles, robots.txt, sitemaps, retries, redirects, meta
    refreshes) is for one of the chosen forces' sites (``spider.origins``) or, when mirrors
    are given, for a mirror of one. Any other is dropped before anything is sent, and
    counted (``offsite``): however a page, a server or a bug names an address, a run reaches
    no other site, and a replica or web-archive run never reaches a live one."""

    def __init__(self, crawler: Crawler, mirrors: Mirrors) -> None:
        self.crawler = crawler
        self.mirrors = mirrors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteGuardMiddleware:
        return cls(crawler, Mirrors(crawler.settings.getdict("NEWSCRAWLER_MIRRORS")))

    def allows(self, url: str) -> bool:
        """A chosen force's site (``www.`` aside, http or https), or with mirrors the address
        of one on its mirror; nothing else, and nothing urllib cannot read."""
        try:
            if urlsplit(url).scheme not in ("http", "https"):
                return False
            if self.mirrors:
                origin = self.mirrors.to_origin(url)
                if origin == url:  # not a mirror's address
                    return False
                url = origin
            site = _site(url)
        except ValueError:
            return False
        origins = getattr(self.crawler.spider, "origins", ())
        return bool(site) and any(_site(o) == site for o in origins)

    def process_request(self, request: Request) -> None:
        if not self.allows(request.url):
            where = "the forces' mirrors" if self.mirrors else "the forces' sites"
            raise BadPage("offsite", f"{request.url} is not on {where}: not fetched")


class UnreachableHostMiddleware:
    """Once a host cannot be resolved or refuses connections, the rest of its requests are
    dropped with that reason: a force whose site is down ends at once with a clear message,
    instead of every listing page and article retrying into the same wall."""

    FATAL = (CannotResolveHostError, DNSLookupError, ConnectionRefusedError)

    def __init__(self) -> None:
        self.dead: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnreachableHostMiddleware:
        return cls()

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        if host in self.dead:
            raise BadPage("unreachable", f"{host} is unreachable ({self.dead[host]})")

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if isinstance(exception, self.FATAL):
            self.dead.setdefault(urlsplit(request.url).netloc, str(exception) or type(exception).__name__)


def retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), or None
    when there is no usable header."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryMiddleware:
    """Scrapy's retries (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS), spaced out and
    polite, and extended to pages that arrive whole but must not be trusted.

    - Each retry waits ``NEWSCRAWLER_RETRY_BACKOFF`` seconds, doubled per retry, at most
      ``NEWSCRAWLER_RETRY_BACKOFF_MAX``: a site in trouble gets room to recover.
    - A ``Retry-After`` (seconds or a date) is obeyed for the whole host: nothing is sent to
      it before then. One asking for more than ``NEWSCRAWLER_RETRY_AFTER_MAX`` is not waited
      for: the page fails now (``rate_limited``) and the next run tries again.
    - A 200 that is empty, truncated or an error page is retried too, then given up with its
      reason (:func:`newscrawler.failures.page_problem`).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.codes = {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(
            e if isinstance(e, type) else load_object(e) for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF")
        self.backoff_max = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX")
        #: Host -> monotonic time before which nothing is sent to it (Retry-After).
        self.paused: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryMiddleware:
        return cls(crawler)

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(request, spider=self.crawler.spider, reason=reason)

    def _backoff(self, request: Request) -> float:
        return min(self.backoff * 2 ** request.meta.get("retry_times", 0), self.backoff_max)

    async def process_request(self, request: Request) -> None:
        until = self.paused.get(urlsplit(request.url).netloc)
        if until is not None and until > time.monotonic():
            await sleep(until - time.monotonic())

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry"):
            return response
        if response.status in self.codes:
            asked = retry_after(response.headers.get("Retry-After"))
            if asked is not None and asked > self.retry_after_max:
                log.warning(
                    "%s asks to wait %.0f s (Retry-After), more than NEWSCRAWLER_RETRY_AFTER_MAX: "
                    "not waited for; the next run tries again",
                    request.url,
                    asked,
                )
                return response
            retry = self._retry(request, response_status_message(response.status))
            if retry is None:
                return response
            if asked is not None:
                host = urlsplit(request.url).netloc
                self.paused[host] = max(self.paused.get(host, 0.0), time.monotonic() + asked)
            await sleep(max(asked or 0.0, self._backoff(request)))
            return retry
        problem = page_problem(response, empty_ok=request.meta.get("empty_ok", False))
        if problem is None:
            return response
        retry = self._retry(request, problem)
        if retry is None:
            raise BadPage(problem, f"{request.url}: {problem.replace('_', ' ')} (status 200)")
        await sleep(self._backoff(request))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await sleep(self._backoff(request))
        return retry


class CharsetMiddleware:
    """HTML pages whose declared charset misreads their bytes are decoded by the bytes
    (:mod:`newscrawler.charset`): no mojibake reaches a record. Counted per force as
    ``charset_fixed``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        fixed = charset_fixed(response)
        if fixed is None:
            return response
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawler/{_force(request)}/charset_fixed")
        return fixed


def charset_fixed(response: Response) -> Response | None:
    """An HTML page re-read by its bytes, as UTF-8, when its declared charset misreads them;
    None when it reads right (also used by ``newscrawler reparse`` on stored pages)."""
    if not isinstance(response, HtmlResponse):
        return None
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    text = redecode(response.body, declared_encoding(content_type, response.body))
    if text is None:
        return None
    return response.replace(body=text.encode("utf-8"), encoding="utf-8")


def _site(url: str) -> str:
    """The host a URL belongs to, ``www.`` aside (http and https are the same site)."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


class RedirectGuardMiddleware:
    """Redirects, seen before Scrapy follows them: one to another site is not followed
    (``offsite_redirect``), one back to an address already visited is a loop
    (``redirect_loop``), and one to a mirrored site's own address goes through the mirror:
    a replica or web-archive run never reaches the live site (a redirect the mirror cannot
    carry counts as leaving the site)."""

    REDIRECTS = frozenset({301, 302, 303, 307, 308})

    def __init__(self, mirrors: Mirrors) -> None:
        self.mirrors = mirrors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(Mirrors(crawler.settings.getdict("NEWSCRAWLER_MIRRORS")))

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in self.REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        here = self.mirrors.to_origin(request.url)
        there = self.mirrors.to_origin(urljoin(request.url, location.decode("latin-1").strip()))
        target = self.mirrors.to_fetch(there)
        leaves_mirror = here != request.url and target == there
        if _site(there) != _site(here) or leaves_mirror:
            raise BadPage("offsite_redirect", f"{here} redirects to another site, not followed: {there}")
        if target in (*request.meta.get("redirect_urls", ()), request.url):
            raise BadPage("redirect_loop", f"{here} redirects in a loop (back to {there})")
        headers = response.headers.copy()
        headers["Location"] = target
        return response.replace(headers=headers)


class RobotsTxtMiddleware:
    """robots.txt obeyed (with ROBOTSTXT_OBEY) for the force's own site, read through the
    mirror when there is one: a replica or web-archive run obeys the force's rules, not the
    mirror host's. A forbidden page is not fetched and is counted (``robots_denied``); the
    first one of each site is logged with what robots.txt forbids.

    Replaces Scrapy's middleware, which asks the mirror host's root for robots.txt and, in
    Scrapy 2.19, lets requests through that arrive while robots.txt is being fetched.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings: BaseSettings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.mirrors = Mirrors(settings.getdict("NEWSCRAWLER_MIRRORS"))
        self.useragent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.parser_class: Any = load_object(settings.get("ROBOTSTXT_PARSER"))
        self.parsers: dict[str, RobotParser | None] = {}
        self.waiting: dict[str, list[Deferred[RobotParser | None]]] = {}
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        url = self.mirrors.to_origin(request.url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.path == "/robots.txt":
            return
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = await self._parser(origin)
        if parser is None or parser.allowed(url, self.useragent):
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("robotstxt/forbidden")
        if origin not in self.warned:
            self.warned.add(origin)
            log.warning(
                "%s: robots.txt of %s forbids %s: pages it forbids are not fetched (robots_denied)",
                _force(request),
                origin,
                parts.path,
            )
        raise BadPage("robots_denied", f"robots.txt of {origin} forbids {parts.path}")

    async def _parser(self, origin: str) -> RobotParser | None:
        if origin in self.parsers:
            return self.parsers[origin]
        if origin in self.waiting:
            waiter: Deferred[RobotParser | None] = Deferred()
            self.waiting[origin].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self.waiting[origin] = []
        parser = await self._fetch(origin)
        self.parsers[origin] = parser
        for waiter in self.waiting.pop(origin):
            waiter.callback(parser)
        return parser

    async def _fetch(self, origin: str) -> RobotParser | None:
        """The parsed robots.txt of a site; None (everything allowed) when it has none."""
        assert self.crawler.engine is not None
        request = Request(
            self.mirrors.to_fetch(origin + "/robots.txt"),
            priority=1000,
            meta={"dont_obey_robotstxt": True, "kind": "robots"},
            callback=NO_CALLBACK,
        )
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # no robots.txt to obey: the site is fetched as if it allowed all
            log.info("robots.txt of %s unavailable (%s): everything allowed", origin, exc)
            return None
        if response.status != 200:
            return None
        parser: RobotParser = build_from_crawler(self.parser_class, self.crawler, response.body)
        return parser
