"""Word lists shared by the linking and claim stages.

English lists are here and in knowledge/cues.toml; knowledge/lexicon_ru.toml adds each list's
Russian lemmas (they never coincide with English ones, so English text reads as before)."""

import tomllib

from pipeline.config import KNOWLEDGE_DIR


CUES = tomllib.loads((KNOWLEDGE_DIR / "cues.toml").read_text(encoding="utf-8"))
# Reporting verbs (pipeline/knowledge/cues.toml); verbs that report only with certain objects.
OBJECT_BOUND_VERBS = {verb: frozenset(nouns) for verb, nouns in CUES.get("objects", {}).items()}
REPORT_VERBS = frozenset(CUES["verbs"]) | frozenset(OBJECT_BOUND_VERBS)
RUSSIAN = tomllib.loads((KNOWLEDGE_DIR / "lexicon_ru.toml").read_text(encoding="utf-8"))
REPORT_VERBS = REPORT_VERBS | frozenset(RUSSIAN["verbs"])
ROLE_HEADS = {"spokesman", "spokeswoman", "spokesperson", "minister", "president", "ambassador", "official", "aide",
              "adviser", "advisor", "secretary", "chairman", "chairwoman", "head", "leader", "envoy",
              "representative", "premier", "deputy", "speaker", "chief"} | set(RUSSIAN["role_heads"])

# Claim stage: pronouns that refer back, nouns of personal statements and of channels.
PRONOUNS = {"he", "she", "him", "her"} | set(RUSSIAN["pronouns"])
PERSONAL_HEADS = {"statement", "words", "address", "remarks", "speech", "letter", "message", "interview"} | \
    set(RUSSIAN["personal_heads"])
OWNER_HEADS = {"statement", "web", "page", "website", "information", "office", "service", "administration",
               "ministry", "press", "account", "readout", "report", "release"} | set(RUSSIAN["owner_heads"])
OPINION_VERBS = {"view", "consider", "regard", "believe", "see", "assess", "characterize", "characterise"} | \
    set(RUSSIAN["opinion_verbs"])
GENERIC_SUBJECTS = {"statement", "ministry", "administration", "office", "side", "government", "council",
                    "document", "information", "service", "web", "page", "website", "parties", "sides"} | \
    set(RUSSIAN["generic_subjects"])
#: words that negate the verb they stand before (Russian "не" is a particle, not a `neg` dependent)
NEGATION_WORDS = set(RUSSIAN["negations"])
#: "Об этом заявил X": a sentence that attributes the sentences before it
BACK_REFERENCES = tuple(RUSSIAN["back_references"]) + tuple(CUES.get("back_references", []))
#: "В сообщении X говорится": the channel in the verb's oblique phrase
IMPERSONAL_VERBS = frozenset(RUSSIAN["impersonal_verbs"])
#: Russian words of a call or meeting, by kind; words that refer to the event; participant nouns
EVENT_CUES_RU = {kind: "|".join(words) for kind, words in RUSSIAN["event_cues"].items()}
EVENT_REFS_RU = "|".join(RUSSIAN["event_references"]["words"])
PARTICIPANT_NOUNS_RU = set(RUSSIAN["participant_nouns"])
#: Russian bare role nouns -> gazetteer roles; "глава" + the noun after it -> role
RU_ROLES = dict(RUSSIAN["roles"])
RU_HEAD_OF = dict(RUSSIAN["head_of"])
