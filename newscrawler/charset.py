"""Pages whose declared charset is wrong, read right.

Scrapy takes a page's encoding from its BOM, then the Content-Type header, then the
``<meta charset>``, and only guesses when none is given; bytes invalid in the chosen encoding
become U+FFFD. Old CMS pages break this both ways: Windows-1252 text (curly quotes, £) labelled
UTF-8, UTF-8 labelled Latin-1 (``Â£`` for ``£``), and no label at all. Either would put mojibake
in a record, so the bytes decide: valid UTF-8 is UTF-8 (Windows-1252 prose is almost never
valid UTF-8), and bytes that are not UTF-8 in a page labelled UTF-8 (or not labelled) are read
as Windows-1252, byte run by byte run, so a UTF-8 template around a pasted Windows-1252 body
comes out right too.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

_HANDLER = "newscrawler-cp1252"
#: Bytes Windows-1252 leaves undefined: read as the C1 controls they are in Latin-1 (as
#: browsers do).
_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
#: Single-byte encodings a UTF-8 page is mislabelled with.
_LEGACY = frozenset(codecs.lookup(n).name for n in ("cp1252", "latin-1", "iso8859-15", "ascii"))


def _cp1252_run(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return "".join(chr(b) if b in _UNDEFINED else bytes([b]).decode("cp1252") for b in bad), err.end


codecs.register_error(_HANDLER, _cp1252_run)


def _name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_encoding(content_type: str, body: bytes) -> str | None:
    """The encoding a page states: the Content-Type header's charset, else its ``<meta>``."""
    return _name(http_content_type_encoding(content_type) or html_body_declared_encoding(body))


def redecode(body: bytes, declared: str | None) -> str | None:
    """The text of an HTML page whose declared encoding (``declared``) misreads it, or None
    when reading it as declared (or, undeclared, as Scrapy guesses) is right."""
    if read_bom(body)[0] is not None:
        return None  # a BOM is what every reader obeys first, Scrapy included
    declared = _name(declared)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        if declared in (None, "utf-8"):
            return body.decode("utf-8", _HANDLER)
        return None
    if declared in _LEGACY and not body.isascii():
        return text
    return None
