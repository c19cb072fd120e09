"""Generic main-text extraction: the last layer, for markup no platform selector fits.

Boilerplate is dropped by element kind and by class/id words (navigation, cookie banners,
share links, related news, footers), except where such a word marks a wrapper that holds the
prose; the main text is then found readability-style: every paragraph scores its parent and,
less, its further ancestors (more for longer text and commas, nothing for link text; an
<article> nested in another, a related one, scores only itself), the best-scoring container
wins (or the block holding the headline, an <h1> repeating the page's title, when that
block holds as much prose: the best was other articles' openings), and its siblings that read
as part of the same text join it. Inside it, the headline and what stands before it, bylines
and blocks of links (not a link inside a sentence) leave. It is measured against trafilatura on
``../shared/extraction-benchmark`` by the benchmarks (``python -m benchmarks``).
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

#: Elements and class/id words that are never article text.
BOILERPLATE: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "nav",
    "footer",
    "aside",
    "[hidden]",
    '[aria-hidden="true"]',
    '[role="navigation"]',
    '[role="banner"]',
    '[role="contentinfo"]',
    '[role="complementary"]',
)
_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:cookie|consent|share|sharing|social|related|breadcrumbs?|nav|navbar|menu|"
    r"footer|sidebar|newsletter|banner|promo|advert|ads?|comments?|skip|pager|pagination|"
    r"subscribe|signup|tags?|byline-share|print|back-to-top|sr-only|visually-hidden)(?:$|[\s_-])",
    re.I,
)
#: Noise words that end an element whatever it holds (a comment thread is prose, not article).
_ALWAYS_NOISE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|comments?|disqus|related|breadcrumbs?|newsletter|"
    r"sr-only|visually-hidden|skip|back-to-top|pagination|pager|caption|credits?|gallery|"
    r"most-read|mostread|popular|trending|recommended|read-more|readmore|more-stories)(?:$|[\s_-])",
    re.I,
)
#: Class/id words of containers that hold article text (readability's positive list).
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich", re.I
)
_NEGATIVE = re.compile(
    r"hidden|^hid$|hid$|hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|tool|widget|social|subscribe|newsletter|popup|modal|ad-|advert",
    re.I,
)
_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "button",
        "nav",
        "footer",
        "aside",
        "select",
        "input",
        "textarea",
        "label",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
    }
)
#: Not article text for the main-text search (captions and credits of pictures, galleries).
_MAIN_ONLY_DROP = frozenset({"figure", "figcaption", "dialog", "menu"})
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alert"})
_LIST_TAGS = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr"})
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        "img",
        "picture",
        "source",
    }
)
_PARAGRAPHS = frozenset({"p", "pre", "blockquote", "li", "td", "dd", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’)]?(?:\s|$)")


def _attrs(el: Any) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".strip()


@lru_cache(maxsize=4096)
def _says(attrs: str) -> tuple[bool, bool, bool]:
    """Whether class/id words say always-noise, noise, article (``_ALWAYS_NOISE``,
    ``_NOISE_WORDS``, ``_POSITIVE``), worked out once per text: a site's templates repeat
    theirs on every page, and the patterns are slow to try."""
    return bool(_ALWAYS_NOISE.search(attrs)), bool(_NOISE_WORDS.search(attrs)), bool(_POSITIVE.search(attrs))


def _is_noise(el: Any) -> bool:
    attrs = _attrs(el)
    return bool(attrs) and _says(attrs)[1]


def _text_len(el: Any) -> int:
    return len(" ".join(el.text_content().split()))


def _link_len(el: Any) -> int:
    return sum(len(" ".join((a.text_content() or "").split())) for a in el.iter("a"))


def _holds_prose(el: Any) -> bool:
    """A wrapper with a boilerplate-looking class that holds the article's paragraphs: at
    least two paragraphs of prose (long, few links), 400 characters in all."""
    count = total = 0
    for p in el.iter("p"):
        length = _text_len(p)
        if length >= 80 and _link_len(p) < 0.3 * length:
            count += 1
            total += length
            if count >= 2 and total >= 400:
                return True
    return False


def is_boilerplate(el: Any, by_class: bool = True) -> bool:
    """Whether a whole element is boilerplate (the root and <body> never are); ``by_class``:
    judged by its class and id words too, not only by its tag, role and visibility."""
    tag = el.tag
    if tag in _DROP_TAGS or tag in _MAIN_ONLY_DROP:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if el.get("role") in _DROP_ROLES:
        return True
    if tag == "form":
        # Some sites (ASP.NET) wrap the whole page in one form: keep a form that holds prose or
        # the page's <h1> (a short article's page).
        return not (_holds_prose(el) or next(el.iter("h1"), None) is not None)
    style = el.get("style", "")
    if "display:none" in style.replace(" ", "") or "visibility:hidden" in style.replace(" ", ""):
        return True
    if not by_class:
        return False
    attrs = _attrs(el)
    if not attrs:
        return False
    always, noise, positive = _says(attrs)
    if always:
        return not (positive and _holds_prose(el))
    if noise:
        return not _holds_prose(el)
    return False


def _prune(root: Any) -> None:
    """Drop boilerplate under ``root`` (top down: a dropped element's descendants are not
    judged), and comments."""
    stack = list(root)
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            _drop(el)  # a comment or processing instruction
            continue
        if el.tag in ("html", "body"):
            stack.extend(el)
            continue
        if is_boilerplate(el):
            _drop(el)
        else:
            stack.extend(el)


def _drop(el: Any) -> None:
    """Remove an element, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_BOILERPLATE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav", "footer", "aside"}
)
_BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})


