"""``newscrawler validate``: each kind of problem is found and said in one line."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.record import Article, ArticleWriter, iter_files, url_key
from newscrawler.state import State
from newscrawler.validate import canonical_url, validate
from tests.conftest import SAMPLE_RECORDS

FIVE_KEY_AREAS = ("Bedfordshire", "Cambridgeshire", "Hertfordshire")


def _article(url: str, area: str = "Kent", published: str = "5 Jan 2021") -> Article:
    return Article.build(
        area=area,
        title="A headline",
        url=url,
        description="What happened.",
        published=published,
        body="Text.",
    )


def _five_key_sample(out: Path) -> Path:
    """The sample's records that are already in the five-key format."""
    for area in FIVE_KEY_AREAS:
        shutil.copytree(SAMPLE_RECORDS / "news" / area, out / "news" / area)
    return out


def test_sample_in_the_format_is_valid(tmp_path: Path) -> None:
    data = _five_key_sample(tmp_path)
    assert sum(1 for _ in iter_files(data)) == 48
    assert list(validate(data)) == []


def test_each_problem_is_one_line(tmp_path: Path) -> None:
    news = tmp_path / "news"
    writer = ArticleWriter(tmp_path)
    writer.write(_article("https://www.kent.police.uk/news/kent/news/a/"))
    writer.write(_article("https://www.kent.police.uk/news/kent/news/a#related"))  # the same article
    (news / "Kent" / "garbage.md").write_text("no fence here\n", encoding="utf-8")
    bad_date = _article("https://www.kent.police.uk/news/kent/news/c/", published="2021-01-05")
    writer.write(bad_date)
    missing = _article("https://www.kent.police.uk/news/kent/news/d/")
    missing.meta["og"] = {}
    writer.write(missing)
    misnamed = _article("https://www.kent.police.uk/news/kent/news/e/")
    (news / "Kent" / ("0" * 40 + ".md")).write_text(misnamed.render(), encoding="utf-8")
    elsewhere = _article("https://www.kent.police.uk/news/kent/news/f/")
    (news / "Essex").mkdir()
    (news / "Essex" / f"{url_key(elsewhere.url)}.md").write_text(elsewhere.render(), encoding="utf-8")

    problems = list(validate(tmp_path))
    for line in problems:
        print(line)
    by_file = Counter(line.split(": ", 1)[0] for line in problems)
    assert all(n == 1 for n in by_file.values()), by_file
    text = "\n".join(problems)
    assert "news/Kent/garbage.md: does not parse: file does not start with a ```yaml fence" in text
    assert (
        f"{url_key(bad_date.url)}.md: publish.date '2021-01-05' is not a date in the form '5 Jan 2021'"
        in text
    )
    assert f"{url_key(missing.url)}.md: missing og.description" in text
    assert (
        f"news/Kent/{'0' * 40}.md: name is not sha1 of its url (should be {url_key(misnamed.url)}.md)" in text
    )
    assert "in folder 'Essex' but its area is 'Kent'" in text
    assert "the same article as news/Kent/" in text
    assert len(problems) == 6


def test_state_disagreement_is_a_problem(tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    kept = _article("https://www.kent.police.uk/news/kent/news/a/")
    with State.open(tmp_path) as state:
        path, _ = state.save(writer, kept, force="kent")
    assert list(validate(tmp_path)) == []
    path.write_text(_article(kept.url, published="6 Jan 2021").render(), encoding="utf-8")
    unknown, _ = writer.write(_article("https://www.kent.police.uk/news/kent/news/b/"))
    problems = list(validate(tmp_path))
    assert problems == [
        f"news/Kent/{path.name}: file differs from the state ({kept.url})",
        f"news/Kent/{unknown.name}: a record file the state does not know",
    ]


def test_a_folder_without_records_is_a_problem(tmp_path: Path) -> None:
    assert list(validate(tmp_path)) == [f"{tmp_path}: no news/ folder, so no records to check"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://news.met.police.uk/news/x-418381", "https://news.met.police.uk/news/x-418381#related"),
        ("https://www.herts.police.uk/news-and-appeals/X", "https://www.herts.police.uk/news-and-appeals/X?"),
        ("http://www.scotland.police.uk/a/b/", "https://scotland.police.uk/a/b"),
        ("https://www.kent.police.uk/news/a%20b/", "https://www.kent.police.uk/news/a b/?utm_source=x"),
    ],
)
def test_canonical_url_joins_spellings_of_one_address(one: str, other: str) -> None:
    assert canonical_url(one) == canonical_url(other)


def test_canonical_url_keeps_what_names_another_page() -> None:
    assert canonical_url("https://x.police.uk/a/B") != canonical_url("https://x.police.uk/a/b")
    assert canonical_url("https://x.police.uk/a?id=1") != canonical_url("https://x.police.uk/a?id=2")
    assert canonical_url("https://x.police.uk/a") != canonical_url("https://y.police.uk/a")


def test_command_exit_status_and_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _five_key_sample(tmp_path)
    assert main(["validate", str(data)]) == 0
    assert "48 record files" in capsys.readouterr().err
    victim = next(iter_files(data))
    victim.rename(victim.with_name("1" * 40 + ".md"))
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and "name is not sha1 of its url" in out[0]


@pytest.mark.shared
def test_shared_raw_archive_problems_are_named(archive_dir: Path) -> None:
    """On the public archive as it is: its five-key areas are sound but for a few names and one
    duplicate; the raw areas lack the five keys (that is what ``import`` is for)."""
    kinds: Counter[tuple[bool, str]] = Counter()
    for line in validate(archive_dir):
        area = line.split("/")[1]
        kind = next(k for k in KINDS if line.split(": ", 1)[1].startswith(k))
        kinds[(area in FIVE_KEY_AREAS, kind)] += 1
    for (five_key, kind), n in sorted(kinds.items()):
        print(f"{n:6} {'five-key' if five_key else 'raw':8} {kind}")
    assert {kind: n for (five_key, kind), n in kinds.items() if five_key} == {
        "name is not sha1 of its url": 7,
        "the same article as": 1,
    }
    assert kinds[(False, "name is not sha1 of its url")] == 2
    assert kinds[(False, "the same article as")] == 14


KINDS = (
    "does not parse",
    "missing",
    "publish.date",
    "name is not sha1 of its url",
    "in folder",
    "the same article as",
)
