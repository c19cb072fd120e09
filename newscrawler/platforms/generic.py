"""Generic main-text extraction: the last layer, for markup no platform selector fits.

Boilerplate is dropped by element kind and by class/id words (navigation, cookie banners,
share links, related news, footers); the main text is the container whose paragraphs hold the
most text, a readability-style score. It is measured against trafilatura on
``../shared/extraction-benchmark`` by the benchmarks.
"""

from __future__ import annotations

import re
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
_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "blockquote", "pre", "td")


def _is_noise(el: Any) -> bool:
    attrs = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(attrs.strip()) and bool(_NOISE_WORDS.search(attrs))


def clean_html(nodes: Any, strip: tuple[str, ...] = BOILERPLATE) -> str:
    """HTML of the given node(s) with boilerplate elements removed."""
    parts = []
    for node in nodes if isinstance(nodes, list) else [nodes]:
        sel = Selector(text=node.get()) if isinstance(node, Selector) else node
        for css in strip:
            sel.css(css).drop()
        # The container itself is kept whatever its class says; only what is inside is judged.
        for top in sel.xpath("//body/*"):
            for el in list(top.root.iterdescendants()):
                if isinstance(el.tag, str) and _is_noise(el):
                    el.drop_tree()
        parts.append(sel.get())
    return "\n".join(parts)


def main_content(sel: Selector) -> Selector | None:
    """The element that holds the article text, by paragraph text density."""
    try:
        root = lxml_html.fromstring(sel.get())
    except (etree.ParserError, ValueError):
        return None
    for css in BOILERPLATE:
        for el in root.cssselect(css):
            if el.getparent() is not None:
                el.drop_tree()
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and _is_noise(el):
            el.drop_tree()
    scores: dict[Any, float] = {}
    for block in root.iter(*_BLOCK_TAGS):
        text = " ".join(block.text_content().split())
        if len(text) < 25:
            continue
        links = sum(len(" ".join(a.text_content().split())) for a in block.iter("a"))
        weight = len(text) * (1 - min(links / max(len(text), 1), 1)) + text.count(",") * 10
        parent = block.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + weight
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + weight / 2
    if not scores:
        return None
    best = max(scores, key=lambda el: scores[el])
    return Selector(text=lxml_html.tostring(best, encoding="unicode"))