def _is_boilerplate(el: Any) -> bool:
    """``BOILERPLATE``'s selectors, as one test (no CSS engine per selector and page)."""
    return (
        el.tag in _BOILERPLATE_TAGS
        or el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or el.get("role") in _BOILERPLATE_ROLES
    )


def _drop_noise_inside(container: Any) -> None:
    """Noise-classed elements inside the container (itself kept whatever its class says)."""
    for el in list(container.iterdescendants()):
        if isinstance(el.tag, str) and el.getparent() is not None and _is_noise(el) and not _holds_prose(el):
            el.drop_tree()


def _clean_fast(node: Any) -> str:
    """``clean_html`` of one node with the default rules, on a copy of its own tree (no
    serialising and parsing again, one walk instead of a CSS query per rule)."""
    root = copy.deepcopy(node.root)
    root.tail = None
    if _is_boilerplate(root):
        return "<html><body></body></html>"
    stack = [root]
    while stack:
        el = stack.pop()
        for child in list(el):
            if not isinstance(child.tag, str):
                continue
            if _is_boilerplate(child):
                child.drop_tree()
            else:
                stack.append(child)
    if root.tag in ("html", "body"):
        # A whole page (or its <body>): what sits directly in the <body> counts as containers.
        body = root if root.tag == "body" else root.find("body")
        for top in list(body) if body is not None else []:
            if isinstance(top.tag, str):
                _drop_noise_inside(top)
        html = etree.tostring(root, method="html", encoding="unicode", with_tail=False)
        return html if root.tag == "html" else f"<html>{html}</html>"
    _drop_noise_inside(root)
    html = etree.tostring(root, method="html", encoding="unicode", with_tail=False)
    return f"<html><body>{html}</body></html>"


def clean_html(nodes: Any, strip: tuple[str, ...] = BOILERPLATE) -> str:
    """HTML of the given node(s) with boilerplate elements removed."""
    parts = []
    for node in nodes if isinstance(nodes, list) else [nodes]:
        if tuple(strip) == BOILERPLATE and isinstance(getattr(node, "root", None), lxml_html.HtmlElement):
            parts.append(_clean_fast(node))
            continue
        sel = Selector(text=node.get()) if isinstance(node, Selector) else node
        for css in strip:
            sel.css(css).drop()
        for top in sel.xpath("//body/*"):
            _drop_noise_inside(top.root)
        parts.append(sel.get())
    return "\n".join(parts)


