"""Fields on markup no platform module was written for (platforms/pubdate.py and the layered
extraction in base.py): the date next to the headline, never a sidebar's or an update's; the
body from the headline on, without lists of other articles; a page with no date reported."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from newscrawler.forces import registry
from newscrawler.platforms import platform_for
from newscrawler.platforms.base import ExtractionError, Layer, without_domain

KENT = registry().get("kent")
SOH = platform_for(KENT, KENT.live_site)
URL = "https://www.kent.police.uk/news/kent/news2/appeals/2003/renewed-appeal/"
HEAD = (
    '<title>Renewed appeal | Kent Police</title><meta name="description" content="Police renew an appeal.">'
)
TEXT = (
    "<p>Police are renewing their appeal for witnesses after a collision on the A2 near Dartford "
    "late on Saturday evening.</p><p>Anyone who saw what happened is asked to call 01634 792209 "
    "quoting reference 46/XY/19365/20.</p>"
)
SIDEBAR = (
    '<div><h2>Latest news</h2><ul><li><a href="/news/kent/news2/other-story/">Other story</a> '
    "<span>3 March 2024</span></li><li><a href='/news/kent/news2/more/'>More news</a> "
    "<time datetime='2024-03-01'>1 March 2024</time></li></ul></div>"
)


def parse(body: str, head: str = HEAD):  # type: ignore[no-untyped-def]
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return SOH.parse(HtmlResponse(url=URL, body=html.encode(), encoding="utf-8"))


def parse_on(slug: str, url: str, body: str):  # type: ignore[no-untyped-def]
    """A page of a force's own CMS (its earlier site, named as the force is)."""
    force = registry().get(slug)
    site = next(s for s in force.sites if s.platform == slug)
    html = f"<html><head><title>Page | {force.name}</title></head><body>{body}</body></html>"
    return platform_for(force, site).parse(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))


@pytest.mark.parametrize(
    "layout",
    [
        # below the headline, with a label
        "{side}<div><h1>Renewed appeal</h1><p>Published: 12 March 2020</p><div>{text}</div></div>",
        # above the headline, in <time>
        "<div><time datetime='2020-03-12'>12/03/2020</time><h1>Renewed appeal</h1>{text}</div>{side}",
        # an update line first, the publication after it
        "{side}<h1>Renewed appeal</h1><p>Updated 20 May 2021</p><p>First published 12 Mar 2020</p>{text}",
        # one line, both dates
        "<h1>Renewed appeal</h1><p>Published 12 March 2020, page updated 20 May 2021</p>{text}{side}",
        # after the text, labelled
        "{side}<div><h1>Renewed appeal</h1><div>{text}</div><p>Posted on Thursday 12 March 2020</p></div>",
        # after the text, unlabelled, before the related list
        "<h1>Renewed appeal</h1><div>{text}</div><div>12 Mar 2020 10:15</div>{side}",
        # with a byline
        "<h1>Renewed appeal</h1><p>By Kent Police on 12th March 2020</p>{text}{side}",
        # the author's name a link, the date not
        "<h1>Renewed appeal</h1><p><a href='/authors/jo-smith/'>Jo Smith</a> - 12 Mar 2020, 10:31 GMT</p>"
        "{text}{side}",
    ],
)
def test_the_date_next_to_the_headline_is_the_publication(layout: str) -> None:
    article = parse(layout.format(side=SIDEBAR, text=TEXT))
    assert article.get("publish.date") == "12 Mar 2020"
    assert article.title == "Renewed appeal"
    assert article.body.startswith("Police are renewing")
    assert "Other story" not in article.body and "2024" not in article.body


@pytest.mark.parametrize(
    "layout",
    [
        # only other articles' dates (sidebar before and after), and an update
        "{side}<h1>Renewed appeal</h1><p>Page updated 20 May 2021</p>{text}{side}",
        # a date inside a sentence of the text is not the publication date
        "<h1>Renewed appeal</h1><p>On 12 March 2020 a car hit a wall on the A2 near Dartford and "
        "the driver was hurt.</p>{text}",
        # a card: another article's title link, then its date, right above ours
        "<div><h3><a href='/news/kent/news2/other/'>Another article about something</a></h3>"
        "<p>3 March 2024</p></div><h1>Renewed appeal</h1>{text}",
        # a linked title with its date on one line, no list around it
        "<h1>Renewed appeal</h1>{text}<div><a href='/news/kent/news2/other/'>Another article about "
        "something else</a> 3 March 2024</div>",
        # the copyright year and a cookie notice
        "<h1>Renewed appeal</h1>{text}<div><p>Our cookie policy was updated on 1 May 2021.</p>"
        "<p>© 2024 Kent Police</p></div>",
    ],
)
def test_a_page_showing_no_publication_date_is_reported(layout: str) -> None:
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse(layout.format(side=SIDEBAR, text=TEXT))


