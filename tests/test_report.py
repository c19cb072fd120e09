"""The HTML report: what it gathers from an output folder, the command, and the page as
headless Chromium renders it (charts drawn, nothing fetched)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import select
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from newscrawler.record import Article, ArticleWriter, read
from newscrawler.report import (
    MIN_WORDS_RECORDS,
    STOP_WORDS,
    Report,
    ReportError,
    collect,
    record_date,
    render_html,
    words,
)
from newscrawler.runs import RUNS_DIR, RunReport
from newscrawler.state import State
from tests.conftest import KENT, article, iter_sample_files

T0 = datetime(2021, 4, 5, 6, 0, 0, tzinfo=UTC)


def run_command(*argv: str) -> int:
    """``newscrawler report …``, its errors turned into exit statuses as the CLI does."""
    return main(["report", *argv])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small output folder: the sample records written by ArticleWriter, two run reports
    (kent finished in both; essex failed in the last one) and a state with a failing url."""
    out = tmp_path_factory.mktemp("data")
    writer = ArticleWriter(out)
    for path in iter_sample_files():
        writer.write(read(path))
    first = RunReport(out, started=T0)
    first.force("kent").new = 5
    first.force("essex").new = 2
    first.finish("finished", at=T0 + timedelta(minutes=1))
    first.write()
    second = RunReport(out, started=T0 + timedelta(days=1))
    second.force("kent").unchanged = 3
    second.force("essex").failed = 4
    second.finish("finished", at=T0 + timedelta(days=1, minutes=1))
    second.write()
    with State.open(out) as state:
        state.failed("https://www.kent.police.uk/news/kent/news/x/gone/", "kent", "HTTP 500")
    return out


@pytest.fixture(scope="module")
def report(data_dir: Path) -> Report:
    return collect(data_dir)


def by_area(report: Report, area: str) -> Any:
    return next(f for f in report.forces if f.area == area)


# ---- what is gathered ---------------------------------------------------------------------


def test_dates_come_from_meta_then_a_date_line_never_a_sentence() -> None:
    def dated(meta: dict[str, Any], body: str) -> Article:
        return Article(meta={"url": "https://example.police.uk/news/a", **meta}, body=body)

    assert record_date(dated({"publish": {"date": "5 Jan 2021"}}, "x")) == date(2021, 1, 5)
    assert record_date(dated({"publish": {"date": "12:35 30/10/2020"}}, "x")) == date(2020, 10, 30)
    iso = {"article": {"published": {"time": "2017-05-17T14:33:26+00:00"}}}
    assert record_date(dated(iso, "x")) == date(2017, 5, 17)
    assert record_date(dated({}, "# Title\n\n**14:20 3 March 2021**\n\nText.")) == date(2021, 3, 3)
    sentence = "The body was found on 14 January 1996 at Burley station.\n\nMore."
    assert record_date(dated({}, sentence)) is None


def test_words_drop_stop_words_markdown_numbers_and_possessives() -> None:
    assert words("**police** appeal: the man's car was stolen in the town, 101 quoting ref 46/XY") == {
        "man",
        "car",
        "stolen",
        "town",
        "ref",
    }
    assert {"the", "police", "officers"} <= STOP_WORDS


def test_words_leave_out_what_is_only_written_with_capitals() -> None:
    """Names of people and places (and acronyms) are not counted: topics, not people."""
    text = "John Smith, 34, of Luton was charged. Smith denies the burglary. CCTV shows a van."
    assert words(text) == {"charged", "denies", "burglary", "shows", "van"}
    assert words("Burglary in Luton. A burglary: the bike was stolen.") == {"burglary", "bike", "stolen"}


