"""``newscrawler schedule``: run the crawl regularly, with cron or a systemd user timer.

Prints a crontab line (default) or a systemd user service + timer (``--systemd``) that runs
``newscrawler crawl`` every ``--every`` (15m, 1h, 6h, 1d, 1w …) on the forces named, or
``--all``. With ``--install`` it installs them for the current user: the crontab line is merged
into the existing crontab (installing twice changes nothing), the units go into
``~/.config/systemd/user/``. Cron runs log to ``<data>/logs/cron.log``; systemd runs log to the
journal. A run that finds the previous one still going exits at once (the data folder's lock).

The minute is spread by the data folder's path, so that many installs do not all start at :00.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newscrawler.commands.common import UsageError, add_command, add_data_folder, add_forces, chosen_forces
from newscrawler.record import atomic_write

LOG_FILE = Path("logs", "cron.log")
_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


class ScheduleError(ValueError):
    """A schedule that cannot be expressed, or installed."""


@dataclass(frozen=True)
class Every:
    """A period cron and systemd can both keep exactly."""

    text: str
    minutes: int


def parse_every(text: str) -> Every:
    """``15m``, ``1h``, ``6h``, ``1d``, ``1w`` → an :class:`Every`; periods cron cannot keep
    exactly (7m, 5h, 3d) are refused rather than run at uneven intervals."""
    match = re.fullmatch(r"\s*(\d+)\s*(m|min|h|d|w)\s*", text.lower())
    if not match:
        raise ScheduleError(f"--every {text!r}: give a number and a unit, e.g. 15m, 1h, 1d, 1w")
    n, unit = int(match[1]), match[2][0]
    ok = {
        "m": n > 0 and 60 % n == 0,
        "h": n > 0 and 24 % n == 0,
        "d": n in (1, 7),
        "w": n == 1,
    }[unit]
    if not ok:
        raise ScheduleError(
            f"--every {text!r} cannot be kept exactly by cron: use minutes that divide an hour "
            "(1m … 30m, 60m), hours that divide a day (1h … 12h, 24h), 1d or 1w"
        )
    minutes = n * {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}[unit]
    return Every(text=text.strip(), minutes=minutes)


@dataclass(frozen=True)
class Job:
    """What a scheduled run does: crawl some forces (None: all) into an output folder."""

    out: Path  # absolute
    forces: tuple[str, ...] | None
    every: Every
    python: str = sys.executable

    @property
    def argv(self) -> list[str]:
        """The crawl command, with the interpreter of this install (cron's PATH is bare)."""
        which = ["--all"] if self.forces is None else list(self.forces)
        return [self.python, "-m", "newscrawler", "crawl", *which, "--data", str(self.out)]

    @property
    def _seed(self) -> int:
        return int(hashlib.sha1(str(self.out).encode("utf-8")).hexdigest(), 16)

    @property
    def minute(self) -> int:
        return self._seed % min(self.every.minutes, 60)

    @property
    def hour(self) -> int:
        return (self._seed // 60) % min(self.every.minutes // 60 or 1, 24)

    @property
    def weekday(self) -> int:
        return (self._seed // (60 * 24)) % 7

    @property
    def name(self) -> str:
        """The systemd unit name, one per output folder."""
        base = re.sub(r"[^a-z0-9]+", "-", self.out.name.lower()).strip("-") or "out"
        return f"newscrawler-{base}-{hashlib.sha1(str(self.out).encode()).hexdigest()[:6]}"

    @property
    def marker(self) -> str:
        """The comment that names this job's crontab line, so an install replaces it."""
        return f"# newscrawler schedule --data {self.out}"

    @property
    def old_marker(self) -> str:
        """The marker earlier versions wrote (``--out``): their line is replaced too."""
        return f"# newscrawler schedule --out {self.out}"


def cron_times(job: Job) -> str:
    """The five time fields of the crontab line."""
    n, m = job.every.minutes, job.minute
    if n < 60:
        return "* * * * *" if n == 1 else f"{m}-59/{n} * * * *"
    if n < 24 * 60:
        hours = "*" if n == 60 else f"{job.hour}-23/{n // 60}"
        return f"{m} {hours} * * *"
    if n == 24 * 60:
        return f"{m} {job.hour} * * *"
    return f"{m} {job.hour} * * {job.weekday}"


def on_calendar(job: Job) -> str:
    """The same times as a systemd ``OnCalendar=`` expression."""
    n, m = job.every.minutes, job.minute
    if n < 60:
        return "*-*-* *:*:00" if n == 1 else f"*-*-* *:{m:02d}/{n}:00"
    if n < 24 * 60:
        hours = "*" if n == 60 else f"{job.hour:02d}/{n // 60}"
        return f"*-*-* {hours}:{m:02d}:00"
    day = "" if n == 24 * 60 else f"{_DAYS[job.weekday]} "
    return f"{day}*-*-* {job.hour:02d}:{m:02d}:00"


def cron_entry(job: Job) -> str:
    """One crontab line: creates the log folder, runs the crawl, appends to cron.log."""
    log = job.out / LOG_FILE
    command = (
        f"mkdir -p {shlex.quote(str(log.parent))} && {shlex.join(job.argv)} >> {shlex.quote(str(log))} 2>&1"
    )
    # cron turns an unescaped % into a newline.
    return f"{cron_times(job)} {command} {job.marker}".replace("%", r"\%")


def _systemd_quote(arg: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_./:=,+@-]+", arg):
        arg = '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # % starts a unit specifier and $ a variable: both doubled to stay literal.
    return arg.replace("%", "%%").replace("$", "$$")


def systemd_units(job: Job) -> dict[str, str]:
    """The service and timer files, by file name."""
    forces = "all forces" if job.forces is None else ", ".join(job.forces)
    service = (
        f"# Written by `newscrawler schedule --systemd`. Logs: journalctl --user -u {job.name}\n"
        "[Unit]\n"
        f"Description=newscrawler: UK police news ({forces}) into {job.out}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        "Environment=PYTHONUNBUFFERED=1\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in job.argv)}\n"
    )
    timer = (
        "# Written by `newscrawler schedule --systemd`.\n"
        "[Unit]\n"
        f"Description=Run {job.name}.service every {job.every.text}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={on_calendar(job)}\n"
        "# A run missed while the machine was off happens at the next boot.\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{job.name}.service": service, f"{job.name}.timer": timer}


def systemd_user_dir() -> Path:
    """Where systemd looks for a user's own units."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config, "systemd", "user")


def install_systemd(job: Job) -> list[Path]:
    """Write the units into the user's systemd folder; returns their paths."""
    folder = systemd_user_dir()
    paths = []
    for name, text in systemd_units(job).items():
        atomic_write(folder / name, text.encode("utf-8"))
        paths.append(folder / name)
    return paths


def install_crontab(job: Job) -> str:
    """Merge the job's line into the user's crontab (replacing an earlier line for the same
    output folder, keeping every other line); returns the new crontab."""
    try:
        listed = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ScheduleError("no `crontab` command here: install cron, or use --systemd") from None
    if listed.returncode != 0 and "no crontab" not in listed.stderr.lower():
        raise ScheduleError(f"`crontab -l` failed: {listed.stderr.strip()}")
    current = listed.stdout if listed.returncode == 0 else ""
    markers = tuple(m.replace("%", r"\%") for m in (job.marker, job.old_marker))
    lines = [line for line in current.splitlines() if not line.rstrip().endswith(markers)]
    lines.append(cron_entry(job))
    text = "\n".join(lines) + "\n"
    (job.out / LOG_FILE).parent.mkdir(parents=True, exist_ok=True)
    written = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True)
    if written.returncode != 0:
        raise ScheduleError(f"`crontab -` failed: {written.stderr.strip()}")
    return text


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "schedule",
        help="print or install a crontab line / systemd timer that runs the crawl regularly",
        description=__doc__,
        examples=(
            "newscrawler schedule --all --every 1h --data /srv/police-news",
            "newscrawler schedule kent essex --every 6h --install",
            "newscrawler schedule --all --every 1d --systemd --install",
        ),
    )
    add_forces(p, every_by_default=False, old_option=True)
    p.add_argument("--every", default="1h", help="how often: 15m, 1h, 6h, 1d, 1w (default: 1h)")
    add_data_folder(p, "the data folder the crawl writes", old_out=True)
    p.add_argument("--systemd", action="store_true", help="a systemd user timer instead of cron")
    p.add_argument("--install", action="store_true", help="install it for the current user")
    p.set_defaults(run=run)


