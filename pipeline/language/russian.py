"""Russian text turned into the same spaCy `Doc` the English pipeline gives.

natasha 1.6 does the analysis (razdel tokens and sentences, slovnet morphology, UD syntax and
NER over navec embeddings, pymorphy2 lemmas; the models ship inside its wheels, so it works
offline). `RussianPipeline.pipe` turns each result into a spaCy Doc whose text is the paragraph
character for character — words, spaces, lemmas, UD POS and features, heads, UD dependency
labels (the root labelled ROOT, as spaCy does), sentences and entities — then runs an
EntityRuler of the gazetteer's Russian name forms over lemmas, so every case form of a name
links (Путиным, Токаеву, Мирзиёева). Nothing here is loaded until a Russian document arrives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from pipeline.knowledge import Knowledge
from pipeline.language.nlp import SURNAME_PREFIX
from pipeline.lexicon import RUSSIAN

#: natasha's entity types -> the labels the rest of the pipeline reads
NER_LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}
LABELS = {"person": "PERSON", "state": "GPE", "territory": "GPE", "institution": "ORG",
          "organisation": "ORG", "media": "ORG"}


#: institutions of every state, from the state's Russian forms: (with its name, with its adjective)
#: (knowledge/lexicon_ru.toml)
INSTITUTION_FORMS = {inst: (forms["with_name"], forms["with_adjective"]) for inst, forms in RUSSIAN["institution_forms"].items()}
#: role descriptions, resolved by the linker to whoever held the role on the date (as the English
#: role phrases are): (role, forms with the state's name, forms with its adjective)
ROLE_FORMS = [(role, forms["with_name"], forms["with_adjective"]) for role, forms in RUSSIAN["role_forms"].items()]
ROLE_PREFIX = "role:"
#: pymorphy2's parts of speech that never name anyone
CLOSED_CLASSES = {"CONJ", "PRCL", "NPRO", "PREP", "ADVB", "INTJ", "PRED", "COMP"}


def fold(word: str) -> str:
    """The form lemmas are compared in: lower case, ё as е (pymorphy2 folds ё in its lemmas)."""
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=1)
def _morph():
    """natasha's MorphVocab (pymorphy2 with natasha's result type), loaded once for both the tagger's
    lemmas and the gazetteer's name forms; its dictionaries given by path, not looked up through
    pkg_resources (gone from setuptools 81)."""
    import pymorphy2
    import pymorphy2_dicts_ru
    from natasha import MorphVocab
    from natasha.morph.vocab import MorphForm

    vocab = MorphVocab.__new__(MorphVocab)
    pymorphy2.MorphAnalyzer.__init__(vocab, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm)
    return vocab


@dataclass(frozen=True)
class _Word:
    """A token as natasha's normaliser reads one."""
    text: str
    pos: str
    feats: dict
    start: int
    stop: int


def nominative(tokens) -> str:
    """A person's name in the nominative, as natasha normalises a person's span ("Дмитрием
    Мезенцевым" -> "Дмитрий Мезенцев"): each word inflected by the tagger's case, gender and number,
    capitals and spacing kept; a word those features do not place stays as written, and an ё the
    dictionary folds stays ё."""
    from natasha.norm import normalize

    parts = []
    for t in tokens:
        word = list(normalize(_morph(), [_Word(t.text, t.pos_, t.morph.to_dict(), 0, len(t.text))]))
        for i, ch in enumerate(t.text[:len(word)]):
            if ch in "ёЁ" and word[i] in "еЕ":
                word[i] = ch
        parts.append("".join(word) + t.whitespace_)
    return "".join(parts).strip()


#: a sentence's end glued to the next one's start, as pages joined from HTML blocks type it
#: ("…пресс-служба Кремля.В сообщении…", "…на Украине.«Садыр…"): a word of two lower-case letters and
#: its full stop, or a closing quotation mark after one, then a capital or an opening quotation mark
GLUED = re.compile(r"(?<=[a-zа-яё]{2}[.!?]|[a-zа-яё][.!?][»\"”])(?=[«\"“A-ZА-ЯЁ])")


