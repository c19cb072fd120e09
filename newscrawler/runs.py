"""A crawl run over an output folder: one at a time, reported, and incremental.

The lock is ``fcntl.flock`` on ``<out>/.lock``: the kernel drops it when the holding process
dies, even by ``kill -9``, so a crashed run never blocks the next one. The report is
``<out>/runs/<start time>.json``, written atomically at the start (so a killed run leaves a
trace) and again at the end.

The Scrapy side (wired in ``settings.py``): :class:`RunExtension` (lock, report, runs table),
:class:`StatePipeline` (write each record and its state), :class:`ConditionalRequestMiddleware`
(ETag / Last-Modified), and :class:`Incremental`, the rules the spider asks: which known
articles to skip, which to revisit, when a listing has shown everything new.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, ClassVar, Self
from weakref import WeakKeyDictionary

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newscrawler.items import ArticleItem
from newscrawler.record import ArticleWriter, atomic_write
from newscrawler.state import State, iso, utc_now

LOCK_FILE = ".lock"
RUNS_DIR = "runs"


class RunLockedError(RuntimeError):
    """Another run holds the output folder."""

    def __init__(self, out: Path, pid: int | None) -> None:
        self.out = out
        self.pid = pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            f"another newscrawler run ({holder}) is using {out} (it holds {out / LOCK_FILE}); "
            "this run stops here. Wait for it to finish, or stop it, then run again."
        )


# Locks this process holds, by resolved folder: taking the same folder's lock twice in one
# process (the CLI, then the crawl extension) nests instead of locking itself out.
_HELD: dict[Path, tuple[IO[str], int]] = {}


class RunLock:
    """An exclusive, non-blocking lock on an output folder, held by this process.

    ``with RunLock(out):`` raises :class:`RunLockedError` at once if another process holds it.
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self._key = self.out.resolve()
        self._held = False

    def acquire(self) -> None:
        if self._held:
            return
        held = _HELD.get(self._key)
        if held is not None:
            _HELD[self._key] = (held[0], held[1] + 1)
            self._held = True
            return
        self.out.mkdir(parents=True, exist_ok=True)
        # Opened without truncating: the holder's PID must stay readable for the message.
        fh = open(self.out / LOCK_FILE, "a+", encoding="ascii")  # noqa: SIM115 - held open
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            text = fh.read().strip()
            fh.close()
            raise RunLockedError(self.out, int(text) if text.isdigit() else None) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        _HELD[self._key] = (fh, 1)
        self._held = True

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        fh, count = _HELD[self._key]
        if count > 1:
            _HELD[self._key] = (fh, count - 1)
            return
        del _HELD[self._key]
        # The PID stays in the file: harmless, since only a held flock means "running".
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def failed_entirely(counts: Mapping[str, int]) -> bool:
    """The one rule for a force that failed (FAILED in the summary, exit 1, ``failed`` in the
    run report): no record written or confirmed unchanged, and something failed or none of
    its listings and feeds was there. ``counts`` by the names of :class:`ForceCounts`."""
    written = sum(counts.get(k, 0) for k in ("new", "updated", "unchanged"))
    nothing_there = counts.get("missing", 0) > 0 and counts.get("pages", 0) == 0
    return written == 0 and (counts.get("failed", 0) > 0 or nothing_there)


def why_not_started(unsupported: bool) -> str:
    """Why a run could not start a force (it failed, with nothing fetched): the summary's
    words, and the crawl's."""
    if unsupported:
        return "no parser yet for this force's platform"
    return "nothing to crawl: no supported (or mirrored) site"


def not_started(spider: Spider) -> set[str]:
    """The forces of a run none of whose sites could be crawled (no parser for the platform,
    or, with mirrors, no mirrored site)."""
    platforms = getattr(spider, "platforms", None)
    if platforms is None:  # a spider that does not choose sites (tests' own spiders)
        return set()
    return {f.slug for f in getattr(spider, "forces", [])} - {p.force.slug for p in platforms.values()}