def _own_text(el: Any) -> str:
    """The text of an element outside its block children (inline children included)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in _INLINE:
            parts.append(child.text_content() or "")
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


#: Utility-CSS class tokens ("text-lg", "bg-white", "md:w-2/3", "mt-4"): styling, not meaning, so
#: "text" or "content" in them says nothing about the element.
_UTILITY = re.compile(
    r"^(?:[a-z]+:\S+|(?:text|bg|font|leading|tracking|border|rounded|shadow|w|h|min-w|max-w|min-h|max-h|"
    r"gap|space-[xy]|items|justify|self|place|order|z|opacity|overflow|inset|top|bottom|left|"
    r"right|[mp][xytblrse]?)-\S+|flex|grid|block|inline|inline-block|hidden|container|relative|absolute)$"
)


def _class_weight(el: Any) -> float:
    attrs = " ".join(t for t in _attrs(el).split() if not _UTILITY.match(t))
    if not attrs:
        return 0.0
    weight = 0.0
    if _NEGATIVE.search(attrs):
        weight -= 25
    if _POSITIVE.search(attrs):
        weight += 25
    return weight


def _paragraphs(root: Any) -> list[tuple[Any, str]]:
    """Text blocks: paragraph-like elements, and other elements' own text (a <div> of text
    with <br>s), each with its text."""
    found = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _INLINE:
            continue
        if tag in _PARAGRAPHS:
            # A list item or cell that holds blocks of its own is scored through them.
            if tag in ("li", "td", "dd", "blockquote") and any(
                isinstance(c.tag, str) and c.tag in _PARAGRAPHS for c in el
            ):
                text = _own_text(el)
            else:
                text = " ".join(el.text_content().split())
        else:
            text = _own_text(el)
        if len(text) >= 25:
            found.append((el, text))
    return found


def _nested_article(el: Any) -> bool:
    """An <article> inside another: a related article (HTML's meaning), whose text is not
    the outer one's."""
    return el.tag == "article" and any(a.tag == "article" for a in el.iterancestors())


def _score(root: Any) -> dict[Any, float]:
    scores: dict[Any, float] = {}
    for block, text in _paragraphs(root):
        links = _link_len(block) if block.tag in _PARAGRAPHS else 0
        density = min(links / max(len(text), 1), 1.0)
        value = (1 + text.count(",") + text.count("，") + min(len(text) / 100, 3)) * (1 - density)
        if block.tag in _HEADINGS:
            value *= 0.5
        own = block.tag not in _PARAGRAPHS
        node = block if own else block.getparent()
        level = 0
        while node is not None and level < 4:
            while node is not None and node.tag in _LIST_TAGS:
                node = node.getparent()
            if node is None:
                break
            if node not in scores:
                scores[node] = _class_weight(node) + (
                    5 if node.tag in ("div", "article", "section", "main") else 0
                )
            scores[node] += value if level == 0 else value / 2 if level == 1 else value / (level * 3)
            if _nested_article(node):
                break
            node = node.getparent()
            level += 1
    return scores


def _link_density(el: Any) -> float:
    text = _text_len(el)
    return _link_len(el) / text if text else 1.0


_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\W*$")


def _is_teaser(block: Any, text: str) -> bool:
    """Another article's entry: a link (its headline) and the start of its text, cut short
    with an ellipsis. Not prose of the article, so a list of them does not draw the choice of
    container up to one that holds both."""
    return bool(_ELLIPSIS.search(text)) and any(True for _ in block.iter("a"))


def _prose(root: Any) -> dict[Any, int]:
    """Per element, the length of the prose paragraphs inside it (80+ characters, few links)."""
    prose: dict[Any, int] = {}
    for block, text in _paragraphs(root):
        if block.tag in _HEADINGS or len(text) < 80:
            continue
        if block.tag in _PARAGRAPHS and _link_len(block) > 0.3 * len(text):
            continue
        if _is_teaser(block, text):
            continue
        node = block
        while node is not None:
            prose[node] = prose.get(node, 0) + len(text)
            node = None if _nested_article(node) else node.getparent()
    return prose


def _best(scores: dict[Any, float], prose: dict[Any, int]) -> Any | None:
    if not scores:
        return None
    final = {el: s * (1 - _link_density(el)) for el, s in scores.items()}
    best = max(final, key=lambda el: final[el])
    # An article split over several blocks (sections between pictures, paragraphs as divs):
    # the ancestor that holds clearly more of the prose, when prose is most of its text; never
    # past a <main> (the page's main content, as HTML says: what lies outside it is not).
    bound = best.xpath("ancestor-or-self::main[1]")
    outside = set(bound[0].iterancestors()) if bound else set()
    parent = best.getparent()
    while parent is not None and parent.tag not in ("html", "body") and parent not in outside:
        mine, theirs = prose.get(best, 0), prose.get(parent, 0)
        if (
            parent in final
            and final[parent] >= 0.75 * final.get(best, 0)
            and _text_len(parent) < 3 * max(_text_len(best), 1)
        ) or (theirs >= 1.25 * mine + 200 and theirs >= 0.5 * _text_len(parent)):
            best = parent
            parent = best.getparent()
        else:
            parent = parent.getparent() if theirs == mine else None
    return best


def _with_siblings(best: Any, scores: dict[Any, float]) -> Any:
    """The best container, and the siblings that continue its text."""
    parent = best.getparent()
    if parent is None:
        return best
    top = scores.get(best, 0)
    threshold = max(10.0, top * 0.2)
    joined = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is best:
            joined.append(sib)
            continue
        score = scores.get(sib, 0) * (1 - _link_density(sib))
        if score >= threshold and (
            (_attrs(sib) and _attrs(sib) == _attrs(best)) or (_link_density(sib) < 0.2 and _holds_prose(sib))
        ):
            joined.append(sib)
        elif sib.tag == "p" or (
            sib.tag == "div" and not any(isinstance(c.tag, str) and c.tag not in _INLINE for c in sib)
        ):
            text = " ".join(sib.text_content().split())
            density = _link_density(sib)
            if (len(text) > 80 and density < 0.25) or (
                0 < len(text) <= 80 and density == 0 and _SENTENCE_END.search(text)
            ):
                joined.append(sib)
    if len(joined) == 1:
        return best
    wrapper = lxml_html.Element("div")
    for el in joined:
        clone = copy.deepcopy(el)
        clone.tail = None
        wrapper.append(clone)
    return wrapper


def _is_link_list(el: Any) -> bool:
    """A list whose every item is a link with at most a date (a short text with digits)
    beside it: other articles."""
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if not items:
        return False
    for li in items:
        text = " ".join(li.text_content().split())
        links = " ".join(" ".join(a.text_content().split()) for a in li.iter("a"))
        rest = (text.replace(links, " ", 1) if links else text).strip()
        if not links or (rest and (len(rest) > 48 or not any(c.isdigit() for c in rest))):
            return False
    return True


#: Class/id words of an article's byline (readability's).
_BYLINE = re.compile(r"byline|author|dateline|writtenby|p-author", re.I)


def _is_byline(el: Any) -> bool:
    """The byline: who wrote it, a short text marked as such (by class/id, rel or itemprop)."""
    if not isinstance(el.tag, str):
        return False
    marked = (
        el.get("rel") == "author"
        or "author" in (el.get("itemprop") or "")
        or bool(_BYLINE.search(_attrs(el)))
    )
    return marked and 0 < _text_len(el) < 100


def _in_running_text(el: Any) -> bool:
    """An element with text right before or after it: part of a sentence (a link wrapped in a
    <span>), not a block of its own."""
    before = el.getprevious()
    text_before = before.tail if before is not None else el.getparent().text
    return bool((text_before or "").strip() or (el.tail or "").strip())


def _tidy(node: Any) -> None:
    """Inside the chosen container: blocks of links (lists, tables, divs mostly links, lists
    of other articles with their dates, and the heading over such a list, paragraphs that are
    each a link one after another) and blocks scored as boilerplate leave, then bylines (last:
    a byline's words count in a block's text while its links are weighed)."""
    for el in list(node.iter("ul", "ol")):
        if el is not node and el.getparent() is not None and _is_link_list(el):
            heading = el.getprevious()
            if heading is not None and heading.tag in _HEADINGS and not (el.getparent().text or "").strip():
                _drop(heading)
            _drop(el)
    for el in list(node.iter("ul", "ol", "table", "div", "section", "dl", "li", "header", "article", "span")):
        if el is node or el.getparent() is None or _in_running_text(el):
            continue
        text = _text_len(el)
        if text == 0:
            if not any(True for _ in el.iter("img", "picture", "video")):
                _drop(el)
            continue
        density = _link_density(el)
        mostly_links = density > 0.5 and text < 2000
        if mostly_links or (_class_weight(el) < 0 and density > 0.2 and text < 500):
            _drop(el)
    # Paragraphs that are each a link, one after another: other articles' list, as paragraphs.
    links = {p for p in node.iter("p") if _text_len(p) and _link_density(p) >= 0.9}
    for p in [p for p in links if p.getprevious() in links or p.getnext() in links]:
        _drop(p)
    for el in list(node.iter()):
        if el is not node and el.getparent() is not None and _is_byline(el):
            _drop(el)


_WORD = re.compile(r"\w+")


def _titles(root: Any) -> list[set[str]]:
    """The words of the page's titles (``<title>``, og:title): what its headline repeats."""
    found = [" ".join(t.text_content().split()) for t in root.xpath("//head/title")]
    found += root.xpath('//meta[@property="og:title"]/@content')
    return [words for words in (set(_WORD.findall(t.casefold())) for t in found) if words]


def _is_title(heading: Any, titles: list[set[str]]) -> bool:
    """A heading that repeats the page's title (readability's test: three quarters of its
    text in words of the title)."""
    words = _WORD.findall(heading.text_content().casefold())
    if len(words) < 2:
        return False
    total = sum(map(len, words))
    return any(sum(len(w) for w in words if w not in title) <= 0.25 * total for title in titles)


def _drop_title(node: Any, titles: list[set[str]]) -> None:
    """The headline above the text is the title, not body text, and what stands before it in
    the container (breadcrumbs, a section label) is not either. Further down, a heading that
    repeats the title is a section of the text (a recipe's name over its steps): it stays."""
    for el in node.iter("h1", "h2", "p"):
        if el.tag == "p":
            text = " ".join(el.text_content().split())
            if len(text) >= 80 or (len(text) >= 25 and _SENTENCE_END.search(text)):
                return  # the text has begun (a date line or a label has not)
        elif _is_title(el, titles):
            child = el
            while child is not node:
                parent = child.getparent()
                for before in list(child.itersiblings(preceding=True)):
                    parent.remove(before)
                parent.text = None
                child = parent
            _drop(el)
            return


def _headline_block(best: Any, root: Any, titles: list[set[str]], prose: dict[Any, int]) -> Any:
    """The article is where its headline is: when the page's headline (an <h1> repeating the
    title) stands in another block of at least as much prose as the best one (the best a list
    of other articles' openings), that block."""
    heading = next((h for h in root.iter("h1") if _is_title(h, titles)), None)
    if heading is None or not prose.get(best):
        return best  # no headline, or no prose to weigh (an article of short lines)
    inside = set(best.iterancestors()) | {best}
    for block in heading.iterancestors():
        if block in inside:
            return best
        if prose.get(block, 0) >= prose.get(best, 0):
            return block
    return best


def main_content(sel: Selector) -> Selector | None:
    """The element that holds the article text, by paragraph text density."""
    root: Any = getattr(sel, "root", None)
    if isinstance(root, etree._Element):
        root = copy.deepcopy(root)
        root.tail = None
    else:
        try:
            root = lxml_html.fromstring(sel.get())
        except (etree.ParserError, ValueError):
            return None
    titles = _titles(root)
    _prune(root)
    scores = _score(root)
    prose = _prose(root)
    best = _best(scores, prose)
    if best is None:
        return None
    best = _headline_block(best, root, titles, prose)
    node = _with_siblings(best, scores)
    _tidy(node)
    _drop_title(node, titles)
    return Selector(text=lxml_html.tostring(node, encoding="unicode"))
