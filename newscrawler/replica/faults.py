"""A replica that misbehaves on purpose: the replica's fault hook (``ReplicaServer(fault=…)``).

Real sites fail, stall and serve garbage; the crawler must survive all of it with nothing lost
and nothing wrong written. A :class:`Faults` holds rules, each one a fault and where it
applies, written as a spec (``newscrawler replica --fault SPEC``, repeatable)::

    KIND[=VALUE][,path=GLOB][,times=N][,rate=P][,OPTION=VALUE…]

``path`` is a glob over the site path and query (``/news-and-appeals/*``; default every path,
or ``/robots.txt`` for ``disallow``); ``times=N`` faults only the first N requests of each
path (a burst, then the real page); ``rate=P`` faults that share of requests, decided by the
seed, the path and how often it was asked, so a run is repeatable. Every matching rule applies,
in order, each to the reply the one before it made (the real page first).

Kinds:
  status=CODE         that status with a short error page (option ``retry-after=SECONDS``)
  slow=SECONDS        wait, then answer (longer than the crawler's timeout: a timeout)
  drop[=FRACTION]     send part of the body, then close the connection (default half)
  truncate[=FRACTION] a complete response whose HTML stops part way (default half)
  empty               200 with no body
  error200            the site's "page not found" page, served with status 200
  charset=MODE        cp1252-as-utf8 (Windows-1252 bytes labelled UTF-8), utf8-as-cp1252,
                      bom (UTF-8 with a BOM, labelled ISO-8859-1), none (Windows-1252, no
                      charset anywhere)
  huge=BYTES          the page padded to at least BYTES
  redirect=URL        302 to URL (``{origin}`` stands for the site's origin)
  loop                302 to the page's own address
  refresh=URL         a page that sends the browser to URL with <meta http-equiv="refresh">
                      (``{origin}`` stands for the site's origin)
  alias=PATH          the page at PATH of the same site (the same article at two addresses)
  links=URL|URL…      the page with these links added (HTML: <a>; RSS: items; sitemaps:
                      entries; robots.txt: Sitemap lines)
  disallow=PATH       robots.txt disallowing PATH to every user agent (its Sitemap lines kept)
  xml=MODE            billion-laughs, xxe (option ``entity=URI``, default file:///etc/passwd),
                      malformed, huge (option ``size=BYTES``), deep
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from newscrawler.replica.site import Reply

if TYPE_CHECKING:
    from newscrawler.replica.server import ReplicaServer

HTML = "text/html; charset=utf-8"
_COMMON = frozenset({"path", "times", "rate"})
_DEFAULT_PATH = {"disallow": "/robots.txt"}
_META_CHARSET = re.compile(rb"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.I)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")
_XML_ROOT = re.compile(rb"<(rss|feed|urlset|sitemapindex)\b[^>]*>")


class FaultSpecError(ValueError):
    """A --fault spec that cannot be read."""


@dataclass(frozen=True)
class Rule:
    """One fault and where it applies."""

    kind: str
    value: str = ""
    path: str = "*"
    times: int | None = None
    rate: float = 1.0
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Rule:
        """A rule from ``KIND[=VALUE][,key=value…]``."""
        head, *rest = [part.strip() for part in spec.split(",")]
        kind, _, value = head.partition("=")
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise FaultSpecError(f"unknown fault {kind!r} in {spec!r}; known: {', '.join(sorted(KINDS))}")
        keys: dict[str, str] = {}
        for part in rest:
            key, sep, val = part.partition("=")
            if not sep or not key.strip():
                raise FaultSpecError(f"{part!r} in {spec!r} is not key=value")
            keys[key.strip().lower()] = val.strip()
        try:
            times = int(keys["times"]) if "times" in keys else None
            rate = float(keys.get("rate", "1"))
        except ValueError as exc:
            raise FaultSpecError(f"bad times= or rate= in {spec!r}: {exc}") from None
        if (times is not None and times < 1) or not 0 <= rate <= 1:
            raise FaultSpecError(f"times must be at least 1 and rate between 0 and 1 in {spec!r}")
        options = tuple(sorted((k, v) for k, v in keys.items() if k not in _COMMON))
        rule = cls(kind, value.strip(), keys.get("path", _DEFAULT_PATH.get(kind, "*")), times, rate, options)
        _check(rule)
        return rule

    def option(self, name: str, default: str = "") -> str:
        """A kind's own option (``retry-after``, ``entity``, ``size``, ``depth``)."""
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Hit:
    """One request the replica answered: when (monotonic seconds), what, and which faults."""

    at: float
    target: str
    faults: tuple[str, ...]

    @property
    def path(self) -> str:
        """The site path and query, without the ``/<host>`` prefix."""
        return "/" + self.target.lstrip("/").partition("/")[2]


