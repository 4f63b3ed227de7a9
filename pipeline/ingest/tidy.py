"""End tags an HTML page leaves out, written in before parsing. Python's html.parser nests an
unclosed <p> inside the one before it (a browser closes it): an old-style page of 1,000 unclosed
paragraphs became a tree 1,000 deep, and 100,000 of them used a document's whole time budget. The
rules are the HTML standard's implied end tags, for the elements pages leave open."""

from __future__ import annotations

import re

from pipeline.limits import TAG_RE, VOID

#: start tags that close an open <p> (the standard's list of elements a paragraph cannot hold)
CLOSES_P = {"p", "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
            "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
            "menu", "nav", "ol", "pre", "section", "table", "ul"}
#: element -> (the start tags that close it, the elements whose start bounds the search for it)
SIBLINGS = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th", "tr"}, {"tr", "table"}),
    "th": ({"td", "th", "tr"}, {"tr", "table"}),
    "tr": ({"tr", "tbody", "thead", "tfoot"}, {"table", "tbody", "thead", "tfoot"}),
    "option": ({"option", "optgroup"}, {"select", "datalist", "optgroup"}),
}
#: elements a <p> is not closed across (its search stops there)
P_SCOPE = {"td", "th", "li", "dd", "dt", "table", "button", "object", "marquee", "template", "html", "body",
           "div", "blockquote", "section", "article", "form", "caption"}
RAW_TEXT = re.compile(r"<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def close_implied(html: str) -> str:
    """The page with the end tags of elements it leaves open written where a browser would close
    them: before a tag that implies the end. Text and other tags stay as they are."""
    skip = [(m.start(), m.end()) for m in RAW_TEXT.finditer(html)]  # no tags inside scripts and styles
    out: list[str] = []
    stack: list[str] = []
    at = 0
    k = 0
    for m in TAG_RE.finditer(html):
        while k < len(skip) and skip[k][1] <= m.start():
            k += 1
        if k < len(skip) and skip[k][0] <= m.start() < skip[k][1]:
            continue
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in VOID or self_closing:
            continue
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
            continue
        close_from = _implied(name, stack)
        if close_from is not None:
            out.append(html[at:m.start()])
            at = m.start()
            while close_from is not None:  # <tr> closes an open <td>, then the open <tr>
                out.append("".join(f"</{t}>" for t in reversed(stack[close_from:])))
                del stack[close_from:]
                close_from = _implied(name, stack)
        stack.append(name)
    out.append(html[at:])
    return "".join(out)


def _implied(name: str, stack: list[str]) -> int | None:
    """Where in the stack of open elements the start tag `name` closes them from, or None."""
    if name in CLOSES_P:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] == "p":
                return i
            if stack[i] in P_SCOPE:
                break
    for open_name, (closers, bounds) in SIBLINGS.items():
        if name not in closers:
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] == open_name:
                return i
            if stack[i] in bounds:
                break
    return None
