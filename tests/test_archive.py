"""Web archives (newscrawler/archive.py): the two URL forms, CDX answers of the Internet
Archive and of pywb, which sites a span of years asks for; and what ``backfill`` refuses
before anything is fetched. The back-fill itself runs against a real pywb in
test_backfill.py."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.settings import Settings

from newscrawler.archive import Archive, ArchiveError, Capture, parse_index, sites_for_years
from newscrawler.cli import main
from newscrawler.failures import page_problem
from newscrawler.forces import registry
from newscrawler.mirrors import Mirrors
from newscrawler.platforms import platform_for
from newscrawler.runner import build_settings
from newscrawler.spiders.archive import ArchiveSpider


def test_the_internet_archive_and_pywb_url_forms() -> None:
    ia = Archive.parse("https://web.archive.org/web/")
    assert ia == Archive("https://web.archive.org/web", "https://web.archive.org/cdx/search/cdx")
    pywb = Archive.parse("http://127.0.0.1:8080/my-coll")
    assert pywb == Archive("http://127.0.0.1:8080/my-coll", "http://127.0.0.1:8080/my-coll/cdx")
    other = Archive.parse("https://arquivo.example/wayback", cdx="https://arquivo.example/wayback/cdx/")
    assert other.index == "https://arquivo.example/wayback/cdx"
    assert ia.snapshot_url(Capture("20190102030405", "http://x.uk/a")) == (
        "https://web.archive.org/web/20190102030405id_/http://x.uk/a"
    )
    assert pywb.is_local() and not ia.is_local()
    for bad in ("web.archive.org/web", "ftp://x/y", ""):
        with pytest.raises(ArchiveError, match="--archive must be an http"):
            Archive.parse(bad)


def test_the_index_query_asks_for_one_html_200_capture_per_address_in_the_years() -> None:
    url = Archive.parse("https://web.archive.org/web").index_url(
        "www.bedfordshire.police.uk", "/news-and-appeals/", 2015, 2021
    )
    parts = urlsplit(url)
    assert parts.path == "/cdx/search/cdx"
    assert parse_qsl(parts.query) == [
        ("url", "www.bedfordshire.police.uk/news-and-appeals/*"),
        ("output", "json"),
        ("filter", "statuscode:200"),
        ("filter", "mimetype:text/html"),
        ("collapse", "urlkey"),
        ("from", "2015"),
        ("to", "2021"),
    ]


def test_internet_archive_json_answers() -> None:
    rows = [
        ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
        ["uk,police)/news-and-appeals/a", "20190102030405", "http://x.uk:80/news-and-appeals/a", "text/html",
         "200", "D", "9"],
        ["uk,police)/news-and-appeals/b", "20190102030406", "http://x.uk/news-and-appeals/b", "text/html",
         "404", "D", "9"],
        ["uk,police)/news-and-appeals/c", "20190102030407", "http://x.uk/news-and-appeals/c.pdf",
         "application/pdf", "200", "D", "9"],
    ]  # fmt: skip
    assert parse_index(json.dumps(rows).encode()) == [
        Capture("20190102030405", "http://x.uk:80/news-and-appeals/a")
    ]
    assert parse_index(b"[]\n") == [] and parse_index(b"") == []


def test_pywb_json_answers() -> None:
    fields = {"urlkey": "k", "mime": "text/html"}
    lines = [
        {**fields, "timestamp": "20200101000000", "url": "https://x.uk/a", "status": "200"},
        {**fields, "timestamp": "20200101000001", "url": "https://x.uk/b", "status": "301"},
    ]
    body = "\n".join(json.dumps(line) for line in lines).encode()
    assert parse_index(body) == [Capture("20200101000000", "https://x.uk/a")]
    assert Capture("20200101000000", "https://x.uk/a").year == 2020


@pytest.mark.parametrize("body", [b"<html>not found</html>", b'{"url": "x"}', b'[["timestamp"], ["x"]]'])
def test_an_answer_that_is_no_index_is_an_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_index(body)


def test_the_sites_a_span_of_years_asks_for() -> None:
    beds = registry().get("bedfordshire")
    bch = next(s for s in beds.sites if s.platform == "bch")
    soh = beds.live_site
    assert sites_for_years(beds, 2015, 2021, 2026) == [(bch, 2015, 2021)]
    # By default, the years of the force's earlier sites (the live one where it meets them).
    assert sites_for_years(beds, None, None, 2026) == [(soh, 2022, 2022), (bch, 2015, 2022)]
    assert sites_for_years(beds, 2023, None, 2026) == [(soh, 2023, 2026)]
    assert sites_for_years(beds, 2010, 2012, 2026) == []
    kent = registry().get("kent")  # no earlier site: only a span asked for reaches its live one
    assert sites_for_years(kent, None, None, 2026) == []
    assert sites_for_years(kent, 2020, 2021, 2026) == [(kent.live_site, 2020, 2021)]


def test_the_archive_is_asked_for_each_platforms_article_folder() -> None:
    beds = registry().get("bedfordshire")
    assert [platform_for(beds, s).archive_prefix() for s in beds.sites] == [
        "/news/bedfordshire/",
        "/news-and-appeals/",
    ]
    devon = registry().get("devon-and-cornwall")
    prefixes = {
        s.platform: platform_for(devon, s).archive_prefix() for s in devon.sites if s.platform != "soh"
    }
    assert prefixes == {"devon-cornwall": "/News/"}  # ^/News/NewsArticle\.aspx$: up to its last "/"


def test_an_empty_index_answer_is_no_bad_page() -> None:
    request = Request("http://127.0.0.1/coll/cdx?url=x")
    empty = TextResponse(request.url, body=b"", request=request)
    assert page_problem(empty, empty_ok=True) is None
    assert page_problem(empty) == "empty"
    page = HtmlResponse("http://127.0.0.1/x", body=b"", request=request)
    assert page_problem(page) == "empty"


def _backfill_settings(tmp_path: Path, archive: str, *overrides: str) -> Settings:
    """The settings a back-fill's crawler runs with: the CLI's, then the spider's own."""
    settings = build_settings(str(tmp_path), Mirrors(), list(overrides), "backfill", Archive.parse(archive))
    ArchiveSpider.update_settings(settings)
    return settings


