"""The HTML report, rendered in a real headless Chromium (the Debian package `chromium`)."""

import os
import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed here (CI installs it: see .ci/run)",
)


@pytest.fixture(scope="module")
def report(pair_db, tmp_path_factory):
    from pipeline.web.report import write_report

    return write_report(pair_db, tmp_path_factory.mktemp("report"))


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # no network at view time
    assert "<script src" not in html and html.count("<script>") == 1   # only the claims table's filter and sort
    assert len(re.findall(r'class="claim-dot[ "]', html)) >= 8  # pale (inferred) dots carry a second class


def chromium(*args, tmp_path):
    assert CHROMIUM, "chromium is required in CI"
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@needs_chromium
def test_report_renders_in_chromium(report, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium("--window-size=1200,1800", f"--screenshot={shot}", report.as_uri(), tmp_path=tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    dom = chromium("--dump-dom", report.as_uri(), tmp_path=tmp_path).stdout
    svg = re.search(r'<svg class="timeline".*?</svg>', dom, re.S)
    assert svg, "the timeline SVG is in the rendered DOM"
    rows = re.findall(r'<g class="country-row" data-country="(\w+)"', svg.group(0))
    assert set(rows) == {"RU", "UZ"}
    dots = re.findall(r'<circle class="claim-dot(?: inferred)?" data-side="(\w+)"', svg.group(0))
    assert set(dots) == {"RU", "UZ"} and len(dots) >= 8
    # the disputed call, both accounts side by side, the one-sided claims marked
    assert re.search(r'<section class="event".*?<h4[^>]*>RU</h4>.*?<h4[^>]*>UZ</h4>', dom, re.S)
    assert "(only this side)" in dom
    # every claim links to a highlighted evidence span
    targets = set(re.findall(r'href="#c-(c[0-9a-f]+)"', dom))
    marks = set(re.findall(r'<mark id="c-(c[0-9a-f]+)"', dom))
    assert targets and targets <= marks
    assert 'class="matrix"' in dom
    # the claims table's filter box ran: it counts the rows it shows
    total = len(re.findall(r"<tr><td>", dom))
    assert f'<span id="claim-count">{total} of {total} claims</span>' in dom


# --- issue 12: a timeline that does not mislead ---

def _claim(n, date, side="KZ"):
    return {"id": f"c{n:015x}", "date": date, "reported_by": side, "speaker_country": side, "speaker": None,
            "quote": f"claim {n}"}


def _dots(svg):
    return [dict(re.findall(r'([a-z-]+)="([^"]*)"', m)) for m in re.findall(r"<circle ([^>]*)>", svg)]


def test_claims_of_one_day_stack_across_the_row_at_the_same_x():
    from pipeline.web.report import Palette, timeline_svg

    claims = [_claim(n, "2022-02-24") for n in range(6)] + [_claim(9, "2022-02-26")]
    dots = _dots(timeline_svg(claims, Palette(["KZ"])))
    same_day = [d for d in dots if d["data-date"] == "2022-02-24"]
    assert len(same_day) == 6
    assert len({d["cx"] for d in same_day}) == 1                       # never shifted along the date axis
    assert len({d["cy"] for d in same_day}) == 6                       # stacked across the row
    later = next(d for d in dots if d["data-date"] == "2022-02-26")
    assert float(later["cx"]) > float(same_day[0]["cx"])


def test_a_far_outlier_does_not_squeeze_the_period_into_a_corner():
    from pipeline.web.report import Palette, timeline_svg

    days = [f"2022-02-{d:02d}" for d in range(20, 29)] + [f"2022-03-0{d}" for d in range(1, 4)]
    claims = [_claim(n, day) for n, day in enumerate(days)] + [_claim(99, "2022-01-14")]
    svg = timeline_svg(claims, Palette(["KZ"]), width=960)
    dots = _dots(svg)
    bulk = [float(d["cx"]) for d in dots if d["data-date"] != "2022-01-14"]
    assert max(bulk) - min(bulk) > 0.7 * 960                           # the period fills the chart (was 0.2)
    (outlier,) = [d for d in dots if d["data-date"] == "2022-01-14"]
    assert "outlier" in outlier["class"] and float(outlier["cx"]) < min(bulk)
    assert "off the axis: before the period shown" in svg


def test_every_side_has_its_own_colour():
    from pipeline.web.report import SIDE_COLOURS, Palette

    sides = [s for s in SIDE_COLOURS] + ["FR", "DE", "PL", "IN", "JP"]
    palette = Palette(sides)
    colours = [palette(s) for s in sides]
    assert len(set(colours)) == len(sides)
    # the sides the issue found clashing
    assert len({palette(s) for s in ("RU", "TJ", "US", "AZ")}) == 4
    assert len({palette(s) for s in ("AM", "BY", "UA")}) == 3
    assert Palette(["KZ", "FR"])("KZ") == Palette(["KZ"])("KZ")          # a side keeps its colour across reports


def test_long_spans_are_labelled_by_month():
    from pipeline.web.report import Palette, timeline_svg

    claims = [_claim(n, f"2022-{m:02d}-15") for n, m in enumerate(range(1, 11))]
    labels = re.findall(r'class="tick-label"[^>]*>([^<]+)<', timeline_svg(claims, Palette(["KZ"])))
    assert labels[:3] == ["Feb 2022", "Mar", "Apr"] and len(labels) == len(set(labels)) <= 12


def test_claims_without_a_side_or_a_date_are_in_the_legend_and_said(pair_db, tmp_path):
    import sqlite3

    from pipeline.web.report import render

    db = tmp_path / "c.db"
    shutil.copy(pair_db, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE claims SET reported_by = NULL, speaker_id = NULL WHERE rowid = (SELECT min(rowid) FROM claims)")
    conn.execute("UPDATE claims SET date = NULL WHERE rowid = (SELECT max(rowid) FROM claims)")
    conn.commit()
    conn.close()
    html = render(db)
    assert "</i>no side</span>" in html
    assert re.search(r'id="undrawn">2 claim\(s\) not drawn: 1 without a date', html)


@needs_chromium
def test_the_claims_table_sorts_by_a_column(report):
    from tests.test_serve import browser

    driver = browser()
    try:
        driver.get(report.as_uri())
        header = driver.find_elements("css selector", "table.claims th")[2]  # speaker
        column = lambda: [tr.find_elements("tag name", "td")[2].text for tr in  # noqa: E731
                          driver.find_elements("css selector", "table.claims tbody tr")]
        header.click()
        names = [x for x in column() if x]
        assert names == sorted(names, key=str.lower) or names == sorted(names)
        assert column()[-1] == "" or all(column())  # empty cells last
        header.click()
        again = [x for x in column() if x]
        assert again == list(reversed(names)) or again == sorted(names, reverse=True)
    finally:
        driver.quit()
