"""Shared test fixtures. Tests named *_shared_* need ../shared (present in CI)."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
SAMPLE_RECORDS = TESTS / "data" / "records"
SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "police-news" / "police-news.tar.xz"
EXAMPLE = SHARED / "format" / "example.txt"
# The example record ships in tests/ too, so the suite runs in a clone without ../shared.
EXAMPLE_COPY = TESTS / "data" / "example.txt"


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
