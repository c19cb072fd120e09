"""``newscrawler format``: read record files and write them back in the exact format.

Useful to check a file, or to normalise files edited by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.commands.common import add_command, os_error_message
from newscrawler.record import RecordError, atomic_write, read


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "format",
        help="check record files (or rewrite them with --write) in the exact format",
        description=__doc__,
        examples=("newscrawler format data/news/Kent/*.md",),
    )
    p.add_argument("files", nargs="+", type=Path, help="record files (.md)")
    p.add_argument("--write", action="store_true", help="rewrite files that differ")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8")
            article = read(path)
        except OSError as exc:
            print(f"newscrawler format: {os_error_message(exc, 'read')}", file=sys.stderr)
            status = 1
            continue
        except UnicodeDecodeError:
            print(f"{path}: not a record: not UTF-8 text", file=sys.stderr)
            status = 1
            continue
        except RecordError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if article.render() != text:
            if args.write:
                atomic_write(path, article.render().encode("utf-8"))
                print(f"{path}: rewritten")
            else:
                print(f"{path}: not in the exact format (use --write)")
                status = 1
    return status