def test_metadata_wins_over_the_page_text() -> None:
    head = HEAD + (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
        '{"@type": "NewsArticle", "datePublished": "2020-03-12T10:00:00+00:00", '
        '"dateModified": "2021-05-20"}]}</script>'
    )
    article = parse(f"<h1>Renewed appeal</h1><p>Updated 20 May 2021</p>{TEXT}", head)
    assert article.get("publish.date") == "12 Mar 2020"


def test_the_date_layer_is_the_structure() -> None:
    html = f"<html><head>{HEAD}</head><body><h1>Renewed appeal</h1><p>12 March 2020</p>{TEXT}</body></html>"
    ex = SOH.extract(HtmlResponse(url=URL, body=html.encode(), encoding="utf-8"))
    assert ex.sources["date"] == Layer.STRUCTURE


def test_a_logo_h1_is_not_the_headline() -> None:
    head = "<title>Kent Police - Renewed appeal</title>" + HEAD.split("</title>", 1)[1]
    logo = "<header><h1><a href='/'>Kent Police</a></h1></header>"
    body = f"{logo}<h2>Renewed appeal</h2><p>12 March 2020</p>{TEXT}"
    article = parse(body, head)
    assert article.title == "Renewed appeal"
    assert article.get("publish.date") == "12 Mar 2020"


def test_a_title_loses_the_sites_own_name() -> None:
    head = (
        "<title>Renewed appeal - Kent Newsroom</title>"
        '<meta property="og:site_name" content="Kent Newsroom">' + HEAD.split("</title>", 1)[1]
    )
    article = parse(f"<div><p>Renewed appeal</p><p>12 March 2020</p>{TEXT}</div>", head)
    assert article.title == "Renewed appeal"


def test_a_title_cut_short_confirms_the_full_headline() -> None:
    head = "<title>Renewed appeal for witnesses after... | Kent Police</title>" + HEAD.split("</title>", 1)[1]
    article = parse(
        f"<h1>Renewed appeal for witnesses after a collision</h1><p>12 March 2020</p>{TEXT}", head
    )
    assert article.title == "Renewed appeal for witnesses after a collision"


def test_the_body_leaves_out_what_stands_around_the_text() -> None:
    body = (
        "<div><div>Home &gt; News &gt; Renewed appeal</div><h1>Renewed appeal</h1><p>12 March 2020</p>"
        "<p>Police renew an appeal.</p>"  # a standfirst repeating the description
        f"<div>{TEXT}</div>"
        "<div><h3>Get alerts</h3><p>Sign up to hear about crime near you.</p></div>"
        f"{SIDEBAR}</div>"
    )
    article = parse(body)
    assert article.body == (
        "Police are renewing their appeal for witnesses after a collision on the A2 near Dartford "
        "late on Saturday evening.\n\nAnyone who saw what happened is asked to call 01634 792209 "
        "quoting reference 46/XY/19365/20."
    )


def test_a_standfirst_repeating_the_first_paragraph_is_kept_once() -> None:
    first = "<p>Police are renewing their appeal for witnesses after a collision on the A2 near Dartford.</p>"
    head = "<title>Renewed appeal | Kent Police</title>"  # no description: the standfirst is unknown
    body = f"<article><h1>Renewed appeal</h1><p>12 March 2020</p>{first}<div>{first}{TEXT}</div></article>"
    article = parse(body, head)
    assert article.body.count("near Dartford.") == 1
    assert article.description.startswith("Police are renewing")