@dataclass
class _Request:
    """What a fault knows of the request it answers."""

    faults: Faults
    target: str  # /<host>/<path>?<query>
    host: str
    path: str  # /<path>?<query>

    @property
    def origin(self) -> str:
        return self.faults.origin(self.host)

    def page(self, path: str | None = None) -> Reply:
        """The replica's real reply for a path of this site (default: this one)."""
        return self.faults.original(f"/{self.host}{path if path is not None else self.path}")


class Faults:
    """The fault hook: rules applied to the replica's replies, and a log of every request.

    Bind it to its server (:meth:`bind`) so faults can transform the real page.
    """

    def __init__(self, rules: Iterable[Rule | str] = (), seed: int = 0, log_size: int = 100_000) -> None:
        self.rules = [r if isinstance(r, Rule) else Rule.parse(r) for r in rules]
        self.seed = seed
        self.hits: deque[Hit] = deque(maxlen=log_size)
        self._server: ReplicaServer | None = None
        self._asked: Counter[tuple[int, str]] = Counter()
        self._lock = threading.Lock()
        self._inside = threading.local()

    @classmethod
    def from_specs(cls, specs: Iterable[str], seed: int = 0) -> Faults:
        """From ``--fault`` specs; FaultSpecError (a ValueError) names a bad one."""
        return cls([Rule.parse(s) for s in specs], seed)

    def bind(self, server: ReplicaServer) -> Faults:
        """The server whose pages the faults transform (the hook is given before it exists)."""
        self._server = server
        return self

    def origin(self, host: str) -> str:
        """The force origin a replica host name serves (for redirects in the site's own form)."""
        assert self._server is not None, "Faults.bind(server) first"
        for origin, mirror in self._server.mirrors.items():
            if mirror.rsplit("/", 1)[1] == host.lower():
                return origin
        return f"https://{host}"

    def original(self, target: str) -> Reply:
        """The reply the replica gives without faults."""
        assert self._server is not None, "Faults.bind(server) first"
        self._inside.active = True
        try:
            return self._server.reply(target)
        finally:
            self._inside.active = False

    def requests(self, glob: str = "*") -> list[Hit]:
        """The requests whose site path matches ``glob``, in order."""
        with self._lock:
            return [h for h in self.hits if fnmatch.fnmatchcase(h.path, glob)]

    def _chosen(self, index: int, rule: Rule, path: str) -> bool:
        if not fnmatch.fnmatchcase(path, rule.path):
            return False
        with self._lock:
            self._asked[index, path] += 1
            nth = self._asked[index, path]
        if rule.times is not None and nth > rule.times:
            return False
        return rule.rate >= 1 or random.Random(f"{self.seed}:{index}:{path}:{nth}").random() < rule.rate

    def __call__(self, target: str) -> Reply | None:
        if getattr(self._inside, "active", False):
            return None
        host, _, rest = target.lstrip("/").partition("/")
        request = _Request(self, target, host, "/" + rest)
        chosen = [r for i, r in enumerate(self.rules) if self._chosen(i, r, request.path)]
        with self._lock:
            self.hits.append(Hit(time.monotonic(), target, tuple(r.kind for r in chosen)))
        if not chosen:
            return None
        reply = request.page()
        for rule in chosen:
            reply = KINDS[rule.kind](request, reply, rule)
        return reply


# ---- the faults -----------------------------------------------------------------------------

Kind = Callable[[_Request, Reply, Rule], Reply]


def _fraction(rule: Rule) -> float:
    return float(rule.value) if rule.value else 0.5


def _status(request: _Request, reply: Reply, rule: Rule) -> Reply:
    code = int(rule.value or 503)
    headers = (("Retry-After", rule.option("retry-after")),) if rule.option("retry-after") else ()
    title = f"<title>Error {code}</title>"
    body = f"<!DOCTYPE html>\n<html><head>{title}</head><body><h1>Error {code}</h1></body></html>\n"
    return Reply(code, HTML, body.encode(), headers)


