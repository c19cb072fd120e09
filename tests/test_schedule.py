"""`newscrawler schedule`: the crontab line and systemd units it prints, and installing them
into a temporary HOME and a fake crontab."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.commands.schedule import (
    Job,
    ScheduleError,
    cron_entry,
    cron_times,
    on_calendar,
    parse_every,
    systemd_units,
)


def job(out: str = "/srv/police-news", every: str = "1h", forces: tuple[str, ...] | None = None) -> Job:
    return Job(out=Path(out), forces=forces, every=parse_every(every), python="/venv/bin/python")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("15m", 15),
        ("30min", 30),
        ("60m", 60),
        ("1h", 60),
        ("6h", 360),
        ("24h", 1440),
        ("1d", 1440),
        ("7d", 10080),
        ("1w", 10080),
    ],
)
def test_periods_cron_can_keep(text: str, minutes: int) -> None:
    assert parse_every(text).minutes == minutes


@pytest.mark.parametrize("text", ["7m", "5h", "3d", "2w", "0m", "hourly", "1y", ""])
def test_periods_cron_cannot_keep_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_every(text)


def test_minute_is_spread_by_folder_and_stable() -> None:
    assert job("/a").minute == job("/a").minute
    assert len({job(f"/srv/{n}").minute for n in range(20)}) > 1
    assert all(0 <= job(f"/srv/{n}", "15m").minute < 15 for n in range(20))


@pytest.mark.parametrize(
    ("every", "cron", "calendar"),
    [
        ("1m", "* * * * *", "*-*-* *:*:00"),
        ("15m", "{m}-59/15 * * * *", "*-*-* *:{m:02d}/15:00"),
        ("1h", "{m} * * * *", "*-*-* *:{m:02d}:00"),
        ("6h", "{m} {h}-23/6 * * *", "*-*-* {h:02d}/6:{m:02d}:00"),
        ("1d", "{m} {h} * * *", "*-*-* {h:02d}:{m:02d}:00"),
        ("1w", "{m} {h} * * {d}", "{day} *-*-* {h:02d}:{m:02d}:00"),
    ],
)
def test_cron_and_systemd_times_agree(every: str, cron: str, calendar: str) -> None:
    j = job(every=every)
    day = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")[j.weekday]
    fields = {"m": j.minute, "h": j.hour, "d": j.weekday, "day": day}
    assert cron_times(j) == cron.format(**fields)
    assert on_calendar(j) == calendar.format(**fields)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
@pytest.mark.parametrize("every", ["1m", "15m", "1h", "6h", "1d", "1w"])
def test_systemd_accepts_the_calendar(every: str) -> None:
    result = subprocess.run(
        ["systemd-analyze", "calendar", on_calendar(job(every=every))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_cron_line_runs_the_crawl_and_logs_to_a_file() -> None:
    line = cron_entry(job(forces=("kent", "essex")))
    minute = job().minute
    assert line == (
        f"{minute} * * * * mkdir -p /srv/police-news/logs && /venv/bin/python -m newscrawler crawl"
        " kent essex --data /srv/police-news >> /srv/police-news/logs/cron.log 2>&1"
        " # newscrawler schedule --data /srv/police-news"
    )


def test_cron_line_quotes_paths_and_escapes_percent() -> None:
    line = cron_entry(job("/srv/my news/100%"))
    assert "'/srv/my news/100\\%/logs/cron.log'" in line
    assert "%" not in line.replace("\\%", "")


def test_systemd_units() -> None:
    j = job("/srv/police news", every="1d")
    units = systemd_units(j)
    assert list(units) == [f"{j.name}.service", f"{j.name}.timer"]
    assert j.name.startswith("newscrawler-police-news-")
    service = units[f"{j.name}.service"]
    assert "Type=oneshot" in service
    assert 'ExecStart=/venv/bin/python -m newscrawler crawl --all --data "/srv/police news"\n' in service
    timer = units[f"{j.name}.timer"]
    assert f"OnCalendar={on_calendar(j)}\n" in timer
    assert "Persistent=true" in timer and "WantedBy=timers.target" in timer


def test_command_prints_a_crontab_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "kent,Essex", "--every", "1h", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert f"{sys.executable} -m newscrawler crawl kent essex --data {tmp_path} >> " in out
    assert f"{tmp_path}/logs/cron.log 2>&1" in out


def test_command_prints_systemd_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--systemd", "--all", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[Service]" in out and "[Timer]" in out and "OnCalendar=" in out
    assert f"crawl --all --data {tmp_path}" in out


def test_command_refuses_unknown_forces_and_bad_periods(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schedule", "nowhere-shire", "--data", str(tmp_path)]) == 2
    assert "unknown force" in capsys.readouterr().err
    assert main(["schedule", "--all", "--every", "7m", "--data", str(tmp_path)]) == 2
    assert "cannot be kept exactly" in capsys.readouterr().err


FAKE_CRONTAB = """#!/bin/sh
# A stand-in for crontab(1) that keeps the table in $CRONTAB_FILE.
if [ "$1" = "-l" ]; then
    [ -f "$CRONTAB_FILE" ] || { echo "no crontab for $USER" >&2; exit 1; }
    cat "$CRONTAB_FILE"