def sentences(segmenter, part: str, at: int = 0) -> list[tuple[int, int]]:
    """razdel's sentences of one paragraph as (start, stop) at offset `at`, also cut where one
    sentence runs into the next without a space (razdel keeps those together)."""
    found = []
    for s in segmenter.sentenize(part):
        cuts = [s.start + m.start() for m in GLUED.finditer(s.text)]
        for lo, hi in zip([s.start, *cuts], [*cuts, s.stop]):
            found.append((lo + at, hi + at))
    return found


def offsets(paragraphs: list[str]) -> list[tuple[str, int]]:
    """(paragraph, where it starts) in the paragraphs joined by SEPARATOR, as natasha reads them."""
    out, at = [], 0
    for text in paragraphs:
        out.append((text, at))
        at += len(text) + len(SEPARATOR)
    return out


@lru_cache(maxsize=50_000)
def lemma_forms(word: str) -> tuple[str, ...]:
    """Every lemma pymorphy2 can give a word, and the word itself: a name written in the
    nominative ("Захарова", "Санду") matches whichever lemma the tagger picks in context."""
    forms = {fold(word)} | {fold(p.normal_form) for p in _morph().parse(word)}
    return tuple(sorted(forms))


def patterns(knowledge: Knowledge) -> list[dict]:
    """EntityRuler token patterns over lemmas for each actor's Russian forms (`ru`, and
    `ru_adjectives` for states: "российская сторона" is Russia's side). A person's surname alone
    is a pattern of its own when only one person has it."""
    out, seen = [], set()
    surnames: dict[str, set[str]] = {}

    def add(text: str, label: str, actor_id: str) -> None:
        # a hyphenated word is one token or three, as the tokenizer splits it ("Касым-Жомарт")
        for words in {tuple(text.split()), tuple(text.replace("-", " - ").split())}:
            key = (tuple(fold(w) for w in words), label)
            if key in seen:
                continue
            seen.add(key)
            out.append({"label": label, "id": actor_id,
                        "pattern": [{"LEMMA": {"IN": lemma_forms(w)}} if w != "-" else {"ORTH": "-"} for w in words]})

    for a in knowledge.actors.values():
        label = LABELS[a.type]
        for name in a.ru:
            add(name, label, a.id)
            if a.type == "person" and " " in name:
                surnames.setdefault(name.split()[-1], set()).add(a.id)
        for adj in a.ru_adjectives:
            add(adj, "NORP", a.id)
        state = knowledge.states.get(a.country) if a.type == "institution" else None
        if state is not None and a.inst in INSTITUTION_FORMS:
            with_name, with_adj = INSTITUTION_FORMS[a.inst]
            for form in with_name:
                for n in state.ru[:3]:
                    add(form.format(n=n), label, a.id)
            for form in with_adj:
                for adj in state.ru_adjectives:
                    add(form.format(a=adj), label, a.id)
    for state in knowledge.states.values():
        for role, with_name, with_adj in ROLE_FORMS:
            key = f"{ROLE_PREFIX}{role}:{state.country}"
            for form in with_name:
                for n in state.ru:
                    add(form.format(n=n), "PERSON", key)
            for form in with_adj:
                for adj in state.ru_adjectives:
                    add(form.format(a=adj), "PERSON", key)
    for name, ids in surnames.items():
        if len(ids) == 1:
            add(name, "PERSON", next(iter(ids)))
        else:  # "Жапаров": the linker picks by the nearest full mention or office, as for English surnames
            english = {knowledge.actors[i].name.split()[-1] for i in ids}
            if len(english) == 1:
                add(name, "PERSON", SURNAME_PREFIX + english.pop())
    return out