def test_counts_months_newest_and_gaps(report: Report) -> None:
    assert report.records == len(list(iter_sample_files()))
    assert len(report.forces) == len({p.parent.name for p in iter_sample_files()})
    beds = by_area(report, "Bedfordshire")
    assert beds.slug == "bedfordshire" and beds.records == 40
    newest = max(
        record_date(read(p)) or date.min for p in iter_sample_files() if p.parent.name == "Bedfordshire"
    )
    assert beds.newest == newest
    assert beds.newest_url.startswith("https://www.bedfordshire.police.uk/")
    # A gap is a month without records strictly inside the span, never at its ends.
    assert beds.span is not None
    for first, last in beds.gaps():
        assert beds.span[0] < first <= last < beds.span[1]
        assert beds.months[first] == 0 and beds.months[last] == 0


def test_runs_give_last_run_last_success_and_failures(report: Report) -> None:
    kent, essex = by_area(report, "Kent"), by_area(report, "Essex")
    assert report.runs == 2
    assert kent.last_run is not None and kent.last_run.reason == "finished"
    assert kent.last_success == "2021-04-06T06:00:00Z"
    assert essex.last_run is not None and essex.last_run.reason == "failed"
    assert essex.last_success == "2021-04-05T06:00:00Z"
    assert kent.failing == 1  # from the state
    assert not report.fallback_recorded


def test_top_words_are_of_the_last_30_days_of_records(report: Report) -> None:
    assert report.words_window is not None
    start, end = report.words_window
    assert (end - start).days == 29
    assert end == max(record_date(read(p)) or date.min for p in iter_sample_files())
    assert report.top_words and report.words_records > 0
    assert not {w for w, _ in report.top_words} & STOP_WORDS


def test_fallback_counts_are_shown_when_a_run_report_carries_them(tmp_path: Path) -> None:
    runs = tmp_path / RUNS_DIR
    runs.mkdir()
    (runs / "2024-05-01T12-00-00Z.json").write_text(
        json.dumps(
            {
                "started": "2024-05-01T12:00:00Z",
                "finish_reason": "finished",
                "forces": {"kent": {"finish_reason": "finished", "fallback": 7}},
            }
        )
    )
    (runs / "broken.json").write_text("{not json")
    found = collect(tmp_path)
    assert found.fallback_recorded
    kent = by_area(found, "Kent")
    assert kent.last_run is not None and kent.last_run.fallback == 7
    page = render_html(found)
    assert "Site layout not recognised" in page and "Kent (7 pages)" in page
    assert found.notes == ["1 crawl report in runs/ could not be read and was left out: broken.json"]


def test_page_says_when_fallbacks_are_not_recorded(report: Report) -> None:
    page = render_html(report)
    assert "Pages read by the generic extractor (a site layout not recognised): not recorded" in page
    assert "Last crawl failed</span> for 1 force (2021-04-06 06:00 UTC): Essex" in page


