"""HTML to Markdown in the archive's style.

The archive's bodies are html2text output with links and images ignored and no wrapping, then
tidied: runs of spaces collapsed to one, trailing spaces removed, runs of blank lines collapsed
to one (SOURCES.md). html2text is used rather than our own converter because matching its
escapes and list markers byte for byte is the point.
"""

from __future__ import annotations

import re

import html2text

_SPACES = re.compile(r" {2,}")
_BLANKS = re.compile(r"\n{3,}")


def _converter() -> html2text.HTML2Text:
    h = html2text.HTML2Text()
    h.ignore_links = True
    h.ignore_images = True
    h.body_width = 0
    h.unicode_snob = True
    return h


def tidy(text: str) -> str:
    """Collapse space runs, drop trailing spaces and repeated blank lines, trim the ends."""
    # (A run of spaces never spans lines: collapsed in one pass over the text.)
    lines = [line.rstrip() for line in _SPACES.sub(" ", text.replace("\r\n", "\n")).split("\n")]
    out = "\n".join(lines)
    out = _BLANKS.sub("\n\n", out)
    return out.strip("\n")


def html_to_markdown(html: str) -> str:
    """A fragment of article HTML as a tidy Markdown body (no final newline)."""
    return tidy(_converter().handle(html))
