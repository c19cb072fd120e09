"""The conventions every subcommand follows, written once so that every command (and every new
one) behaves the same way:

- Forces: a positional list, spaces or commas between names (slugs, areas), and ``--all``
  (:func:`add_forces`, :func:`chosen_forces`); an unknown name is a usage error that says
  "Did you mean …".
- The data folder (records, state, runs, logs): ``--data DIR``, default ``data``
  (:func:`add_data_folder`), for the commands that write it and the ones that read it.
- A file a command writes: ``--out FILE`` / ``-o FILE``, ``-`` for standard output
  (:func:`add_out_file`).
- Dates: ``--since`` / ``--until`` as YYYY-MM-DD, ``--days N`` instead of ``--since``
  (:func:`add_window`, :func:`window`); counts checked by argparse (:func:`positive_int`).
- Exit status: 0 done; 1 the work failed (:class:`CommandError`, a file that cannot be read…);
  2 the command line is wrong (:class:`UsageError`, and argparse's own errors). A message is
  one line, ``newscrawler COMMAND: …``, never a traceback (:func:`os_error_message`).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newscrawler.dates import parse_cli_date
from newscrawler.forces import Force, UnknownForceError, registry
from newscrawler.mirrors import Mirrors

#: The data folder every command uses when none is named.
DATA = Path("data")
#: ``--out -``: standard output.
STDOUT = "-"
#: Exit statuses.
FAILED = 1
USAGE = 2


class UsageError(ValueError):
    """A command line that cannot be right, whatever the files or the network say: exit 2."""


class CommandError(RuntimeError):
    """The command could not do its work (a missing folder, an unreadable file): exit 1."""


# ---- how a subcommand is added -------------------------------------------------------------

_ROLE = re.compile(r":[a-z]+:`~?([^`]*)`")


def plain_text(text: str) -> str:
    """Help text as a reader sees it: reStructuredText roles and double backquotes (written for
    the docstrings the help is taken from) become plain words and single backquotes."""
    return _ROLE.sub(r"\1", text).replace("``", "`")


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str | None,
    examples: tuple[str, ...],
) -> argparse.ArgumentParser:
    """A subcommand's parser: its one-line help, its description as written (in plain text),
    and its example command lines under one ``examples:`` heading (spelt the way argparse
    spells its own)."""
    return sub.add_parser(
        name,
        help=plain_text(help),
        description=plain_text(description) if description else None,
        epilog="examples:\n" + "".join(f"  {line}\n" for line in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


# ---- the data folder and output files ------------------------------------------------------


class _OldDataPositional(argparse.Action):
    """The data folder given the old way, as a positional: taken as ``--data``."""

    def __call__(self, parser: Any, namespace: argparse.Namespace, values: Any, option: Any = None) -> None:
        if values is not None:
            namespace.data = values


def add_data_folder(
    p: argparse.ArgumentParser,
    help: str,
    *,
    default: Path | None = DATA,
    old_out: bool = False,
    old_positional: bool = False,
) -> None:
    """``--data DIR`` (``args.data``, a Path): the data folder a command writes or reads.

    Earlier spellings still work, unlisted: ``--out DIR`` (``old_out``, kept for installed
    crontabs) and a positional folder (``old_positional``). New commands take neither.
    """
    shown = f" (default: {default})" if default is not None else ""
    p.add_argument("--data", "-d", type=Path, default=default, metavar="DIR", help=help + shown)
    if old_out:
        p.add_argument("--out", dest="data", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    if old_positional:
        p.add_argument(
            "old_data", nargs="?", type=Path, default=None, action=_OldDataPositional, help=argparse.SUPPRESS
        )


def add_out_file(p: argparse.ArgumentParser, help: str, *, default: str | None = None) -> None:
    """``--out FILE`` / ``-o FILE`` (``args.out``, a string): the file a command writes; ``-``
    is standard output. Required when there is no default."""
    where = f"default: {default}; " if default else ""
    p.add_argument(
        "--out",
        "-o",
        default=default,
        required=default is None,
        metavar="FILE",
        help=f"{help} ({where}- for standard output)",
    )


def existing_folder(path: Path) -> Path:
    """``path``, when it is a folder; else a :class:`CommandError` saying what it is."""
    if path.is_dir():
        return path
    if path.exists():
        raise CommandError(f"{path} is a file, not a data folder: name the folder (--data DIR)")
    raise CommandError(f"no folder {path}: name the data folder of a crawl (--data DIR)")


# ---- forces --------------------------------------------------------------------------------


def add_forces(p: argparse.ArgumentParser, *, every_by_default: bool, old_option: bool = False) -> None:
    """Positional FORCE names (spaces or commas between them) and ``--all``. Commands that
    fetch or schedule need one or the other; the ones that read take every force by default.
    ``old_option`` keeps the earlier ``--forces a,b`` working, unlisted."""
    default = " (default: every force)" if every_by_default else ""
    p.add_argument(
        "forces",
        nargs="*",
        metavar="FORCE",
        help=f"force slugs or areas, spaces or commas between them{default}",
    )
    p.add_argument("--all", action="store_true", help="every force")
    if old_option:
        p.add_argument("--forces", dest="old_forces", action="append", default=[], help=argparse.SUPPRESS)
    p.set_defaults(every_by_default=every_by_default)


def chosen_forces(args: argparse.Namespace) -> list[Force] | None:
    """The forces named on the command line, in order; None for every force. Raises
    :class:`UsageError` for unknown names (with "Did you mean …") or a choice not made."""
    names = [*args.forces, *getattr(args, "old_forces", [])]
    if names and args.all:
        raise UsageError("name forces or give --all, not both")
    if not names:
        if args.all or args.every_by_default:
            return None
        raise UsageError("name at least one force, or --all (`newscrawler forces` lists them)")
    try:
        return registry().resolve(names)
    except UnknownForceError as exc:
        folders = [n for n in names if Path(n).is_dir()]
        if folders:  # the data folder given the way some commands once took it
            raise UsageError(
                f"{folders[0]} is a folder, not a force: name the data folder with --data"
            ) from None
        raise UsageError(str(exc)) from None


def mirrored_forces(forces: list[Force] | None, mirrors: Mirrors) -> list[Force] | None:
    """With ``--mirror``, only mirrored sites are fetched: the forces that have one (of every
    force, for ``--all``). A mirror that serves none of the chosen forces' sites, or a force
    named that has no mirrored site, is a :class:`UsageError`: the run could fetch nothing
    for it."""
    if not mirrors:
        return forces
    candidates = list(registry()) if forces is None else forces
    for origin, base in mirrors.as_dict().items():
        one = Mirrors({origin: base})
        if not any(one.covers(s.origin) for f in candidates for s in f.sites):
            which = "any force" if forces is None else ", ".join(f.slug for f in forces)
            raise UsageError(f"--mirror {origin}={base} serves no site of {which}")
    reached = [f for f in candidates if any(mirrors.covers(s.origin) for s in f.sites)]
    if forces is not None and len(reached) < len(forces):
        left = [f for f in forces if f not in reached]
        sites = "; ".join(f"{f.slug}: {', '.join(s.origin for s in f.sites)}" for f in left)
        raise UsageError(f"no --mirror serves a site of {', '.join(f.slug for f in left)} ({sites})")
    return reached


# ---- dates and counts ----------------------------------------------------------------------


def cli_date(text: str) -> date:
    """An ISO date argument (argparse type)."""
    try:
        return parse_cli_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _integer(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{value} is less than {least}")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1 (argparse type)."""
    return _integer(text, 1)


