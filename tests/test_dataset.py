"""The Python API: the export's rows from an output folder, and the same as a DataFrame."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newscrawler.dataset import FIELDS, HISTORY_FIELDS, iter_records, to_dataframe
from newscrawler.exporters import iter_rows
from newscrawler.forces import UnknownForceError
from newscrawler.record import ArticleWriter
from newscrawler.state import State
from tests.conftest import KENT, article

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
ESSEX = "https://www.essex.police.uk/news/essex/news/news/2021/march/a/"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three records of two forces in a state: one edited once (its page showed a time), one
    gone from its site; and a record file the state does not know, published on no known date."""
    out = tmp_path_factory.mktemp("dataset")
    edited = article("Edited", url=f"{KENT}/news/kent/news/edited/", body="Second version.")
    edited.time = "15:53"
    with State.open(out) as state:
        writer = ArticleWriter(out)
        state.save(writer, article("Edited", url=edited.url, body="First version."), force="kent", now=T0)
        state.save(writer, edited, force="kent", now=T1)
        state.save(writer, article("Old", published=date(2019, 2, 1)), force="kent", now=T0)
        essex = article("Essex", area="Essex", url=ESSEX, published=date(2021, 3, 2))
        state.save(writer, essex, force="essex", now=T0)
        state.removed_from_site(ESSEX, now=T1)
    return out


def test_iter_records_gives_the_export_rows(data: Path) -> None:
    rows = list(iter_records(data))
    assert rows == list(iter_rows(data)) and len(rows) == 3
    assert all(list(row) == list(FIELDS) for row in rows)
    by_title = {r["title"]: r for r in rows}
    assert by_title["Edited"]["time"] == "15:53" and by_title["Edited"]["last_changed"] == T1
    assert by_title["Essex"]["removed_at"] == T1 and by_title["Old"]["removed_at"] is None


def test_iter_records_selects_like_the_export(data: Path) -> None:
    assert [r["title"] for r in iter_records(data, forces=["essex"])] == ["Essex"]
    assert {r["title"] for r in iter_records(data, since=date(2020, 1, 1))} == {"Edited", "Essex"}
    assert [r["title"] for r in iter_records(data, forces=["Kent"], until=date(2020, 1, 1))] == ["Old"]
    with pytest.raises(UnknownForceError):
        list(iter_records(data, forces=["atlantis"]))
    with pytest.raises(FileNotFoundError, match="not a folder"):
        list(iter_records(data / "missing"))


def test_history_rows(data: Path) -> None:
    (row,) = iter_records(data, history=True)
    assert list(row) == list(HISTORY_FIELDS)
    assert row["body"] == "First version." and row["replaced_at"] == T1


def test_to_dataframe_has_the_columns_typed(data: Path) -> None:
    import pandas

    frame = to_dataframe(data)
    assert list(frame.columns) == list(FIELDS) and len(frame) == 3
    assert str(frame["date"].dtype).startswith("datetime64")
    assert str(frame["fetched_at"].dtype).startswith("datetime64") and "UTC" in str(frame["fetched_at"].dtype)
    assert frame["word_count"].dtype == "int64"
    edited = frame[frame["title"] == "Edited"].iloc[0]
    assert edited["date"] == pandas.Timestamp(2021, 1, 5) and edited["time"] == "15:53"
    assert pandas.isna(edited["removed_at"])
    assert frame[frame["title"] == "Essex"].iloc[0]["removed_at"] == pandas.Timestamp(T1)
    assert list(to_dataframe(data, forces=["essex"])["title"]) == ["Essex"]


def test_history_dataframe(data: Path) -> None:
    import pandas

    versions = to_dataframe(data, history=True)
    assert list(versions.columns) == list(HISTORY_FIELDS) and len(versions) == 1
    assert versions.iloc[0]["replaced_at"] == pandas.Timestamp(T1)


def test_an_empty_folder_is_an_empty_frame(tmp_path: Path) -> None:
    frame = to_dataframe(tmp_path)
    assert list(frame.columns) == list(FIELDS) and len(frame) == 0