@dataclass
class ForceCounts:
    """What one run did for one force."""

    pages: int = 0  # responses received (listings, feeds, articles, 304s)
    new: int = 0
    updated: int = 0
    unchanged: int = 0  # fetched again (200 or 304) and found the same
    failed: int = 0  # requests or records that failed (reported, not written)
    not_articles: int = 0  # pages fetched that turned out not to be articles
    missing: int = 0  # listings, feeds or sitemaps that were not there (HTTP 404 / 410)
    finish_reason: str | None = None
    first: datetime | None = field(default=None, repr=False)
    last: datetime | None = field(default=None, repr=False)

    @property
    def duration(self) -> float:
        """Seconds from the force's first activity to its last."""
        if self.first is None or self.last is None:
            return 0.0
        return round((self.last - self.first).total_seconds(), 3)

    @property
    def failed_entirely(self) -> bool:
        return failed_entirely(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "not_articles": self.not_articles,
            "missing": self.missing,
            "duration": self.duration,
            "finish_reason": self.finish_reason,
        }


@dataclass
class RunReport:
    """The report of one run, written to ``<out>/runs/<start>.json``."""

    out: Path
    started: datetime = field(default_factory=utc_now)
    finished: datetime | None = None
    finish_reason: str | None = None
    forces: dict[str, ForceCounts] = field(default_factory=dict)
    path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.path = self._free_path()

    def _free_path(self) -> Path:
        # Filesystem-safe ISO (no colons) to the millisecond, so names sort by start; runs are
        # sequential (the lock), and a same-millisecond start still gets a name of its own.
        started = self.started.astimezone(UTC)
        stem = started.strftime("%Y-%m-%dT%H-%M-%S.") + f"{started.microsecond // 1000:03d}Z"
        folder = self.out / RUNS_DIR
        path = folder / f"{stem}.json"
        n = 1
        while path.exists():
            n += 1
            path = folder / f"{stem}-{n}.json"
        return path

    def force(self, force: str) -> ForceCounts:
        """The counts of one force, created on first use."""
        return self.forces.setdefault(force, ForceCounts())

    def touch(self, force: str, at: datetime | None = None) -> None:
        """Mark activity for a force: its duration runs from first to last activity."""
        counts = self.force(force)
        counts.last = at or utc_now()
        if counts.first is None:
            counts.first = counts.last

    def finish(self, reason: str, at: datetime | None = None, not_started: Iterable[str] = ()) -> None:
        """Close the run: each force ends with the run's reason, or ``failed`` when it failed
        entirely or could not start (``not_started``)."""
        self.finished = at or utc_now()
        self.finish_reason = reason
        unstarted = set(not_started)
        for force, counts in self.forces.items():
            counts.finish_reason = "failed" if counts.failed_entirely or force in unstarted else reason

    def to_dict(self) -> dict[str, Any]:
        return {
            "started": iso(self.started),
            "finished": iso(self.finished) if self.finished else None,
            "finish_reason": self.finish_reason,
            "forces": {force: c.to_dict() for force, c in sorted(self.forces.items())},
        }

    def write(self) -> Path:
        """Write (or rewrite) the report, whole or not at all."""
        text = json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"
        atomic_write(self.path, text.encode("utf-8"))
        return self.path


# Scrapy integration ---------------------------------------------------------------------------
#
# Contract with the spider: every request carries ``meta["force"]`` (the force slug) and
# ``meta["origin_url"]`` (the url on the force's own site, also when fetched through a mirror).
# Stats are ``newscrawler/<force>/<count>``, the counts named as in ForceCounts (the spider's
# ``not_article`` is its ``not_articles``).

