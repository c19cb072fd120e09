"""Article pages as real CMSs write them: an independent test bed for the platform parsers.

The variant generator (``variants.py``) varies a space its authors chose; these templates are
written from what common CMSs put on a news article page (WordPress, Drupal, GOV.UK, an
ASP.NET WebForms CMS, SharePoint, Joomla, Ghost, Squarespace, a Bootstrap news portal, an
AMP page, a press-release hub), by someone who did not write the parsers. Each template is
one site: deterministic, no randomness. A template renders a record's five fields (title, url,
description, publication date, body) where that CMS shows them, with the furniture it has
around them (other stories with their own dates, "updated" dates, cookie banners, share bars,
newsletter boxes, copyright years). Some have date metadata, some only a visible date.

A record that cannot be made whole (``variants.expected_record`` is None) is rendered without a
publication date of its own: a parser must report it, not guess one.
"""

# The templates keep each CMS's markup as one long line per block, as the CMS writes it.
# ruff: noqa: E501

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from newscrawler.forces import Force, Site
from newscrawler.importer import extraction
from newscrawler.record import Article
from newscrawler.replica.chrome import attr, esc
from newscrawler.replica.markup import markdown_to_html
from newscrawler.replica.sites.base import UK
from newscrawler.replica.variants import expected_record

_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
#: Where the other stories' dates of an undated page are placed around.
_UNDATED = date(2020, 6, 1)
_OTHER_HEADLINES = (
    "Man charged following burglary in town centre",
    "Appeal for witnesses after collision on the A38",
    "Officers seize drugs and cash in warrant",
    "Missing woman found safe and well",
    "Police issue advice ahead of bank holiday weekend",
    "Teenager arrested after reports of a knife in park",
)


@dataclass(frozen=True)
class Story:
    """What a template needs: the record's fields as the page shows them, and the site."""

    title: str
    url: str
    day: date | None  # None: the page shows no publication date of its own
    at: time
    description: str | None
    body_html: str
    force: str
    origin: str

    @property
    def reference(self) -> date:
        return self.day or _UNDATED

    @property
    def stamp(self) -> str:
        """ISO date-time in UK local time with its offset (as most CMSs write it)."""
        assert self.day is not None
        return datetime.combine(self.day, self.at, tzinfo=UK).isoformat()

    @property
    def updated(self) -> date:
        return self.reference + timedelta(days=9)

    @property
    def updated_stamp(self) -> str:
        return datetime.combine(self.updated, time(16, 40), tzinfo=UK).isoformat()

    def others(self, n: int, after: bool = False) -> list[tuple[str, str, date]]:
        """Other stories of the site (headline, url, date): older ones, or newer ones when
        ``after`` (an archived page's sidebar shows what was new when it was captured)."""
        out = []
        for i in range(n):
            headline = _OTHER_HEADLINES[(i + 3 * after) % len(_OTHER_HEADLINES)]
            delta = timedelta(days=2 * i + 1)
            day = self.reference + delta if after else self.reference - delta
            slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
            out.append((headline, f"{self.origin}/news/{day:%Y/%m}/{slug}/", day))
        return out


# ---- date forms real UK sites show -----------------------------------------------------------
def ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"  # 3 March 2020


def numeric(d: date) -> str:
    return f"{d:%d/%m/%Y}"  # 03/03/2020


def ordinal_time(d: date, t: time) -> str:
    return f"{ordinal(d.day)} {d:%B %Y} {t:%H:%M}"  # 3rd March 2020 10:15