elif [ "$1" = "-" ]; then
    cat > "$CRONTAB_FILE"
else
    exit 2
fi
"""


@pytest.fixture
def fake_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "crontab"
    script.write_text(FAKE_CRONTAB)
    script.chmod(0o755)
    table = tmp_path / "crontab.txt"
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("CRONTAB_FILE", str(table))
    return table


def test_install_crontab_merges_idempotently(
    tmp_path: Path, fake_crontab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "data"
    assert main(["schedule", "--all", "--every", "1h", "--data", str(out), "--install"]) == 0
    first = fake_crontab.read_text()
    assert first.count("\n") == 1 and "newscrawler crawl --all" in first
    assert (out / "logs").is_dir()
    # Someone else's line, then a second install with another period: one newscrawler line,
    # the other line kept.
    fake_crontab.write_text("0 3 * * * backup.sh\n" + first)
    assert main(["schedule", "--all", "--every", "6h", "--data", str(out), "--install"]) == 0
    lines = fake_crontab.read_text().splitlines()
    assert lines[0] == "0 3 * * * backup.sh"
    assert len(lines) == 2 and "-23/6 * * *" in lines[1]
    again = fake_crontab.read_text()
    assert main(["schedule", "--all", "--every", "6h", "--data", str(out), "--install"]) == 0
    assert fake_crontab.read_text() == again
    # Another output folder is another job.
    assert main(["schedule", "--all", "--data", str(tmp_path / "other"), "--install"]) == 0
    assert len(fake_crontab.read_text().splitlines()) == 3
    assert "installed in your crontab" in capsys.readouterr().out


def test_install_replaces_the_line_an_earlier_version_wrote(tmp_path: Path, fake_crontab: Path) -> None:
    out = (tmp_path / "data").resolve()
    fake_crontab.write_text(
        f"5 * * * * python -m newscrawler crawl --all --out {out} >> x 2>&1"
        f" # newscrawler schedule --out {out}\n"
    )
    assert main(["schedule", "--all", "--data", str(out), "--install"]) == 0
    lines = fake_crontab.read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"# newscrawler schedule --data {out}")


def test_install_crontab_without_cron(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["schedule", "--all", "--data", str(tmp_path), "--install"]) == 1
    assert "--systemd" in capsys.readouterr().err


def test_install_systemd_into_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    out = tmp_path / "data"
    assert main(["schedule", "--all", "--systemd", "--every", "1d", "--data", str(out), "--install"]) == 0
    j = Job(out=out, forces=None, every=parse_every("1d"))
    folder = home / ".config" / "systemd" / "user"
    assert sorted(p.name for p in folder.iterdir()) == [f"{j.name}.service", f"{j.name}.timer"]
    assert (folder / f"{j.name}.timer").read_text() == systemd_units(j)[f"{j.name}.timer"]
    printed = capsys.readouterr().out
    assert f"systemctl --user enable --now {j.name}.timer" in printed
