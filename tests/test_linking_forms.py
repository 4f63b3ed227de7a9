"""Linking on sentences the seed does not contain: every form of a gazetteer actor."""

import pytest

from pipeline.config import DEFAULT_MODEL
from pipeline.knowledge import load_knowledge
from pipeline.language.actors import Linker, LinkState
from pipeline.language.nlp import build_pipeline


@pytest.fixture(scope="module")
def link():
    knowledge = load_knowledge(None)
    nlp = build_pipeline(DEFAULT_MODEL, knowledge)
    linker = Linker(knowledge)

    def run(text, date="2022-03-01"):
        doc = nlp(text)
        mentions, _ = linker.link(doc, "d", "p", LinkState(), lambda pos: date)
        return {(m.text, m.actor_id) for m in mentions}

    return run


@pytest.mark.parametrize("text, mention, actor", [
    ("Alexander Lukashenko met the press.", "Alexander Lukashenko", "by-lukashenko"),
    ("Aleksandr Lukashenko met the press.", "Aleksandr Lukashenko", "by-lukashenko"),
    ("Ms. Sandu thanked Romania.", "Sandu", "md-sandu"),
    ("The Uzbek leader spoke.", "The Uzbek leader", "uz-mirziyoyev"),
    ("Later the Belarusian President spoke.", "the Belarusian President", "by-lukashenko"),
    ("The talks were held in Baku.", "Baku", "az"),
    ("Nur-Sultan kept silent.", "Nur-Sultan", "kz"),
    ("The Kremlin said so.", "The Kremlin", "ru-presidency"),
    ("The Kazakh side confirmed it.", "Kazakh side", "kz"),
    ("Moldova asked for help.", "Moldova", "md"),
    ("The Tajik Ministry of Foreign Affairs said so.", "Tajik Ministry of Foreign Affairs", "tj-foreign-ministry"),
    ("A statement of the Ministry of Foreign Affairs of Kazakhstan followed.", "Ministry of Foreign Affairs of Kazakhstan", "kz-foreign-ministry"),
    ("Dmytro Kuleba called Jeyhun Bayramov.", "Jeyhun Bayramov", "az-bayramov"),
    ("Vadim Krasnoselsky spoke in Tiraspol.", "Vadim Krasnoselsky", "transnistria-krasnoselsky"),
])
def test_forms(link, text, mention, actor):
    assert (mention, actor) in link(text)


def test_role_depends_on_the_date(link):
    assert ("the Armenian President", "am-sarkissian") in link("the Armenian President spoke.", "2021-06-01")
    assert ("the Armenian President", "am-khachaturyan") in link("the Armenian President spoke.", "2022-06-01")
    assert ("the Turkmen President", "tm-s-berdimuhamedow") in link("the Turkmen President spoke.", "2022-05-01")


def test_counterpart_follows_the_subject(link):
    found = link("Sergey Lavrov received his Armenian counterpart in Moscow.", "2022-02-22")
    assert ("Armenian counterpart", "am-mirzoyan") in found


def test_ambiguous_surname_with_no_full_mention_goes_to_the_higher_office(link):
    assert ("Japarov", "kg-s-japarov") in link("Japarov said the border was calm.")