class LemmaRuler:
    """The gazetteer's lemma patterns over a Doc, as spaCy's EntityRuler with overwrite_ents would
    apply them (the longest pattern at each place, left to right; they replace the statistical
    entities they overlap), but through an index by first lemma: the token Matcher with a few
    thousand IN-set patterns cost twice natasha's own analysis."""

    def __init__(self, rules: list[dict]):
        self.index: dict[str, list[tuple[tuple[frozenset, ...], str, str]]] = {}
        for rule in rules:
            sets = tuple(frozenset(t["LEMMA"]["IN"]) if "LEMMA" in t else frozenset([t["ORTH"]])
                         for t in rule["pattern"])
            for first in sets[0]:
                self.index.setdefault(first, []).append((sets, rule["label"], rule["id"]))

    def __call__(self, doc):
        from spacy.tokens import Span

        lemmas = [t.lemma_ for t in doc]
        # a name the tagger lemmatised otherwise ("Садыром" -> "садыра") also matches by any lemma of
        # its written form
        keys = [{lemma, *lemma_forms(t.text)} if t.text[:1].isupper() and t.is_alpha else {lemma}
                for t, lemma in zip(doc, lemmas)]
        found, i = [], 0
        while i < len(lemmas):
            best = None
            for sets, label, actor in (r for key in keys[i] for r in self.index.get(key, ())):
                n = len(sets)
                if (best is None or n > best[0]) and i + n <= len(lemmas) and \
                        all(keys[i + k] & sets[k] for k in range(1, n)):
                    best = (n, label, actor)
            if best is None:
                i += 1
                continue
            found.append(Span(doc, i, i + best[0], label=best[1], span_id=best[2]))
            i += best[0]
        if found:
            kept = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in found)]
            doc.ents = sorted(kept + found, key=lambda e: e.start)
        return doc


class RussianPipeline:
    """Built once per process, on the first Russian document."""

    def __init__(self, knowledge: Knowledge):
        import spacy
        from natasha import (Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger,
                             NewsSyntaxParser, Segmenter)

        emb = NewsEmbedding()
        self._doc = Doc
        self.segmenter, self.vocab_morph = Segmenter(), _morph()
        self.morph, self.syntax, self.ner = NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)
        self.vocab = spacy.blank("ru").vocab
        self.ruler = LemmaRuler(patterns(knowledge))

    def pipe(self, texts: Iterable[str]) -> Iterator:
        """One natasha analysis over a document's paragraphs together (its models batch the
        sentences: a quarter faster than one call a paragraph), cut back into one Doc a paragraph."""
        import bisect

        texts = list(texts)
        if not texts:
            return
        parts = offsets(texts)
        starts = [at for _, at in parts]
        nd = self.analyse(SEPARATOR.join(texts), parts)
        sents: list[list[list]] = [[] for _ in texts]  # paragraph -> its sentences' tokens
        for sent in nd.sents:
            pieces: dict[int, list] = {}
            for tok in sent.tokens:
                pieces.setdefault(bisect.bisect_right(starts, tok.start) - 1, []).append(tok)
            for k, toks in pieces.items():
                sents[k].append(toks)
        spans: list[list] = [[] for _ in texts]
        for span in nd.spans:
            k = bisect.bisect_right(starts, span.start) - 1
            if span.stop <= starts[k] + len(texts[k]) and self._named(span.text):
                spans[k].append(span)
        for k, text in enumerate(texts):
            yield self.ruler(to_spacy(self.vocab, text, sents[k], spans[k], starts[k]))

    def _named(self, words: str) -> bool:
        """Can an entity natasha found be a name at all? One word that is only ever a conjunction,
        particle, pronoun or the like is not ("Что говорят …" at a heading's start taken for a person)."""
        if " " in words.strip():
            return True
        return not all(p.tag.POS in CLOSED_CLASSES for p in self.vocab_morph.parse(words.strip()))

    def analyse(self, text: str, paragraphs: list[tuple[str, int]] | None = None):
        """natasha's own analysis of a text (what `claimtrace bench` compares the stage against);
        given the paragraphs it is made of (text, offset), sentences never cross one's end."""
        from natasha.doc import DocSent, DocToken

        nd = self._doc(text)
        if paragraphs is None:
            nd.segment(self.segmenter)
        else:  # natasha's segment_doc, with razdel's sentences found paragraph by paragraph
            nd.tokens = [DocToken(t.start, t.stop, t.text) for t in self.segmenter.tokenize(text)]
            nd.sents = [DocSent(lo, hi, text[lo:hi])
                        for part, at in paragraphs for lo, hi in sentences(self.segmenter, part, at)]
            nd.envelop_sent_tokens()
        nd.tag_morph(self.morph)
        nd.parse_syntax(self.syntax)
        nd.tag_ner(self.ner)
        for tok in nd.tokens:
            tok.lemmatize(self.vocab_morph)
        return nd

    def __call__(self, text: str):
        return next(self.pipe([text]))


