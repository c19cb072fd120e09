"""The command line: arguments checked before anything is fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawler.cli import main


@pytest.mark.parametrize(
    "argv, message",
    [
        (["crawl"], "name at least one force"),
        (["crawl", "kentt"], "unknown force 'kentt'. Did you mean kent"),
        (["crawl", "kent", "--since", "31/01/2024"], "bad date '31/01/2024'"),
        (["crawl", "kent", "--since", "2024-02-01", "--until", "2024-01-01"], "is after --until"),
        (["crawl", "kent", "--mirror", "nonsense"], "ORIGIN=URL"),
        (["crawl", "kent", "-s", "NOEQUALS"], "NAME=VALUE"),
        (["scrape", "https://example.com/news/x"], "no force has a site at https://example.com/news/x"),
        (["parse", "a.html", "b.html", "--url", "https://www.kent.police.uk/x"], "2 pages but 1 --url"),
    ],
)
def test_bad_input_is_a_clear_error_before_any_fetch(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([*argv, *(["--out", str(tmp_path)] if argv[0] == "crawl" else [])]) == 2
    assert message in capsys.readouterr().err


def test_unwritable_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["crawl", "kent", "--out", str(blocker / "out")]) == 2
    assert "cannot write to output folder" in capsys.readouterr().err


def test_help_lists_commands_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["crawl", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--since" in out and "--mirror" in out
