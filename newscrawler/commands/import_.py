"""``newscrawler import``: take an archive in the public police-news layout into the data folder.

The archive is a folder holding ``news/<Area>/*.md`` or a tar of one (``.tar.xz`` is read as a
stream, never unpacked). Records already in the five-key format are written byte for byte; the
others are normalised as the crawler normalises pages. Prints per area how many records were
taken, and lists the ones that were not, with why, in a TSV file.
"""
# The module is import_ because import is a Python keyword; the command is `import`.

from __future__ import annotations

import argparse
import lzma
import sys
import tarfile
from pathlib import Path

from newscrawler.commands.common import add_command, add_data_folder
from newscrawler.importer import ImportSourceError, import_archive
from newscrawler.runs import RunLockedError
from newscrawler.state import StateError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "import",
        help="import an archive in the public police-news layout (folder or .tar.xz)",
        description=__doc__,
        examples=(
            "newscrawler import ../shared/police-news/police-news.tar.xz",
            "newscrawler import /tmp/police-news --data /srv/police-news",
        ),
    )
    p.add_argument("source", type=Path, metavar="ARCHIVE_DIR_OR_TAR", help="the archive to import")
    add_data_folder(p, "the data folder to write", old_out=True)
    p.add_argument(
        "--skipped",
        type=Path,
        metavar="FILE",
        help="where to list the records not taken (default: DIR/logs/import-skipped.tsv)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    skipped = args.skipped or args.data / "logs" / "import-skipped.tsv"
    try:
        report = import_archive(args.source, args.data, skipped)
    except (tarfile.TarError, EOFError, lzma.LZMAError) as exc:
        print(
            f"newscrawler import: cannot read {args.source}: the archive is damaged or cut short ({exc})",
            file=sys.stderr,
        )
        return 1
    except (ImportSourceError, RunLockedError, StateError) as exc:
        print(f"newscrawler import: {exc}", file=sys.stderr)
        return 1
    print(report.table())
    overall = report.overall
    print(f"\n{report.written} records written to {args.data}, {overall.skipped} not taken", end="")
    if overall.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in report.reasons.most_common())
        print(f" ({reasons}): listed in {skipped}")
    else:
        print()
    if report.renamed:
        print(
            f"{report.renamed} records written under the name the format gives them (sha1 of the url, "
            "in the area's folder): the archive had them under another"
        )
    return 0
