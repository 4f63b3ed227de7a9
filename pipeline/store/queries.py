"""Saved queries: the questions analysts ask most, as read-only SQL with named parameters."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ClaimtraceError

SPEAKER_COUNTRY = "(SELECT country FROM actors a WHERE a.id = c.speaker_id)"
LIVE = "c.status != 'rejected'"
#: ISO 8601 week ("2025-W10") in SQL, as the report counts weeks: the year and week of the
#: Thursday of the date's Monday-to-Sunday week (SQLite before 3.46 has no %V / %G)
ISO_THURSDAY = "date({d}, '-3 days', 'weekday 4')"
ISO_WEEK = ("strftime('%Y', {t}) || '-W' || printf('%02d', (strftime('%j', {t}) - 1) / 7 + 1)")


def iso_week(column: str) -> str:
    return ISO_WEEK.format(t=ISO_THURSDAY.format(d=column))


#: how a claim's date was reached (pipeline/claims/claim_dates.py BASES; `reviewer` for a date set by hand)
DATE_BASES = ("stated", "relative", "scene", "document", "month", "earlier", "reviewer")
#: the citation check's statuses, the ones a reader must look at first
CITATION_ORDER = ("CASE c.citation_status WHEN 'differs' THEN 0 WHEN 'not_found' THEN 1 WHEN 'unavailable' THEN 2 "
                  "WHEN 'partial' THEN 3 ELSE 4 END")
CURATED_FIRST = "CASE c.status WHEN 'edited' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END"


@dataclass(frozen=True)
class Saved:
    description: str
    sql: str
    params: dict[str, str | None] = field(default_factory=dict)  # name -> default (None: required)


SAVED: dict[str, Saved] = {
    "disputed": Saved(
        "events whose sides' accounts differ: each one-sided claim beside the other side's account",
        f"""SELECT e.date, e.kind, e.participants, c.reported_by AS side, c.quote AS one_sided_claim,
                  (SELECT group_concat(o.reported_by || ': ' || o.quote, ' | ') FROM claims o
                    WHERE o.event_id = e.id AND o.reported_by NOT IN (c.reported_by, 'author')
                      AND o.status != 'rejected') AS other_account,
                  c.id AS claim_id, e.id AS event_id
           FROM events e JOIN claims c ON c.event_id = e.id
           WHERE c.one_sided AND {LIVE} AND json_array_length(e.sides) >= 2
           ORDER BY e.date, e.id, c.reported_by""",
    ),
    "unconfirmed": Saved(
        "claims only one side makes, or that the text says are not confirmed",
        f"""SELECT c.date, c.reported_by, c.speaker, c.source, c.quote, c.id AS claim_id
           FROM claims c WHERE c.confirmation = 'unconfirmed' AND {LIVE} ORDER BY c.date, c.reported_by""",
    ),
    "by-country": Saved(
        "claims per reporting side and speaker over time (by week)",
        f"""SELECT c.reported_by, coalesce(c.speaker, '(institution)') AS speaker,
                  {iso_week("c.date")} AS week, count(*) AS claims
           FROM claims c WHERE {LIVE} AND c.reported_by != 'author'
           GROUP BY 1, 2, 3 ORDER BY 1, 3, 2""",
    ),
    "timeline": Saved(
        "one country's claims by date (said by its officials or reported by its side); --param country=KZ, "
        "optionally --param basis=stated (how the date was reached: stated, relative, scene, document, month, "
        "earlier, reviewer)",
        f"""SELECT c.date, c.reported_by, c.speaker, c.stance, c.quote, c.id AS claim_id
           FROM claims c WHERE {LIVE} AND (c.reported_by = :country OR {SPEAKER_COUNTRY} = :country)
             AND (coalesce(:basis, '') IN ('', 'any') OR c.date_basis = :basis)
           ORDER BY c.date IS NULL, c.date, c.doc_id, c.start""",
        {"country": None, "basis": "any"},
    ),
    "inferred-dates": Saved(
        "claims whose date no time words fix (the document's own time, or only the month), to check by hand",
        f"""SELECT c.date, c.date_basis, c.reported_by, c.side_rule, c.speaker, c.quote, c.id AS claim_id
           FROM claims c WHERE {LIVE} AND c.date_basis IN ('document', 'month')
           ORDER BY c.doc_id, c.date, c.start""",
    ),
    "actor": Saved(
        "everything said by or about an actor (id or name); --param actor=kz-tokayev",
        f"""SELECT c.date, CASE WHEN c.speaker_id = a.id THEN 'by' ELSE 'about' END AS relation,
                  c.speaker, c.reported_by, c.quote, c.id AS claim_id
           FROM actors a JOIN claims c ON (c.speaker_id = a.id OR EXISTS (
                SELECT 1 FROM mentions m WHERE m.actor_id = a.id AND m.paragraph_id = c.paragraph_id
                  AND m.start >= c.start AND m."end" <= c."end"))
           WHERE (a.id = :actor OR lower(a.name) = lower(:actor)) AND {LIVE}
           ORDER BY c.date IS NULL, c.date, relation""",
        {"actor": None},
    ),
    "sources": Saved(
        "what each official channel published: claims per side and channel, first and last date",
        f"""SELECT c.reported_by, c.source, count(*) AS claims, min(c.date) AS first, max(c.date) AS last
           FROM claims c WHERE {LIVE} AND c.reported_by != 'author' GROUP BY 1, 2 ORDER BY 1, 3 DESC""",
    ),
    "citations": Saved(
        "every review claim that cites a corpus document, beside the passage it cites, worst first "
        "(differs, not_found, unavailable, partial, supported)",
        f"""SELECT c.citation_status AS status, c.cite_rule AS rule, c.quote AS review_says, c.cites_doc,
                  (SELECT o.quote FROM claims o WHERE o.id = c.cite_claim) AS cited_statement,
                  (SELECT p.text FROM paragraphs p WHERE p.id = c.cite_paragraph) AS cited_paragraph,
                  c.citation_score AS score, c.id AS claim_id
           FROM claims c WHERE {LIVE} AND c.cite_rule IS NOT NULL
           ORDER BY {CITATION_ORDER}, c.doc_id, c.start""",
    ),
    "positions": Saved(
        "per country and week, the stances its own officials expressed (curated values first)",
        f"""SELECT {SPEAKER_COUNTRY} AS country, {iso_week("c.date")} AS week, c.stance,
                  c.speaker, c.status, c.quote, c.id AS claim_id
           FROM claims c
           WHERE {LIVE} AND c.stance IS NOT NULL AND c.date IS NOT NULL AND c.speaker_id IS NOT NULL
             AND ({SPEAKER_COUNTRY} = c.reported_by OR c.reported_by IS NULL)
           ORDER BY country, week, {CURATED_FIRST}, c.date""",
    ),
}


def resolve(name: str, given: dict[str, str], db: Path | None = None, annotations: Path | None = None
            ) -> tuple[str, dict]:
    """The SQL of a saved query and its parameters; actor and country values are matched to the
    ids and codes the database uses (see `match_actor`, `match_country`)."""
    if name not in SAVED:
        close = difflib.get_close_matches(name, SAVED, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ClaimtraceError(f"no saved query {name!r}; {hint}choose one of {', '.join(SAVED)}")
    saved = SAVED[name]
    given = {k.lower(): v for k, v in given.items()}
    unknown = set(given) - set(saved.params)
    if unknown:
        raise ClaimtraceError(f"--saved {name} takes no parameter {', '.join(sorted(unknown))}"
                              + (f"; it takes {', '.join(saved.params)}" if saved.params else ""))
    params = {}
    for key, default in saved.params.items():
        if key not in given and default is None:
            raise ClaimtraceError(f"--saved {name} needs --param {key}=VALUE")
        params[key] = given.get(key, default)
    if params.get("country"):
        params["country"] = match_country(params["country"])
    if params.get("basis"):
        params["basis"] = params["basis"].strip().lower()
        if params["basis"] not in DATE_BASES + ("any",):
            raise ClaimtraceError(f"--param basis={given['basis']!r}: use one of {', '.join(DATE_BASES)} or any")
    if params.get("actor") and db is not None:
        params["actor"] = match_actor(db, params["actor"], annotations)
    return saved.sql, params


def match_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code in any case or a country's name ("kz", "Kazakhstan")."""
    import pycountry

    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        names = [c.name for c in pycountry.countries]
        close = difflib.get_close_matches(value.strip().title(), names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ClaimtraceError(f"no country matches {value!r}{hint} (use a code such as KZ or a name)") from None


def match_actor(db: Path, value: str, annotations: Path | None = None) -> str:
    """The id of the one actor of the database a value names: its id, name, a gazetteer alias, or a
    surname (case-insensitive). Several matches, or none, are an error that lists the candidates."""
    from pipeline.knowledge import load_knowledge
    from pipeline.store.query import connect_readonly

    conn = connect_readonly(db)
    try:
        actors = dict(conn.execute("SELECT id, name FROM actors").fetchall())
    finally:
        conn.close()
    key = " ".join(value.lower().split())
    exact = [i for i, n in actors.items() if key in (i.lower(), (n or "").lower())]
    if not exact:
        knowledge = load_knowledge(annotations)
        exact = [a.id for a in knowledge.actors.values() if a.id in actors and key in (x.lower() for x in a.names)]
    if not exact:
        words = key.split()
        exact = [i for i, n in actors.items() if n and n.lower().split()[-len(words):] == words]
    if len(exact) == 1:
        return exact[0]
    if exact:
        listed = "; ".join(f"{actors[i]} ({i})" for i in sorted(exact)[:8])
        raise ClaimtraceError(f"{value!r} could be several actors: {listed}; give the full name or the id")
    labels = {}  # what a person might have typed -> the name to suggest
    for i, n in actors.items():
        for label in (i, n, (n or "").split()[-1:] and n.split()[-1]):
            if label:
                labels.setdefault(label.lower(), n or i)
    close = dict.fromkeys(labels[c] for c in difflib.get_close_matches(key, labels, n=5, cutoff=0.6))
    hint = f"; did you mean {', '.join(list(close)[:3])}?" if close else ""
    raise ClaimtraceError(f"no actor matches {value!r}{hint} (list them: claimtrace query \"SELECT id, name FROM actors\")")


def help_text() -> str:
    return "\n".join(f"  {name:<12} {q.description}" for name, q in SAVED.items())
