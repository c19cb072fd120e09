"""Raw capture: every response a crawl receives, kept in WARC files (ISO 28500, WARC/1.1) so
records can be made again from the pages themselves (``newscrawler reparse``) and the pages
replayed by any web-archive tool (pywb, the Wayback Machine's tools).

``<out>/warc/newscrawler-<start>-<serial>.warc.gz``: a warcinfo record, then per response a
response and a request record, each its own gzip member, as the site served it (body still
content-encoded, headers as received). ``WARC-Target-URI`` is the force's own address, also
when the page came through a mirror; the address fetched is then ``WARC-Source-URI`` (as
pywb writes it for pages it records from another archive). Beside each WARC, a CDXJ index
(``.cdxj``, sorted, pywb's form).

Kill-safe like records: a file being written is ``….warc.gz.open`` and is renamed when it is
rotated (``NEWSCRAWLER_WARC_MAX_SIZE``) or the run ends; each record is flushed whole. A run
that finds a leftover ``.open`` file (a killed run) cuts it to its last whole record, closes
and indexes it, so a finished file is never a half record.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import logging
import os
import socket
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.response import response_status_message
from surt import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newscrawler import __version__
from newscrawler.mirrors import Mirrors
from newscrawler.outputguard import is_output_failure, output_error
from newscrawler.record import atomic_write
from newscrawler.runs import RunLock

log = logging.getLogger("newscrawler")

WARC_DIR = "warc"
SUFFIX = ".warc.gz"
OPEN_SUFFIX = SUFFIX + ".open"
INDEX_SUFFIX = ".cdxj"
#: A WARC header of ours: what the crawl fetched the page as (article, listing, feed,
#: sitemap, robots), so ``reparse`` parses exactly the pages the crawl parsed as articles.
KIND_HEADER = "Newscrawler-Page-Kind"
#: The body is stored de-chunked: saying it is chunked would make a replay tool misread it.
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})
_CHUNK = 1 << 16
#: Index lines held in memory before they are sorted into a run on disk (about 0.5 KiB each):
#: what bounds a writer's memory, whatever the number of records a file holds.
INDEX_BUFFER_LINES = 4096


@dataclass(frozen=True)
class Exchange:
    """One request and the response it got, as sent and received."""

    url: str  # the force's own address (WARC-Target-URI)
    fetched: str  # the address fetched (a mirror's, or the same)
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    protocol: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes  # as served: still content-encoded
    date: datetime
    kind: str | None = None
    ip_address: str | None = None


def _headers(headers: Any) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) pairs, every value of a repeated header kept."""
    pairs = []
    for name, values in headers.items():
        if name.lower() in _DROPPED_HEADERS:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def exchange_of(request: Request, response: Response, mirrors: Mirrors, now: datetime) -> Exchange:
    """The exchange of a Scrapy request and its response as received from the network."""
    return Exchange(
        url=mirrors.to_origin(response.url),
        fetched=response.url,
        method=request.method,
        request_headers=_headers(request.headers),
        request_body=request.body,
        protocol=response.protocol or "HTTP/1.1",
        status=response.status,
        response_headers=_headers(response.headers),
        body=response.body,
        date=now,
        kind=request.meta.get("kind"),
        ip_address=str(response.ip_address) if response.ip_address else None,
    )


def urlkey(url: str) -> str:
    """The SURT form of an address that CDX indexes are sorted by (pywb's, the Wayback
    Machine's)."""
    return str(surt(url))


def whole_length(fh: IO[bytes]) -> int:
    """Bytes from the start of ``fh`` that are whole gzip members (whole records): what a
    file cut short by a kill keeps."""
    end = pos = 0
    decompressor = zlib.decompressobj(wbits=31)
    try:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            data = chunk
            while data:
                decompressor.decompress(data, _CHUNK)
                if decompressor.eof:
                    rest = decompressor.unused_data
                    pos += len(data) - len(rest)
                    end = pos
                    decompressor = zlib.decompressobj(wbits=31)
                    data = rest
                else:
                    tail = decompressor.unconsumed_tail
                    pos += len(data) - len(tail)
                    data = tail
    except zlib.error:
        pass  # a damaged member: what comes before it is kept
    return end


def index_line(record: ArcWarcRecord, offset: int, length: int, filename: str) -> str:
    """The CDXJ line of a response record: ``urlkey timestamp {json}``, the JSON with url,
    mime, status, digest, length, offset and filename as pywb writes them."""
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    http = record.http_headers
    mime = (http.get_header("Content-Type") or "").split(";")[0].strip() if http else ""
    fields = {
        "url": url,
        "mime": mime or "unk",
        "status": http.get_statuscode() if http else "-",
        "digest": (headers.get_header("WARC-Payload-Digest") or "").removeprefix("sha1:"),
        "length": str(length),
        "offset": str(offset),
        "filename": filename,
    }
    stamp = "".join(c for c in headers.get_header("WARC-Date") if c.isdigit())[:14]
    return f"{urlkey(url)} {stamp} {json.dumps(fields)}\n"


