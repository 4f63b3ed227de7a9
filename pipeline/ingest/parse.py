"""HTML / plain text -> typed blocks, then paragraphs with offsets. The only bs4 user."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from bs4 import BeautifulSoup, Comment, Tag

from pipeline.language import datetext
from pipeline.records import Block, Dated, Link, Paragraph, ParsedDocument

# --- block typing shared by both formats --------------------------------------------------

BULLET_RE = re.compile(r"^\s*[•·▪◦●■\-–*]\s+")
CAPTION_RE = re.compile(r"(?:^|[.!?]\s+)(?:Source|Photo|Photo credit|Credit)s?\s*:\s*\S[^\s]*(?:\s+\S+){0,5}\s*$", re.I)
CAPTION_START_RE = re.compile(r"^(?:Photo|Source|Image|Picture)\s*:", re.I)
META_RE = re.compile(r"^(?:Author|Authors|(?:Review|Reporting|Covered|Coverage) period|Period(?: covered| under review)?|"
                     r"Posted|Published|Publication date|Date|Updated|By)\s*:", re.I)
BOILERPLATE_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|all rights reserved|^back to (?:full list|top|news)\b|"
    r"^(?:publication status|published in sections?|text version|print version|send (?:by|to) e-?mail|"
    r"tags?|topics?|persons?|geography|places|related (?:documents|links)|share this)\s*:|"
    r"^(?:print|text version|to the top|read more|more news|all news)$|"
    r"^(?:share|print|tweet|subscribe)\b.{0,40}$|\bcookies?\b.{0,120}(?:accept|consent|agree)|"
    r"^(?:[\w.-]+\.[a-z]{2,4}\s+)?(?:the\s+)?official (?:web ?site|site|portal|web portal|internet portal) of\b[^.!?]*$",
    re.I,
)
BYLINE_RE = re.compile(r"^By\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s*[,|]\s*[\w ]{2,40})?$")
DATE_START_RE = re.compile(
    rf"^(?:On\s+|In\s+|By\s+)?(?:{datetext.MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{datetext.MONTH}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})",
    re.I,
)
TERMINAL_RE = re.compile(r"[.!?…\"”»)]$")


def classify(text: str, tag: str | None = None, bulleted: bool = False) -> str | None:
    """The block kind of a line of text; None for boilerplate to drop."""
    if BOILERPLATE_RE.search(text) and len(text) < 200:
        return None
    if (META_RE.match(text) or BYLINE_RE.match(text)) and len(text) < 200:
        return "meta"
    if tag in ("figcaption", "caption") or (
        len(text) < 200 and (CAPTION_RE.search(text) or CAPTION_START_RE.match(text))
    ):
        return "caption"
    if tag and re.fullmatch(r"h[1-6]", tag):
        return "heading"
    if bulleted or tag == "li":
        return "chronology" if DATE_START_RE.match(text) else "list_item"
    if tag is None and _looks_like_heading(text):
        return "heading"
    return "paragraph"


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 24  # a title line of a news page or a ministry's transcript
        and len(text) < 180
        and (not TERMINAL_RE.search(text) and not text.endswith(":") or text.endswith(":") and len(words) <= 14)
        and text[0].isupper()
    )


def normalise(text: str) -> str:
    """The form ids are derived from: NFKC, whitespace folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- plain text -------------------------------------------------------------------------------

#: a line that ends a sentence or a block (a hard-wrapped paragraph's lines do not)
LINE_END_RE = re.compile(r"[.!?:;…\"”»)\]]\s*$")


def unwrap(lines: list[str]) -> list[str]:
    """A hard-wrapped text (most of its long lines stop mid-sentence, as e-mailed releases and some
    wire reprints are laid out) gets its paragraphs back: a line that does not end a sentence runs
    on into the next. Texts with a paragraph a line are left as they are."""
    long = [x for x in lines if len(x.strip()) >= 50]
    if len(long) < 6 or sum(1 for x in long if not LINE_END_RE.search(x)) < 0.7 * len(long):
        return lines
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and len(out[-1].strip()) >= 40 \
                and not LINE_END_RE.search(out[-1]):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def parse_text(raw: str) -> ParsedDocument:
    blocks: list[Block] = []
    for line in unwrap(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        bulleted = bool(BULLET_RE.match(line))
        text = normalise(BULLET_RE.sub("", line, count=1) if bulleted else line)
        if not text:
            continue
        kind = classify(text, bulleted=bulleted)
        if kind:
            blocks.append(Block(kind, text))
    title = next((b.text for b in blocks if b.kind == "heading"), None)
    return _with_dates(blocks, title, from_markup=None)


# --- HTML -------------------------------------------------------------------------------------

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button",
             "input", "select", "textarea", "nav", "aside", "footer", "header", "menu", "dialog", "object")
