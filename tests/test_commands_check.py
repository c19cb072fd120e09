"""``newscrawler check`` and ``newscrawler record`` against a tiny local site (never the network):
a listing that links to a fixture article, served on 127.0.0.1 and reached through --mirror."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.commands.record import fixture_name

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = FIXTURES / "soh" / "kent-news"
ARTICLE_URL = (ARTICLE.parent / "kent-news.url").read_text().strip()
ARTICLE_PATH = ARTICLE_URL.split("kent.police.uk", 1)[1]
LISTING = "/news/kent/latest/"


def _pages(links: bool) -> dict[str, bytes]:
    link = f'<li><a href="{ARTICLE_PATH}">Stephen Anderson</a> 26/09/2019</li>' if links else ""
    listing = f"<html><body><h1>News</h1><ul>{link}</ul></body></html>".encode()
    return {
        LISTING: listing,
        ARTICLE_PATH: gzip.decompress((ARTICLE.parent / "kent-news.html.gz").read_bytes()),
    }


@pytest.fixture
def site(request: pytest.FixtureRequest) -> Iterator[str]:
    """A local Kent site; ``indirect`` param False serves a listing without article links."""
    pages = _pages(getattr(request, "param", True))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://www.kent.police.uk=http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_check_passes_when_listing_and_article_match_the_platform(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "kent", "--mirror", site]) == 0
    captured = capsys.readouterr()
    row = next(line for line in captured.out.splitlines() if line.startswith("kent "))
    assert row.split() == ["kent", "soh", "1", "meta", "structure", "meta", "platform", "ok"]
    assert ARTICLE_URL in captured.err


@pytest.mark.parametrize("site", [False], indirect=True)
def test_check_fails_when_discovery_finds_nothing(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "kent", "--mirror", site]) == 1
    assert "FAILED no article links on the listing" in capsys.readouterr().out


def test_check_reports_an_unreachable_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "kent", "--mirror", "https://www.kent.police.uk=http://127.0.0.1:9"]) == 1
    assert "FAILED http://127.0.0.1:9/news/kent/latest/" in capsys.readouterr().out


def test_check_needs_forces_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert main(["check", "kent", "--mirror", "https://www.essex.police.uk=http://127.0.0.1:9"]) == 2
    assert "serves no site of kent" in capsys.readouterr().err


def test_record_saves_page_url_and_record_to_review(site: str, tmp_path: Path) -> None:
    assert main(["record", ARTICLE_URL, "--force", "kent", "--mirror", site, "--out", str(tmp_path)]) == 0
    saved = tmp_path / "soh"
    assert gzip.decompress((saved / "stephen-anderson.html.gz").read_bytes()) == _pages(True)[ARTICLE_PATH]
    assert (saved / "stephen-anderson.url").read_text() == ARTICLE_URL + "\n"
    assert (saved / "stephen-anderson.md").read_text() == (ARTICLE.parent / "kent-news.md").read_text()


def test_record_refuses_a_url_of_another_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", ARTICLE_URL, "--force", "essex", "--out", str(tmp_path)]) == 2
    assert "none of essex's sites" in capsys.readouterr().err


def test_fixture_names() -> None:
    assert fixture_name("https://www.kent.police.uk/news/kent/news/x/Some-Article/") == "some-article"
    url = "https://www.devon-cornwall.police.uk/News/NewsArticle.aspx?id=2b1ee4b7-8f48"
    assert fixture_name(url) == "newsarticle-id-2b1ee4b7-8f48"
