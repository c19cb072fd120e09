"""The publication date a page shows next to its headline, whatever its markup.

A news page carries many dates: the article's own, an "Updated" line, other articles' in a
"Latest news" sidebar or a related list (before or after the article in the document), events
in widgets, the footer's copyright year. Class names cannot tell them apart on markup nobody
here has seen, so position and wording do: the publication date stands in the article's own
header, just below the headline (or just above it), before the text begins; it is written as a
line of its own (a date, perhaps a time, a weekday, a label such as "Published" or a byline);
it is not inside another article's link or list item; it is not labelled as an update. Pages
are read as lines of text in document order, boilerplate (navigation, footers, asides, cookie
and share bars) left out, and the nearest such line wins. None found: None, so that the record
is reported rather than dated by a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from newscrawler.dates import DateMatch, find_date, find_date_without_year
from newscrawler.platforms import generic

#: Words that make the date after them an update, not the publication.
_UPDATED = re.compile(r"\b(?:updated?|modified|edited|revised|reviewed|amended|changed)\b", re.I)
#: Words that make the date after them the publication.
_PUBLISHED = re.compile(r"\b(?:published|posted|released|issued|first)\b", re.I)
#: What a date line may hold besides its dates: labels, times, weekdays, separators, a byline.
_FILLER = re.compile(
    r"\b(?:date|dated|published|publication|posted|submitted|first|released?|issued|created|updated?|last|"
    r"modified|edited|revised|reviewed|amended|on|at|in|of|and|was|this|page|article|story|bst|gmt|"
    r"utc|hrs|news|time|am|pm|[ecmp][sd]t|et|pt|ct|cet|cest|\d+\s*min(?:ute)?s?\s+read|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b|\b\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:am|pm)?\b"
    # the time of an ISO stamp ("T14:24:46.000+00:00")
    r"|T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
    # an author's handle ("@josmith")
    r"|@\w+"
    r"|[.,:;|/•·\-–—()\[\]+]",
    re.I,
)
#: "By Jo Smith", "By the Press Office", "by press.office" (a user name, as Drupal shows it).
_BYLINE = re.compile(
    r"\b[Bb]y\s+(?:(?:the\s+)?[A-Z][\w'’&.@-]*(?:\s+[A-Z&@][\w'’&.@-]*){0,5}|[a-z]\w*[._@][\w.@-]+)"
)
#: A name standing without "By" beside a single date ("Chris Davies - 19 Nov 2019"): up to
#: three capitalised words, nothing else, and not a label ("Open Day: 3 May 2020") or a
#: sentence's end.
_LABEL = re.compile(r"[^\W\d]\s*:")
_NAME = re.compile(r"^\s*(?:[A-Z][\w'’.-]*\s*){1,3}$")
#: An author's handle, linked in a byline ("@BryanDeArdo").
_HANDLE = re.compile(r"@\w+")
_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")

#: Elements that break text into lines (everything else flows inline).
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4")

#: A date may stand this many characters of page text above the headline, and no date above
#: the headline is taken when one stands below it.
ABOVE = 200
#: Below the headline, a date is looked for until this many prose lines (a standfirst, the
#: first paragraph) have passed.
PROSE_LINES = 2
_PROSE = 100
#: A line of article text, however short ("Thank you to everyone who shared our appeal."): a
#: sentence's end and words around it.
_SENTENCE = re.compile(r"\w.{30,}[.!?][\"'”’)]?$")


def _is_sentence(text: str) -> bool:
    text = text.strip()
    return len(text) >= _PROSE or bool(_SENTENCE.search(text))


@dataclass
class Line:
    """A line of page text: what it says, and whether it belongs to another article's link."""

    text: str = ""
    linked: bool = False  # some of its text is inside a link
    link_chars: int = 0
    link_texts: list[str] = field(default_factory=list)  # the texts of its links
    hrefs: list[str] = field(default_factory=list)  # the addresses of its links
    in_item: Any = None  # the list item it stands in, if any
    times: list[str] = field(default_factory=list)  # <time datetime> values on the line
    headline: bool = False
    beside: bool = False  # in the headline's own container (the article's header)
    block: Any = None  # the innermost block element its text starts in