BOILER_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alert"}
BOILER_TOKENS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
    "cookie", "cookies", "consent", "gdpr", "banner", "sidebar", "aside", "related", "footer", "header",
    "masthead", "subscribe", "newsletter", "comments", "comment", "tags", "pagination", "pager",
    "widget", "advert", "ads", "ad", "promo", "skip", "latest", "popular", "most", "seealso",
    "toolbar", "print", "login", "search", "topbar", "modal", "popup", "outbrain", "taboola",
}
SIDEBAR_HEADING_RE = re.compile(
    r"^(?:see also|latest(?: news)?|related(?: news| articles| materials)?|more (?:news|on this topic|articles)|"
    r"other news|recent (?:news|posts)|read also|also read|most (?:read|popular)|top stories|news feed|"
    r"you may also like|in this section|share|tags?)\b",
    re.I,
)
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "caption",
              "pre", "dt", "dd", "td", "th", "div", "section", "article", "main", "ul", "ol", "dl",
              "table", "tr", "tbody", "thead", "figure", "address", "center", "body", "span"}
LEAF_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption", "pre", "dt", "dd", "td", "th"}
CONTAINER_TAGS = BLOCK_TAGS - LEAF_TAGS - {"span"}
PUBLISHED_META = (
    ("property", "article:published_time"), ("property", "og:published_time"),
    ("name", "article:published_time"), ("itemprop", "datePublished"), ("name", "pubdate"),
    ("name", "publishdate"), ("name", "date"), ("name", "dc.date"), ("name", "DC.date.issued"),
    ("name", "citation_publication_date"),
)
DATELINE_RE = re.compile(
    rf"^(?:(?:Posted|Published|Publication date|Date|Updated)\s*:?\s*)?(?:\w+day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{datetext.MONTH},?\s+\d{{4}}|{datetext.MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:,?\s*(?:at\s+)?\d{{1,2}}:\d{{2}}(?:\s*[AaPp][Mm])?)?(?:\s*[-–|,]\s*[\w .,-]{{0,40}})?$",
    re.I,
)
# What may stand beside the date on a page's date line: a rubric ("Politics"), a time ("15:00",
# "| 17:20", "T14:20:00+03:00"), a place ("The Kremlin, Moscow"), a view counter. Nothing else.
DATE_IN_LINE_RE = re.compile(
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|"
    rf"\d{{1,2}}\s+{datetext.MONTH},?\s+\d{{4}}|{datetext.MONTH}\s+\d{{1,2}},?\s+\d{{4}}", re.I)
LINE_LABEL_RE = re.compile(r"^(?:Posted|Published|Publication date|Date|Updated|Last updated)\s*:?\s*", re.I)
TIME_RE = re.compile(r"\b(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?")
WEEKDAY_RE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b,?", re.I)
# A wire dateline opening a paragraph: "ASTANA, June 15. /Agency/.", "MOSCOW, March 5 (Agency) -".
# Also "DUSHANBE, 06.09.2022 (Agency) –", "Astana. September 26. Agency -", "ASTANA. AGENCY –"
# and the stored pages' "date 2022-02-25 " before any of them; Russian wires alike ("МОСКВА, 25 февраля. /ТАСС/.").
_WIRE_DAY = rf"(?:{datetext.MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{datetext.MONTH}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})(?:,?\s+\d{{4}})?"
WIRE_DATELINE_RE = re.compile(
    rf"^(?:date\s+\d{{4}}-\d{{2}}-\d{{2}}\s+)?(?:"
    rf"([A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{{2,30}}),\s+{_WIRE_DAY}"
    rf"(?:\.?\s*/[^/]{{2,40}}/\.?|\.?\s*\([^)]{{2,40}}\)\.?\s*[-–—]?|\s*[-–—])"
    rf"|[A-Z][A-Za-z-]{{2,20}}\.\s+{_WIRE_DAY}\.\s+[A-Z][\w.-]{{1,20}}\s*[-–—]"
    rf"|[A-Z][A-Z-]{{2,20}}\.\s+[A-Z][A-Z.-]{{1,20}}\s*[-–—]"
    rf")\s+(?=[A-ZА-ЯЁ“\"«])")
