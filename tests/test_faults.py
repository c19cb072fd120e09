"""Crawls of a misbehaving replica (newscrawler.replica.faults): each fault a real site can
show, and what must come of it. Nothing wrong is written, nothing is lost that could be
fetched, and every page given up is counted by its reason.

Each crawl is a subprocess (Twisted's reactor cannot restart) run by a small driver that also
dumps the run's Scrapy stats to JSON, so the tests read the counts the run report is built
from. Several faults share one crawl to keep the suite fast; each test checks one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from newscrawler import record
from newscrawler.failures import LASTING
from newscrawler.record import Article, ArticleWriter, url_key
from newscrawler.replica import ReplicaServer
from newscrawler.replica.faults import Faults
from newscrawler.state import State
from tests.conftest import SAMPLE_RECORDS
from tests.servers import Trap

BEDS = "https://www.bedfordshire.police.uk"
NEWS = "/news-and-appeals/"
NO_PROXY_ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
CRAWL_LIMIT = 300  # an upper bound on a stuck crawl, not an expectation

#: Runs ``newscrawler`` with an extension that writes the final stats to $FAULTS_STATS, and,
#: with $FAULTS_FULL_AFTER=N, a file size limit of 0 (RLIMIT_FSIZE) from the N+1th record on:
#: the kernel then fails every write as on a full disk, with no mount and no root needed.
DRIVER = """
import json, os, resource, sys
from scrapy import signals

class DumpStats:
    def __init__(self, crawler):
        self.crawler = crawler
        self.sent = []

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.reached, signal=signals.request_reached_downloader)
        return ext

    def reached(self, request, spider):
        self.sent.append(request.url)

    def closed(self, spider, reason):
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason, "maxrss_kib": peak}
        stats["sent"] = self.sent
        with open(os.environ["FAULTS_STATS"], "w") as fh:
            json.dump(stats, fh, default=str)

full_after = int(os.environ.get("FAULTS_FULL_AFTER", "0"))
if full_after:
    from newscrawler import record
    write = record.ArticleWriter.write
    written = [0]

    def write_until_full(self, article):
        if written[0] == full_after:
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
        result = write(self, article)
        written[0] += 1
        return result

    record.ArticleWriter.write = write_until_full

from newscrawler.cli import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass
class Crawl:
    """One finished crawl: its process, its stats, its output folder."""

    done: subprocess.CompletedProcess[str] = field(repr=False)
    stats: dict[str, Any] = field(repr=False)
    out: Path

    def count(self, force: str, what: str) -> int:
        return int(self.stats.get(f"newscrawler/{force}/{what}", 0))

    @property
    def sent(self) -> list[str]:
        """Every request the downloader was given to send (request_reached_downloader)."""
        return list(self.stats["sent"])

    def files(self, area: str) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((self.out / "news" / area).glob("*.md"))}


def crawl(server: ReplicaServer, forces: list[str], out: Path, *settings: str, **env: str) -> Crawl:
    project = Settings()
    project.setmodule("newscrawler.settings")
    extensions = {**project.getdict("EXTENSIONS"), "__main__.DumpStats": 0}
    args = [sys.executable, "-c", DRIVER, "crawl", *forces, "--data", str(out)]
    args += ["-s", f"EXTENSIONS={json.dumps(extensions)}"]
    for setting in settings:
        args += ["-s", setting]
    for origin, url in server.mirrors.items():
        args += ["--mirror", f"{origin}={url}"]
    stats = out.parent / f"{out.name}-stats.json"
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=CRAWL_LIMIT,
        env={**NO_PROXY_ENV, "FAULTS_STATS": str(stats), **env},
    )
    assert stats.exists(), done.stderr[-3000:]
    return Crawl(done, json.loads(stats.read_text()), out)


@pytest.fixture(scope="module")
def trap() -> Iterator[Trap]:
    with Trap(content_type="text/html") as t:
        yield t


