"""markdown_to_html: record bodies back to HTML that html_to_markdown turns into the same body."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from parsel import Selector

from newscrawler.markdown import html_to_markdown
from newscrawler.record import iter_files, read
from newscrawler.replica.markup import markdown_to_html
from tests.conftest import SAMPLE_RECORDS


def reparsed(html: str) -> str:
    """The HTML as a crawler sees it: read by lxml (parsel) and serialised again."""
    return str(Selector(text=f'<div id="x">{html}</div>').css("#x").get())


def kind(body: str, got: str) -> str:
    """What the first line that differs holds, to group failures by."""
    for want, out in zip(body.split("\n"), got.split("\n"), strict=False):
        if want != out:
            if want.startswith(" "):
                return "leading space"
            return "escape" if "\\" in want else "emphasis" if "*" in want or "_" in want else "other"
    return "line count"


def round_trip_share(root: Path) -> tuple[int, int, Counter[str]]:
    """(exact, total, failure kinds) over every record under ``root``."""
    exact, total, kinds = 0, 0, Counter[str]()
    for path in iter_files(root):
        body = read(path).body
        got = html_to_markdown(markdown_to_html(body))
        total += 1
        if got == body:
            exact += 1
        else:
            kinds[kind(body, got)] += 1
    return exact, total, kinds


@pytest.mark.parametrize(
    "body",
    [
        "Plain text.",
        "**Bold** , then text, **bold**. And **bold** words.",
        "_italic_ and _more italic_.",
        "A line\nanother line\n\nA paragraph",
        " A paragraph that began with a non-breaking space\nnext line\n _Dated: 1 March 2021_",
        "\\- a dash escaped\n1\\. a number escaped\n\\+ plus\n- not escaped\n1. not escaped",
        "fined £230\\. He was",
        "**Name** \\- #0270 and a lone back\\slash \\\\* and \\*",
        " * first\n * second\ncontinued\n * third",
        " 3. three\n 4. four",
        "### Heading\n\n# Top\n\n###\n\n* * *\n\nText",
        "> quoted\n>\n> second paragraph\n> same one",
        "Tom & Jerry <b> not a tag",
        "**Table ** _\\- Number of cases_ **.**",
        "** **",
        "****\n\nText after an empty bold",
        " *\n * Aged in her late twenties.",
        "#OpGalaxy is a hashtag, not a heading",
        "see **_this_** now, but x**_y_** stays text: html2text would write 'x** _y_**'",
    ],
)
def test_round_trip(body: str) -> None:
    html = markdown_to_html(body)
    assert html_to_markdown(html) == body
    assert html_to_markdown(reparsed(html)) == body


def test_uses_real_markup_where_it_can() -> None:
    html = markdown_to_html("### Appeal\n\nA **man** , 20, was _seen_.\n\n * one\n * two")
    assert "<h3>Appeal</h3>" in html
    assert "<strong>man</strong>, 20" in html
    assert "<em>seen</em>" in html
    assert "<ul>" in html and html.count("<li>") == 2


def test_round_trip_sample() -> None:
    exact, total, kinds = round_trip_share(SAMPLE_RECORDS)
    print(f"round trip on the sample: {exact}/{total} = {exact / total:.2%} {dict(kinds)}")
    assert exact == total
    for path in iter_files(SAMPLE_RECORDS):
        body = read(path).body
        assert html_to_markdown(reparsed(markdown_to_html(body))) == body, path


@pytest.mark.shared
@pytest.mark.slow
def test_shared_round_trip_whole_archive(archive_dir: Path) -> None:
    exact, total, kinds = round_trip_share(archive_dir)
    print(f"round trip on the archive: {exact}/{total} = {exact / total:.4%} {dict(kinds)}")
    assert total == 44350
    assert exact / total >= 0.999
