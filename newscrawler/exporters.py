"""Export an output folder as one data set file: JSON Lines, CSV or Parquet.

Researchers use the archive as a table, not as 40,000 files. One row per record, with the
same field names as the spider's items (``ArticleItem``) where they overlap, sorted by area,
date and url so that two exports of the same data are byte-identical. Memory does not grow
with the archive: only one area's sort keys are held at a time, each file is read again when
its row is written, and Parquet is written in row groups (``benchmarks/export_memory.py``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from newscrawler.dates import find_time, parse_date, parse_record_date
from newscrawler.forces import registry
from newscrawler.record import Article, RecordError, iter_files, parse
from newscrawler.state import STATE_FILE, ArticleState, State, Version

#: The columns a record file gives. ``date`` is ISO; ``time`` is ``HH:MM`` where the page
#: showed one (from the record's raw meta, else from the state: five-key files keep the date
#: only). Every column is described in docs/data-dictionary.md.
RECORD_FIELDS = (
    "force",
    "area",
    "date",
    "time",
    "url",
    "title",
    "description",
    "body",
    "word_count",
    "content_hash",
)
#: The columns the state gives (empty without one): when the record was fetched, first seen,
#: last changed, and when a revisit found it gone from its site.
STATE_FIELDS = ("fetched_at", "first_seen", "last_changed", "removed_at")
#: The columns of an export, in order.
FIELDS = RECORD_FIELDS + STATE_FIELDS
#: The columns of a history export (``--history``): one row per earlier version of a record
#: a force edited, with when the next version replaced it.
HISTORY_FIELDS = (*RECORD_FIELDS, "replaced_at")
#: The columns holding UTC timestamps.
TIMESTAMP_FIELDS = frozenset({*STATE_FIELDS, "replaced_at"})
FORMATS = ("jsonl", "csv", "parquet")
#: Rows per Parquet row group: a few MB of text, so memory stays flat.
ROW_GROUP_ROWS = 2048

Row = dict[str, Any]
# Where a record keeps the date the page showed: our format, or the public archive's raw meta.
_DATE_KEYS = ("publish.date", "article.published.time")


@dataclass(frozen=True)
class Selection:
    """Which records to export: some areas (None: all) published within [since, until]."""

    areas: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None

    def wants(self, area: str, published: date | None) -> bool:
        if self.areas is not None and area not in self.areas:
            return False
        if self.since is None and self.until is None:
            return True
        return published is not None and (self.since or date.min) <= published <= (self.until or date.max)

    @classmethod
    def of(cls, forces: list[str] | None, since: date | None, until: date | None) -> Selection:
        """From command-line force names (slugs, areas or names; raises UnknownForceError)."""
        areas = frozenset(f.area for f in registry().resolve(forces)) if forces else None
        return cls(areas, since, until)


def published_at(article: Article) -> tuple[date | None, str | None]:
    """The publication date and, where the record's meta shows one, the time (``HH:MM``)."""
    for key in _DATE_KEYS:
        value = article.get(key)
        if isinstance(value, str) and value.strip():
            day = parse_record_date(value) or parse_date(value, article.url)
            return day, find_time(value)
    return None, None


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def record_columns(article: Article, data: bytes) -> Row:
    """The columns a record file gives; ``data`` is the file's bytes (their sha1 is the content
    hash, the same as ``Article.content_hash`` for every file in the exact format)."""
    day, clock = published_at(article)
    force = registry().by_area(article.area)
    return {
        "force": force.slug if force else "",
        "area": article.area,
        "date": day,
        "time": clock,
        "url": article.url,
        "title": article.title,
        "description": article.description,
        "body": article.body,
        "word_count": len(article.body.split()),
        "content_hash": hashlib.sha1(data).hexdigest(),
    }


def make_row(article: Article, data: bytes, seen: ArticleState | None) -> Row:
    """One record's row: the file's columns, then what the state knows of it."""
    row = record_columns(article, data)
    if row["time"] is None and seen is not None:
        row["time"] = seen.published_time
    row["fetched_at"] = _timestamp(seen.last_fetched) if seen else None
    row["first_seen"] = _timestamp(seen.first_seen) if seen else None
    row["last_changed"] = _timestamp(seen.last_changed) if seen else None
    row["removed_at"] = _timestamp(seen.removed) if seen else None
    return row


def history_row(version: Version) -> Row:
    """One earlier version's row: its file's columns and when it was replaced."""
    data = version.text.encode("utf-8")
    return record_columns(parse(version.text), data) | {"replaced_at": _timestamp(version.replaced_at)}


def as_text(row: Row) -> dict[str, str | int | None]:
    """A row with dates and times as ISO text (``Z`` for UTC): how JSON Lines and CSV hold it."""
    out: dict[str, str | int | None] = {}
    for name, value in row.items():
        if isinstance(value, datetime):
            out[name] = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def _read(path: Path) -> tuple[Article, bytes]:
    data = path.read_bytes()
    return parse(data.decode("utf-8")), data


#: Record files an export left out, and why (``unreadable=`` of :func:`export`).
Unreadable = list[tuple[Path, str]]