def weekday(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"  # Tuesday 3 March 2020


def us_short(d: date) -> str:
    return f"{d:%b} {d.day}, {d:%Y}"  # Mar 3, 2020


def us_long(d: date) -> str:
    return f"{d:%B} {d.day}, {d:%Y}"  # March 3, 2020


def _zone(d: date, t: time) -> str:
    return "BST" if datetime.combine(d, t, tzinfo=UK).utcoffset() else "GMT"


# ---- pieces several CMSs share -----------------------------------------------------------------
def _head(s: Story, title: str, *extra: str, description: bool = True, og: bool = True) -> str:
    """The <head>: <title>, meta description, and the og: tags when the CMS writes them."""
    lines = ['<meta charset="utf-8">', f"<title>{esc(title)}</title>"]
    lines.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if description and s.description:
        lines.append(f'<meta name="description" content="{attr(s.description)}">')
    if og:
        lines += [
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{attr(s.title)}">',
            f'<meta property="og:url" content="{attr(s.url)}">',
            f'<meta property="og:site_name" content="{attr(s.force)}">',
        ]
        if s.description:
            lines.append(f'<meta property="og:description" content="{attr(s.description)}">')
    lines += extra
    return "<head>\n" + "\n".join(lines) + "\n</head>"


def _json_ld(data: Mapping[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _news_article(s: Story, kind: str = "NewsArticle") -> str:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": s.title,
        "mainEntityOfPage": s.url,
        "publisher": {"@type": "Organization", "name": s.force},
    }
    if s.day:
        data["datePublished"] = s.stamp
        data["dateModified"] = s.updated_stamp
    if s.description:
        data["description"] = s.description
    return _json_ld(data)


def _page(head: str, body: str, html_attrs: str = 'lang="en-GB"', body_attrs: str = "") -> str:
    return f"<!DOCTYPE html>\n<html {html_attrs}>\n{head}\n<body{body_attrs}>\n{body}\n</body>\n</html>\n"


def _share(s: Story) -> str:
    return (
        '<div class="share"><span>Share this:</span>'
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={attr(s.url)}">Facebook</a> '
        f'<a href="https://twitter.com/intent/tweet?url={attr(s.url)}">X (Twitter)</a> '
        f'<a href="mailto:?subject={attr(s.title)}">Email</a></div>'
    )


def _newsletter() -> str:
    return (
        '<div class="newsletter"><h3>Sign up to our newsletter</h3>'
        "<p>Get the latest news and appeals from your area straight to your inbox.</p>"
        '<form action="/subscribe"><input type="email" name="email" placeholder="Email address">'
        '<button type="submit">Subscribe</button></form></div>'
    )


# ---- the templates -------------------------------------------------------------------------------
def wordpress(s: Story) -> str:
    """WordPress, a Twenty-Something-like theme with Yoast: og: and article: meta, a Yoast
    JSON-LD graph, entry-date published + updated, tags, comments, sidebar widgets."""
    extra = [f'<link rel="canonical" href="{attr(s.url)}">']
    if s.day:
        extra += [
            f'<meta property="article:published_time" content="{s.stamp}">',
            f'<meta property="article:modified_time" content="{s.updated_stamp}">',
        ]
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "WebPage",
                    "@id": s.url,
                    "url": s.url,
                    "name": f"{s.title} - {s.force}",
                    "datePublished": s.stamp,
                    "dateModified": s.updated_stamp,
                },
                {"@type": "WebSite", "name": s.force, "url": s.origin + "/"},
            ],
        }
        extra.append(_json_ld(graph))
    head = _head(s, f"{s.title} \u2013 {s.force}", *extra)
    posted = ""
    if s.day:
        posted = (
            f'<span class="posted-on">Posted on <a href="{attr(s.url)}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{s.stamp}">{us_long(s.day)}</time>'
            f'<time class="updated" datetime="{s.updated_stamp}">{us_long(s.updated)}</time></a></span> '
        )
    recent = "".join(
        f'<li><a href="{u}">{esc(h)}</a> <span class="post-date">{us_long(d)}</span></li>'
        for h, u, d in s.others(5, after=True)
    )
    body = f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="{s.origin}/" rel="home">{esc(s.force)}</a></p>
<p class="site-description">Keeping our communities safe</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li><a href="{s.origin}/">Home</a></li><li><a href="{s.origin}/news/">News</a></li>
<li><a href="{s.origin}/contact/">Contact us</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-48213" class="post-48213 post type-post status-publish format-standard hentry category-news">
<header class="entry-header"><h1 class="entry-title">{esc(s.title)}</h1>
<div class="entry-meta">{posted}<span class="byline"> by <span class="author vcard">
<a class="url fn n" href="{s.origin}/author/corporate-comms/">Corporate Communications</a></span></span></div>
</header>
<div class="entry-content">
{s.body_html}
{_share(s)}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{s.origin}/category/news/" rel="category tag">News</a></span>
<span class="tags-links">Tagged <a href="{s.origin}/tag/appeal/" rel="tag">appeal</a>, <a href="{s.origin}/tag/community/" rel="tag">community</a></span></footer>
</article>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Post navigation</h2>
<div class="nav-links"><div class="nav-previous"><a href="{s.others(1)[0][1]}" rel="prev">{esc(s.others(1)[0][0])}</a></div></div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="{s.origin}/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>
</form></div></div>
</main></div>
<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{s.origin}/">
<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" name="s"></label></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>
<li><a href="{s.origin}/{s.reference:%Y/%m}/">{s.reference:%B %Y}</a></li></ul></section>
</aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">&copy; {s.reference.year + 1} {esc(s.force)}. Proudly powered by WordPress</div></footer>
</div>
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden"><div class="cookie-notice-container">
<span id="cn-notice-text" class="cn-text-container">We use cookies to ensure that we give you the best experience on our website.</span>
<a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">Ok</a></div></div>"""
    return _page(head, body, body_attrs=' class="post-template-default single single-post postid-48213"')