ALERTS = (
    "<div><h3>Get alerts in your area</h3><p>Sign up to hear about crime and appeals near you.</p>"
    "<a href='/alerts/'>Sign up</a></div>"
)
EVENTS = "<div><h3>Upcoming events</h3><ul><li>Open day: Thursday, 9 January 2020</li></ul></div>"
COOKIES = "<div><p>We use cookies to make this site work, and to see how you use it.</p></div>"
SHARE = "<div><p>Share this</p><ul><li><a href='https://facebook.com/'>Facebook</a></li></ul></div>"


@pytest.mark.parametrize(
    "layout",
    [
        # a standfirst repeating the one line, a sign-up box longer than the article beside it
        "<main><section><div><h1>Renewed appeal</h1></div><p>{line}</p>{share}<div><p>{line}</p></div>"
        "</section>{alerts}{side}</main>",
        # the line only in the body, the same line the description, boxes before and after
        "<main>{events}<section><h1>Renewed appeal</h1><p>12 March 2020</p>{share}<div><p>{line}</p></div>"
        "</section>{alerts}</main>",
        # no <main> or <article>: a cookie notice and boxes before the headline, a footer after
        "{cookies}<div>{events}{alerts}<div><div><p>Posted on 12 March 2020</p><h1>Renewed appeal</h1></div>"
        "{share}<div><p>{line}</p></div></div></div><div><p>In an emergency call 999.</p></div>",
    ],
)
def test_a_one_line_article_beside_longer_boxes(layout: str) -> None:
    line = "This person has been found."
    published = "<meta property='article:published_time' content='2020-03-12'>"
    head = HEAD.replace("Police renew an appeal.", line) + published
    body = layout.format(line=line, share=SHARE, alerts=ALERTS, events=EVENTS, cookies=COOKIES, side=SIDEBAR)
    article = parse(body, head)
    assert (article.body, article.description) == (line, line)


def test_the_first_paragraph_given_as_description_is_the_body_s() -> None:
    """A description repeating the body's first paragraph (no standfirst) leaves a short rest of
    the text that is still the article, not the boxes around it."""
    first = (
        "Police can confirm that a man has been arrested in connection with the assault in Coniston "
        "Drive, Workington, in which two people were injured."
    )
    head = f"<title>Renewed appeal | Kent Police</title><meta name='description' content='{first}'>"
    body = (
        f"<main><section><h1>Renewed appeal</h1><div><p>Posted on 12 March 2020</p><p>{first}</p>"
        f"<p>We are not looking for anyone else.</p></div></section>{ALERTS}{EVENTS}{SHARE}</main>"
    )
    article = parse(body, head)
    assert article.body == f"{first}\n\nWe are not looking for anyone else."


def test_an_events_list_is_not_dated_by_the_platforms_date_form() -> None:
    """West Yorkshire writes "Wednesday, 24 June 2020": the same form in a list of events
    beside an undated article does not date it."""
    page = (
        f"<article><h1>Save time</h1><div>{TEXT}</div></article><div><h3>Upcoming events</h3><ul>"
        "<li>Open day: Wednesday, 24 June 2020</li><li>Beat meeting: Thursday, 2 July 2020</li></ul></div>"
    )
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse_on("west-yorkshire", "https://www.westyorkshire.police.uk/news-appeals/save-time", page)


def test_an_unconfirmed_headline_is_the_pages_one_h1() -> None:
    """A <title> written for search engines, saying something else than the one <h1>: the
    <h1> is what the page shows as its headline."""
    head = "<title>Police appeal after crash on A2: can you help? | Kent Police</title>"
    article = parse(f"<h1>Renewed appeal</h1><p>12 March 2020</p>{TEXT}", head)
    assert article.title == "Renewed appeal"


@pytest.mark.parametrize(
    "title, url, bare",
    [
        (
            "Key moments from the hearing - CBS News",
            "https://www.cbsnews.com/news/x/",
            "Key moments from the hearing",
        ),
        ("Модель рассказала — www.wday.ru", "http://www.wday.ru/articles/x", "Модель рассказала"),
        ("Renewed appeal - Kent Police", "https://www.kent.police.uk/news/x/", "Renewed appeal"),
        # a last part that does not name the site stays
        ("Man charged - update", "https://www.kent.police.uk/news/x/", "Man charged - update"),
        ("Renewed appeal", "https://www.kent.police.uk/news/x/", "Renewed appeal"),
    ],
)
def test_a_title_loses_a_last_part_naming_the_sites_address(title: str, url: str, bare: str) -> None:
    assert without_domain(title, url) == bare