def _why_unreadable(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def sorted_paths(
    data_dir: str | os.PathLike[str], selection: Selection, unreadable: Unreadable | None = None
) -> Iterator[Path]:
    """The selected record files in export order: area, date, url (then path, for ties).

    Records sit in their area's folder (``validate`` checks it), and folders come in area
    order, so only one folder's sort keys are held at a time: memory follows the largest
    area, not the archive. Files that do not parse are left out, and listed in
    ``unreadable`` with why (``validate`` names them too).
    """
    for folder, paths in groupby(iter_files(data_dir), key=lambda p: p.parent):
        keys: list[tuple[str, str, str, str]] = []
        for path in paths:
            try:
                article, _ = _read(path)
            except (OSError, ValueError) as exc:
                if unreadable is not None:
                    unreadable.append((path, _why_unreadable(exc)))
                continue
            day, _clock = published_at(article)
            if selection.wants(article.area, day):
                keys.append((article.area, day.isoformat() if day else "", article.url, path.name))
        keys.sort()
        yield from (folder / k[3] for k in keys)


def iter_rows(
    data_dir: str | os.PathLike[str], selection: Selection | None = None, unreadable: Unreadable | None = None
) -> Iterator[Row]:
    """Every selected record's row, in export order, one file in memory at a time."""
    paths = sorted_paths(data_dir, selection or Selection(), unreadable)
    state = State.open_readonly(data_dir) if Path(data_dir, STATE_FILE).exists() else None
    try:
        for path in paths:
            article, data = _read(path)
            yield make_row(article, data, state.known(article.url) if state else None)
    finally:
        if state is not None:
            state.close()


def iter_history_rows(data_dir: str | os.PathLike[str], selection: Selection | None = None) -> Iterator[Row]:
    """Every selected earlier version's row (none without a state), by url, oldest first. A
    version that is no record (a foreign file the crawler replaced) is left out."""
    if not Path(data_dir, STATE_FILE).exists():
        return
    selection = selection or Selection()
    with State.open_readonly(data_dir) as state:
        for version in state.iter_versions():
            try:
                row = history_row(version)
            except RecordError:
                continue
            if selection.wants(row["area"], row["date"]):
                yield row


def write_jsonl(rows: Iterable[Row], fh: IO[bytes], columns: tuple[str, ...] = FIELDS) -> int:
    """One JSON object per line, UTF-8, keys in column order (the rows' own: ``columns`` is
    for the writers that declare them)."""
    count = 0
    for row in rows:
        fh.write(json.dumps(as_text(row), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def write_csv(rows: Iterable[Row], fh: IO[bytes], columns: tuple[str, ...] = FIELDS) -> int:
    """RFC 4180: a header, CRLF between records, fields with commas, quotes or line breaks
    quoted (quotes doubled), so Markdown bodies survive ``csv`` and pandas. UTF-8, no BOM.
    (Python's ``csv`` reader needs ``csv.field_size_limit`` raised for bodies over 128 KiB.)"""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(as_text(row))
        count += 1
    text.flush()
    text.detach()
    return count


def parquet_schema(columns: tuple[str, ...] = FIELDS) -> Any:
    """The declared Parquet schema (pyarrow is imported only when Parquet is asked for)."""
    import pyarrow as pa

    moment = pa.timestamp("ms", tz="UTC")  # Parquet has no seconds unit: ms reads back unchanged
    types = {"date": pa.date32(), "word_count": pa.int32()} | {name: moment for name in TIMESTAMP_FIELDS}
    nullable = {"date", "time", *TIMESTAMP_FIELDS}
    return pa.schema(
        [pa.field(name, types.get(name, pa.string()), nullable=name in nullable) for name in columns]
    )


def write_parquet(rows: Iterable[Row], fh: IO[bytes], columns: tuple[str, ...] = FIELDS) -> int:
    """Parquet (zstd) with the declared schema, :data:`ROW_GROUP_ROWS` rows per group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(columns)
    count = 0
    with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            count += 1
            if len(chunk) == ROW_GROUP_ROWS:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk.clear()
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return count


#: Format name -> writer of rows (of the given columns) to a binary file; each returns how
#: many rows it wrote.
WRITERS: dict[str, Callable[[Iterable[Row], IO[bytes], tuple[str, ...]], int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
}


def export(
    data_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    fmt: str,
    selection: Selection | None = None,
    unreadable: Unreadable | None = None,
    *,
    history: bool = False,
) -> int:
    """Write the selected records of ``data_dir`` to ``out`` in ``fmt`` (with ``history``,
    their earlier versions instead); returns the row count. The file appears whole or not at
    all (temp file in the same folder, then rename). Record files that cannot be read are
    left out, and listed in ``unreadable``."""
    out = Path(out)
    write = WRITERS[fmt]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # a data set to share, not mkstemp's owner-only 0600
        with os.fdopen(fd, "wb") as fh:
            if history:
                count = write(iter_history_rows(data_dir, selection), fh, HISTORY_FIELDS)
            else:
                count = write(iter_rows(data_dir, selection, unreadable), fh, FIELDS)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