def _slow(request: _Request, reply: Reply, rule: Rule) -> Reply:
    time.sleep(float(rule.value or 60))
    return reply


def _drop(request: _Request, reply: Reply, rule: Rule) -> Reply:
    # Framed as one chunk longer than what is sent: the client sees the connection close
    # in the middle of the body, as when a server or proxy dies part way.
    sent = reply.body[: int(len(reply.body) * _fraction(rule))]
    body = b"%x\r\n" % len(reply.body) + sent
    headers = (*reply.headers, ("Transfer-Encoding", "chunked"), ("Connection", "close"))
    return Reply(reply.status, reply.content_type, body, headers)


def _truncate(request: _Request, reply: Reply, rule: Rule) -> Reply:
    return Reply(
        reply.status, reply.content_type, reply.body[: int(len(reply.body) * _fraction(rule))], reply.headers
    )


def _empty(request: _Request, reply: Reply, rule: Rule) -> Reply:
    return Reply(200, reply.content_type, b"", reply.headers)


def _error200(request: _Request, reply: Reply, rule: Rule) -> Reply:
    missing = request.page("/__no_such_page__" + request.path)
    return Reply(200, missing.content_type, missing.body, missing.headers)


def _charset(request: _Request, reply: Reply, rule: Rule) -> Reply:
    text = reply.body.decode("utf-8")
    ctype = reply.content_type.split(";")[0]
    if rule.value == "cp1252-as-utf8":
        return Reply(reply.status, f"{ctype}; charset=utf-8", text.encode("cp1252", "xmlcharrefreplace"))
    if rule.value == "utf8-as-cp1252":
        body = _META_CHARSET.sub(b'<meta charset="windows-1252">', reply.body)
        return Reply(reply.status, f"{ctype}; charset=windows-1252", body)
    if rule.value == "bom":
        return Reply(reply.status, f"{ctype}; charset=iso-8859-1", b"\xef\xbb\xbf" + reply.body)
    body = _META_CHARSET.sub(b"", text.encode("cp1252", "xmlcharrefreplace"))
    return Reply(reply.status, ctype, body)


def _huge(request: _Request, reply: Reply, rule: Rule) -> Reply:
    size = int(rule.value or 20_000_000)
    missing = max(0, size - len(reply.body))
    padding = b"<!--" + b"x" * missing + b"-->"
    body = (
        reply.body.replace(b"</body>", padding + b"</body>", 1)
        if b"</body>" in reply.body
        else reply.body + padding
    )
    return Reply(reply.status, reply.content_type, body, reply.headers)


def _redirect(request: _Request, reply: Reply, rule: Rule) -> Reply:
    location = rule.value.replace("{origin}", request.origin)
    return Reply(302, HTML, b"", (("Location", location),))


def _refresh(request: _Request, reply: Reply, rule: Rule) -> Reply:
    location = escape(rule.value.replace("{origin}", request.origin))
    body = (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="refresh" content="0; url={location}">'
        f'<title>Moved</title></head><body><p>This page has moved: <a href="{location}">'
        f"{location}</a></p></body></html>\n"
    )
    return Reply(200, HTML, body.encode())


def _loop(request: _Request, reply: Reply, rule: Rule) -> Reply:
    return Reply(302, HTML, b"", (("Location", request.origin + request.path),))


def _alias(request: _Request, reply: Reply, rule: Rule) -> Reply:
    return request.page(rule.value)


def _links(request: _Request, reply: Reply, rule: Rule) -> Reply:
    urls = [u for u in rule.value.split("|") if u]
    body = reply.body
    if request.path.split("?")[0] == "/robots.txt":
        return Reply(
            reply.status, reply.content_type, body + b"".join(f"Sitemap: {u}\n".encode() for u in urls)
        )
    root = _XML_ROOT.search(body)
    if root is not None:
        kind = root.group(1)
        if kind in (b"rss", b"feed"):
            added = "".join(f"<item><link>{escape(u)}</link></item>" for u in urls)
        else:
            added = "".join(
                f"<url><loc>{escape(u)}</loc></url><sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls
            )
        return Reply(
            reply.status, reply.content_type, body[: root.end()] + added.encode() + body[root.end() :]
        )
    anchors = "".join(f'<p><a href="{escape(u)}">{escape(u)}</a></p>' for u in urls).encode()
    at = body.rfind(b"</main>")
    at = at if at >= 0 else len(body)
    return Reply(reply.status, reply.content_type, body[:at] + anchors + body[at:], reply.headers)