def index_lines(path: Path) -> Iterator[str]:
    """The CDXJ lines of a WARC's responses, read from the file (for one a killed run left)."""
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type == "response":
                offset, length = records.get_record_offset(), records.get_record_length()
                yield index_line(record, offset, length, path.name)


def index_path(warc: Path) -> Path:
    return warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX)


class SortedLines:
    """Lines sorted in bounded memory (an external merge sort): at most ``buffer`` lines are
    held; each full buffer is sorted into a run in an anonymous temporary file in ``folder``
    (nothing left behind, even by a kill), and the runs are merged as they are read."""

    def __init__(self, folder: Path, buffer: int = INDEX_BUFFER_LINES) -> None:
        self.folder = folder
        self.buffer = buffer
        self._lines: list[str] = []
        self._runs: list[IO[str]] = []

    def add(self, line: str) -> None:
        self._lines.append(line)
        if len(self._lines) >= self.buffer:
            run = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.folder)  # noqa: SIM115 - held open
            self._runs.append(run)
            run.writelines(sorted(self._lines))
            run.seek(0)
            self._lines = []

    def __iter__(self) -> Iterator[str]:
        """Every line added, in order (read once)."""
        self._lines.sort()
        return heapq.merge(*self._runs, self._lines)

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs, self._lines = [], []


def write_index(warc: Path, lines: SortedLines | None = None) -> Path:
    """The CDXJ index beside a finished WARC (sorted, as CDX readers search it), from its
    lines or else from the file, written whole or not at all."""
    path = index_path(warc)
    if lines is None:
        lines = SortedLines(warc.parent)
        for line in index_lines(warc):
            lines.add(line)
    try:
        atomic_write(path, (line.encode("utf-8") for line in lines))
    finally:
        lines.close()
    return path


def recover(folder: Path) -> list[Path]:
    """Close what a killed run left: each ``.open`` file cut to its last whole record and
    renamed (removed when it holds none), each index it was writing (a temp file) removed, and
    each finished WARC without its index indexed. Only under the output folder's run lock.
    Returns the files closed."""
    closed = []
    for partial in folder.glob(".tmp-*.part"):  # atomic_write's, cut short
        partial.unlink(missing_ok=True)
    for leftover in sorted(folder.glob("*" + OPEN_SUFFIX)):
        with leftover.open("r+b") as fh:
            end = whole_length(fh)
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
        if end == 0:
            leftover.unlink()
            continue
        finished = leftover.with_name(leftover.name.removesuffix(".open"))
        os.replace(leftover, finished)
        closed.append(finished)
        log.info("closed %s, left open by a run that was stopped", finished)
    for warc in sorted(folder.glob("*" + SUFFIX)):
        if not index_path(warc).exists():
            write_index(warc)
    return closed


def run_of(warc: Path) -> str:
    """The crawl run a WARC was written by: its name less the serial of its rotation."""
    return warc.name.removesuffix(SUFFIX).rsplit("-", 1)[0]


