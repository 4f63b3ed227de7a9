"""Which language a document is in: the manifest's `language`, else told from its letters.

The share of Cyrillic letters tells Russian from English; Ukrainian and Kazakh are told by letters
Russian does not have (і ї є ґ; ә ғ қ ң ө ұ ү һ). A mixed page is read in its main language, and
the reason says so. Only the languages the pipeline reads are processed; the others are reported
in one line and skipped (ingest/documents.py), never turned into claims.
"""

from __future__ import annotations

from pipeline.records import Dated

#: languages the language stages read (issue 21 adds Russian's own stage; until then Russian
#: text goes through the English one, as before)
READ = ("en", "ru")
UKRAINIAN = set("іїєґІЇЄҐ")
KAZAKH = set("әғқңөұүһӘҒҚҢӨҰҮҺ")
NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "kk": "Kazakh"}


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def has_cyrillic(text: str) -> bool:
    """Does the text (a word, a lemma) hold a Cyrillic letter: Russian's, never English's."""
    return any(is_cyrillic(ch) for ch in text)


def detect(text: str) -> Dated:
    """(ISO 639-1 code, reason) from the letters of a text."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return Dated("en", "no letters: taken as English")
    cyrillic = sum(1 for ch in letters if is_cyrillic(ch))
    share = cyrillic / len(letters)
    if share < 0.5:
        mixed = f"; {share:.0%} of its letters are Cyrillic, read as English" if share >= 0.2 else ""
        return Dated("en", f"detected: Latin letters{mixed}")
    kazakh = sum(1 for ch in letters if ch in KAZAKH)
    ukrainian = sum(1 for ch in letters if ch in UKRAINIAN)
    floor = max(3, cyrillic // 200)  # a few such letters in a name or a quoted word do not make the text
    if kazakh >= floor:
        return Dated("kk", f"detected: {kazakh} Kazakh letters (ә ғ қ ң ө ұ ү һ)")
    if ukrainian >= floor:
        return Dated("uk", f"detected: {ukrainian} Ukrainian letters (і ї є ґ)")
    mixed = f"; {1 - share:.0%} of its letters are Latin, read as Russian" if share <= 0.8 else ""
    return Dated("ru", f"detected: Cyrillic letters{mixed}")


def language_of(manifest_value: str | None, text: str) -> Dated:
    return Dated(manifest_value, "manifest") if manifest_value else detect(text)


def unsupported(language: Dated) -> str | None:
    """Why a document in this language is not read, or None when it is."""
    if language.value in READ:
        return None
    name = NAMES.get(language.value, language.value)
    return (f"is in {name} ({language.reason}), which claimtrace does not read yet; it was skipped "
            f"(set language = \"en\" or \"ru\" in manifest.toml if that is wrong)")