def beds(slug: str, title: str = "", body: str = "", day: int = 1) -> Article:
    """A Bedfordshire record (the BCH replica serves it so that a crawl gives it back byte
    for byte)."""
    return Article.build(
        area="Bedfordshire",
        title=title or f"Appeal for witnesses after burglary ({slug})",
        url=f"{BEDS}{NEWS}{slug}",
        description=f"Officers are appealing for witnesses ({slug}).",
        published=date(2020, 3, day),
        body=body
        or f"Officers are appealing for witnesses ({slug}).\n\nAnyone with information should call 101.",
        force="bedfordshire",
    )


# ---- one crawl, many faults -------------------------------------------------------------------

#: Article slug -> the fault its page shows, and the reason it must be counted under when it
#: is given up (None: the article must come through in the end).
FAULTY = {
    "burst503": ("status=503,times=2", None),
    "ratelimit": ("status=429,retry-after=1,times=1", None),
    "always500": ("status=500", "server_error"),
    "drop": ("drop", "dropped"),
    "truncate": ("truncate", "truncated"),
    "empty": ("empty", "empty"),
    "error200": ("error200", "error_page"),
    "huge": ("huge=300000", "too_large"),
    "loop": ("loop", "redirect_loop"),
    "away": ("redirect=TRAP/elsewhere", "offsite_redirect"),
    "cp1252": ("charset=cp1252-as-utf8", None),
    "mislabelled": ("charset=utf8-as-cp1252", None),
    "bom": ("charset=bom", None),
    "unlabelled": ("charset=none", None),
}
CHARSET_TEXT = "A £400 fine for the café’s owner — “twice” in a week (€5, Łódź, naïve)."
RETRIES = 2
BACKOFF = 0.2

#: Titles and bodies that try to break the record format: YAML indicators, fences, control
#: characters, bidirectional marks, a 100 KB body.
HOSTILE_TITLES = [
    'Police: "Appeal" # 1 & more',
    "- leading dash and 'single' quotes",
    "---",
    "```",
    "``` yaml fence",
    "? question",
    "! tag",
    "*alias",
    "&anchor",
    "%directive",
    "{flow: 1}",
    "[a, b]",
    "> folded",
    "| literal",
    "null",
    "yes",
    "~",
    "0x1F",
    "2020-01-01",
    "...",
    "Right-to-left \u200f mark and \u202e override \u202c here",
    "Tab\tbell\x07 escape\x1b[31m NUL\x00 end",
]
BIG_BODY = "\n\n".join(f"Paragraph {i}: " + " ".join(["lorem ipsum dolor sit amet"] * 14) for i in range(260))
FENCED_BODY = "```yaml\nurl: https://evil.example/\n```\n\n---\n\n# Heading\n\n- item\n\n> quote"


def hostile(i: int, title: str) -> Article:
    body = BIG_BODY if i == 0 else FENCED_BODY if i == 1 else ""
    return beds(f"hostile-{i}", title=title, body=body, day=1 + i % 28)


@dataclass
class Misbehaving:
    crawl: Crawl = field(repr=False)
    faults: Faults = field(repr=False)
    source: dict[str, Article] = field(repr=False)  # by slug