def test_page_loads_nothing_and_escapes_what_it_shows(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "news" / "Kent"
    out.mkdir(parents=True)
    hostile = article('<script>alert("x")</script>', url="javascript:alert(1)", published=date(2024, 1, 2))
    (out / "x.md").write_text(hostile.render())
    page = render_html(collect(tmp_path))
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "default-src 'none'" in page
    page = render_html(collect(data_dir))
    assert not re.search(r"<(?:script|link|img|iframe|object|embed)\b", page)
    assert "url(" not in page and "@import" not in page
    assert set(re.findall(r'\bhref="([a-z]+):', page)) <= {"https", "http"}


def _text(page: str) -> str:
    """What a reader sees of the page: no style, no markup."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _offline_run(out: Path, forces: list[str]) -> None:
    """A run report as a crawl without network leaves it: every force failed."""
    run = RunReport(out, started=T0)
    for force in forces:
        run.force(force).failed = 3
    run.finish("finished", at=T0 + timedelta(seconds=3))
    run.write()


def test_forces_with_records_come_first(tmp_path: Path) -> None:
    ArticleWriter(tmp_path).write(article("Kent news", published=date(2021, 1, 5)))
    _offline_run(tmp_path, ["avon-and-somerset", "kent", "bedfordshire"])
    found = collect(tmp_path)
    assert [f.area for f in found.forces] == ["Kent", "Avon and Somerset", "Bedfordshire"]


def test_failed_forces_of_one_crawl_and_failing_pages_of_one_reason_are_one_line(tmp_path: Path) -> None:
    ArticleWriter(tmp_path).write(article("Kent news", published=date(2021, 1, 5)))
    _offline_run(tmp_path, ["avon-and-somerset", "essex", "kent"])
    with State.open(tmp_path) as state:
        for n in range(3):
            state.failed(
                f"https://www.essex.police.uk/news/{n}/",
                "essex",
                f"https://www.essex.police.uk/news/{n}/: could not extract title",
            )
        state.failed(
            "https://www.kent.police.uk/news/kent/news/a/",
            "kent",
            "https://www.kent.police.uk/news/kent/news/a/: could not extract title",
        )
        state.failed(
            "https://www.kent.police.uk/news/kent/news/b/",
            "kent",
            "www.kent.police.uk: HTTP 503 Service Unavailable",
        )
        state.failed(
            "https://www.essex.police.uk/news/9/", "essex", "127.0.0.1:8080: HTTP 503 Service Unavailable"
        )
    found = collect(tmp_path)
    assert [(g.reason, g.pages, g.forces) for g in found.failures] == [
        ("could not extract title", 4, (("Essex", 3), ("Kent", 1))),
        ("HTTP 503 Service Unavailable", 2, (("Essex", 1), ("Kent", 1))),
    ]
    text = _text(render_html(found))
    assert text.count("Last crawl failed") == 1
    assert "Last crawl failed for 3 forces (2021-04-05 06:00 UTC): Avon and Somerset, Essex, Kent" in text
    assert "6 pages could not be archived at the last try, for 2 reasons" in text
    assert "could not extract title 4 Essex (3), Kent (1)" in text
    assert "https://" not in text.split("Pages that could not be archived")[1].split("Coverage gaps")[0]


def _dated_records(out: Path, count: int, body: str) -> None:
    writer = ArticleWriter(out)
    for n in range(count):
        url = f"{KENT}/news/kent/news/{n}/"
        writer.write(article(f"News {n}", url=url, published=date(2021, 1, 5), body=body))


def test_top_words_need_enough_records(tmp_path: Path) -> None:
    _dated_records(tmp_path, MIN_WORDS_RECORDS - 1, "a burglary in the town")
    found = collect(tmp_path)
    assert found.top_words == [] and found.words_records == MIN_WORDS_RECORDS - 1
    text = _text(render_html(found))
    assert f"Only {MIN_WORDS_RECORDS - 1} records in those days: too few" in text
    assert f"Shown only from {MIN_WORDS_RECORDS} records or more" in text


def test_top_words_need_enough_records_per_word_and_leave_names_out(tmp_path: Path) -> None:
    _dated_records(tmp_path, MIN_WORDS_RECORDS, "John Smith of Luton reported a burglary in the town.")
    ArticleWriter(tmp_path).write(
        article("One", url=f"{KENT}/news/kent/news/one/", published=date(2021, 1, 5), body="a rare stabbing")
    )
    found = collect(tmp_path)
    assert dict(found.top_words) == {"burglary": MIN_WORDS_RECORDS, "town": MIN_WORDS_RECORDS}


def test_plurals_and_plain_words(tmp_path: Path) -> None:
    ArticleWriter(tmp_path).write(article("Kent news", published=date(2021, 1, 5)))
    _offline_run(tmp_path, ["kent"])
    with State.open(tmp_path) as state:
        state.failed("https://www.kent.police.uk/news/kent/news/b/", "kent", "HTTP 500")
    text = _text(render_html(collect(tmp_path)))
    assert "1 record " in text and "1 force with records" in text and "1 crawl recorded" in text
    assert "1 page could not be archived at the last try, for 1 reason" in text
    assert not re.search(r"\b1 (records|forces|pages|crawls)\b|\(s\)", text)
    jargon = ("state", "complete_through", "selector", "run report", "fallback", "finish", "url", "shutdown")
    assert not [word for word in jargon if word in text.lower()], text


# ---- the command --------------------------------------------------------------------------


def test_command_writes_the_page(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert run_command(str(data_dir), "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"{out}: 364 records of 46 forces, 2 crawls recorded" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left


def test_command_errors_say_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ReportError, match="name the data folder of a crawl"):
        collect(tmp_path / "nope")
    assert run_command(str(tmp_path / "nope"), "--out", str(tmp_path / "r.html")) == 1
    assert "no folder" in capsys.readouterr().err
    assert run_command(str(tmp_path), "--out", str(tmp_path / "r.html")) == 1
    err = capsys.readouterr().err
    assert "has no records" in err and "newscrawler crawl" in err
    assert run_command(str(tmp_path), "--out", str(tmp_path)) == 1
    assert "is a folder" in capsys.readouterr().err
    assert run_command(str(tmp_path), "--out", str(tmp_path / "missing" / "r.html")) == 1
    assert "no folder" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_command_writes_to_stdout(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(str(data_dir), "--out", "-") == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


# ---- in a browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
    # Belt and braces: were the page to ask for a host, no name would resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (fds 3 and
    4 of the browser, NUL-separated JSON): no websocket, no port, no extra package."""

    def __init__(self, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds() -> None:  # in the child: the pipe ends become fds 3 and 4, kept across exec
            read_end, write_end = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        assert CHROMIUM is not None
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            close_fds=False,  # fds 3 and 4 must reach the browser; os.pipe's own ends are not inheritable
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], 60)
            chunk = os.read(self._from_browser, 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("chromium stopped answering")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        command: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        while True:
            message = self._read()
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._read()
            self.events.append(message)
            if message.get("method") == method:
                return message

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=30)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium package (`apt-get install chromium`; .ci/run installs it)")
    tools = DevTools(tmp_path / "profile")
    yield tools
    tools.close()


