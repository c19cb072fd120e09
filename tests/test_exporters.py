"""``newscrawler export``: the same rows back from every format, byte-identical exports."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newscrawler import exporters
from newscrawler.cli import main
from newscrawler.exporters import (
    FIELDS,
    FORMATS,
    HISTORY_FIELDS,
    Selection,
    as_text,
    export,
    iter_history_rows,
    iter_rows,
    published_at,
)
from newscrawler.importer import import_archive
from newscrawler.items import ArticleItem
from newscrawler.record import Article, ArticleWriter, iter_files, read
from newscrawler.state import State
from tests.conftest import KENT, SAMPLE_RECORDS, article
from tests.test_importer import imported_whole_archive

TextRow = dict[str, str | int | None]
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample imported, plus one record whose body is hard on CSV (edited once, its page
    showing a time) and one that its site no longer serves; with a state."""
    out = tmp_path_factory.mktemp("export") / "data"
    State.open(out).close()
    import_archive(SAMPLE_RECORDS, out, out / "logs" / "skipped.tsv")
    hard = article(
        'Man, 30, "charged"',
        url=f"{KENT}/news/kent/news/hard/",
        description='Commas, "quotes"\u00a0and ünïcödé',
        body='He said: "no comment", then left.\n\n * a, b\n * "c"\r\n\nLast line',
    )
    long = article(
        "A report longer than Python's csv field limit",
        area="Suffolk",
        url="https://www.suffolk.police.uk/news/latest-news/long-report",
        description="Long.",
        published=date(2020, 2, 3),
        body="\n\n".join(f'Paragraph {i}, with "quotes", commas and more text.' for i in range(3000)),
    )
    assert len(long.body) > 131_072
    first = article('Man, 30, "charged"', url=hard.url, description="First.", body="First version.")
    hard.time = "15:53"
    with State.open(out) as state:
        state.save(ArticleWriter(out), first, force="kent", now=T0)
        state.save(ArticleWriter(out), hard, force="kent", now=T1)
        state.save(ArticleWriter(out), long, force="suffolk", now=T0)
        state.removed_from_site(long.url, now=T1)
    return out


def read_back(path: Path, fmt: str, columns: tuple[str, ...] = FIELDS) -> Iterator[TextRow]:
    """Rows as each format gives them back, as text the way JSON Lines holds them."""
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            yield from (json.loads(line) for line in fh)
    elif fmt == "csv":
        # Python's csv reader stops at 128 KiB a field by default; one real body is longer.
        limit = csv.field_size_limit(sys.maxsize)
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                assert tuple(reader.fieldnames or ()) == columns
                for row in reader:
                    yield _typed(row)
        finally:
            csv.field_size_limit(limit)
    else:
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
            yield from (as_text(row) for row in batch.to_pylist())


