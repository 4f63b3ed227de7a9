"""The citation check (issue 26, pipeline/claims/citations.py): which document a review claim cites,
and whether it says what the review says. Records below are written for these tests."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from citation_score import score

from pipeline.claims.citations import Citations, caption_site, cite_all, host_of, normal_url, sentence_bounds, stems
from pipeline.records import Claim, Dated, DocumentResult, DocumentSpec, Link, Mention, Paragraph

DATA = Path(__file__).parent / "data" / "citations"


def doc(doc_id, kind="readout", url=None, side=None, published=None, paragraphs=()):
    spec = DocumentSpec(doc_id, kind, None, url=url)
    return DocumentResult(spec, "", "", None, Dated(side, "test") if side else None,
                          Dated(published, "test") if published else None, None, tuple(paragraphs))


def para(doc_id, pid, text, links=(), kind="paragraph", seq=0):
    return Paragraph(pid, doc_id, seq, kind, 0, len(text), text, links=tuple(links))


def link(text, anchor, href):
    start = text.index(anchor)
    return Link(start, start + len(anchor), anchor, href)


def claim(cid, doc_id, pid, text, quote, content=(), date=None, side="RU", rule="own words", stance=None,
          participants=()):
    start = text.index(quote)
    return Claim(cid, doc_id, pid, start, start + len(quote), quote, quote, None, None, side, None, date,
                 content=tuple(content), side_rule=rule, stance=stance, participants=tuple(participants))


KREMLIN = "http://kremlin.ru/events/president/news/1"
REVIEW_TEXT = ("According to the Kremlin, the two presidents discussed trade. The readout "
               "adds that they agreed to meet again. Another page says nothing.")


def review_with(text, links=(), following=()):
    paragraphs = [para("review", "r1", text, links, seq=0)]
    paragraphs += [para("review", f"r{n + 2}", t, kind="caption", seq=n + 1) for n, t in enumerate(following)]
    return doc("review", kind="review", paragraphs=paragraphs)


def test_a_link_in_the_sentence_is_the_citation_even_beside_another_link():
    text = REVIEW_TEXT
    links = [link(text, "readout", KREMLIN), link(text, "Another page", "https://example.org/x")]
    review = review_with(text, links)
    readout = doc("kremlin", url="https://www.kremlin.ru/events/president/news/1/", side="RU")
    c = claim("c1", "review", "r1", text, "they agreed to meet again")
    found = Citations([review, readout], [c], []).cite(c)
    assert (found.cites_doc, found.cite_rule) == ("kremlin", "link-sentence")


def test_the_only_link_of_the_paragraph_is_cited_and_a_page_outside_the_corpus_is_unavailable():
    text = REVIEW_TEXT
    review = review_with(text, [link(text, "Another page", "https://example.org/x")])
    c = claim("c1", "review", "r1", text, "the two presidents discussed trade")
    found = Citations([review], [c], []).cite(c)
    assert (found.cites_doc, found.cite_rule, found.status) == (None, "link-paragraph", "unavailable")


def test_two_links_outside_the_sentence_cite_nothing():
    text = REVIEW_TEXT
    links = [link(text, "readout", KREMLIN), link(text, "Another page", "https://example.org/x")]
    c = claim("c1", "review", "r1", text, "the two presidents discussed trade")
    assert Citations([review_with(text, links)], [c], []).cite(c) is None


def test_a_caption_names_the_site_and_the_claim_s_date_picks_its_document():
    text = "On 25 February the two leaders met in the capital and discussed trade."
    review = review_with(text, following=["The two leaders. Source: akorda.kz"])
    first = doc("a1", url="https://www.akorda.kz/en/1", side="KZ", published="2022-02-25")
    second = doc("a2", url="https://akorda.kz/en/2", side="KZ", published="2022-03-02")
    c = claim("c1", "review", "r1", text, "the two leaders met in the capital and discussed trade", date="2022-02-25",
              side="KZ")
    assert Citations([review, first, second], [c], []).cite(c).cites_doc == "a1"
    in_month = claim("c3", "review", "r1", text, "discussed trade", date="2022-02", side="KZ")  # month only
    assert Citations([review, first, second], [in_month], []).cite(in_month).cites_doc == "a1"
    elsewhere = claim("c2", "review", "r1", text, "discussed trade", date="2022-01-01", side="KZ")
    assert Citations([review, first, second], [elsewhere], []).cite(elsewhere).status == "unavailable"


def test_a_named_channel_cites_the_one_document_of_its_side_about_the_countries_named():
    text = "According to the Kremlin, the Uzbek president expressed understanding."
    review = review_with(text)
    uz_para = para("k-uz", "k1", "Mirziyoyev ...")
    am_para = para("k-am", "k2", "Pashinyan ...")
    uz = doc("k-uz", side="RU", published="2022-02-25", paragraphs=[uz_para])
    am = doc("k-am", side="RU", published="2022-02-25", paragraphs=[am_para])
    mentions = [Mention("review", "r1", text.index("Uzbek"), text.index("Uzbek") + 5, "Uzbek", "NORP", None, None,
                        "UZ", "test"),
                Mention("k-uz", "k1", 0, 10, "Mirziyoyev", "PERSON", None, None, "UZ", "test"),
                Mention("k-am", "k2", 0, 10, "Pashinyan", "PERSON", None, None, "AM", "test")]
    c = claim("c1", "review", "r1", text, "the Uzbek president expressed understanding", date="2022-02-25",
              rule="channel")
    found = Citations([review, uz, am], [c], mentions).cite(c)
    assert (found.cites_doc, found.cite_rule) == ("k-uz", "channel-named")
    unnamed = claim("c2", "review", "r1", text, "expressed understanding", date="2022-02-25", rule="channel")
    assert Citations([review, uz, am], [unnamed], mentions).cite(unnamed) is None  # two fit alike: none
    own_words = claim("c3", "review", "r1", text, "the Uzbek president expressed understanding",
                      date="2022-02-25", rule="own words")
    assert Citations([review, uz, am], [own_words], mentions).cite(own_words) is None


def _status(review_content, readout_claims, **kw):
    text = "The Kremlin's readout says that the leaders agreed on a grain deal."
    review = review_with(text, [link(text, "readout", KREMLIN)])
    readout = doc("kremlin", url=KREMLIN, side="RU", published="2022-02-25",
                  paragraphs=[para("kremlin", "k1", "text")])
    c = claim("c1", "review", "r1", text, "the leaders agreed on a grain deal", content=review_content,
              date=kw.get("date", "2022-02-25"), stance=kw.get("stance"))
    others = [replace(claim(f"k{n}", "kremlin", "k1", q, q, content=content, date=d, stance=st),
                      status=kw.get("status", "proposed"))
              for n, (q, content, d, st) in enumerate(readout_claims)]
    return cite_all([review, readout], [c, *others], [])["c1"]


def test_the_status_says_how_much_of_the_statement_the_cited_document_carries():
    deal = ("agree", "grain", "deal")
    said = ("The sides agreed on a grain deal.", ("agree", "grain", "deal", "export"), "2022-02-25", None)
    assert _status(deal, [said])["citation_status"] == "supported"
    some = ("They spoke about grain.", ("speak", "grain"), "2022-02-25", None)
    assert _status(deal, [some])["citation_status"] == "partial"
    assert _status(deal, [some])["citation_score"] == 0.33  # one of the three content words
    topic = ("They spoke about Ukraine.", ("@UA",), "2022-02-25", None)
    assert _status(("@UA", "agree", "deal"), [topic])["citation_status"] == "partial"
    other = ("They spoke about gas prices.", ("gas", "price"), "2022-02-25", None)
    assert _status(deal, [other])["citation_status"] == "not_found"
    assert _status(deal, [other])["citation_score"] == 0.0  # nothing shared, and it says so
    # one content word in six is below PARTIAL: not found, the share kept for the reviewer
    six = ("agree", "grain", "deal", "export", "price", "port")
    faint = ("They talked about grain.", ("talk", "grain"), "2022-02-25", None)
    assert (_status(six, [faint])["citation_status"], _status(six, [faint])["citation_score"]) == ("not_found", 0.17)
    assert _status(deal, [])["citation_status"] == "not_found"
    # a claim a reviewer rejected is not what the cited document says
    assert _status(deal, [said], status="rejected")["citation_status"] == "not_found"


@pytest.mark.parametrize("readout, kw", [
    (("The sides did not agree on a grain deal.", ("agree", "grain", "deal"), "2022-02-25", None), {}),
    (("The sides agreed on a grain deal.", ("agree", "grain", "deal"), "2022-03-01", None), {}),
    (("The sides agreed on a grain deal.", ("agree", "grain", "deal"), "2022-02-25", "opposes"),
     {"stance": "supports"}),
])
def test_the_cited_document_saying_otherwise_differs(readout, kw):
    found = _status(("agree", "grain", "deal"), [readout], **kw)
    assert found["citation_status"] == "differs" and (found["cite_claim"], found["cite_paragraph"]) == ("k0", "k1")


def test_the_review_author_s_own_assessments_cite_nothing():
    text = REVIEW_TEXT
    review = review_with(text, [link(text, "readout", KREMLIN)])
    readout = doc("kremlin", url=KREMLIN, side="RU")
    c = claim("c1", "review", "r1", text, "they agreed to meet again", side="author", rule="author")
    assert cite_all([review, readout], [c], []) == {}


def test_helpers():
    assert normal_url("HTTPS://www.Kremlin.ru/a/b/#x") == normal_url("http://kremlin.ru/a/b") == "kremlin.ru/a/b"
    assert normal_url("https://akorda.kz/en/news/X/") == "akorda.kz/en/news/X"  # only the slash goes
    text = "One. Two says so, he said. Three."
    assert text[slice(*sentence_bounds(text, text.index("says"), text.index("so")))] == "Two says so, he said. "
    assert caption_site([para("r", "p", "Meeting of the two. Source:  akorda.kz")]) == "akorda.kz"
    assert caption_site([para("r", "p", "Meeting in Belovezh. Source: BBC")]) is None
    # a negated content word keeps its "not" and is not also counted as the word itself
    assert stems(("not recognise", "grain", "@UA")) == {"not recogn", "grain"}


# --- the hand-checked set ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    from pipeline.config import Settings
    from pipeline.extract import run
    from pipeline.store.export import records
    from pipeline.web.report import render

    tmp = tmp_path_factory.mktemp("citations")
    corpus = tmp / "corpus"
    shutil.copytree(DATA, corpus)
    settings = Settings(corpus=corpus, db=tmp / "c.db", annotations=tmp / "none")
    run(settings, processes=1)
    return list(records(settings.db, "claims")), render(settings.db), settings.db


def test_the_citation_set_scores_as_measured(cited):
    """First run (gold written before the check existed): found 0.79, status 0.53; then 0.84 / 0.68.
    Now every citing claim is found (the claims stage finds "The two discussed ...", "the ministry
    said" after the sentence naming it, "the Kremlin's version ... states"), and the status is right
    for 18 of 19 (the translations of one term share a content key: knowledge/concepts.toml); the
    one left: "solidarity with an ally" against "should not be interpreted as support" (not_found,
    gold differs). No uncited claim given a citation."""
    claims, _, _ = cited
    result = score(json.loads((DATA / "gold.json").read_text(encoding="utf-8")), claims)
    assert result["found"] == 1.0 and result["status"] >= 18 / 19, result["rows"]
    assert not result["uncited_but_cited"]


def test_the_report_lists_what_the_cited_sources_do_not_say(cited):
    claims, html, _ = cited
    assert 'id="sources-checked"' in html
    flagged = [c for c in claims if c["citation_status"] in ("not_found", "differs")]
    assert {c["citation_status"] for c in flagged} == {"not_found", "differs"}
    for c in flagged:
        assert f'href="#c-{c["id"]}"' in html.split('id="sources-checked"')[1].split('id="positions"')[0]


# --- a reviewer's citation beats the machine's -------------------------------------------------

def test_a_reviewer_sets_a_citation_and_its_status_and_can_take_them_back(tmp_path, run):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    notes = tmp_path / "notes"
    assert run("extract", "--processes", "1", corpus=corpus, annotations=notes).exit_code == 0

    def claims():
        return {c["id"]: c for c in map(json.loads, run("export", "claims", annotations=notes).output.splitlines())}

    machine = next(c for c in claims().values() if c["citation_status"] == "differs")
    other = next(c for c in claims().values() if c["doc_id"] == "review" and not c["cite_rule"])
    assert run("decide", machine["id"], "edit", "--set", "citation_status=supported",
               annotations=notes).exit_code == 0
    assert run("decide", other["id"], "edit", "--set", "cites_doc=kremlin-am-0225", annotations=notes).exit_code == 0
    wrong = run("decide", other["id"], "edit", "--set", "cites_doc=no-such-doc", annotations=notes)
    assert wrong.exit_code != 0 and "no such document" in wrong.output
    assert run("decide", other["id"], "edit", "--set", "citation_status=maybe", annotations=notes).exit_code != 0
    assert run("extract", "--processes", "1", corpus=corpus, annotations=notes).exit_code == 0
    after = claims()
    assert (after[machine["id"]]["citation_status"], after[machine["id"]]["cite_rule"]) == (
        "supported", machine["cite_rule"])  # the reviewer's status; the machine's citation stays
    assert (after[other["id"]]["cites_doc"], after[other["id"]]["cite_rule"]) == ("kremlin-am-0225", "reviewer")
    assert after[other["id"]]["citation_status"] in ("supported", "partial", "not_found", "differs")
    assert run("undo", machine["id"], annotations=notes).exit_code == 0
    assert run("extract", "--processes", "1", corpus=corpus, annotations=notes).exit_code == 0
    assert claims()[machine["id"]]["citation_status"] == "differs"


def test_an_added_claim_can_carry_its_citation(tmp_path, run):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    notes = tmp_path / "notes"
    assert run("extract", "--processes", "1", corpus=corpus, annotations=notes).exit_code == 0
    added = run("add", "--doc", "review", "--quote", "The two discussed joint steps to keep bilateral trade",
                "--set", "reported_by=KZ", "--set", "cites_doc=akorda-mishustin-0225", annotations=notes)
    assert added.exit_code == 0, added.output
    assert run("extract", "--processes", "1", corpus=corpus, annotations=notes).exit_code == 0
    mine = [c for c in map(json.loads, run("export", "claims", annotations=notes).output.splitlines())
            if c["origin"] == "reviewer"]
    assert [(c["cites_doc"], c["cite_rule"]) for c in mine] == [("akorda-mishustin-0225", "reviewer")]


def test_the_review_page_sets_the_cited_passage_beside_the_claim(cited):
    from pipeline.web.review_page import claim_view

    claims, _, db = cited
    differs = next(c for c in claims if c["citation_status"] == "differs" and c["cite_claim"])
    view = claim_view(db, differs["id"])
    statement = next(c for c in claims if c["id"] == differs["cite_claim"])
    assert view["cited"]["doc"]["id"] == differs["cites_doc"]
    assert f'<mark class="evidence">{statement["quote"]}' in str(view["cited"]["passage"]).replace("&#34;", '"')
    unavailable = next(c for c in claims if c["citation_status"] == "unavailable")
    assert claim_view(db, unavailable["id"])["cited"] is None


# --- one content key for the translations of one term (knowledge/concepts.toml [en] and [ru]) ---

def test_an_english_statement_and_its_russian_counterpart_share_their_content_words():
    """Sentences written for this test: 'безопасность' is security or safety, 'переговоры' talks or
    negotiations, 'боевые действия' hostilities or fighting, 'делегация' delegation."""
    from pipeline.claims.claim_content import content_key
    from pipeline.config import model_name
    from pipeline.knowledge import load_knowledge
    from pipeline.language.nlp import load_model
    from pipeline.language.russian import RussianPipeline

    english = load_model(model_name())("The safety of the delegation during the negotiations and the fighting.")
    russian = next(RussianPipeline(load_knowledge(None)).pipe(["Безопасность делегации на переговорах и боевые действия."]))

    def key(doc):
        return set(content_key(doc, 0, len(doc.text), [], set(), False))

    assert {"security", "delegation", "hostilities"} <= key(english) & key(russian), (key(english), key(russian))
    assert "talks" not in key(english) | key(russian)  # the event itself is never content


def test_the_bundled_reviews_source_captions_cite_nothing_that_is_not_in_its_corpus(tmp_path):
    """The bundled corpus holds the review alone: a claim under an "akorda.kz" caption is checked as
    `unavailable`, with no document invented for it; "Source: BBC" names no site and cites nothing."""
    from pipeline.config import Settings
    from pipeline.extract import run
    from pipeline.store.export import records

    bundled = Path(__file__).parent.parent / "corpus"
    settings = Settings(corpus=bundled, db=tmp_path / "c.db", annotations=tmp_path / "none")
    run(settings, processes=1)
    cited = [c for c in records(settings.db, "claims") if c["cite_rule"]]
    assert cited and {(c["cite_rule"], c["citation_status"], c["cites_doc"]) for c in cited} == {
        ("source-caption", "unavailable", None)}, cited


def test_a_host_is_compared_without_its_www_and_case():
    """(issue 25, from a surviving mutant) 'https://www.Kremlin.ru/…' and 'kremlin.ru' are one site; a
    host that merely ends in 'www.' keeps it; no url is no host."""
    assert host_of("https://www.Kremlin.ru/events/president/news/67843") == "kremlin.ru"
    assert host_of("http://akorda.kz/en") == "akorda.kz"
    assert host_of("https://news.www.example") == "news.www.example"
    assert host_of(None) == "" and host_of("not a url") == ""


def test_a_caption_site_written_with_www_cites_the_site_s_document():
    """(issue 25, from a surviving mutant) "Source: www.akorda.kz" names the site akorda.kz."""
    text = "On 25 February the two leaders met in the capital and discussed trade."
    review = review_with(text, following=["The two leaders. Source: www.Akorda.kz"])
    page = doc("a1", url="https://akorda.kz/en/1", side="KZ", published="2022-02-25")
    c = claim("c1", "review", "r1", text, "the two leaders met", date="2022-02-25", side="KZ")
    assert (Citations([review, page], [c], []).cite(c).cites_doc) == "a1"


def test_a_caption_is_looked_for_past_a_short_line_but_not_past_a_long_paragraph():
    """(issue 25, from a surviving mutant) the caption may follow a short line (a photo's title),
    never another paragraph of the review."""
    short = para("r", "p2", "The two presidents in Astana.", seq=1)
    long = para("r", "p2", "The talks went on. " * 12, seq=1)
    caption = para("r", "p3", "Source: akorda.kz", kind="caption", seq=2)
    assert caption_site([short, caption]) == "akorda.kz"
    assert len(long.text) > 200 and caption_site([long, caption]) is None


def test_a_rejected_review_claim_cites_nothing_and_a_document_set_by_hand_is_checked():
    """(issue 25, from surviving mutants) a review claim a reviewer rejected gets no citation; a
    document a reviewer set is checked like a found one (rule `reviewer`), and a status a reviewer
    set stays."""
    text = "The Kremlin's readout says that the leaders agreed on a grain deal."
    review = review_with(text, [link(text, "readout", KREMLIN)])
    readout = doc("kremlin", url=KREMLIN, side="RU", published="2022-02-25",
                  paragraphs=[para("kremlin", "k1", "text")])
    other = doc("other", url="https://example.org/x", side="RU", published="2022-02-25",
                paragraphs=[para("other", "o1", "text")])
    said = claim("k0", "kremlin", "k1", "The sides agreed on a grain deal.", "The sides agreed on a grain deal.",
                 content=("agree", "grain", "deal"), date="2022-02-25")
    c = claim("c1", "review", "r1", text, "the leaders agreed on a grain deal", content=("agree", "grain", "deal"),
              date="2022-02-25")
    results = [review, readout, other]
    assert cite_all(results, [c, said], [])["c1"]["citation_status"] == "supported"
    assert cite_all(results, [replace(c, status="rejected"), said], []) == {}
    by_hand = cite_all(results, [replace(c, cites_doc="other"), said], [])["c1"]
    assert (by_hand["cites_doc"], by_hand["cite_rule"], by_hand["citation_status"]) == (
        "other", "reviewer", "not_found")
    kept = cite_all(results, [replace(c, citation_status="differs"), said], [])["c1"]
    assert (kept["cites_doc"], kept["cite_rule"], kept["citation_status"]) == ("kremlin", "link-sentence", "differs")
    unlinked = [review_with(text), readout, other]
    status_alone = cite_all(unlinked, [replace(c, citation_status="partial"), said], [])["c1"]
    assert (status_alone["cites_doc"], status_alone["cite_rule"], status_alone["citation_status"]) == (
        None, "reviewer", "partial")


def test_a_reviewers_values_count_without_a_review_and_a_document_outside_the_corpus_is_ignored():
    """(issue 25, from seed 31's survivors) a status set by hand is kept even in a corpus with no
    review; a document set by hand that the corpus does not hold leaves the machine's citation."""
    text = "The Kremlin's readout says that the leaders agreed on a grain deal."
    readout = doc("kremlin", url=KREMLIN, side="RU", published="2022-02-25", paragraphs=[para("kremlin", "k1", "text")])
    said = claim("k0", "kremlin", "k1", "The sides agreed on a grain deal.", "The sides agreed on a grain deal.",
                 content=("agree", "grain", "deal"), date="2022-02-25")
    alone = cite_all([readout], [replace(said, citation_status="partial")], [])
    assert {k: (v["cites_doc"], v["cite_rule"], v["citation_status"]) for k, v in alone.items()} == {
        "k0": (None, "reviewer", "partial")}
    review = review_with(text, [link(text, "readout", KREMLIN)])
    c = claim("c1", "review", "r1", text, "the leaders agreed on a grain deal", content=("agree", "grain", "deal"),
              date="2022-02-25")
    found = cite_all([review, readout], [replace(c, cites_doc="not-in-the-corpus"), said], [])["c1"]
    assert (found["cites_doc"], found["cite_rule"], found["citation_status"]) == ("kremlin", "link-sentence", "supported")