def test_an_earlier_articles_date_inside_the_text_is_not_the_publication() -> None:
    """An update above the text it updates, whose own date stands in the text: the short
    sentences of the update are article text, so the date after them is not next to the
    headline, and the page's date line after the text is the publication."""
    body = (
        "<article><h1>Renewed appeal</h1><div><p>The woman who was missing has been found.</p>"
        "<p>Thank you to everyone who shared our appeal.</p><p>Friday, 4 September 2020</p>"
        f"{TEXT}</div><p><time datetime='2020-09-05T12:37:00+01:00'>September 5, 2020</time></p></article>"
    )
    assert parse(body).get("publish.date") == "5 Sep 2020"


def test_a_date_line_between_paragraphs_of_the_text_does_not_date_it() -> None:
    """An earlier release quoted inside the text, its date on a line of its own between the
    paragraphs: the page shows no dateline of its own, so the record is reported."""
    body = (
        f"<article><h1>Renewed appeal</h1><div>{TEXT}<h2>Previous release</h2>"
        "<p>Friday, 4 September 2020</p><p>Police are appealing for anyone who saw the car.</p>"
        "</div></article>"
    )
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse(body)


def test_a_heading_repeating_the_headline_inside_the_text_does_not_cut_it() -> None:
    """The body container holds a video's title, the headline again: the text before it stays
    (only the page's first heading showing the headline starts the article)."""
    body = (
        "<h1>Renewed appeal</h1><p>12 March 2020</p><div itemprop='articleBody'>"
        f"{TEXT}<h2>Video</h2><h3>Renewed appeal</h3><p>The officer shows one of the stickers.</p></div>"
    )
    assert parse(body).body.startswith("Police are renewing their appeal")


def test_a_date_footer_followed_by_an_image_caption_dates_the_record() -> None:
    """Lincolnshire's date footer ("31 Mar 21 3:23 PM") with an image's caption after it: the
    footer dates the record and leaves the body, the caption stays."""
    page = (
        f"<article><h1>Bump up your support</h1><div>{TEXT}<p>31 Mar 21 3:23 PM</p>"
        "<p><strong>One of the bumper stickers</strong> shown by PCSO Dave Bunker</p></div></article>"
    )
    url = "https://www.lincs.police.uk/news-campaigns/news/2021/bump-up-your-support-for-road-safety/"
    article = parse_on("lincolnshire", url, page)
    assert article.get("publish.date") == "31 Mar 2021"
    assert article.body.endswith("**One of the bumper stickers** shown by PCSO Dave Bunker")
    assert "3:23 PM" not in article.body


def test_a_one_line_article_in_a_section_before_a_footer() -> None:
    """No <article> or <main>: the <section> holding the headline and a one-line text is the
    article, though the footer lines and a cookie notice after it weigh more."""
    line = "This person has been found. Thank you to those that shared the appeal."
    body = (
        f"<div><section><div><h1>Renewed appeal</h1><p>12 March 2020</p></div><div><p>{line}</p></div>"
        "</section></div><div><p>© 2024 Kent Police, all rights</p><p>In an emergency call 999.</p></div>"
        "<div><p>We use cookies to make this site work.</p></div>"
    )
    assert parse(body, HEAD.replace("Police renew an appeal.", line)).body == line


def test_a_standfirst_without_the_bodys_hashtags_is_still_its_copy() -> None:
    """Humberside's first paragraph says "#Hull" where the standfirst says "Hull": the same
    words, so the standfirst (and the share bar beside it) stays out of the body."""
    head = "<title>Renewed appeal | Kent Police</title>"  # no description: the standfirst is unknown
    body = (
        "<div><section><h1>Renewed appeal</h1><p>Published: 12 March 2020</p>"
        "<p>Police renew their appeal after a collision in Hull late on Saturday evening, near the docks.</p>"
        f"{SHARE}<section><div><p>Police renew their appeal after a collision in #Hull late on "
        f"Saturday evening, near the docks.</p>{TEXT}</div></section></section></div>"
    )
    article = parse(body, head)
    assert article.body.startswith("Police renew their appeal after a collision in #Hull")
    assert article.body.count("near the docks.") == 1
    assert "Share" not in article.body


