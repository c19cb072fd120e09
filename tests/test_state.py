"""The SQLite state: records, versions, failures, runs, forgetting, migration, agreement."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.record import Article, ArticleWriter, WriteResult
from newscrawler.state import _MIGRATIONS, SCHEMA_VERSION, STATE_FILE, State, StateError

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)


def article(n: int = 1, *, body: str = "Body.", published: str = "3 Apr 2024") -> Article:
    return Article.build(
        area="Kent",
        title=f"Headline {n}",
        url=f"https://www.kent.police.uk/news/kent/news/2024/a-{n}/",
        description="A description.",
        published=published,
        body=body,
        force="kent",
    )


@pytest.fixture
def state(tmp_path: Path):  # type: ignore[no-untyped-def]
    with State.open(tmp_path) as s:
        yield s


def test_new_record_is_known_with_its_file(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    a = article()
    path, result = state.save(writer, a, etag='"v1"', last_modified="Wed, 01 May 2024", now=T0)
    assert result is WriteResult.NEW
    known = state.known(a.url)
    assert known is not None and known.written
    assert known.force == "kent" and known.area == "Kent"
    assert known.path == path.relative_to(tmp_path).as_posix()
    assert known.content_hash == a.content_hash
    assert known.published == date(2024, 4, 3)
    assert known.first_seen == known.last_fetched == known.last_changed == "2024-05-01T12:00:00Z"
    assert known.conditional_headers() == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Wed, 01 May 2024",
    }
    assert state.known("https://elsewhere/") is None
    assert state.known_links("kent") == {a.url: date(2024, 4, 3)}
    assert state.check() == []


def test_changed_record_keeps_the_earlier_version(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    before = article(body="Man arrested.")
    path, _ = state.save(writer, before, now=T0)
    old_text = path.read_text(encoding="utf-8")
    after = article(body="Man released under investigation.")
    _, result = state.save(writer, after, now=T1)
    assert result is WriteResult.UPDATED
    versions = state.versions(after.url)
    assert [(v.content_hash, v.text, v.replaced_at) for v in versions] == [
        (before.content_hash, old_text, "2024-05-02T12:00:00Z")
    ]
    known = state.known(after.url)
    assert known is not None
    assert known.content_hash == after.content_hash
    assert (known.first_seen, known.last_changed) == ("2024-05-01T12:00:00Z", "2024-05-02T12:00:00Z")
    assert state.check() == []


def test_a_file_that_is_not_text_is_replaced_by_the_record(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    a = article()
    path = writer.path_for(a)
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(range(256)) * 4)  # random bytes: no UTF-8, no record
    _, result = state.save(writer, a, now=T0)
    assert result is WriteResult.UPDATED
    assert path.read_text(encoding="utf-8") == a.render()
    assert state.versions(a.url) == []
    assert state.check() == []


def test_unchanged_record_moves_only_last_fetched(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(), etag='"v1"', now=T0)
    _, result = state.save(writer, article(), etag='"v2"', now=T1)
    assert result is WriteResult.UNCHANGED
    known = state.known(article().url)
    assert known is not None
    assert (known.last_fetched, known.last_changed) == ("2024-05-02T12:00:00Z", "2024-05-01T12:00:00Z")
    assert known.etag == '"v2"'
    assert state.versions(article().url) == []


def test_a_kill_between_file_and_row_is_completed_by_the_next_run(state: State, tmp_path: Path) -> None:
    """The file was written but the process died before the row was committed."""
    writer = ArticleWriter(tmp_path)
    writer.write(article())
    assert state.check() == [
        f"{writer.path_for(article()).relative_to(tmp_path).as_posix()}: "
        "a record file the state does not know"
    ]
    _, result = state.save(writer, article(), now=T1)
    assert result is WriteResult.UNCHANGED
    assert state.known(article().url) is not None
    assert state.check() == []


def test_a_kill_after_the_version_was_kept_does_not_keep_it_twice(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(body="One."), now=T0)
    # The earlier version was committed, then the process died before the file was replaced:
    # the next run keeps it again, which must not make a second copy.
    state._keep_version(article().url, "kent", writer.path_for(article()).read_text(), T1)
    state.save(writer, article(body="Two."), now=T1)
    assert len(state.versions(article().url)) == 1


def test_check_finds_missing_and_altered_files(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    p1, _ = state.save(writer, article(1), now=T0)
    p2, _ = state.save(writer, article(2), now=T0)
    p1.unlink()
    p2.write_text("edited by hand", encoding="utf-8")
    problems = state.check()
    assert len(problems) == 2
    assert "but no file" in problems[0] and "file differs" in problems[1]


def test_failures_count_up_and_a_success_clears_them(state: State, tmp_path: Path) -> None:
    url = article().url
    assert state.failed(url, "kent", "HTTP 500", now=T0) == 1
    assert state.failed(url, "kent", "timeout", now=T0) == 2
    known = state.known(url)
    assert known is not None and not known.written
    assert (known.failures, known.last_error) == (2, "timeout")
    assert state.known_links("kent") == {url: None}  # held: tried again by the next run
    assert state.retry_due("kent") == [url]
    assert state.newest("kent") is None
    state.save(ArticleWriter(tmp_path), article(), now=T1)
    known = state.known(url)
    assert known is not None and known.written
    assert (known.failures, known.last_error, known.first_seen) == (0, None, "2024-05-02T12:00:00Z")


def test_a_page_that_gave_no_record_waits_for_its_retry_time(state: State, tmp_path: Path) -> None:
    undated, timed_out = article(1).url, article(2).url
    state.failed(undated, "kent", "could not extract publish.date", no_record=True, now=T0)
    state.failed(timed_out, "kent", "timeout", now=T0)
    # Both are held (a listing linking them does not fetch them); the one that gave no record
    # is due again once its last try is older than the retry cutoff, the one that could not
    # be fetched at once.
    assert state.known_links("kent") == {undated: None, timed_out: None}
    assert state.retry_due("kent", retry_from=T0.replace(day=1, hour=0)) == [timed_out]
    assert state.retry_due("kent", retry_from=T1) == sorted([undated, timed_out])
    # A record written at last clears the mark.
    state.save(ArticleWriter(tmp_path), article(1), now=T1)
    known = state.known(undated)
    assert known is not None and known.written and not known.no_record
    assert state.retry_due("kent", retry_from=T1) == [timed_out]


def test_a_version_1_state_is_migrated(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / STATE_FILE)
    for statement in _MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("INSERT INTO articles (url, force, failures) VALUES ('https://x/1', 'kent', 1)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with State.open(tmp_path) as s:
        assert s.schema_version == SCHEMA_VERSION == 4
        known = s.known("https://x/1")
        assert known is not None and known.failures == 1 and not known.no_record


def test_a_version_2_state_is_migrated_keeping_its_records(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / STATE_FILE)
    for step in _MIGRATIONS[:2]:
        for statement in step:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO articles (url, force, content_hash, published, first_seen) "
        "VALUES ('https://x/1', 'kent', 'abc', '2024-04-03', '2024-05-01T12:00:00Z')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with State.open(tmp_path) as s:
        assert s.schema_version == SCHEMA_VERSION == 4
        known = s.known("https://x/1")
        assert known is not None and known.written and known.first_seen == "2024-05-01T12:00:00Z"
        assert known.published_time is None and known.removed is None


def test_the_time_a_page_showed_is_kept_and_not_lost_to_a_page_without_one(
    state: State, tmp_path: Path
) -> None:
    writer = ArticleWriter(tmp_path)
    timed = article()
    timed.time = "15:53"
    state.save(writer, timed, now=T0)
    known = state.known(timed.url)
    assert known is not None and known.published_time == "15:53"
    state.save(writer, article(body="Edited."), now=T1)  # an edit whose page shows no time
    known = state.known(timed.url)
    assert known is not None and known.published_time == "15:53"


def test_an_article_gone_from_its_site_is_flagged_never_deleted(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    path, _ = state.save(writer, article(), now=T0)
    assert state.removed_from_site(article().url, now=T1)
    assert state.removed_from_site(article().url, now=datetime(2024, 6, 1, tzinfo=UTC))
    known = state.known(article().url)
    assert known is not None and known.written and known.removed == "2024-05-02T12:00:00Z"  # first seen gone
    assert path.exists() and state.check() == []
    assert not state.removed_from_site("https://www.kent.police.uk/never-archived/")
    state.save(writer, article(), now=T1)  # served again
    known = state.known(article().url)
    assert known is not None and known.removed is None


def test_a_failure_never_forgets_a_written_record(state: State, tmp_path: Path) -> None:
    state.save(ArticleWriter(tmp_path), article(), now=T0)
    state.failed(article().url, "kent", "HTTP 503")
    known = state.known(article().url)
    assert known is not None and known.written and known.failures == 1


def test_not_modified_keeps_content_and_refreshes_validators(state: State, tmp_path: Path) -> None:
    state.save(ArticleWriter(tmp_path), article(), etag='"v1"', now=T0)
    state.not_modified(article().url, etag=None, last_modified="Thu, 02 May 2024", now=T1)
    known = state.known(article().url)
    assert known is not None
    assert (known.etag, known.last_modified, known.last_fetched) == (
        '"v1"',
        "Thu, 02 May 2024",
        "2024-05-02T12:00:00Z",
    )


def test_newest_and_revisit_window(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(1, published="1 Apr 2024"), now=T0)
    state.save(writer, article(2, published="20 Apr 2024"), now=T0)
    state.save(writer, article(3, published="30 Apr 2024"), now=T0)
    assert state.newest("kent") == date(2024, 4, 30)
    assert state.newest("essex") is None
    due = state.revisit_due("kent", 14, today=date(2024, 5, 1))
    assert [a.url for a in due] == [article(3).url, article(2).url]
    assert state.revisit_due("kent", 0, today=date(2024, 5, 1)) == []


def test_complete_through_moves_only_when_marked(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(1, published="1 Apr 2024"), now=T0)
    assert state.complete_through("kent") is None
    state.mark_complete("kent", now=T0)
    state.save(writer, article(2, published="20 Apr 2024"), now=T1)  # a run killed after this
    assert state.newest("kent") == date(2024, 4, 20)
    assert state.complete_through("kent") == date(2024, 4, 1)
    state.mark_complete("kent", now=T1)
    assert state.complete_through("kent") == date(2024, 4, 20)
    state.forget("kent")
    assert state.complete_through("kent") is None
    # Read to the end with no record at all (every page failed to parse): complete all the
    # same, so the next run does not read everything again.
    state.mark_complete("essex", now=T1)
    assert state.complete_through("essex") == date.min


def test_another_address_of_a_record_is_known_while_the_record_is(state: State, tmp_path: Path) -> None:
    record, link, other = article(1).url, article(1).url + "?src=list", article(2).url
    state.alias(link, "kent", record, now=T0)
    assert state.known_links("kent") == {}  # its record is not written (yet): not known
    state.save(ArticleWriter(tmp_path), article(1), now=T0)
    assert state.known_links("kent") == {record: date(2024, 4, 3), link: date(2024, 4, 3)}
    assert state.retry_due("kent", retry_from=T1) == []
    known = state.known(link)
    assert known is not None and not known.written
    # A url with a record of its own stays a record; one that gets a record stops being an alias.
    state.alias(record, "kent", other, now=T1)
    assert state.known_links("kent")[record] == date(2024, 4, 3)
    state.save(ArticleWriter(tmp_path), article(2, published="5 Apr 2024"), now=T1)
    state.alias(link, "kent", other, now=T1)
    assert state.known_links("kent")[link] == date(2024, 4, 5)
    moved = Article(meta={**article(1).meta, "url": link}, body=article(1).body)
    state.save(ArticleWriter(tmp_path), moved, force="kent", now=T1)
    assert state.known_links("kent")[link] == date(2024, 4, 3)
    assert state.check() == []


def test_runs_and_summary(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(1, published="30 Apr 2024"), now=T0)
    state.failed("https://www.kent.police.uk/broken/", "kent", "HTTP 500")
    first = state.begin_run(T0, ["kent", "essex"])
    state.end_run(first, T0, "finished", {"kent": {"new": 1}, "essex": {"failed": 1}})
    state.begin_run(T1, ["kent"])  # killed: never ended
    rows = {s.force: s for s in state.summary()}
    assert set(rows) == {"kent", "essex"}
    assert (rows["kent"].records, rows["kent"].newest, rows["kent"].failures) == (
        1,
        date(2024, 4, 30),
        1,
    )
    assert (rows["kent"].last_run, rows["kent"].last_run_reason) == (
        "2024-05-02T12:00:00Z",
        "unfinished",
    )
    assert (rows["essex"].records, rows["essex"].last_run_reason) == (0, "finished")
    assert [r["finish_reason"] for r in state.runs()] == [None, "finished"]


def test_forget_drops_one_force_and_leaves_files(state: State, tmp_path: Path) -> None:
    writer = ArticleWriter(tmp_path)
    state.save(writer, article(body="One."), now=T0)
    path, _ = state.save(writer, article(body="Two."), now=T1)
    essex = Article.build(
        area="Essex",
        title="E",
        url="https://www.essex.police.uk/news/essex/news/e/",
        description="D.",
        published="1 May 2024",
        body="B.",
        force="essex",
    )
    state.save(writer, essex, now=T0)
    assert state.forget("kent") == 1
    assert state.known(article().url) is None
    assert state.versions(article().url) == []
    assert state.known(essex.url) is not None
    assert path.exists()


def test_schema_is_versioned_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    with State.open(tmp_path) as s:
        assert s.schema_version == SCHEMA_VERSION
    with State.open(tmp_path) as s:  # opening again migrates nothing
        assert s.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / STATE_FILE)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StateError, match="newer"):
        State.open(tmp_path)


def test_wal_mode(state: State, tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / STATE_FILE)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_readers_do_not_create_a_state(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="no state"):
        State.open(tmp_path / "nowhere", create=False)
    assert not (tmp_path / "nowhere").exists()


# The command ----------------------------------------------------------------------------------


def test_state_command_shows_each_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with State.open(tmp_path) as s:
        s.save(ArticleWriter(tmp_path), article(published="30 Apr 2024"), now=T0)
        run = s.begin_run(T0, ["kent"])
        s.end_run(run, T1, "finished", {"kent": {"new": 1}})
    assert main(["state", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["force", "records", "newest", "last", "run", "ended", "failed", "failing"]
    assert lines[1].split() == ["kent", "1", "2024-04-30", "2024-05-01T12:00:00Z", "finished", "-", "0"]


def test_state_command_shows_a_force_that_failed_in_a_finished_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with State.open(tmp_path) as s:
        run = s.begin_run(T0, ["kent"])
        s.end_run(run, T1, "finished", {"kent": {"failed": 3, "finish_reason": "failed"}})
    assert main(["state", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split() == [
        "kent",
        "0",
        "-",
        "2024-05-01T12:00:00Z",
        "failed",
        "3",
        "0",
    ]


def test_state_command_without_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["state", "--data", str(tmp_path)]) == 1
    assert "no state" in capsys.readouterr().err


def test_state_command_forget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with State.open(tmp_path) as s:
        path, _ = s.save(ArticleWriter(tmp_path), article(), now=T0)
    assert main(["state", "--forget", "Kent", "--data", str(tmp_path)]) == 0
    assert "kent: forgot 1 article(s)" in capsys.readouterr().out
    with State.open(tmp_path) as s:
        assert s.known(article().url) is None
    assert path.exists()
    assert main(["state", "--forget", "nowhere-shire", "--data", str(tmp_path)]) == 2
    assert "unknown force" in capsys.readouterr().err


def test_state_command_remove_deletes_one_article_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = ArticleWriter(tmp_path)
    with State.open(tmp_path) as s:
        s.save(writer, article(1, body="Named a suspect."), now=T0)
        path, _ = s.save(writer, article(1, body="Edited."), now=T1)
        other, _ = s.save(writer, article(2), now=T0)
    assert main(["state", "--remove", article(1).url, "--data", str(tmp_path)]) == 0
    assert "removed its file and 1 earlier version;" in capsys.readouterr().out
    assert not path.exists() and other.exists()
    with State.open(tmp_path) as s:
        assert s.known(article(1).url) is None and s.versions(article(1).url) == []
        assert s.known(article(2).url) is not None and s.check() == []
    assert "Named a suspect" not in (tmp_path / STATE_FILE).read_bytes().decode("utf-8", "replace")
    assert main(["state", "--remove", article(1).url, "--data", str(tmp_path)]) == 1
    assert "is not in" in capsys.readouterr().err


def test_state_command_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with State.open(tmp_path) as s:
        path, _ = s.save(ArticleWriter(tmp_path), article(), now=T0)
    assert main(["state", "--check", "--data", str(tmp_path)]) == 0
    assert "state and files agree" in capsys.readouterr().out
    path.unlink()
    assert main(["state", "--check", "--data", str(tmp_path)]) == 1
    assert "1 problem(s)" in capsys.readouterr().out