@pytest.fixture(scope="module")
def misbehaving(tmp_path_factory: pytest.TempPathFactory, trap: Trap) -> Misbehaving:
    root = tmp_path_factory.mktemp("misbehaving")
    source: dict[str, Article] = {}
    for n, slug in enumerate(["fine1", "fine2", *FAULTY]):
        charset = FAULTY.get(slug, ("", None))[0].startswith("charset")
        title = f"£400 fine – ‘café’ owner… ({slug})" if charset else ""
        source[slug] = beds(slug, title, CHARSET_TEXT if charset else "", n + 1)
    for i, title in enumerate(HOSTILE_TITLES):
        source[f"hostile-{i}"] = hostile(i, title)
    writer = ArticleWriter(root / "src")
    for article in source.values():
        writer.write(article)
    rules = [f"{spec.replace('TRAP', trap.url)},path={NEWS}{slug}" for slug, (spec, _) in FAULTY.items()]
    extra_links = [
        f"{BEDS}{NEWS}annual-report.pdf",  # files are not fetched
        f"{NEWS}photo.JPG",
        f"{trap.url}{NEWS}elsewhere-article",  # nor other sites
        f"{BEDS}{NEWS}fine1?utm_source=twitter&fbclid=abc",  # tracking parameters
        f"http://www.bedfordshire.police.uk{NEWS}fine2",  # http and https
    ]
    rules.append(f"links={'|'.join(extra_links)},path=/news-and-appeals")
    faults = Faults(rules)
    with ReplicaServer(root / "src", forces=["bedfordshire"], fault=faults) as server:
        faults.bind(server)
        done = crawl(
            server,
            ["bedfordshire"],
            root / "out",
            f"RETRY_TIMES={RETRIES}",
            f"NEWSCRAWLER_RETRY_BACKOFF={BACKOFF}",
            "DOWNLOAD_MAXSIZE=200000",
        )
    return Misbehaving(done, faults, source)


def fetches(m: Misbehaving, slug: str) -> list[float]:
    return [h.at for h in m.faults.requests(f"{NEWS}{slug}")]


def written(m: Misbehaving, slug: str) -> bytes | None:
    return m.crawl.files("Bedfordshire").get(url_key(m.source[slug].url) + ".md")


def test_the_crawl_finishes_and_writes_only_what_it_could_read(misbehaving: Misbehaving) -> None:
    m = misbehaving
    assert m.crawl.stats["finish_reason"] == "finished", m.crawl.done.stderr[-3000:]
    given_up = {slug for slug, (_, reason) in FAULTY.items() if reason}
    expected = {url_key(a.url) + ".md" for slug, a in m.source.items() if slug not in given_up}
    assert set(m.crawl.files("Bedfordshire")) == expected
    assert [p.relative_to(m.crawl.out).parts[:2] for p in m.crawl.out.rglob("*.md")] == [
        ("news", "Bedfordshire")
    ] * len(expected)
    assert not list(m.crawl.out.rglob("*.part"))
    assert m.crawl.count("bedfordshire", "failed") == len(given_up)


def test_given_up_articles_wait_by_their_reason_and_hide_nothing(misbehaving: Misbehaving) -> None:
    """A passing trouble (5xx, a dropped connection) is tried by the next run; an answer that
    would be the same again waits like a page that gave no record. Either way the article is
    in the state, so the listings count as read to the end."""
    passing = {slug for slug, (_, reason) in FAULTY.items() if reason and reason not in LASTING}
    assert passing == {"always500", "drop"}
    with State.open(misbehaving.crawl.out) as state:
        assert state.retry_due("bedfordshire") == sorted(misbehaving.source[s].url for s in passing)
        assert state.complete_through("bedfordshire") is not None


def test_a_burst_of_503s_is_retried_with_growing_waits_until_the_page_comes(misbehaving: Misbehaving) -> None:
    times = fetches(misbehaving, "burst503")
    assert len(times) == 3
    # Lower bounds the middleware guarantees (it sleeps at least this long), not speeds.
    assert times[1] - times[0] >= BACKOFF
    assert times[2] - times[1] >= 2 * BACKOFF
    assert written(misbehaving, "burst503") == misbehaving.source["burst503"].render().encode()


def test_retry_after_is_obeyed_before_asking_again(misbehaving: Misbehaving) -> None:
    times = fetches(misbehaving, "ratelimit")
    assert len(times) == 2
    assert times[1] - times[0] >= 1.0  # Retry-After: 1
    assert written(misbehaving, "ratelimit") == misbehaving.source["ratelimit"].render().encode()


