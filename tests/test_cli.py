"""The command line: one set of conventions (commands/common.py), bad input checked before
anything is fetched or written, and exit statuses that tell the truth."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawler.cli import COMMANDS, build_parser, main
from newscrawler.commands.common import os_error_message
from newscrawler.record import ArticleWriter
from newscrawler.state import State
from tests.conftest import SAMPLE_RECORDS, article

NO_PROXY_ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
ESSEX_MIRROR = "https://www.essex.police.uk=http://127.0.0.1:9"
KENT_MIRROR = "https://www.kent.police.uk=http://127.0.0.1:9"


KENT_ARTICLE = "https://www.kent.police.uk/news/kent/news/news/2020/x/some-article/"


def status(argv: list[str]) -> int:
    """The exit status of ``newscrawler …``, whether argparse or the command decided it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["crawl"], "name at least one force, or --all"),
        (["crawl", "kentt"], "unknown force 'kentt'. Did you mean kent"),
        (["crawl", "kent", "--all"], "name forces or give --all, not both"),
        (["crawl", "kent", "--since", "31/01/2024"], "bad date '31/01/2024'"),
        (["crawl", "kent", "--since", "2024-02-01", "--until", "2024-01-01"], "is after --until"),
        (["crawl", "kent", "--since", "2024-02-01", "--days", "3"], "--since or --days, not both"),
        (["crawl", "kent", "--days", "-1"], "--days: -1 is less than 0"),
        (["crawl", "kent", "--max-articles", "0"], "--max-articles: 0 is less than 1"),
        (["crawl", "kent", "--mirror", "nonsense"], "ORIGIN=URL"),
        (["crawl", "kent", "-s", "NOEQUALS"], "NAME=VALUE"),
        (["crawl", "kent", "-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY takes a number"),
        (["crawl", "kent", "-s", "ROBOTSTXT_OBEY=maybe"], "ROBOTSTXT_OBEY takes True or False"),
        (["crawl", "kent", "--mirror", ESSEX_MIRROR], f"--mirror {ESSEX_MIRROR} serves no site of kent"),
        (["crawl", "kent", "essex", "--mirror", KENT_MIRROR], "no --mirror serves a site of essex"),
        (
            ["crawl", "--all", "--mirror", "https://nowhere.example=http://127.0.0.1:9"],
            "no site of any force",
        ),
        (["check", "kentt"], "Did you mean kent"),
        (["check", "kent", "--mirror", ESSEX_MIRROR], "serves no site of kent"),
        (["schedule", "kentt"], "Did you mean kent"),
        (["schedule"], "name at least one force, or --all"),
        (["schedule", "--all", "--every", "7m"], "cannot be kept exactly by cron"),
        (["export", "kentt", "--out", "x.csv"], "Did you mean kent"),
        (["export", "--out", "x.csv", "--since", "2024-02-01", "--until", "2024-01-01"], "is after --until"),
        (["export", "--out", "x.txt"], "say --format"),
        (["export", "--out", "-"], "say --format"),
        (["state", "--forget", "kentt"], "Did you mean kent"),
        (["replica", "nowhere", "kentt"], "Did you mean kent"),
        (["replica", "nowhere", "--per-page", "0"], "--per-page: 0 is less than 1"),
        (["record", "https://www.kent.police.uk/x", "--force", "kentt"], "Did you mean kent"),
        (["scrape", "https://example.com/news/x"], "no force has a site at https://example.com/news/x"),
        (
            ["scrape", KENT_ARTICLE, "--mirror", "https://www.essex.police.uk=http://127.0.0.1:9/x"],
            "no --mirror serves the site of " + KENT_ARTICLE,
        ),
        (["parse", "a.html", "b.html", "--url", "https://www.kent.police.uk/x"], "2 pages but 1 --url"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line_before_anything_is_done(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert status(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no data folder, no log, no file made


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "--data", "{tmp}/nowhere", "--out", "{tmp}/x.csv"], "no folder {tmp}/nowhere"),
        (
            ["export", "--data", "{tmp}/file", "--out", "{tmp}/x.csv"],
            "{tmp}/file is a file, not a data folder",
        ),
        (["validate", "--data", "{tmp}/nowhere"], "no folder {tmp}/nowhere"),
        (["report", "--data", "{tmp}/file"], "{tmp}/file is a file, not a data folder"),
        (["state", "--data", "{tmp}/nowhere"], "no state in {tmp}/nowhere"),
        (["format", "{tmp}/nowhere.md"], "cannot read {tmp}/nowhere.md: no such file or folder"),
        (["format", "{tmp}"], "cannot read {tmp}: it is a folder, not a file"),
        (
            ["parse", "{tmp}/nowhere.html", "--url", "https://www.kent.police.uk/x"],
            "cannot read {tmp}/nowhere.html",
        ),
        (["import", "{tmp}/nowhere", "--data", "{tmp}/data"], "{tmp}/nowhere"),
        (["crawl", "kent", "--data", "{tmp}/file/data"], "cannot write to output folder {tmp}/file/data"),
        (
            ["import", "{cut}", "--data", "{tmp}/data"],
            "cannot read {cut}: the archive is damaged or cut short",
        ),
        (["replica", "{cut}"], "cannot read {cut}: not a readable .tar.xz archive"),
    ],
)
def test_runtime_failures_exit_1_in_words(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, cut_archive: Path
) -> None:
    (tmp_path / "file").write_text("not a folder")
    assert status([a.format(tmp=tmp_path, cut=cut_archive) for a in argv]) == 1
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path, cut=cut_archive) in err
    assert "Traceback" not in err and "[Errno" not in err