CHECK_CHARTS = """JSON.stringify((() => {
  const size = id => {
    const r = document.getElementById(id).getBoundingClientRect(); return [r.width, r.height]; };
  const drawn = sel => [...document.querySelectorAll(sel)].filter(e => {
    const b = e.getBBox(); return b.width > 0 && b.height > 0; }).length;
  return {
    sizes: [size('chart-months'), size('chart-heatmap'), size('chart-words')],
    bars: drawn('#chart-months rect.bar'),
    series: [...document.querySelectorAll('#chart-heatmap g.series')].map(g => g.dataset.area),
    cells: drawn('#chart-heatmap rect.cell'),
    words: drawn('#chart-words rect'),
  };
})())"""


def test_report_renders_in_chromium_with_charts_and_no_network(
    browser: DevTools, data_dir: Path, report: Report, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    assert run_command(str(data_dir), "--out", str(page)) == 0
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Network", "Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        session,
        width=1280,
        height=1000,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.send("Page.navigate", session, url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    result = browser.send("Runtime.evaluate", session, expression=CHECK_CHARTS, returnByValue=True)
    charts = json.loads(result["result"]["value"])
    shot = browser.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True)
    screenshot = tmp_path / "report.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))

    # The charts drew: real sizes, one bar per month with records, one row per force.
    assert all(w > 300 and h > 100 for w, h in charts["sizes"]), charts["sizes"]
    assert charts["bars"] == len(report.months)
    assert charts["series"] == [f.area for f in report.forces if f.months]
    assert charts["cells"] == sum(len(f.months) for f in report.forces)
    assert charts["words"] == len(report.top_words) > 0
    assert screenshot.stat().st_size > 20_000

    # Nothing was fetched but the page itself, and nothing was refused (a CSP block).
    requested = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested == [page.as_uri()]
    assert not [e for e in browser.events if e.get("method") == "Network.webSocketCreated"]
    problems = [
        e["params"]["entry"]["text"]
        for e in browser.events
        if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning")
    ]
    assert not problems
    assert not [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