def non_negative_int(text: str) -> int:
    """A whole number of at least 0 (argparse type)."""
    return _integer(text, 0)


def add_window(p: argparse.ArgumentParser, *, days: bool) -> None:
    """``--since`` / ``--until`` (and ``--days N``, the last N days, instead of ``--since``)."""
    for name, which in (("--since", "on or after"), ("--until", "on or before")):
        p.add_argument(name, type=cli_date, metavar="YYYY-MM-DD", help=f"only articles published {which}")
    if days:
        p.add_argument(
            "--days", type=non_negative_int, metavar="N", help="only the last N days (instead of --since)"
        )


def window(args: argparse.Namespace, today: date | None = None) -> tuple[date | None, date | None]:
    """(since, until) from :func:`add_window`'s options; :class:`UsageError` when they
    contradict each other."""
    since, until = args.since, args.until
    days = getattr(args, "days", None)
    if days is not None:
        if since is not None:
            raise UsageError("give --since or --days, not both")
        since = (today or date.today()) - timedelta(days=days)
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    return since, until


# ---- fetching ------------------------------------------------------------------------------


def add_mirror_option(p: argparse.ArgumentParser, help: str) -> None:
    """``--mirror ORIGIN=URL`` (repeatable) of commands that fetch a force's pages."""
    p.add_argument("--mirror", action="append", default=[], metavar="ORIGIN=URL", help=help)


def add_fetch_options(p: argparse.ArgumentParser) -> None:
    """Options every crawling command takes: mirrors and setting overrides."""
    add_mirror_option(
        p,
        "fetch ORIGIN's pages from URL (may carry a path prefix); records keep ORIGIN's "
        "URLs. Repeatable. When given, only mirrored sites are fetched.",
    )
    add_settings_option(p)


def add_talk_options(p: argparse.ArgumentParser, what: str) -> None:
    """``-q`` / ``-v`` of the commands that run a crawl (``what``: "crawl", "back-fill")."""
    talk = p.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="no progress; only forces that failed, at the end"
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", help=f"also show each article and the {what}'s warnings"
    )


def talk_settings(settings: Any, args: argparse.Namespace) -> None:
    """What ``-q`` / ``-v`` set for the run."""
    if args.quiet:
        settings.set("NEWSCRAWLER_PROGRESS", "quiet", priority="cmdline")
    if args.verbose:
        settings.set("NEWSCRAWLER_VERBOSE", True, priority="cmdline")


def add_settings_option(p: argparse.ArgumentParser) -> None:
    """``-s NAME=VALUE`` (repeatable): a Scrapy or newscrawler setting for this run."""
    p.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy or newscrawler setting (repeatable)",
    )


# ---- messages ------------------------------------------------------------------------------

_WHY = {
    errno.ENOENT: "no such file or folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EEXIST: "it already exists",
    errno.EADDRINUSE: "the address is already in use",
    errno.ECONNREFUSED: "the connection was refused",
}


def os_error_message(exc: OSError, doing: str | None = None) -> str:
    """``cannot read data/x.md: no such file or folder`` (with ``doing="read"``), or
    ``data/x.md: no such file or folder``, instead of ``[Errno 2] No such file or directory:
    'data/x.md'``."""
    if exc.errno is None:  # raised with a message of ours, already in words
        return str(exc)
    why = _WHY.get(exc.errno) or (exc.strerror or str(exc)).lower()
    what = os.fsdecode(exc.filename) if exc.filename is not None else None
    if doing is None:
        return f"{what}: {why}" if what else why
    return f"cannot {doing} {what}: {why}" if what else f"cannot {doing}: {why}"
