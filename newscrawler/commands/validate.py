"""``newscrawler validate``: check that an output folder is a sound data set.

Every record file must parse, carry the five keys with publish.date like `5 Jan 2021`, be
named by the sha1 of its url, sit in its area's folder, hold an article no other file holds
(under another spelling of its address), and agree with the state when there is one. Prints one
line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys

from newscrawler.commands.common import add_command, add_data_folder, existing_folder
from newscrawler.record import iter_files
from newscrawler.state import StateError
from newscrawler.validate import validate


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "validate",
        help="check every record file (and the state) of an output folder",
        description=__doc__,
        examples=("newscrawler validate", "newscrawler validate --data /srv/police-news"),
    )
    add_data_folder(p, "the data folder to check", old_positional=True)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    data = existing_folder(args.data)
    problems = 0
    try:
        for line in validate(data):
            print(line)
            problems += 1
    except StateError as exc:
        print(f"newscrawler validate: {exc}", file=sys.stderr)
        return 1
    files = sum(1 for _ in iter_files(data))
    print(f"{files} record files in {data}: {problems or 'no'} problems", file=sys.stderr)
    return 1 if problems else 0
