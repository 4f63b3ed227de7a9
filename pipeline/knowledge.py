"""The gazetteer and source registry: built-in knowledge plus reviewers' additions.

Built-in files live in pipeline/knowledge/; an annotations folder may hold gazetteer.toml
and sources.toml in the same format, whose entries (by id / host) take precedence.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

from pipeline.config import KNOWLEDGE_DIR
from pipeline.errors import KnowledgeError

ACTOR_TYPES = {"person", "state", "institution", "organisation", "media", "territory"}


@dataclass(frozen=True)
class Role:
    role: str
    country: str
    start: str | None
    end: str | None

    def held_on(self, date: str | None) -> bool:
        if date is None:
            return self.end is None
        day = date[:10]
        return (self.start is None or self.start[: len(day)] <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    adjectives: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    leader: str | None = None
    inst: str | None = None
    entity: str | None = None
    source: str | None = None
    ru: tuple[str, ...] = ()  # Russian name forms, in the nominative (matched on lemmas)
    ru_adjectives: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)



@dataclass(frozen=True)
class Source:
    host: str
    side: str
    publisher: str | None
    channel: str | None


@dataclass
class Knowledge:
    actors: dict[str, ActorEntry]
    sources: list[Source]
    files: tuple[Path, ...] = field(default=())

    @cached_property
    def states(self) -> dict[str, ActorEntry]:
        """ISO code -> state entry."""
        return {a.country: a for a in self.actors.values() if a.type == "state" and a.country}

    @cached_property
    def by_adjective(self) -> dict[str, ActorEntry]:
        out = {}
        for a in self.actors.values():
            if a.type in ("state", "territory"):
                for adj in a.adjectives:
                    out.setdefault(adj.lower(), a)
        return out

    def state_named_in(self, text: str) -> ActorEntry | None:
        """The one state a phrase names by name or adjective ("of the Republic of Armenia",
        "of the Kyrgyz Republic"), or None when it names none or several."""
        import re

        low = text.lower()
        found = {a.id: a for a in self.states.values() if not a.entity
                 and any(re.search(rf"\b{re.escape(w.lower())}\b", low) for w in (*a.names, *a.adjectives))}
        return next(iter(found.values())) if len(found) == 1 else None

    def find_person(self, name: str) -> ActorEntry | None:
        """A person by id, canonical name or alias (case-insensitive)."""
        key = name.strip().lower()
        return next((a for a in self.actors.values() if a.type == "person"
                     and any(n.lower() == key for n in (a.id, *a.names))), None)

    def actor_candidates(self, name: str) -> list[ActorEntry]:
        """Actors of any kind a name form can mean: the one whose id, name or alias it is (case
        aside); else the people it can mean (person_candidates)."""
        key = name.strip().lower()
        exact = [a for a in self.actors.values() if any(n.lower() == key for n in (a.id, *a.names))]
        return exact if exact else self.person_candidates(name)

    def person_candidates(self, name: str) -> list[ActorEntry]:
        """People a name can mean: the one whose id, name or alias it is; else everyone whose
        name form ends in it ("Tokayev", "Jomart Tokayev"), so a unique surname resolves and an
        ambiguous one lists its candidates."""
        exact = self.find_person(name)
        if exact is not None:
            return [exact]
        words = name.strip().lower().split()
        if not words:
            return []
        return [a for a in self.actors.values() if a.type == "person"
                and any(n.lower().split()[-len(words):] == words for n in a.names)]

    def holders(self, role: str, country: str, date: str | None) -> list[ActorEntry]:
        """Who held `role` for `country` (ISO code or de facto entity id) on `date`."""
        found = []
        for a in self.actors.values():
            if a.type != "person":
                continue
            for r in a.roles:
                if r.role == role and r.country == country and r.held_on(date):
                    found.append(a)
        return found

    def source_for(self, url: str | None = None, publisher: str | None = None) -> Source | None:
        if url:
            host = (urlparse(url).hostname or "").lower()
            best = None
            for s in self.sources:
                matches = host == s.host or host.endswith("." + s.host)
                if matches and (best is None or len(s.host) > len(best.host)):
                    best = s
            if best:
                return best
        if publisher:
            key = publisher.strip().lower()
            for s in self.sources:
                if s.publisher and s.publisher.lower() == key:
                    return s
        return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path}: not valid TOML ({exc}); fix the file and run again") from None


def _actor(raw: dict, where: str) -> ActorEntry:
    for key in ("id", "name", "type"):
        if not isinstance(raw.get(key), str):
            raise KnowledgeError(f"{where}: every [[actor]] needs a string {key!r}")
    if raw["type"] not in ACTOR_TYPES:
        raise KnowledgeError(f"{where} ({raw['id']}): type {raw['type']!r}; use one of {', '.join(sorted(ACTOR_TYPES))}")
    country = raw.get("country")
    roles = tuple(
        Role(r["role"], r.get("country") or raw.get("entity") or country, _day(r.get("from")), _day(r.get("to")))
        for r in raw.get("roles", [])
    )
    return ActorEntry(
        id=raw["id"], name=raw["name"], type=raw["type"], country=country,
        aliases=tuple(raw.get("aliases", [])), roles=roles,
        adjectives=tuple(raw.get("adjectives", [])), capitals=tuple(raw.get("capitals", [])),
        leader=raw.get("leader"), inst=raw.get("inst"), entity=raw.get("entity"), source=raw.get("source"),
        ru=_strings(raw, "ru", where), ru_adjectives=_strings(raw, "ru_adjectives", where),
    )


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where} ({raw['id']}): {key!r} must be a list of non-empty strings")
    return tuple(value)


def _day(value) -> str | None:
    return None if value is None else str(value)


def load_knowledge(annotations: Path | None = None, base: Path = KNOWLEDGE_DIR) -> Knowledge:
    files = [base / "actors.toml", base / "sources.toml"]
    extra = [annotations / "gazetteer.toml", annotations / "sources.toml"] if annotations else []
    actors: dict[str, ActorEntry] = {}
    sources: dict[str, Source] = {}
    used: list[Path] = []
    for path in [*files, *extra]:
        if not path.is_file():
            continue
        used.append(path)
        data = _read(path)
        for n, raw in enumerate(data.get("actor", []), 1):
            entry = _actor(raw, f"{path} actor #{n}")
            actors[entry.id] = entry
        for n, raw in enumerate(data.get("source", []), 1):
            if not raw.get("host") or not raw.get("side"):
                raise KnowledgeError(f"{path} source #{n}: needs host and side")
            sources[raw["host"].lower()] = Source(raw["host"].lower(), raw["side"], raw.get("publisher"), raw.get("channel"))
    names_ru = base / "names_ru.toml"
    if names_ru.is_file():
        used.append(names_ru)
        _add_russian(actors, _read(names_ru), names_ru)
    return Knowledge(actors, list(sources.values()), tuple(used))


def _add_russian(actors: dict[str, ActorEntry], data: dict, path: Path) -> None:
    """Russian forms by actor id; an actor whose own entry (a reviewer's) gives `ru` keeps it."""
    from dataclasses import replace

    for actor_id, forms in data.items():
        where = f"{path} [{actor_id}]"
        if actor_id not in actors:
            raise KnowledgeError(f"{where}: no actor with this id in the gazetteer; fix the id")
        if not isinstance(forms, dict):
            raise KnowledgeError(f"{where}: expected a table with names and adjectives")
        entry = actors[actor_id]
        raw = {"id": actor_id, "names": forms.get("names", []), "adjectives": forms.get("adjectives", [])}
        actors[actor_id] = replace(entry, ru=entry.ru or _strings(raw, "names", where),
                                   ru_adjectives=entry.ru_adjectives or _strings(raw, "adjectives", where))