@dataclass(frozen=True)
class Scheduler:
    """One way of running the crawl regularly: what is printed without ``--install`` (and the
    hint under it, on stderr), and what installs it (returning what to tell the user)."""

    show: Callable[[Job], str]
    hint: str
    install: Callable[[Job], str]


def _show_units(job: Job) -> str:
    return "\n".join(f"# {systemd_user_dir() / name}\n{text}" for name, text in systemd_units(job).items())


def _install_cron(job: Job) -> str:
    install_crontab(job)
    return (
        f"installed in your crontab (every {job.every.text}; see `crontab -l`):\n"
        f"{cron_entry(job)}\n"
        f"runs log to {job.out / LOG_FILE}"
    )


def _install_units(job: Job) -> str:
    wrote = "".join(f"wrote {path}\n" for path in install_systemd(job))
    return (
        f"{wrote}Now enable it:\n"
        f"  systemctl --user daemon-reload && systemctl --user enable --now {job.name}.timer\n"
        "To keep it running while you are logged out: loginctl enable-linger $USER\n"
        f"Logs: journalctl --user -u {job.name}.service"
    )


CRON = Scheduler(cron_entry, "# add it with `crontab -e`, or run this again with --install", _install_cron)
SYSTEMD = Scheduler(_show_units, "# install with --install, then enable the timer", _install_units)


def run(args: argparse.Namespace) -> int:
    scheduler = SYSTEMD if args.systemd else CRON
    chosen = chosen_forces(args)
    forces = tuple(f.slug for f in chosen) if chosen is not None else None
    try:
        every = parse_every(args.every)
    except ScheduleError as exc:
        raise UsageError(str(exc)) from None
    job = Job(out=args.data.resolve(), forces=forces, every=every)
    try:
        if args.install:
            print(scheduler.install(job))
        else:
            print(scheduler.show(job))
            print(scheduler.hint, file=sys.stderr)
    except ScheduleError as exc:
        print(f"newscrawler schedule: {exc}", file=sys.stderr)
        return 1
    return 0