def test_a_long_dateline_and_other_articles_entries_do_not_weigh_as_text() -> None:
    """A dateline of over 80 characters ("Published on … · Last modified: …") and a related
    list whose entries are a link and a date leave the short text the article."""
    first = "Two boys have been arrested after a stolen motorbike was recovered in Hull."
    head = f"<title>Renewed appeal | Kent Police</title><meta name='description' content='{first}'>"
    related = (
        "<div><h2>More from this force</h2><ul>"
        "<li><a href='/news/kent/news2/a/'>Community event at local station</a> "
        "<span>Saturday 11 July 2020 at 17:45</span></li>"
        "<li><a href='/news/kent/news2/b/'>Officers seize drugs in warrant</a> "
        "<span>Monday 17 August 2020 at 09:45</span></li></ul></div>"
    )
    body = (
        f"<div><section><h1>Renewed appeal</h1>{SHARE}<div><p>{first}</p>"
        "<p>The two teenagers remain in custody.</p><p>Enquiries continue in the area.</p></div>"
        "<p>Published on Thursday 17 December 2020 at 16:51 · Last modified: Tuesday 29 December "
        f"2020 at 14:41</p>{related}</section></div>"
    )
    article = parse(body, head)
    rest = "The two teenagers remain in custody.\n\nEnquiries continue in the area."
    assert article.body == f"{first}\n\n{rest}"
    assert article.get("publish.date") == "17 Dec 2020"


def test_the_documents_title_is_not_a_date_line_above_the_headline() -> None:
    """A headline that is a date ("Anti-Slavery Day - Sunday, 18 October 2020") is in <title>
    too; <head> is not page text, so the page without a dateline is reported, not dated."""
    title = "Anti-Slavery Day - Sunday, 18 October 2020"
    head = f"<title>{title}</title><meta name='description' content='Police renew an appeal.'>"
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse(f"<article><p>Updated: Sunday, 25 October 2020</p><h1>{title}</h1>{TEXT}</article>", head)


def test_a_year_mistyped_is_not_read_as_a_date_without_one() -> None:
    """Police Scotland's "Published 2 July 20200": not "2 July" in the address's year, but a
    date the page does not give (reported). Without a year at all, the address's year."""
    url = "http://www.scotland.police.uk/what-s-happening/news/2020/july/enquiries-ongoing/"
    page = "<article><h1>Enquiries ongoing</h1><div><p><strong>Published {}</strong></p>{}</div></article>"
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse_on("scotland", url, page.format("2 July 20200", TEXT))
    assert parse_on("scotland", url, page.format("2 July", TEXT)).get("publish.date") == "2 Jul 2020"


FOOTER = "<div><p>© 2024 Kent Police</p><p>In an emergency call 999.</p></div>"
COOKIE_BAR = (
    "<div><p>We use cookies to make this site work. Our cookie policy was updated on 1 May 2021.</p></div>"
)


@pytest.mark.parametrize(
    "layout",
    [
        # no <section>: the microdata says where the article is, a footer and a cookie bar after it
        "<div>{alerts}<div itemscope itemtype='https://schema.org/NewsArticle'><h1>Renewed appeal</h1>"
        "<p>Published: 12 March 2020</p>{share}<div><p>{line}</p></div></div></div>{footer}{cookies}",
        # no microdata either: the copyright line and the cookie bar do not weigh as text
        "<div>{alerts}<div><div><h1>Renewed appeal</h1><p>Published: 12 March 2020</p></div>"
        "<div><p>{line}</p></div></div></div>{footer}{cookies}",
    ],
)
def test_a_one_line_article_before_the_sites_notices(layout: str) -> None:
    line = "This person has been found, thank you."
    head = HEAD.replace("Police renew an appeal.", line)
    body = layout.format(line=line, alerts=ALERTS, share=SHARE, footer=FOOTER, cookies=COOKIE_BAR)
    assert parse(body, head).body == line


def test_a_one_line_article_shorter_than_any_box_beside_it() -> None:
    """A text of 24 characters (the archive's one such record): where nothing after the
    headline but a box is long enough to weigh, the longest line outside boxes is the article,
    not the sign-up box."""
    line = "The appeal has now ended"
    head = HEAD.replace("Police renew an appeal.", line)
    body = (
        f"<div><div><h1>Renewed appeal</h1><p>Published: 12 March 2020</p>{SHARE}<div><p>{line}</p></div>"
        f"{SIDEBAR}</div>{ALERTS}</div><footer><p>In an emergency call 999.</p></footer>"
    )
    assert parse(body, head).body == line