# A stored copy's month-only date before its text ("date 2022-03 ..."): the month of publication.
STORED_MONTH_RE = re.compile(r"^date\s+(\d{4})-(\d{2})\s+(?=\S)")
# ... and its full date ("date 2022-03-05 ..."), when no wire dateline follows it
STORED_DAY_RE = re.compile(r"^date\s+\d{4}-\d{2}-\d{2}\s+(?=\S)")
# The signature of an official release ("Press Service of the President of ..."): a name, no verb.
SIGNATURE_RE = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:Press|Information|Media|Public Relations|Communications?)\b[\w\s]{0,40}?"
    r"\b(?:Service|Office|Department|Division|Centre|Center|Secretariat)\b.{0,120}$", re.I)


def is_date_line(text: str) -> bool:
    """A page's date line: one full date and beside it only a label, a time, a weekday, a rubric or a
    place ("March 2, 2022 The Kremlin, Moscow", "Politics 2024-03-05T14:20:00+03:00", "07.02.2024 | 17:20")."""
    if DATELINE_RE.match(text):
        return True
    if len(text) > 90 or len(DATE_IN_LINE_RE.findall(text)) != 1:
        return False
    rest = DATE_IN_LINE_RE.sub(" ", LINE_LABEL_RE.sub("", text))
    rest = WEEKDAY_RE.sub(" ", TIME_RE.sub(" ", rest))
    words = re.findall(r"[^\W\d_][\w'’-]*", rest)
    return len(words) <= 4 and all(w[0].isupper() or w.lower() in ("the", "of", "views") for w in words) \
        and not TERMINAL_RE.search(text.rstrip(")"))


def is_signature(text: str) -> bool:
    """'PRESS SERVICE OF THE PRIME MINISTER OF ...', 'Information Department of the Ministry of ...':
    the line an official release ends with, naming who issued it."""
    words = text.split()
    return 3 <= len(words) <= 20 and not text.endswith((".", "!", "?", ":")) and bool(SIGNATURE_RE.match(text)) \
        and " of " in f" {text.lower()} "


def _tokens(el: Tag) -> set[str]:
    values = el.get("class") or []
    if isinstance(values, str):
        values = values.split()
    ident = el.get("id") or ""
    raw = " ".join([*values, ident]).lower()
    return {t for t in re.split(r"[^a-z]+", raw) if t} | ({raw.replace("-", "").replace("_", "")} if raw else set())


def _is_boilerplate(el: Tag) -> bool:
    if el.name in DROP_TAGS:
        return True
    if (el.get("role") or "").lower() in BOILER_ROLES:
        return True
    if el.get("aria-hidden") == "true" or el.has_attr("hidden"):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    if el.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "main", "body", "html"):
        return False
    return bool(_tokens(el) & BOILER_TOKENS)


def _sidebar_by_heading(el: Tag) -> bool:
    """A container whose own first heading reads 'Latest news', 'See also' and the like."""
    if el.name not in ("div", "section", "ul", "ol"):
        return False
    first = el.find(re.compile(r"^h[1-6]$|^strong$|^b$"))
    if first is None:
        return False
    text = normalise(first.get_text(" "))
    return bool(SIDEBAR_HEADING_RE.match(text)) and len(text) < 40


def _link_density(el: Tag) -> float:
    text = len(normalise(el.get_text(" ")))
    if not text:
        return 0.0
    return sum(len(normalise(a.get_text(" "))) for a in el.find_all("a")) / text


def _published_from_markup(soup: BeautifulSoup) -> Dated | None:
    for attr, name in PUBLISHED_META:
        for meta in soup.find_all("meta", attrs={attr: re.compile(f"^{re.escape(name)}$", re.I)}):
            value = datetext.parse_date(meta.get("content") or "")
            if value:
                return Dated(value, f"<meta {attr}={name}>")
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                value = datetext.parse_date(str(item["datePublished"]))
                if value:
                    return Dated(value, "JSON-LD datePublished")
    return None


