"""``newscrawler import``: the public police-news layout into five-key records."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.importer import ImportReport, extraction, headline, import_archive, is_target_format
from newscrawler.record import Article, iter_files, parse, url_key
from newscrawler.state import State
from newscrawler.validate import validate
from tests.conftest import ARCHIVE, SAMPLE_RECORDS

FIVE_KEY_AREAS = ("Bedfordshire", "Cambridgeshire", "Hertfordshire")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in iter_files(root)}


def _five_key_sources(archive: Path) -> list[Path]:
    return [p for p in iter_files(archive) if p.parent.name in FIVE_KEY_AREAS]


def _assert_passed_through(archive: Path, out: Path) -> int:
    """Every five-key source is written with the same bytes, under sha1 of its url."""
    for source in _five_key_sources(archive):
        data = source.read_bytes()
        url = parse(data.decode("utf-8")).url
        target = out / "news" / source.parent.name / f"{url_key(url)}.md"
        assert not target.exists() or target.read_bytes() == data, source
    return sum(1 for p in _five_key_sources(out))


def _raw(url: str, area: str = "Kent", **meta: object) -> str:
    """A record as the public archive holds a raw-meta area."""
    fields: dict[str, object] = {"area": area, "url": url, **meta}
    return Article(meta=fields, body=str(fields.pop("body", "Police are appealing for witnesses."))).render()


def _archive(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "news" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportReport]:
    out = tmp_path_factory.mktemp("imported") / "data"
    report = import_archive(SAMPLE_RECORDS, out, out / "logs" / "import-skipped.tsv")
    print("\n" + report.table())
    return out, report


def test_sample_is_taken_whole_or_reported(sample: tuple[Path, ImportReport]) -> None:
    out, report = sample
    sources = sum(1 for _ in iter_files(SAMPLE_RECORDS))
    assert report.overall.total == sources == 364
    assert report.written == sum(1 for _ in iter_files(out))
    listed = report.skipped_list.read_text(encoding="utf-8").splitlines()
    assert listed[0] == "file\turl\treason" and len(listed) - 1 == report.overall.skipped
    assert all(line.split("\t")[2].startswith("could not normalise: no ") for line in listed[1:])
    assert report.overall.skipped <= 20, report.table()  # undatable pages (PLATFORMS.md), not a rule
    assert list(validate(out)) == []


def test_sample_five_key_records_pass_through_byte_for_byte(sample: tuple[Path, ImportReport]) -> None:
    out, report = sample
    assert _assert_passed_through(SAMPLE_RECORDS, out) == 48
    assert report.overall.passed == 48


def test_raw_records_come_out_normalised(sample: tuple[Path, ImportReport]) -> None:
    out, _ = sample
    for path in iter_files(out):
        text = path.read_text(encoding="utf-8")
        article = parse(text)
        assert set(article.meta) == {"area", "og", "publish", "title", "url"}, path
        assert is_target_format(article.meta), path
        assert not article.title.endswith((" | Kent Police", " - Metropolitan Police", " - SYP")), path


def test_a_tar_gives_the_same_records_as_the_folder(
    sample: tuple[Path, ImportReport], tmp_path: Path
) -> None:
    tar_path = tmp_path / "sample.tar.xz"
    with tarfile.open(tar_path, "w:xz") as tar:
        tar.add(SAMPLE_RECORDS / "news", arcname="news")
    out = tmp_path / "data"
    report = import_archive(tar_path, out, tmp_path / "skipped.tsv")
    assert _tree(out) == _tree(sample[0])
    assert report.areas == sample[1].areas


def test_importing_again_changes_nothing(sample: tuple[Path, ImportReport], tmp_path: Path) -> None:
    out = sample[0]
    before = {p: p.stat().st_mtime_ns for p in iter_files(out)}
    report = import_archive(SAMPLE_RECORDS, out, tmp_path / "skipped.tsv")
    assert report.areas == sample[1].areas
    assert {p: p.stat().st_mtime_ns for p in iter_files(out)} == before


def test_one_article_under_two_addresses_is_taken_once(tmp_path: Path) -> None:
    url = "https://news.met.police.uk/news/man-charged-418381"
    raw = {"title": "Man charged - Metropolitan Police", "og": {"description": "A man was charged."}}
    body = "Mar 31, 2021 20:10 BST\n\nA man was charged."
    # Named so that the longer address comes first in the archive's order.
    archive = _archive(
        tmp_path / "archive",
        {
            "Metropolitan/a.md": _raw(url + "#related", "Metropolitan", body=body, **raw),
            "Metropolitan/b.md": _raw(url, "Metropolitan", body=body, **raw),
        },
    )
    report = import_archive(archive, tmp_path / "data", tmp_path / "skipped.tsv")
    assert [parse(p.read_text(encoding="utf-8")).url for p in iter_files(tmp_path / "data")] == [url]
    assert report.reasons == {"duplicate": 1}
    assert (
        "news/Metropolitan/a.md\t" + url + "#related\tduplicate: the same article as news/Metropolitan/b.md"
        in (tmp_path / "skipped.tsv").read_text(encoding="utf-8")
    )


def test_what_cannot_be_taken_is_listed_with_why(tmp_path: Path) -> None:
    archive = _archive(
        tmp_path / "archive",
        {
            "Kent/garbage.md": "not a record\n",
            "Kent/nourl.md": Article(meta={"area": "Kent", "title": "T"}, body="B").render(),
            "Kent/elsewhere.md": _raw("https://example.org/news/x", title="T"),
            "Kent/undated.md": _raw(
                "https://www.kent.police.uk/news/kent/news/undated/", title="T | Kent Police"
            ),
        },
    )
    report = import_archive(archive, tmp_path / "data", tmp_path / "skipped.tsv")
    assert report.written == 0
    assert report.reasons == {
        "does not parse": 1,
        "no url": 1,
        "no force in the registry for this address or area": 1,
        "could not normalise: no publish.date": 1,
    }
    assert report.areas["Kent"].skipped == 4


def test_a_record_under_a_wrong_name_is_written_under_its_own(tmp_path: Path) -> None:
    text = (SAMPLE_RECORDS / "news" / "Bedfordshire").glob("*.md").__next__().read_text(encoding="utf-8")
    archive = _archive(tmp_path / "archive", {"Bedfordshire/" + "0" * 40 + ".md": text})
    report = import_archive(archive, tmp_path / "data", tmp_path / "skipped.tsv")
    assert report.renamed == 1 and report.overall.passed == 1
    written = next(iter_files(tmp_path / "data"))
    assert written.read_text(encoding="utf-8") == text and written.stem == url_key(parse(text).url)


def test_import_into_a_folder_with_state_records_each_article(tmp_path: Path) -> None:
    out = tmp_path / "data"
    State.open(out).close()
    import_archive(SAMPLE_RECORDS, out, tmp_path / "skipped.tsv")
    assert list(validate(out)) == []
    with State.open(out, create=False) as state:
        first = parse(next(iter_files(out)).read_text(encoding="utf-8"))
        known = state.known(first.url)
    assert known is not None and known.first_seen and known.force


def test_five_key_format_is_exact() -> None:
    five = parse(
        (SAMPLE_RECORDS / "news" / "Hertfordshire").glob("*.md").__next__().read_text(encoding="utf-8")
    )
    assert is_target_format(five.meta)
    assert not is_target_format({**five.meta, "og": {"description": "x", "title": "y"}})
    assert not is_target_format({**five.meta, "publish": {"date": "09 Nov 2020 10:59"}})
    assert not is_target_format({**five.meta, "position": "2"})
    assert not is_target_format({**five.meta, "title": 12})


def test_extraction_takes_the_page_date_not_the_incident_date() -> None:
    northumbria = parse(
        _raw(
            "https://beta.northumbria.police.uk/latest-news/2020/december/x/",
            "Northumbria",
            day="18",
            month="Dec",
            time="14:23",
            title="Driver jailed",
        )
    )
    assert extraction(northumbria).date_text == "18 Dec"
    scotland = parse(
        _raw(
            "http://www.scotland.police.uk/what-s-happening/news/2020/march/x/",
            "Scotland",
            incident={"day": "3", "month": "March"},
            title="Appeal",
            body="**Published 4 March 2020**\n\nPolice Scotland is appealing.",
        )
    )
    assert extraction(scotland).date_text is None
    avon = parse(
        _raw(
            "https://www.avonandsomerset.police.uk/news/2020/08/x/",
            article={"published": {"time": "2020-08-12T08:48+00:00"}},
            publish={"date": "Posted at 09:48 on 12th August 2020"},
        )
    )
    assert extraction(avon).date_text == "Posted at 09:48 on 12th August 2020"


@pytest.mark.parametrize(
    ("title", "og_title", "expected"),
    [
        ("Man jailed | Cheshire Constabulary", "Man jailed", "Man jailed | Cheshire Constabulary"),
        ("A man has died", "News article", "A man has died"),
        (None, "Greatstone Primary School meet the CNC", "Greatstone Primary School meet the CNC"),
        ("Search continues in Epping... - Metropolitan Police", "Search continues in Epping Forest", None),
        ("Project Medusa – two held Project Medusa – two held", "Project Medusa – two held", None),
    ],
)
def test_headline_is_the_page_title_unless_it_is_cut_or_doubled(
    title: str | None, og_title: str, expected: str | None
) -> None:
    meta: dict[str, object] = {"og": {"title": og_title}}
    if title is not None:
        meta["title"] = title
    article = parse(_raw("https://www.kent.police.uk/news/kent/news/x/", **meta))
    assert headline(article) == (expected or og_title)


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    assert main(["import", str(SAMPLE_RECORDS), "--data", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Bedfordshire" in printed and "records written to" in printed
    assert (out / "logs" / "import-skipped.tsv").exists()
    assert main(["import", str(tmp_path / "nothing-here"), "--data", str(out)]) == 1
    assert f"{tmp_path / 'nothing-here'}: no such file or folder" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("not an archive", encoding="utf-8")
    assert main(["import", str(tmp_path / "notes.txt"), "--data", str(out)]) == 1
    assert "neither a folder nor a tar archive" in capsys.readouterr().err
    assert main(["import", str(out), "--data", str(out)]) == 1
    assert "import into another folder" in capsys.readouterr().err


def imported_whole_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The whole public archive imported from its .tar.xz, once per test session (the
    exporter tests use it too), with the import's counts."""
    root = tmp_path_factory.getbasetemp() / "imported-whole-archive"
    summary = root / "summary.json"
    if not summary.exists():
        report = import_archive(ARCHIVE, root / "data", root / "skipped.tsv")
        counts = {name: vars(c) for name, c in report.areas.items()}
        text = json.dumps(
            {"areas": counts, "reasons": report.reasons, "renamed": report.renamed, "table": report.table()}
        )
        summary.write_text(text, encoding="utf-8")
    return root / "data", json.loads(summary.read_text(encoding="utf-8"))


@pytest.mark.shared
@pytest.mark.slow
def test_shared_import_whole_archive(archive_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    out, summary = imported_whole_archive(tmp_path_factory)
    areas: dict[str, dict[str, int]] = summary["areas"]  # type: ignore[assignment]
    written = sum(c["passed"] + c["normalised"] for c in areas.values())
    skipped = sum(c["skipped"] for c in areas.values())
    print("\n" + str(summary["table"]))
    print(
        f"{written} records written, {skipped} not taken: {summary['reasons']}; {summary['renamed']} renamed"
    )
    assert written + skipped == sum(1 for _ in iter_files(archive_dir)) == 44_350
    assert written == sum(1 for _ in iter_files(out))
    assert list(validate(out)) == []
    five_key = sum(1 for _ in _five_key_sources(archive_dir))
    passed = _assert_passed_through(archive_dir, out)
    print(f"five-key records: {five_key} in the archive, {passed} written byte for byte")
    # The one not passed is the same Hertfordshire article under a second address ("…-man?").
    assert passed == five_key - 1 >= 7_600
