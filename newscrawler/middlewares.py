"""Downloader middlewares."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from twisted.internet.error import ConnectionRefusedError, DNSLookupError


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
            raise IgnoreRequest(f"{host} is unreachable ({self.dead[host]})")

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if isinstance(exception, self.FATAL):
            self.dead.setdefault(urlsplit(request.url).netloc, str(exception) or type(exception).__name__)