def drupal(s: Story) -> str:
    """Drupal 8/9, a Classy-based theme: no og: or date meta (no metatag module), canonical
    link, "Submitted by … on Tue, 03/03/2020 - 10:15", a views block of latest news."""
    head = _head(
        s,
        f"{s.title} | {s.force}",
        f'<link rel="canonical" href="{attr(s.url)}">',
        '<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">',
        og=False,
    )
    submitted = ""
    if s.day:
        submitted = (
            '<div class="node__meta"><span class="field field--name-uid field--type-entity-reference">'
            '<span>Submitted by <span class="username">press.office</span></span></span> on '
            f'<span class="field field--name-created field--type-created">{s.day:%a, %d/%m/%Y} - {s.at:%H:%M}</span></div>'
        )
    views = "".join(
        f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
        f'<a href="{u}" hreflang="en">{esc(h)}</a></span></div><div class="views-field views-field-created">'
        f'<span class="field-content">{numeric(d)}</span></div></div>'
        for h, u, d in s.others(4)
    )
    summary = (
        f'<div class="clearfix text-formatted field field--name-field-summary field--type-text-long field--label-hidden field__item">'
        f"<p>{esc(s.description)}</p></div>"
        if s.description
        else ""
    )
    body = f"""<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
<header role="banner"><div class="region region-header"><div id="block-sitebranding" class="block block-system block-system-branding-block">
<a href="/" rel="home" class="site-logo"><img src="/themes/custom/force/logo.svg" alt="Home"></a>
<div class="site-name"><a href="/" rel="home">{esc(s.force)}</a></div></div></div></header>
<div class="region region-breadcrumb"><nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb">
<h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2><ol><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ol></nav></div>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content"><div class="region region-content">
<div data-drupal-messages-fallback class="hidden"></div>
<div id="block-pagetitle" class="block block-core block-page-title-block">
<h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{esc(s.title)}</span></h1></div>
<div id="block-mainpagecontent" class="block block-system block-system-main-block">
<article role="article" about="{attr(s.url)}" class="node node--type-news node--promoted node--view-mode-full">
{submitted}
<div class="node__content">
{summary}
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{s.body_html}
</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above"><div class="field__label">Tags</div>
<div class="field__items"><div class="field__item"><a href="/taxonomy/term/12" hreflang="en">Appeals</a></div></div></div>
</div></article></div></div></div>
<aside class="layout-sidebar-second" role="complementary"><div class="region region-sidebar-second">
<div class="views-element-container block block-views block-views-blocklatest-news-block-1"><h2>Latest news</h2>
<div><div class="view view-latest-news view-id-latest_news view-display-id-block_1"><div class="view-content">{views}</div></div></div></div>
</div></aside></main>
<footer role="contentinfo"><div class="region region-footer"><p>&copy; {esc(s.force)} {s.reference.year}</p>
<nav><ul><li><a href="/accessibility">Accessibility</a></li><li><a href="/privacy">Privacy notice</a></li></ul></nav></div></footer>
</div></div>"""
    return _page(head, body, body_attrs=' class="path-node page-node-type-news"')


def govuk(s: Story) -> str:
    """GOV.UK (a news story): gem-c-title, gem-c-lead-paragraph (the description),
    gem-c-metadata "Published 3 March 2020" and "Last updated", govspeak body, related links."""
    extra = [f'<link rel="canonical" href="{attr(s.url)}">']
    if s.day:
        extra += [f'<meta name="govuk:first-published-at" content="{s.stamp}">', _news_article(s)]
        extra.append(f'<meta name="govuk:public-updated-at" content="{s.updated_stamp}">')
    head = _head(s, f"{s.title} - GOV.UK", *extra)
    meta = ""
    if s.day:
        meta = (
            '<div class="gem-c-metadata govuk-!-margin-bottom-6" data-module="gem-toggle"><dl>'
            '<dt class="gem-c-metadata__term">From:</dt><dd class="gem-c-metadata__definition">'
            f'<a href="/government/organisations/{attr(s.force.lower().replace(" ", "-"))}" class="govuk-link">{esc(s.force)}</a></dd>'
            f'<dt class="gem-c-metadata__term">Published</dt><dd class="gem-c-metadata__definition">{long_date(s.day)}</dd>'
            f'<dt class="gem-c-metadata__term">Last updated</dt><dd class="gem-c-metadata__definition">{long_date(s.updated)} '
            '<span class="govuk-!-display-none-print">\u2014 <a href="#full-history" class="govuk-link">See all updates</a></span></dd>'
            "</dl></div>"
        )
    lead = f'<p class="gem-c-lead-paragraph">{esc(s.description)}</p>' if s.description else ""
    related = "".join(
        f'<li class="gem-c-related-navigation__link"><a class="govuk-link" href="{u}">{esc(h)}</a></li>'
        for h, u, _ in s.others(3)
    )
    history = (
        f'<div id="full-history"><h3>Updates to this page</h3><ol><li><time datetime="{s.updated_stamp}">{long_date(s.updated)}</time>'
        "<p>Added contact details.</p></li></ol></div>"
    )
    body = f"""<div id="global-cookie-message" class="gem-c-cookie-banner govuk-clearfix" role="region" aria-label="Cookies on GOV.UK">
<div class="govuk-cookie-banner__message govuk-width-container"><h2 class="govuk-cookie-banner__heading govuk-heading-m">Cookies on GOV.UK</h2>
<p class="govuk-body">We use some essential cookies to make this website work.</p>
<button class="govuk-button" type="submit">Accept additional cookies</button></div></div>
<header role="banner" id="global-header" class="gem-c-layout-super-navigation-header"><a href="https://www.gov.uk/" class="govuk-header__link--homepage">GOV.UK</a></header>
<div class="govuk-width-container">
<div class="gem-c-breadcrumbs govuk-breadcrumbs"><ol class="govuk-breadcrumbs__list">
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/">Home</a></li>
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/crime-justice-and-law">Crime, justice and law</a></li></ol></div>
<main role="main" id="content" class="govuk-main-wrapper" lang="en">
<div class="govuk-grid-row gem-print-columns-none"><div class="govuk-grid-column-two-thirds">
<div class="gem-c-title govuk-!-margin-top-8"><span class="govuk-caption-xl gem-c-title__context">News story</span>
<h1 class="gem-c-title__text govuk-heading-l">{esc(s.title)}</h1></div>
{lead}
</div></div>
<div class="govuk-grid-row gem-print-columns-none"><div class="govuk-grid-column-two-thirds">{meta}</div></div>
<div class="govuk-grid-row gem-print-columns-none"><div class="govuk-grid-column-two-thirds">
<div class="gem-c-govspeak govuk-govspeak" data-module="govspeak"><div class="govspeak">
{s.body_html}
</div></div>
<div class="gem-c-print-link govuk-!-display-none-print"><button class="govuk-link">Print this page</button></div>
{history if s.day else ""}
</div>
<div class="govuk-grid-column-one-third"><div class="gem-c-related-navigation" role="complementary">
<h2 class="gem-c-related-navigation__main-heading">Related content</h2><nav><ul class="gem-c-related-navigation__link-list">{related}</ul></nav></div></div>
</div></main></div>
<footer class="gem-c-layout-footer govuk-footer" role="contentinfo"><div class="govuk-width-container">
<p>All content is available under the Open Government Licence v3.0, except where otherwise stated</p>
<a class="govuk-footer__link govuk-footer__copyright-logo" href="https://www.nationalarchives.gov.uk/">&copy; Crown copyright</a></div></footer>"""
    return _page(head, body, body_attrs=' class="gem-c-layout-for-public govuk-template__body"')