_STATS = {
    "pages": "pages",
    "new": "new",
    "updated": "updated",
    "unchanged": "unchanged",
    "failed": "failed",
    "not_articles": "not_article",
    "missing": "missing",
}


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class Incremental:
    """The incremental rules, asked by the spider. One per crawler (:meth:`for_crawler`),
    sharing the process's one state connection with the pipeline and the extension.

    Inactive (everything is fetched, nothing is conditional) with ``NEWSCRAWLER_FULL`` or
    when records go to stdout; records are still saved to the state by a full run.
    """

    _by_crawler: ClassVar[WeakKeyDictionary[Crawler, Incremental]] = WeakKeyDictionary()

    def __init__(
        self, state: State | None, *, full: bool, revisit_days: int, retry_days: int, now: datetime
    ) -> None:
        self.state = state
        self.active = state is not None and not full
        self.revisit_days = revisit_days
        self.now = now
        # Pages that gave no record are fetched again once their last try is this old.
        self._retry_from = now - timedelta(days=retry_days)
        # As at the start of the run, per force: records written during the run must not
        # move where listings stop.
        self._known: dict[str, dict[str, date | None]] = {}
        self._complete: dict[str, date | None] = {}
        #: ETag / Last-Modified of article responses, by url, until their item is saved.
        self.validators: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> Incremental:
        """The crawler's Incremental, opening the state on first use (closed when the
        engine stops)."""
        found = cls._by_crawler.get(crawler)
        if found is None:
            out = crawler.settings.get("NEWSCRAWLER_OUT")
            state = None if out == "-" else State.open(out)
            found = cls(
                state,
                full=crawler.settings.getbool("NEWSCRAWLER_FULL"),
                revisit_days=crawler.settings.getint("NEWSCRAWLER_REVISIT_DAYS"),
                retry_days=crawler.settings.getint("NEWSCRAWLER_RETRY_NO_RECORD_DAYS"),
                now=utc_now(),
            )
            if state is not None:
                crawler.signals.connect(state.close, signal=signals.engine_stopped, weak=False)
            cls._by_crawler[crawler] = found
        return found

    def _load(self, force: str) -> dict[str, date | None]:
        if force not in self._known:
            assert self.state is not None
            self._known[force] = self.state.known_links(force)
            self._complete[force] = self.state.complete_through(force)
        return self._known[force]

    def wants(self, url: str, force: str) -> bool:
        """Fetch this article link? Not when the state holds it (:meth:`State.known_links`):
        an archived article (young ones are revisited by :meth:`revisits`), another address
        of one, or a page that gave no record or could not be fetched (tried again by
        :meth:`retries` when due)."""
        return not self.active or url not in self._load(force)

    def revisits(self, force: str) -> list[str]:
        """Archived articles young enough that the force may still edit them: fetched again
        at the start of the run, conditionally."""
        if not self.active:
            return []
        assert self.state is not None
        return [a.url for a in self.state.revisit_due(force, self.revisit_days, today=self.now.date())]

    def retries(self, force: str) -> list[str]:
        """Article links that gave no record and are due again (:meth:`State.retry_due`)."""
        if not self.active:
            return []
        assert self.state is not None
        return self.state.retry_due(force, retry_from=self._retry_from)

    def keep_paging(self, force: str, urls: Iterable[str]) -> bool:
        """Read the next listing page? Yes until a page links only urls the state holds, none
        of them a record newer than the newest one archived as of the last run that read the
        listings to the end (State.complete_through), so a run after a killed one reads on to
        what the killed one never reached. The dates a listing shows are not asked: they may
        be missing, misplaced or another date (a court date to come); the state's are the
        records' own."""
        if not self.active:
            return True
        known = self._load(force)
        newest = self._complete[force]
        if newest is None:
            return True
        return any(url not in known or (known[url] or date.min) > newest for url in urls)

    def needs_sitemaps(self, force: str) -> bool:
        """Read robots.txt's sitemaps (every article a site lists)? Only until a run has read
        the force's listings to the end: after that, feeds and first listing pages show
        what is new, and a scheduled run costs a couple of requests per force."""
        if not self.active:
            return True
        self._load(force)
        return self._complete[force] is None

    def alias(self, url: str, force: str, record: str) -> None:
        """A link whose page gave the record at another url (a redirect, og:url, the same
        article twice): runs skip the link while that record is archived."""
        if self.state is not None and url != record:
            self.state.alias(url, force, record)

    def no_record(self, url: str, force: str, reason: str) -> None:
        """An article link whose page gave no record (no date, not an article, gone): runs
        skip it for ``NEWSCRAWLER_RETRY_NO_RECORD_DAYS``, like an archived one, so the same
        listings do not cost the same fetch every run."""
        if self.state is not None:
            self.state.failed(url, force, reason, no_record=True)

    def gone(self, url: str) -> None:
        """An article answered 404 / 410: an archived one is flagged as removed from its site
        (kept, with its file and history; see :meth:`State.removed_from_site`)."""
        if self.state is not None:
            self.state.removed_from_site(url)

    def fetch_failed(self, url: str, force: str, reason: str) -> None:
        """An article that could not be fetched (timeout, server error): the next run tries
        again."""
        if self.state is not None:
            self.state.failed(url, force, reason)

    def not_modified(self, response: Response) -> None:
        """A revisit answered 304: note the check (the spider counts it as unchanged)."""
        if self.state is not None:
            self.state.not_modified(
                response.meta.get("origin_url", response.url),
                etag=_header(response, "ETag"),
                last_modified=_header(response, "Last-Modified"),
            )


