"""Word lists shared by the linking and claim stages, read from the knowledge folder.

English lists are in knowledge/lexicon_en.toml and knowledge/cues.toml; knowledge/lexicon_ru.toml
adds each list's Russian lemmas under the same keys (they never coincide with English ones, so
English text reads as before)."""

import tomllib

from pipeline.config import KNOWLEDGE_DIR


CUES = tomllib.loads((KNOWLEDGE_DIR / "cues.toml").read_text(encoding="utf-8"))
# Reporting verbs (pipeline/knowledge/cues.toml); verbs that report only with certain objects.
OBJECT_BOUND_VERBS = {verb: frozenset(nouns) for verb, nouns in CUES.get("objects", {}).items()}
REPORT_VERBS = frozenset(CUES["verbs"]) | frozenset(OBJECT_BOUND_VERBS)
RUSSIAN = tomllib.loads((KNOWLEDGE_DIR / "lexicon_ru.toml").read_text(encoding="utf-8"))
REPORT_VERBS = REPORT_VERBS | frozenset(RUSSIAN["verbs"])
ENGLISH = tomllib.loads((KNOWLEDGE_DIR / "lexicon_en.toml").read_text(encoding="utf-8"))
ROLE_HEADS = set(ENGLISH["role_heads"]) | set(RUSSIAN["role_heads"])

# Claim stage: pronouns that refer back, nouns of personal statements and of channels.
PRONOUNS = set(ENGLISH["pronouns"]) | set(RUSSIAN["pronouns"])
PERSONAL_HEADS = set(ENGLISH["personal_heads"]) | set(RUSSIAN["personal_heads"])
OWNER_HEADS = set(ENGLISH["owner_heads"]) | set(RUSSIAN["owner_heads"])
OPINION_VERBS = set(ENGLISH["opinion_verbs"]) | set(RUSSIAN["opinion_verbs"])
GENERIC_SUBJECTS = set(ENGLISH["generic_subjects"]) | set(RUSSIAN["generic_subjects"])
#: words that say only that a call or meeting took place (claims/claim_content.py)
EVENT_WORDS = set(ENGLISH["event_words"])
#: linking: official titles by role; words the NER takes for names; words that make an institution
ROLE_WORDS = {role: list(titles) for role, titles in ENGLISH["role_words"].items()}
COMMON_FALSE_ENTS = set(ENGLISH["common_false_ents"])
NOT_PERSON_WORDS = set(ENGLISH["not_person_words"])
#: claims: objects that make "declare" an act; verbs of an event being held; nouns of spoken words;
#: institutions that speak as a channel; plural role nouns
DECLARED_ACTS = set(ENGLISH["declared_acts"])
SCHEDULED_VERBS = set(ENGLISH["scheduled_verbs"])
SPEECH_NOUNS = set(ENGLISH["speech_nouns"])  # of one person's speech: a title then names a transcript's speaker
INSTITUTION_HEADS = set(ENGLISH["institution_heads"])
PLURAL_ROLES = dict(ENGLISH["plural_roles"])
#: words of a role that must match the holder's ("Deputy Prime Minister"); subjects that are channels;
#: verbs and objects of making a statement ("made the remarks", "gave a comment")
ROLE_QUALIFIERS = frozenset(ENGLISH["role_qualifiers"])
CHANNEL_SUBJECTS = frozenset(ENGLISH["channel_subjects"])
MAKING_VERBS = frozenset(ENGLISH["making_verbs"])
MADE_STATEMENTS = frozenset(ENGLISH["made_statements"])
#: words that negate the verb they stand before (Russian "не" is a particle, not a `neg` dependent)
NEGATION_WORDS = set(RUSSIAN["negations"])
#: "Об этом заявил X": a sentence that attributes the sentences before it
BACK_REFERENCES = tuple(RUSSIAN["back_references"]) + tuple(CUES.get("back_references", []))
#: "В сообщении X говорится": the channel in the verb's oblique phrase
IMPERSONAL_VERBS = frozenset(RUSSIAN["impersonal_verbs"])
#: subjects that name the participants of a call or meeting ("the sides", "стороны")
PARTICIPANT_NOUNS = set(ENGLISH["participant_nouns"]) | set(RUSSIAN["participant_nouns"])
#: verbs of the participants' account of a call or meeting ("the parties discussed")
ACCOUNT_VERBS = frozenset(ENGLISH["account_verbs"]) | frozenset(RUSSIAN["account_verbs"])
PARTICIPANT_PRONOUNS = frozenset(ENGLISH["participant_pronouns"]) | frozenset(RUSSIAN["participant_pronouns"])
#: Russian bare role nouns -> gazetteer roles; "глава" + the noun after it -> role
RU_ROLES = dict(RUSSIAN["roles"])
#: "главы государства": a head of state named with no state (lexicon_ru.toml bare_head, bare_head_of)
BARE_HEAD, BARE_HEAD_OF = RUSSIAN["bare_head"], frozenset(RUSSIAN["bare_head_of"])
RU_HEAD_OF = dict(RUSSIAN["head_of"])
#: words of date expressions, by language (language/datetext.py, language/dates.py, claims/claim_dates.py)
DATES = tomllib.loads((KNOWLEDGE_DIR / "dates.toml").read_text(encoding="utf-8"))


def alternation(words, space: str = r"\s+") -> str:
    """A regular expression's alternatives from a word list, in the list's order; a phrase's
    spaces become `space` (any run of spaces unless told)."""
    return "|".join(w.replace(" ", space) for w in words)