def parse_html(raw: str) -> ParsedDocument:
    soup = BeautifulSoup(raw, "html.parser")
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    published = _published_from_markup(soup)
    title_el = _title_element(soup)
    title = normalise(title_el.get_text(" ")) if title_el else None
    if not title:
        og = soup.find("meta", attrs={"property": "og:title"})
        title = normalise(og.get("content", "")) if og else None
        if not title and soup.title:
            title = normalise(soup.title.get_text(" ")) or None
    for el in soup.find_all(["script", "style", "noscript", "template"]):
        el.decompose()
    body = soup.body or soup
    # Dates and datelines near the title, before furniture is removed (the title block of
    # many pages sits in a <header>), but never inside sidebars.
    if published is None:
        published = _published_near_title(body, title_el)
    keep = {id(title_el), *(id(p) for p in title_el.parents)} if title_el is not None else set()
    for el in list(body.find_all(True)):
        if el.decomposed or el.parent is None:
            continue
        if id(el) in keep:
            if _is_boilerplate(el) and el.name in ("header",):
                el.unwrap()
            continue
        if _is_boilerplate(el) or _sidebar_by_heading(el):
            el.decompose()
    root = _main_root(body)
    root = _widen_to_title(root, title_el)
    blocks = _blocks(root)
    return _with_dates(blocks, title, from_markup=published)


def _title_element(soup: BeautifulSoup) -> Tag | None:
    """The article's own <h1>: inside <article>/<main> first, never a logo in the site header."""
    for h1 in soup.select("article h1, main h1, [role=main] h1"):
        return h1
    for h1 in soup.find_all("h1"):
        if not any(p.name in ("nav", "footer", "aside") or _tokens(p) & {"logo", "brand", "site"}
                   for p in h1.parents if isinstance(p, Tag)):
            return h1
    for h in soup.find_all(["h2", "h3", "div"]):
        if _tokens(h) & {"title", "headline"} and not any(
            _is_boilerplate(p) or _sidebar_by_heading(p) for p in h.parents if isinstance(p, Tag)
        ) and not _is_boilerplate(h):
            return h
    return None


def _in_furniture(node, title_el: Tag | None) -> bool:
    """Inside navigation, a sidebar or a footer; the article's own <header> (holding its title) is not."""
    title_parents = {id(p) for p in title_el.parents} if title_el is not None else set()
    for p in node.parents:
        if not isinstance(p, Tag) or id(p) in title_parents:
            continue
        if _is_boilerplate(p) or _sidebar_by_heading(p):
            return True
    return False


def _time_value(t: Tag) -> str | None:
    return datetext.parse_date(t.get("datetime") or "") or datetext.parse_date(t.get_text(" "))


def _published_near_title(body: Tag, title_el: Tag | None) -> Dated | None:
    """The page's own date: a <time> or dateline right by the title, never one from a list of other news."""
    if title_el is not None:
        container = title_el.parent
        for _ in range(2):  # a date above the title, in the same header block
            if isinstance(container, Tag) and container.parent is not None and container.name not in ("body", "html"):
                container = container.parent
        for t in title_el.find_all_next("time", limit=3):
            if not _in_furniture(t, title_el) and _time_value(t):
                return Dated(_time_value(t), "<time> after the title")
        for t in title_el.find_all_previous("time", limit=2):
            if isinstance(container, Tag) and any(p is container for p in t.parents) and not _in_furniture(t, title_el) \
                    and _time_value(t):
                return Dated(_time_value(t), "<time> above the title")
        seen = 0
        for s in title_el.find_all_next(string=True):
            text = normalise(str(s))
            if not text or _in_furniture(s, title_el):
                continue
            if is_date_line(text):
                value = datetext.parse_date(text)
                if value:
                    return Dated(value, f"dateline by the title: {text!r}")
            seen += 1
            if seen > 6:
                break
    for t in body.find_all("time"):
        if not _in_furniture(t, title_el) and _time_value(t):
            return Dated(_time_value(t), "<time> in the article")
    return None