def test_a_page_that_keeps_failing_is_counted_failed_after_its_retries(misbehaving: Misbehaving) -> None:
    assert len(fetches(misbehaving, "always500")) == 1 + RETRIES
    assert written(misbehaving, "always500") is None
    assert misbehaving.crawl.count("bedfordshire", "server_error") == 1


@pytest.mark.parametrize("slug", ["drop", "truncate", "empty", "error200"])
def test_broken_answers_are_retried_then_counted_by_reason_and_never_written(
    misbehaving: Misbehaving, slug: str
) -> None:
    reason = FAULTY[slug][1]
    assert reason is not None
    assert len(fetches(misbehaving, slug)) == 1 + RETRIES
    assert written(misbehaving, slug) is None
    assert misbehaving.crawl.count("bedfordshire", reason) == 1


@pytest.mark.parametrize("slug", ["huge", "loop", "away"])
def test_too_large_pages_and_bad_redirects_are_given_up_at_once(misbehaving: Misbehaving, slug: str) -> None:
    reason = FAULTY[slug][1]
    assert reason is not None
    assert len(fetches(misbehaving, slug)) == 1  # not retried: it would not change
    assert written(misbehaving, slug) is None
    assert misbehaving.crawl.count("bedfordshire", reason) == 1


def test_links_to_files_and_other_sites_and_redirects_away_are_not_followed(
    misbehaving: Misbehaving, trap: Trap
) -> None:
    assert trap.requests == []
    asked = {h.path for h in misbehaving.faults.hits}
    assert not [p for p in asked if p.lower().endswith((".pdf", ".jpg"))]


def test_the_same_article_under_two_addresses_is_fetched_and_written_once(misbehaving: Misbehaving) -> None:
    for slug in ("fine1", "fine2"):
        assert len(fetches(misbehaving, slug)) == 1
        assert len(fetches(misbehaving, f"{slug}?*")) == 0
        assert written(misbehaving, slug) == misbehaving.source[slug].render().encode()


@pytest.mark.parametrize("slug", ["cp1252", "mislabelled", "bom", "unlabelled"])
def test_wrong_or_missing_charsets_are_read_right(misbehaving: Misbehaving, slug: str) -> None:
    text = written(misbehaving, slug)
    assert text is not None
    assert text == misbehaving.source[slug].render().encode()
    assert "£400 fine for the café’s owner" in record.parse(text.decode()).body


def test_charset_fixes_are_counted(misbehaving: Misbehaving) -> None:
    # The BOM needs no fix: Scrapy obeys it. The three others would be mojibake.
    assert misbehaving.crawl.count("bedfordshire", "charset_fixed") == 3


def test_hostile_records_come_back_unchanged_with_nothing_injected(misbehaving: Misbehaving) -> None:
    for i, title in enumerate(HOSTILE_TITLES):
        source = misbehaving.source[f"hostile-{i}"]
        got = written(misbehaving, f"hostile-{i}")
        assert got is not None, title
        article = record.parse(got.decode())
        assert sorted(article.meta) == ["area", "og", "publish", "title", "url"]
        assert article.url == source.url and article.body == source.body
        if "\t" in title:
            # HTML carries no NUL and reads a tab as a space; the rest comes through, escaped.
            assert article.title == "Tab bell\x07 escape\x1b[31m NUL end"
            assert "\x07" not in got.decode().split("```\n\n", 1)[0]
        else:
            assert got == source.render().encode(), title
    assert len(misbehaving.source["hostile-0"].body) > 100_000