def _typed(row: dict[str, str]) -> TextRow:
    """A CSV row: empty means none, word_count is a number."""
    return {k: (int(v) if k == "word_count" else v or None) for k, v in row.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_rows_back(data: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"export.{fmt}"
    count = export(data, out, fmt)
    expected = [as_text(row) for row in iter_rows(data)]
    assert count == len(expected) == sum(1 for _ in iter_files(data))
    assert list(read_back(out, fmt)) == expected
    print(f"{fmt}: {count} rows, {out.stat().st_size:,} bytes")


def test_the_file_is_readable_like_any_new_file(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.jsonl"
    export(data, out, "jsonl")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_are_byte_identical(data: Path, tmp_path: Path, fmt: str) -> None:
    export(data, tmp_path / f"one.{fmt}", fmt)
    export(data, tmp_path / f"two.{fmt}", fmt)
    assert (tmp_path / f"one.{fmt}").read_bytes() == (tmp_path / f"two.{fmt}").read_bytes()


def test_rows_are_sorted_and_carry_what_the_records_say(data: Path) -> None:
    rows = list(iter_rows(data))
    keys = [(r["area"], r["date"] or date.min, r["url"]) for r in rows]
    assert keys == sorted(keys)
    by_url = {r["url"]: r for r in rows}
    for path in iter_files(data):
        article = read(path)
        row = by_url[article.url]
        item = ArticleItem.from_article(article, fetched_at="")
        for name in ("area", "url", "title", "description", "body", "word_count", "content_hash"):
            assert row[name] == getattr(item, name), name
        assert row["date"] == article.published
        with State.open(data, create=False) as state:
            known = state.known(article.url)
        assert known is not None and row["time"] == known.published_time  # five keys: the date only
        assert row["force"] and row["first_seen"] and row["last_changed"] and row["fetched_at"]


def test_time_and_removed_from_site_come_from_the_state(data: Path) -> None:
    by_url = {r["url"]: r for r in iter_rows(data)}
    # Imported raw-meta records kept the time their meta showed ("16:07 08/11/2019").
    assert sum(1 for r in by_url.values() if r["time"]) > 1
    hard = by_url[f"{KENT}/news/kent/news/hard/"]
    assert hard["time"] == "15:53" and hard["removed_at"] is None
    assert hard["first_seen"] == T0 and hard["last_changed"] == T1
    long = by_url["https://www.suffolk.police.uk/news/latest-news/long-report"]
    assert long["removed_at"] == T1 and long["time"] is None
    assert sum(1 for r in by_url.values() if r["removed_at"]) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_history_exports_the_earlier_versions(data: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"history.{fmt}"
    assert export(data, out, fmt, history=True) == 1
    (row,) = read_back(out, fmt, HISTORY_FIELDS)
    assert list(row) == list(HISTORY_FIELDS)
    assert row["url"] == f"{KENT}/news/kent/news/hard/" and row["body"] == "First version."
    assert row["description"] == "First." and row["replaced_at"] == "2024-05-02T12:00:00Z"
    assert row["force"] == "kent" and row["word_count"] == 2
    assert list(iter_history_rows(data, Selection(frozenset({"Suffolk"})))) == []


def test_history_leaves_out_a_version_that_is_no_record(tmp_path: Path) -> None:
    first = article("Edited", body="First version.")
    with State.open(tmp_path) as state:
        state.save(ArticleWriter(tmp_path), first, force="kent", now=T0)
        state.save(ArticleWriter(tmp_path), article("Edited", body="Second."), force="kent", now=T1)
    conn = sqlite3.connect(tmp_path / "state.sqlite")
    with conn:
        conn.execute(
            "INSERT INTO versions (url, force, content_hash, text, replaced_at) "
            "VALUES (?, 'kent', 'x', 'not a record', '2024-05-03T12:00:00Z')",
            (first.url,),
        )
    conn.close()
    assert [r["body"] for r in iter_history_rows(tmp_path)] == ["First version."]


def test_history_without_a_state_is_empty(tmp_path: Path) -> None:
    ArticleWriter(tmp_path).write(article("No state"))
    assert list(iter_history_rows(tmp_path)) == []


def test_field_names_are_the_items_where_they_overlap() -> None:
    assert {f.name for f in dataclasses.fields(ArticleItem)} <= set(FIELDS)


def test_csv_is_rfc_4180_and_survives_pandas(data: Path, tmp_path: Path) -> None:
    import pandas

    out = tmp_path / "export.csv"
    export(data, out, "csv")
    raw = out.read_bytes()
    assert raw.startswith(",".join(FIELDS).encode() + b"\r\n") and not raw.startswith(b"\xef\xbb\xbf")
    assert b'"Man, 30, ""charged"""' in raw
    frame = pandas.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = [{k: "" if v is None else str(v) for k, v in as_text(r).items()} for r in iter_rows(data)]
    assert frame.to_dict(orient="records") == expected


def test_parquet_loads_unchanged_in_datasets_polars_and_duckdb(data: Path, tmp_path: Path) -> None:
    import datasets
    import duckdb
    import polars

    out = tmp_path / "export.parquet"
    count = export(data, out, "parquet")
    expected = [as_text(r) for r in iter_rows(data)]

    loaded = datasets.load_dataset(
        "parquet", data_files=str(out), split="train", cache_dir=str(tmp_path / "hf")
    )
    assert loaded.column_names == list(FIELDS) and loaded.num_rows == count
    assert [as_text(r) for r in loaded] == expected
    assert loaded.features["date"].dtype == "date32" and loaded.features["word_count"].dtype == "int32"

    frame = polars.read_parquet(out)
    assert frame.columns == list(FIELDS) and frame.height == count
    assert [as_text(r) for r in frame.iter_rows(named=True)] == expected

    dates = [r["date"] for r in iter_rows(data) if r["date"]]
    found = duckdb.connect().execute(f"SELECT count(*), min(date), max(date) FROM '{out}'").fetchone()
    assert found == (count, min(dates), max(dates))


def test_parquet_is_written_in_row_groups(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    monkeypatch.setattr(exporters, "ROW_GROUP_ROWS", 100)
    out = tmp_path / "export.parquet"
    count = export(data, out, "parquet")
    assert pq.ParquetFile(out).metadata.num_row_groups == -(-count // 100)


def test_selection_by_force_and_dates(data: Path) -> None:
    kent = Selection.of(["kent"], None, None)
    assert {r["area"] for r in iter_rows(data, kent)} == {"Kent"}
    window = Selection.of(["kent", "Essex Police"], date(2020, 6, 1), date(2020, 12, 31))
    rows = list(iter_rows(data, window))
    assert rows and {r["area"] for r in rows} <= {"Kent", "Essex"}
    assert all(date(2020, 6, 1) <= r["date"] <= date(2020, 12, 31) for r in rows)


def test_an_empty_selection_is_a_valid_empty_file(data: Path, tmp_path: Path) -> None:
    nothing = Selection(since=date(2030, 1, 1))
    for fmt in FORMATS:
        out = tmp_path / f"empty.{fmt}"
        assert export(data, out, fmt, nothing) == 0
        assert list(read_back(out, fmt)) == []


def test_a_failed_export_leaves_no_file(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(rows: object, fh: object, columns: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setitem(exporters.WRITERS, "jsonl", broken)
    with pytest.raises(RuntimeError):
        export(data, tmp_path / "out.jsonl", "jsonl")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("shown", "day", "clock"),
    [
        ("12 Mar 2020", date(2020, 3, 12), None),
        ("15:53 30/03/2020", date(2020, 3, 30), "15:53"),
        ("Posted at 09:48 on 12th August 2020", date(2020, 8, 12), "09:48"),
        ("Posted at 4:30pm on 12th August 2020", date(2020, 8, 12), "16:30"),
        ("2020-12-16T09:56:26+00:00", date(2020, 12, 16), "09:56"),
        ("2020-12-16", date(2020, 12, 16), None),
        ("no date here", None, None),
    ],
)
def test_published_at_keeps_the_time_a_record_shows(shown: str, day: date | None, clock: str | None) -> None:
    article = Article(meta={"area": "Kent", "publish": {"date": shown}, "url": "u"}, body="")
    assert published_at(article) == (day, clock)


def test_command(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kent.csv"
    assert main(["export", "kent", "--data", str(data), "--out", str(out), "--since", "2020-01-01"]) == 0
    assert "rows written to" in capsys.readouterr().err
    with out.open(encoding="utf-8", newline="") as fh:
        assert {r["area"] for r in csv.DictReader(fh)} == {"Kent"}
    assert main(["export", "--data", str(data), "--out", str(tmp_path / "x.txt")]) == 2
    assert main(["export", "atlantis", "--data", str(data), "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "unknown force" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--data", str(data), "--out", str(out), "--since", "last week"])


def test_unreadable_record_files_are_counted_and_fail_the_export_unless_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ArticleWriter(data).write(article())
    broken = data / "news" / "Kent" / "broken.md"
    broken.write_bytes(b"\xff\xfe not a record")
    out = tmp_path / "x.jsonl"
    assert main(["export", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        "1 rows written" in err
        and f"1 record file(s) could not be read and are not in the export (first: {broken}: not UTF-8 text)"
        in err
    )
    assert len(out.read_text().splitlines()) == 1
    assert main(["export", "--data", str(data), "--out", str(out), "--skip-unreadable"]) == 0
    assert "1 record file(s) could not be read" in capsys.readouterr().err


def test_command_history(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "versions.csv"
    assert main(["export", "--data", str(data), "--history", "--out", str(out)]) == 0
    assert "1 rows written to" in capsys.readouterr().err
    with out.open(encoding="utf-8", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert row["body"] == "First version." and row["replaced_at"] == "2024-05-02T12:00:00Z"


@pytest.mark.shared
@pytest.mark.slow
def test_shared_export_whole_imported_archive(
    archive_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    import datasets

    data, _ = imported_whole_archive(tmp_path_factory)
    records = sum(1 for _ in iter_files(data))
    outs = {fmt: tmp_path / f"police-news.{fmt}" for fmt in FORMATS}
    for fmt, out in outs.items():
        assert export(data, out, fmt) == records
        print(f"{fmt}: {records} rows, {out.stat().st_size:,} bytes")
    # The records once against JSON Lines, then every other format against JSON Lines.
    for got, expected in zip(read_back(outs["jsonl"], "jsonl"), iter_rows(data), strict=True):
        assert got == as_text(expected)
    for fmt in ("csv", "parquet"):
        for got, expected_text in zip(
            read_back(outs[fmt], fmt), read_back(outs["jsonl"], "jsonl"), strict=True
        ):
            assert got == expected_text, fmt
    loaded = datasets.load_dataset(
        "parquet", data_files=str(outs["parquet"]), split="train", cache_dir=str(tmp_path / "hf")
    )
    assert loaded.num_rows == records and loaded.column_names == list(FIELDS)