def test_a_standfirst_joining_the_first_list_items_is_their_copy() -> None:
    """BTP's standfirst is the body's first bullet points as one paragraph: it stays out."""
    items = [
        "BTP officers made 44 arrests and seized 12 weapons across London and the South East.",
        "Operation Sceptre is a national, multi-agency campaign that tackles knife crime.",
    ]
    head = "<title>Renewed appeal | Kent Police</title>"  # no description: the standfirst is unknown
    bullets = "".join(f"<li>{item}</li>" for item in items)
    body = (
        f"<article><div><h1>Renewed appeal</h1><p>Published: 12 March 2020</p></div><p>{' '.join(items)}</p>"
        f"{SHARE}<div><section><ul>{bullets}</ul>{TEXT}</section></div></article>"
    )
    article = parse(body, head)
    assert article.body.startswith(f" * {items[0]}")
    assert "Share" not in article.body


def test_a_title_written_twice_confirms_the_h2_headline() -> None:
    """A logo in the <h1>, the headline in an <h2>, and a <title> that repeats it."""
    title = "Workington – Vulcans Lane Deaths Update"
    head = f"<title>{title} {title}</title><meta name='description' content='Police renew an appeal.'>"
    body = (
        "<header><h1><a href='/'>Kent Police</a></h1></header><div><h2>Latest news</h2><p>Items.</p></div>"
        f"<div><h2>{title}</h2><p>Published: 12 March 2020</p>{TEXT}</div>"
    )
    assert parse(body, head).title == title


def test_a_date_under_the_sites_logo_link_is_the_articles() -> None:
    """A date line above the headline, with the site's logo link (to its home) the line before:
    the date is no card's under another article's title link."""
    body = (
        "<header><h1><a href='https://www.kent.police.uk/'>Kent Police: news and appeals</a></h1></header>"
        "<p>September 7, 2020 Last modified: October 12, 2020</p>"
        f"<article><h2>Renewed appeal</h2>{TEXT}</article>"
    )
    assert parse(body).get("publish.date") == "7 Sep 2020"
    card = body.replace("https://www.kent.police.uk/'", "/news/kent/news2/another-story/'")
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse(card)


def test_a_date_after_the_texts_own_list_dates_it() -> None:
    """The text ends in a list of its own (those jailed); the date line after it, before the
    related list, is the article's."""
    jailed = (
        "<p>Those jailed are:</p><ul><li>Razvan Zidaru, 30, Blackburn. 24 months</li>"
        "<li>Valentina Cretu, 31.</li></ul>"
    )
    body = (
        f"<section><p>Updated: 30 December 2020</p><h1>Renewed appeal</h1><div>{TEXT}{jailed}</div>"
        f"<span>Wednesday, 25 November 2020</span>{SIDEBAR}</section>"
    )
    assert parse(body).get("publish.date") == "25 Nov 2020"


def test_a_date_without_its_year_before_an_update_with_one() -> None:
    url = "https://beta.northumbria.police.uk/latest-news/2020/december/christmas-cheer/"
    dateline = "<span>Published: 24 Dec Last updated <span>25 December 2020</span></span>"
    page = f"<section>{dateline}<h1>Cheer</h1>{TEXT}</section>"
    assert parse_on("northumbria", url, page).get("publish.date") == "24 Dec 2020"


def test_a_title_cut_short_confirms_an_h2_headline_under_a_logo_h1() -> None:
    title = "Detectives renew appeal for information following racially aggravated assault"
    head = (
        "<title>Detectives renew appeal for information following racially... - Kent Police</title>"
        "<meta name='description' content='Police renew an appeal.'>"
    )
    body = (
        "<header><h1><a href='/'>Kent Police</a></h1></header>"
        f"<article><h2>{title}</h2><p>Published: 12 March 2020</p>{TEXT}</article>"
    )
    assert parse(body, head).title == title