def test_a_page_slower_than_the_timeout_is_retried_then_counted(tmp_path: Path) -> None:
    # A crawl of its own with a short timeout, kept apart from the pages that must arrive:
    # on a loaded machine a short timeout could cut them off too.
    ArticleWriter(tmp_path / "src").write(beds("slow"))
    faults = Faults([f"slow=6,path={NEWS}slow"])
    with ReplicaServer(tmp_path / "src", forces=["bedfordshire"], fault=faults) as server:
        faults.bind(server)
        done = crawl(server, ["bedfordshire"], tmp_path / "out", "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=1")
    assert len(faults.requests(f"{NEWS}slow")) == 2
    assert done.files("Bedfordshire") == {}
    assert done.count("bedfordshire", "timeout") == 1
    assert done.count("bedfordshire", "failed") == 1


# ---- robots.txt -------------------------------------------------------------------------------


def test_robots_txt_forbidding_the_news_stops_everything_under_it_and_says_so(tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path / "src")
    for n in range(4):
        writer.write(beds(f"robots-{n}", day=n + 1))
    faults = Faults([f"disallow={NEWS.rstrip('/')}"])
    with ReplicaServer(tmp_path / "src", forces=["bedfordshire"], fault=faults) as server:
        faults.bind(server)
        done = crawl(server, ["bedfordshire"], tmp_path / "out", "ROBOTSTXT_OBEY=True")
    assert [h.path for h in faults.hits if h.path.startswith("/news-and-appeals")] == []
    assert faults.requests("/robots.txt")  # read from the force's site, through the mirror
    assert faults.requests("/sitemap.xml")  # allowed, and its articles forbidden
    assert done.files("Bedfordshire") == {}
    assert done.count("bedfordshire", "robots_denied") == 5  # the listing and four articles
    assert "robots.txt of https://www.bedfordshire.police.uk forbids /news-and-appeals" in done.done.stderr
    assert done.done.returncode == 1


# ---- hostile feeds and sitemaps ---------------------------------------------------------------

KENT_FEED = "/news/kent/news/GetNewsRss/"


def kent_source(root: Path, n: int = 5) -> list[Article]:
    articles = [record.read(p) for p in sorted((SAMPLE_RECORDS / "news" / "Kent").glob("*.md"))[:n]]
    writer = ArticleWriter(root)
    for article in articles:
        writer.write(article)
    return articles


