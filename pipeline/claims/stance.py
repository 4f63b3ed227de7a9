"""Stance read from the sentence: a stance predicate, its polarity (negation, refusal), its
target and its holder, from spaCy's dependency parse. The rules are data
(knowledge/stance.toml); every result names the rule that gave it."""

from __future__ import annotations

import tomllib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import KNOWLEDGE_DIR
from pipeline.ingest.language import has_cyrillic

ARGUMENT_DEPS = {"dobj", "obj", "xcomp", "ccomp", "attr", "oprd", "acomp", "pobj", "dative"}


@dataclass(frozen=True)
class StanceRules:
    positive: frozenset[str]
    negative: frozenset[str]
    blame_verbs: frozenset[str]
    blame_nouns: frozenset[str]
    blame_objects: frozenset[str]
    refusals: frozenset[str]
    evaluation: dict[str, str]  # adjective -> positive | negative
    target_preps: frozenset[str]
    targets: dict[str, str]  # word or two-word phrase -> target class
    table: dict[tuple[str, str], str]  # (polarity, target) -> stance
    no_stance: frozenset[str]
    topics: frozenset[str]
    side_nouns: frozenset[str]
    receiving: frozenset[str]
    purpose_nouns: frozenset[str]
    peace_verbs: frozenset[str]
    balance: tuple[str, ...]
    non_involvement: tuple[tuple[str, str], ...]
    third_party: frozenset[str]
    negations: frozenset[str]  # words that negate the predicate they modify ("never", Russian "не")
    acts: frozenset[str]  # taking part in an act: declined, it takes no side ("refused to send troops")

    @classmethod
    def load(cls, path: Path = KNOWLEDGE_DIR / "stance.toml") -> StanceRules:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        russian = data.pop("ru", {})
        for section in ("predicates", "targets"):  # the Russian lemmas join the English lists
            for key, words in russian.get(section, {}).items():
                data[section][key] = data[section][key] + words
        p = data["predicates"]
        low = lambda words: frozenset(w.lower() for w in words)  # noqa: E731
        return cls(
            positive=low(p["positive"] + p["positive_nouns"]), negative=low(p["negative"] + p["negative_nouns"]),
            blame_verbs=low(p["blame_verbs"]), blame_nouns=low(p["blame_nouns"]), blame_objects=low(p["blame_objects"]), refusals=low(p["refusals"]),
            evaluation={**{w: "positive" for w in p["evaluation_positive"]},
                        **{w: "negative" for w in p["evaluation_negative"]}},
            target_preps=low(p["target_preps"]), no_stance=low(p["no_stance"]), topics=low(p["topics"]),
            side_nouns=low(data["targets"]["side_nouns"]), receiving=low(p["receiving"]),
            purpose_nouns=low(p["purpose_nouns"]),
            targets={w.lower(): kind for kind, words in data["targets"].items() if kind != "side_nouns" for w in words},
            table={(pol, target): stance for pol, row in data["table"].items() for target, stance in row.items()},
            peace_verbs=low(data["neutral"]["peace_verbs"]), balance=tuple(data["neutral"]["balance"]),
            non_involvement=tuple((v, o) for v, o in data["neutral"]["non_involvement"]),
            third_party=low(data["holders"]["third_party"]), negations=low(p["negations"]), acts=low(p["acts"]),
        )


@dataclass(frozen=True)
class Stance:
    value: str | None  # supports | opposes | neutral | None
    rule: str | None  # which rule gave it, for the reviewer


def _lemma(t) -> str:
    return t.lemma_.lower()