def _main_root(body: Tag) -> Tag:
    """The element holding the main text: a single <article>/<main>, else the densest parent of <p>s."""
    for selector in ("[itemprop=articleBody]", "article", "main", "[role=main]"):
        found = [el for el in body.select(selector) if len(normalise(el.get_text(" "))) > 200]
        if found:
            return max(found, key=lambda el: len(normalise(el.get_text(" "))))
    scores: dict[int, tuple[float, Tag]] = {}
    for p in body.find_all(["p", "li", "pre", "blockquote"]):
        text = normalise(p.get_text(" "))
        if len(text) < 25 or _link_density(p) > 0.5:
            continue
        for parent, weight in ((p.parent, 1.0), (p.parent.parent if p.parent else None, 0.5)):
            if isinstance(parent, Tag):
                score = scores.get(id(parent), (0.0, parent))[0] + weight * len(text)
                scores[id(parent)] = (score, parent)
    if not scores:
        return body
    return max(scores.values(), key=lambda s: s[0])[1]


def _widen_to_title(root: Tag, title_el: Tag | None, levels: int = 2) -> Tag:
    """Climb at most `levels` parents so that the article's title and dateline are included."""
    if title_el is None or title_el.decomposed:
        return root
    node = root
    for _ in range(levels + 1):
        if node is title_el or any(p is node for p in title_el.parents):
            return node
        if not isinstance(node.parent, Tag) or node.parent.name in ("body", "html", "[document]"):
            break
        node = node.parent
    return root


def _blocks(root: Tag) -> list[Block]:
    out: list[Block] = []
    pending: list = []  # inline nodes between blocks: text sitting directly in a container

    def flush() -> None:
        if pending:
            _emit(pending, None, out)
            pending.clear()

    def walk(el: Tag) -> None:
        for child in el.children:
            if isinstance(child, Tag):
                if child.name in LEAF_TAGS and not child.find([*LEAF_TAGS, "div", "ul", "ol"]):
                    flush()
                    _emit(list(child.children), child.name, out, bulleted=child.name == "li", el=child)
                elif child.name in CONTAINER_TAGS or child.name in LEAF_TAGS:
                    flush()
                    if child.name in ("ul", "ol") and _link_density(child) > 0.6:
                        continue  # a list of links is navigation
                    walk(child)
                    flush()
                else:
                    pending.append(child)
            else:
                pending.append(child)
        flush()

    walk(root)
    return out


def _emit(nodes: list, tag: str | None, out: list[Block], bulleted: bool = False, el: Tag | None = None) -> None:
    """Inline nodes -> one block per line (a <br> ends a line), links kept with offsets."""
    segments: list[tuple[str, str | None]] = []

    def collect(node, href: str | None) -> None:
        if isinstance(node, Tag):
            if node.name == "br":
                segments.append(("\n", None))
                return
            if node.name == "a" and node.get("href"):
                href = node["href"]
            for c in node.children:
                collect(c, href)
        else:
            segments.append((str(node), href))

    for n in nodes:
        collect(n, None)
    for line in _split_lines(segments):
        text, links = _fold(line)
        if not text:
            continue
        if el is not None and "caption" in " ".join(el.get("class") or []).lower():
            kind = "caption"
        else:
            kind = classify(text, tag=tag or "p", bulleted=bulleted)
        if kind is None:
            continue
        linked = sum(link.end - link.start for link in links)
        if kind in ("paragraph", "list_item", "chronology") and links and len(text) < 120 and linked / len(text) > 0.6:
            continue  # a line that is mostly a link: navigation, "read more"
        out.append(Block(kind, text, tuple(links)))


def _split_lines(segments):
    line: list[tuple[str, str | None]] = []
    for text, href in segments:
        if text == "\n":
            yield line
            line = []
        else:
            line.append((text, href))
    yield line


