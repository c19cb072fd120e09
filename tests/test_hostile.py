"""Hostile input that needs no crawl: records whose text tries to break the file format or
leave the output folder, and RSS feeds, sitemaps and robots.txt that try to make the parser
expand entities, read files or send the crawler elsewhere."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import yaml
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawler import record
from newscrawler.record import ArticleWriter, RecordError, UnsafePathError
from newscrawler.spiders.police import PoliceSpider
from tests.conftest import KENT, article
from tests.servers import Trap

# ---- records ----------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "Police: appeal # 1 & 'quotes' \"double\"",
    "- leading dash",
    "---",
    "...",
    "```",
    "```yaml",
    "title\n```\n\nurl: https://evil.example/\n```yaml\nextra: injected",
    "line\n---\nsecond document",
    "? key\n: value",
    "&anchor *alias !tag %directive @at `tick {a: b} [c] > | ~ null yes 0x1F 2020-01-01",
    "".join(chr(c) for c in range(32)) + "\x7f\x85\u2028\u2029",
    "right-to-left \u200f\u202e override\u202c \u2066isolate\u2069 \u061c",
    "\ufeffBOM inside, emoji 🚓, combining e\u0301, wide ＡＢＣ",
    " leading and trailing spaces ",
    "",
]


def yaml_block(text: str) -> str:
    return text[len(record.OPEN_FENCE) : text.index("\n" + record.CLOSE_FENCE) + 1]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_titles_and_descriptions_round_trip_with_nothing_injected(tmp_path: Path, text: str) -> None:
    original = article(text, description=text)
    path, _ = ArticleWriter(tmp_path).write(original)
    written = path.read_bytes().decode("utf-8")
    back = record.read(path)
    assert back.meta == original.meta
    assert back.body == original.body
    assert back.render() == written
    block = yaml_block(written)
    assert "```" not in block.splitlines()  # the block cannot be closed early
    assert sorted(yaml.safe_load(block)) == ["area", "og", "publish", "title", "url"]
    assert all(ord(c) < 128 for c in block)  # non-ASCII and controls are escaped


@pytest.mark.parametrize("body", [*(t for t in HOSTILE_TEXT if t and not t.endswith("\n")), "x" * 100_000])
def test_hostile_bodies_round_trip(tmp_path: Path, body: str) -> None:
    big = "\n\n".join([body] + ["A paragraph of an appeal. " * 40] * 100)
    for text in (body, big):
        original = article("Title", body=text)
        path, _ = ArticleWriter(tmp_path).write(original)
        back = record.read(path)
        assert (back.meta, back.body) == (original.meta, text)
    assert len(big) > 100_000


@pytest.mark.parametrize("url", [f"{KENT}/../../../../etc/passwd", f"{KENT}/news/\x00/", "/" * 5000, "../x"])
def test_urls_only_name_a_hash_inside_the_area_folder(tmp_path: Path, url: str) -> None:
    out = tmp_path / "out"
    a = article("Title")
    a.meta["url"] = url
    path, _ = ArticleWriter(out).write(a)
    assert path.parent == out / "news" / "Kent" and len(path.stem) == 40
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]


@pytest.mark.parametrize("area", ["..", "../Kent", "Kent/../..", "/etc", "Kent\x00", "\u202eKent/"])
def test_hostile_areas_are_refused(tmp_path: Path, area: str) -> None:
    with pytest.raises(UnsafePathError):
        ArticleWriter(tmp_path / "out").write(article("Title", area=area))
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_area_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out" / "news").mkdir(parents=True)
    os.symlink(outside, tmp_path / "out" / "news" / "Kent")
    with pytest.raises(UnsafePathError):
        ArticleWriter(tmp_path / "out").write(article("Title"))
    assert list(outside.iterdir()) == []


def test_a_record_with_an_injected_fence_in_its_body_reads_back_whole() -> None:
    text = article("T", body="```\nurl: https://evil.example/\n```").render()
    parsed = record.parse(text)
    assert parsed.url == f"{KENT}/news/kent/news/x/" and parsed.body.startswith("```\nurl:")
    with pytest.raises(RecordError):
        record.parse(text.replace("```yaml\n", "```yaml\n```\n", 1))


# ---- feeds, sitemaps, robots.txt --------------------------------------------------------------


@pytest.fixture(scope="module")
def trap() -> Iterator[Trap]:
    """A server that records requests: external entities and DTDs must never reach it."""
    with Trap(b"TRAPPED!!") as t:
        yield t


@pytest.fixture
def spider() -> PoliceSpider:
    crawler = get_crawler(PoliceSpider, {"NEWSCRAWLER_MIRRORS": {}, "NEWSCRAWLER_OUT": "-"})
    made = PoliceSpider.from_crawler(crawler, forces="kent")
    made._choose_sites()
    return made


def respond(spider: PoliceSpider, cls: type[Response], path: str, body: bytes) -> Response:
    platform = next(iter(spider.platforms))
    url = KENT + path
    request = Request(url, meta={"platform": platform, "origin_url": url, "force": "kent"})
    return cls(url, body=body, request=request)


ARTICLE = f"{KENT}/news/kent/news/appeals/some-appeal/"
LAUGHS = "".join(
    f'<!ENTITY l{n} "{(f"&l{n - 1};" if n else "lol") * 10}">' for n in range(10)
)  # 10**10 "lol"s when expanded


def feed(doctype: str, link: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{doctype}]>\n<rss><channel>'
        f"<item><title>{link}</title><link>{link}</link></item>"
        f"<item><link>{ARTICLE}</link></item>{extra}</channel></rss>"
    ).encode()


def urls(requests: Iterable[Request]) -> list[str]:
    return [r.url for r in requests]


def test_billion_laughs_is_not_expanded(spider: PoliceSpider) -> None:
    body = feed(LAUGHS, f"{ARTICLE}&l9;")
    # libxml2 stops at the bomb (its amplification limit) or leaves the reference unexpanded:
    # either way nothing else comes of it, and the crawl goes on with listings.
    assert set(urls(spider.parse_feed(respond(spider, XmlResponse, "/feed1/", body)))) <= {ARTICLE}


def test_external_entities_and_dtds_are_not_read(spider: PoliceSpider, trap: Trap, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    for doctype, link in [
        (f'<!ENTITY x SYSTEM "file://{secret}">', f"{KENT}/news/kent/news/a/&x;/"),
        (f'<!ENTITY x SYSTEM "{trap.url}/entity">', f"{KENT}/news/kent/news/a/&x;/"),
        (f'<!ENTITY % p SYSTEM "{trap.url}/dtd"> %p;', ARTICLE),
    ]:
        got = urls(spider.parse_feed(respond(spider, XmlResponse, "/feed2/", feed(doctype, link))))
        assert not any("TOPSECRET" in u or "TRAPPED" in u for u in got)
    body = b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "' + trap.url.encode() + b'/ext.dtd"><rss/>'
    assert urls(spider.parse_feed(respond(spider, XmlResponse, "/feed3/", body))) == []
    assert trap.requests == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"<html><body>Not a feed</body></html>",
        feed("", ARTICLE)[:120],
        b"<rss>" + b"<x>" * 100_000 + b"</rss>",
        b"<rss><channel><item><link>" + b"A" * 20_000_000 + b"</link></item></channel></rss>",
    ],
    ids=["empty", "binary", "html", "cut", "deep", "huge-text"],
)
def test_malformed_feeds_and_sitemaps_are_survived(spider: PoliceSpider, body: bytes) -> None:
    for parse in (spider.parse_feed, spider.parse_sitemap):
        got = urls(parse(respond(spider, XmlResponse, "/x.xml", body)))
        assert all(u.startswith(KENT + "/news/kent/") for u in got)


def test_a_huge_sitemap_is_read_once_per_article(spider: PoliceSpider) -> None:
    entries = "".join(f"<url><loc>{KENT}/news/kent/news/a/n{n % 500}/</loc></url>" for n in range(20_000))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    got = urls(spider.parse_sitemap(respond(spider, XmlResponse, "/sitemap-huge.xml", body)))
    assert len(got) == len(set(got)) <= 500


def test_sitemaps_on_other_sites_are_not_followed(spider: PoliceSpider, trap: Trap) -> None:
    robots = (
        f"User-agent: *\nSitemap: {trap.url}/sitemap.xml\nSitemap: {KENT}/own-sitemap.xml\n"
        "Sitemap: /relative.xml\nSitemap://www.kent.police.uk/scheme-relative.xml\n"
        "Sitemap: ftp://www.kent.police.uk/ftp.xml\nSitemap: http://[oops/x.xml\n"
    ).encode()
    got = urls(spider.parse_robots(respond(spider, TextResponse, "/robots.txt", robots)))
    assert got == [f"{KENT}/own-sitemap.xml", f"{KENT}/relative.xml", f"{KENT}/scheme-relative.xml"]
    index = (
        f"<sitemapindex><sitemap><loc>{trap.url}/s.xml</loc></sitemap>"
        f"<sitemap><loc>{KENT}/s2.xml</loc></sitemap><sitemap><loc>/s3.xml</loc></sitemap>"
        "<sitemap><loc>http://[oops/s4.xml</loc></sitemap></sitemapindex>"
    ).encode()
    got = urls(spider.parse_sitemap(respond(spider, XmlResponse, "/s1.xml", index)))
    assert got == [f"{KENT}/s2.xml", f"{KENT}/s3.xml"]


def test_malformed_addresses_skip_one_link_or_one_page_never_crash(spider: PoliceSpider) -> None:
    feed_body = feed("", "http://[oops/news/kent/news/a/")
    assert urls(spider.parse_feed(respond(spider, XmlResponse, "/feed4/", feed_body))) == [ARTICLE]
    page = (
        b'<html><body><a href="http://[oops/">x</a><a href="/news/kent/news/appeals/y/">y</a></body></html>'
    )
    listing = respond(spider, HtmlResponse, "/news/kent/latest/", page)
    listing.meta["page"] = 1
    # Platform.article_links reads a page's links at once, so today the page is skipped (and
    # counted ``malformed``); were it to skip only the bad link, the good one would come.
    assert urls(spider.parse_listing(listing)) in ([], [f"{KENT}/news/kent/news/appeals/y/"])


def test_links_to_files_and_other_sites_are_not_fetched(spider: PoliceSpider, trap: Trap) -> None:
    links = [
        f"{KENT}/news/kent/news/appeals/report.pdf",
        f"{KENT}/news/kent/news/appeals/photo.JPEG",
        f"{trap.url}/news/kent/news/appeals/offsite/",
        "https://kent.police.uk.evil.example/news/kent/news/appeals/x/",
        ARTICLE,
    ]
    anchors = "".join(f'<a href="{u}">link</a>' for u in links)
    page = f"<html><body><main>{anchors}</main></body></html>".encode()
    response = respond(spider, HtmlResponse, "/news/kent/latest/", page)
    response.meta["page"] = 1
    assert urls(spider.parse_listing(response)) == [ARTICLE]
