"""The generic main-text fallback (platforms/generic.py) on small hand-written pages: which
container it chooses and what it leaves out of it."""

from __future__ import annotations

from parsel import Selector

from newscrawler.platforms.generic import main_content

#: A paragraph of article prose (commas score, so the article's own text wins the choice).
PROSE = (
    "Officers were called to the High Street, Dartford, at about 11pm on Saturday, after reports "
    "of a disturbance, and a man, aged 34, was arrested at the scene, police said."
)


def text_of(html: str, title: str = "Man arrested after disturbance | Kent Police") -> str:
    node = main_content(Selector(text=f"<html><head><title>{title}</title></head><body>{html}</body></html>"))
    assert node is not None
    return " ".join(" ".join(node.xpath("//text()").getall()).split())


def paragraphs(text: str, n: int) -> str:
    return "".join(f"<p>{text} ({i})</p>" for i in range(n))


def test_choice_stays_inside_main() -> None:
    # Outside <main>, paragraphs of prose (a site's notices) are not the article, however much
    # of them the page's wrapper holds.
    notices = (
        "<div class='legal'>"
        + paragraphs("Quotes are delayed by at least fifteen minutes " * 3, 3)
        + "</div>"
    )
    page = f"<div><main><div class='article-body'>{paragraphs(PROSE, 3)}</div></main>{notices}</div>"
    text = text_of(page)
    assert text.startswith("Officers were called") and "Quotes are delayed" not in text


def test_teasers_of_other_articles_do_not_draw_the_choice_up() -> None:
    teaser = (
        "<li><a href='/news/{0}'>Another story number {0}</a> Detectives investigating a burglary in "
        "Gravesend have released images of a man they would like to speak to about the...</li>"
    )
    teasers = "<div class='latest'><ul>" + "".join(teaser.format(i) for i in range(6)) + "</ul></div>"
    page = f"<div class='wrap'>{teasers}<div class='story'>{paragraphs(PROSE, 3)}</div></div>"
    text = text_of(page)
    assert text.startswith("Officers were called") and "Another story" not in text


def test_headline_and_what_stands_before_it_leave() -> None:
    page = (
        "<div class='story'><div class='label'>Breaking news</div><h1>Man arrested after disturbance</h1>"
        f"{paragraphs(PROSE, 3)}<h2>Man arrested after disturbance</h2><p>A later section.</p></div>"
    )
    text = text_of(page)
    assert text.startswith("Officers were called") and "Breaking news" not in text
    # The same words as a heading further down are a section of the text.
    assert "Man arrested after disturbance A later section." in text


def test_byline_leaves() -> None:
    byline = "<div class='byline'>By Jane Smith, Crime Reporter</div>"
    page = f"<div class='story'>{byline}{paragraphs(PROSE, 3)}</div>"
    text = text_of(page)
    assert text.startswith("Officers were called") and "Jane Smith" not in text


def test_nested_articles_are_not_the_article_and_the_headline_marks_it() -> None:
    # The related articles' openings score higher (commas) than the article's plain sentences,
    # but they are other articles, and the headline stands over the article's text.
    related = "".join(
        f"<article><h2>Other story {i}</h2><p>Thefts, burglaries, assaults, frauds, and more, in Kent, "
        "Medway, Dartford, and Gravesend, this week, police said.</p></article>"
        for i in range(5)
    )
    plain = "Officers were called to the High Street in Dartford at about eleven on Saturday night " * 2
    page = (
        f"<div><article><h1>Man arrested after disturbance</h1><p>{plain}</p><p>{plain}</p></article>"
        f"<article><h3>You may also like</h3>{related}</article></div>"
    )
    text = text_of(page)
    assert (
        text.startswith("Officers were called") and "Other story" not in text and "may also like" not in text
    )


def test_link_inside_a_sentence_stays() -> None:
    # A link wrapped in a <span> in the middle of a sentence is words of the sentence, not a
    # block of links.
    sentence = (
        "<p>Police said <span><a href='/appeal'>an appeal has been issued</a></span> today. " + PROSE + "</p>"
    )
    text = text_of(f"<div class='story'>{sentence}{paragraphs(PROSE, 2)}</div>")
    assert "Police said an appeal has been issued today." in text


def test_paragraphs_that_are_each_a_link_one_after_another_leave() -> None:
    others = "".join(
        f"<p><a href='/news/{i}'>Another appeal for witnesses number {i}</a></p>" for i in range(3)
    )
    page = f"<div class='story'>{paragraphs(PROSE, 3)}<p><a href='/appeal'>Report it online</a></p>"
    page += f"<p>{PROSE}</p>{others}</div>"
    text = text_of(page)
    # A link alone as a paragraph stays (a link the article gives); a run of them is a list.
    assert "Report it online" in text and "Another appeal" not in text


def test_article_of_short_lines_is_not_left_for_the_headline() -> None:
    # No paragraph is long enough to weigh as prose: the headline's block (a header apart from
    # the text) does not replace the text's.
    lines = "".join(f"<p>Call 101 quoting reference {i}, police said.</p>" for i in range(4))
    page = (
        "<div><header><h1>Man arrested after disturbance</h1><p>Kent Police</p></header>"
        f"<div class='story'>{lines}</div></div>"
    )
    assert "Call 101 quoting reference 3, police said." in text_of(page)


def test_heading_after_short_sentences_is_a_section() -> None:
    lines = "".join(f"<p>Call 101 quoting reference {i}, police said.</p>" for i in range(4))
    page = f"<div class='story'>{lines}<h2>Man arrested after disturbance</h2>{lines}</div>"
    text = text_of(page)
    assert text.startswith("Call 101 quoting reference 0") and "Man arrested after disturbance" in text