def finished_warcs(paths: list[Path]) -> Iterator[Path]:
    """Every finished WARC named, a folder standing for the WARCs in it (by name: the order
    they were written)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*" + SUFFIX))
        else:
            yield path


class WarcWriter:
    """Writes exchanges into rotating WARC files in ``folder``, one record at a time (nothing
    is held in memory but the record being written and at most ``index_buffer`` index lines:
    the rest of a file's index waits on disk, :class:`SortedLines`). A file is opened at the
    first record, so a run that fetches nothing leaves none."""

    def __init__(
        self, folder: Path, *, max_size: int, info: dict[str, str], index_buffer: int = INDEX_BUFFER_LINES
    ) -> None:
        self.folder = folder
        self.max_size = max_size
        self.info = info
        self.index_buffer = index_buffer
        self.started = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        self.serial = 0
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None
        #: The index lines of the file being written (a line per response, not the pages).
        self._index: SortedLines | None = None
        #: Finished files of this writer, in order.
        self.finished: list[Path] = []

    def _open(self) -> WARCWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"newscrawler-{self.started}-{self.serial:05d}{SUFFIX}"
        self.serial += 1
        self._path = self.folder / (name + ".open")
        self._fh = self._path.open("xb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        self._writer.write_record(self._writer.create_warcinfo_record(name, self.info))
        self._index = SortedLines(self.folder, self.index_buffer)
        return self._writer

    def write(self, exchange: Exchange) -> None:
        writer = self._writer or self._open()
        date = datetime_to_iso_date(exchange.date.astimezone(UTC).replace(tzinfo=None), use_micros=True)
        common = {"WARC-Date": date}
        if exchange.fetched != exchange.url:
            common["WARC-Source-URI"] = exchange.fetched
        response_headers = dict(common)
        if exchange.ip_address:
            response_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.kind:
            response_headers[KIND_HEADER] = exchange.kind
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=response_headers,
            http_headers=StatusAndHeaders(
                response_status_message(exchange.status),
                exchange.response_headers,
                protocol=exchange.protocol,
            ),
        )
        # The request as addressed to the force's own site, like the target URI.
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [(n, v) for n, v in exchange.request_headers if n.lower() != "host"]
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            warc_headers_dict=common,
            http_headers=StatusAndHeaders(
                f"{exchange.method} {target} HTTP/1.1",
                [("Host", parts.netloc), *headers],
                is_http_request=True,
            ),
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", response_id)
        # Response then request, each its own gzip member, each flushed whole.
        assert self._fh is not None and self._path is not None and self._index is not None
        offset = self._fh.tell()
        writer.write_record(response)
        end = self._fh.tell()
        writer.write_record(request)
        self._index.add(index_line(response, offset, end - offset, self._path.name.removesuffix(".open")))
        if self._fh.tell() >= self.max_size:
            self.close()

    def close(self) -> None:
        """Finish the file being written: synced, renamed, indexed."""
        if self._fh is None or self._path is None or self._index is None:
            return
        fh, path, index = self._fh, self._path, self._index
        self._fh = self._writer = self._path = self._index = None
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        finished = path.with_name(path.name.removesuffix(".open"))
        os.replace(path, finished)
        write_index(finished, index)
        self.finished.append(finished)

    def abandon(self) -> None:
        """Stop writing after a failed write: the file stays ``.open`` (see :func:`recover`)."""
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        if self._index is not None:
            self._index.close()
        self._fh = self._writer = self._path = self._index = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WarcMiddleware:
    """Downloader middleware, nearest the network: each response as received (before
    decompression, redirects, retries or charset repair) and the request as sent, written
    by a :class:`WarcWriter` into ``<out>/warc/``. Off with ``NEWSCRAWLER_WARC = False``
    (``crawl --no-warc``) or when records go to stdout."""

    def __init__(self, crawler: Crawler, out: str) -> None:
        settings = crawler.settings
        self.mirrors = Mirrors(settings.getdict("NEWSCRAWLER_MIRRORS"))
        self.lock = RunLock(out)
        self.lock.acquire()  # held by RunExtension already; nested, so leftovers are ours
        self.crawler = crawler
        self.folder = folder = Path(out, WARC_DIR)
        if folder.is_dir():
            recover(folder)
        info = {
            "software": f"newscrawler/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "classic" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        }
        max_size = settings.getint("NEWSCRAWLER_WARC_MAX_SIZE")
        self.writer: WarcWriter | None = WarcWriter(folder, max_size=max_size, info=info)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        out = crawler.settings.get("NEWSCRAWLER_OUT")
        if not crawler.settings.getbool("NEWSCRAWLER_WARC"):
            raise NotConfigured("raw capture is off (--no-warc)")
        if out == "-":
            raise NotConfigured("records go to stdout")
        middleware = cls(crawler, out)
        crawler.signals.connect(middleware.close, signal=signals.engine_stopped)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:  # stopped by a failed write
            return response
        try:
            self.writer.write(exchange_of(request, response, self.mirrors, datetime.now(UTC)))
        except OSError as exc:
            # The file may end in a part record: left open, for the next run to cut back to
            # its whole records. A full or read-only folder stops the run (outputguard).
            self.writer.abandon()
            self.writer = None
            log.error("raw capture stopped: cannot write to %s: %s", self.folder, exc)
            if is_output_failure(exc):
                self.crawler.signals.send_catch_log(output_error, error=exc, what="raw pages (WARC)")
        return response

    def close(self) -> None:
        try:
            if self.writer is not None:
                self.writer.close()
        finally:
            self.lock.release()


@dataclass(frozen=True)
class StoredResponse:
    """A response record read back: where and when, how the crawl fetched it, and the HTTP
    message with its body as served."""

    url: str
    date: datetime
    kind: str | None
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class WarcError(ValueError):
    """A file that cannot be read as WARC."""


def read_responses(path: Path) -> Iterator[StoredResponse]:
    """The response records of a WARC, in order."""
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response" and record.http_headers is not None:
                    yield _stored(record)
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
        raise WarcError(f"{path}: not a readable WARC file ({str(exc)[:80]})") from None


def _stored(record: ArcWarcRecord) -> StoredResponse:
    headers = record.rec_headers
    http = record.http_headers
    status = http.get_statuscode()
    stamp = headers.get_header("WARC-Date")
    return StoredResponse(
        url=headers.get_header("WARC-Target-URI"),
        date=datetime.fromisoformat(stamp.replace("Z", "+00:00")),
        kind=headers.get_header(KIND_HEADER),
        status=int(status) if status and status.isdigit() else 0,
        headers=list(http.headers),
        body=record.raw_stream.read(),
    )