@pytest.mark.parametrize(
    "feed, sitemap",
    [("xml=billion-laughs", "xml=xxe,entity=file://{secret}"), ("xml=malformed", "xml=huge,size=300000")],
)
def test_hostile_feeds_and_sitemaps_are_refused_and_listings_carry_the_crawl(
    tmp_path: Path, trap: Trap, feed: str, sitemap: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    articles = kent_source(tmp_path / "src")
    moved = "/news/kent/news/moved-folder/" + articles[0].url.rstrip("/").rsplit("/", 1)[1] + "/"
    own_path = articles[0].url.removeprefix("https://www.kent.police.uk")
    faults = Faults(
        [
            f"{feed},path={KENT_FEED}",
            f"links={trap.url}/news/kent/news/trap/,path={KENT_FEED}",
            f"links={trap.url}/sitemap.xml,path=/robots.txt",
            f"{sitemap.format(secret=secret)},path=/sitemap.xml",
            f"links={trap.url}/sitemap-2.xml,path=/sitemap.xml",
            # A moved SOH folder: the same article at a second address the listing links to.
            f"links=https://www.kent.police.uk{moved},path=/news/kent/latest/",
            f"alias={own_path},path={moved}",
        ]
    )
    with ReplicaServer(tmp_path / "src", forces=["kent"], fault=faults) as server:
        faults.bind(server)
        done = crawl(server, ["kent"], tmp_path / "out", "DOWNLOAD_MAXSIZE=200000")
    assert done.stats["finish_reason"] == "finished", done.done.stderr[-3000:]
    assert sorted(done.files("Kent")) == sorted(url_key(a.url) + ".md" for a in articles)
    assert faults.requests(moved) and done.count("kent", "duplicate") == 1
    assert trap.requests == []
    assert not any(b"TOP SECRET" in p.read_bytes() for p in done.out.rglob("*") if p.is_file())
    if "huge" in sitemap:
        assert done.count("kent", "too_large") == 1
    # The crawl process stayed small: an expanded billion laughs alone would take gigabytes.
    assert done.stats["maxrss_kib"] < 1_000_000


# ---- the output disk fills up -----------------------------------------------------------------


def test_a_full_disk_stops_the_run_cleanly_and_the_next_run_resumes(tmp_path: Path) -> None:
    source = [beds(f"disk-{n}", day=n + 1) for n in range(8)]
    writer = ArticleWriter(tmp_path / "src")
    for article in source:
        writer.write(article)
    out = tmp_path / "out"
    with ReplicaServer(tmp_path / "src", forces=["bedfordshire"]) as server:
        # Raw capture off: once the disk is "full" a WARC write may fail before the next record
        # does, and the stop line would name the pages instead (tests/test_warc.py covers that).
        first = crawl(server, ["bedfordshire"], out, "NEWSCRAWLER_WARC=False", FAULTS_FULL_AFTER="3")
        kept = first.files("Bedfordshire")
        assert first.stats["finish_reason"] == "output_unwritable"
        assert f"stopped: cannot write records to {out}: file too large." in first.done.stderr
        assert "Traceback" not in first.done.stderr and "Logging error" not in first.done.stderr
        assert 3 <= len(kept) < len(source)
        assert all(record.parse(text.decode()).render().encode() == text for text in kept.values())
        assert not list(out.rglob("*.part")) and not list(out.rglob(".tmp-*"))

        second = crawl(server, ["bedfordshire"], out)
    assert second.stats["finish_reason"] == "finished", second.done.stderr[-3000:]
    assert second.done.returncode == 0
    assert second.files("Bedfordshire") == {url_key(a.url) + ".md": a.render().encode() for a in source}


# ---- a record file in the way -----------------------------------------------------------------


def test_a_damaged_file_is_replaced_and_one_that_cannot_be_replaced_fails_the_run(tmp_path: Path) -> None:
    source = [beds(f"in-the-way-{n}", day=n + 1) for n in range(3)]
    for article in source:
        ArticleWriter(tmp_path / "src").write(article)
    out = tmp_path / "out"
    damaged, blocked = (out / "news" / "Bedfordshire" / (url_key(a.url) + ".md") for a in source[:2])
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(bytes(range(256)))  # not a record, not even text
    blocked.mkdir()  # a folder where the record should go: it cannot be saved
    with ReplicaServer(tmp_path / "src", forces=["bedfordshire"]) as server:
        done = crawl(server, ["bedfordshire"], out)
    assert damaged.read_bytes() == source[0].render().encode()
    assert done.count("bedfordshire", "record_error") == 1
    assert done.count("bedfordshire", "failed") == 1
    assert done.done.returncode == 1
    assert "1 record(s) read but not saved" in done.done.stderr
    report = json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text())
    assert report["forces"]["bedfordshire"]["failed"] == 1


# ---- nothing leaves the mirrors ---------------------------------------------------------------


