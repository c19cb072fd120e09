"""The archive from Python: an output folder's records as rows, or as a pandas DataFrame.

The rows are the export's (``newscrawler export``, :mod:`newscrawler.exporters`): the same
columns, values, selection and order, so a notebook and an exported file agree. Every column
is described in ``docs/data-dictionary.md``.

    from newscrawler.dataset import iter_records, to_dataframe

    for row in iter_records("data", forces=["kent"], since=date(2024, 1, 1)):
        print(row["date"], row["time"], row["title"])
    frame = to_dataframe("data")                  # needs pandas
    versions = to_dataframe("data", history=True)  # earlier versions of edited articles
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawler.exporters import (
    FIELDS,
    HISTORY_FIELDS,
    TIMESTAMP_FIELDS,
    Row,
    Selection,
    iter_history_rows,
    iter_rows,
)

if TYPE_CHECKING:
    import pandas

__all__ = ["FIELDS", "HISTORY_FIELDS", "iter_records", "to_dataframe"]


def iter_records(
    path: str | os.PathLike[str],
    *,
    forces: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    history: bool = False,
) -> Iterator[Row]:
    """The rows of an output folder, one dict per record (:data:`FIELDS`), read one file at a
    time: ``date`` a ``datetime.date``, timestamps timezone-aware ``datetime`` in UTC, missing
    values None. ``forces``: slugs, areas or names (an unknown one raises
    ``newscrawler.forces.UnknownForceError``); ``since``/``until``: publication dates, both
    included. ``history``: the earlier versions of edited articles instead
    (:data:`HISTORY_FIELDS`, from the state; none without one)."""
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder: name the output folder of a crawl or an import")
    selection = Selection.of(list(forces) if forces is not None else None, since, until)
    yield from (iter_history_rows if history else iter_rows)(folder, selection)


def to_dataframe(
    path: str | os.PathLike[str],
    *,
    forces: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    history: bool = False,
) -> pandas.DataFrame:
    """:func:`iter_records` as a pandas DataFrame (``pip install pandas``), one column per
    field in order: ``date`` as ``datetime64`` (NaT when unknown), timestamps as UTC
    ``datetime64``, ``word_count`` as integers, the rest as pandas' text (missing: NaN in
    pandas 3, None in pandas 2)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("to_dataframe needs pandas: pip install pandas", name="pandas") from exc

    columns = HISTORY_FIELDS if history else FIELDS
    rows = iter_records(path, forces=forces, since=since, until=until, history=history)
    frame = pandas.DataFrame.from_records(list(rows), columns=list(columns))
    frame["date"] = pandas.to_datetime(frame["date"])
    for name in TIMESTAMP_FIELDS.intersection(columns):
        frame[name] = pandas.to_datetime(frame[name], utc=True)
    frame["word_count"] = frame["word_count"].astype("int64")
    return frame
