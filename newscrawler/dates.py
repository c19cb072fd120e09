"""Every date form the forces' pages show, turned into a date; and the record's own form.

The record writes ``%-d %b %Y`` ("5 Jan 2021") with English month names whatever the locale.
Forms seen on the platforms (PLATFORMS.md): ``16:07 08/11/2019``, ``26/03/2019`` (and the
common ``26.03.2019``, ``26-03-2019``),
``12 Mar 2020``, ``24 October 2019``, ``23rd December 2020``, ``Published 4 March 2020``,
``Date published: 23 March 2021 10:29``, ``Mar 31, 2021 20:10 BST``, ``January 11, 2021``,
``Tuesday, March 2, 2021``, ``Wednesday 20 January, 2021``, ``Posted at 09:48 on 12th August 2020``,
``Posted on 13:29:00 on 13th November 2019``, ISO ``2020-08-12T09:48:00+01:00`` (the calendar
date as written, no time-zone shift), and dates without a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {
    name: i + 1
    for i, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
    for name in (full, full[:3], full[:4])
}
_MONTHS["sept"] = 9

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

# Tried in order; the first match in a text wins by position, then by this order.
_PATTERNS = [
    # ISO 8601, with or without a time: the calendar date as written.
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?=[T\s]|$|\b)"),
    # 08/11/2019, 16:07 08/11/2019, 08.11.2019, 08-11-2019 (UK order, day first)
    re.compile(
        rf"(?<![\d/.-]){_DAY.replace('(?:st|nd|rd|th)?', '')}(?P<sep>[/.-])(?P<mnum>[01]?\d)(?P=sep){_YEAR}"
    ),
    # 29/Dec/2020 (Devon and Cornwall)
    re.compile(rf"(?<![\d/])(?P<day>[0-3]?\d)/{_MONTH}/{_YEAR}", re.I),
    # 22 Dec 20 8:47 AM (Lincolnshire): a two-digit year, only with the time after it
    re.compile(rf"\b(?P<day>[0-3]?\d)\s+{_MONTH}\s+(?P<yy>\d\d)\s+\d{{1,2}}:\d\d\s*[AP]M\b", re.I),
    # 12 Mar 2020, 23rd December 2020, Wednesday 20 January, 2021, 4 March 2020
    re.compile(rf"\b{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH}\.?,?\s+{_YEAR}", re.I),
    # Mar 31, 2021; Tuesday, March 2, 2021; January 11 2021
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\.?\s+{_DAY},?\s+{_YEAR}", re.I),
]
#: What each pattern needs in a text: one of its separators, and whether a year's first digits
#: ("19", "20"); a pattern is not tried on a text without them (most are tried on short lines
#: that show a date in another form, or none, or a time after a date).
_NEEDS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("-",), True),
    (("/", ".", "-"), True),
    (("/",), True),
    ((":",), False),
    (("",), True),
    (("",), True),
)
# Dates shown without a year: "4 March", "March 4", "Tuesday 3 March".
_NO_YEAR = [
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+{_MONTH}\b(?!\.?,?\s+(?:19|20)\d\d)", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)", re.I),
]
_URL_YEAR_MONTH = re.compile(rf"/{_YEAR}/(?:{_MONTH}|(?P<mnum>[01]?\d))/", re.I)
_RECORD_DATE = re.compile(r"^([1-9]|[12]\d|3[01]) (" + "|".join(MONTH_ABBR) + r") (\d{4})$")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text, and where it stood."""

    value: date
    start: int
    end: int


def format_date(value: date) -> str:
    """The record's form, ``%-d %b %Y`` in English whatever the locale."""
    return f"{value.day} {MONTH_ABBR[value.month - 1]} {value.year}"


def parse_record_date(text: str) -> date | None:
    """Parse a date in the record's own form, strictly."""
    m = _RECORD_DATE.match(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), MONTH_ABBR.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return None


def _month_of(m: re.Match[str]) -> int:
    gd = m.groupdict()
    if gd.get("mnum"):
        return int(gd["mnum"])
    return _MONTHS[gd["month"].lower().rstrip(".")]


def _to_date(m: re.Match[str], year: int | None = None) -> date | None:
    gd = m.groupdict()
    if year is None:
        year = int(gd["year"]) if gd.get("year") else 2000 + int(gd["yy"])
    try:
        return date(year, _month_of(m), int(m.group("day")))
    except (ValueError, KeyError):
        return None


def find_date(text: str) -> DateMatch | None:
    """The first date with a year in ``text`` (earliest position wins)."""
    best: DateMatch | None = None
    year = "19" in text or "20" in text
    for pattern, (separators, needs_year) in zip(_PATTERNS, _NEEDS, strict=True):
        if (needs_year and not year) or not any(s in text for s in separators):
            continue
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best.start:
                break
            value = _to_date(m)
            if value is not None:
                best = DateMatch(value, m.start(), m.end())
                break
    return best


def year_from_url(url: str) -> tuple[int, int] | None:
    """(year, month) of a URL's ``/YYYY/<month>/`` folders, when it has them."""
    m = _URL_YEAR_MONTH.search(url)
    if not m:
        return None
    try:
        return int(m.group("year")), _month_of(m)
    except (KeyError, ValueError):
        return None


def find_date_without_year(text: str, url: str) -> DateMatch | None:
    """A date shown without a year, dated by the URL's ``/YYYY/<month>/`` when the month agrees."""
    folders = year_from_url(url)
    if folders is None:
        return None
    year, month = folders
    for pattern in _NO_YEAR:
        m = pattern.search(text)
        if m and _month_of(m) == month:
            value = _to_date(m, year)
            if value is not None:
                return DateMatch(value, m.start(), m.end())
    return None


def parse_date(text: str | None, url: str = "") -> date | None:
    """A date from any form the forces show, or None. ``url`` supplies a missing year."""
    if not text:
        return None
    found = find_date(text) or (find_date_without_year(text, url) if url else None)
    return found.value if found else None


# A clock time ("15:53", "09:48:00", "4:30pm"), not the offset of an ISO time zone ("+00:00")
# nor a part of a longer number.
_CLOCK = re.compile(
    r"(?<![\d:+\-])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?!\d)(?:\s*([ap])\.?m\b\.?)?", re.I
)


def find_time(text: str | None) -> str | None:
    """The clock time a date text shows, as ``HH:MM`` (24-hour, as written: no time-zone
    shift, like the date), or None. ``15:53 30/03/2020`` gives ``15:53``."""
    m = _CLOCK.search(text or "")
    if m is None:
        return None
    hour, minute, half = int(m[1]), m[2], (m[3] or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute}"


def parse_cli_date(text: str) -> date:
    """A ``--since``/``--until`` value: ISO ``YYYY-MM-DD``. Raises ValueError with a clear text."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"bad date {text!r}: use YYYY-MM-DD, e.g. 2024-01-31") from None
