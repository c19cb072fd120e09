from __future__ import annotations

from datetime import date

import pytest

from newscrawler.dates import find_date, find_time, format_date, parse_cli_date, parse_date, parse_record_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("16:07 08/11/2019", date(2019, 11, 8)),
        ("26/03/2019", date(2019, 3, 26)),
        ("12 Mar 2020", date(2020, 3, 12)),
        ("24 October 2019", date(2019, 10, 24)),
        ("23rd December 2020", date(2020, 12, 23)),
        ("**Published 4 March 2020**", date(2020, 3, 4)),
        ("Date published: 23 March 2021 10:29", date(2021, 3, 23)),
        ("_Date published: 01 April 2021 08:46_", date(2021, 4, 1)),
        ("Mar 31, 2021 20:10 BST", date(2021, 3, 31)),
        ("January 11, 2021", date(2021, 1, 11)),
        ("Tuesday, March 2, 2021", date(2021, 3, 2)),
        ("Wednesday 20 January, 2021", date(2021, 1, 20)),
        ("**Thursday, 25 February 2021**", date(2021, 2, 25)),
        ("Friday 18th December 2020", date(2020, 12, 18)),
        ("Posted at 09:48 on 12th August 2020", date(2020, 8, 12)),
        ("Posted on 13:29:00 on 13th November 2019", date(2019, 11, 13)),
        ("2020-08-12T09:48:00+01:00", date(2020, 8, 12)),
        ("2021-03-26T23:56:30-05:00", date(2021, 3, 26)),
        ("09 Nov 2020 10:59", date(2020, 11, 9)),
        ("Sept 3 2020", date(2020, 9, 3)),
        ("Release date: 29/Dec/2020 11:57", date(2020, 12, 29)),
        ("22 Dec 20 8:47 AM", date(2020, 12, 22)),
        ("_Published on Wednesday, December 16, 2020_", date(2020, 12, 16)),
        # common UK numeric forms with dots and dashes
        ("03.03.2020", date(2020, 3, 3)),
        ("Published 26-03-2019 10:15", date(2019, 3, 26)),
    ],
)
def test_every_form_the_forces_show(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no date here",
        "31/02/2020",
        "(25/5)",
        "99 Foo 2020",
        "22 Dec 20 people",
        "12 Mar 20201",
        "08-11/2019",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_year_from_url_when_the_month_agrees() -> None:
    url = "https://www.scotland.police.uk/what-s-happening/news/2020/march/x/"
    assert parse_date("Tuesday 3 March", url) == date(2020, 3, 3)
    assert parse_date("3 April", url) is None
    assert parse_date("3 March", "https://x/news/slug/") is None


def test_earliest_date_wins() -> None:
    found = find_date("Posted 4 March 2020, updated 5 March 2020")
    assert found is not None and found.value == date(2020, 3, 4)


def test_record_form() -> None:
    assert format_date(date(2021, 1, 5)) == "5 Jan 2021"
    assert parse_record_date("5 Jan 2021") == date(2021, 1, 5)
    assert parse_record_date("05 Jan 2021") is None
    assert parse_record_date("5 January 2021") is None


def test_cli_date() -> None:
    assert parse_cli_date("2024-01-31") == date(2024, 1, 31)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_cli_date("31/01/2024")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:53 30/03/2020", "15:53"),
        ("Mar 31, 2021 20:10 BST", "20:10"),
        ("Posted on 13:29:00 on 13th November 2019", "13:29"),
        ("2020-08-12T09:48:00+01:00", "09:48"),  # as written: no time-zone shift, like the date
        ("26 Dec 20 11:36 PM", "23:36"),
        ("12:05 am, 3 May 2020", "00:05"),
        ("3 May 2020 9:05", "09:05"),
        ("12 Mar 2020", None),
        ("2020-12-16", None),
        ("ref 12:345", None),
        (None, None),
    ],
)
def test_find_time(text: str | None, expected: str | None) -> None:
    assert find_time(text) == expected