def _fold(segments) -> tuple[str, list[Link]]:
    """Join segments folding whitespace; return the text and the links' offsets into it."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    for text, href in segments:
        text = unicodedata.normalize("NFC", text)
        start = len(out)
        for ch in text:
            if ch.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
            else:
                out.append(ch)
        if href:
            spans.append((start, len(out), href))
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip(" "))
    stripped = joined.strip(" ")
    links: list[Link] = []
    for s, e, href in spans:
        s, e = max(s - lead, 0), min(e - lead, len(stripped))
        while s < e and stripped[s] == " ":
            s += 1
        while e > s and stripped[e - 1] == " ":
            e -= 1
        if e > s:
            if links and links[-1].href == href and links[-1].end >= s - 1:
                prev = links.pop()
                s = prev.start
            links.append(Link(s, e, stripped[s:e], href))
    return stripped, links


# --- dates, periods and assembly ----------------------------------------------------------

PERIOD_RE = re.compile(r"^(?:Review|Reporting|Reviewed|Covered|Coverage) period\s*:\s*(.+)$|^Period(?: covered| under review)?\s*:\s*(.+)$", re.I)


def _split_wire_datelines(blocks: list[Block]) -> list[Block]:
    """'ASTANA, June 15. /Agency/. President ...' -> a meta block for the dateline, then the paragraph."""
    out: list[Block] = []
    for n, b in enumerate(blocks):
        stored = (STORED_MONTH_RE.match(b.text) or STORED_DAY_RE.match(b.text)) if n == 0 and b.kind == "paragraph" \
            else None
        if stored is not None and not WIRE_DATELINE_RE.match(b.text):
            # "date 2022-03" (the month only) or "date 2022-03-05": a line of its own, not the first words
            cut = stored.end()
            out.append(Block("meta", b.text[:cut].rstrip()))
            b = Block(b.kind, b.text[cut:], tuple(Link(lk.start - cut, lk.end - cut, lk.text, lk.href)
                                                  for lk in b.links if lk.start >= cut))
        m = WIRE_DATELINE_RE.match(b.text) if b.kind == "paragraph" else None
        if m is None:
            out.append(b)
            continue
        cut = m.end()
        head, rest = b.text[:cut].rstrip(), b.text[cut:]
        out.append(Block("meta", head))
        out.append(Block(b.kind, rest, tuple(Link(lk.start - cut, lk.end - cut, lk.text, lk.href)
                                             for lk in b.links if lk.start >= cut)))
    return out


def _with_dates(blocks: list[Block], title: str | None, from_markup: Dated | None) -> ParsedDocument:
    blocks = _split_wire_datelines(blocks)
    published = from_markup
    period = period_reason = None
    for n, b in enumerate(blocks):
        m = PERIOD_RE.match(b.text)
        if m and period is None and n < 12:
            value = m.group(1) or m.group(2)
            period = datetext.parse_range(value)
            period_reason = f"period line: {b.text!r}" if period else f"period line not understood: {b.text!r}"
        near_top = n < 12 or LINE_LABEL_RE.match(b.text)
        if published is None and near_top and (b.kind == "meta" or is_date_line(b.text)) \
                and not PERIOD_RE.match(b.text):
            value = datetext.parse_date(b.text)
            if value:
                published = Dated(value, f"dateline: {b.text!r}")
    month = next((f"{m.group(1)}-{m.group(2)}" for b in blocks[:1] if b.kind == "meta"
                  for m in [STORED_MONTH_RE.match(b.text + " x")] if m), None)
    signature = None
    for n, b in enumerate(blocks):
        if n >= len(blocks) - 3 and b.kind in ("paragraph", "heading") and is_signature(b.text):
            signature = b.text
    typed = [Block("meta", b.text, b.links) if is_date_line(b.text) or b.text == signature else b for b in blocks]
    return ParsedDocument(tuple(typed), title, published, period, period_reason, signature, month)


def paragraph_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    key = f"{doc_id}\x00{normalise(text)}" + (f"\x00{occurrence}" if occurrence else "")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def assemble(doc_id: str, parsed: ParsedDocument) -> tuple[str, list[Paragraph]]:
    """The document's extracted text (blocks joined by blank lines) and its paragraphs."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    seen: dict[str, int] = {}
    pos = 0
    for seq, block in enumerate(parsed.blocks):
        if parts:
            parts.append("\n\n")
            pos += 2
        key = normalise(block.text)
        n = seen.get(key, 0)
        seen[key] = n + 1
        paragraphs.append(
            Paragraph(
                id=paragraph_id(doc_id, block.text, n), doc_id=doc_id, seq=seq, kind=block.kind,
                start=pos, end=pos + len(block.text), text=block.text, links=block.links,
            )
        )
        parts.append(block.text)
        pos += len(block.text)
    return "".join(parts), paragraphs