def webforms(s: Story) -> str:
    """An Umbraco/ASP.NET WebForms CMS: the whole page in <form id="aspnetForm">, ctl00_… ids,
    the date in a label span (03/03/2020), a meta description only, no canonical."""
    head = _head(s, f"{s.force} - {s.title}", og=False)
    date_span = (
        f'<span id="ctl00_ContentPlaceHolder1_lblDate" class="newsDate">{numeric(s.day)}</span>'
        if s.day
        else ""
    )
    latest = "".join(
        f'<li><a id="ctl00_ContentPlaceHolder1_rptLatest_ctl0{i}_lnkNews" href="{u}">{esc(h)}</a>'
        f'<span class="date">{numeric(d)}</span></li>'
        for i, (h, u, d) in enumerate(s.others(5, after=True))
    )
    body = f"""<form method="post" action="./{attr(s.url.rstrip("/").rsplit("/", 1)[-1])}" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk8hQ2Z3Nw">
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAAKvE9j0Lw2"></div>
<div id="wrapper"><div id="header"><a id="ctl00_hlLogo" href="/default.aspx"><img src="/images/logo.png" alt="{attr(s.force)}"></a>
<div id="ctl00_pnlSearch" class="search"><input name="ctl00$txtSearch" type="text" id="ctl00_txtSearch">
<input type="submit" name="ctl00$btnSearch" value="Search" id="ctl00_btnSearch"></div></div>
<div id="ctl00_divMenu" class="menu"><a href="/default.aspx">Home</a> | <a href="/news.aspx">News</a> | <a href="/contact.aspx">Contact</a></div>
<div id="content"><div id="ctl00_ContentPlaceHolder1_pnlArticle" class="newsArticle">
<div class="breadcrumb"><a href="/default.aspx">Home</a> &gt; <a href="/news.aspx">News</a> &gt; <span>{esc(s.title)}</span></div>
<h1><span id="ctl00_ContentPlaceHolder1_lblTitle">{esc(s.title)}</span></h1>
{date_span}
<div id="ctl00_ContentPlaceHolder1_divBody" class="newsBody">
{s.body_html}
</div>
<a id="ctl00_ContentPlaceHolder1_hlBack" href="/news.aspx">&lt; Back to news</a>
</div>
<div id="ctl00_ContentPlaceHolder1_pnlLatest" class="latestNews"><h2>Latest News</h2><ul>{latest}</ul></div>
</div>
<div id="footer"><span id="ctl00_lblCopyright">Copyright &copy; {s.reference.year} {esc(s.force)}</span>
<a href="/accessibility.aspx">Accessibility</a> <a href="/sitemap.aspx">Sitemap</a></div></div>
</form>"""
    return _page(head, body, html_attrs='xmlns="http://www.w3.org/1999/xhtml"')


def sharepoint(s: Story) -> str:
    """SharePoint 2013 publishing page: <title> with whitespace, ms-rtestate-field, no meta at
    all, "Article Date: 03/03/2020", the summary as the page's byline field."""
    head = (
        f'<head>\n<meta http-equiv="X-UA-Compatible" content="IE=10">\n<meta charset="utf-8">\n'
        f"<title>\r\n\t{esc(s.title)}\r\n</title>\n"
        '<link rel="stylesheet" type="text/css" href="/_layouts/15/1033/styles/Themable/corev15.css">\n</head>'
    )
    article_date = (
        f'<div class="article-date"><span class="ms-formfieldlabel">Article Date:</span> {numeric(s.day)}</div>'
        if s.day
        else ""
    )
    byline = (
        f'<div class="article-byline ms-rtestate-field">{esc(s.description)}</div>' if s.description else ""
    )
    others = "".join(
        f'<tr><td class="ms-vb2"><a href="{u}">{esc(h)}</a></td><td class="ms-vb2">{numeric(d)}</td></tr>'
        for h, u, d in s.others(4)
    )
    body = f"""<form method="post" action="{attr(s.url)}" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
<div id="s4-titlerow"><div class="ms-breadcrumb-top"><a href="/">{esc(s.force)}</a> &gt; <a href="/News/Pages/default.aspx">News</a></div></div>
<div id="contentRow"><div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList">
<div class="ms-core-navigation"><h3>Recent news</h3><table class="ms-listviewtable">{others}</table></div></div>
<div id="contentBox"><div id="DeltaPlaceHolderMain"><a id="mainContent" name="mainContent" tabindex="-1"></a>
<div class="article article-body">
<div class="pageTitle"><h1><span id="DeltaPlaceHolderPageTitleInTitleArea">{esc(s.title)}</span></h1></div>
{article_date}
{byline}
<div class="article-content"><div id="ctl00_PlaceHolderMain_ctl02__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl02_label">
{s.body_html}
</div></div>
<div class="ms-rteElement-P">Page last modified: {numeric(s.updated)}</div>
</div></div></div></div>
<div id="footer"><p>&copy; Copyright {esc(s.force)} {s.reference.year + 2}</p></div>
</div></div></form>"""
    return _page(head, body, html_attrs='dir="ltr" lang="en-GB"')


