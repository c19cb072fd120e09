"""What a crawl is doing, while it runs: a live display on a terminal, plain lines elsewhere.

A crawl of every force takes hours at polite speed, and whoever started it wants to see it
move. On a terminal (stderr is a TTY and Scrapy's log goes to its file) a rich live display
shows one line per force being crawled (pages fetched, new / updated / failed records, the
page it is on) and an overall bar with an estimate of the known work left; each force that
ends scrolls up as one line. Anywhere else (cron, systemd, CI) it writes plain lines with no
control characters: one per force event (started, finished with its counts, failed, with
why) and a summary table at the end.

Settings: ``NEWSCRAWLER_PROGRESS`` = ``auto`` (live on a terminal, else plain), ``plain`` or
``quiet`` (only forces that failed, at the end); ``NEWSCRAWLER_VERBOSE`` also shows the
crawl's own notes and warnings (logger ``newscrawler``: pages that could not be fetched or
read) as they happen. Counts are the spider's stats ``newscrawler/<force>/<count>``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, ClassVar, Protocol

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.log import failure_to_exc_info
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from newscrawler.runs import failed_entirely, why_not_started

log = logging.getLogger(__name__)

MODES = ("auto", "plain", "quiet")
#: The counts shown per force, in order (stats ``newscrawler/<force>/<name>``).
SHOWN = ("pages", "new", "updated", "unchanged", "failed")
_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def clean(text: object) -> str:
    """One line of plain text: control characters (newlines, escapes) and runs of spaces
    become one space."""
    return _CONTROL.sub(" ", str(text)).strip()


def duration(seconds: float) -> str:
    """``42s``, ``3m07s``, ``2h05m``: short enough for a table column."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def force_of(request: Request | None) -> str | None:
    """The force a request belongs to (the spider marks each with ``meta["force"]``)."""
    force = request.meta.get("force") if request is not None else None
    return force if isinstance(force, str) else None


@dataclass
class ForceProgress:
    """One force's part of the crawl, as the display shows it."""

    slug: str
    state: str = "waiting"  # waiting, crawling, finished, failed, stopped
    current: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0  # exceptions in the spider's callbacks for this force's pages
    reason: str | None = None  # why it failed, when it did
    started: float | None = None
    ended: float | None = None

    @property
    def done(self) -> bool:
        return self.state in ("finished", "failed", "stopped")

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0) + self.errors

    @property
    def written(self) -> int:
        return sum(self.counts.get(k, 0) for k in ("new", "updated", "unchanged"))

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or now) - self.started

    def tally(self) -> str:
        """``12 pages, 3 new, 0 updated, 9 unchanged, 1 failed``."""
        values = {**self.counts, "failed": self.failed}
        return ", ".join(f"{values.get(k, 0)} {k}" for k in SHOWN)


class Display(Protocol):
    """Where progress goes: a live terminal display, plain lines, or nowhere."""

    def start(self) -> None: ...
    def event(self, force: ForceProgress, now: float) -> None: ...
    def note(self, message: str) -> None: ...
    def refresh(self, view: CrawlProgress) -> None: ...
    def finish(self, view: CrawlProgress) -> None: ...


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_text(force: ForceProgress, now: float) -> str:
    """The one line a force event is told in (plain mode, and above the live display)."""
    if force.state == "crawling":
        return f"{force.slug}: started"
    took = duration(force.elapsed(now))
    if force.state == "failed":
        return f"{force.slug}: FAILED — {force.reason} ({force.tally()}, {took})"
    if force.state == "stopped":
        return f"{force.slug}: stopped ({force.reason}) — {force.tally()} in {took}"
    return f"{force.slug}: finished — {force.tally()} in {took}"


def summary_rows(view: CrawlProgress) -> list[list[str]]:
    """The summary table, header and total included, as text cells."""
    head = ["force", *SHOWN, "time", "result"]
    rows = [head]
    totals = dict.fromkeys(SHOWN, 0)
    for f in view.forces.values():
        values = {**f.counts, "failed": f.failed}
        for k in SHOWN:
            totals[k] += values.get(k, 0)
        result = f"FAILED: {f.reason}" if f.state == "failed" else f.state
        rows.append([f.slug, *(str(values.get(k, 0)) for k in SHOWN), duration(f.elapsed(view.now)), result])
    rows.append(["total", *(str(totals[k]) for k in SHOWN), duration(view.now - view.began), ""])
    return rows


