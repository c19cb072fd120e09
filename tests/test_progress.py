"""The crawl's progress display: live on a terminal, plain lines elsewhere, quiet, verbose.

Each crawl here is the real ``newscrawler crawl`` command in a child process, against a tiny
site served on 127.0.0.1 by the test (only that address), for Bedfordshire's old BCH site,
plus Hertfordshire's mirrored to a closed port so that one force fails.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import socket
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawler.progress import ForceProgress, PlainDisplay, clean, duration, event_text, terminal_is_ours

ARTICLES = 5  # Appeal-1 … Appeal-5 are articles; Appeal-0 is a 404
DRIVER = """
import argparse, sys
from newscrawler.commands import crawl
parser = argparse.ArgumentParser(prog="newscrawler")
crawl.add_parser(parser.add_subparsers())
args = parser.parse_args(sys.argv[1:])
sys.exit(args.run(args))
"""
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def page(i: int) -> str:
    return (
        f"<html><head><title>Appeal number {i}</title>"
        f'<meta property="og:description" content="Police are appealing for witnesses, case {i}."></head>'
        f'<body><main><h1>Appeal number {i}</h1><p class="date">1{i} Mar 2020</p>'
        f'<div class="article-body"><p>Police are appealing for witnesses after burglary {i} in Luton.</p>'
        "<p>Anyone with information should call 101.</p></div></main></body></html>"
    )


@dataclass
class Site:
    url: str
    gate: threading.Event  # the last article is served only once this is set


@pytest.fixture
def site() -> Iterator[Site]:
    gate = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/news-and-appeals":
                links = "".join(
                    f'<li><a href="/news-and-appeals/Appeal-{i}">Appeal {i}</a></li>'
                    for i in range(ARTICLES + 1)
                )
                body = f"<html><body><ul>{links}</ul></body></html>"
            elif re.fullmatch(rf"/news-and-appeals/Appeal-[1-{ARTICLES}]", self.path):
                n = int(self.path.rsplit("-", 1)[1])
                if n == ARTICLES:
                    gate.wait(120)
                body = page(n)
            elif self.path == "/robots.txt":
                body = "User-agent: *\n"
            else:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_address[1]}", gate)
    gate.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A port on 127.0.0.1 bound but not listening, for the whole test: connections to it are
    refused, and no other program on the machine can take it meanwhile."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])


def crawl_command(site: Site, dead_port: int, out: Path, *settings: str) -> list[str]:
    project = Settings()
    project.setmodule("newscrawler.settings")
    extensions = {**project.getdict("EXTENSIONS"), "newscrawler.progress.CrawlProgress": 0}
    command = [
        sys.executable,
        "-c",
        DRIVER,
        "crawl",
        "bedfordshire",
        "hertfordshire",
        "--data",
        str(out),
        "--mirror",
        f"https://www.bedfordshire.police.uk={site.url}",
        "--mirror",
        f"https://www.herts.police.uk=http://127.0.0.1:{dead_port}",
        "-s",
        "RETRY_ENABLED=False",
        "-s",
        f"EXTENSIONS={json.dumps(extensions)}",
    ]
    for setting in settings:
        command += ["-s", setting]
    return command


def child_env() -> dict[str, str]:
    drop = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES", "CI")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["TERM"] = "xterm-256color"
    return env


def run_piped(site: Site, dead_port: int, tmp_path: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    site.gate.set()
    return subprocess.run(
        crawl_command(site, dead_port, tmp_path / "out", *settings),
        capture_output=True,
        text=True,
        env=child_env(),
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


# ---- the live display in a pseudo-terminal ---------------------------------------------------


class Terminal:
    """A child process on a pseudo-terminal of 40 rows by 120 columns; reads all it writes."""

    def __init__(self, command: list[str]) -> None:
        self.master, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.proc = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=child_env())
        os.close(child)
        self.raw = b""

    @property
    def text(self) -> str:
        """What was written, without escape sequences and carriage returns."""
        return ANSI.sub("", self.raw.decode("utf-8", "replace")).replace("\r", "")

    def read_until(self, pattern: str) -> re.Match[str]:
        """Read until ``pattern`` shows (a safety limit stops a hung crawl; no timing is tested)."""
        while not (found := re.search(pattern, self.text)):
            assert self._read(), f"output ended before {pattern!r}:\n{self.text}"
        return found

    def read_to_end(self) -> int:
        while self._read():
            pass
        return self.proc.wait(timeout=60)

    def _read(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], 120)
        assert ready, f"no output for 120 s:\n{self.text}"
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def table_rows(text: str) -> dict[str, list[str]]:
    """Rows of the rich summary table, by force: the cells between the │ borders."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells[1:]
    return rows


