"""The replica's HTTP server: every site under one address, at ``/<host>/…``.

``http://127.0.0.1:8080/www.kent.police.uk/news/kent/latest/`` is Kent's listing; the crawler
reaches it with ``--mirror https://www.kent.police.uk=http://127.0.0.1:8080/www.kent.police.uk``
while every link in the pages names the force's own origin, as the real site's do.

The standard library's threaded server is enough: with HTTP/1.1 keep-alive and pages cached
once rendered, it serves far faster than a polite crawler asks, and it adds no dependency.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from newscrawler.forces import registry
from newscrawler.record import Article
from newscrawler.replica import chrome
from newscrawler.replica.site import HTML, Fault, Replica, Reply
from newscrawler.replica.source import load_records

log = logging.getLogger("newscrawler.replica")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (the replica never listens beyond it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SiteSummary:
    """One site the replica serves."""

    force: str
    area: str
    platform: str
    origin: str
    articles: int
    mirror: str


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall
    timeout = 60  # an idle keep-alive connection is closed
    server: _HTTPServer

    def do_GET(self) -> None:
        self._send(with_body=True)

    def do_HEAD(self) -> None:
        self._send(with_body=False)

    def _send(self, with_body: bool) -> None:
        try:
            reply = self.server.owner.reply(self.path)
        except Exception:  # a page that cannot be rendered is one error, not a dead server
            log.exception("replica: cannot render %s", self.path)
            reply = Reply(500, "text/plain; charset=utf-8", b"internal error\n")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("replica: " + format, *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: ReplicaServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.owner = owner
        self.open: set[socket.socket] = set()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("replica: connection from %s ended", client_address, exc_info=True)


class ReplicaServer:
    """Replicas of the forces' sites, built from records and served on this machine.

    ``source``: a folder of records (``<dir>/news/<Area>/*.md``), the ``.tar.xz`` archive, or
    records. ``forces``: slugs or areas to serve ("kent,essex" or a list), default all.
    ``fault``: a hook consulted for each request path, which may return a :class:`Reply` to
    send instead of the page (fault modes build on it). ``variant``: serve article pages in
    that seed's variant markup (``variants.py``: same records, structure nobody tuned on).
    ``upsert`` adds or edits a record while serving.

    Use as ``with ReplicaServer(source) as server:`` (serves in a thread), or call
    :meth:`serve_forever`.
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | Iterable[Article],
        forces: Sequence[str] | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
        per_page: int = 20,
        fault: Fault | None = None,
        cache_size: int = 4096,
        variant: int | None = None,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(f"the replica serves this machine only: {host!r} is not a loopback address")
        if per_page < 1:
            raise ValueError("per_page must be at least 1")
        reg = registry()
        names = [forces] if isinstance(forces, str) else list(forces or [])
        slugs = frozenset(f.slug for f in reg.resolve(names)) if names else None
        self._replica = Replica(reg, slugs, per_page, cache_size, variant)
        articles = load_records(source) if isinstance(source, (str, os.PathLike)) else source
        self._replica.add(articles)
        self.fault = fault
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None
        bound = self._httpd.server_address[1]
        self.base_url = f"http://[{host}]:{bound}" if ":" in host else f"http://{host}:{bound}"

    # ---- what is served ---------------------------------------------------------------
    @property
    def mirrors(self) -> dict[str, str]:
        """Force origin → the address serving it (``--mirror ORIGIN=URL`` for the crawler)."""
        return {h.origin: f"{self.base_url}/{name}" for name, h in sorted(self._replica.hosts.items())}

    @property
    def sites(self) -> list[SiteSummary]:
        return [
            SiteSummary(
                force=s.force.slug,
                area=s.force.area,
                platform=s.site.platform,
                origin=s.origin,
                articles=len(s.entries),
                mirror=f"{self.base_url}/{name}",
            )
            for name, host in sorted(self._replica.hosts.items())
            for s in host.sites
        ]

    @property
    def skipped(self) -> Counter[str]:
        """Records not served, by reason ("platform wordpress", "no force's site")."""
        return self._replica.skipped

    def upsert(self, article: Article) -> bool:
        """Add or edit a record while serving (its site's pages change at once); True if new."""
        return self._replica.upsert(article)

    def reply(self, target: str) -> Reply:
        """The reply for a request target ``/<host>/<path>?<query>``."""
        if self.fault is not None:
            faulty = self.fault(target)
            if faulty is not None:
                return faulty
        name, _, rest = target.lstrip("/").partition("/")
        host = self._replica.hosts.get(name.lower())
        if host is not None:
            return host.get("/" + rest)
        if not name:
            return Reply(200, HTML, self._index().encode())
        return Reply(404, HTML, chrome.not_found(None, target).encode())

    def _index(self) -> str:
        """The replica's own front page: each site with a link to its listing."""
        rows = "".join(
            f'<li><a href="{chrome.attr(f"{self.base_url}/{name}{s.listing_path}")}">'
            f"{chrome.esc(s.force.name)}</a> ({s.site.platform}, {len(s.entries)} articles)</li>"
            for name, host in sorted(self._replica.hosts.items())
            for s in host.sites
        )
        return (
            "<!DOCTYPE html>\n<html><head><title>newscrawler replica</title></head>"
            f"<body><h1>Replicas</h1><ul>{rows}</ul></body></html>\n"
        )

    # ---- running ----------------------------------------------------------------------
    def start(self) -> ReplicaServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving, closing kept-alive connections."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        for sock in list(self._httpd.open):
            with contextlib.suppress(OSError):  # already closed by the client
                sock.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
