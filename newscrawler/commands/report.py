"""``newscrawler report``: one HTML page about what an output folder holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.commands.common import add_command, add_data_dir
from newscrawler.report import WORDS_WINDOW_DAYS, ReportError, collect, plural, render_html, write_html

DESCRIPTION = f"""\
Write one self-contained HTML page about an output folder: records per force per month (charts),
the newest article and the last successful crawl of each force, forces whose last crawl failed or
whose site layout was not recognised, pages that could not be archived (grouped by reason),
months with no records inside a force's span, and the top words of the last {WORDS_WINDOW_DAYS}
days of records.

It reads DATA_DIR only (news/, runs/, state.sqlite) and fetches nothing. The page needs no
network to open: styles and charts are inline, so it can be mailed or archived as one file."""

EXAMPLES = (
    "newscrawler report                                  # data/ -> report.html",
    "newscrawler report /srv/police-news --out /var/www/police-news.html",
    "newscrawler report data --out - > report.html       # to standard output",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "report",
        help="write an HTML report (charts, gaps, failures) of an output folder",
        description=DESCRIPTION,
        examples=EXAMPLES,
    )
    add_data_dir(p, "the output folder of a crawl")
    p.add_argument(
        "--out",
        "-o",
        default="report.html",
        metavar="FILE",
        help="where to write the page (default: report.html; - for standard output)",
    )
    p.set_defaults(run=run)


def fail(message: str) -> int:
    print(f"newscrawler report: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    to_stdout = args.out == "-"
    out = Path(args.out)
    if not to_stdout and out.is_dir():
        return fail(f"--out {out} is a folder: name the file to write, e.g. --out {out / 'report.html'}")
    if not to_stdout and not out.parent.is_dir():
        return fail(f"cannot write {out}: no folder {out.parent} (create it, or choose another --out)")
    try:
        report = collect(args.data_dir)
        if to_stdout:
            sys.stdout.write(render_html(report))
            return 0
        write_html(report, out)
    except ReportError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    forces = sum(1 for f in report.forces if f.records)
    print(
        f"{out}: {plural(report.records, 'record')} of {plural(forces, 'force')}, "
        f"{plural(report.runs, 'crawl')} recorded",
        file=sys.stderr,
    )
    return 0
