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
    from pipeline.report import write_report

    return write_report(pair_db, tmp_path_factory.mktemp("report"))


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # no network at view time
    assert "<script" not in html
    assert html.count('class="claim-dot"') >= 8


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
    dots = re.findall(r'<circle class="claim-dot" data-side="(\w+)"', svg.group(0))
    assert set(dots) == {"RU", "UZ"} and len(dots) >= 8
    # the disputed call, both accounts side by side, the one-sided claims marked
    assert re.search(r'<section class="event".*?<h4[^>]*>RU</h4>.*?<h4[^>]*>UZ</h4>', dom, re.S)
    assert "(only this side)" in dom
    # every claim links to a highlighted evidence span
    targets = set(re.findall(r'href="#c-(c[0-9a-f]+)"', dom))
    marks = set(re.findall(r'<mark id="c-(c[0-9a-f]+)"', dom))
    assert targets and targets <= marks
    assert 'class="matrix"' in dom