def joomla(s: Story) -> str:
    """Joomla 3 (Protostar-like): div.item-page, dl.article-info with "Published: 03 March
    2020" in a <time itemprop="datePublished">, "Last Updated", "Hits"; meta description."""
    head = _head(
        s,
        f"{s.title} - {s.force}",
        '<meta name="generator" content="Joomla! - Open Source Content Management">',
        '<meta name="author" content="Press Office">',
        og=False,
    )
    info = ""
    if s.day:
        info = f"""<dl class="article-info muted">
<dt class="article-info-term">Details</dt>
<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">Written by <span itemprop="name">Press Office</span></dd>
<dd class="category-name">Category: <a href="/index.php/news" itemprop="genre">News</a></dd>
<dd class="published"><span class="icon-calendar" aria-hidden="true"></span>
<time datetime="{s.stamp}" itemprop="datePublished">Published: {s.day:%d %B %Y}</time></dd>
<dd class="modified"><span class="icon-calendar" aria-hidden="true"></span>
<time datetime="{s.updated_stamp}" itemprop="dateModified">Last Updated: {s.updated:%d %B %Y}</time></dd>
<dd class="hits"><span class="icon-eye-open" aria-hidden="true"></span><meta itemprop="interactionCount" content="UserPageVisits:1187">Hits: 1187</dd>
</dl>"""
    latest = "".join(
        f'<li itemscope><a href="{u}" itemprop="url"><span itemprop="name">{esc(h)}</span></a></li>'
        for h, u, _ in s.others(5)
    )
    body = f"""<div class="body"><div class="container">
<header class="header" role="banner"><div class="header-inner clearfix"><a class="brand pull-left" href="/"><span class="site-title" title="{attr(s.force)}">{esc(s.force)}</span></a></div></header>
<nav class="navigation" role="navigation"><ul class="nav menu nav-pills"><li class="item-101"><a href="/">Home</a></li><li class="item-102 current active"><a href="/index.php/news">News</a></li></ul></nav>
<div class="row-fluid"><main id="content" role="main" class="span9">
<ul itemscope itemtype="https://schema.org/BreadcrumbList" class="breadcrumb"><li>You are here: &#160;</li>
<li itemprop="itemListElement"><a itemprop="item" href="/" class="pathway"><span itemprop="name">Home</span></a></li>
<li itemprop="itemListElement"><a itemprop="item" href="/index.php/news" class="pathway"><span itemprop="name">News</span></a></li></ul>
<div id="system-message-container"></div>
<div class="item-page" itemscope itemtype="https://schema.org/Article">
<meta itemprop="inLanguage" content="en-GB">
<div class="page-header"><h2 itemprop="headline">{esc(s.title)}</h2></div>
{info}
<div itemprop="articleBody">
{s.body_html}
</div>
<ul class="pager pagenav"><li class="previous"><a class="hasTooltip" title="{attr(s.others(1)[0][0])}" href="{s.others(1)[0][1]}" rel="prev"><span class="icon-chevron-left"></span> <span aria-hidden="true">Prev</span></a></li></ul>
</div></main>
<div id="aside" class="span3"><div class="moduletable"><h3>Latest News</h3><ul class="latestnews mod-list">{latest}</ul></div></div>
</div></div></div>
<footer class="footer" role="contentinfo"><div class="container"><hr><p class="pull-right"><a href="#top" id="back-top">Back to Top</a></p>
<p>&copy; {s.reference.year} {esc(s.force)}</p></div></footer>"""
    return _page(head, body, body_attrs=' class="site com_content view-article no-layout no-task itemid-102"')


