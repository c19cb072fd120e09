"""``newscrawler reparse`` (issue 15): records made again from a crawl's WARC files with no
network, byte for byte as the crawl wrote them; what a changed parser changes is reported."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from newscrawler.cli import main
from newscrawler.platforms.base import Platform
from newscrawler.record import Article, read
from newscrawler.reparse import PageError, Reparser, decoded, zstd
from newscrawler.replica import ReplicaServer
from newscrawler.replica.faults import Faults
from newscrawler.state import State
from newscrawler.warc import Exchange, WarcWriter, finished_warcs, read_responses
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import GzipSite, crawl


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("news/*/*.md"))}


def _reparse(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "newscrawler", "reparse", "--data", str(out), *extra]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kent (served gzip'd) and Bedfordshire crawled from the replica, with a page whose
    charset is mislabelled and one that answers "page not found" with 200."""
    bedfordshire = read(next((SAMPLE_RECORDS / "news" / "Bedfordshire").glob("0b78*.md")))
    kent = read(next((SAMPLE_RECORDS / "news" / "Kent").glob("*.md")))
    faults = Faults(
        [
            f"charset=cp1252-as-utf8,path={urlsplit(bedfordshire.url).path}",
            f"error200,path={urlsplit(kent.url).path}",
        ]
    )
    hook = GzipSite("www.kent.police.uk", faults)
    out = tmp_path_factory.mktemp("reparse") / "out"
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent", "bedfordshire"], fault=hook) as server:
        faults.bind(server)
        crawl(["kent", "bedfordshire"], out, server.mirrors)
    assert [h.faults for h in faults.hits if h.faults]  # both faults were served
    return out


def test_reparse_gives_the_crawls_records_byte_for_byte(crawled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(crawled, out)
    crawl_files = _files(out)
    assert len(crawl_files) >= 70

    done = _reparse(out, "--dry-run")
    assert done.stdout == ""
    assert f"0 new, 0 updated, {len(crawl_files)} unchanged" in done.stderr
    assert "no record: error page" in done.stderr  # refused by reparse as by the crawl

    # Some records lost, one edited by hand: a dry run lists them and writes nothing.
    names = sorted(crawl_files)
    gone, edited = names[::3], names[1]
    for name in gone:
        (out / name).unlink()
    (out / edited).write_text((out / edited).read_text() + "edited\n")
    expected = sorted([f"new {n}" for n in gone] + [f"updated {edited}"])
    done = _reparse(out, "--dry-run")
    assert sorted(done.stdout.splitlines()) == ["would be " + line for line in expected]
    assert not any((out / name).exists() for name in gone)

    done = _reparse(out, str(out / "warc"))
    assert sorted(done.stdout.splitlines()) == expected
    assert f"{len(gone)} new, 1 updated, {len(crawl_files) - len(gone) - 1} unchanged" in done.stderr
    assert _files(out) == crawl_files
    with State.open(out) as state:
        assert state.check() == []


def test_a_changed_parser_rewrites_the_records_it_changes(
    crawled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(crawled, out)
    before = _files(out)
    parse = Platform.parse

    def shouting(self: Platform, response: object) -> Article:
        article = parse(self, response)  # type: ignore[arg-type]
        if article.area == "Bedfordshire":
            article.meta["title"] = article.meta["title"].upper()
        return article

    monkeypatch.setattr(Platform, "parse", shouting)
    with State.open(out) as state:
        report = Reparser(out, max_size=10**7).reparse(finished_warcs([out / "warc"]), state)
        after = _files(out)
        changed = {p for p in after if after[p] != before[p]}
        assert changed and all(p.startswith("news/Bedfordshire/") for p in changed)
        assert {p.as_posix() for p in report.changed} == changed
        assert set(report.changed.values()) == {"updated"}
        assert report.counts["updated"] == len(changed)
        assert report.counts["unchanged"] == len(before) - len(changed)
        # The state keeps each record's earlier text, as for an edit seen by a crawl.
        some = read(out / sorted(changed)[0])
        assert [v.text for v in state.versions(some.url)] == [before[sorted(changed)[0]].decode()]


def test_pages_of_other_tools_warcs_are_told_by_their_address(crawled: Path, tmp_path: Path) -> None:
    """A WARC without our page kinds (another crawler's, a web archive's): article pages are
    those whose address is an article's."""
    out = tmp_path / "out"
    with WarcWriter(out / "warc", max_size=10**9, info={"software": "another crawler"}) as writer:
        for warc in finished_warcs([crawled / "warc"]):
            for stored in read_responses(warc):
                writer.write(
                    Exchange(
                        url=stored.url,
                        fetched=stored.url,
                        method="GET",
                        request_headers=[],
                        request_body=b"",
                        protocol="HTTP/1.1",
                        status=stored.status,
                        response_headers=stored.headers,
                        body=stored.body,
                        date=stored.date,
                    )
                )
    _reparse(out)
    assert _files(out) == _files(crawled)


def test_decoded_reads_every_content_encoding_scrapy_asks_for() -> None:
    body = b"<html>" + b"police news " * 1000 + b"</html>"
    raw_deflate = zlib.compressobj(wbits=-15)
    assert decoded(gzip.compress(body), "gzip", 10**6) == body
    assert decoded(zlib.compress(body), "deflate", 10**6) == body
    assert decoded(raw_deflate.compress(body) + raw_deflate.flush(), "deflate", 10**6) == body
    assert decoded(brotli.compress(body), "br", 10**6) == body
    assert decoded(zstd.compress(body), "zstd", 10**6) == body
    assert decoded(brotli.compress(gzip.compress(body)), "gzip, br", 10**6) == body
    assert decoded(body, "", 10**6) == body
    with pytest.raises(PageError, match="larger than 1000 bytes"):
        decoded(gzip.compress(body), "gzip", 1000)
    with pytest.raises(PageError, match="does not decompress"):
        decoded(b"not gzip", "gzip", 10**6)
    with pytest.raises(PageError, match="unknown"):
        decoded(body, "compress", 10**6)


def test_usage_and_runtime_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reparse", "--data", str(tmp_path), str(tmp_path / "nowhere.warc.gz")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    other = tmp_path / "page.html"
    other.write_text("<html></html>")
    assert main(["reparse", "--data", str(tmp_path), str(other)]) == 2
    assert "not a finished WARC file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(gzip.compress(b"<html>not a WARC</html>"))
    assert main(["reparse", "--data", str(tmp_path), str(garbage)]) == 1
    assert f"{garbage}: not a readable WARC file" in capsys.readouterr().err
