"""The pieces that decide what to do with a page a site got wrong: charsets, pages not to be
trusted, Retry-After, redirects, failure reasons, an output folder that stops taking files."""

from __future__ import annotations

import errno
import gzip
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure
from w3lib.encoding import read_bom

from newscrawler.charset import declared_encoding, redecode
from newscrawler.failures import REASONS, BadPage, describe, failure_reason, is_error_text, page_problem
from newscrawler.middlewares import (
    CharsetMiddleware,
    RedirectGuardMiddleware,
    SiteGuardMiddleware,
    retry_after,
)
from newscrawler.mirrors import Mirrors
from newscrawler.outputguard import is_output_failure
from newscrawler.spiders.police import PoliceSpider

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEXT = "A £400 fine for the café’s owner — “twice” (€5, naïve, Łódź)."
PAGE = '<html><head><meta charset="{}"><title>t</title></head><body><p>{}</p></body></html>'


# ---- charsets ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def charset() -> CharsetMiddleware:
    return CharsetMiddleware(get_crawler())


def read(charset: CharsetMiddleware, body: bytes, content_type: str) -> str:
    """The paragraph text of a page after the charset middleware, as the parsers see it."""
    response = HtmlResponse("https://x.police.uk/a", body=body, headers={"Content-Type": content_type})
    return str(charset.process_response(Request(response.url), response).css("p::text").get())


@pytest.mark.parametrize(
    "body, content_type",
    [
        (PAGE.format("utf-8", TEXT).encode("cp1252", "xmlcharrefreplace"), "text/html; charset=utf-8"),
        (PAGE.format("utf-8", TEXT).encode("cp1252", "xmlcharrefreplace"), "text/html"),
        (PAGE.format("windows-1252", TEXT).encode(), "text/html; charset=windows-1252"),
        (PAGE.format("iso-8859-1", TEXT).encode(), "text/html"),
        (b"\xef\xbb\xbf" + PAGE.format("utf-8", TEXT).encode(), "text/html; charset=iso-8859-1"),
        (
            PAGE.replace('<meta charset="{}">', "").format(TEXT).encode("cp1252", "xmlcharrefreplace"),
            "text/html",
        ),
        (PAGE.format("utf-8", TEXT).encode(), "text/html; charset=utf-8"),
        (
            PAGE.format("windows-1252", TEXT).encode("cp1252", "xmlcharrefreplace"),
            "text/html; charset=cp1252",
        ),
    ],
    ids=[
        "cp1252-labelled-utf8",
        "cp1252-meta-utf8",
        "utf8-labelled-cp1252",
        "utf8-meta-latin1",
        "bom-beats-header",
        "cp1252-unlabelled",
        "right-utf8",
        "right-cp1252",
    ],
)
def test_every_charset_mistake_reads_as_the_text(
    charset: CharsetMiddleware, body: bytes, content_type: str
) -> None:
    assert read(charset, body, content_type) == TEXT


def test_a_cp1252_body_pasted_into_a_utf8_template_reads_right(charset: CharsetMiddleware) -> None:
    pasted = "Café ".encode() + TEXT.encode("cp1252", "xmlcharrefreplace")
    body = PAGE.format("utf-8", "").encode().replace(b"<p>", b"<p>" + pasted)
    assert read(charset, body, "text/html; charset=utf-8") == "Café " + TEXT


def test_pages_read_right_already_are_left_alone() -> None:
    assert redecode(PAGE.format("utf-8", TEXT).encode(), "utf-8") is None
    assert redecode(b"plain ascii", "windows-1252") is None
    assert redecode("£".encode("cp1252"), "windows-1252") is None
    assert redecode(b"\xef\xbb\xbf\xa3", "utf-8") is None  # a BOM is obeyed, as Scrapy does
    assert declared_encoding("text/html; charset=latin-1", b"") == "cp1252"
    assert declared_encoding("text/html", b'<meta charset="utf-8">') == "utf-8"
    assert declared_encoding("text/html; charset=nonsense", b"") is None


#: A byte run that reads as UTF-8: in Windows-1252 text ("Â\xa0") it cannot be told apart.
_UTF8_RUN = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), min_size=1))
def test_any_windows_1252_text_labelled_utf8_reads_back(text: str) -> None:
    data = text.encode("cp1252")
    assume(not data.isascii() and not _UTF8_RUN.search(data))  # prose with £ or ’ never has one
    # Text starting "þÿ" or "ÿþ" is a UTF-16 byte-order mark, which every reader obeys first.
    assume(read_bom(data)[0] is None)
    assert redecode(data, "utf-8") == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1))