def test_a_date_in_the_headlines_own_header_beats_a_date_line_in_the_text() -> None:
    """PSNI: the header holds a <time> above the headline; the text starts with a category and
    another date line (the day after). The header's date is the publication."""
    body = (
        "<section><div><p><time datetime='2016-08-17T13:10:00+01:00'>17 August 2016</time></p>"
        f"<h1>Renewed appeal</h1></div>{SHARE}<div><p>A-Results</p><p>18 August 2016</p>{TEXT}</div>"
        "</section>"
    )
    assert parse(body).get("publish.date") == "17 Aug 2016"


def test_a_page_with_a_headline_and_a_share_bar_but_no_text_is_reported() -> None:
    """No text under the headline: the share bar's label ("Tell others") is not one."""
    share = "<div><p>Tell others</p><ul><li><a href='https://facebook.com/'>Facebook</a></li></ul></div>"
    text = "<div><p>News</p><p>19:58 25/02/2021</p></div>"
    body = f"<div><div><h1>Renewed appeal</h1>{share}{text}</div></div>{ALERTS}"
    with pytest.raises(ExtractionError, match="body"):
        parse(body)


def test_a_date_below_a_standfirst_and_an_indented_byline() -> None:
    """A standfirst, a byline indented in the source (its spaces are no prose), then the
    author's handle linked beside the date ("@josmith 10:48, Thu, Mar 12, 2020")."""
    standfirst = "Police renew their appeal after a crash on the A2 near Dartford on a Saturday evening."
    head = HEAD.replace("Police renew an appeal.", standfirst)
    body = (
        f"<article><div><h1>Renewed appeal</h1><p>{standfirst}</p><div>by\n{' ' * 90}"
        "<a href='/a/jo/'>Jo Smith</a></div><p><a href='https://x.com/josmith'>@josmith</a> 10:48, Thu, "
        f"Mar 12, 2020</p></div><div>{TEXT}</div></article>"
    )
    article = parse(body, head)
    assert (article.get("publish.date"), article.time) == ("12 Mar 2020", "10:48")


def test_a_date_opening_the_headlines_container_after_a_row_of_cards() -> None:
    """A row of cards (date, then title link) above the article; the article's own container
    opens with its date line, then the headline; more cards after the text. The date is the
    article's, not the card's above it, nor the first card's below it."""
    cards = (
        "<div><div><p><small>Friday 1 December 2017</small></p><h5><a href='/news/kent/news2/a/'>Missing "
        "woman found safe and well</a></h5></div></div>"
    )
    body = (
        f"{cards}<div><p>Thursday 30 November 2017</p><h1>Renewed appeal</h1>{TEXT}</div>"
        f"<h4>More news</h4>{cards.replace('Friday 1', 'Wednesday 29 November 2017 x')}"
    )
    assert parse(body).get("publish.date") == "30 Nov 2017"
    undated = body.replace("<p>Thursday 30 November 2017</p>", "")
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse(undated)


def test_a_drupal_submitted_line_dates_the_page() -> None:
    line = "<span>Submitted by <span>press.office</span></span> on Tue, 03/03/2020 - 10:15"
    body = f"<article><h1>Renewed appeal</h1><div>{line}</div><div>{TEXT}</div></article>"
    assert parse(body).get("publish.date") == "3 Mar 2020"


def test_a_standfirst_joining_the_text_with_its_short_lines_is_its_copy() -> None:
    """Ghost's custom excerpt in the header: the whole text joined, short lines ("Pictured: …")
    included; the text below is the body, not the excerpt."""
    paragraphs = [
        "Detectives investigating the fatal stabbing of Thomas Rogers have charged a fourth man.",
        "Pictured: Thomas Rogers",
        "The 22-year-old, of no fixed address, was charged to appear before magistrates today.",
    ]
    excerpt = " ".join(paragraphs)
    head = HEAD.replace("Police renew an appeal.", excerpt)
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    body = (
        f"<main><article><header><h1>Renewed appeal</h1><p>{excerpt}</p></header><figure><img src='x.jpg'>"
        f"</figure><section><div>{text}</div></section></article></main>"
        "<article><a href='/n/1/'>Other</a></article>"
    )
    head += "<meta property='article:published_time' content='2020-03-12'>"
    assert parse(body, head).body == "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    "after",
    [
        # a byline whose name is a link
        "<p>By <a href='/authors/troy-smith/'>Troy L. Smith, Cleveland.com</a></p>",
        # a link of the page's own, not in a box with the date
        "<p><a href='/about/trust/'>Why you can trust Dorset Police</a></p>",
    ],
)
def test_a_date_line_followed_by_a_link_that_is_no_cards_title(after: str) -> None:
    """A card is a small box of a date and another article's title link; a date line with a
    byline or any other link after it is the article's."""
    url = "https://www.dorset.police.uk/news-information/article/3452"
    standfirst = "<p>Police renew their appeal after a collision on the A2 on Saturday.</p>"
    header = f"<header><h1>Renewed appeal</h1>{standfirst}<p>Nov 19, 2019, 6:51 AM</p>{after}</header>"
    text = f"<div class='article-body'>{TEXT}</div>"
    assert parse_on("dorset", url, f"<article>{header}{text}</article>").get("publish.date") == "19 Nov 2019"
    card = (
        "<div><p>Nov 19, 2019, 6:51 AM</p><h3><a href='/news/other/'>Another article about it</a></h3></div>"
    )
    with pytest.raises(ExtractionError, match=r"publish\.date"):
        parse_on("dorset", url, f"<article><header><h1>Renewed appeal</h1></header>{text}</article>{card}")