def test_a_backfill_asks_one_request_at_a_time_politely_or_fast_on_this_machine(tmp_path: Path) -> None:
    remote = _backfill_settings(tmp_path, "https://web.archive.org/web")
    assert remote.getint("CONCURRENT_REQUESTS") == 1 and remote.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert remote.getfloat("DOWNLOAD_DELAY") == 2.0 and remote.getbool("AUTOTHROTTLE_ENABLED")
    assert not remote.getbool("ROBOTSTXT_OBEY")
    assert "+https://github.com/newscrawler/newscrawler" in remote.get("USER_AGENT")
    slower = _backfill_settings(tmp_path, "https://web.archive.org/web", "DOWNLOAD_DELAY=5")
    assert slower.getfloat("DOWNLOAD_DELAY") == 5
    local = _backfill_settings(tmp_path, "http://127.0.0.1:8080/c")
    assert local.getint("CONCURRENT_REQUESTS") == 1 and local.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert local.getfloat("DOWNLOAD_DELAY") == 0 and not local.getbool("AUTOTHROTTLE_ENABLED")
    crawl = build_settings(str(tmp_path), Mirrors(), [])
    assert crawl.getint("CONCURRENT_REQUESTS") == 16 and crawl.getbool("ROBOTSTXT_OBEY")


ARCHIVE = ["--archive", "http://127.0.0.1:9/coll"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["backfill", *ARCHIVE], "name at least one force"),
        (["backfill", "bedfordshiree", *ARCHIVE], "unknown force 'bedfordshiree'"),
        (
            ["backfill", "bedfordshire", *ARCHIVE, "--from", "2021", "--to", "2015"],
            "--from 2021 is after --to 2015",
        ),
        (
            ["backfill", "bedfordshire", "--archive", "web.archive.org/web"],
            "--archive must be an http(s) URL",
        ),
        (["backfill", "bedfordshire", *ARCHIVE, "--cdx", "nonsense"], "--cdx must be an http(s) URL"),
        (["backfill", "bedfordshire", *ARCHIVE, "--from", "2010", "--to", "2012"], "no site of bedfordshire"),
        (["backfill", "kent", *ARCHIVE], "no site of kent in the years asked"),
        (["backfill", "--all", *ARCHIVE, "--from", "1990", "--to", "1991"], "no force has a site"),
        (["backfill", "bedfordshire", *ARCHIVE, "-s", "NOEQUALS"], "NAME=VALUE"),
    ],
)
def test_bad_backfill_input_is_a_clear_error_before_any_fetch(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([*argv, "--data", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("newscrawler backfill: ") and "Traceback" not in err
    assert not (tmp_path / "out" / "news").exists()


def test_backfill_needs_an_archive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["backfill", "bedfordshire"])
    assert exc.value.code == 2
    assert "--archive" in capsys.readouterr().err