def _lines(root: Any, headline: Any) -> list[Line]:
    """The page as lines of text in document order, boilerplate left out; the headline's line
    is marked, and so are the lines of the element holding it."""
    lines: list[Line] = [Line()]
    header = headline.getparent() if headline is not None else None
    within: list[Any] = [root]  # the block elements the walk is in

    def new_line() -> None:
        if lines[-1].text.strip() or lines[-1].headline:
            lines.append(Line())

    def add(text: str | None, link: str | None, item: Any) -> None:
        """Text to the current line; ``link``: the address of the link it stands in, if any."""
        if text and text.strip():
            line = lines[-1]
            line.block = within[-1] if line.block is None else line.block
            line.text += text
            line.linked = line.linked or link is not None
            if link is not None:
                line.link_chars += len(text.strip())
                line.link_texts.append(text.strip())
                line.hrefs.append(link)
            line.in_item = line.in_item if line.in_item is not None else item
        elif text:
            lines[-1].text += text

    def walk(el: Any, link: str | None, item: Any) -> None:
        tag = el.tag
        if el is headline:
            new_line()
            lines[-1].headline = True
            lines[-1].text = " ".join(el.text_content().split())
            lines.append(Line())
            return
        block = tag in _BLOCKS
        if block:
            new_line()
            within.append(el)
        if tag == "a":
            link = el.get("href") or ""
        if tag == "li":
            item = el
        if tag == "time" and el.get("datetime"):
            lines[-1].times.append(el.get("datetime"))
        first = len(lines) - 1
        add(el.text, link, item)
        for child in el:
            # <head> shows nothing (its <title> may well read as a date line).
            if isinstance(child.tag, str) and child.tag != "head" and not generic.is_boilerplate(child):
                walk(child, link, item)
            add(child.tail, link, item)
        if el is header:
            for line in lines[first:]:
                line.beside = True
        if block:
            new_line()
            within.pop()

    walk(root, None, None)
    for line in lines:
        line.text = " ".join(line.text.split())  # a byline's indentation is no prose
    return [line for line in lines if line.text or line.headline]


def _dates(text: str, url: str) -> Iterator[DateMatch]:
    """Every date in a line, left to right (a line may say "Published … Updated …")."""
    start = 0
    while start < len(text):
        rest = text[start:]
        found = find_date(rest)
        # A date without its year before it ("Published: 24 Dec Last updated 25 December 2020").
        bare = find_date_without_year(rest[: found.start] if found else rest, url)
        found = bare or found
        if found is None:
            return
        yield DateMatch(found.value, start + found.start, start + found.end)
        start += found.end


def date_line(line: str, url: str = "") -> list[tuple[DateMatch, bool]] | None:
    """The dates of a line that says nothing but when (dates, times, weekdays, labels such as
    "Published" or "Page updated", a byline), each with whether it is labelled as an update;
    None for any other line (a sentence that mentions a date)."""
    text = _WS.sub(" ", line).strip()
    # Every date form has a digit: most lines are passed over without the date patterns.
    if not text or len(text) > 160 or not _DIGIT.search(text):
        return None
    dates = _date_line(text, url)
    return list(dates) if dates is not None else None


@lru_cache(maxsize=256)
def _date_line(text: str, url: str) -> tuple[tuple[DateMatch, bool], ...] | None:
    """``date_line`` of a line with its spaces collapsed, worked out once: a page's date line
    is asked for next to the headline, then again at the top of the body and for its date."""
    dates = list(_dates(text, url))
    if not dates:
        return None
    rest, last = [], 0
    for d in dates:
        rest.append(text[last : d.start])
        last = d.end
    rest.append(text[last:])
    left = _FILLER.sub(" ", _BYLINE.sub(" ", " ".join(rest)))
    named = (
        len(dates) == 1
        and _NAME.match(left)
        and not _LABEL.search(" ".join(rest))
        and not text.endswith(".")  # the end of a sentence broken by <br>
    )
    if re.sub(r"[\W_]", "", left) and not named:
        return None
    return tuple((d, bool(_UPDATED.search(before))) for d, before in zip(dates, rest, strict=False))