SEPARATOR = "\n\n"


def to_spacy(vocab, text: str, natasha_sents: list[list], spans: list, offset: int = 0):
    """natasha's sentences (lists of its tokens) and entity spans of `text`, found at `offset` in the
    text natasha read, as a spaCy Doc over exactly `text`. The text between two tokens becomes the
    first one's trailing space when it is one space, else a whitespace token of its own (POS
    SPACE) at the end of the sentence before it, as spaCy's tokenizer does. Each sentence is made
    one well-formed tree (see `_one_tree`), since spaCy takes its sentences from the tree."""
    from spacy.tokens import Doc

    words, spaces, lemmas, pos, morphs, deps, heads = [], [], [], [], [], [], []
    sentences: list[list[int]] = []  # token indices of each sentence
    index: dict[str, int] = {}

    def whitespace(chars: str) -> None:
        if chars == " " and words and pos[-1] != "SPACE" and not spaces[-1]:
            spaces[-1] = True
            return
        if words and pos[-1] != "SPACE" and chars.startswith(" ") and not spaces[-1]:
            spaces[-1], chars = True, chars[1:]
        if not chars:
            return
        if not sentences:
            sentences.append([])
        sentences[-1].append(len(words))
        words.append(chars)
        spaces.append(False)
        lemmas.append(chars)
        pos.append("SPACE")
        morphs.append("")
        deps.append("dep")
        heads.append(None)

    at = 0
    for sent in natasha_sents:
        for n, tok in enumerate(sent):
            start, stop = tok.start - offset, tok.stop - offset
            whitespace(text[at:start])
            if n == 0 and (not sentences or any(pos[i] != "SPACE" for i in sentences[-1])):
                sentences.append([])
            index[tok.id] = len(words)
            sentences[-1].append(len(words))
            words.append(text[start:stop])
            spaces.append(False)
            lemmas.append(fold(tok.lemma or tok.text))
            pos.append(tok.pos or "X")
            morphs.append("|".join(f"{k}={v}" for k, v in sorted((tok.feats or {}).items())))
            deps.append(tok.rel or "dep")
            heads.append(index.get(tok.head_id, tok.head_id))
            at = stop
    whitespace(text[at:])
    if not words:
        return Doc(vocab, words=[])
    absolute = [index.get(h, h) if isinstance(h, str) else h for h in heads]
    for members in sentences:
        _one_tree(members, absolute, deps, pos)
    doc = Doc(vocab, words=words, spaces=spaces, lemmas=lemmas, pos=pos, morphs=morphs,
              deps=deps, heads=absolute)
    ents = []
    for span in spans:
        s = doc.char_span(span.start - offset, span.stop - offset, label=NER_LABELS.get(span.type, span.type),
                          alignment_mode="expand")
        if s is not None and not any(s.start < e.end and e.start < s.end for e in ents):
            ents.append(s)
    doc.ents = ents
    return doc


def _one_tree(members: list[int], heads: list, deps: list[str], pos: list[str]) -> None:
    """Make one sentence's heads a tree with one root: the first root natasha gives (else the first
    word) stays ROOT; another root hangs under it as a parataxis ("X ..., сообщила пресс-служба");
    a head outside the sentence, a missing head or a cycle is cut and hung under the root."""
    inside = set(members)
    words = [i for i in members if pos[i] != "SPACE"] or members
    roots = [i for i in words if not isinstance(heads[i], int) or heads[i] == i]
    root = roots[0] if roots else words[0]
    heads[root], deps[root] = root, "ROOT"
    for i in members:
        if i == root:
            continue
        if pos[i] == "SPACE" or not isinstance(heads[i], int) or heads[i] not in inside or heads[i] == i:
            heads[i] = root
            deps[i] = "dep" if pos[i] == "SPACE" else ("parataxis" if i in roots else "dep")
    for i in members:  # cycles: follow heads; a token that never reaches the root is cut
        seen, j = set(), i
        while j != root and j not in seen:
            seen.add(j)
            j = heads[j]
        if j != root:
            heads[i], deps[i] = root, "dep"