def _disallow(request: _Request, reply: Reply, rule: Rule) -> Reply:
    kept = [
        line
        for line in reply.body.decode("utf-8", "replace").splitlines()
        if line.lower().startswith("sitemap:")
    ]
    text = f"User-agent: *\nDisallow: {rule.value or '/'}\n\n" + "".join(f"{line}\n" for line in kept)
    return Reply(200, "text/plain; charset=utf-8", text.encode())


_LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
)


def _xml_with(reply: Reply, doctype: str, inject: Callable[[bytes], bytes]) -> Reply:
    """The document with a DOCTYPE before its root and elements injected inside the root."""
    body = _XML_DECLARATION.sub(b"", reply.body, count=1)
    root = _XML_ROOT.search(body)
    if root is None:
        raise ValueError("not an RSS feed or sitemap")
    name = root.group(1)
    head = b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE ' + name + b" [" + doctype.encode() + b"]>\n"
    text = head + body[: root.end()] + inject(name) + body[root.end() :]
    return Reply(reply.status, reply.content_type, text, reply.headers)


def _entry(name: bytes, text: str) -> bytes:
    if name in (b"rss", b"feed"):
        return f"<item><title>{text}</title><link>{text}</link></item>".encode()
    return f"<url><loc>{text}</loc></url>".encode()


def _xml(request: _Request, reply: Reply, rule: Rule) -> Reply:
    mode = rule.value
    if mode == "billion-laughs":
        return _xml_with(reply, _LAUGHS, lambda name: _entry(name, "&lol9;"))
    if mode == "xxe":
        entity = rule.option("entity", "file:///etc/passwd")
        return _xml_with(reply, f'<!ENTITY xxe SYSTEM "{entity}">', lambda name: _entry(name, "&xxe;"))
    if mode == "malformed":
        cut = reply.body[: len(reply.body) // 2]
        return Reply(reply.status, reply.content_type, cut + b"<<&&</oops>\x00\xff", reply.headers)
    if mode == "deep":
        depth = int(rule.option("depth", "100000"))
        return _xml_with(reply, "", lambda name: b"<x>" * depth + b"</x>" * depth)
    size = int(rule.option("size", "20000000"))
    root = _XML_ROOT.search(reply.body)
    close = reply.body.rfind(b"</")
    if root is None or close < root.end():
        raise ValueError("not an RSS feed or sitemap")
    inner = reply.body[root.end() : close]
    copies = max(1, -(-size // max(1, len(inner))))
    body = reply.body[: root.end()] + inner * copies + reply.body[close:]
    return Reply(reply.status, reply.content_type, body, reply.headers)


KINDS: Mapping[str, Kind] = {
    "status": _status,
    "slow": _slow,
    "drop": _drop,
    "truncate": _truncate,
    "empty": _empty,
    "error200": _error200,
    "charset": _charset,
    "huge": _huge,
    "redirect": _redirect,
    "loop": _loop,
    "refresh": _refresh,
    "alias": _alias,
    "links": _links,
    "disallow": _disallow,
    "xml": _xml,
}

_VALUES: dict[str, frozenset[str]] = {
    "charset": frozenset({"cp1252-as-utf8", "utf8-as-cp1252", "bom", "none"}),
    "xml": frozenset({"billion-laughs", "xxe", "malformed", "huge", "deep"}),
}
_NEEDS_VALUE = frozenset({"charset", "xml", "redirect", "refresh", "alias", "links"})
_NUMERIC = {"status": int, "slow": float, "drop": float, "truncate": float, "huge": int}


def _check(rule: Rule) -> None:
    """Refuse a rule whose value its kind cannot use, at parse time rather than mid-crawl."""
    if rule.kind in _NEEDS_VALUE and not rule.value:
        raise FaultSpecError(f"{rule.kind} needs a value: {rule.kind}=…")
    allowed = _VALUES.get(rule.kind)
    if allowed is not None and rule.value not in allowed:
        raise FaultSpecError(f"{rule.kind}={rule.value!r}: use one of {', '.join(sorted(allowed))}")
    convert = _NUMERIC.get(rule.kind)
    if convert is not None and rule.value:
        try:
            convert(rule.value)
        except ValueError:
            raise FaultSpecError(f"{rule.kind}={rule.value!r} is not a number") from None
