"""Cross-document stages run after every document is processed: the actor table, events,
and (with curation) the human decisions applied to the machine's proposals."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.claims.citations import EMPTY, cite_all
from pipeline.claims.events import group
from pipeline.config import Settings
from pipeline.curation import Orphan, Problem, apply
from pipeline.knowledge import Knowledge
from pipeline.records import Actor, DocumentResult, Mention
from pipeline.store.rows import claim_row


@dataclass
class Built:
    actors: list[Actor] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def actor_table(knowledge: Knowledge, results: list[DocumentResult]) -> list[Actor]:
    actors = {a.id: Actor(a.id, a.name, a.type, a.country) for a in knowledge.actors.values()}
    for r in results:
        for a in r.actors:
            actors.setdefault(a.id, a)
    return sorted(actors.values(), key=lambda a: a.id)


def finish(settings: Settings, results: list[DocumentResult], knowledge: Knowledge) -> Built:
    built = Built(actors=actor_table(knowledge, results))
    curated = apply(results, settings.annotations)
    built.orphans, built.problems = curated.orphans, curated.problems
    built.mentions = [m for r in results for m in curated.mentions.get(r.spec.id, r.mentions)]
    live = [c for c in curated.claims if c.status != "rejected"]
    built.events, grouped = group(live)
    grouped += [(c, False) for c in curated.claims if c.status == "rejected"]
    cited = cite_all(results, [c for c, _ in grouped], built.mentions)
    built.claims = [{**claim_row(c, one_sided), **cited.get(c.id, EMPTY)} for c, one_sided in grouped]
    return built
