"""The output folder's run lock and the run report."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from newscrawler.runs import LOCK_FILE, ForceCounts, RunLock, RunLockedError, RunReport
from newscrawler.state import State

HOLDER = """
import sys
from newscrawler.runs import RunLock
RunLock(sys.argv[1]).acquire()
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes stdin, or kills us
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock on tmp_path."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream:
            stream.close()


def test_second_run_stops_at_once_naming_the_holder(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(RunLockedError) as caught, RunLock(tmp_path):
        pass
    assert caught.value.pid == holder.pid
    assert f"process {holder.pid}" in str(caught.value)
    assert str(tmp_path / LOCK_FILE) in str(caught.value)


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with RunLock(tmp_path):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"


def test_lock_is_released_on_exit_and_nests_within_a_process(tmp_path: Path) -> None:
    outer = RunLock(tmp_path)
    with outer:
        with RunLock(tmp_path):  # the CLI, then the crawl extension: no self-deadlock
            pass
        # Still held by the outer lock after the inner one let go.
        probe = subprocess.run([sys.executable, "-c", HOLDER, str(tmp_path)], capture_output=True, text=True)
        assert probe.returncode != 0 and "RunLockedError" in probe.stderr
    probe = subprocess.run(
        [sys.executable, "-c", HOLDER, str(tmp_path)], input="", capture_output=True, text=True
    )
    assert probe.returncode == 0 and probe.stdout == "locked\n"


def test_forget_refuses_while_a_run_holds_the_folder(
    tmp_path: Path, holder: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    State.open(tmp_path).close()
    assert main(["state", "--forget", "kent", "--data", str(tmp_path)]) == 1
    assert f"process {holder.pid}" in capsys.readouterr().err


T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
NO_PROXY_ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def test_report_counts_durations_and_finish(tmp_path: Path) -> None:
    report = RunReport(tmp_path, started=T0)
    assert report.path == tmp_path / "runs" / "2024-05-01T12-00-00.000Z.json"
    kent, essex = report.force("kent"), report.force("essex")
    kent.pages, kent.new, essex.failed = 3, 2, 1
    report.touch("kent", T0)
    report.touch("kent", T0 + timedelta(seconds=4.5))
    report.touch("essex", T0)
    report.finish("finished", at=T0 + timedelta(seconds=10))
    assert essex.failed_entirely and not kent.failed_entirely
    # Listings that are not there fail a force only when nothing else of it was read.
    assert ForceCounts(missing=1).failed_entirely
    assert not ForceCounts(missing=1, pages=2).failed_entirely
    path = report.write()
    data = json.loads(path.read_text())
    assert data == {
        "started": "2024-05-01T12:00:00Z",
        "finished": "2024-05-01T12:00:10Z",
        "finish_reason": "finished",
        "forces": {
            "essex": {
                "pages": 0,
                "new": 0,
                "updated": 0,
                "unchanged": 0,
                "failed": 1,
                "not_articles": 0,
                "missing": 0,
                "duration": 0.0,
                "finish_reason": "failed",
            },
            "kent": {
                "pages": 3,
                "new": 2,
                "updated": 0,
                "unchanged": 0,
                "failed": 0,
                "not_articles": 0,
                "missing": 0,
                "duration": 4.5,
                "finish_reason": "finished",
            },
        },
    }
    assert [p.name for p in (tmp_path / "runs").iterdir()] == [path.name]  # no temp left


def test_report_written_at_start_is_rewritten_in_place(tmp_path: Path) -> None:
    report = RunReport(tmp_path, started=T0)
    report.write()
    assert json.loads(report.path.read_text())["finished"] is None
    report.finish("closespider_timeout", at=T0)
    report.write()
    assert json.loads(report.path.read_text())["finish_reason"] == "closespider_timeout"


def test_reports_of_runs_in_the_same_second_do_not_collide(tmp_path: Path) -> None:
    first = RunReport(tmp_path, started=T0)
    first.write()
    second = RunReport(tmp_path, started=T0)
    assert second.path.name == "2024-05-01T12-00-00.000Z-2.json"


# The Scrapy side, end to end: a small spider that asks Incremental as the police spider does,
# crawling a site served on 127.0.0.1 that honours If-None-Match. Each run is its own process,
# as scheduled runs are.

CRAWL = """
import sys
from datetime import date

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newscrawler.items import ArticleItem
from newscrawler.record import Article
from newscrawler.runs import Incremental, RunLock, RunLockedError
from newscrawler.settings import FAST


class Force:
    slug = "kent"


class SiteSpider(Spider):
    name = "site"
    forces = [Force()]

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.seen = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.incremental = Incremental.for_crawler(crawler)
        return spider

    def request(self, url, callback):
        return Request(url, callback, meta={"force": "kent", "origin_url": url})

    def count(self, what):
        self.crawler.stats.inc_value(f"newscrawler/kent/{what}")

    async def start(self):
        for url in self.incremental.revisits("kent"):
            self.seen.add(url)
            yield self.request(url, self.parse_article)
        yield self.request(self.base + "/list/1", self.parse_listing)

    def parse_listing(self, response):
        self.count("pages")
        links = [
            (response.urljoin(a.attrib["href"]), date.fromisoformat(a.attrib["data-date"]))
            for a in response.css("a.article")
        ]
        for url, _ in links:
            if url not in self.seen and self.incremental.wants(url, "kent"):
                self.seen.add(url)
                yield self.request(url, self.parse_article)
        following = response.css("a.next::attr(href)").get()
        if following and self.incremental.keep_paging("kent", [u for u, _ in links]):
            yield self.request(response.urljoin(following), self.parse_listing)

    def parse_article(self, response):
        self.count("pages")
        if response.status == 304:
            self.incremental.not_modified(response)
            self.count("unchanged")
            return
        article = Article.build(
            area="Kent",
            title=response.css("h1::text").get(),
            url=response.url,
            description="A description.",
            published=date.fromisoformat(response.css("time::text").get()),
            body=response.css("p::text").get(),
            force="kent",
        )
        yield ArticleItem.from_article(article, "2024-01-01T00:00:00+00:00")


base, out, full = sys.argv[1], sys.argv[2], sys.argv[3]
settings = Settings()
settings.setmodule("newscrawler.settings")
settings.update(FAST)
settings.update(
    {
        "NEWSCRAWLER_OUT": out,
        "NEWSCRAWLER_FULL": full,
        "NEWSCRAWLER_REVISIT_DAYS": 14,
        "ITEM_PIPELINES": {"newscrawler.runs.StatePipeline": 300},
        "EXTENSIONS": {"newscrawler.runs.RunExtension": 0},
        "DOWNLOADER_MIDDLEWARES": {"newscrawler.runs.ConditionalRequestMiddleware": 580},
        "LOG_LEVEL": "ERROR",
    }
)
try:
    with RunLock(out):
        process = CrawlerProcess(settings)
        process.crawl(SiteSpider, base=base)
        process.start()
except RunLockedError as exc:
    print(exc, file=sys.stderr)
    sys.exit(3)
"""


class Site:
    """A force's news site on 127.0.0.1: listing pages of 3 links, newest first; article pages
    with an ETag, answering 304 to a matching If-None-Match. Logs every path requested."""

    def __init__(self) -> None:
        self.articles: list[tuple[str, date, str, str]] = []  # slug, published, title, body
        self.requests: list[str] = []
        # Request number at which to hold the response until `release` (for kill tests).
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, slug: str, days_ago: int, title: str = "", body: str = "Text.") -> None:
        self.articles.append((slug, date.today() - timedelta(days=days_ago), title or slug, body))
        self.articles.sort(key=lambda a: (a[1], a[0]), reverse=True)

    def edit(self, slug: str, body: str) -> None:
        self.articles = [(s, d, t, body if s == slug else b) for s, d, t, b in self.articles]

    def page(self, path: str) -> tuple[int, str, str | None]:
        if path.startswith("/list/"):
            n = int(path.rsplit("/", 1)[1])
            chunk = self.articles[(n - 1) * 3 : n * 3]
            links = "".join(
                f'<a class="article" href="/news/{s}" data-date="{d.isoformat()}">{t}</a>'
                for s, d, t, _ in chunk
            )
            more = f'<a class="next" href="/list/{n + 1}">next</a>' if len(self.articles) > n * 3 else ""
            return 200, f"<html><body>{links}{more}</body></html>", None
        for s, d, t, b in self.articles:
            if path == f"/news/{s}":
                html = f"<html><body><h1>{t}</h1><time>{d.isoformat()}</time><p>{b}</p></body></html>"
                etag = '"' + hashlib.sha1(html.encode()).hexdigest()[:12] + '"'
                return 200, html, etag
        return 404, "not found", None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if len(site.requests) == site.hold_at:
                    site.held.set()
                    site.release.wait(timeout=CRAWL_LIMIT)
                # The client may be a crawl the test killed: its socket is gone.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.answer()

            def answer(self) -> None:
                status, html, etag = site.page(self.path)
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                data = html.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def take_requests(self) -> list[str]:
        taken, self.requests = self.requests, []
        return taken


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.thread.start()
    try:
        yield s
    finally:
        s.server.shutdown()
        s.server.server_close()


CRAWL_LIMIT = 300.0  # an upper bound on a stuck crawl, not an expectation


def crawl_command(site: Site, out: Path, *, full: bool = False) -> list[str]:
    script = out.parent / "crawl_site.py"
    script.write_text(CRAWL)
    return [sys.executable, str(script), site.base, str(out), "1" if full else "0"]


def crawl(site: Site, out: Path, *, full: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_command(site, out, full=full),
        capture_output=True,
        text=True,
        timeout=CRAWL_LIMIT,
        env=NO_PROXY_ENV,
    )


def files(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((out / "news" / "Kent").glob("*.md"))}


def last_report(out: Path) -> dict[str, Any]:
    return json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text())