def ghost(s: Story) -> str:
    """Ghost (Casper theme): og:, article:published_time and JSON-LD; header with
    time.post-full-meta-date (datetime a date only), custom excerpt, read-next cards."""
    extra = [f'<link rel="canonical" href="{attr(s.url)}">']
    if s.day:
        extra += [
            f'<meta property="article:published_time" content="{s.stamp}">',
            f'<meta property="article:modified_time" content="{s.updated_stamp}">',
        ]
    extra.append(_news_article(s, "Article"))
    head = _head(s, s.title, *extra)
    meta = ""
    if s.day:
        meta = (
            '<section class="post-full-meta">'
            f'<time class="post-full-meta-date" datetime="{s.day.isoformat()}">{long_date(s.day)}</time>'
            '<span class="date-divider">/</span> <a href="/tag/news/">News</a></section>'
        )
    excerpt = f'<p class="post-full-custom-excerpt">{esc(s.description)}</p>' if s.description else ""
    cards = "".join(
        f'<article class="post-card post"><div class="post-card-content"><a class="post-card-content-link" href="{u}">'
        f'<header class="post-card-header"><h2 class="post-card-title">{esc(h)}</h2></header></a>'
        f'<footer class="post-card-meta"><span class="post-card-byline-date"><time datetime="{d.isoformat()}">{long_date(d)}</time>'
        '<span class="bull">&bull;</span> 2 min read</span></footer></div></article>'
        for h, u, d in s.others(3)
    )
    body = f"""<div class="site-wrapper">
<header class="site-header"><div class="outer site-nav-main"><div class="inner"><nav class="site-nav">
<div class="site-nav-left"><a class="site-nav-logo" href="{s.origin}/">{esc(s.force)}</a></div>
<div class="site-nav-content"><ul class="nav"><li class="nav-home"><a href="{s.origin}/">Home</a></li><li class="nav-news"><a href="{s.origin}/tag/news/">News</a></li></ul></div>
</nav></div></div></header>
<main id="site-main" class="site-main outer"><div class="inner">
<article class="post-full post tag-news">
<header class="post-full-header">
{meta}
<h1 class="post-full-title">{esc(s.title)}</h1>
{excerpt}
</header>
<figure class="post-full-image"><img src="{s.origin}/content/images/2020/03/header.jpg" alt="{attr(s.title)}"></figure>
<section class="post-full-content"><div class="post-content">
{s.body_html}
</div></section>
<section class="subscribe-form"><h3 class="subscribe-form-title">Subscribe to {esc(s.force)}</h3>
<p class="subscribe-form-description">Get the latest posts delivered right to your inbox</p>
<form data-members-form="subscribe"><input class="subscribe-email" type="email" placeholder="youremail@example.com"><button type="submit">Subscribe</button></form></section>
</article></div></main>
<aside class="read-next outer"><div class="inner"><div class="read-next-feed">{cards}</div></div></aside>
<footer class="site-footer outer"><div class="site-footer-content inner">
<section class="copyright"><a href="{s.origin}/">{esc(s.force)}</a> &copy; {s.reference.year + 1}</section>
<nav class="site-footer-nav"><a href="https://ghost.org" target="_blank" rel="noopener">Published with Ghost</a></nav></div></footer>
</div>"""
    return _page(head, body, body_attrs=' class="post-template tag-news"')


def squarespace(s: Story) -> str:
    """Squarespace (7.0 blog): og: with the site after an em dash, itemprop datePublished
    meta, article.BlogItem, time.dt-published "Mar 3, 2020", pagination with titles."""
    extra = [
        f'<link rel="canonical" href="{attr(s.url)}">',
        '<meta itemprop="name" content="' + attr(s.title) + '">',
    ]
    if s.day:
        stamp = datetime.combine(s.day, s.at, tzinfo=UK).strftime("%Y-%m-%dT%H:%M:%S%z")
        extra.append(f'<meta itemprop="datePublished" content="{stamp}">')
    head = _head(s, f"{s.title} \u2014 {s.force}", *extra)
    meta = ""
    if s.day:
        meta = (
            '<div class="blog-item-meta-wrapper"><span class="blog-author">Press Office</span>'
            f'<time class="dt-published blog-meta-item blog-meta-item--date" datetime="{s.day.isoformat()}">{us_short(s.day)}</time></div>'
        )
    (prev_h, prev_u, _), (next_h, next_u, _) = s.others(1)[0], s.others(1, after=True)[0]
    body = f"""<div class="Site" data-nc-base="header"><header class="Header Header--top"><div class="Header-inner">
<a href="/" class="Header-branding" data-nc-element="branding"><h1 class="Header-branding-logo">{esc(s.force)}</h1></a>
<nav class="Header-nav"><a href="/news" class="Header-nav-item">News</a><a href="/contact" class="Header-nav-item">Contact</a></nav></div></header>
<div class="Content-outer"><main class="Main Main--blog-item"><section class="Main-content" data-content-field="main-content">
<article class="BlogItem hentry category-news author-press-office post-type-text article-index-1" data-item-id="5e5e2b1c">
<div class="blog-item-wrapper"><div class="blog-item-top-wrapper">
{meta}
<h1 class="BlogItem-title entry-title" data-content-field="title">{esc(s.title)}</h1>
</div>
<div class="blog-item-content-wrapper"><div class="blog-item-content e-content" data-content-field="main-content">
<div class="sqs-layout sqs-grid-12 columns-12"><div class="row sqs-row"><div class="col sqs-col-12 span-12">
<div class="sqs-block html-block sqs-block-html"><div class="sqs-block-content">
{s.body_html}
</div></div></div></div></div></div></div>
<div class="BlogItem-share"><div class="Share-buttons">
<a class="Share-buttons-item Share-buttons-item--facebook" href="https://www.facebook.com/sharer/sharer.php?u={attr(s.url)}">Facebook</a>
<a class="Share-buttons-item Share-buttons-item--twitter" href="https://twitter.com/intent/tweet?url={attr(s.url)}">Twitter</a></div></div>
</div></article>
<nav class="BlogItem-pagination clear"><a href="{next_u}" class="BlogItem-pagination-link BlogItem-pagination-link--prev">
<div class="BlogItem-pagination-link-label">Previous</div><h2 class="BlogItem-pagination-link-title">{esc(next_h)}</h2></a>
<a href="{prev_u}" class="BlogItem-pagination-link BlogItem-pagination-link--next"><div class="BlogItem-pagination-link-label">Next</div>
<h2 class="BlogItem-pagination-link-title">{esc(prev_h)}</h2></a></nav>
</section></main></div>
<footer class="Footer"><div class="Footer-inner"><div class="sqs-block html-block"><p>{esc(s.force)} &copy; {s.reference.year}</p></div>
{_newsletter()}</div></footer></div>"""
    return _page(head, body, body_attrs=' id="item-5e5e2b1c" class="blog-item-page"')