class PlainDisplay:
    """Lines for logs: a UTC time, the force, what happened. No colours, no cursor moves."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def _line(self, text: str) -> None:
        print(f"{_stamp()} {clean(text)}", file=self.stream, flush=True)

    def start(self) -> None:
        pass

    def event(self, force: ForceProgress, now: float) -> None:
        self._line(event_text(force, now))

    def note(self, message: str) -> None:
        self._line(message)

    def refresh(self, view: CrawlProgress) -> None:
        pass

    def finish(self, view: CrawlProgress) -> None:
        rows = summary_rows(view)
        widths = [max(len(clean(r[i])) for r in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [
                clean(c).ljust(w) if i == 0 else clean(c).rjust(w)
                for i, (c, w) in enumerate(zip(row[:-1], widths, strict=True))
            ]
            print("  ".join([*cells, clean(row[-1])]).rstrip(), file=self.stream)
        self.stream.flush()


class QuietDisplay:
    """Nothing while it runs; at the end, only the forces that failed, and why."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def start(self) -> None:
        pass

    def event(self, force: ForceProgress, now: float) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def refresh(self, view: CrawlProgress) -> None:
        pass

    def finish(self, view: CrawlProgress) -> None:
        for f in view.forces.values():
            if f.state == "failed":
                print(clean(f"{f.slug}: FAILED — {f.reason}"), file=self.stream, flush=True)


class LiveDisplay:
    """The terminal display: forces being crawled and an overall bar, redrawn in place."""

    STYLE: ClassVar[dict[str, str]] = {
        "finished": "green",
        "failed": "bold red",
        "stopped": "yellow",
        "crawling": "cyan",
    }

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = Live(console=console, auto_refresh=False, transient=True, redirect_stdout=False)

    def start(self) -> None:
        self.live.start()

    def event(self, force: ForceProgress, now: float) -> None:
        if force.state != "crawling":  # ends scroll up; starts show in the live lines
            style = self.STYLE.get(force.state, "")
            self.console.print(Text(event_text(force, now), style=style))

    def note(self, message: str) -> None:
        self.console.print(Text(clean(message), style="dim"))

    def refresh(self, view: CrawlProgress) -> None:
        self.live.update(self.render(view), refresh=True)

    def render(self, view: CrawlProgress) -> RenderableType:
        width = self.console.width
        active = [f for f in view.forces.values() if f.state == "crawling"]
        room = max(1, self.console.height - 4)
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        for _ in range(5):
            grid.add_column(justify="right")
        grid.add_column(overflow="ellipsis", no_wrap=True, max_width=max(10, width - 70))
        for f in active[:room]:
            failed = f.failed
            grid.add_row(
                Text(f.slug, style="cyan"),
                f"{f.counts.get('pages', 0)} pages",
                f"{f.counts.get('new', 0)} new",
                f"{f.counts.get('updated', 0)} updated",
                Text(f"{failed} failed", style="red" if failed else ""),
                duration(f.elapsed(view.now)),
                Text(f.current, style="dim"),
            )
        lines: list[RenderableType] = [grid]
        if len(active) > room:
            lines.append(Text(f"… and {len(active) - room} more forces crawling", style="dim"))
        done, total = view.requests
        finished = sum(1 for f in view.forces.values() if f.done)
        waiting = sum(1 for f in view.forces.values() if f.state == "waiting")
        bar = Table.grid(padding=(0, 1))
        bar.add_row(
            Text("overall", style="bold"),
            ProgressBar(total=max(total, 1), completed=done, width=max(10, min(40, width - 70))),
            f"{done}/{total} requests",
            f"forces {finished}/{len(view.forces)} done" + (f", {waiting} waiting" if waiting else ""),
            duration(view.now - view.began),
            Text(view.estimate() or "", style="dim"),
        )
        lines.append(bar)
        return Group(*lines)

    def finish(self, view: CrawlProgress) -> None:
        self.live.stop()
        table = Table(title="crawl summary", title_justify="left")
        rows = summary_rows(view)
        for i, name in enumerate(rows[0]):
            table.add_column(name, justify="left" if i in (0, len(rows[0]) - 1) else "right")
        for row in rows[1:-1]:
            table.add_row(*row, style="red" if row[-1].startswith("FAILED") else None)
        table.add_section()
        table.add_row(*rows[-1], style="bold")
        self.console.print(table)


class _ToDisplay(logging.Handler):
    """-v: the crawl's own log records (logger ``newscrawler``) shown on the display too."""

    def __init__(self, display: Display) -> None:
        super().__init__(logging.INFO)
        self.display = display

    def emit(self, record: logging.LogRecord) -> None:
        self.display.note(f"{record.levelname.lower()}: {record.getMessage()}")