def test_live_display_on_a_terminal_then_the_summary(site: Site, dead_port: int, tmp_path: Path) -> None:
    term = Terminal(crawl_command(site, dead_port, tmp_path / "out"))
    try:
        # While the last article is held back, bedfordshire is a live line, with the overall bar.
        live = term.read_until(
            r"bedfordshire +(\d+) pages +(\d+) new +0 updated +(\d+) failed +\d+s +https://"
        )
        assert int(live.group(1)) >= 1
        term.read_until(r"overall .* (\d+)/(\d+) requests +forces 1/2 done")
        term.read_until(r"hertfordshire: FAILED — 127\.0\.0\.1:\d+: Connection was refused")
        site.gate.set()
        status = term.read_to_end()
    finally:
        term.close()
    text = term.text
    assert "bedfordshire: finished — 6 pages, 5 new, 0 updated, 0 unchanged, 1 failed in" in text
    rows = table_rows(text.split("crawl summary", 1)[1])
    assert rows["bedfordshire"][:5] == ["6", "5", "0", "0", "1"]
    assert rows["bedfordshire"][-1] == "finished"
    assert rows["hertfordshire"][:5] == ["0", "0", "0", "0", "2"]
    assert rows["hertfordshire"][-1].startswith("FAILED: 127.0.0.1:")
    assert rows["total"][:5] == ["6", "5", "0", "0", "3"]
    assert len(list((tmp_path / "out" / "news" / "Bedfordshire").glob("*.md"))) == ARTICLES
    assert status == 1  # a force failed entirely


# ---- plain lines, quiet, verbose ---------------------------------------------------------------


def test_plain_lines_when_not_a_terminal(site: Site, dead_port: int, tmp_path: Path) -> None:
    done = run_piped(site, dead_port, tmp_path)
    assert not CONTROL.search(done.stderr + done.stdout), repr(done.stderr)
    lines = done.stderr.splitlines()
    assert any(re.fullmatch(rf"{STAMP} bedfordshire: started", line) for line in lines)
    assert any(
        re.fullmatch(
            rf"{STAMP} bedfordshire: finished — 6 pages, 5 new, 0 updated, 0 unchanged, 1 failed in \d+s",
            line,
        )
        for line in lines
    ), lines
    assert any(
        re.fullmatch(rf"{STAMP} hertfordshire: FAILED — 127\.0\.0\.1:\d+: Connection was refused.*", line)
        for line in lines
    )
    table = lines[lines.index(next(line for line in lines if line.startswith("force  "))) :]
    assert table[0].split() == ["force", "pages", "new", "updated", "unchanged", "failed", "time", "result"]
    cells = {line.split()[0]: line.split() for line in table[1:4]}
    assert cells["bedfordshire"][1:6] == ["6", "5", "0", "0", "1"] and cells["bedfordshire"][-1] == "finished"
    assert cells["hertfordshire"][1:6] == ["0", "0", "0", "0", "2"] and cells["hertfordshire"][7] == "FAILED:"
    assert cells["total"][1:6] == ["6", "5", "0", "0", "3"]


def test_quiet_tells_only_the_failures(site: Site, dead_port: int, tmp_path: Path) -> None:
    done = run_piped(site, dead_port, tmp_path, "NEWSCRAWLER_PROGRESS=quiet")
    assert re.search(r"^hertfordshire: FAILED — 127\.0\.0\.1:\d+: Connection", done.stderr, re.M)
    assert not re.search(rf"^{STAMP} ", done.stderr, re.M)  # no event lines
    assert "crawl summary" not in done.stderr


def test_verbose_shows_records_and_the_crawl_warnings(site: Site, dead_port: int, tmp_path: Path) -> None:
    done = run_piped(site, dead_port, tmp_path, "NEWSCRAWLER_VERBOSE=1")
    lines = done.stderr.splitlines()
    wrote = [line for line in lines if re.fullmatch(rf"{STAMP} bedfordshire: article https://\S+", line)]
    assert len(wrote) == ARTICLES
    assert any(re.match(rf"{STAMP} warning: .*Appeal-0", line) for line in lines), lines
    assert not CONTROL.search(done.stderr)


# ---- the pieces ---------------------------------------------------------------------------


def test_durations_and_clean_lines() -> None:
    assert [duration(s) for s in (0, 59.9, 61, 3599, 3600 * 2 + 5 * 60)] == [
        "0s",
        "59s",
        "1m01s",
        "59m59s",
        "2h05m",
    ]
    assert clean("a\nb\x1b[31mc\td ") == "a b [31mc d"


def test_event_lines() -> None:
    force = ForceProgress(
        "kent", state="finished", counts={"pages": 3, "new": 2}, errors=1, started=10.0, ended=75.0
    )
    assert (
        event_text(force, 80.0)
        == "kent: finished — 3 pages, 2 new, 0 updated, 0 unchanged, 1 failed in 1m05s"
    )
    force.state, force.reason = "stopped", "shutdown"
    assert event_text(force, 80.0).startswith("kent: stopped (shutdown) — 3 pages")


def test_plain_display_has_no_control_characters(tmp_path: Path) -> None:
    with open(tmp_path / "log", "w+", encoding="utf-8") as stream:
        display = PlainDisplay(stream)
        display.note("a warning\nwith a \x1b[31mcolour")
        stream.seek(0)
        assert re.fullmatch(rf"{STAMP} a warning with a \[31mcolour\n", stream.read())


def test_live_only_on_a_terminal_that_scrapy_does_not_log_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    with open(tmp_path / "file", "w", encoding="utf-8") as stream:
        assert not terminal_is_ours(Settings({"LOG_FILE": "x.log"}), stream)
    main, child = pty.openpty()
    with os.fdopen(child, "w") as tty:
        assert terminal_is_ours(Settings({"LOG_FILE": "x.log"}), tty)
        assert not terminal_is_ours(Settings({"LOG_FILE": None, "LOG_ENABLED": True}), tty)
    os.close(main)
