"""Word lists shared by the linking and claim stages."""

import tomllib

from pipeline.config import KNOWLEDGE_DIR


def _load_cues() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    data = tomllib.loads((KNOWLEDGE_DIR / "cues.toml").read_text(encoding="utf-8"))
    objects = {verb: frozenset(nouns) for verb, nouns in data.get("objects", {}).items()}
    return frozenset(data["verbs"]) | frozenset(objects), objects


# Reporting verbs (pipeline/knowledge/cues.toml); verbs that report only with certain objects.
REPORT_VERBS, OBJECT_BOUND_VERBS = _load_cues()
ROLE_HEADS = {"spokesman", "spokeswoman", "spokesperson", "minister", "president", "ambassador", "official", "aide",
              "adviser", "advisor", "secretary", "chairman", "chairwoman", "head", "leader", "envoy",
              "representative", "premier", "deputy", "speaker", "chief"}

# Claim stage: pronouns that refer back, nouns of personal statements and of channels.
PRONOUNS = {"he", "she", "him", "her"}
PERSONAL_HEADS = {"statement", "words", "address", "remarks", "speech", "letter", "message", "interview"}
OWNER_HEADS = {"statement", "web", "page", "website", "information", "office", "service", "administration",
               "ministry", "press", "account", "readout", "report", "release"}
