"""The replica's fault mode itself (newscrawler.replica.faults): specs, where and how often a
fault applies, and what each one puts on the wire."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from newscrawler.record import Article, ArticleWriter
from newscrawler.replica import ReplicaServer
from newscrawler.replica.faults import Faults, FaultSpecError, Rule

BEDS = "https://www.bedfordshire.police.uk"
HOST = "/www.bedfordshire.police.uk"
PAGE = "/news-and-appeals/appeal-one"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults-source")
    writer = ArticleWriter(root)
    for n, slug in enumerate(["appeal-one", "appeal-two"]):
        writer.write(
            Article.build(
                area="Bedfordshire",
                title=f"Appeal {slug}",
                url=f"{BEDS}/news-and-appeals/{slug}",
                description="A £400 fine – ‘quoted’.",
                published=date(2020, 1, n + 1),
                body="A £400 fine – ‘quoted’.\n\nCall 101.",
            )
        )
    return root


class Served:
    """The module's replica with the faults of one test."""

    def __init__(self, server: ReplicaServer, faults: Faults) -> None:
        self.server, self.faults = server, faults
        self.port = int(server.base_url.rsplit(":", 1)[1])

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of a site path; "INCOMPLETE:" when the body was cut."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", HOST + path)
            response = conn.getresponse()
            try:
                body = response.read()
            except http.client.IncompleteRead as cut:
                body = b"INCOMPLETE:" + cut.partial
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


Serve = Callable[..., Served]


@pytest.fixture(scope="module")
def replica(source: Path) -> Iterator[tuple[ReplicaServer, list[Faults]]]:
    """One server for the module (stopping one takes half a second); each test puts its own
    Faults behind the hook."""
    current: list[Faults] = [Faults()]
    with ReplicaServer(source, forces=["bedfordshire"], fault=lambda target: current[0](target)) as server:
        yield server, current


@pytest.fixture
def serve(replica: tuple[ReplicaServer, list[Faults]]) -> Serve:
    server, current = replica

    def start(*specs: str, seed: int = 0) -> Served:
        current[0] = Faults(specs, seed=seed).bind(server)
        return Served(server, current[0])

    return start


def test_specs_are_read_and_bad_ones_refused() -> None:
    rule = Rule.parse("status=429, retry-after=2, path=/news/*, times=3")
    assert (rule.kind, rule.value, rule.path, rule.times, rule.rate) == ("status", "429", "/news/*", 3, 1.0)
    assert rule.option("retry-after") == "2"
    assert Rule.parse("disallow=/news").path == "/robots.txt"
    for bad in ("nosuch", "status=abc", "charset=ebcdic", "xml", "drop,times=0", "slow,rate=2", "empty,path"):
        with pytest.raises(FaultSpecError):
            Rule.parse(bad)


def test_times_makes_a_burst_then_the_real_page(serve: Serve) -> None:
    s = serve(f"status=503,times=2,path={PAGE}")
    assert [s.get(PAGE)[0] for _ in range(3)] == [503, 503, 200]
    assert s.get("/news-and-appeals/appeal-two")[0] == 200  # the glob names one page
    assert [h.faults for h in s.faults.requests(PAGE)] == [("status",), ("status",), ()]


def test_rates_are_seeded_and_repeatable(serve: Serve) -> None:
    runs = []
    for seed in (7, 7, 8):
        s = serve("status=500,rate=0.5", seed=seed)
        runs.append([s.get(PAGE)[0] for _ in range(30)])
    assert runs[0] == runs[1] != runs[2]
    assert 0 < runs[0].count(500) < 30


def test_retry_after_is_sent(serve: Serve) -> None:
    status, headers, _ = serve("status=429,retry-after=5").get(PAGE)
    assert (status, headers["retry-after"]) == (429, "5")


