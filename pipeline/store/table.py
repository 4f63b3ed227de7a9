"""Rows as a plain-text table that fits the terminal: the widest columns wrap first."""

from __future__ import annotations

import shutil

GAP = 2  # spaces between columns in tabulate's "simple" format
NARROWEST = 8  # no column is wrapped narrower than this
HEADER_PADDING = 2  # tabulate keeps a column at least this much wider than its header


def column_caps(columns: list[str], rows: list[tuple], width: int) -> list[int | None]:
    """Per column, the width to wrap it at (None: as it is), so the table fits `width` characters.
    Columns of prose (values with spaces) give way first, so ids and dates stay whole."""
    cells = [max((max(map(len, str(r[i]).splitlines() or [""])) for r in rows), default=0)
             for i in range(len(columns))]
    natural = [max(len(str(h)) + HEADER_PADDING, c) for h, c in zip(columns, cells)]
    room = width - GAP * (len(columns) - 1)
    prose = [any(" " in str(r[i]) for r in rows) for i in range(len(columns))]
    caps: list[int | None] = [None] * len(columns)
    for give_way in (prose, [True] * len(columns)):
        fixed = sum(n for n, g in zip(natural, give_way) if not g)
        flexible = [n for n, g in zip(natural, give_way) if g]
        if not flexible or sum(natural) <= room:
            continue
        cap = max(flexible)
        while cap > NARROWEST and fixed + sum(min(n, cap) for n in flexible) > room:
            cap -= 1
        caps = [cap if g and n > cap else None for n, g in zip(natural, give_way)]
        if fixed + sum(min(n, cap) for n in flexible) <= room:
            break
    return caps


def render(columns: list[str], rows: list[tuple], width: int | None = None) -> str:
    from tabulate import tabulate

    if not rows:
        return "(no rows)"
    width = width or shutil.get_terminal_size((160, 24)).columns
    caps = column_caps(columns, rows, width)
    rows = [tuple("" if v is None else v for v in r) for r in rows]
    return tabulate(rows, headers=columns, tablefmt="simple", maxcolwidths=caps, maxheadercolwidths=caps,
                    disable_numparse=True)