def test_incremental_runs_fetch_only_what_is_new_or_young(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for n in range(9):  # two young enough to revisit (3 and 5 days), seven older
        site.add(f"a{n}", days_ago=[3, 5, 30, 40, 50, 60, 70, 80, 90][n])

    first = crawl(site, out)
    assert first.returncode == 0, first.stderr
    assert len(files(out)) == 9
    report = last_report(out)
    assert report["finish_reason"] == "finished"
    assert report["forces"]["kent"] | {"duration": 0} == {
        "pages": 12,
        "new": 9,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "not_articles": 0,
        "missing": 0,
        "duration": 0,
        "finish_reason": "finished",
    }
    site.take_requests()
    before = files(out)

    # Unchanged site: the two young articles cost a 304 each, the old ones nothing; listings
    # stop at the first page showing only archived articles no newer than the newest.
    second = crawl(site, out)
    assert second.returncode == 0, second.stderr
    requests = site.take_requests()
    print(f"second run: {len(requests)} requests: {requests}")
    assert sorted(r for r in requests if r.startswith("/news/")) == ["/news/a0", "/news/a1"]
    assert [r for r in requests if r.startswith("/list/")] == ["/list/1"]
    assert files(out) == before
    counts = last_report(out)["forces"]["kent"]
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (0, 0, 2)

    # Three new articles and two edits: one young (caught by its revisit), one old (not
    # revisited: only a full run sees it).
    for n in range(3):
        site.add(f"new{n}", days_ago=1)
    site.edit("a1", "Released under investigation.")
    site.edit("a8", "Charged.")
    third = crawl(site, out)
    assert third.returncode == 0, third.stderr
    after = files(out)
    assert len(after) == 12
    changed = {name for name in before if after[name] != before[name]}
    assert len(changed) == 1 and "Released under investigation." in after[changed.pop()]
    counts = last_report(out)["forces"]["kent"]
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (3, 1, 1)
    a1_url = f"{site.base}/news/a1"
    with State.open(out) as state:
        versions = state.versions(a1_url)
        assert [v.text for v in versions] == [before[Path(state.known(a1_url).path).name]]  # type: ignore[union-attr]
        assert state.check() == []
    site.take_requests()

    # --full ignores the state: every page and article is fetched, unconditionally.
    full = crawl(site, out, full=True)
    assert full.returncode == 0, full.stderr
    requests = site.take_requests()
    assert len([r for r in requests if r.startswith("/news/")]) == 12
    assert len([r for r in requests if r.startswith("/list/")]) == 4
    counts = last_report(out)["forces"]["kent"]
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (0, 1, 11)
    assert "Charged." in "".join(files(out).values())
    with State.open(out) as state:
        assert [r["finish_reason"] for r in state.runs()] == ["finished"] * 4
        assert state.summary()[0].records == 12


def test_a_second_run_on_a_held_folder_stops_at_once(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    site.add("a0", days_ago=1)
    with RunLock(out):
        result = crawl(site, out)
    assert result.returncode == 3
    assert f"process {os.getpid()}" in result.stderr
    assert site.requests == []


# Kill points in the second run (5 listing pages, 12 new articles): after the first listing
# page, among the first articles, mid-way, near the end.
@pytest.mark.parametrize("kill_at", [2, 4, 8, 11, 15])
def test_a_run_killed_at_any_point_is_completed_by_the_next(site: Site, tmp_path: Path, kill_at: int) -> None:
    out = tmp_path / "out"
    for n in range(3):
        site.add(f"old{n}", days_ago=100 + n)
    assert crawl(site, out).returncode == 0  # a complete run: the archive was whole once
    for n in range(12):
        site.add(f"a{n}", days_ago=20 + n)
    reference = crawl(site, tmp_path / "reference")
    assert reference.returncode == 0, reference.stderr
    expected = files(tmp_path / "reference")
    assert len(expected) == 15
    site.take_requests()

    site.hold_at = kill_at
    with subprocess.Popen(
        crawl_command(site, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=NO_PROXY_ENV
    ) as killed:
        assert site.held.wait(timeout=CRAWL_LIMIT), "the crawl never reached the kill point"
        killed.send_signal(signal.SIGKILL)
        assert killed.wait() == -signal.SIGKILL
    site.hold_at = None
    site.release.set()
    print(f"killed at request {kill_at}: {len(files(out))} of 15 records on disk")

    # Articles the killed run archived sit above ones it never reached: the next run must
    # read past them, and write each missing record once.
    resumed = crawl(site, out)
    assert resumed.returncode == 0, resumed.stderr
    assert files(out) == expected
    assert not list(out.rglob("*.part"))
    with State.open(out) as state:
        assert state.check() == []
        assert state.summary()[0].records == 15
        assert [r["finish_reason"] for r in state.runs()] == ["finished", None, "finished"]
