"""The replica: a Kent (SOH) + Bedfordshire (BCH) site from the sample records, served locally."""

from __future__ import annotations

import html
import http.client
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
from parsel import Selector

from newscrawler import cli
from newscrawler.record import Article, iter_files, read
from newscrawler.replica import ReplicaServer, Reply, load_records, markdown_to_html
from newscrawler.replica import site as site_module
from tests.conftest import SAMPLE_RECORDS

KENT = "https://www.kent.police.uk"
BEDS = "https://www.bedfordshire.police.uk"
PER_PAGE = 7


def sample(area: str) -> list[Article]:
    return [read(p) for p in iter_files(SAMPLE_RECORDS) if p.parent.name == area]


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent", "bedfordshire"], per_page=PER_PAGE) as s:
        yield s


def fetch(server: ReplicaServer, url: str) -> tuple[int, str, str]:
    """(status, content type, text) of a force URL, fetched through the replica's mirror."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    local = server.mirrors[origin] + quote(url[len(origin) :], safe="/?=&")
    try:
        with urlopen(local) as r:
            return r.status, r.headers["Content-Type"], r.read().decode("utf-8")
    except HTTPError as err:
        with err:
            return err.code, err.headers["Content-Type"], err.read().decode("utf-8")


def own_links(page: str) -> list[str]:
    return Selector(text=page).css("a::attr(href), link::attr(href)").getall()


def test_serves_both_sites_and_says_how_to_mirror_them(server: ReplicaServer) -> None:
    assert server.mirrors == {
        BEDS: f"{server.base_url}/www.bedfordshire.police.uk",
        KENT: f"{server.base_url}/www.kent.police.uk",
    }
    assert urlsplit(server.base_url).hostname == "127.0.0.1"
    assert {(s.force, s.platform, s.articles) for s in server.sites} == {
        ("kent", "soh", 40),
        ("bedfordshire", "bch", 40),
    }


def test_soh_article_page(server: ReplicaServer) -> None:
    article = read(
        SAMPLE_RECORDS / "news/Kent/060b68bc410f240a683a5e7616aa38afb679a94e.md"
    )  # og:image holds "&amp;" undecoded, as the archive has it
    status, kind, page = fetch(server, article.url)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    sel = Selector(text=page)
    assert sel.css("title::text").get() == article.title
    for key in ("title", "description", "url", "image", "locale", "type"):
        assert sel.css(f'meta[property="og:{key}"]::attr(content)').get() == article.get(f"og.{key}")
    assert "&amp;w=600" in article.get("og.image")
    assert sel.css("h1::text").get() == article.get("og.title")
    assert "12:35 30/10/2020" in sel.css("article *::text").getall()
    assert markdown_to_html(article.body) in page


def test_bch_article_page(server: ReplicaServer) -> None:
    article = sample("Bedfordshire")[0]
    status, _, page = fetch(server, article.url)
    sel = Selector(text=page)
    assert status == 200
    assert sel.css("title::text").get() == article.title == sel.css("h1::text").get()
    assert sel.css("meta[property]::attr(property)").getall() == ["og:description"]
    assert sel.css('meta[property="og:description"]::attr(content)').get() == article.description
    assert article.get("publish.date") in sel.css("article *::text").getall()
    assert markdown_to_html(article.body) in page


def test_date_in_the_body_is_not_shown_twice() -> None:
    # Cheshire's 2020 template: no publish.date, the body begins with the date line.
    article = sample("Cheshire")[0]
    assert article.get("publish.date") is None
    first_line = article.body.split("\n", 1)[0]
    with ReplicaServer([article]) as s:
        status, _, page = fetch(s, article.url)
        listing = fetch(s, "https://www.cheshire.police.uk/news/cheshire/news/")[2]
    assert status == 200
    assert Selector(text=page).css("article *::text").getall().count(first_line) == 1
    assert first_line in listing


def test_body_is_the_records_body_as_html(server: ReplicaServer) -> None:
    for article in sample("Kent")[:5] + sample("Bedfordshire")[:5]:
        assert fetch(server, article.url)[2].count(markdown_to_html(article.body)) == 1


def test_listing_pages_newest_first_with_pagination(server: ReplicaServer) -> None:
    url: str | None = f"{KENT}/news/kent/latest/"
    seen: list[str] = []
    pages = 0
    while url:
        status, _, page = fetch(server, url)
        assert status == 200
        sel = Selector(text=page)
        items = [a for a in sel.css("a::attr(href)").getall() if "/news/kent/news" in a]
        assert 0 < len(items) <= PER_PAGE
        seen += items
        pages += 1
        nxt = sel.css('a[rel="next"]::attr(href)').get()
        if nxt:
            assert nxt == f"{KENT}/news/kent/latest/?page={pages + 1}"
            assert sel.css(f'a[href="{nxt}"]::text').getall()  # the numbered pager links it too
        url = nxt
    kent = sample("Kent")
    assert pages == -(-len(kent) // PER_PAGE)
    assert sorted(seen) == sorted(a.url for a in kent)
    shown = {a.url: a.get("publish.date") for a in kent}
    when = [datetime.strptime(shown[u], "%H:%M %d/%m/%Y") for u in seen]
    assert when == sorted(when, reverse=True)
    assert fetch(server, f"{KENT}/news/kent/latest/?page={pages + 1}")[0] == 404
    first = Selector(text=fetch(server, f"{KENT}/news/kent/latest/")[2])
    assert shown[seen[0]] in first.css("main *::text").getall()


def test_bch_listing(server: ReplicaServer) -> None:
    status, _, page = fetch(server, f"{BEDS}/news-and-appeals")
    assert status == 200
    links = [a for a in Selector(text=page).css("a::attr(href)").getall() if "/news-and-appeals/" in a]
    assert len(links) == PER_PAGE
    assert fetch(server, f"{BEDS}/news-and-appeals?page=6")[0] == 200


def test_rss_feed(server: ReplicaServer) -> None:
    status, kind, text = fetch(server, f"{KENT}/news/kent/news/GetNewsRss/")
    assert status == 200 and kind.startswith("application/rss+xml")
    channel = ET.fromstring(text.encode()).find("channel")
    assert channel is not None
    items = channel.findall("item")
    kent = {a.url: a for a in sample("Kent")}
    assert {i.findtext("link") for i in items} == set(kent)
    when = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in items]
    assert when == sorted(when, reverse=True)
    for item, stamp in zip(items, when, strict=True):
        article = kent[item.findtext("link") or ""]
        assert stamp.strftime("%H:%M %d/%m/%Y") == article.get("publish.date")
        assert item.findtext("title") == html.unescape(article.get("og.title"))  # "&#163;" → "£"
        assert item.findtext("description")


def test_robots_and_sitemap(server: ReplicaServer) -> None:
    status, _, robots = fetch(server, f"{KENT}/robots.txt")
    assert status == 200
    assert "Allow: /" in robots and "Disallow" not in robots
    assert f"Sitemap: {KENT}/sitemap.xml" in robots.splitlines()
    status, kind, text = fetch(server, f"{KENT}/sitemap.xml")
    assert status == 200 and kind.startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(text.encode()).findall("s:url", ns)
    assert {u.findtext("s:loc", namespaces=ns) for u in urls} == {a.url for a in sample("Kent")}
    assert all(len(u.findtext("s:lastmod", namespaces=ns) or "") == 10 for u in urls)


def test_unknown_paths_are_404_pages(server: ReplicaServer) -> None:
    for url in (f"{KENT}/news/kent/news/no-such-article/", f"{BEDS}/news-and-appeals/Nope"):
        status, kind, page = fetch(server, url)
        assert (status, kind) == (404, "text/html; charset=utf-8")
        assert "Page not found" in page
    with pytest.raises(HTTPError) as err:
        urlopen(f"{server.base_url}/www.example.com/")
    assert err.value.code == 404
    err.value.close()


def test_links_name_the_force_origin(server: ReplicaServer) -> None:
    kent = sample("Kent")[3]
    for url in (kent.url, f"{KENT}/news/kent/latest/?page=2"):
        links = own_links(fetch(server, url)[2])
        assert links
        assert not [u for u in links if "127.0.0.1" in u or u.startswith("/")]
        assert any(u.startswith(f"{KENT}/news/kent/news") and u != kent.url for u in links)
    beds = own_links(fetch(server, sample("Bedfordshire")[0].url)[2])
    assert [u for u in beds if u.startswith(f"{BEDS}/news-and-appeals/")]  # related news


def test_page_boilerplate(server: ReplicaServer) -> None:
    page = fetch(server, sample("Kent")[0].url)[2]
    sel = Selector(text=page)
    texts = sel.css("body *::text").getall()
    assert {"Share on Facebook", "Share on X", "Home", "Accept all cookies"} <= set(texts)
    assert sel.css("header nav a") and sel.css("footer address")
    assert len(sel.css("aside a")) == 3  # related news
    links = own_links(page)
    assert [u for u in links if u.endswith(".pdf")]
    assert [u for u in links if not u.startswith((KENT, "mailto:"))]  # other sites


def test_same_page_same_bytes_and_kept_alive(server: ReplicaServer) -> None:
    conn = http.client.HTTPConnection(urlsplit(server.base_url).netloc)
    try:
        bodies = []
        for _ in range(2):
            conn.request("GET", "/www.kent.police.uk/news/kent/latest/")
            response = conn.getresponse()
            assert response.version == 11 and not response.will_close
            bodies.append(response.read())
        conn.request("HEAD", "/www.kent.police.uk/robots.txt")
        head = conn.getresponse()
        assert head.status == 200 and head.read() == b"" and int(head.headers["Content-Length"]) > 0
    finally:
        conn.close()
    assert bodies[0] == bodies[1]


def test_upsert_adds_and_edits_articles() -> None:
    kent = sample("Kent")
    with ReplicaServer(kent[:10]) as s:
        listing = f"{KENT}/news/kent/latest/"
        added = kent[10]
        assert added.url not in fetch(s, listing)[2]
        assert s.upsert(added) is True
        edited = replace(kent[0], body=kent[0].body + "\n\nUpdate: the man has been released.")
        assert s.upsert(edited) is False
        assert added.url in fetch(s, listing)[2]
        assert added.url in fetch(s, f"{KENT}/sitemap.xml")[2]
        assert fetch(s, added.url)[0] == 200
        assert "Update: the man has been released." in fetch(s, edited.url)[2]
        assert [x.articles for x in s.sites] == [11]
        elsewhere = replace(kent[1], meta={**kent[1].meta, "url": "https://www.example.com/news/x/"})
        with pytest.raises(ValueError, match="no force's site"):
            s.upsert(elsewhere)


def test_records_the_replica_cannot_serve_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    known = site_module.platform_module
    monkeypatch.setattr(site_module, "platform_module", lambda name: None if name == "bch" else known(name))
    stray = replace(sample("Kent")[0], meta={**sample("Kent")[0].meta, "url": "https://www.example.com/x"})
    with ReplicaServer([*sample("Kent"), *sample("Bedfordshire"), stray]) as s:
        assert [x.force for x in s.sites] == ["kent"]
        assert s.skipped == {"platform bch": 40, "no force's site": 1}


def test_undated_record_is_served() -> None:
    article = sample("Kent")[0]
    meta = {k: v for k, v in article.meta.items() if k != "publish"}
    undated = Article(meta=meta, body="No date anywhere in this text.")
    with ReplicaServer([undated, *sample("Kent")[1:3]]) as s:
        assert fetch(s, undated.url)[0] == 200
        items = ET.fromstring(fetch(s, f"{KENT}/news/kent/news/GetNewsRss/")[2].encode()).iter("item")
        last = list(items)[-1]
        assert last.findtext("link") == undated.url and last.find("pubDate") is None


def test_fault_hook() -> None:
    def fault(path: str) -> Reply | None:
        return Reply(503, "text/plain", b"busy") if path.endswith("/robots.txt") else None

    with ReplicaServer(sample("Kent")[:2], fault=fault) as s:
        assert fetch(s, f"{KENT}/robots.txt")[0] == 503
        assert fetch(s, f"{KENT}/sitemap.xml")[0] == 200


def test_reads_the_archive_format_as_tar_xz(tmp_path: Path) -> None:
    archive = tmp_path / "records.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        for path in iter_files(SAMPLE_RECORDS):
            if path.parent.name in ("Kent", "Bedfordshire"):
                tar.add(path, arcname=str(path.relative_to(SAMPLE_RECORDS)))
    from_tar = sorted(a.url for a in load_records(archive))
    from_dir = sorted(a.url for a in load_records(SAMPLE_RECORDS) if a.area in ("Kent", "Bedfordshire"))
    assert from_tar == from_dir and len(from_tar) == 80
    with pytest.raises(FileNotFoundError):
        list(load_records(tmp_path / "missing"))


def test_refuses_addresses_beyond_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="loopback"):
        ReplicaServer([], host="0.0.0.0")
    assert cli.main(["replica", str(SAMPLE_RECORDS), "--host", "192.168.1.10"]) == 2
    assert "not a loopback address" in capsys.readouterr().err


def test_the_printed_crawl_command_writes_to_a_folder_of_its_own() -> None:
    """Crawling a replica into data/ would mix the archive's records into a real crawl's."""
    args = [
        sys.executable,
        "-m",
        "newscrawler",
        "replica",
        str(SAMPLE_RECORDS),
        "kent",
        "--port",
        "0",
    ]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        try:
            assert proc.stdout is not None
            command = next(line for line in proc.stdout if "newscrawler crawl" in line).split()
        finally:
            proc.terminate()
    assert command[:5] == ["newscrawler", "crawl", "kent", "--data", "replica-data"]
    assert command[5] == "--mirror" and "=http://127.0.0.1:" in command[6]