def test_any_utf8_text_labelled_latin1_reads_back(text: str) -> None:
    fixed = redecode(text.encode("utf-8"), "iso-8859-1")
    assert (fixed if fixed is not None else text) == text


# ---- pages not to be trusted ------------------------------------------------------------------


def html(body: bytes, status: int = 200, url: str = "https://x.police.uk/news/a") -> Response:
    return HtmlResponse(url, status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"<html><body><h1>Appeal</h1><p>Officers are appeal", "truncated"),
        (b"<html><head><title>Page not found | Kent Police</title></head><body></body></html>", "error_page"),
        (b"<html><body><h1>503 Service Unavailable</h1></body></html>", "error_page"),
        (b"<html><body><h1>Sorry, something went wrong</h1></body></html>", "error_page"),
        (b"<html><head><title>Error</title></head><body><p>x</p></body></html>", "error_page"),
        (b"<html><body><h1>Forbidden weapons seized in raid</h1></body></html>", None),
        (b"<html><body><h1>Error found in 999 call handling</h1></body></html>", None),
        (b"<html><body><h1>Man not found guilty of 404 offences</h1></body></html>", None),
    ],
)
def test_pages_not_to_trust(body: bytes, problem: str | None) -> None:
    assert page_problem(html(body)) == problem


def test_only_whole_200_pages_are_judged() -> None:
    assert page_problem(html(b"", status=404)) is None
    assert page_problem(html(b"", url="https://x.police.uk/robots.txt")) is None  # valid: allows all
    assert page_problem(TextResponse("https://x.police.uk/feed", body=b"")) == "empty"
    assert page_problem(TextResponse("https://x.police.uk/feed", body=b"<rss><channel>")) is None


def test_real_pages_of_every_platform_are_trusted() -> None:
    pages = sorted(FIXTURES.rglob("*.html.gz"))
    assert len(pages) > 10
    for path in pages:
        assert page_problem(html(gzip.decompress(path.read_bytes()))) is None, path


@pytest.mark.parametrize(
    "text",
    [
        "Page not found",
        "404",
        "Error 404 - Page Not Found",
        "Service unavailable | Kent Police",
        "Access denied",
    ],
)
def test_error_titles(text: str) -> None:
    assert is_error_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Missing man found",
        "Appeal - 404 bus stop assault",
        "Not found: a missing dog?",
        "999 | Kent Police",
        "...",
    ],
)
def test_headlines_are_not_error_titles(text: str) -> None:
    assert not is_error_text(text)


# ---- Retry-After, redirects, reasons ----------------------------------------------------------


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120.0
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now.timestamp()) == 90.0
    assert retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now.timestamp()) == 0.0
    for useless in (None, b"", b"soon", b"-5", b"1.5e9"):
        assert retry_after(useless) is None


def guard(location: str, visited: tuple[str, ...] = ()) -> Response:
    """A 302 to ``location`` from a page fetched through a mirror, after redirects through
    ``visited``."""
    url = "http://127.0.0.1:1/beds/news/a"
    mirrors = Mirrors({"https://www.beds.police.uk": "http://127.0.0.1:1/beds"})
    response = Response(url, status=302, headers={"Location": location})
    request = Request(url, meta={"redirect_urls": list(visited)})
    return RedirectGuardMiddleware(mirrors).process_response(request, response)


def test_redirects_on_the_site_go_through_the_mirror() -> None:
    assert guard("https://www.beds.police.uk/news/b").headers["Location"] == b"http://127.0.0.1:1/beds/news/b"
    assert guard("/beds/news/c").headers["Location"] == b"http://127.0.0.1:1/beds/news/c"
    assert guard("http://www.beds.police.uk/news/d").headers["Location"] == b"http://127.0.0.1:1/beds/news/d"


def test_redirects_of_a_live_site_are_followed_as_they_are() -> None:
    url = "http://www.beds.police.uk/news/a"
    response = Response(url, status=301, headers={"Location": "https://beds.police.uk/news/a"})
    followed = RedirectGuardMiddleware(Mirrors()).process_response(Request(url), response)
    assert followed.headers["Location"] == b"https://beds.police.uk/news/a"