def test_a_short_text_in_a_wrapper_whose_class_reads_as_boilerplate() -> None:
    """GOV.UK's layout rows are "govuk-grid-row gem-print-columns-none" ("print" reads as a
    print button's word): a text too short to prove itself prose is still the article's."""
    text = "<p>Officers were called to the line near Winchester station on Monday.</p><p>No one was hurt.</p>"
    row = "<div class='govuk-grid-row gem-print-columns-none'><div>{}</div></div>"
    body = f"<main>{row.format('<h1>Renewed appeal</h1>')}{row.format(f'<div>{text}</div>')}</main>"
    head = HEAD + "<meta property='article:published_time' content='2020-03-12'>"
    assert parse(body, head).body.startswith("Officers were called")


def test_a_short_article_in_an_asp_net_page_wide_form() -> None:
    """ASP.NET WebForms wrap the whole page in one <form>: it holds the <h1>, so it is the
    page, not a sign-up form, however short the text."""
    body = (
        "<form id='aspnetForm'><div id='content'><h1><span>Renewed appeal</span></h1>"
        "<span class='newsDate'>30/10/2020</span><div class='newsBody'><p>Two men have been charged.</p>"
        "<p>Both were remanded in custody.</p></div></div></form>"
    )
    article = parse(body)
    assert (article.get("publish.date"), article.body) == (
        "30 Oct 2020",
        "Two men have been charged.\n\nBoth were remanded in custody.",
    )


def test_a_text_that_is_its_description_is_not_skipped_as_a_standfirst() -> None:
    """A press release whose one paragraph is also the description, a contacts box after it:
    the paragraph is the text, not a standfirst to pass over."""
    line = "A man has been arrested after a car failed to stop for one of our vehicles in Hull last night."
    head = (
        HEAD.replace("Police renew an appeal.", line)
        + "<meta property='article:published_time' content='2020-11-17'>"
    )
    contacts = "<div><h4>Contacts</h4><p>Press Office<br>press@example.police.uk<br>01234 567890</p></div>"
    text = f"<div><div><p>{line}</p></div></div>"
    body = f"<main><div><header><h1>Renewed appeal</h1></header>{text}{contacts}</div></main>"
    assert parse(body, head).body == line


def test_a_standfirst_above_a_text_of_short_paragraphs_is_passed_over() -> None:
    """The description as a standfirst above a text whose paragraphs are all short: the text
    together is longer than the standfirst, so the standfirst (and the share bar by it) stays
    out."""
    standfirst = "The 17 year old boy missing from home in Bamber Bridge has been found safe and well."
    head = HEAD.replace("Police renew an appeal.", standfirst)
    lines = [
        "The 17 year old boy missing from home in Bamber Bridge has been found.",
        "He was last seen in Preston at around 9am on 16th April.",
        "Thanks to everyone who shared our appeal.",
    ]
    text = "".join(f"<p>{line}</p>" for line in lines)
    body = (
        f"<article><div><h2>Renewed appeal</h2><p>Date published: 12 March 2020</p></div><p>{standfirst}</p>"
        f"{SHARE}<div><div>{text}</div></div></article>"
    )
    assert parse(body, head).body == "\n\n".join(lines)