def published(line: str, url: str = "") -> DateMatch | None:
    """The publication date of a date line: its first date not labelled as an update."""
    dates = date_line(line, url)
    return next((d for d, updated in dates or () if not updated), None)


def _is_card_title(line: Line) -> bool:
    """A line that is one link and nothing else, outside a list: another article's title (a
    link to the site's home is its logo)."""
    text = len(line.text)
    home = all(not urlsplit(href).path.strip("/") for href in line.hrefs)
    byline = line.text[:3].lower() == "by "
    return line.in_item is None and text >= 20 and line.link_chars >= 0.8 * text and not home and not byline


def _is_item_link(line: Line) -> bool:
    """A date belonging to another article: on a line with a link (but for an author's name
    linked in a byline, "Chris Davies - Nov 19, 2019"), or in a list item that holds a link."""
    if line.linked and not all(_NAME.match(text) or _HANDLE.fullmatch(text) for text in line.link_texts):
        return True
    item = line.in_item
    return item is not None and any(a.get("href") for a in item.iter("a"))


def near_headline(root: Any, headline: Any, url: str) -> str | None:
    """The publication date's text next to ``headline`` (an element of ``root``'s tree), or a
    ``<time datetime>`` value; None when no date line stands near it."""
    lines = _lines(root, headline)
    at = next((i for i, line in enumerate(lines) if line.headline), None)
    if at is None:
        return None
    # The headline's own container first (a <time> above it beats a date line in the text).
    return (
        _next_to(lines, at, url, beside=True)
        or _next_to(lines, at, url, beside=False)
        or _below_text(lines, at, url)
    )


def _next_to(lines: list[Line], at: int, url: str, beside: bool) -> str | None:
    """A date line just below the headline (before the text's second sentence), else just
    above it; ``beside``: only in the headline's own container."""
    prose = 0
    for i in range(at + 1, len(lines)):
        line = lines[i]
        if beside and not line.beside:
            break
        found = _candidate(line, url)
        if found and not _heads_a_card(lines, i):
            return found
        if _is_sentence(line.text):
            prose += 1
            if prose >= PROSE_LINES:
                break
    distance = 0
    for i in range(at - 1, -1, -1):
        line = lines[i]
        if beside and not line.beside:
            break
        distance += len(line.text)
        if distance > ABOVE + len(line.text) or line.linked:
            break
        found = _candidate(line, url)
        if found:
            # A date right under another article's headline link is that article's (a card),
            # unless it opens the headline's own container (the card stands outside it).
            if i > 0 and _is_card_title(lines[i - 1]) and (not beside or lines[i - 1].beside):
                break
            return found
    return None


def _heads_a_card(lines: list[Line], i: int) -> bool:
    """Whether the date line ``lines[i]`` stands right above another article's title link
    in a box holding little else (a card showing its date first)."""
    if i + 1 >= len(lines) or not _is_card_title(lines[i + 1]):
        return False
    date, title = lines[i].block, lines[i + 1].block
    if date is None or title is None:
        return False
    above = {date, *date.iterancestors()}
    card = next((el for el in title.iterancestors() if el in above), None)
    shown = len(" ".join(card.text_content().split())) if card is not None else 0
    return shown <= len(lines[i].text) + len(lines[i + 1].text) + 40


