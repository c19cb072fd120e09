"""BENCHMARKS.md from the results: one table per benchmark with its target and whether it is
met, the machine and versions, the profile, and the notes."""

from __future__ import annotations

from typing import Any

from benchmarks import notes, variants

TARGETS = {
    "extraction": "at least 5x trafilatura's pages/s, and higher accuracy on every field",
    "fallback": "F1 within 0.01 of trafilatura's, or better",
    "crawl": "records/s at least 0.6 of scrapy bench's pages/s",
    "memory": "peak RSS of the larger crawl at most 1.2x the smaller's",
    "incremental": "at most 2 requests per force in a second run over an unchanged replica",
    "variants": "at least 99% of records five-field-equal on held-out variants, for every platform, "
    "BCH's byte-identical; no record that cannot be made whole written",
    "backfill": "one snapshot per record written, and a second run asks only the index",
}


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def _f(x: Any, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if isinstance(x, (int, float)) else str(x)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdicts(r: dict[str, Any]) -> dict[str, bool | None]:
    """Whether each target is met (None: not measured)."""
    out: dict[str, bool | None] = dict.fromkeys(TARGETS)
    ex = r.get("extraction")
    if ex and "trafilatura" in ex:
        ours, theirs = ex["ours"]["accuracy"], ex["trafilatura"]["accuracy"]
        better = all(
            ours[f]["exact"] >= theirs[f]["exact"] and ours[f]["f1"] >= theirs[f]["f1"]
            for f in ("title", "date", "description", "body")
        )
        out["extraction"] = ex["speed_ratio"] >= 5 and better
    fb = r.get("fallback")
    if fb and "trafilatura" in fb:
        out["fallback"] = fb["f1_difference"] >= -0.01
    cr = r.get("crawl")
    if cr:
        out["crawl"] = cr["throughput_ratio"] >= 0.6
        out["memory"] = cr["memory_ratio"] <= 1.2
        out["incremental"] = cr["incremental"]["max_per_force"] <= 2
    va = r.get("variants")
    if va:
        out["variants"] = not variants.below_target(va["held_out"])
    bf = r.get("backfill")
    if bf and "first_run" in bf:
        first, second = bf["first_run"], bf["second_run"]
        out["backfill"] = (
            first["requests"]["snapshots"] == first["records_written"] > 0
            and second["requests"]["snapshots"] == 0
        )
    return out


def _load(values: Any) -> str:
    return " ".join(f"{v:.1f}" for v in values) if values else "not recorded"


def _header(r: dict[str, Any]) -> str:
    m = r["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    load = f"at start {_load(r.get('load_average_start'))}, at end {_load(r.get('load_average_end'))}"
    quick = (
        "\n> **--quick run**: tiny inputs to keep the code working; these figures mean nothing.\n"
        if r.get("quick")
        else ""
    )
    return f"""# Benchmarks
{quick}
Command: `{r["command"]}` (from the repository root, with `pip install -e ".[bench]"`). Every
figure is a ratio against a baseline run by the same command on the same machine, in the same
run: absolute times on this shared machine drift.

| | |
|---|---|
| run | {r["started"]}, {r["seconds"] / 60:.1f} min |
| load average (1, 5, 15 min) | {load} |
| machine | {m["cpu"]}, {m["cores"]} cores, {m["memory"]}, {m["os"]} (shared, noisy) |
| Python | {m["python"]} |
| versions | {versions} |
| commit | {m["commit"]} |
| records | {r.get("source", "")}: {r.get("records_servable", "?")} records the replica serves |
"""


def _summary(r: dict[str, Any], ok: dict[str, bool | None]) -> str:
    cr = r.get("crawl", {})
    ex = r.get("extraction", {})
    fb = r.get("fallback", {})
    bf = r.get("backfill", {})
    rows = [
        [
            "1. Extraction",
            TARGETS["extraction"],
            f"{_f(ex.get('speed_ratio', 'n/a'), 1)}x",
            _met(ok["extraction"]),
        ],
        [
            "2. Generic fallback",
            TARGETS["fallback"],
            f"F1 {_f(fb.get('f1_difference', 'n/a'), 3)} vs trafilatura",
            _met(ok["fallback"]),
        ],
        ["3. Crawl", TARGETS["crawl"], f"{_f(cr.get('throughput_ratio', 'n/a'), 2)}", _met(ok["crawl"])],
        ["4. Memory", TARGETS["memory"], f"{_f(cr.get('memory_ratio', 'n/a'), 2)}x", _met(ok["memory"])],
        [
            "5. Incremental",
            TARGETS["incremental"],
            f"max {cr.get('incremental', {}).get('max_per_force', 'n/a')} per force",
            _met(ok["incremental"]),
        ],
        [
            "6. Variants",
            TARGETS["variants"],
            _variants_measured(r.get("variants", {})),
            _met(ok["variants"]),
        ],
        [
            "7. Back-fill",
            TARGETS["backfill"],
            f"{_f(bf.get('requests_per_record', 'n/a'), 3)} requests per record",
            _met(ok["backfill"]),
        ],
    ]
    return "## Summary\n\n" + _table(["benchmark", "target", "measured", ""], rows) + "\n"


def _extraction(ex: dict[str, Any], ok: bool | None) -> str:
    if not ex:
        return ""
    ours, theirs = ex["ours"], ex.get("trafilatura")
    platforms = ", ".join(f"{n} {k}" for k, n in ex["pages_per_platform"].items())
    rows = [
        [
            "pages/second",
            _f(ours["pages_per_second"], 1),
            _f(theirs["pages_per_second"], 1) if theirs else "-",
        ]
    ]
    for field in ("title", "date", "description", "body"):
        a = ours["accuracy"][field]
        b = theirs["accuracy"][field] if theirs else None
        rows.append([f"{field}: exact", _f(a["exact"]), _f(b["exact"]) if b else "-"])
        rows.append([f"{field}: shingle F1", _f(a["f1"]), _f(b["f1"]) if b else "-"])
    rows.append(
        [
            "all four fields exact",
            _f(ours["accuracy"]["all_exact"]),
            _f(theirs["accuracy"]["all_exact"]) if theirs else "-",
        ]
    )
    rows.append(
        ["pages not extracted", ours["accuracy"]["failed"], theirs["accuracy"]["failed"] if theirs else "-"]
    )
    per = _table(
        ["platform", "pages", "title", "date", "description", "body", "all exact"],
        [
            [
                name,
                ex["pages_per_platform"][name],
                *(_f(acc[f]["exact"]) for f in ("title", "date", "description", "body")),
                _f(acc["all_exact"]),
            ]
            for name, acc in ours["by_platform"].items()
        ],
    )
    speed = f"**{_f(ex.get('speed_ratio', 'n/a'), 2)}x** trafilatura's speed" if theirs else "no baseline"
    return f"""## 1. Extraction: our platform parsers against trafilatura

{ex["pages"]} replica pages of real records ({platforms}; {ex["forces"]} forces;
{ex["html_bytes"] / 2**20:.1f} MiB of HTML), fetched once and kept in memory. Ours: the force's
platform `parse(response)` (extraction, Markdown body, normalisation), as the spider calls it.
trafilatura: `trafilatura.extract(html, url=url, output_format="markdown", with_metadata=True)`
(title, date, description from its metadata header). Both ran on the same bytes in alternating
chunks of 50 pages. Expected record: the archive record after normalisation (BCH: the record
itself; SOH: the importer's normalisation of its raw meta). Exact: share of pages whose field
equals the expected one; F1: 4-word shingles, macro-averaged.

Target: {TARGETS["extraction"]}. Result: {speed}; {_met(ok)}.

{_table(["", "ours", "trafilatura"], rows)}

Ours, exact match by platform:

{per}
"""


def _variants_measured(va: dict[str, Any]) -> str:
    if not va:
        return "n/a"
    total = va["held_out_all"]
    return (
        f"{total['share_exact']:.1%} exact, {total['wrong']} wrong; "
        f"{len(variants.below_target(va['held_out']))} of {len(va['held_out'])} platforms below"
    )


def _variants(va: dict[str, Any], ok: bool | None) -> str:
    if not va:
        return ""
    head = [
        "platform",
        "pages",
        "makeable",
        "exact",
        "share",
        "byte-identical",
        "reported",
        "wrong",
        "guessed",
    ]

    def row(name: str, t: dict[str, Any]) -> list[Any]:
        return [
            name,
            t["pages"],
            t["makeable"],
            t["exact"],
            f"{t['share_exact']:.1%}",
            t["identical"],
            t["reported"],
            f"**{t['wrong']}**" if t["wrong"] else 0,
            t["guessed"],
        ]

    held = va["held_out"]
    rows = [row(name, t) for name, t in held.items()]
    rows.append(row("**all (held-out seeds)**", va["held_out_all"]))
    rows.append(row("all (tuning seeds, for comparison)", va["tuning_all"]))
    reasons = "; ".join(
        f"{name}: " + ", ".join(f"{n} {why}" for why, n in t["reasons"].items())
        for name, t in held.items()
        if t["reasons"]
    )
    fields = ", ".join(f"{k} {n}" for k, n in va["held_out_all"]["wrong_fields"].items()) or "none"
    wrong = [line for t in held.values() for line in t["wrong_pages"]]
    listed = "\n".join(f"- {line}" for line in wrong[:40])
    more = f"\n- … and {len(wrong) - 40} more (results.json lists them all)" if len(wrong) > 40 else ""
    h, tu, k = va["seeds"]["held_out"], va["seeds"]["tuning"], va["seeds"]["per_record"]
    return f"""## 6. Markup variants: the parsers on structure nobody tuned them on

{va["records"]} records spread over the platforms, each rendered by
`newscrawler/replica/variants.py` with {k} of the held-out seeds {h[0]}..{h[1] - 1}, taken in
turn (a seed is one site template per platform, so each platform meets many; class names renamed
or removed, wrappers, headline and date moved and re-formed, meta tags dropped or added,
distractor dates, boilerplate reordered; the same five fields) and parsed with the force's
platform `parse(response)`. Makeable: records the importer can make whole (the others' pages
show no publication date, so reporting them is right). Exact: five fields equal to the
importer's record (share: of the makeable). Reported: ExtractionError or not an article.
**Wrong: a record written with a field that differs (the worst outcome).** Guessed: a record
written for a page whose record cannot be made whole. The same records on {k} tuning seeds
each ({tu[0]}..{tu[1] - 1}) are the last row: a gap between the two rows is a parser fitted
to its tuning pages.

Target: {TARGETS["variants"]}. Below it: {", ".join(variants.below_target(held)) or "none"}; {_met(ok)}.

{_table(head, rows)}

Reported, by reason: {reasons or "none"}.

Fields that differ in the records written wrong: {fields}.

Records written wrong or guessed (held-out seeds):

{listed or "- none"}{more}
"""


def _fallback(fb: dict[str, Any], ok: bool | None) -> str:
    if not fb:
        return ""
    if "skipped" in fb:
        return f"## 2. Generic fallback\n\nSkipped: {fb['skipped']}\n"
    ours, theirs = fb["ours"], fb.get("trafilatura")
    rows = [
        [
            "ours: `generic.main_content` + `to_markdown`",
            _f(ours["precision"]),
            _f(ours["recall"]),
            _f(ours["f1"]),
            _f(fb["seconds"]["ours"], 1),
        ],
    ]
    if theirs:
        rows.append(
            [
                "trafilatura.extract (defaults)",
                _f(theirs["precision"]),
                _f(theirs["recall"]),
                _f(theirs["f1"]),
                _f(fb["seconds"]["trafilatura"], 1),
            ]
        )
    return f"""## 2. Generic fallback against trafilatura

The {fb["pages"]} pages of `../shared/extraction-benchmark` (scrapinghub's article-extraction
benchmark; generic news sites, not police pages): 4-token shingles over `\\w+` tokens,
per-document precision and recall averaged over documents, F1 from the averages (the upstream
metric).

Target: {TARGETS["fallback"]}. Result: F1 difference {_f(fb.get("f1_difference", "n/a"))}; {_met(ok)}.

{_table(["extractor", "precision", "recall", "F1", "seconds"], rows)}
{_title_and_date(fb.get("title_and_date"))}"""


def _title_and_date(td: dict[str, Any] | None) -> str:
    if not td:
        return ""
    rows = [
        [
            name,
            f"{td[name]['pages']} of {td['pages']}",
            td[name]["exact"],
            _f(td[name]["accuracy"]),
            td[name]["wrong"],
            td[name].get("day_off", "") if name == "date" else "",
            td[name]["missing"],
        ]
        for name in ("title", "date")
    ]
    examples = "\n".join(f"- {line}" for name in ("title", "date") for line in td[name]["examples"])
    return f"""
### Title and date on the same real pages

The benchmark's truth is the body only; a page's own metadata states its title (og:title,
twitter:title, JSON-LD headline) and publication date (article:published_time, JSON-LD or
microdata datePublished: the calendar date as written). That is the truth here; it is then
hidden from the page (those `<meta>`, every JSON-LD block, the microdata properties) and the
base Platform's layered extraction and normalisation (`extract`, `clean_title`, the date
layers and the body's date lines) must find them in what is left. A title is right when it
equals one of the stated titles (case and quotes aside; a trailing " - og:site_name" may be
left off); a metadata date can be a day off the visible one (a UTC stamp of an evening story).

{_table(["field", "pages with a truth", "exact", "accuracy", "wrong", "a day off", "not found"], rows)}

Examples of wrong values:

{examples or "- none"}
"""


def _crawl(cr: dict[str, Any], ok: dict[str, bool | None]) -> str:
    if not cr:
        return ""
    big, bench = cr["large"], cr["scrapy_bench"]
    bench_rows = [
        [f"scrapy bench #{i + 1}", b["pages"], _f(b["elapsed_seconds"], 1), _f(b["pages_per_second"], 1)]
        for i, b in enumerate(bench["runs"])
    ]
    rows = [
        *bench_rows,
        ["scrapy bench, median", "", "", _f(bench["pages_per_second"], 1)],
        [
            f"our crawl ({big['articles']} articles, {big['forces']} forces)",
            big["records_written"],
            _f(big["seconds"], 1),
            _f(big["records_per_second"], 1),
        ],
    ]
    small = cr["small"]
    mem_rows = [
        [f"{small['articles']} articles", small["records_written"], _f(small["peak_rss_mib"], 0)],
        [f"{big['articles']} articles", big["records_written"], _f(big["peak_rss_mib"], 0)],
    ]
    inc = cr["incremental"]
    per_force = inc["requests_per_force"]
    written = inc.get("first_run_written_per_force", {})
    failed = inc.get("first_run_failed_per_force", {})
    inc_rows = [
        [
            force,
            written.get(force, ""),
            failed.get(force, ""),
            inc["first_run_requests_per_force"].get(force, 0),
            n,
        ]
        for force, n in per_force.items()
    ]
    second = inc["second_run"]["summary"]
    clones = big["articles"] - big["real_articles"]
    made_of = (
        f"{big['real_articles']} real records of every force the replica serves, {clones} more the same "
        "pages under other addresses"
        if clones > 0
        else "real records of every force the replica serves"
    )
    return f"""## 3. Crawl throughput against scrapy bench

A full crawl of a replica of {big["articles"]} articles ({made_of}), politeness
off (loopback mirrors), `python -m newscrawler crawl <every force> --data DIR --mirror …` as a
subprocess: records written per second of its wall clock, start-up to exit (fetch, parse,
write files, state). Baseline: `scrapy bench` (Scrapy's own link-following benchmark, its
pages/s from its stats: responses / elapsed time), run before the crawl, after it, and after
the other crawls; their median.
Requests of our crawl: {big["requests"]} ({_f(big["requests_per_second"], 1)}/s; listings,
feeds, sitemaps and robots.txt besides the articles); articles not written (the platform's
parser failed on the replica's page): {big["summary"].get("failed", 0)}; forces that wrote
nothing: {", ".join(big.get("forces_failed_entirely", [])) or "none"}.

Target: {TARGETS["crawl"]}. Result: **{_f(cr["throughput_ratio"], 2)}**; {_met(ok["crawl"])}.

{_table(["run", "pages / records", "seconds", "per second"], rows)}

## 4. Memory

Peak resident memory of the crawl process (its VmHWM high-water mark), a crawl of every force
with {small["articles"]} articles against the crawl of {big["articles"]} above (same code, same
settings; both replicas hold every force).

Target: {TARGETS["memory"]}. Result: **{_f(cr["memory_ratio"], 2)}x**; {_met(ok["memory"])}.

{_table(["crawl", "records", "peak RSS (MiB)"], mem_rows)}

## 5. Incremental

A second run over the unchanged replica of the {small["articles"]}-article crawl (every force),
into the same output folder; requests counted by the replica, per force. Second run:
{second.get("new", 0)} new, {second.get("updated", 0)} updated, {second.get("unchanged", 0)} unchanged,
{second.get("failed", 0)} failed records.

Target: {TARGETS["incremental"]}. Result: max **{inc["max_per_force"]}**, mean
{_f(inc["mean_per_force"], 1)} per force over all {len(per_force)} forces; {_met(ok["incremental"])}. Over the
{inc.get("forces_all_written", "?")} forces whose first run wrote every article: max
**{inc.get("max_per_force_all_written", "?")}**.

{_table(["force", "first run: written", "failed", "requests", "second run: requests"], inc_rows)}
"""


def _profile(prof: dict[str, Any] | None) -> str:
    if not prof:
        return ""
    if "skipped" in prof:
        return f"## Profile\n\nSkipped: {prof['skipped']}\n"
    crawl = prof["crawl"]
    cats = _table(
        ["where the time went", "share of samples"], [[k, f"{v:.1%}"] for k, v in prof["categories"].items()]
    )
    funcs = _table(
        ["function (own time)", "share"],
        [[f"`{k}`" if k else "(native code, no Python frame)", f"{v:.1%}"] for k, v in prof["top_functions"]],
    )
    return f"""## Profile of the crawl

py-spy (`py-spy record --rate 100 --format raw`) over a crawl of {crawl["articles"]} articles
({_f(crawl["records_per_second"], 1)} records/s under the profiler); {prof["samples"]} samples,
idle threads left out; each sample counted once, under the first category its stack matches.

{cats}

{funcs}
"""


def _backfill(bf: dict[str, Any], ok: bool | None) -> str:
    if not bf:
        return ""
    if "skipped" in bf:
        return f"## 7. Back-fill from a web archive\n\nSkipped: {bf['skipped']}.\n"
    first, second = bf["first_run"], bf["second_run"]
    clones = bf["articles"] - bf["real_articles"]
    made_of = f"{bf['real_articles']} real BCH records" + (
        f", {clones} more the same pages under other addresses" if clones > 0 else ""
    )
    rows = [
        [
            name,
            run["records_written"],
            run["requests"]["index"],
            run["requests"]["snapshots"],
            _f(run["seconds"], 1),
            _f(run["records_written"] / run["seconds"] if run["seconds"] else 0.0, 1),
            _f(run["peak_rss_mib"], 0),
        ]
        for name, run in (("first run", first), ("second run", second))
    ]
    head = ["run", "records", "index queries", "snapshots", "seconds", "records/s", "peak RSS (MiB)"]
    return f"""## 7. Back-fill from a web archive

pywb on this machine serving one WARC of {bf["articles"]} replica pages of the BCH site
({made_of}; forces {", ".join(bf["forces"])}), captured inside the site's years;
`python -m newscrawler backfill <forces> --archive http://127.0.0.1:…/police --from 2015 --to 2021`
as a subprocess, one request at a time as always against an archive (no delay: it is on this
machine), then again into the same folder. Requests counted by pywb. Baseline: the same
snapshots fetched one at a time over one kept-alive connection by `http.client`, pywb's own
pace: {_f(bf["direct_snapshots_per_second"], 1)} snapshots/s; the back-fill writes
**{_f(bf["records_per_second"], 1)} records/s**, {_f(bf["pace_ratio"], 2)} of it.

Target: {TARGETS["backfill"]}. Result: **{_f(bf["requests_per_record"], 3)}** requests per record
(snapshots and index queries), second run {second["requests"]["snapshots"]} snapshots; {_met(ok)}.
Records byte-identical to the ones the pages were made from: {bf["byte_identical"]} of {bf["articles"]}.

{_table(head, rows)}
"""


def render(r: dict[str, Any]) -> str:
    ok = verdicts(r)
    cr = r.get("crawl", {})
    parts = [
        _header(r),
        _summary(r, ok),
        _extraction(r.get("extraction", {}), ok["extraction"]),
        _fallback(r.get("fallback", {}), ok["fallback"]),
        _crawl(cr, ok),
        _profile(cr.get("profile")),
        _variants(r.get("variants", {}), ok["variants"]),
        _backfill(r.get("backfill", {}), ok["backfill"]),
        notes.render(r, ok),
    ]
    return "\n".join(p for p in parts if p).rstrip("\n") + "\n"
