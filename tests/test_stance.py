"""Stance read from the sentence (issue 13): the issue's table, the rules as data, and the
hand-checked stance set scored per class."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from score_set import extract_and_export

DATA = Path(__file__).parent / "data"
STATES = {"kazakhstan": "KZ", "georgia": "GE", "belarus": "BY", "russia": "RU", "moscow": "RU", "ukraine": "UA",
          "kyiv": "UA", "tokayev": "KZ", "lukashenko": "BY", "putin": "RU", "zelensky": "UA"}


@pytest.fixture(scope="module")
def read():
    from pipeline.claims.stance import StanceReader
    from pipeline.config import model_name
    from pipeline.language.nlp import load_model

    nlp = load_model(model_name())

    russian = None

    def stance(sentence: str, own: set[str]):
        nonlocal russian
        if any("а" <= ch <= "я" for ch in sentence.lower()):
            if russian is None:
                from pipeline.knowledge import load_knowledge
                from pipeline.language.russian import RussianPipeline

                russian = RussianPipeline(load_knowledge(None))
            doc = next(russian.pipe([sentence]))
        else:
            doc = nlp(sentence)
        reader = StanceReader()  # its rules read afresh (milliseconds) for each sentence, so that
        # every test here, not the first only, is one that loads them (make mutation's bookkeeping)

        def sides(tokens):  # what the claim stage gets from the linked mentions, here by name
            return {STATES[t.lower_] for t in tokens if t.lower_ in STATES}

        return reader.read(doc[:], own, sides)

    return stance


# the claims of the issue's table (written for the issue), the side of the one who says them
@pytest.mark.parametrize("sentence, own, expected", [
    ("Kazakhstan does not support the special military operation.", {"KZ"}, "neutral"),
    ("Georgia would not impose sanctions against Russia.", {"GE"}, "neutral"),
    ("The minister refused to condemn Moscow.", {"KZ"}, "neutral"),
    ("Tokayev said Kazakhstan will not recognise the Donetsk and Luhansk republics.", {"KZ"}, "neutral"),
    ("Lukashenko said Belarus fully supports Russia.", {"BY"}, "supports"),
    # the other side's term is no stance; a third party's position is not the speaker's
    ("The special military operation entered its second week, the ministry said.", {"RU"}, None),
    ("Peskov said Kazakhstan supported the operation.", {"RU"}, None),
    ("Mr. Blinken condemned the unprovoked attack.", {"US"}, "opposes"),
    ("Mirziyoyev expressed understanding of the actions taken by the Russian side.", {"UZ"}, "supports"),
    ("We do not support either side.", {"KZ"}, "neutral"),
    ("The sides discussed trade.", {"KZ"}, None),
    # an act that is only the subject of a discussion ("the issue of ...") is not taken (issue 22)
    ("Lukashenko said that the issue of recognizing the regions of Ukraine is on the agenda.", {"BY"}, None),
    ("The question of recognition of the republics in Ukraine will be discussed, the minister said.", {"KZ"}, None),
])
def test_the_issue_table_and_kinds_of_construction(read, sentence, own, expected):
    found = read(sentence, own)
    assert found.value == expected, (sentence, found)


def test_every_stance_names_its_rule(read):
    found = read("Lukashenko said Belarus fully supports Russia.", {"BY"})
    assert found.rule == "positive 'support' + russia ('Russia')"
    refused = read("The minister refused to condemn Moscow.", {"KZ"})
    assert refused.rule.startswith("not done: 'refuse to condemn'")


def test_the_rules_are_data_with_no_phrase_of_the_seed():
    """The stance rules are words and constructions; no run of four or more words of the seed
    review is in them (a check the old phrase list fails: 'necessary for us and russia')."""
    import re
    import tomllib

    from pipeline.config import KNOWLEDGE_DIR, REPO_ROOT

    rules = tomllib.loads((KNOWLEDGE_DIR / "stance.toml").read_text(encoding="utf-8"))
    words = [" ".join(w) if isinstance(w, list) else w for section in rules.values() if isinstance(section, dict)
             for values in section.values() if isinstance(values, list) for w in values]
    seed = " ".join(re.findall(r"[a-z']+", (REPO_ROOT / "corpus" / "review.txt").read_text(encoding="utf-8").lower()))
    assert words and not [w for w in words if len(w.split()) >= 4 and f" {w} " in f" {seed} "]


def _scored(tmp_path, run, name):
    corpus = DATA / name
    out = extract_and_export(run, corpus, tmp_path / "export")
    sys.path.insert(0, str(Path(__file__).parent))
    from stance_score import score

    result = score(corpus / "gold.json", corpus, out, verbose=True)
    print(name, json.dumps(result, indent=1))
    return result


def test_held_out_stance_set(tmp_path, run):
    """stance2 was written after the rules (first run: accuracy 0.64); 22 of its 28 right and no
    wrong side on 2026-12-03 (issue 25: a threshold of 0.75 absorbed the loss of a rule)."""
    result = _scored(tmp_path, run, "stance2")
    assert result["matched"] == result["gold"] == 28
    assert round(result["accuracy"] * 28) >= 22
    for k in ("supports", "opposes", "neutral"):
        assert result[k]["precision"] == 1.0, (k, result[k])  # a wrong side is worse than none


def test_hand_checked_stance_per_class(tmp_path, run):
    """As measured on 2026-12-03: 79 of the 81 right, the two misses a stance read as none; these
    were thresholds (precision and recall >= 0.85 per class), which absorbed the loss of a rule."""
    result = _scored(tmp_path, run, "stance")
    corpus, out = DATA / "stance", tmp_path / "export"
    assert result["matched"] == result["gold"] == 81
    assert round(result["accuracy"] * 81) >= 79
    for k in ("supports", "opposes", "neutral"):
        assert result[k]["precision"] == 1.0, (k, result[k])
    claims = subprocess.run([sys.executable, str(Path(__file__).parent / "eval_score.py"), str(corpus / "gold.json"),
                             str(corpus), str(out), "--json"], capture_output=True, text=True, check=True)
    assert json.loads(claims.stdout)["claims_full_f1"] == 1.0
    # every machine stance says which rule gave it
    exported = [json.loads(x) for x in (out / "claims.jsonl").read_text().splitlines()]
    assert all(c["stance_rule"] for c in exported if c["stance"])


# one rule each (issue 25), sentences written for the test: a negated evaluation turns it round; a
# negation two verbs up the chain still counts ("not be ready to support")
@pytest.mark.parametrize("sentence, own, expected", [
    ("Russia's actions were necessary.", {"KZ"}, ("supports", "evaluation: Russia's act is 'necessary'")),
    ("Russia's actions were not necessary.", {"KZ"}, ("opposes", "evaluation: Russia's act is 'necessary' (negated)")),
    ("Russia's operation is illegal.", {"KZ"}, ("opposes", "evaluation: Russia's act is 'illegal'")),
    ("Russia's operation is not illegal.", {"KZ"}, ("supports", "evaluation: Russia's act is 'illegal' (negated)")),
    ("Kazakhstan would not be ready to support the operation.", {"KZ"}, ("neutral", None)),
    ("Kazakhstan does not want to be seen to support Russia.", {"KZ"}, ("neutral", None)),
])
def test_negation_of_evaluations_and_up_the_verb_chain(read, sentence, own, expected):
    found = read(sentence, own)
    assert found.value == expected[0], (sentence, found)
    if expected[1]:
        assert found.rule == expected[1]


# one rule each (issue 25, from the claims stage's surviving mutants), sentences written for the
# test: support received is support for the side that thanks for it or welcomes it; blame puts a
# stance on whom it blames; Russia's act given a purpose; standing with, fighting for or against a
# side; having nothing to do with the war; a side named by its adjective
@pytest.mark.parametrize("sentence, own, expected", [
    ("Putin thanked Lukashenko for his support.", {"RU"}, ("supports", "positive 'thank' + russia ('support')")),
    ("Zelensky thanked Kazakhstan for its support.", {"UA"}, ("opposes", "positive 'thank' + ukraine ('support')")),
    ("Kyiv welcomed the support of its partners.", {"UA"}, ("opposes", "positive 'welcome' + ukraine ('support')")),
    ("Tokayev said Russia bears the responsibility for the war.", {"KZ"},
     ("opposes", "blame: 'responsibility' puts it on russia ('Russia')")),
    ("Lukashenko said the responsibility lies with Kyiv.", {"BY"},
     ("supports", "blame: 'responsibility' puts it on ukraine ('Kyiv')")),
    ("Tokayev accused Moscow of aggression.", {"KZ"}, ("opposes", "blame: 'accuse' puts it on russia ('Moscow')")),
    ("Lukashenko said the purpose of the operation was to protect Donbas.", {"BY"},
     ("supports", "evaluation: Russia's act is 'purpose'")),
    ("Belarus stands with Russia.", {"BY"}, ("supports", "positive 'stand' + russia ('Russia')")),
    ("Kazakhstan does not stand with Russia.", {"KZ"}, ("neutral", "not done: 'not stand' (declining an act takes no side)")),
    ("Tokayev blamed Russia for the war.", {"KZ"}, ("opposes", "blame: 'blame' puts it on russia ('Russia')")),
    ("Tokayev said the blame lay with Moscow.", {"KZ"}, ("opposes", "blame: 'blame' puts it on russia ('Moscow')")),
    ("Tokayev said NATO expansion provoked the conflict.", {"KZ"},
     ("supports", "blame: 'provoke' puts it on west ('expansion')")),
    ("Tokayev condemned the attack on Ukraine.", {"KZ"}, ("opposes", "negative 'condemn' + russia ('attack')")),
    ("Tokayev spoke in favour of Ukraine's territorial integrity.", {"KZ"},
     ("opposes", "positive 'favour' + ukraine ('integrity')")),
    ("Kazakhstan will not be supporting the operation.", {"KZ"},
     ("neutral", "not done: 'not support' (declining an act takes no side)")),
    ("Kazakhstan has nothing to do with the war.", {"KZ"}, ("neutral", "no part taken: 'has nothing'")),
    ("Belarus will fight for Russia.", {"BY"}, ("supports", "positive 'fight' + russia ('Russia')")),
    ("Ukraine will fight against the Russian army.", {"UA"}, ("opposes", "negative 'fight' + russia ('Russian')")),
    ("Kazakhstan supports the Russian side.", {"KZ"}, ("supports", "positive 'support' + russia ('Russian')")),
    ("Tokayev supported the Ukrainian people.", {"KZ"}, ("opposes", "positive 'support' + ukraine ('Ukrainian')")),
    ("Lukashenko praised the Russian troops.", {"BY"}, ("supports", "positive 'praise' + russia ('Russian')")),
    ("Kazakhstan condemned the aggression of the Russian army.", {"KZ"},
     ("opposes", "negative 'condemn' + russia ('aggression')")),
    # talks with the other warring side, said by one of them, are peace talks
    ("Zelensky said Ukraine is ready for talks with Russia.", {"UA"}, ("neutral", "talks: 'talks'")),
    ("Putin said Russia is ready for talks with Kyiv.", {"RU"}, ("neutral", "talks: 'talks'")),
    ("Lukashenko said Belarus would fight with Russia.", {"BY"}, ("supports", "positive 'fight' + russia ('Russia')")),
    # talks between a third state and one warring side are no peace talks
    ("Tokayev said Kazakhstan is ready for talks between Astana and Moscow.", {"KZ"}, (None, None)),
    # Russia's act judged necessary or unacceptable
    ("Lukashenko said the special military operation was necessary.", {"BY"},
     ("supports", "evaluation: Russia's act is 'necessary'")),
    ("Tokayev said Russia's actions were unacceptable.", {"KZ"}, ("opposes", "evaluation: Russia's act is 'unacceptable'")),
    # an act of Ukraine's judged is no evaluation of Russia's act
    ("Lukashenko said Kyiv's attacks on Russia were unacceptable.", {"BY"}, (None, None)),
])
def test_stance_rules_one_sentence_each(read, sentence, own, expected):
    found = read(sentence, own)
    assert (found.value, found.rule) == expected, sentence


# one construction each (issue 25, from the claims stage's surviving mutants: each kind met on a
# development page or a hand-checked set, the sentence written anew for the test)
@pytest.mark.parametrize("sentence, own, expected", [
    # support given to, or a withdrawal demanded of, one warring side
    ("Президент Белоруссии выразил поддержку действиям российской стороны по защите жителей Донбасса.", {"BY"},
     ("supports", "positive 'поддержка' + russia ('российской')")),
    ("Latvia demanded the withdrawal of all Russian troops from Ukraine.", {"LV"},
     ("opposes", "negative 'demand' + russia ('Russian')")),
    # both sides, balance, settling it, peace talks
    ("He stressed that Uzbekistan has friendly relations with both Russia and Ukraine.", {"UZ"},
     ("neutral", "both sides: 'Russia' and its pair")),
    ("Erdogan said Turkey would keep talking to both Moscow and Kyiv.", {"TR"}, ("neutral", "settling it: 'talking'")),
    ("Erdogan welcomed the balanced position of Kazakhstan.", {"TR"}, ("neutral", "both sides / neutrality: 'balanced'")),
    ("Наша страна выступает за мирное урегулирование всех конфликтов.", {"AM"},
     ("neutral", "positive 'выступать' + peace ('урегулирование')")),
    ("Tokayev stressed the importance of an agreement between Russia and Ukraine through negotiations.", {"KZ"},
     ("neutral", "talks: 'negotiations'")),
    ("We are in favour of a peaceful solution to this situation.", {"UZ"}, ("neutral", "positive 'favour' + peace ('solution')")),
    ("Kazakhstan calls on all the parties to resolve the problem through negotiations.", {"KZ"},
     ("neutral", "settling it: 'resolve'")),
    ("Kazakhstan hopes for a peaceful dialogue of all the parties involved.", {"KZ"}, ("neutral", "talks: 'dialogue'")),
    # Russia's act given a purpose; blame put on the West or on Russia
    ("Lavrov said the operation was aimed at the demilitarisation of Ukraine.", {"RU"},
     ("supports", "evaluation: Russia's act is 'aimed'")),
    ("Zakharova said that the United States was prolonging the conflict.", {"RU"},
     ("supports", "blame: 'prolong' puts it on west ('States')")),
    ("Lavrov said that NATO bore responsibility for the crisis.", {"RU"},
     ("supports", "blame: 'responsibility' puts it on west ('NATO')")),
    ("The president noted that the war unleashed by Russia had gone on for a year.", {"GE"},
     ("opposes", "blame: 'unleash' puts it on russia ('war')")),
    ("Zakharova said that Russia condemned the supply of Western weapons to Kyiv.", {"RU"},
     ("supports", "negative 'condemn' + ukraine ('Kyiv')")),
    # declining an act; help that takes no side
    ("Белоруссия не собирается вводить войска на территорию Украины.", {"BY"},
     ("neutral", "not done: 'не вводить' (declining an act takes no side)")),
    ("Tokayev said that Kazakhstan would not take part in the military operation.", {"KZ"},
     ("neutral", "not done: 'not part' (declining an act takes no side)")),
    ("Aliyev said that Azerbaijan had sent humanitarian aid to Ukraine.", {"AZ"},
     (None, "'send' of humanitarian help takes no side")),
    # another's position is not the speaker's
    ("Kuleba said that the world condemned Russia's aggression.", {"UA"},
     (None, "a third party's position (world), not the speaker's")),
    ("Garibashvili said that Ukraine's allies were supplying Kyiv with weapons.", {"GE"},
     (None, "a third party's position (UA), not the speaker's")),
    ("Peskov said that Kazakhstan and Uzbekistan supported the operation.", {"RU"},
     (None, "a third party's position (KZ), not the speaker's")),
    # no stance on the war at all
    ("Russia highly appreciates the efforts of the President of Turkmenistan aimed at closer cooperation between "
     "the two states.", {"TM"}, (None, None)),
    ("Ankara voiced support for Baku and blamed Yerevan for the violence.", {"TR"}, (None, None)),
    ("A spokesman said that flights to Moscow would continue during the special military operation.", {"KG"},
     (None, None)),
    ("Молдова решительно отвергает обвинения в подготовке провокаций.", {"MD"}, (None, None)),
    ("Smailov thanked the hosts for the warm welcome and expressed confidence that the agreements would be "
     "implemented.", {"KZ"}, (None, None)),
    # found by sentences generated from templates: a possessive blamed, a relative clause's negation
    # kept in its clause, a negated evaluation two verbs down
    ("Lukashenko said that Kyiv's responsibility for the war was clear.", {"BY"},
     ("supports", "blame: 'responsibility' puts it on ukraine ('Kyiv')")),
    ("Tokayev said that Moscow's responsibility for the war was clear.", {"KZ"},
     ("opposes", "blame: 'responsibility' puts it on russia ('Moscow')")),
    ("Belarus, which does not back Kyiv, called for talks.", {"BY"}, ("neutral", "positive 'call' + peace ('talks')")),
    ("Lukashenko said the actions of the Russian side could not be illegal.", {"BY"},
     ("supports", "evaluation: Russia's act is 'illegal' (negated)")),
    # a target word listed in its inflected form; thanks given by another side, reported by this one
    ("Kazakhstan supports the internationally recognised borders.", {"KZ"},
     ("opposes", "positive 'support' + ukraine ('borders')")),
    ("Putin thanked Belarus for its support.", {"BY"}, (None, "a third party's position (RU), not the speaker's")),
    # the act talked about, not done ("the question about …" as "the issue of …")
    ("Tokayev said that the question about recognising the republics would be discussed later.", {"KZ"},
     (None, "'recognise' as the subject of 'question' is discussed, not done: no side taken")),
    # a Russian evaluation with no copula: the short adjective is the sentence's root
    ("Действия России незаконны.", {"AM"}, ("opposes", "evaluation: Russia's act is 'незаконны'")),
    # a negation four verbs above the act (the chain is followed up to four steps)
    ("Tokayev said Kazakhstan did not want to have to start recognising the republics.", {"KZ"},
     ("neutral", "not done: 'not recognise' (declining an act takes no side)")),
])
def test_stance_constructions_met_on_the_pages(read, sentence, own, expected):
    found = read(sentence, own)
    assert (found.value, found.rule) == expected, sentence


def test_a_language_part_may_leave_a_section_out(tmp_path):
    """A language's part of stance.toml may give predicates without targets (a language started
    with its verbs): it loads, its predicates join the lists, the targets stay the others'."""
    from pipeline.claims.stance import StanceRules
    from pipeline.config import KNOWLEDGE_DIR

    text = (KNOWLEDGE_DIR / "stance.toml").read_text(encoding="utf-8")
    (tmp_path / "stance.toml").write_text(text[:text.index("[ru.targets]")], encoding="utf-8")
    rules = StanceRules.load(tmp_path / "stance.toml")
    assert "осудить" in rules.negative and "condemn" in rules.negative
    assert "кремль" not in rules.targets and "kremlin" in rules.targets
    assert "кремль" in StanceRules.load().targets
