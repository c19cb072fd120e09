"""Shared test fixtures. Tests named *_shared_* need ../shared (present in CI)."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newscrawler.record import Article

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
SAMPLE_RECORDS = TESTS / "data" / "records"
SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "police-news" / "police-news.tar.xz"
EXAMPLE = SHARED / "format" / "example.txt"
# The example record ships in tests/ too, so the suite runs in a clone without ../shared.
EXAMPLE_COPY = TESTS / "data" / "example.txt"
KENT = "https://www.kent.police.uk"


def needs_archive() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not ARCHIVE.exists(), reason=f"needs {ARCHIVE} (present in CI)")


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole police-news archive, unpacked once per session."""
    if not ARCHIVE.exists():
        pytest.skip(f"needs {ARCHIVE} (present in CI)")
    out = tmp_path_factory.mktemp("archive")
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(out, filter="data")
    return out


def iter_sample_files() -> Iterator[Path]:
    yield from sorted(SAMPLE_RECORDS.glob("news/*/*.md"))


def article(
    title: str = "Title",
    *,
    area: str = "Kent",
    url: str = f"{KENT}/news/kent/news/x/",
    description: str = "Summary.",
    published: date = date(2021, 1, 5),
    body: str = "Body.",
) -> Article:
    """A record made for a test: a Kent article of 5 January 2021 but for the fields given."""
    return Article.build(
        area=area, title=title, url=url, description=description, published=published, body=body
    )
