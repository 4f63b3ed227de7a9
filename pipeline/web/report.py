"""A static, self-contained HTML report: timelines per country (SVG), disputed events side by
side, a country x week position matrix, and every claim linked to its highlighted evidence."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.store import open_existing
from pipeline.web.report_citations import CITED_SQL, esc, sources_checked_html

STANCE_COLOURS = {"supports": "#c0392b", "opposes": "#2471a3", "neutral": "#7f8c8d"}
#: one fixed colour per side, so a side keeps its colour from report to report and no two
#: sides of the region share one; further sides take the spare colours in order
SIDE_COLOURS = {  # after Kelly's colours of maximum contrast, the light ones left out (text is drawn in them)
    "RU": "#be0032", "UA": "#0067a5", "BY": "#008856", "KZ": "#00a3b4", "UZ": "#875692", "KG": "#f38400",
    "TJ": "#882d17", "TM": "#8db600", "AZ": "#e68fac", "AM": "#654522", "GE": "#b3446c", "MD": "#c2b280",
    "EE": "#2b3d26", "LV": "#604e97", "LT": "#dcd300", "US": "#5a9bd4", "CN": "#e25822", "TR": "#f99379",
    "author": "#555555",
}
SPARE_COLOURS = ["#f3c300", "#848482", "#1b9e77", "#7570b3", "#d95f02", "#66a61e", "#e7298a", "#a6761d",
                 "#a1caf1", "#f6a600", "#1f78b4", "#33a02c"]
UNKNOWN_COLOUR = "#999999"


class Palette:
    """Side -> colour for one report: the fixed colours, then spare ones, none used twice."""

    def __init__(self, sides) -> None:
        spare = iter(c for c in SPARE_COLOURS if c not in SIDE_COLOURS.values())
        self.colours = {s: SIDE_COLOURS[s] for s in sides if s in SIDE_COLOURS}
        for s in sorted(x for x in set(sides) if x and x not in SIDE_COLOURS):
            self.colours[s] = next(spare, UNKNOWN_COLOUR)

    def __call__(self, side: str | None) -> str:
        return self.colours.get(side, UNKNOWN_COLOUR)



def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value if len(value) == 10 else value[:7] + "-01")
    except ValueError:
        return None


def iso_week(value: str | None) -> str | None:
    """ISO 8601 week of a full date ("2025-03-05" -> "2025-W10"), as the saved queries count it;
    None for a month or a year alone."""
    if not value or len(value) != 10:
        return None
    day = _day(value)
    return f"{day.isocalendar().year}-W{day.isocalendar().week:02d}" if day else None


def load(db_path: Path) -> dict:
    db = open_existing(db_path)
    try:
        q = lambda sql: [dict(zip([c[0] for c in cur.description], r)) for cur in [db.execute(sql)] for r in cur]  # noqa: E731
        return {
            "documents": q("SELECT id, kind, side, published, title FROM documents ORDER BY rowid"),
            "claims": q("""SELECT c.*, (SELECT country FROM actors a WHERE a.id = c.speaker_id) AS speaker_country,
                                  p.seq AS p_seq FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id
                           WHERE c.status != 'rejected' ORDER BY c.date IS NULL, c.date, c.doc_id, p.seq, c.start"""),
            "events": q("SELECT * FROM events ORDER BY date, id"),
            "cited": q(CITED_SQL),
            "paragraphs": q("""SELECT p.id, p.doc_id, p.seq, p.section, p.text FROM paragraphs p
                               WHERE p.id IN (SELECT paragraph_id FROM claims) ORDER BY p.doc_id, p.seq"""),
        }
    finally:
        db.close()


DOT_R, DOT_STEP = 5, 12  # dot radius; vertical distance between claims of one day in one row


def axis_range(days: list[dt.date]) -> tuple[dt.date, dt.date]:
    """The span the axis shows: the bulk of the dates. A date at either end that is separated from
    all the others by a gap wider than they span themselves (and more than two weeks) is an
    outlier, drawn at the edge, so that one early claim cannot squeeze the rest into a corner;
    at most a tenth of the dates (and at least one) are set aside at each end."""
    days = sorted(days)
    lo, hi = 0, len(days) - 1
    most = max(1, len(days) // 10)
    while lo < most and hi - lo > 1 and (days[lo + 1] - days[lo]).days > max(14, (days[hi] - days[lo + 1]).days):
        lo += 1
    while len(days) - 1 - hi < most and hi - lo > 1 and (days[hi] - days[hi - 1]).days > max(14, (days[hi - 1] - days[lo]).days):
        hi -= 1
    return days[lo], days[hi]


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    span = (last - first).days
    if span > 92:  # months, labelled by name (and year in January or at the start)
        day = first.replace(day=1)
        out = []
        while day <= last:
            if day >= first:
                out.append((day, day.strftime("%b %Y" if day.month == 1 or not out else "%b")))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out
    step = 7 if span > 21 else 1 if span <= 10 else 2
    return [(first + dt.timedelta(days=n), (first + dt.timedelta(days=n)).strftime("%d %b"))
            for n in range(0, span + 1, step)]


#: date bases that no time words of the statement fix (claim_dates.BASES): drawn pale on the timeline
INFERRED = ("document", "month")
PALE = ' fill-opacity="0.35"'


def timeline_svg(claims: list[dict], colour: Palette, width: int = 960) -> str:
    rows = defaultdict(list)
    for c in claims:
        day = _day(c["date"])
        country = c["speaker_country"] or (c["reported_by"] if c["reported_by"] != "author" else None)
        if day and country:
            rows[country].append((day, c))
    if not rows:
        return '<p class="empty">No dated claims to draw.</p>'
    first, last = axis_range([d for items in rows.values() for d, _ in items])
    start, end = first - dt.timedelta(days=1), last + dt.timedelta(days=1)  # room at both ends
    span = max((end - start).days, 1)
    left, right, top, edge = 60, 28, 30, 14
    x = lambda d: left + (width - left - right) * (min(max(d, start), end) - start).days / span  # noqa: E731
    heights = {k: max(Counter(d for d, _ in v).values()) * DOT_STEP + 12 for k, v in rows.items()}
    height = top + sum(heights.values()) + 10
    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Claims by date and country">']
    for tick, label in _ticks(start, end):
        out.append(f'<line class="tick" x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" y2="{height - 5}" />'
                   f'<text class="tick-label" x="{x(tick):.1f}" y="{top - 12}">{label}</text>')
    y0 = top
    for country, items in sorted(rows.items()):
        h = heights[country]
        y = y0 + h / 2
        out.append(f'<g class="country-row" data-country="{esc(country)}"><text class="row-label" x="8" y="{y + 4:.1f}">'
                   f'{esc(country)}</text><line class="row-line" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" />')
        per_day = Counter(d for d, _ in items)
        placed = Counter()
        for day, c in items:
            n, k = placed[day], per_day[day]
            placed[day] += 1
            cy = y + (n - (k - 1) / 2) * DOT_STEP  # claims of one day stacked across the row, same x
            outside = day < first and "before" or day > last and "after" or ""
            cx = (left - edge + 8 if outside == "before" else width - right + edge - 8) if outside else x(day)
            inferred = c.get("date_basis") in INFERRED  # no time words fix the day: drawn pale
            out.append(
                f'<a href="#c-{esc(c["id"])}"><circle class="claim-dot{" outlier" if outside else ""}'
                f'{" inferred" if inferred else ""}" '
                f'data-side="{esc(c["reported_by"])}" data-date="{esc(c["date"])}" cx="{cx:.1f}" cy="{cy:.1f}" '
                f'r="{DOT_R}" fill="{"white" if outside else colour(c["reported_by"])}"'
                f'{PALE if inferred and not outside else ""} '
                f'stroke="{colour(c["reported_by"])}" stroke-width="2">'
                f'<title>{esc(c["date"])} ({esc(c.get("date_basis") or "no basis")})'
                f'{" (off the axis: " + outside + " the period shown)" if outside else ""} · '
                f'{esc(c["reported_by"])} · {esc(c["speaker"] or "institution")}: {esc(c["quote"][:160])}</title>'
                f'</circle></a>')
        out.append("</g>")
        y0 += h
    out.append("</svg>")
    return "".join(out)


def disputed_html(events: list[dict], claims: list[dict], side_colour: Palette) -> str:
    by_event = defaultdict(list)
    for c in claims:
        if c["event_id"]:
            by_event[c["event_id"]].append(c)
    parts = []
    for e in events:
        sides = json.loads(e["sides"])
        if len(sides) < 2:
            continue
        cols = []
        for side in sides:
            items = "".join(
                f'<li class="{"one-sided" if c["one_sided"] else "shared"}"><a href="#c-{esc(c["id"])}">'
                f'{esc(c["quote"])}</a>{" <em>(only this side)</em>" if c["one_sided"] else ""}</li>'
                for c in by_event[e["id"]] if c["reported_by"] == side)
            cols.append(f'<div class="account"><h4 style="color:{side_colour(side)}">{esc(side)}</h4><ul>{items}</ul></div>')
        parts.append(f'<section class="event" id="e-{esc(e["id"])}"><h3>{esc(e["date"])} · {esc(e["kind"])} · '
                     f'{esc(", ".join(json.loads(e["participants"])))}</h3><div class="accounts">{"".join(cols)}</div></section>')
    return "".join(parts) or '<p class="empty">No event has accounts from two sides in this corpus.</p>'


def matrix_html(claims: list[dict]) -> str:
    cells = defaultdict(Counter)
    for c in claims:
        week = iso_week(c["date"])
        if not (week and c["stance"] and c["speaker_country"]):
            continue
        if c["reported_by"] not in (c["speaker_country"], None):
            continue  # positions of a country's own officials, as its own side reported them
        weight = 2 if c["status"] in ("accepted", "edited") else 1
        cells[(c["speaker_country"], week)][c["stance"]] += weight
    if not cells:
        return '<p class="empty">No stances to show.</p>'
    countries = sorted({k[0] for k in cells})
    weeks = sorted({k[1] for k in cells})
    head = "".join(f"<th>{esc(w)}</th>" for w in weeks)
    body = []
    for country in countries:
        tds = []
        for week in weeks:
            counts = cells.get((country, week))
            if not counts:
                tds.append("<td></td>")
                continue
            stance = counts.most_common(1)[0][0]
            label = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            tds.append(f'<td class="stance-{stance}" style="background:{STANCE_COLOURS[stance]}" title="{esc(label)}">'
                       f'{esc(stance)}</td>')
        body.append(f"<tr><th>{esc(country)}</th>{''.join(tds)}</tr>")
    return f'<table class="matrix"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def evidence_html(paragraphs: list[dict], claims: list[dict], side_colour: Palette) -> str:
    by_para = defaultdict(list)
    for c in claims:
        by_para[c["paragraph_id"]].append(c)
    parts = []
    for p in paragraphs:
        text, pos, chunks = p["text"], 0, []
        for c in sorted(by_para[p["id"]], key=lambda c: c["start"]):
            if c["start"] < pos:
                continue  # overlapping evidence: the first claim keeps the highlight
            chunks.append(esc(text[pos:c["start"]]))
            chunks.append(f'<mark id="c-{esc(c["id"])}" style="border-bottom:3px solid {side_colour(c["reported_by"])}" '
                          f'title="{esc(c["reported_by"])} · {esc(c["speaker"] or "institution")} · {esc(c["date"])}">'
                          f'{esc(text[c["start"]:c["end"]])}</mark>')
            pos = c["end"]
        chunks.append(esc(text[pos:]))
        parts.append(f'<p class="evidence" id="p-{esc(p["id"])}"><span class="where">{esc(p["doc_id"])} ¶{p["seq"]}'
                     f'{" · " + esc(p["section"]) if p["section"] else ""}</span> {"".join(chunks)}</p>')
    return "".join(parts)


def claims_table(claims: list[dict], side_colour: Palette) -> str:
    rows = "".join(
        f'<tr><td>{esc(c["date"])}<br><small>{esc(c.get("date_basis"))}</small></td>'
        f'<td style="color:{side_colour(c["reported_by"])}">{esc(c["reported_by"])}<br><small>{esc(c.get("side_rule"))}'
        f'</small></td>'
        f'<td>{esc(c["speaker"])}</td><td>{esc(c["source"])}</td><td>{esc(c["stance"])}</td>'
        f'<td>{esc(c["confirmation"])}</td><td>{esc(c["status"])}</td>'
        f'<td><a href="#c-{esc(c["id"])}" lang="{esc(c.get("language") or "")}">{esc(c["quote"][:140])}'
        f'{"…" if len(c["quote"]) > 140 else ""}</a> <small>{esc(c.get("language"))}</small></td></tr>'
        for c in claims)
    return ('<p><label>Filter claims: <input id="claim-filter" type="search" placeholder="e.g. KZ, Tokayev, opposes" '
            'size="36" autocomplete="off"></label> <span id="claim-count"></span></p>'
            '<table class="claims"><thead><tr><th>date<br><small>basis</small></th><th>side<br><small>rule</small></th><th>speaker</th><th>source</th><th>stance</th>'
            f'<th>confirmation</th><th>status</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>'
            f'<script>{FILTER_JS}{SORT_JS}</script>')


#: the claims table's headers sort it (click again: the other way); empty cells go last
SORT_JS = """
(function () {
  var table = document.querySelector('table.claims'), body = table.tBodies[0];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.style.cursor = 'pointer'; th.title = 'sort by this column';
    th.addEventListener('click', function () {
      var up = th.dataset.sorted !== 'up';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { delete h.dataset.sorted; });
      th.dataset.sorted = up ? 'up' : 'down';
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        if (!x || !y) return x ? -1 : y ? 1 : 0;
        return (up ? 1 : -1) * x.localeCompare(y);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"""


#: the claims table's filter box: rows whose text holds every word typed (any case) stay visible
FILTER_JS = """
(function () {
  var box = document.getElementById('claim-filter'), count = document.getElementById('claim-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.claims tbody tr'));
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (tr) {
      var text = tr.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      tr.hidden = !ok; if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' claims';
  }
  box.addEventListener('input', apply); apply();
})();
"""


CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
.timeline .tick{stroke:#eee}.timeline .tick-label{font-size:10px;fill:#777;text-anchor:middle}
.timeline .row-line{stroke:#ccc}.timeline .row-label{font-size:12px;font-weight:600}
.accounts{display:flex;gap:1rem}.account{flex:1;background:#fafafa;padding:.4rem .8rem;border-radius:6px}
.account h4{margin:.2rem 0}.one-sided{font-weight:600}.event h3{font-size:1rem}
.matrix td,.matrix th{padding:.25rem .5rem;text-align:center;font-size:.85rem}.matrix td{color:#fff}
.claims{border-collapse:collapse;font-size:.85rem}.claims td,.claims th{border-top:1px solid #eee;padding:.3rem;vertical-align:top}
.timeline .outlier{stroke-dasharray:2 1}#claim-count{color:#777;font-size:.85rem}
.evidence .where{color:#888;font-size:.8rem}mark{background:#fff3c4}.empty{color:#888}
.note{color:#666;font-size:.85rem}.claims th[data-sorted=up]::after{content:" ▲"}.claims th[data-sorted=down]::after{content:" ▼"}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
.cited{border-collapse:collapse;font-size:.85rem}.cited td,.cited th{border-top:1px solid #eee;padding:.3rem;vertical-align:top}
.cite-differs td:first-child,span.cite-differs{color:#b00020;font-weight:600}.cite-not_found td:first-child,span.cite-not_found{color:#a35c00;font-weight:600}
"""


def render(db_path: Path) -> str:
    data = load(db_path)
    claims = data["claims"]
    sides = sorted({c["reported_by"] for c in claims if c["reported_by"]})
    side_colour = Palette(sides)
    legend = "".join(f'<span><i style="background:{side_colour(s)}"></i>{esc(s)}</span>' for s in sides)
    if any(not c["reported_by"] for c in claims):
        legend += f'<span><i style="background:{UNKNOWN_COLOUR}"></i>no side</span>'
    undrawn = [c for c in claims if not _day(c["date"]) or not (c["speaker_country"] or (
        c["reported_by"] if c["reported_by"] != "author" else None))]
    left_out = (f'<p class="note" id="undrawn">{len(undrawn)} claim(s) not drawn: {sum(not _day(c["date"]) for c in undrawn)} '
                f'without a date, the others with neither a speaker\'s country nor a side; all are in the '
                f'<a href="#claims">claims table</a>.</p>') if undrawn else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>claimtrace report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body>
<h1>claimtrace report</h1>
<p>{len(data["documents"])} documents · {len(claims)} claims (rejected ones left out; {sum(c.get("origin") == "reviewer" for c in claims)} added by reviewers) · {len(data["events"])} events ·
sides: {esc(", ".join(sides))}</p>
<h2 id="timeline">Timeline per country</h2>
<p class="legend">Colour = the side that reported the claim: {legend}. Pale dot: a date no time words fix (the document's own time, or only the month); hollow: off the axis.</p>
{timeline_svg(claims, side_colour)}
{left_out}
<h2 id="disputed">Disputed events: both accounts side by side</h2>
{disputed_html(data["events"], claims, side_colour)}
<h2 id="sources-checked">Sources checked: does the cited readout say it?</h2>
{sources_checked_html(data["cited"])}
<h2 id="positions">Positions: country × week</h2>
<p>Stances that a country's own officials expressed; reviewed claims count double.</p>
{matrix_html(claims)}
<h2 id="claims">Claims</h2>
{claims_table(claims, side_colour)}
<h2 id="evidence">Evidence</h2>
{evidence_html(data["paragraphs"], claims, side_colour)}
</body></html>
"""


def write_report(db_path: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render(db_path), encoding="utf-8")
    return path