def test_every_fault_at_once_sends_no_request_off_the_mirrors(tmp_path: Path, trap: Trap) -> None:
    """Every fault kind at once, on two forces' sites (SOH and BCH) read through mirrors with
    robots.txt obeyed: every request the downloader was given went to the replica, none to a
    force's real site, another site or the trap, whatever the pages, redirects, robots.txt,
    feeds and sitemaps say."""
    kent = kent_source(tmp_path / "src", 12)
    writer = ArticleWriter(tmp_path / "src")
    bedfordshire = [beds(f"leak-{n}", day=n + 1) for n in range(12)]
    for article in bedfordshire:
        writer.write(article)
    k = [a.url.removeprefix("https://www.kent.police.uk") for a in kent]
    b = [a.url.removeprefix(BEDS) for a in bedfordshire]
    elsewhere = "|".join(
        [
            f"{trap.url}/news/kent/news/trap/",
            "https://www.essex.police.uk/news/essex/news/news/2020/x/",
            "https://kent.police.uk/news/kent/news/news/2020/no-www/",
            "//www.kent.police.uk.evil.example/news/kent/news/x/",
            "http://[oops/news-and-appeals/x",
        ]
    )
    rules = [
        # Redirects: to the force's real origin (through the mirror), to its other host
        # name, to another force, to the trap, protocol-relative, and a loop.
        "redirect={origin}" + k[1] + ",path=" + k[0],
        "redirect=https://kent.police.uk" + k[2] + ",path=" + k[1],
        "redirect=https://www.essex.police.uk/news/essex/news/x/,path=" + k[2],
        f"redirect={trap.url}/moved,path={b[0]}",
        "redirect=//www.bedfordshire.police.uk.evil.example/x,path=" + b[1],
        "redirect=http://www.bedfordshire.police.uk" + b[3] + ",path=" + b[2],
        f"loop,path={b[3]}",
        # A Location urllib and a browser read differently (the host is evil.example for
        # the WHATWG parser, www.kent.police.uk for urllib).
        "redirect=https://evil.example\\@www.kent.police.uk" + k[9] + ",path=" + k[8],
        # Pages that send the browser on with <meta http-equiv="refresh">: to the force's
        # real origin, to the trap, to the mirror host's root.
        "refresh={origin}" + k[6] + ",path=" + k[5],
        f"refresh={trap.url}/refreshed,path={k[7]}",
        "refresh=/elsewhere,path=" + k[10],
        f"alias={b[5]},path={b[4]}",
        # Links to elsewhere in every listing, feed, sitemap and robots.txt.
        f"links={elsewhere},path=/news/kent/latest/*",
        f"links={elsewhere},path=/news-and-appeals",
        f"links={elsewhere},path=/news/kent/news/GetNewsRss/",
        f"links={elsewhere},path=/sitemap.xml",
        f"links={trap.url}/sitemap.xml|https://www.essex.police.uk/sitemap.xml|https://www.bedfordshire.police.uk/sitemap-2.xml,path=/robots.txt",
        "disallow=" + b[6],
        # Hostile XML (an external entity on the trap), and pages that misbehave.
        f"xml=xxe,entity={trap.url}/xxe,path=/news/kent/news/GetNewsRss/",
        "alias=/sitemap.xml,path=/sitemap-2.xml",
        "xml=billion-laughs,path=/sitemap-2.xml",
        f"status=503,times=1,retry-after=1,path={b[7]}",
        f"status=429,times=1,path={b[8]}",
        f"slow=0.2,path={b[9]}",
        f"drop,path={b[10]}",
        f"truncate,path={b[11]}",
        "empty,path=" + k[3],
        "error200,path=" + k[4],
        f"charset=cp1252-as-utf8,path={b[5]}",
        f"huge=300000,path={b[4]}",
    ]
    faults = Faults(rules)
    with ReplicaServer(tmp_path / "src", forces=["kent", "bedfordshire"], fault=faults) as server:
        faults.bind(server)
        done = crawl(
            server,
            ["kent", "bedfordshire"],
            tmp_path / "out",
            "ROBOTSTXT_OBEY=True",
            "RETRY_TIMES=1",
            "DOWNLOAD_MAXSIZE=200000",
        )
    assert done.stats["finish_reason"] == "finished", done.done.stderr[-3000:]
    mirrors = tuple(base + "/" for base in server.mirrors.values())
    print(f"{len(done.sent)} requests sent")
    assert len(done.sent) > 30 and [url for url in done.sent if not url.startswith(mirrors)] == []
    assert trap.requests == []
    # Dropped by the guard, counted by their force (the meta refreshes away from the mirrors).
    assert done.count("kent", "offsite") == 3
    assert done.files("Kent") and done.files("Bedfordshire")
