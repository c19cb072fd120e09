"""Raw capture (issue 15): every response a crawl fetches kept in gzip'd WARC files that warcio
reads back, under the force's own addresses, with right digests and a CDXJ index; rotated by
size; kill-safe."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newscrawler.replica import ReplicaServer
from newscrawler.warc import (
    INDEX_SUFFIX,
    OPEN_SUFFIX,
    SUFFIX,
    Exchange,
    SortedLines,
    WarcWriter,
    index_lines,
    recover,
    urlkey,
)
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import GzipSite, crawl


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def _records(warc: Path) -> list[dict[str, Any]]:
    """Every record of a WARC (digests checked by warcio as it reads), as plain values."""
    gzip.decompress(warc.read_bytes())  # every gzip member whole (warcio skips a cut one)
    found = []
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh, check_digests="raise"):
            http = record.http_headers
            found.append(
                {
                    "type": record.rec_type,
                    "headers": dict(record.rec_headers.headers),
                    "http": dict(http.headers) if http is not None else {},
                    "payload": record.raw_stream.read(),
                }
            )
    return found


def _exchange(url: str, body: bytes, **changes: Any) -> Exchange:
    values: dict[str, Any] = {
        "url": url,
        "fetched": url,
        "method": "GET",
        "request_headers": [("User-Agent", "test")],
        "request_body": b"",
        "protocol": "HTTP/1.1",
        "status": 200,
        "response_headers": [("Content-Type", "text/html; charset=utf-8")],
        "body": body,
        "date": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        "kind": "article",
    }
    return Exchange(**{**values, **changes})


def _page(n: int) -> bytes:
    rng = random.Random(n)  # incompressible enough that a few pages fill a small file
    return f"<html><body><p>{n}</p>".encode() + rng.randbytes(3000).hex().encode() + b"</body></html>"


def test_writer_rotates_by_size_and_indexes_each_file(tmp_path: Path) -> None:
    urls = [f"https://www.kent.police.uk/news/kent/news/2025/a-{n}/" for n in range(12)]
    # Two index lines held at most: each file's index is merged from runs sorted on disk.
    with WarcWriter(tmp_path, max_size=15_000, info={"software": "test"}, index_buffer=2) as writer:
        for n, url in enumerate(urls):
            writer.write(_exchange(url, _page(n)))
    warcs = sorted(tmp_path.glob("*" + SUFFIX))
    assert len(warcs) > 2 and warcs == writer.finished
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX))
    seen = []
    for warc in warcs:
        records = _records(warc)
        assert records[0]["type"] == "warcinfo"
        assert [r["type"] for r in records[1:]] == ["response", "request"] * ((len(records) - 1) // 2)
        for record in records:
            if record["type"] == "response":
                seen.append(record["headers"]["WARC-Target-URI"])
                assert record["headers"]["WARC-Payload-Digest"] == _sha1(record["payload"])
        lines = warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX).read_text().splitlines()
        assert lines == sorted(lines) and len(lines) == (len(records) - 1) // 2
        assert lines == sorted(line.rstrip("\n") for line in index_lines(warc))  # as read back
        for line in lines:
            key, stamp, fields = line.split(" ", 2)
            entry = json.loads(fields)
            assert key == urlkey(entry["url"]) and stamp == "20250102030405"
            assert entry["status"] == "200" and entry["mime"] == "text/html"
            assert entry["filename"] == warc.name
            # offset and length frame exactly the record's gzip member
            with warc.open("rb") as fh:
                fh.seek(int(entry["offset"]))
                member = fh.read(int(entry["length"]))
            text = gzip.decompress(member)
            assert f"WARC-Target-URI: {entry['url']}\r\n".encode() in text
            assert b"WARC-Type: response\r\n" in text
    assert seen == urls


def test_a_file_cut_by_a_kill_keeps_its_whole_records(tmp_path: Path) -> None:
    urls = [f"https://www.kent.police.uk/news/kent/news/2025/b-{n}/" for n in range(3)]
    writer = WarcWriter(tmp_path, max_size=10**9, info={"software": "test"})
    for n, url in enumerate(urls):
        writer.write(_exchange(url, _page(n)))
    (leftover,) = tmp_path.glob("*" + OPEN_SUFFIX)
    data = leftover.read_bytes()  # each record is flushed whole as it is written
    writer.close()
    for finished in writer.finished:
        finished.unlink()
        finished.with_name(finished.name.removesuffix(SUFFIX) + INDEX_SUFFIX).unlink()
    # What a kill in the middle of the last record leaves: its request member cut short.
    leftover.write_bytes(data[:-40])
    # And a file whose first record was cut: nothing whole in it.
    empty = tmp_path / ("newscrawler-20250101000000000-00000" + OPEN_SUFFIX)
    empty.write_bytes(data[:30])
    # And an index cut short as it was written (atomic_write's temp file).
    (tmp_path / ".tmp-x1y2.part").write_bytes(b"uk,police,kent)/news 2025")
    closed = recover(tmp_path)
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX)) and not list(tmp_path.glob(".tmp-*"))
    (warc,) = closed
    records = _records(warc)
    responses = [r["headers"]["WARC-Target-URI"] for r in records if r["type"] == "response"]
    assert responses == urls  # the last response was whole; only its request was cut
    assert [r["type"] for r in records][-2:] == ["request", "response"]
    index = warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX)
    lines = index.read_text().splitlines(keepends=True)
    assert lines == sorted(index_lines(warc)) and len(lines) == 3


def test_sorted_lines_merge_runs_kept_in_no_named_file(tmp_path: Path) -> None:
    rng = random.Random(4)
    lines = [f"uk,police,kent)/news/{rng.randrange(10**6)} 2025 {{}}\n" for _ in range(1000)]
    ordered = SortedLines(tmp_path, buffer=64)
    for line in lines:
        ordered.add(line)
    assert not list(tmp_path.iterdir())  # runs are anonymous: a kill leaves nothing behind
    assert list(ordered) == sorted(lines)
    ordered.close()


def test_writer_memory_does_not_grow_with_the_records(tmp_path: Path) -> None:
    """A file's index waits on disk, not in memory (it was a list of every line until the
    file rotated at 1 GB: ~0.5 KiB per page for the whole of a crawl)."""
    buffer, first, last = 500, 1000, 5000  # measured with the buffer just emptied
    traced = {}
    tracemalloc.start()
    try:
        with WarcWriter(tmp_path, max_size=10**9, info={"software": "test"}, index_buffer=buffer) as writer:
            for n in range(1, last + 1):
                url = f"https://www.kent.police.uk/news/kent/news/2025/01/02/a-long-enough-headline-{n}/"
                writer.write(_exchange(url, b"<html><body><p>%d</p></body></html>" % n))
                if n in (first, last):
                    traced[n] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    (warc,) = writer.finished
    index = warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX)
    lines = index.read_text().splitlines()
    assert len(lines) == last and lines == sorted(lines)
    held = index.stat().st_size * (last - first) // last  # what the lines in between weigh
    assert traced[last] - traced[first] < held // 10, (traced, held)


def test_urlkey_is_pywb_surt() -> None:
    url = "https://www.Kent.police.uk/News/kent/news/x/?b=2&a=1"
    assert urlkey(url) == "uk,police,kent)/news/kent/news/x?a=1&b=2"


def test_crawl_keeps_every_response_under_the_forces_own_address(tmp_path: Path) -> None:
    hook = GzipSite("www.kent.police.uk")
    out = tmp_path / "out"
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent", "bedfordshire"], fault=hook) as server:
        hook.faults.bind(server)
        crawl(["kent", "bedfordshire"], out, server.mirrors)
        fetched = [server.base_url + h.target for h in hook.faults.hits]
        mirrors = server.mirrors
    (warc,) = sorted((out / "warc").glob("*" + SUFFIX))
    records = _records(warc)
    assert records[0]["type"] == "warcinfo"
    responses = [r for r in records if r["type"] == "response"]
    requests = {r["headers"]["WARC-Concurrent-To"]: r for r in records if r["type"] == "request"}
    # One response per request the replica answered (articles, listings, feeds, sitemaps,
    # robots.txt), each under the force's own address, the fetched one beside it.
    sources = [r["headers"]["WARC-Source-URI"] for r in responses]
    assert sorted(sources) == sorted(fetched) and len(responses) > 80
    kinds = {r["headers"]["Newscrawler-Page-Kind"] for r in responses}
    assert {"article", "listing", "feed", "robots", "sitemap"} <= kinds
    for response in responses:
        target, source = response["headers"]["WARC-Target-URI"], response["headers"]["WARC-Source-URI"]
        origin = next(o for o, m in mirrors.items() if source.startswith(m + "/"))
        assert target == origin + source[len(mirrors[origin]) :]
        assert response["headers"]["WARC-Payload-Digest"] == _sha1(response["payload"])
        request = requests[response["headers"]["WARC-Record-ID"]]
        assert request["headers"]["WARC-Target-URI"] == target
        assert request["http"]["Host"] == target.split("/")[2]
        if "kent" in target:  # kept as served: compressed, and saying so
            assert response["http"]["Content-Encoding"] == "gzip"
            assert response["payload"][:2] == b"\x1f\x8b"
            assert len(gzip.decompress(response["payload"])) > 0
        else:
            assert "Content-Encoding" not in response["http"]
    index = (out / "warc").glob("*" + INDEX_SUFFIX)
    assert len(next(index).read_text().splitlines()) == len(responses)


def test_no_warc_keeps_no_pages(tmp_path: Path) -> None:
    with ReplicaServer(SAMPLE_RECORDS, forces=["bedfordshire"]) as server:
        crawl(["bedfordshire"], tmp_path / "out", server.mirrors, "--no-warc")
    assert list((tmp_path / "out" / "news").glob("*/*.md"))
    assert not (tmp_path / "out" / "warc").exists()


def test_sigkill_mid_crawl_leaves_readable_warcs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    rng = random.Random(15)
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent"]) as server:
        args = [sys.executable, "-m", "newscrawler", "crawl", "kent", "--data", str(out), "-q", "--full"]
        for origin, url in server.mirrors.items():
            args += ["--mirror", f"{origin}={url}"]
        # Slowed down so the kills land part way; small files so they land in rotations too.
        args += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05"]
        args += ["-s", "NEWSCRAWLER_WARC_MAX_SIZE=40000"]
        kills = 0
        for _ in range(3):
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(1.0, 3.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            # Every finished file reads whole; what was being written is at most one file.
            for warc in (out / "warc").glob("*" + SUFFIX):
                assert _records(warc)[0]["type"] == "warcinfo"
            assert len(list((out / "warc").glob("*" + OPEN_SUFFIX))) <= 1
        crawl(["kent"], out, server.mirrors, "--full")
    print(f"killed {kills} runs part way")
    assert kills >= 1
    assert not list((out / "warc").glob("*" + OPEN_SUFFIX))
    for warc in (out / "warc").glob("*" + SUFFIX):
        responses = [r for r in _records(warc) if r["type"] == "response"]
        index = warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX)
        assert len(index.read_text().splitlines()) == len(responses)


#: ``newscrawler`` whose 20th WARC write meets a full disk part way: from then on the kernel
#: fails every write past a file size limit (RLIMIT_FSIZE) a little above the WARC's size.
_FULL = """
import resource, sys
from newscrawler import warc
write = warc.WarcWriter.write
count = [0]

def write_until_full(self, exchange):
    count[0] += 1
    if count[0] == 20:
        size = max(p.stat().st_size for p in self.folder.glob("*.open"))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, resource.RLIM_INFINITY))
    return write(self, exchange)

warc.WarcWriter.write = write_until_full
from newscrawler.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_stops_the_capture_and_the_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with ReplicaServer(SAMPLE_RECORDS, forces=["bedfordshire"]) as server:
        args = [sys.executable, "-c", _FULL, "crawl", "bedfordshire", "--data", str(out)]
        for origin, url in server.mirrors.items():
            args += ["--mirror", f"{origin}={url}"]
        first = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert first.returncode == 1, first.stderr[-3000:]
        assert f"stopped: cannot write raw pages (WARC) to {out}" in first.stderr, first.stderr[-3000:]
        (leftover,) = (out / "warc").glob("*" + OPEN_SUFFIX)
        crawl(["bedfordshire"], out, server.mirrors)
    assert not leftover.exists()
    finished = sorted((out / "warc").glob("*" + SUFFIX))
    assert len(finished) == 2  # the cut one, closed by the next run, and that run's own
    assert len([r for r in _records(finished[0]) if r["type"] == "response"]) == 19