@pytest.fixture(scope="module")
def cut_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample records as a .tar.xz cut short half way."""
    folder = tmp_path_factory.mktemp("archive")
    with tarfile.open(folder / "whole.tar.xz", "w:xz") as tar:
        tar.add(SAMPLE_RECORDS / "news", arcname="police-news/news")
    whole = (folder / "whole.tar.xz").read_bytes()
    (folder / "cut.tar.xz").write_bytes(whole[: len(whole) // 2])
    return folder / "cut.tar.xz"


def test_os_errors_are_said_in_words(tmp_path: Path) -> None:
    try:
        (tmp_path / "nowhere").read_bytes()
    except OSError as exc:
        assert os_error_message(exc, "read") == f"cannot read {tmp_path / 'nowhere'}: no such file or folder"
    assert os_error_message(FileNotFoundError("x has no records")) == "x has no records"
    assert os_error_message(PermissionError(13, "Permission denied", "/srv")) == "/srv: permission denied"


def subcommands() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: p.format_help() for name, p in sub.choices.items()}  # type: ignore[attr-defined]


def test_help_lists_commands_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert status(["crawl", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--since" in out and "--mirror" in out


def test_help_is_plain_text() -> None:
    helps = subcommands()
    assert len(helps) == len(COMMANDS)
    for name, text in helps.items():
        for markup in ("``", ":class:", ":func:", ":meth:", "import_", "newscrawler/"):
            assert markup not in text, (name, markup)


@pytest.mark.parametrize(
    "name", ["crawl", "scrape", "parse", "state", "validate", "report", "export", "import"]
)
def test_every_command_names_the_data_folder_with_data(name: str) -> None:
    text = subcommands()[name]
    assert "--data DIR" in text and "DATA_DIR" not in text and "OUT/" not in text


@pytest.mark.parametrize("name", ["crawl", "check", "schedule", "export", "replica"])
def test_every_command_chooses_forces_the_same_way(name: str) -> None:
    text = subcommands()[name]
    assert "FORCE ..." in text and "--all" in text and "--forces" not in text


def test_scrape_takes_more_mirrors_than_its_addresses_need() -> None:
    """A replica prints a --mirror per site it serves: scraping a few of its articles with
    all of them is no usage error (the closed port then fails the fetch: exit 1, not 2)."""
    mirrors = [
        "https://www.kent.police.uk=http://127.0.0.1:9/kent",
        "https://www.essex.police.uk=http://127.0.0.1:9/x",
    ]
    argv = ["scrape", KENT_ARTICLE, *(a for m in mirrors for a in ("--mirror", m)), "-s", "RETRY_TIMES=0"]
    assert status(argv) == 1


def test_export_to_a_dash_writes_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ArticleWriter(data).write(article())
    monkeypatch.chdir(tmp_path)
    assert status(["export", "--data", str(data), "--format", "jsonl", "--out", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == article().url
    assert not (tmp_path / "-").exists()


def test_earlier_spellings_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Installed crontabs say `crawl --out DIR`; scripts said `validate DIR`, `--forces a,b`."""
    parser = build_parser()
    assert parser.parse_args(["crawl", "kent", "--out", str(tmp_path)]).data == tmp_path
    assert parser.parse_args(["validate", str(tmp_path)]).data == tmp_path
    assert status(["export", str(tmp_path), "--out", "x.csv"]) == 2
    assert f"{tmp_path} is a folder, not a force: name the data folder with --data" in capsys.readouterr().err
    assert status(["schedule", "--forces", "kent,Essex", "--out", str(tmp_path)]) == 0
    assert " crawl kent essex --data " in capsys.readouterr().out


