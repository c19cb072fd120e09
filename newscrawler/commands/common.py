"""What the subcommands' parsers share: how a subcommand is added (help, description, examples),
the output folder arguments, and the options of the commands that fetch pages."""

from __future__ import annotations

import argparse
from pathlib import Path

#: The output folder every command uses when none is named.
DATA = Path("data")


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str | None,
    examples: tuple[str, ...],
) -> argparse.ArgumentParser:
    """A subcommand's parser: its one-line help, its description as written, and its example
    command lines under one ``examples:`` heading (spelt the way argparse spells its own)."""
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "".join(f"  {line}\n" for line in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_data_dir(p: argparse.ArgumentParser, help: str) -> None:
    """The optional positional DATA_DIR of commands that read an output folder."""
    p.add_argument(
        "data_dir", type=Path, nargs="?", default=DATA, metavar="DATA_DIR", help=f"{help} (default: data)"
    )


def add_out_dir(p: argparse.ArgumentParser) -> None:
    """``--out``, the output folder of commands that write or look after one."""
    p.add_argument("--out", type=Path, default=DATA, help="output folder (default: data)")


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