@pytest.mark.parametrize(
    "location, visited, reason",
    [
        ("https://evil.example/news/a", (), "offsite_redirect"),
        ("http://127.0.0.1:2/beds/news/a", (), "offsite_redirect"),
        ("https://beds.police.uk/news/a", (), "offsite_redirect"),  # the mirror cannot carry it
        ("https://www.beds.police.uk/news/a", (), "redirect_loop"),
        ("https://www.beds.police.uk/news/z", ("http://127.0.0.1:1/beds/news/z",), "redirect_loop"),
    ],
)
def test_bad_redirects_are_refused(location: str, visited: tuple[str, ...], reason: str) -> None:
    with pytest.raises(BadPage) as refused:
        guard(location, visited)
    assert refused.value.reason == reason


def site_guard(mirrors: dict[str, str]) -> SiteGuardMiddleware:
    """The guard of a run of Kent (with these mirrors)."""
    crawler = get_crawler(PoliceSpider, {"NEWSCRAWLER_MIRRORS": mirrors, "NEWSCRAWLER_OUT": "-"})
    spider = PoliceSpider.from_crawler(crawler, forces="kent")
    spider._choose_sites()
    crawler.spider = spider
    return SiteGuardMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    "mirrors, allowed, refused",
    [
        (
            {},
            ["https://www.kent.police.uk/news/a", "http://kent.police.uk/robots.txt"],
            [
                "https://www.essex.police.uk/news/a",
                "https://evil.example/@www.kent.police.uk/news/a",
                "https://www.kent.police.uk.evil.example/news/a",
                "ftp://www.kent.police.uk/news/a",
                "http://127.0.0.1:1/kent/news/a",
            ],
        ),
        (
            {"https://www.kent.police.uk": "http://127.0.0.1:1/kent"},
            ["http://127.0.0.1:1/kent/news/a", "http://127.0.0.1:1/kent/robots.txt"],
            [
                "https://www.kent.police.uk/news/a",  # the live site, mirrored
                "http://127.0.0.1:1/news/a",  # the mirror host's root
                "http://127.0.0.1:1/kentish/a",
                "http://127.0.0.1:2/kent/news/a",
                "https://evil.example/news/a",
            ],
        ),
    ],
)
def test_requests_go_to_the_chosen_sites_or_their_mirrors_only(
    mirrors: dict[str, str], allowed: list[str], refused: list[str]
) -> None:
    guard = site_guard(mirrors)
    for url in allowed:
        assert guard.process_request(Request(url)) is None, url
    for url in refused:
        with pytest.raises(BadPage) as dropped:
            guard.process_request(Request(url))
        assert dropped.value.reason == "offsite", url
    assert not guard.allows("http://[oops/news/a")  # no Request is made of it; urllib refuses it


def test_a_spider_that_names_no_site_is_sent_nowhere() -> None:
    crawler = get_crawler(settings_dict={"NEWSCRAWLER_OUT": "-"})
    with pytest.raises(BadPage):
        SiteGuardMiddleware.from_crawler(crawler).process_request(Request("https://www.kent.police.uk/"))


def test_every_failure_has_a_known_reason_and_a_clear_description() -> None:
    def http(status: int) -> Failure:
        return Failure(HttpError(Response("https://x/", status=status)))

    cases = {
        "server_error": http(503),
        "rate_limited": http(429),
        "not_found": http(404),
        "http_error": http(403),
        "timeout": Failure(DownloadTimeoutError("took longer")),
        "dropped": Failure(ResponseDataLossError()),
        "redirect_loop": Failure(IgnoreRequest("max redirections reached")),
        "robots_denied": Failure(BadPage("robots_denied", "robots.txt of x forbids /news")),
        "offsite": Failure(BadPage("offsite", "https://evil.example/ is not on the forces' sites")),
        "error": Failure(ValueError("odd")),
    }
    for reason, failure in cases.items():
        assert failure_reason(failure) == reason
        assert reason in REASONS
    assert describe(http(503)) == "HTTP 503 Service Unavailable"


def test_output_failures_are_recognised() -> None:
    for code in (errno.ENOSPC, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EDQUOT):
        assert is_output_failure(OSError(code, "x"))
    assert is_output_failure(sqlite3.OperationalError("database or disk is full"))
    assert is_output_failure(sqlite3.OperationalError("attempt to write a readonly database"))
    assert not is_output_failure(OSError(errno.ECONNRESET, "x"))
    assert not is_output_failure(ValueError("x"))