class ConditionalRequestMiddleware:
    """Downloader middleware: a request for an archived article carries its ETag /
    Last-Modified (and lets a 304 through to the spider); every article response's
    validators are kept for :class:`StatePipeline` to store."""

    def __init__(self, incremental: Incremental) -> None:
        self.incremental = incremental

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Incremental.for_crawler(crawler))

    def process_request(self, request: Request) -> None:
        state = self.incremental.state
        if not self.incremental.active or state is None:
            return
        known = state.known(request.meta.get("origin_url", request.url))
        if known is None or not known.written:
            return
        headers = known.conditional_headers()
        if headers:
            for name, value in headers.items():
                request.headers.setdefault(name, value)
            allowed = request.meta.get("handle_httpstatus_list", [])
            request.meta["handle_httpstatus_list"] = [*allowed, 304]

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 200:
            etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
            if etag or modified:
                url = request.meta.get("origin_url", request.url)
                self.incremental.validators[url] = (etag, modified)
        return response


class StatePipeline:
    """Item pipeline: writes each record's file and its state row (earlier version kept when
    it changed), in the order that survives ``kill -9`` (:meth:`State.save`); counts
    ``newscrawler/<force>/new|updated|unchanged``. Not used when records go to stdout."""

    def __init__(self, crawler: Crawler, out: str) -> None:
        self.crawler = crawler
        self.incremental = Incremental.for_crawler(crawler)
        self.lock = RunLock(out)
        self.lock.acquire()  # held by RunExtension already; nested, so partials are ours
        self.writer = ArticleWriter(out)
        ArticleWriter.clean_partials(out)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        out = crawler.settings.get("NEWSCRAWLER_OUT")
        if out == "-":
            raise NotConfigured("records go to stdout")
        return cls(crawler, out)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.incremental.state is not None and self.crawler.stats is not None
        article = item.to_article()
        etag, modified = self.incremental.validators.pop(item.url, (None, None))
        _, result = self.incremental.state.save(
            self.writer, article, force=item.force, etag=etag, last_modified=modified
        )
        self.crawler.stats.inc_value(f"newscrawler/{item.force}/{result.value}")
        return item

    def close_spider(self) -> None:
        self.lock.release()


class RunExtension:
    """Extension: holds the output folder's lock for the whole run (a second run fails at
    once), records the run in the state and writes ``<out>/runs/<start>.json`` at the start
    and at the end."""

    def __init__(self, crawler: Crawler, out: str) -> None:
        self.crawler = crawler
        self.lock = RunLock(out)
        self.lock.acquire()
        self.report = RunReport(Path(out))
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        out = crawler.settings.get("NEWSCRAWLER_OUT")
        if out == "-":
            raise NotConfigured("records go to stdout")
        ext = cls(crawler, out)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @property
    def state(self) -> State:
        state = Incremental.for_crawler(self.crawler).state
        assert state is not None
        return state

    def spider_opened(self, spider: Spider) -> None:
        forces = [f.slug for f in getattr(spider, "forces", [])]
        for force in forces:
            self.report.force(force)
        self.run_id = self.state.begin_run(self.report.started, forces)
        self.report.write()

    def response_received(self, response: Response, request: Request) -> None:
        force = request.meta.get("force")
        if force:
            self.report.touch(force)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for force, counts in self.report.forces.items():
            for name, stat in _STATS.items():
                setattr(counts, name, int(stats.get_value(f"newscrawler/{force}/{stat}", 0)))
        self.report.finish(reason, not_started=not_started(spider))
        self.report.write()
        # Listings were read to the end only by a run that finished, uncapped (no
        # --max-articles, no --since: the next plain run reads on past them), with none of the
        # force's listing pages, robots.txt or sitemaps failed (one may have hidden articles).
        # An article that failed hides nothing: the state holds it, and a run fetches it
        # again directly (Incremental.retries).
        # A back-fill reads an archive's index, not the force's listings.
        capped = (
            getattr(spider, "max_articles", None) is not None
            or getattr(spider, "since", None) is not None
            or getattr(spider, "archive", None) is not None
        )
        for force in self.report.forces:
            listings_read = not stats.get_value(f"newscrawler/{force}/listing_failed")
            if reason == "finished" and not capped and listings_read:
                self.state.mark_complete(force)
        if self.run_id is not None:
            forces = self.report.to_dict()["forces"]
            self.state.end_run(self.run_id, self.report.finished or utc_now(), reason, forces)
        self.lock.release()