def portal(s: Story) -> str:
    """A Bootstrap news portal: a "Latest" ticker with times, cards of other stories with
    dates above and below the article, "Tuesday 3 March 2020" in small muted text, a byline,
    og: tags but no date metadata and no JSON-LD."""
    head = _head(s, f"{s.title} | {s.force} News", '<link rel="stylesheet" href="/css/bootstrap.min.css">')
    ticker = " ".join(
        f'<li class="list-inline-item"><span class="badge bg-danger">{d:%d/%m} 0{i + 8}:30</span> <a href="{u}">{esc(h)}</a></li>'
        for i, (h, u, d) in enumerate(s.others(3, after=True))
    )

    def cards(items: list[tuple[str, str, date]]) -> str:
        return "".join(
            f'<div class="col-md-4"><div class="card mb-3"><div class="card-body">'
            f'<p class="card-text"><small class="text-muted">{weekday(d)}</small></p>'
            f'<h5 class="card-title"><a href="{u}" class="stretched-link">{esc(h)}</a></h5></div></div></div>'
            for h, u, d in items
        )

    dateline = (
        f'<p class="text-muted small mb-1"><i class="bi bi-calendar"></i> {weekday(s.day)}</p>'
        if s.day
        else ""
    )
    updated = f'<p class="text-muted small">Updated: {weekday(s.updated)} 16:40</p>' if s.day else ""
    lead = f'<p class="lead">{esc(s.description)}</p>' if s.description else ""
    body = f"""<div class="alert alert-dark alert-dismissible fixed-bottom mb-0" role="alert" id="cookieConsent">
This website uses cookies to improve your experience. <a href="/cookies" class="alert-link">Cookie policy</a>
<button type="button" class="btn btn-primary btn-sm" data-bs-dismiss="alert">Accept</button></div>
<nav class="navbar navbar-expand-lg navbar-dark bg-primary"><div class="container"><a class="navbar-brand" href="/">{esc(s.force)}</a>
<ul class="navbar-nav"><li class="nav-item"><a class="nav-link active" href="/news">News</a></li><li class="nav-item"><a class="nav-link" href="/appeals">Appeals</a></li></ul></div></nav>
<div class="bg-light border-bottom py-1"><div class="container"><strong>Latest:</strong> <ul class="list-inline d-inline">{ticker}</ul></div></div>
<div class="container my-4">
<nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li><li class="breadcrumb-item"><a href="/news">News</a></li>
<li class="breadcrumb-item active" aria-current="page">{esc(s.title)}</li></ol></nav>
<div class="row">{cards(s.others(3, after=True))}</div>
<div class="row"><div class="col-lg-8">
{dateline}
<h1 class="display-6">{esc(s.title)}</h1>
<p class="text-muted">By <a href="/news/author/press-office">Press Office</a></p>
{lead}
<div class="article-body">
{s.body_html}
</div>
{updated}
</div>
<div class="col-lg-4"><div class="card"><div class="card-header">Most read</div><ul class="list-group list-group-flush">
{"".join(f'<li class="list-group-item"><a href="{u}">{esc(h)}</a><br><small>{numeric(d)}</small></li>' for h, u, d in s.others(4))}
</ul></div>{_newsletter()}</div></div>
<h4 class="mt-4">More news</h4><div class="row">{cards(s.others(3))}</div>
</div>
<footer class="bg-dark text-white py-4"><div class="container"><p>&copy; {esc(s.force)} 2014&ndash;{s.reference.year + 3}. All rights reserved.</p></div></footer>"""
    return _page(head, body)


