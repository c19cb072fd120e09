"""Web archives a gone site is read back from (``newscrawler backfill``): where an archive's
index (CDX) and its raw snapshots are, what an index answer says, and which of a force's sites
a span of years asks for.

Two URL forms of an archive are understood, as ``--archive`` takes them:

- the Internet Archive, ``https://web.archive.org/web``: index at
  ``https://web.archive.org/cdx/search/cdx``, snapshots at ``…/web/<timestamp>id_/<url>``;
- a pywb collection, ``http://127.0.0.1:8080/my-coll``: index at ``…/my-coll/cdx``, snapshots
  at ``…/my-coll/<timestamp>id_/<url>``.

Another archive's index can be named on its own (``--cdx``). ``id_`` asks for the page as it
was captured, without the archive's banner or rewritten links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from newscrawler.forces import Force, Site
from newscrawler.replica.server import is_loopback

#: The Internet Archive's replay host; any other archive is taken to be a pywb collection.
INTERNET_ARCHIVE = "web.archive.org"


class ArchiveError(ValueError):
    """An --archive or --cdx value that is not an http(s) URL."""


def _http_url(value: str, option: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArchiveError(f"{option} must be an http(s) URL, got {value!r}")
    return value.strip().rstrip("/")


@dataclass(frozen=True)
class Capture:
    """One capture an archive's index lists: when, and the address as it was captured."""

    timestamp: str
    original: str

    @property
    def year(self) -> int:
        return int(self.timestamp[:4])


@dataclass(frozen=True)
class Archive:
    """A web archive: ``replay`` is where snapshots are (``<replay>/<timestamp>id_/<url>``),
    ``index`` its CDX API."""

    replay: str
    index: str

    @classmethod
    def parse(cls, url: str, cdx: str | None = None) -> Archive:
        """From ``--archive`` (and ``--cdx`` when the index is not where the Internet Archive
        or pywb put it)."""
        replay = _http_url(url, "--archive")
        if cdx:
            return cls(replay, _http_url(cdx, "--cdx"))
        parts = urlsplit(replay)
        if parts.netloc.lower() == INTERNET_ARCHIVE:
            return cls(replay, f"{parts.scheme}://{parts.netloc}/cdx/search/cdx")
        return cls(replay, replay + "/cdx")

    def index_url(self, host: str, prefix: str, first: int, last: int) -> str:
        """The index query for every capture under ``host`` + ``prefix`` from year ``first``
        to ``last``: one row per address (collapsed), answered 200, HTML only. No ``fl=``:
        pywb does not take the Internet Archive's field names there, only in filters."""
        params = [
            ("url", f"{host}{prefix}*"),
            ("output", "json"),
            ("filter", "statuscode:200"),
            ("filter", "mimetype:text/html"),
            ("collapse", "urlkey"),
            ("from", str(first)),
            ("to", str(last)),
        ]
        return f"{self.index}?{urlencode(params, safe='/*:')}"

    def snapshot_url(self, capture: Capture) -> str:
        """The capture's bytes as they were fetched (``id_``: no banner, links as they were)."""
        return f"{self.replay}/{capture.timestamp}id_/{capture.original}"

    def is_local(self) -> bool:
        """Replay and index on this machine (a test's pywb): no one to be polite to."""
        return all(is_loopback(urlsplit(u).hostname or "") for u in (self.replay, self.index))


#: Index field names, the Internet Archive's and pywb's, as Capture needs them.
_FIELDS = {
    "timestamp": "timestamp",
    "original": "original",
    "url": "original",
    "statuscode": "status",
    "status": "status",
    "mimetype": "mime",
    "mime": "mime",
}
_TIMESTAMP = re.compile(r"^\d{4,14}$")


def parse_index(body: bytes) -> list[Capture]:
    """The captures of a CDX answer with ``output=json``: the Internet Archive's (one JSON
    array, the first row naming the fields) or pywb's (one JSON object per line); empty when
    there are none. Rows that are not 200 HTML are dropped here too, for an archive that
    ignores ``filter=``. Raises ValueError for an answer that is neither."""
    text = body.decode("utf-8").strip()
    if not text:
        return []
    if text.startswith("["):
        rows = json.loads(text)
        if not isinstance(rows, list) or not rows:
            return []
        header = rows[0]
        records: Iterator[dict[str, str]] = (dict(zip(header, row, strict=False)) for row in rows[1:] if row)
    else:
        records = (json.loads(line) for line in text.splitlines() if line.strip())
    captures = []
    for record in records:
        if not isinstance(record, dict):
            raise ValueError(f"not a CDX row: {record!r}")
        row = {_FIELDS[k]: str(v) for k, v in record.items() if k in _FIELDS}
        if "timestamp" not in row or "original" not in row or not _TIMESTAMP.match(row["timestamp"]):
            raise ValueError(f"a CDX row without timestamp and url: {record!r}")
        if row.get("status", "200") != "200" or not row.get("mime", "text/html").startswith("text/html"):
            continue
        captures.append(Capture(row["timestamp"], row["original"]))
    return captures


def sites_for_years(
    force: Force, first: int | None, last: int | None, this_year: int
) -> list[tuple[Site, int, int]]:
    """The force's sites whose years meet ``first``–``last``, each with the years to ask the
    archive for (its own years within those: a snapshot is read by the parser of the site
    whose years it falls in). Without them, the span is the years of the force's earlier
    sites (none: nothing to back-fill); ``first`` alone runs to this year."""
    earlier = force.earlier_sites
    start = first if first is not None else min((s.since for s in earlier), default=None)
    if start is None:
        return []
    if last is not None:
        end = last
    elif first is not None:
        end = this_year
    else:
        end = max(s.until or this_year for s in earlier)
    chosen = []
    for site in force.sites:
        since, until = max(start, site.since), min(end, site.until or this_year)
        if since <= until:
            chosen.append((site, since, until))
    return chosen
