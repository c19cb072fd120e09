"""``newscrawler state``: what the incremental state knows, per force; or reset one force.

Shows per force: records, newest article, last run (start, how the force ended in it, how
many pages failed in it), and article urls that are currently failing. `--forget FORCE` drops
one force's state (its files stay), so its next run is a full one; `--remove URL` deletes one
article: its file, its row and its earlier versions (docs/personal-data.md); `--check` compares
the state with the record files. Only `--forget` and `--remove` write: the others read a
read-only folder too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.commands.common import UsageError, add_command, add_data_folder
from newscrawler.forces import UnknownForceError, registry
from newscrawler.record import iter_files, url_key
from newscrawler.runs import RunLock, RunLockedError
from newscrawler.state import State, StateError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "state",
        help="show the incremental state per force, or --forget one force",
        description=__doc__,
        examples=(
            "newscrawler state",
            "newscrawler state --data /srv/police-news",
            "newscrawler state --forget kent    # next run of kent is a full one",
            "newscrawler state --check          # state and files agree?",
            "newscrawler state --remove https://www.kent.police.uk/news/kent/news/…/some-article/",
        ),
    )
    add_data_folder(p, "the data folder", old_out=True)
    action = p.add_mutually_exclusive_group()
    action.add_argument("--forget", metavar="FORCE", help="reset one force's state (files stay)")
    action.add_argument("--check", action="store_true", help="report where the state and the files disagree")
    action.add_argument(
        "--remove", metavar="URL", help="delete one article: its file, its state and its earlier versions"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.forget:
        try:
            force = registry().get(args.forget).slug
        except UnknownForceError as exc:
            raise UsageError(str(exc)) from None
    try:
        if args.forget:
            return _forget(args.data, force)
        if args.remove:
            return _remove(args.data, args.remove)
        with State.open_readonly(args.data) as state:
            return _check(state) if args.check else _show(state)
    except (StateError, RunLockedError) as exc:
        print(f"newscrawler state: {exc}", file=sys.stderr)
        return 1


def _show(state: State) -> int:
    rows = state.summary()
    if not rows:
        print(f"{state.out}: no articles or runs in the state yet")
        return 0
    # "failed": pages and records that failed in the force's last run (all of them, when the
    # site could not be reached); "failing": article urls whose last fetch failed.
    header = ("force", "records", "newest", "last run", "ended", "failed", "failing")
    table = [header] + [
        (
            s.force,
            str(s.records),
            s.newest.isoformat() if s.newest else "-",
            s.last_run or "-",
            s.last_run_reason or "-",
            "-" if s.last_run_failed is None else str(s.last_run_failed),
            str(s.failures),
        )
        for s in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [
            cell.rjust(w) if i in (1, 5, 6) else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    return 0


def _check(state: State) -> int:
    problems = state.check()
    for problem in problems:
        print(problem)
    print(f"{state.out}: " + (f"{len(problems)} problem(s)" if problems else "state and files agree"))
    return 1 if problems else 0


def _forget(out: Path, force: str) -> int:
    # Not under a running crawl's feet: the crawl would write the rows back.
    with State.open(out, create=False) as state, RunLock(out):
        count = state.forget(force)
    print(f"{force}: forgot {count} article(s); its files stay, and its next run is a full one")
    return 0


def _remove(out: Path, url: str) -> int:
    """Delete one article everywhere the archive keeps it (a record that must go)."""
    with State.open(out, create=False) as state, RunLock(out):
        known = state.known(url)
        path, versions = state.remove_article(url)
        files = [Path(out, path)] if path else []
        if known is None and not files:
            files = [p for p in iter_files(out) if p.stem == url_key(url)]
        for file in files:
            file.unlink(missing_ok=True)
    if known is None and not files:
        print(
            f"newscrawler state: {url} is not in {out} (give the url as the record's url: line shows it)",
            file=sys.stderr,
        )
        return 1
    print(
        f"{url}: removed its file and {versions} earlier version{'' if versions == 1 else 's'}; "
        "a crawl writes it again if the site still serves it"
    )
    return 0
