from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler import record
from newscrawler.record import Article, ArticleWriter, RecordError, UnsafePathError, WriteResult
from tests.conftest import ARCHIVE, EXAMPLE, EXAMPLE_COPY, iter_sample_files, needs_archive

EXAMPLE_PATH = "news/Bedfordshire/4e4bc0d0461ec5d672835d6a35fc3941a06c9786.md"


def test_example_copy_is_the_shared_example() -> None:
    if EXAMPLE.exists():
        assert EXAMPLE.read_bytes() == EXAMPLE_COPY.read_bytes()


def test_example_round_trips_byte_for_byte() -> None:
    text = EXAMPLE_COPY.read_text(encoding="utf-8")
    assert record.parse(text).render() == text


def test_record_built_from_fields_writes_the_example(tmp_path: Path) -> None:
    parsed = record.parse(EXAMPLE_COPY.read_text(encoding="utf-8"))
    built = Article.build(
        area="Bedfordshire",
        title="Police and partners tackle crime hotspots in Luton",
        url="https://www.bedfordshire.police.uk/news-and-appeals/police-partners-crime-luton-mar20",
        description=parsed.description,
        published=date(2020, 3, 12),
        body=parsed.body,
        force="bedfordshire",
    )
    path, result = ArticleWriter(tmp_path).write(built)
    assert result is WriteResult.NEW
    assert path == tmp_path / EXAMPLE_PATH
    assert path.read_bytes() == EXAMPLE_COPY.read_bytes()
    assert built.published == date(2020, 3, 12)
    assert built.missing_keys() == []


def test_sample_records_round_trip() -> None:
    files = list(iter_sample_files())
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8")
        article = record.parse(text)
        assert article.render() == text, path
        assert path.stem == record.url_key(article.url)
        assert path.parent.name == article.area


@pytest.mark.shared
@needs_archive()
def test_shared_archive_round_trips_every_file(archive_dir: Path) -> None:
    count = 0
    for path in record.iter_files(archive_dir):
        text = path.read_text(encoding="utf-8")
        assert record.parse(text).render() == text, path
        count += 1
    print(f"round-tripped {count} files of {ARCHIVE.name}")
    assert count == 44350


def test_reader_keeps_any_nested_keys() -> None:
    meta = {"area": "X", "a": {"b": {"c": "d"}}, "incident": {"day": "3"}, "url": "u"}
    article = record.parse(record.render(meta, "body"))
    assert article.meta == meta
    assert article.get("a.b.c") == "d"


@pytest.mark.parametrize(
    "text, message",
    [
        ("no fence", "```yaml"),
        ("```yaml\narea: x\n", "closing"),
        ("```yaml\narea: x\n```\nbody\n", "blank line"),
        ("```yaml\narea: x\n```\n\nbody", "newline"),
        ("```yaml\n- a\n```\n\nbody\n", "mapping"),
        ("```yaml\na: [\n```\n\nbody\n", "parse"),
    ],
)
def test_malformed_files_are_errors(text: str, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        record.parse(text)


@pytest.mark.parametrize("area", ["../x", "..", ".", "a/b", "a\\b", "", " ", "x\0", ".hidden"])
def test_unsafe_areas_are_rejected(tmp_path: Path, area: str) -> None:
    article = Article.build(
        area=area, title="t", url="https://x/a", description="d", published=date(2020, 1, 1), body="b"
    )
    with pytest.raises(UnsafePathError):
        ArticleWriter(tmp_path / "out").write(article)
    assert not any(tmp_path.rglob("*.md"))


def test_writer_reports_new_unchanged_updated(tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    a = Article.build(
        area="Kent", title="t", url="https://x/a", description="d", published=date(2020, 1, 1), body="b"
    )
    assert writer.write(a)[1] is WriteResult.NEW
    assert writer.write(a)[1] is WriteResult.UNCHANGED
    a.body = "changed"
    path, result = writer.write(a)
    assert result is WriteResult.UPDATED
    assert record.read(path).body == "changed"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_body_with_final_newline_is_refused() -> None:
    with pytest.raises(RecordError):
        record.render({"url": "u"}, "body\n")


def _write_forever(path: str, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    big_a = b"A" * 4_000_000
    big_b = b"B" * 4_000_000
    ready.set()
    while True:
        record.atomic_write(Path(path), big_a)
        record.atomic_write(Path(path), big_b)


def test_killed_writer_leaves_old_or_new_file_never_a_part(tmp_path: Path) -> None:
    target = tmp_path / "news" / "Kent" / "x.md"
    ctx = multiprocessing.get_context("fork")
    for attempt in range(5):
        ready = ctx.Event()
        proc = ctx.Process(target=_write_forever, args=(str(target), ready))
        proc.start()
        assert ready.wait(10)
        time.sleep(0.05 + attempt * 0.037)
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        if target.exists():
            data = target.read_bytes()
            assert data in (b"A" * 4_000_000, b"B" * 4_000_000)
    assert ArticleWriter.clean_partials(tmp_path) >= 0
    assert not list(target.parent.glob(".tmp-*"))


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(
    title=_text,
    description=_text,
    body=_text.filter(lambda s: not s.endswith("\n")),
    extra=st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), _text, max_size=3),
)
def test_any_record_round_trips(title: str, description: str, body: str, extra: dict) -> None:
    article = Article.build(
        area="Kent",
        title=title,
        url="https://www.kent.police.uk/news/x/",
        description=description,
        published=date(2021, 1, 5),
        body=body,
    )
    article.meta.update({f"x{k}": v for k, v in extra.items()})
    parsed = record.parse(article.render())
    assert parsed.meta == article.meta
    assert parsed.body == body
    assert parsed.render() == article.render()