class StanceReader:
    """`read(span, holder_sides)`: the stance of a claim's span. `holder_sides(token)` gives the
    sides (ISO codes) a holder phrase names, and `own` the speaker's sides: a stance held by
    another side is a third party's and gives none."""

    def __init__(self, rules: StanceRules | None = None) -> None:
        self.r = rules or StanceRules.load()

    # --- targets --------------------------------------------------------------------------

    def target_of_token(self, t) -> str | None:
        if t.i > 0:
            pair = f"{t.doc[t.i - 1].text.lower()} {t.text.lower()}"
            if pair in self.r.targets:
                return self.r.targets[pair]
        kind = self.r.targets.get(_lemma(t)) or self.r.targets.get(t.text.lower())
        if kind and t.pos_ == "ADJ" and t.dep_ in ("amod", "compound") and _lemma(t.head) not in self.r.side_nouns:
            return None  # "the Russian side" is Russia's; "Russian proposals on the agenda", "Russian gas" are not
        return kind

    def _arguments(self, pred) -> list:
        out = []
        for c in pred.children:
            if c.dep_ in ARGUMENT_DEPS:
                out.append(c)
            elif c.dep_ in ("prep", "agent") and _lemma(c) in self.r.target_preps:
                out.extend(g for g in c.children if g.dep_ in ("pobj", "pcomp"))
            elif c.dep_ in ("obl", "iobj") or (c.dep_ == "nmod" and has_cyrillic(c.lemma_)):  # UD (Russian): the noun itself
                cases = [_lemma(g) for g in c.children if g.dep_ == "case"]
                if not cases or cases[0] in self.r.target_preps:
                    out.append(c)
        return out

    def find_target(self, pred, span) -> tuple[str | None, int, object]:
        """(target class, polarity sign from predicate nouns on the way, the token) of what the
        predicate acts on: its arguments searched breadth-first, nearest words first."""
        queue = deque((a, 1) for a in self._arguments(pred))
        seen = set()
        while queue:
            t, sign = queue.popleft()
            if t.i in seen or not (span.start <= t.i < span.end):
                continue
            seen.add(t.i)
            lemma = _lemma(t)
            if t.pos_ in ("NOUN", "PROPN") and lemma in self.r.negative and t is not pred:
                sign = -sign  # "demanded the withdrawal of Russian troops": acting against what follows
            kind = self.target_of_token(t)
            if kind:
                return kind, sign, t
            first, later = [], []
            for c in t.children:
                if c.dep_ in ("prep", "agent") and _lemma(c) not in self.r.target_preps:
                    continue  # "during the operation" says when, not what
                # whose act it is comes first: "withdrawal of Russian troops from Ukraine" is Russia's
                (first if c.dep_ in ("poss", "amod", "compound") or _lemma(c) == "of" else later).append(c)
            queue.extendleft((c, sign) for c in reversed(first))
            queue.extend((c, sign) for c in later)
        return None, 1, None

    # --- polarity -------------------------------------------------------------------------

    def negated(self, pred) -> str | None:
        """'not' / 'never' on the predicate or the verb it hangs from ('has not made a statement in
        support of', 'would not take part'); 'refused/declined to'."""
        chain = [pred]
        head = pred
        steps = 0
        while steps < 4 and head.head is not head and (head.dep_ in ("xcomp", "aux", "auxpass")
                                                       or head.pos_ not in ("VERB", "AUX")):
            if head.dep_ in ("ccomp", "advcl", "relcl", "ROOT", "conj", "nsubj", "nsubjpass"):
                break  # another clause, or the noun is a subject: its verb's negation is not the noun's
            head = head.head
            chain.append(head)
            steps += 1
        for t in chain:
            for c in t.children:
                if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in self.r.negations):
                    return f"{c.lower_} {pred.lemma_}"
            if t is not pred and _lemma(t) in self.r.refusals:
                return f"{t.lemma_} to {pred.lemma_}"
        return None

    def holder(self, pred):
        """The subject of the predicate, or of the nearest verb above it that has one."""
        t = pred
        for _ in range(12):
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if subj:
                return subj[0]
            if t.head is t:
                return None
            t = t.head
        return None

    @staticmethod
    def phrase(holder) -> list:
        """The holder's own words: it, the names joined to it, their modifiers (not what hangs
        off them by a preposition: 'the issue of recognising the regions of Ukraine' is no one's)."""
        heads = [holder, *[c for c in holder.conjuncts]]
        return [t for h in heads for t in (h, *[c for c in h.children if c.dep_ in ("compound", "amod", "poss", "nmod")])]

    def _third_party(self, holder, own: set[str], holder_sides: Callable) -> str | None:
        if holder is None:
            return None
        words = self.phrase(holder)
        named = {_lemma(t) for t in words} & self.r.third_party
        sides = holder_sides(words)
        if named and not own & sides:
            return next(iter(named))
        if sides and own and not sides & own:
            return ", ".join(sorted(sides))
        return None

    # --- the reading ----------------------------------------------------------------------

    def read(self, span, own: set[str], holder_sides: Callable[[object], set[str]]) -> Stance:
        predicates = sorted((t for t in span if self._is_predicate(t)), key=lambda t: (self._depth(t), t.i))
        for pred in predicates:
            found = self._read_predicate(pred, span, own, holder_sides)
            if found is not None:
                return found
        text = span.text.lower()
        for phrase in self.r.balance:
            if phrase in text:
                return Stance("neutral", f"both sides / neutrality: '{phrase}'")
        for t in span:
            if _lemma(t) == "both" and self._both_sides(t):
                return Stance("neutral", f"both sides: '{t.head.text}' and its pair")
            if (_lemma(t.head), _lemma(t)) in self.r.non_involvement and t.dep_ == "dobj":
                return Stance("neutral", f"no part taken: '{t.head.text} {t.text}'")
            if self.target_of_token(t) == "peace" and t.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "conj", "nsubj",
                                                                 "compound", "appos"):
                if self._between_the_warring_sides(t, own, holder_sides):
                    return Stance("neutral", f"talks: '{t.text}'")
            elif _lemma(t) in self.r.peace_verbs and t.pos_ == "VERB":
                if _lemma(t) not in ("talk",) or any(_lemma(c) in ("to", "with") for c in t.children):
                    return Stance("neutral", f"settling it: '{t.text}'")
        return Stance(None, None)

    def _both_sides(self, both) -> bool:
        """'both Moscow and Kyiv', 'both Russia and Ukraine': the two sides named together."""
        head = both.head
        kinds = {self.target_of_token(t) for t in (head, *head.conjuncts)}
        return {"russia", "ukraine"} <= kinds

    def _between_the_warring_sides(self, t, own: set[str], holder_sides: Callable) -> bool:
        """Talks 'with X' or 'between X and Y' are peace talks when the parties, with the holder,
        are Russia's side and Ukraine's; 'talks with the Russian side' held by a third state are not."""
        parties = [g for c in t.children if _lemma(c) in ("with", "between") for g in c.subtree]
        if not parties:
            return True
        kinds = {self.target_of_token(g) for g in parties} - {None}
        if not kinds:
            return True  # "between the parties": the warring sides, unnamed
        kinds |= {"russia" for _ in [1] if "RU" in own} | {"ukraine" for _ in [1] if "UA" in own}
        return {"russia", "ukraine"} <= kinds

    def _is_predicate(self, t) -> bool:
        lemma = _lemma(t)
        if lemma in self.r.positive or lemma in self.r.negative or lemma in self.r.blame_verbs \
                or lemma in self.r.blame_objects:
            return t.pos_ in ("VERB", "NOUN", "ADJ") or lemma in ("part",)
        if lemma in self.r.blame_nouns:
            return True
        if lemma in self.r.purpose_nouns and t.pos_ == "NOUN":
            return any(_lemma(c) == "of" for c in t.children)
        return lemma in self.r.evaluation and t.dep_ in ("acomp", "ROOT", "ccomp", "xcomp", "conj", "acl")

    @staticmethod
    def _depth(t) -> int:
        n = 0
        while t.head is not t and n < 50:
            t, n = t.head, n + 1
        return n

    def _read_predicate(self, pred, span, own, holder_sides) -> Stance | None:
        lemma = _lemma(pred)
        if lemma in self.r.blame_nouns or lemma in self.r.blame_verbs or lemma in self.r.blame_objects:
            return self._blame(pred, span, lemma)
        if lemma in self.r.evaluation or lemma in self.r.purpose_nouns:
            return self._evaluation(pred, span, lemma)
        if lemma == "fight":  # fight against X acts against X; fight for / with X takes X's part
            polarity = "negative" if any(_lemma(c) == "against" for c in pred.children) else "positive"
        else:
            polarity = "positive" if lemma in self.r.positive else "negative"
        kind, sign, target = self.find_target(pred, span)
        if kind is None and polarity == "positive" and lemma in self.r.receiving:
            kind, target = self._received(pred, span, own, holder_sides)
        if lemma == "stand" and (target is None or not any(_lemma(a) == "with" for a in target.ancestors
                                                            if a.i > pred.i and a.i < target.i)):
            return None  # only "stand (in solidarity) with X" takes X's part
        if any(_lemma(t) in self.r.no_stance for a in self._arguments(pred) for t in a.subtree):
            return Stance(None, f"'{pred.lemma_}' of humanitarian help takes no side")
        topic = self._topic(pred)
        if topic is not None:
            return Stance(None, f"'{pred.lemma_}' as the subject of '{topic}' is discussed, not done: no side taken")
        negation = self.negated(pred)
        if negation and (kind or lemma in self.r.acts
                         or pred.pos_ == "VERB"):
            return Stance("neutral", f"not done: '{negation}' (declining an act takes no side)")
        if kind is None:
            return None
        if sign < 0:
            polarity = "negative" if polarity == "positive" else "positive"
        stance = self.r.table.get((polarity, kind))
        if stance is None:
            return None
        third = self._third_party(self.holder(pred), own, holder_sides)
        if third:
            return Stance(None, f"a third party's position ({third}), not the speaker's")
        return Stance(stance, f"{polarity} '{pred.lemma_}' + {kind} ('{target.text}')")

    def _topic(self, pred) -> str | None:
        """'the issue of recognizing X is on the agenda', 'the question of recognition of X': the act
        is what is talked about (its topic noun), not an act taken. The topic noun, or None."""
        head = pred.head
        if head is not pred and _lemma(head) in ("of", "about") and head.head is not head \
                and _lemma(head.head) in self.r.topics:
            return head.head.text
        return None

    def _received(self, pred, span, own: set[str], holder_sides: Callable) -> tuple[str | None, object]:
        """'Putin thanked his counterpart for his solidarity', 'Moscow welcomed the support of its
        allies': support received is support for the side that thanks for it."""
        noun = next((t for a in self._arguments(pred) for t in a.subtree if _lemma(t) in self.r.positive
                     and t.pos_ == "NOUN" and t is not pred), None)
        if noun is None:
            return None, None
        holder = self.holder(pred)
        sides = (holder_sides(self.phrase(holder)) if holder is not None else set()) or own
        kind = "russia" if "RU" in sides else "ukraine" if "UA" in sides else None
        return kind, noun

    def _blame(self, pred, span, lemma) -> Stance | None:
        """'X provoked the conflict', 'X bore the responsibility', 'the responsibility lay with X'."""
        blamed = None
        if lemma in self.r.blame_objects and pred.pos_ == "VERB":  # "X accused Moscow of ...": the object is blamed
            blamed = next((c for c in pred.children if c.dep_ in ("dobj", "obj")), None)
        elif lemma in self.r.blame_verbs:
            blamed = self.holder(pred)
        else:
            verb = pred.head if pred.dep_ in ("dobj", "nsubj", "attr") else None
            if verb is not None and pred.dep_ == "dobj":
                blamed = self.holder(verb)
            elif verb is not None:  # "the responsibility lies with X"
                for c in verb.children:
                    if c.dep_ == "prep" and _lemma(c) in ("with", "on"):
                        blamed = next((g for g in c.children if g.dep_ == "pobj"), None)
        if blamed is None:  # a parse that makes "NATO bore responsibility" one noun phrase
            blamed = next((c for c in pred.lefts if c.dep_ in ("compound", "nmod", "nsubj", "poss")), None)
        if blamed is None:
            return None
        kind = next((k for k in (self.target_of_token(t) for t in blamed.subtree) if k in ("russia", "ukraine", "west")),
                    None)
        if kind is None:
            return None
        stance = "opposes" if kind == "russia" else "supports"
        return Stance(stance, f"blame: '{pred.lemma_}' puts it on {kind} ('{blamed.text}')")

    def _evaluation(self, pred, span, lemma) -> Stance | None:
        """'Russia's actions were necessary', 'an operation aimed at ...', 'the purpose of the
        operation was ...': Russia's act judged or given its reasons."""
        if lemma in self.r.purpose_nouns and pred.pos_ == "NOUN":  # "the purpose of the operation"
            judged = next(g for c in pred.children if _lemma(c) == "of" for g in c.children) if any(
                _lemma(c) == "of" and list(c.children) for c in pred.children) else None
        elif pred.dep_ == "acl":  # "an operation aimed at ..."
            judged = pred.head
        else:
            judged = self.holder(pred)
        if judged is None:
            return None
        kind = next((k for k in (self.target_of_token(t) for t in judged.subtree) if k in ("russia", "ukraine")), None)
        if kind != "russia":
            return None
        negation = self.negated(pred) if pred.pos_ != "NOUN" else None
        polarity = self.r.evaluation.get(lemma, "positive")
        if negation:
            polarity = "negative" if polarity == "positive" else "positive"
        stance = "supports" if polarity == "positive" else "opposes"
        return Stance(stance, f"evaluation: Russia's act is '{pred.text}'{' (negated)' if negation else ''}")
