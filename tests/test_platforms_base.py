"""The shared extraction and normalisation (platforms/base.py), on small hand-made pages."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.http import HtmlResponse

from newscrawler.forces import registry
from newscrawler.platforms import platform_for
from newscrawler.platforms.base import Extraction, ExtractionError, Layer, NotAnArticle, is_date_line

KENT = registry().get("kent")
SOH = platform_for(KENT, KENT.live_site)
URL = "https://www.kent.police.uk/news/kent/news2/appeals/2003/renewed-appeal/"


def page(body: str, head: str = "") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(url=URL, body=html.encode(), encoding="utf-8")


@pytest.mark.parametrize(
    "title, bare",
    [
        ("Renewed appeal | Kent Police", "Renewed appeal"),
        ("Kent Police - Renewed appeal", "Renewed appeal"),
        ("Renewed appeal |", "Renewed appeal"),
        ("Update – man charged | Some Other Constabulary", "Update – man charged"),
        ("Q&amp;A: the plan", "Q&A: the plan"),
    ],
)
def test_titles_lose_site_affixes(title: str, bare: str) -> None:
    assert SOH.clean_title(title) == bare


@pytest.mark.parametrize(
    "block",
    [
        "15:53 30/03/2020",
        "**Published 4 March 2020**",
        "_Date published: 01 April 2021 08:46_",
        "Mar 31, 2021 20:10 BST",
        "Posted on 13:54:00 on 28th March 2020",
        "## 17/01/2019",
        "**Thursday, 25 February 2021**",
        # a name without "By", a time zone, a reading time
        "Chris Davies - Nov 19, 2019, 10:31 pm CST",
        "Press Office | 12 March 2020",
        "Nov 18, 2019 at 9:24 pm ET • 2 min read",
        # abbreviated weekdays on both dates, a byline with the author's handle
        "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019",
        "By Chris Pokorny@DawgsByNature Nov 18, 2019, 11:47am EST",
    ],
)
def test_date_lines(block: str) -> None:
    assert is_date_line(block)


@pytest.mark.parametrize(
    "block",
    [
        "On Tuesday 2 April 2019 at 6.45pm officers were called.",
        "Release date: 3 March 2020 - call 101",
        # a labelled event, the end of a sentence broken by <br>, a name beside two dates
        "Open Day: Wednesday, 24 June 2020",
        "Cowdenbeath, on Sunday, 30 August 2020.",
        "Kent Police 12 March 2020 and 14 March 2020",
    ],
)
def test_text_with_a_date_is_not_a_date_line(block: str) -> None:
    assert not is_date_line(block)


def test_date_label_and_headline_blocks_leave_the_body() -> None:
    body = "News\n\n15:59 08/08/2020\n\n### Officers are advising residents.\n\nText."
    stripped, found = SOH.strip_date_blocks(body, URL, "t")
    assert stripped == "### Officers are advising residents.\n\nText."
    assert found == date(2020, 8, 8)
    stripped, _ = SOH.strip_date_blocks("# Headline\n\n24 October 2019\n\n* * *\n\nText.", URL, "Headline")
    assert stripped == "Text."


def test_a_date_footer_leaves_the_body_when_a_dateline_stood_above_it_too() -> None:
    dateline = "Posted on 14:47:00 on 31st May 2019"
    body = f"{dateline}\n\nThe appeal has now ended\n\n{dateline}"
    assert SOH.strip_date_blocks(body, URL) == ("The appeal has now ended", date(2019, 5, 31))


def test_a_label_without_a_date_after_it_stays() -> None:
    assert SOH.strip_date_blocks("News\n\nText about news.", URL)[0] == "News\n\nText about news."


def test_record_missing_a_date_is_reported_not_written() -> None:
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        SOH.normalise(Extraction(url=URL, title="T", description="D", body="Text."))


def test_description_falls_back_to_the_first_paragraph() -> None:
    ex = Extraction(url=URL, title="T", date_text="10:00 01/02/2020", body="**First\u00a0para.**\n\nSecond.")
    assert SOH.normalise(ex).description == "First para."


def test_layers_are_recorded() -> None:
    response = page(
        "<main><h1>Renewed appeal</h1><p>12:00 01/02/2020</p><p>Body text here.</p></main>",
        '<meta property="og:description" content="Desc"><title>Renewed appeal | Kent Police</title>',
    )
    ex = SOH.extract(response)
    assert ex.sources == {
        "title": Layer.META,
        "date": Layer.STRUCTURE,
        "description": Layer.META,
        "body": Layer.META,
    }
    article = SOH.normalise(ex)
    assert (article.title, article.get("publish.date"), article.body) == (
        "Renewed appeal",
        "1 Feb 2020",
        "Body text here.",
    )


def test_generic_fallback_finds_the_text_without_semantic_markup() -> None:
    text = "A long paragraph of article text, with commas, that goes on for a while. " * 3
    response = page(
        f"<div class='top-nav'><a href='/'>Home</a></div><div><h1>Renewed appeal</h1>"
        f"<div><p>{text}</p><p>{text}</p></div></div><div class='footer'>Contact us</div>",
        "<title>Renewed appeal | Kent Police</title>",
    )
    ex = SOH.extract(response)
    assert ex.sources["body"] == Layer.FALLBACK
    assert "Home" not in ex.body and "Contact" not in ex.body and ex.body.startswith("A long paragraph")


def test_listing_address_is_not_an_article() -> None:
    assert not SOH.is_article_url("https://www.kent.police.uk/news/kent/news/")
    assert not SOH.is_article_url("https://www.kent.police.uk/news/kent/news/GetNewsRss/")
    assert not SOH.is_article_url("https://www.kent.police.uk/news/kent/news/2020/march/")
    assert not SOH.is_article_url("https://www.essex.police.uk/news/essex/news/x/y/")
    assert SOH.is_article_url(URL)
    with pytest.raises(NotAnArticle):
        SOH.extract(HtmlResponse(url="https://www.kent.police.uk/news/kent/news/", body=b"<html></html>"))


def test_og_url_of_another_site_is_not_trusted() -> None:
    response = page(
        "<main><h1>Renewed appeal</h1><p>12:00 01/02/2020</p><p>Body.</p></main>",
        '<meta property="og:url" content="https://www.kent.police.uk/">',
    )
    assert SOH.extract(response).url == URL