def _below_text(lines: list[Line], at: int, url: str) -> str | None:
    """A date shown after the article text: a line labelled as the publication ("Posted on
    …", "Date published: …") anywhere below the headline, else an unlabelled date line right
    after the last paragraph (and the article's own lists after it), before any other
    article's link."""
    below = lines[at + 1 :]
    for i, line in enumerate(below):
        if _PUBLISHED.search(line.text) and (found := _candidate(line, url)) and not _heads_a_card(below, i):
            return found
    last = max((i for i, line in enumerate(below) if len(line.text) >= _PROSE), default=None)
    if last is None:
        return None
    for i in range(last + 1, len(below)):
        line = below[i]
        if line.linked or _is_item_link(line):
            return None
        if line.in_item is not None:  # the article's own list ends its text: no date of its own
            continue
        found = _candidate(line, url)
        if found:
            return None if _heads_a_card(below, i) else found
    return None


def platform_date_line(root: Any, headline: Any, url: str, pattern: re.Pattern[str]) -> str | None:
    """The first short line in the platform's own date form ("Posted on 5 August 2019 at
    03:53pm in Local appeals"), after the headline (from the top when there is none), outside
    boilerplate and other articles' links, not labelled as an update: a date far from the
    headline (a footer followed by a signature) in a form only that platform writes. A date
    inside a paragraph or a list item (an event's, another article's), or above another
    article's title link (a card's), is never taken."""
    lines = _lines(root, headline)
    at = next((i for i, line in enumerate(lines) if line.headline), -1)
    for i in range(at + 1, len(lines)):
        text = lines[i].text
        m = pattern.search(text) if len(text) <= 160 else None
        if (
            m
            and lines[i].in_item is None
            and not _UPDATED.search(text[: m.start()])
            and not _heads_a_card(lines, i)
        ):
            return m.group(0)
    return None


def _candidate(line: Line, url: str) -> str | None:
    """A line's publication date: its text, or its ``<time datetime>`` value."""
    if _is_item_link(line):
        return None
    text = line.text  # spaces collapsed by _lines
    dates = date_line(text, url) or []
    for i, (_, updated) in enumerate(dates):
        if not updated:
            # The date with the words around it up to its neighbours: its time stays with it
            # ("Published 15:53 30/03/2020"), the other date does not.
            start = dates[i - 1][0].end if i else 0
            end = dates[i + 1][0].start if i + 1 < len(dates) else len(text)
            return text[start:end].strip(" ,;|·•-–—")
    # A <time> whose text gives no full date ("21 Dec"): its machine-readable value.
    if line.times and len(text) <= 40 and not _UPDATED.search(text):
        return line.times[0]
    return None


def headline_element(root: Any, title: str) -> Any | None:
    """The element that shows the headline: the first heading whose text is the title, outside
    boilerplate (a breadcrumb repeats the headline too)."""
    if not title:
        return None
    for tag in _HEADINGS:
        for el in root.iter(tag):
            if " ".join(el.text_content().split()) == title and not in_boilerplate(el):
                return el
    return None


def belongs_to_article(el: Any) -> bool:
    """Whether an element found by a platform's date selector is the article's own: not in
    boilerplate, not in a link or a list item that holds one (another article's date)."""
    if in_boilerplate(el):
        return False
    for a in el.iterancestors():
        if a.tag == "a" or (a.tag == "li" and any(x.get("href") for x in a.iter("a"))):
            return False
    return True


def is_update(el: Any) -> bool:
    """Whether an element's date is labelled as an update ("Last modified: <time>…</time>"):
    its line says so before the date and does not say "published"."""
    block = el
    while block.tag not in _BLOCKS and block.getparent() is not None:
        block = block.getparent()
    text = " ".join(block.text_content().split())
    own = " ".join(el.text_content().split())
    before = text[: text.find(own)] if own and own in text else text
    return bool(_UPDATED.search(before)) and not _PUBLISHED.search(before)


def in_boilerplate(el: Any, by_class: bool = True) -> bool:
    """Whether an element stands inside boilerplate (footer, nav, aside, a cookie or share bar
    by its class unless not ``by_class``): what the Markdown leaves out."""
    return any(
        generic.is_boilerplate(a, by_class) for a in el.iterancestors() if a.tag not in ("html", "body")
    )