def test_drop_closes_the_connection_mid_body(serve: Serve) -> None:
    s = serve("drop")
    assert s.get(PAGE)[2] == b"INCOMPLETE:"
    with socket.create_connection(("127.0.0.1", s.port), timeout=30) as raw:
        raw.sendall(f"GET {HOST}{PAGE} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        received = b""
        while chunk := raw.recv(65536):  # until the server closes
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    size, _, sent = body.partition(b"\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert sent.startswith(b"<!DOCTYPE html>") and 0 < len(sent) < int(size, 16)


@pytest.mark.parametrize(
    "spec, check",
    [
        ("truncate", lambda b: b.startswith(b"<!DOCTYPE html>") and b"</html>" not in b),
        ("empty", lambda b: b == b""),
        ("error200", lambda b: b"Page not found" in b),
        ("huge=50000", lambda b: len(b) >= 50_000 and b.rstrip().endswith(b"</html>")),
        ("charset=cp1252-as-utf8", lambda b: b"\xa3400" in b and b'charset="utf-8"' in b),
        ("charset=utf8-as-cp1252", lambda b: "£400".encode() in b and b'charset="windows-1252"' in b),
        ("charset=bom", lambda b: b.startswith(b"\xef\xbb\xbf<!DOCTYPE")),
        ("charset=none", lambda b: b"\xa3400" in b and b"charset" not in b),
        (f"alias={PAGE.replace('one', 'two')}", lambda b: b"Appeal appeal-two" in b),
        ("links=https://elsewhere.example/x|/a.pdf", lambda b: b'href="/a.pdf"' in b and b"elsewhere" in b),
    ],
)
def test_page_faults(serve: Serve, spec: str, check: object) -> None:
    status, _, body = serve(f"{spec},path={PAGE}").get(PAGE)
    assert status == 200
    assert callable(check) and check(body), body[:300]


def test_redirects(serve: Serve) -> None:
    s = serve(f"loop,path={PAGE}", "redirect={origin}/elsewhere,path=/news-and-appeals/appeal-two")
    assert s.get(PAGE)[1]["location"] == BEDS + PAGE
    assert s.get("/news-and-appeals/appeal-two")[1]["location"] == BEDS + "/elsewhere"


def test_meta_refresh(serve: Serve) -> None:
    status, _, body = serve("refresh={origin}/elsewhere,path=" + PAGE).get(PAGE)
    assert status == 200 and f'http-equiv="refresh" content="0; url={BEDS}/elsewhere"'.encode() in body


def test_robots_and_sitemap_faults(serve: Serve) -> None:
    s = serve("disallow=/news-and-appeals", "links=https://elsewhere.example/s.xml,path=/sitemap.xml")
    robots = s.get("/robots.txt")[2].decode()
    assert "Disallow: /news-and-appeals\n" in robots and f"Sitemap: {BEDS}/sitemap.xml" in robots
    sitemap = s.get("/sitemap.xml")[2]
    assert b"<sitemap><loc>https://elsewhere.example/s.xml</loc></sitemap>" in sitemap
    assert etree.fromstring(sitemap) is not None  # still well-formed


RESOLVING = etree.XMLParser(resolve_entities=True, no_network=True, load_dtd=True)


@pytest.mark.parametrize("mode", ["billion-laughs", "deep"])
def test_hostile_xml_would_blow_up_a_parser_without_limits(serve: Serve, mode: str) -> None:
    body = serve(f"xml={mode},path=/sitemap.xml,depth=300").get("/sitemap.xml")[2]
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE urlset [')
    with pytest.raises(etree.XMLSyntaxError):  # libxml2's own limits: amplification, depth
        etree.fromstring(body, parser=RESOLVING)


def test_external_entities_would_read_local_files(serve: Serve, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    body = serve(f"xml=xxe,entity=file://{secret},path=/sitemap.xml").get("/sitemap.xml")[2]
    assert "TOP SECRET" in etree.tostring(etree.fromstring(body, parser=RESOLVING)).decode()


def test_malformed_and_huge_xml(serve: Serve) -> None:
    s = serve("xml=malformed,path=/sitemap.xml")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(s.get("/sitemap.xml")[2])
    huge = serve("xml=huge,size=100000,path=/sitemap.xml").get("/sitemap.xml")[2]
    assert len(huge) >= 100_000 and etree.fromstring(huge) is not None


def test_requests_are_logged_with_their_faults(serve: Serve) -> None:
    s = serve("empty,path=/robots.txt")
    s.get("/robots.txt")
    s.get(PAGE)
    assert [(h.path, h.faults) for h in s.faults.hits] == [("/robots.txt", ("empty",)), (PAGE, ())]
