"""The checks behind `decide`, `add` and `actor add`, called directly (the CLI tests reach them
through click): exact values and messages, so that a one-line change to one of them fails here.
Texts are written for these tests."""

import tomllib

import pytest

from pipeline.curation import CurationError
from pipeline.curation.decide import add_actor, check_side, place

TEXT = "First paragraph says the talks went well. Then the talks went well again.\n\nA second one."
CTX = {"text": TEXT, "paragraphs": [("p1", 0, 73, TEXT[:73]), ("p2", 75, 88, TEXT[75:88])]}


def test_a_side_is_a_code_in_any_case_or_author_for_reported_by_only():
    assert check_side("kz") == "KZ" and check_side("AUTHOR") == "author" and check_side("Author") == "author"
    codes = "is not a country code; use an ISO 3166-1 alpha-2 code such as 'RU', or EU, UN, NATO, CSTO"
    with pytest.raises(CurationError) as exc:
        check_side("author", "--country")                                  # a country is never the author
    assert str(exc.value) == f"--country 'author' {codes}"
    with pytest.raises(CurationError) as exc:
        check_side("zz")
    assert str(exc.value) == f"reported_by='zz' {codes} or author"
    with pytest.raises(CurationError) as exc:
        check_side("zz", "country")
    assert str(exc.value) == f"country='zz' {codes}"


def test_words_are_placed_once_by_nth_or_by_the_offset_they_were_selected_at():
    once = "First paragraph says"
    assert place(CTX, "d", once, None, "--words") == (0, 20, CTX["paragraphs"][0])
    twice = "the talks went well"
    first, second = TEXT.index(twice), TEXT.index(twice, TEXT.index(twice) + 1)
    assert place(CTX, "d", twice, 1, "--words")[:2] == (first, first + len(twice))
    assert place(CTX, "d", twice, 2, "--words")[:2] == (second, second + len(twice))
    assert place(CTX, "d", twice, None, "--words", at=second + 3)[:2] == (second, second + len(twice))
    assert place(CTX, "d", twice, None, "--words", at=first)[:2] == (first, first + len(twice))
    assert place(CTX, "d", "  " + once + "  ", None, "--words")[:2] == (0, 20)   # spaces around are dropped


def test_words_that_cannot_be_placed_are_refused_with_what_to_do():
    def refused(words, nth=None, at=None):
        with pytest.raises(CurationError) as exc:
            place(CTX, "d", words, nth, "--words", at=at)
        return str(exc.value)

    assert refused("First") == "--words: give the claim's exact words from the document (two words at least)"
    assert refused(None).startswith("--words: give the claim's exact words")
    assert refused("not there at all").startswith("--words 'not there at all' is not in document 'd'; copy the words")
    many = refused("the talks went well")
    assert many.startswith("--words occurs 2 times in 'd'; say which with --nth:\n  --nth 1: …")
    # each occurrence in its context: up to 40 characters either side, the words in brackets
    assert many == ("--words occurs 2 times in 'd'; say which with --nth:\n"
                    f"  --nth 1: …{TEXT[:21]}[the talks went well]{TEXT[40:80]}…\n"
                    f"  --nth 2: …{TEXT[7:47]}[the talks went well]{TEXT[66:106]}…")
    assert TEXT[:21] == "First paragraph says " and TEXT[47:66] == "the talks went well"
    assert refused("the talks went well", nth=3) == "--nth 3: the words occur 2 time(s) in 'd'"
    assert refused("the talks went well", nth=0) == "--nth 0: the words occur 2 time(s) in 'd'"
    assert refused("well again.\n\nA second") == ("--words runs over two paragraphs; a claim's evidence lies "
                                                  "inside one paragraph")


def test_a_paragraph_boundary_is_inclusive_at_both_ends():
    assert place(CTX, "d", "A second one.", None, "--words") == (75, 88, CTX["paragraphs"][1])


def test_an_actor_is_added_with_its_fields_and_refused_with_reasons(tmp_path):
    path = add_actor(tmp_path, "md-ana-example", "Ana Example", "person", "md", ["Ана Пример", "A. Example"],
                     ["foreign_minister:2024-01-02:2025-03-04", "president:2025-03-05"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Gazetteer additions made during review.\n\n[[actor]]\n")
    assert 'aliases = ["Ана Пример", "A. Example"]' in text                  # not escaped
    (entry,) = tomllib.loads(text)["actor"]
    assert entry == {"id": "md-ana-example", "name": "Ana Example", "type": "person", "country": "MD",
                     "aliases": ["Ана Пример", "A. Example"],
                     "roles": [{"role": "foreign_minister", "from": "2024-01-02", "to": "2025-03-04"},
                               {"role": "president", "from": "2025-03-05"}],
                     "source": "added during review"}
    add_actor(tmp_path, "md-second", "Second Example", "person", None, [], [])
    again = tomllib.loads(path.read_text(encoding="utf-8"))["actor"]
    assert [a["id"] for a in again] == ["md-ana-example", "md-second"] and "country" not in again[1]
    assert "\n\n\n" not in path.read_text(encoding="utf-8")

    def refused(*args):
        with pytest.raises(CurationError) as exc:
            add_actor(tmp_path, *args)
        return str(exc.value)

    assert refused("Bad Id", "N", "person", None, [], []) == "--id 'Bad Id': use lower-case letters, digits and '-'"
    assert refused("x", "N", "alien", None, [], []) == \
        "--type 'alien': use one of institution, media, organisation, person, state, territory"
    assert refused("x", "N", "person", "zz", [], []).startswith("--country 'zz' is not a country code")
    assert refused("md-second", "N", "person", None, [], []) == "actor 'md-second' exists already; choose another id"
    assert refused("y", "N", "person", None, [], ["president"]) == \
        "--role 'president': write ROLE:FROM[:TO], e.g. president:2021-01-28"
    assert refused("y", "N", "person", None, [], ["president:25.02.2022"]).startswith("--role 'president:25.02.2022'")
    assert refused("y", "N", "person", None, [], ["a:2021-01-01:2022-01-01:x"]).startswith("--role 'a:2021-01-01:2022")