def terminal_is_ours(settings: Any, stream: IO[str]) -> bool:
    """A live display only on a real terminal, and only when Scrapy's log is not written to
    the same terminal (it goes to LOG_FILE, see runner.build_settings)."""
    try:
        tty = os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        tty = False
    log_on_terminal = settings.getbool("LOG_ENABLED") and not settings.get("LOG_FILE")
    return tty and os.environ.get("TERM", "") != "dumb" and not log_on_terminal


class CrawlProgress:
    """The Scrapy extension: follows the crawl through signals and the stats, tells a Display."""

    TICK = 0.25  # seconds between redraws (and checks for forces that ended)

    def __init__(self, crawler: Crawler, display: Display, verbose: bool = False) -> None:
        self.crawler = crawler
        self.display = display
        self.verbose = verbose
        self.forces: dict[str, ForceProgress] = {}
        self.began = self.now = time.monotonic()
        self._queued: dict[str, set[Request]] = {}  # scheduled, not yet seen leave the scheduler
        self._known = 0  # requests scheduled and kept
        self._handler: logging.Handler | None = None
        self._loop = LoopingCall(self._tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        mode = settings.get("NEWSCRAWLER_PROGRESS", "auto")
        if mode not in MODES:
            print(
                f"newscrawler: NEWSCRAWLER_PROGRESS is {mode!r}; use one of {', '.join(MODES)}. "
                "Showing plain lines.",
                file=sys.stderr,
            )
            mode = "plain"
        display: Display
        if mode == "quiet":
            display = QuietDisplay(sys.stderr)
        elif mode == "auto" and terminal_is_ours(settings, sys.stderr):
            display = LiveDisplay(Console(stderr=True, force_terminal=True))
        else:
            display = PlainDisplay(sys.stderr)
        ext = cls(crawler, display, verbose=settings.getbool("NEWSCRAWLER_VERBOSE"))
        connect = crawler.signals.connect
        connect(ext.spider_opened, signal=signals.spider_opened)
        connect(ext.spider_closed, signal=signals.spider_closed)
        connect(ext.request_scheduled, signal=signals.request_scheduled)
        connect(ext.request_dropped, signal=signals.request_dropped)
        connect(ext.request_left_scheduler, signal=signals.request_reached_downloader)
        connect(ext.request_left_scheduler, signal=signals.request_left_downloader)
        connect(ext.response_received, signal=signals.response_received)
        connect(ext.spider_error, signal=signals.spider_error)
        if ext.verbose:
            connect(ext.item_scraped, signal=signals.item_scraped)
            connect(ext.item_dropped, signal=signals.item_dropped)
        return ext

    # ---- signals ------------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        for force in getattr(spider, "forces", []):
            self.forces[force.slug] = ForceProgress(force.slug)
            self._queued[force.slug] = set()
        if self.verbose:
            self._handler = _ToDisplay(self.display)
            logging.getLogger("newscrawler").addHandler(self._handler)
        self.display.start()
        self._loop.start(self.TICK, now=False).addErrback(self._tick_failed)

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        force = self.forces.get(force_of(request) or "")
        if force is None:
            return
        self._known += 1
        self._queued[force.slug].add(request)
        if force.state == "waiting":
            force.state, force.started = "crawling", time.monotonic()
            self.display.event(force, force.started)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        slug = force_of(request) or ""
        if slug in self._queued and request in self._queued[slug]:
            self._queued[slug].discard(request)
            self._known -= 1

    def request_left_scheduler(self, request: Request, spider: Spider) -> None:
        self._queued.get(force_of(request) or "", set()).discard(request)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        self.request_left_scheduler(request, spider)
        force = self.forces.get(force_of(request) or "")
        if force is not None:
            force.current = str(request.meta.get("origin_url") or request.url)

    def spider_error(self, failure: Failure, response: Response | None, spider: Spider) -> None:
        request = response.request if response is not None else None
        force = self.forces.get(force_of(request) or "")
        if force is not None:
            force.errors += 1
            if self.verbose:
                self.display.note(
                    f"{force.slug}: error reading {response.url if response else '?'}: {failure.value!r}"
                )

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        """-v: each article read (written, or found unchanged)."""
        self.display.note(f"{getattr(item, 'force', '?')}: article {getattr(item, 'url', item)}")

    def item_dropped(
        self, item: Any, response: Response | None, exception: BaseException, spider: Spider
    ) -> None:
        """-v: each record not written, and why (a duplicate under another address)."""
        self.display.note(f"{getattr(item, 'force', '?')}: not written, {exception}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop.running:
            self._loop.stop()
        self.now = time.monotonic()
        self._update_counts()
        for force in self.forces.values():
            if not force.done:
                self._end(force, None if reason == "finished" else reason)
        if self._handler is not None:
            logging.getLogger("newscrawler").removeHandler(self._handler)
        self.display.finish(self)

    # ---- state ----------------------------------------------------------------------------
    @property
    def requests(self) -> tuple[int, int]:
        """(requests done, requests known): known grows as listings reveal articles."""
        in_flight = self._in_flight() or set()
        pending = sum(1 for r in in_flight if force_of(r)) + (self._scheduler_size() or 0)
        return max(0, self._known - pending), self._known

    def estimate(self) -> str | None:
        """Time left for the requests known so far, at the rate so far; None until there is a
        rate and every force has started (before that, most of the work is still unknown)."""
        done, total = self.requests
        elapsed = self.now - self.began
        if (
            done < 10
            or elapsed < 5
            or total <= done
            or any(f.state == "waiting" for f in self.forces.values())
        ):
            return None
        return f"~{duration((total - done) * elapsed / done)} left of the work known so far"

    def _engine_slot(self) -> Any:
        engine = self.crawler.engine
        return getattr(engine, "_slot", None) if engine is not None else None

    def _in_flight(self) -> set[Request] | None:
        """Requests taken from the scheduler and not yet fully handled (downloaded, parsed,
        their items through the pipelines); None if this Scrapy does not show them."""
        inprogress = getattr(self._engine_slot(), "inprogress", None)
        return inprogress if isinstance(inprogress, set) else None

    def _scheduler_size(self) -> int | None:
        scheduler = getattr(self._engine_slot(), "scheduler", None)
        try:
            return len(scheduler)  # type: ignore[arg-type]
        except TypeError:
            return None

    def _start_done(self) -> bool:
        """True once the spider's start requests are all out (the engine drops its iterator)."""
        engine = self.crawler.engine
        return engine is not None and hasattr(engine, "_start") and engine._start is None

    def _update_counts(self) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        for force in self.forces.values():
            force.counts = {
                k: int(stats.get_value(f"newscrawler/{force.slug}/{k}", 0)) for k in (*SHOWN, "missing")
            }

    def _end(self, force: ForceProgress, stopped: str | None) -> None:
        """Close a force: failed when it wrote nothing and something failed (or it never had
        anything to fetch), stopped when the crawl was stopped, else finished."""
        force.ended = time.monotonic()
        if force.started is None and stopped is None:
            force.state, force.reason = "failed", self._why_nothing(force.slug)
        elif force.started is not None and failed_entirely({**force.counts, "failed": force.failed}):
            spider = self.crawler.spider
            first_error = getattr(spider, "first_error", {}).get(force.slug)
            missing = getattr(spider, "first_missing", {}).get(force.slug)
            if first_error is None and missing is not None and not force.failed:
                first_error = f"no listing or feed is there ({missing})"
            force.state, force.reason = "failed", clean(first_error or "no article could be read")
        elif stopped is not None:
            force.state, force.reason = "stopped", stopped
        else:
            force.state = "finished"
        self.display.event(force, force.ended)

    def _why_nothing(self, slug: str) -> str:
        stats = self.crawler.stats
        return why_not_started(stats is not None and bool(stats.get_value(f"newscrawler/{slug}/unsupported")))

    def _ended(self) -> Iterable[ForceProgress]:
        """Forces that have nothing left: start requests all out, none of their requests in
        flight or still queued. A request dropped before the downloader (robots.txt, a dead
        host) leaves no trace until the scheduler runs dry, so such a force ends late, never
        early."""
        in_flight = self._in_flight()
        if in_flight is None or not self._start_done():
            return []
        if self._scheduler_size() == 0:
            for queued in self._queued.values():
                queued.clear()
        busy = {force_of(r) for r in in_flight}
        for queued in self._queued.values():
            queued.difference_update(in_flight)
        return [
            f for f in self.forces.values() if not f.done and f.slug not in busy and not self._queued[f.slug]
        ]

    def _tick_failed(self, failure: Failure) -> None:
        """A broken display must not break the crawl: say so in the log, and carry on."""
        log.error(
            "progress display stopped: %s", failure.getErrorMessage(), exc_info=failure_to_exc_info(failure)
        )

    def _tick(self) -> None:
        self.now = time.monotonic()
        self._update_counts()
        for force in self._ended():
            self._end(force, None)
        self.display.refresh(self)
