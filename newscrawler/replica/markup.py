"""Record bodies (the archive's Markdown) back to HTML, for the replica's article pages.

The crawler turns an article's HTML into its body with ``newscrawler.markdown.html_to_markdown``
(html2text). The replica serves HTML from which that gives the record's body back byte for byte,
also after an HTML parser (lxml, as parsel uses) has read and re-serialised it.

html2text escapes little: a backslash before a Markdown character, and a ``-``, ``+`` or ``1.``
where a text node starts. Its emphasis marks take their spacing from the text around them:
the first text node inside ``<strong>``/``<em>`` is stripped, the text node after it gains a
space, and ``_`` gains one after a letter. So this module chooses where text nodes start (an
empty ``<a></a>`` anchor splits them, as Word bookmarks do in real CMS pages, and stops the added
space) and uses emphasis only where it comes out exact; a line it cannot mark up is plain text.
A line that begins with a space (html2text writes one for a paragraph starting with a
non-breaking space) is a ``<dd>``, whose indent html2text writes and tidying cuts to one space.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace

#: The characters html2text puts a backslash before when a backslash precedes them.
_SPECIALS = frozenset("\\`*_{}[]()#+-.!")
#: What html2text escapes at the start of a text node (after spaces): "1." "+" "-".
_LEAD = re.compile(r"\s*(?:\d+(?=\.\s)|\+(?=\s)|-(?=[\s-]))")
#: A text node starting with one of these gets a space after an emphasis (html2text's rule).
_SPACED = re.compile(r"[^][(){}\s.!?]")
#: Punctuation that follows emphasis without a space in real pages (html2text adds one).
_CLOSING = frozenset(",;:'’”%")
_DIGITS = re.compile(r"\d+$")
_NOTABLE = re.compile(r"[&<>\\]")
#: An empty anchor: ends a text node, and stops the space html2text adds after emphasis.
_SPLIT = "<a></a>"
_NO_SPACE_BEFORE_EM = frozenset(string.whitespace + string.punctuation)
_NO_SPACE_TAGS = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})

_HEADING = re.compile(r"(#{1,6})(?: (.*))?")
_UL_ITEM = re.compile(r" \*(?: (?P<text>.*))?")
_OL_ITEM = re.compile(r" (?P<n>\d+)\.(?: (?P<text>.*))?")
_MARKS = re.compile(r"\*\*|_")


class _Unencodable(Exception):
    """A line whose emphasis html2text would not write back as it stands."""


@dataclass
class _Segment:
    """Raw text that starts a text node; ``escaped``: html2text must escape its first mark."""

    raw: str = ""
    escaped: bool = False
    entity: bool = False


def _segments(text: str, at_end: bool) -> list[_Segment]:
    """Undo html2text's escapes in a piece of a line, cutting it where a text node must start.

    ``at_end``: the piece ends the line, so an escaped mark there may take a trailing space
    (html2text escapes "-" only before a space; tidying cuts the space at the end of a line).
    """
    segs = [_Segment()]
    pos = 0
    while m := _NOTABLE.search(text, pos):
        i = m.start()
        segs[-1].raw += text[pos:i]
        c, nxt, after = text[i], text[i + 1 : i + 2], text[i + 2 : i + 3]
        pad = " " if at_end and not after else ""
        spaced = after.isspace() or bool(pad)
        pos = i + 1
        if c in "&<>":
            segs += [_Segment(c, entity=True), _Segment()]
        elif nxt == "\\" and after and after in _SPECIALS:
            segs[-1].raw += "\\"  # html2text doubled a backslash before a Markdown character
            pos += 1
        elif (nxt == "+" and spaced) or (nxt == "-" and (spaced or after == "-")):
            segs.append(_Segment(nxt + pad, escaped=True))
            pos += 1
        elif nxt == "." and spaced and (digits := _DIGITS.search(segs[-1].raw)):
            segs[-1].raw = segs[-1].raw[: digits.start()]
            segs.append(_Segment(digits.group() + "." + pad, escaped=True))
            pos += 1
        elif nxt and nxt in _SPECIALS:
            segs[-1].raw += c  # a lone backslash: it ends its text node, so stays single
            segs.append(_Segment())
        else:
            segs[-1].raw += c
    segs[-1].raw += text[pos:]
    return [s for s in segs if s.raw]


def _safe_parts(raw: str) -> Iterator[str]:
    """``raw`` cut so that no text node starts with something html2text would escape."""
    while m := _LEAD.match(raw):
        yield raw[: m.end()]
        raw = raw[m.end() :]
    if raw:
        yield raw


@dataclass
class _Writer:
    """Inline HTML, with the html2text state that decides spacing and escapes around it."""

    parts: list[str] = field(default_factory=list)
    stressed: bool = False  # an emphasis opened and no text node yet: the next is stripped
    after_stress: bool = False  # the text node after that one gains a leading space
    last: str = ""  # last character of the last text node (html2text's preceding_data)
    tag: str = ""  # the last tag (html2text's current_tag)
    in_text: bool = False  # the last thing written is a text node
    newline: bool = False  # a newline is due before the next node

    def snapshot(self) -> tuple[int, _Writer]:
        return len(self.parts), replace(self, parts=[])

    def restore(self, saved: tuple[int, _Writer]) -> None:
        size, state = saved
        del self.parts[size:]
        for f in fields(self):
            if f.name != "parts":
                setattr(self, f.name, getattr(state, f.name))

    def element(self, markup: str, name: str) -> None:
        if self.newline:
            self.newline = False
            self._node("\n")
        self.parts.append(markup)
        self.tag = name
        self.in_text = False

    def text(self, piece: str, at_end: bool) -> None:
        for seg in _segments(piece, at_end):
            if seg.entity or seg.escaped:
                self._chunk(seg.raw, seg.entity)
            else:
                for part in _safe_parts(seg.raw):
                    self._chunk(part, False)

    def emphasis(self, kind: str, start: bool) -> None:
        if start and kind == "strong" and self.last == "*":
            raise _Unencodable("html2text would write ' **'")
        if start and kind == "em" and self.last and self.last not in _NO_SPACE_BEFORE_EM:
            raise _Unencodable("html2text would write ' _'")
        self.element(f"<{kind}>" if start else f"</{kind}>", kind)
        self.stressed = self.stressed or start

    def _chunk(self, raw: str, entity: bool) -> None:
        if self.newline:
            self.newline = False
            raw = "\n" + raw
        if self.stressed and raw[0].isspace():
            self._node(" ")  # stripped to nothing, so the space that follows survives
        elif self.stressed and not entity and raw != raw.rstrip():
            core = raw.rstrip()
            self._node(core)
            raw = raw[len(core) :]
        self._node(raw, entity)

    def _node(self, raw: str, entity: bool = False) -> None:
        split = self.in_text and not entity
        spaces = self.after_stress and not self.stressed and not split and self.tag not in _NO_SPACE_TAGS
        if spaces and raw[0] == " " and raw[1:2] in _CLOSING:
            raw = raw[1:]  # "</strong>, the": html2text writes "** ," as the archive has it
        elif spaces and _SPACED.match(raw[0]):
            split = True  # the anchor stops the space html2text would add
        if split:
            self.parts.append(_SPLIT)
            self.tag = "a"
        self.parts.append(html.escape(raw, quote=False))
        data = raw.strip() if self.stressed else raw
        self.after_stress = self.stressed
        self.stressed = False
        self.last = data[-1:]
        self.in_text = not entity


def _tokens(line: str) -> list[tuple[str, str]]:
    """A line as text and paired emphasis: ("text", s), ("open", kind), ("close", kind).

    ``**`` pairs with the next ``**``; ``_`` opens after a space or punctuation and closes
    before one. Marks left unpaired stay text.
    """
    marks: list[tuple[int, int, str, str]] = []  # (start, end, "open"/"close", kind)
    stack: list[tuple[int, str]] = []
    for m in _MARKS.finditer(line):
        kind = "strong" if m.group() == "**" else "em"
        before, after = line[m.start() - 1 : m.start()], line[m.end() : m.end() + 1]
        opened = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == kind), None)
        can_close = kind == "strong" or (before and not before.isspace() and not after.isalnum())
        if opened is not None and can_close:
            start = stack[opened][0]
            del stack[opened:]
            marks += [(start, start + len(m.group()), "open", kind), (*m.span(), "close", kind)]
        elif kind == "strong" or (
            (not before or before.isspace() or before in string.punctuation) and after and not after.isspace()
        ):
            stack.append((m.start(), kind))
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end, action, kind in sorted(marks):
        if start > pos:
            out.append(("text", line[pos:start]))
        out.append((action, kind))
        pos = end
    if pos < len(line):
        out.append(("text", line[pos:]))
    return out


def _inline(w: _Writer, line: str) -> None:
    """One line of a block: with emphasis where html2text writes it back, else as text."""
    saved = w.snapshot()
    tokens = _tokens(line)
    try:
        for i, (kind, value) in enumerate(tokens):
            if kind == "text":
                w.text(value, at_end=i == len(tokens) - 1)
            else:
                w.emphasis(value, start=kind == "open")
    except _Unencodable:
        w.restore(saved)
        w.text(line, at_end=True)


def _lines(w: _Writer, lines: list[str]) -> None:
    """A paragraph: lines joined by <br>; a line starting with a space is a <dd> (which ends
    its line, and makes the paragraph a <div>: lxml would move a <dd> out of a <p>)."""
    tag = "div" if any(line.startswith(" ") for line in lines) else "p"
    w.element(f"<{tag}>", tag)
    for i, line in enumerate(lines):
        if i and not lines[i - 1].startswith(" "):
            w.element("<br>", "br")
        w.newline = i > 0
        if line.startswith(" "):
            w.element("<dd>", "dd")
            _inline(w, line[1:])
            w.element("</dd>", "dd")
        else:
            _inline(w, line)
    w.element(f"</{tag}>", tag)


def _list_items(lines: list[str]) -> tuple[str, int, list[list[str]]] | None:
    """("ul" or "ol", first number, each item's lines) when the block is html2text's list.

    Items start " * text" or " 1. text" (its indent, tidied) numbered on from the first; other
    lines continue the item (after a <br>) and must not start with a space.
    """
    first = _OL_ITEM.fullmatch(lines[0])
    kind, pattern = ("ol", _OL_ITEM) if first else ("ul", _UL_ITEM)
    if not pattern.fullmatch(lines[0]):
        return None
    start = int(first.group("n")) if first else 1
    items: list[list[str]] = []
    for line in lines:
        m = pattern.fullmatch(line)
        if m and (kind == "ul" or m.group("n") == str(start + len(items))):
            items.append([m.group("text") or ""])
        elif line.startswith(" "):
            return None
        else:
            items[-1].append(line)
    if [""] in items:  # html2text joins an empty item to the next line
        return None
    return kind, start, items


def _list(w: _Writer, kind: str, start: int, items: list[list[str]]) -> None:
    w.element(f'<ol start="{start}">' if kind == "ol" and start != 1 else f"<{kind}>", kind)
    for i, item in enumerate(items):
        w.newline = i > 0
        w.element("<li>", "li")
        for j, line in enumerate(item):
            if j:
                w.element("<br>", "br")
                w.newline = True
            if line:
                _inline(w, line)
        w.element("</li>", "li")
    w.element(f"</{kind}>", kind)


def _quote(lines: list[str]) -> list[list[str]] | None:
    """The paragraphs of a blockquote html2text wrote as these "> " lines, if it is one."""
    if not all(line == ">" or line.startswith("> ") for line in lines):
        return None
    paras = "\n".join(line[2:] for line in lines).split("\n\n")
    if any(not p or p.startswith("\n") or p.endswith("\n") for p in paras):
        return None
    return [p.split("\n") for p in paras]


def _block(w: _Writer, lines: list[str]) -> None:
    heading = _HEADING.fullmatch(lines[0]) if len(lines) == 1 else None
    if lines == ["* * *"]:
        w.element("<hr>", "hr")
    elif heading:
        name = f"h{len(heading.group(1))}"
        w.element(f"<{name}>", name)
        if heading.group(2):
            _inline(w, heading.group(2))
        w.element(f"</{name}>", name)
    elif lines[0].startswith(">") and (paras := _quote(lines)) is not None:
        w.element("<blockquote>", "blockquote")
        for para in paras:
            w.newline = True
            _lines(w, para)
        w.element("</blockquote>", "blockquote")
    elif items := _list_items(lines):
        _list(w, *items)
    else:
        _lines(w, lines)


def markdown_to_html(body: str) -> str:
    """HTML for a record body such that ``html_to_markdown`` gives the body back."""
    w = _Writer()
    for i, block in enumerate(body.split("\n\n")):
        w.newline = i > 0
        _block(w, block.split("\n"))
    return "".join(w.parts)
