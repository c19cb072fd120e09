"""A real web archive on this machine, for back-fill tests and the benchmark: WARCs of replica
pages (written with warcio) served by pywb (``wb-manager`` + ``wayback``, started on
127.0.0.1 on a free port, stopped after), which logs every request it answers."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, urlsplit

from newscrawler.record import Article
from newscrawler.replica import ReplicaServer

COLLECTION = "police"
_URL_SYNTAX = ":/?#[]@!$&'()*+,;=%~"
#: Why the back-fill tests cannot run: pywb (and warcio, which it brings) not installed.
PYWB_MISSING = (
    "pywb is not installed (it is in the test extra: pip install -e '.[test]')"
    if importlib.util.find_spec("pywb") is None or importlib.util.find_spec("warcio") is None
    else None
)


@dataclass(frozen=True)
class ArchivedPage:
    """A page as an archive captured it: when, where, what it answered."""

    url: str
    when: datetime
    status: int
    content_type: str
    body: bytes


def replica_pages(records: Iterable[Article], when: dict[str, datetime]) -> list[ArchivedPage]:
    """Each record's article page as the replica renders it, captured at ``when[url]``."""
    articles = list(records)
    server = ReplicaServer(articles)
    try:
        captures = []
        for article in articles:
            parts = urlsplit(article.url)
            target = f"/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
            reply = server.reply(target)
            assert reply.status == 200, f"the replica has no page for {article.url}"
            captures.append(ArchivedPage(article.url, when[article.url], 200, reply.content_type, reply.body))
        return captures
    finally:
        server.stop()


def write_warc(path: Path, captures: Iterable[ArchivedPage]) -> Path:
    """A gzipped WARC of response records, one per capture."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for c in captures:
            reason = {200: "OK", 404: "Not Found"}.get(c.status, "Status")
            headers = StatusAndHeaders(
                f"{c.status} {reason}",
                [("Content-Type", c.content_type), ("Content-Length", str(len(c.body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                # As a crawler fetched it: non-ASCII letters percent-encoded (pywb sends the
                # target back in a header, and HTTP headers are Latin-1).
                quote(c.url, safe=_URL_SYNTAX),
                "response",
                payload=io.BytesIO(c.body),
                length=len(c.body),  # known: warcio buffers (and leaves open) a temp file without it
                http_headers=headers,
                warc_headers_dict={"WARC-Date": c.when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    return path


def _bin(name: str) -> str:
    """A console script of this environment (pywb's), beside its python."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: A replay or index request in wayback's access log: ``"GET /police/cdx?url=… HTTP/1.1" 200``.
_LOGGED = re.compile(r'"GET /(?P<coll>[^/ ]+)/(?P<what>cdx\?|\d+id_/)\S* HTTP/1\.[01]" (?P<status>\d+)')


class Pywb:
    """pywb serving WARCs from a folder of its own, on 127.0.0.1, while in a ``with``.

    ``archive`` is the collection's address (``--archive``); :meth:`requests` counts what it
    was asked (index queries and snapshots) from its access log."""

    def __init__(self, root: Path, warcs: Iterable[Path]) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._run(_bin("wb-manager"), "init", COLLECTION)
        for warc in warcs:
            self._run(_bin("wb-manager"), "add", COLLECTION, str(warc))
        self.port = _free_port()
        self.archive = f"http://127.0.0.1:{self.port}/{COLLECTION}"
        self.log = root / "wayback.log"
        self._process: subprocess.Popen[bytes] | None = None

    def _run(self, *args: str) -> None:
        done = subprocess.run(args, cwd=self.root, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]

    def __enter__(self) -> Pywb:
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [_bin("wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Unbuffered: each request is in the log as soon as it is answered.
                env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                # Its home page: a request not counted as the archive's (:meth:`requests`).
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"pywb did not start: {self.log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        self._offset = self.log.stat().st_size
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._process = None

    def requests(self) -> dict[str, int]:
        """Requests answered since it started (or since the last :meth:`reset`):
        ``index`` (CDX queries) and ``snapshots``."""
        counts = {"index": 0, "snapshots": 0}
        with self.log.open("rb") as fh:
            fh.seek(self._offset)
            text = fh.read().decode("utf-8", "replace")
        for m in _LOGGED.finditer(text):
            counts["index" if m["what"] == "cdx?" else "snapshots"] += 1
        return counts

    def reset(self) -> None:
        """Count from here on."""
        self._offset = self.log.stat().st_size