def amp(s: Story) -> str:
    """An AMP article page: <html ⚡>, amp-boilerplate, JSON-LD NewsArticle (datePublished and
    dateModified, as AMP asks), amp-img, the date as "3rd March 2020 10:15"."""
    extra = [
        f'<link rel="canonical" href="{attr(s.url)}">',
        '<script async src="https://cdn.ampproject.org/v0.js"></script>',
        "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>",
        "<noscript><style amp-boilerplate>body{-webkit-animation:none}</style></noscript>",
        "<style amp-custom>.byline{color:#555}</style>",
        _news_article(s),
    ]
    head = _head(s, f"{s.title} - {s.force}", *extra, og=False)
    stamp = (
        f'<p class="byline">Press Office &middot; <time datetime="{s.stamp}">{ordinal_time(s.day, s.at)}</time></p>'
        if s.day
        else '<p class="byline">Press Office</p>'
    )
    more = "".join(
        f'<li><a href="{u}">{esc(h)}</a> <span>{ordinal_time(d, time(9, 0))}</span></li>'
        for h, u, d in s.others(3)
    )
    body = f"""<amp-analytics type="googleanalytics"><script type="application/json">{{"vars": {{"account": "UA-000000-1"}}}}</script></amp-analytics>
<header class="site-header"><a href="{s.origin}/">{esc(s.force)}</a></header>
<article class="amp-article">
<h1 class="amp-title">{esc(s.title)}</h1>
{stamp}
<amp-img src="{s.origin}/media/lead.jpg" width="1200" height="675" layout="responsive" alt=""></amp-img>
<div class="amp-content">
{s.body_html}
</div>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="facebook"></amp-social-share>
</article>
<section class="more"><h2>More from {esc(s.force)}</h2><ul>{more}</ul></section>
<footer><p>&copy; {s.reference.year} {esc(s.force)} &middot; <a href="{attr(s.url)}">View full site</a></p></footer>"""
    return _page(head, body, html_attrs='\u26a1 lang="en"')


def pressroom(s: Story) -> str:
    """A press-release hub (Mynewsdesk/Prezly-like): og: tags, "Press release • 3 March 2020
    10:15 GMT" above the headline, topics, a contacts box, latest releases with their dates."""
    head = _head(
        s,
        f"{s.title} | {s.force}",
        f'<link rel="canonical" href="{attr(s.url)}">',
        '<meta name="twitter:card" content="summary_large_image">',
    )
    kicker = (
        f'<p class="material-header__type">Press release &bull; {long_date(s.day)} {s.at:%H:%M} {_zone(s.day, s.at)}</p>'
        if s.day
        else '<p class="material-header__type">Press release</p>'
    )
    latest = "".join(
        f'<li class="panel__item"><a href="{u}"><span class="panel__type">Press release</span>'
        f'<h3>{esc(h)}</h3><time datetime="{d.isoformat()}">{long_date(d)}</time></a></li>'
        for h, u, d in s.others(4, after=True)
    )
    summary = (
        f'<div class="material-body__summary"><strong>{esc(s.description)}</strong></div>'
        if s.description
        else ""
    )
    body = f"""<div id="cookie-consent" class="cookie-consent"><p>This newsroom uses cookies. By continuing you accept our use of cookies.</p><button>OK</button></div>
<header class="newsroom-header"><a class="newsroom-header__logo" href="/">{esc(s.force)} newsroom</a>
<nav><a href="/latest_news">News</a> <a href="/pressreleases">Press releases</a> <a href="/images">Images</a> <a href="/contact_people">Contacts</a></nav></header>
<main class="newsroom-main"><div class="material">
<header class="material-header">{kicker}<h1 class="material-header__title">{esc(s.title)}</h1></header>
<div class="material-body">
{summary}
<div class="material-body__text">
{s.body_html}
</div></div>
<div class="material-tags"><h4>Topics</h4><a href="/topics/crime">Crime</a> <a href="/topics/appeals">Appeals</a></div>
<div class="contacts-box"><h4>Contacts</h4><p>Press Office<br>Press contact<br><a href="mailto:press@example.police.uk">press@example.police.uk</a><br>01234 567890</p></div>
<div class="share-box">{_share(s)}</div>
</div>
<aside class="panel"><h2 class="panel__title">Latest news</h2><ul>{latest}</ul></aside></main>
<footer class="newsroom-footer"><p>{esc(s.force)} &copy; {s.reference.year}. Powered by newsroom software.</p></footer>"""
    return _page(head, body)


Template = Callable[[Story], str]
#: Every template by name, in the order the benchmark reports them.
TEMPLATES: dict[str, Template] = {
    "wordpress": wordpress,
    "drupal": drupal,
    "govuk": govuk,
    "webforms": webforms,
    "sharepoint": sharepoint,
    "joomla": joomla,
    "ghost": ghost,
    "squarespace": squarespace,
    "portal": portal,
    "amp": amp,
    "pressroom": pressroom,
}


def story(article: Article, force: Force, site: Site) -> Story:
    """What a page shows of a record: the expected record's fields when it can be made whole;
    else the raw record's, with no publication date."""
    expected = expected_record(article, force, site)
    raw_date = str(article.get("publish.date") or "") + " " + str(article.get("time") or "")
    clock = _CLOCK.search(raw_date)
    at = time(int(clock.group(1)), int(clock.group(2))) if clock else time(10, 15)
    origin = site.origin.rstrip("/")
    if expected is not None:
        return Story(
            expected.title,
            expected.url,
            expected.published,
            at,
            expected.description,
            markdown_to_html(expected.body),
            force.name,
            origin,
        )
    title = str(article.get("og.title") or article.title or "")
    return Story(
        title,
        article.url,
        None,
        at,
        extraction(article).description,
        markdown_to_html(article.body),
        force.name,
        origin,
    )


def render(name: str, article: Article, force: Force, site: Site) -> str:
    """A record's article page as template ``name`` writes it."""
    return TEMPLATES[name](story(article, force, site))