# ---- what a run says ----------------------------------------------------------------------------


def test_a_force_with_nothing_to_crawl_fails_the_run_and_the_state_says_so(tmp_path: Path) -> None:
    """Mirrors given as a setting are not checked up front: the run must still tell the truth."""
    out = tmp_path / "data"
    elsewhere = json.dumps({"https://www.essex.police.uk": "http://127.0.0.1:9"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawler",
            "crawl",
            "kent",
            "--data",
            str(out),
            "-q",
            "-s",
            f"NEWSCRAWLER_MIRRORS={elsewhere}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=NO_PROXY_ENV,
    )
    assert done.returncode == 1, done.stderr
    assert "nothing to crawl" in done.stderr
    report = json.loads(next((out / "runs").glob("*.json")).read_text())
    assert report["forces"]["kent"]["finish_reason"] == "failed"
    shown = subprocess.run(
        [sys.executable, "-m", "newscrawler", "state", "--data", str(out)], capture_output=True, text=True
    )
    assert shown.stdout.splitlines()[1].split()[4:] == ["failed", "0", "0"]


# ---- a read-only data folder ----------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A data folder with records, a state and a run, and the command prefix under which it is
    read-only: a read-only bind mount of its own for root (whom permissions do not stop), the
    permission bits for anyone else."""
    data = tmp_path / "data"
    with State.open(data) as state:
        state.save(ArticleWriter(data), article(), force="kent")
        run = state.begin_run(datetime.now(UTC), ["kent"])
        state.end_run(run, datetime.now(UTC), "finished", {"kent": {"new": 1}})
    if os.geteuid() != 0:
        paths = [data, *data.rglob("*")]
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
        yield data, []
        for path in paths:
            path.chmod(path.stat().st_mode | 0o200)
        return
    if shutil.which("unshare") is None:
        pytest.skip("root, and no unshare to mount the folder read-only")
    prefix = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(data)]
    probe = subprocess.run([*prefix, "touch", str(data / "probe")], capture_output=True)
    if probe.returncode == 0 or (data / "probe").exists():
        pytest.skip("this machine cannot mount a folder read-only for a test")
    yield data, prefix


@pytest.mark.parametrize(
    "argv",
    [
        ["state"],
        ["state", "--check"],
        ["validate"],
        ["report", "--out", "{tmp}/report.html"],
        ["export", "--out", "{tmp}/x.jsonl"],
    ],
)
def test_reading_commands_read_a_read_only_data_folder(
    read_only: tuple[Path, list[str]], argv: list[str]
) -> None:
    data, prefix = read_only
    argv = [a.format(tmp=data.parent) for a in argv]
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "newscrawler", *argv, "--data", str(data)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_report_says_how_many_record_files_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ArticleWriter(data).write(article())
    (data / "news" / "Kent" / "broken.md").write_bytes(b"\xff\xfe not a record")
    assert status(["report", "--data", str(data), "--out", str(tmp_path / "r.html")]) == 0
    assert "1 record file(s) could not be read and are left out" in capsys.readouterr().err
