"""Human decisions survive re-extraction; orphans are kept and listed; bad lines are reported."""

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
BRIEF = DATA / "style4" / "brief.txt"
MANIFEST = '[[document]]\nid = "brief"\npath = "brief.txt"\nkind = "review"\n'

SANDU = "On 24 February, Moldova's President Maia Sandu warned"
KULEBA = "On 1 March, Dmytro Kuleba called"
KAZ = "The Kazakh Foreign Ministry replied"
BELTA = "BelTA quoted Alexander Lukashenko"


@pytest.fixture
def env(tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(BRIEF, corpus / "brief.txt")
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    notes = tmp_path / "notes"

    def cli(*args):
        return run(*args, corpus=corpus, annotations=notes)

    def claims():
        out = cli("export", "claims")
        assert out.exit_code == 0, out.output
        return [json.loads(line) for line in out.output.splitlines()]

    def find(start):
        (claim,) = [c for c in claims() if c["quote"].startswith(start)]
        return claim

    def extract():
        result = cli("extract", "--processes", "1")
        assert result.exit_code == 0, result.output
        return result

    extract()
    return corpus, notes, cli, find, extract, claims


def decide_all(cli, find):
    assert cli("decide", find(SANDU)["id"], "accept").exit_code == 0
    assert cli("decide", find(KULEBA)["id"], "reject").exit_code == 0
    r = cli("decide", find(KAZ)["id"], "edit", "--set", "stance=opposes", "--set", "date=2022-03-02")
    assert r.exit_code == 0, r.output


def check(find):
    assert find(SANDU)["status"] == "accepted"
    assert find(KULEBA)["status"] == "rejected"
    kaz = find(KAZ)
    assert (kaz["status"], kaz["stance"], kaz["date"]) == ("edited", "opposes", "2022-03-02")


def edit_doc(corpus, change):
    path = corpus / "brief.txt"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_decisions_update_the_database_at_once_and_survive_three_reruns(env):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    check(find)
    for _ in range(3):
        assert cli("extract", "--processes", "1", "--force").exit_code == 0
        check(find)
    lines = (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(l)["action"] for l in lines] == ["accept", "reject", "edit"]
    assert json.loads(lines[0])["selector"]["exact"].startswith(SANDU)


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("\nOn 24 February", "\nA new paragraph inserted above the evidence.\n\nOn 24 February"), id="paragraph-above"),
    pytest.param(lambda t: t.replace("Western governments were not convinced.", "Western capitals were not convinced."), id="word-outside-quote"),
    pytest.param(lambda t: t.replace("Dmytro Kuleba called", "Dmytro  Kuleba   called").replace("\n\n", "\n\n\n"), id="whitespace"),
    pytest.param(lambda t: t.replace("Policy Brief: Early Responses", "Policy Brief (revised): Early Responses"), id="title-changed"),
])
def test_decisions_survive_edits_to_the_document(env, change):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    edit_doc(corpus, change)
    result = extract()
    assert "0 orphaned decisions" in result.output
    check(find)


def test_decisions_survive_a_rule_change_that_changes_claim_ids(env, monkeypatch):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    old_ids = {find(s)["id"] for s in (SANDU, KULEBA, KAZ)}
    from pipeline.claims import make as claims_module  # where claim ids are made

    original = claims_module.claim_id
    monkeypatch.setattr(claims_module, "claim_id", lambda doc, quote, n=0: "x" + original(doc, quote, n)[1:])
    assert cli("extract", "--processes", "1", "--force").exit_code == 0
    assert not old_ids & {find(s)["id"] for s in (SANDU, KULEBA, KAZ)}
    check(find)


def test_a_changed_quote_is_matched_fuzzily(env):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    edit_doc(corpus, lambda t: t.replace("was ready to receive refugees", "was ready to receive the refugees"))
    extract()
    assert find(SANDU)["status"] == "accepted"


def test_deleting_the_evidence_makes_an_orphan_that_is_listed(env):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    edit_doc(corpus, lambda t: t.replace(
        " The Kazakh Foreign Ministry replied that Kazakhstan supported the territorial integrity of Ukraine.", ""))
    result = cli("extract", "--processes", "1")
    assert result.exit_code == 0
    assert "1 orphaned decisions" in result.output and "review --orphans" in result.output
    listed = cli("review", "--orphans")
    assert listed.exit_code == 0
    assert "brief.jsonl:3: edit" in listed.output and "The Kazakh Foreign Ministry replied" in listed.output
    # the orphan is kept in its file, not dropped
    assert len((notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    check_rest = find(SANDU)
    assert check_rest["status"] == "accepted"


def test_added_claim_is_anchored_by_its_quote(env):
    corpus, notes, cli, find, extract, claims = env
    from pipeline.curation import append_decision, new_decision

    text = (corpus / "brief.txt").read_text(encoding="utf-8")
    quote = "Western governments were not convinced."
    assert not any(c["quote"] == quote for c in claims())
    # the position selector is into the extracted text; the quote selector is what matters
    start = text.index(quote)
    append_decision(notes, new_decision("brief", "add", "claim", None, text, start, start + len(quote),
                                        {"reported_by": "author", "source": "analyst's assessment"}))
    edit_doc(corpus, lambda t: "Preface line.\n\n" + t)
    extract()
    (added,) = [c for c in claims() if c["quote"] == quote]
    assert (added["status"], added["reported_by"]) == ("accepted", "author")


def test_mention_link_correction_stays_fixed(env):
    corpus, notes, cli, find, extract, _ = env
    from pipeline.curation import append_decision, new_decision
    from pipeline.store import open_existing

    db_path = Path(str(notes).replace("notes", "claims.db"))
    db = open_existing(db_path)
    (pstart, mstart, mend, doc_text) = db.execute(
        'SELECT p.start, m.start, m."end", d.text FROM mentions m JOIN paragraphs p ON p.id = m.paragraph_id '
        "JOIN documents d ON d.id = m.doc_id WHERE m.text = 'Tokayev'").fetchone()
    db.close()
    append_decision(notes, new_decision("brief", "link", "mention", None, doc_text, pstart + mstart, pstart + mend,
                                        {"actor_id": "kz-nazarbayev", "actor": "Nursultan Nazarbayev", "country": "KZ"}))
    for _ in range(2):
        edit_doc(corpus, lambda t: t + "\nOne more line.\n")
        extract()
        db = open_existing(db_path)
        assert db.execute("SELECT actor_id FROM mentions WHERE text = 'Tokayev'").fetchone() == ("kz-nazarbayev",)
        db.close()


def test_corrupt_line_is_reported_kept_and_the_others_apply(env):
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    path = notes / "decisions" / "brief.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"action": "accept", "selector": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("extract", "--processes", "1")
    assert result.exit_code == 1  # the other decisions apply, but a line that cannot be used is an error
    assert f"Warning: {path}:2:" in result.output
    check(find)
    assert path.read_text(encoding="utf-8").splitlines()[1] == '{"action": "accept", "selector": '
    # a new decision appends and keeps the corrupt line as it is
    assert cli("decide", find(BELTA)["id"], "accept").exit_code == 0
    assert path.read_text(encoding="utf-8").splitlines()[1] == '{"action": "accept", "selector": '


@pytest.mark.parametrize("args, message", [
    (["edit", "--set", "reported_by=Russia"], "ISO 3166-1 alpha-2"),
    (["edit", "--set", "date=25 Feb"], "YYYY-MM-DD"),
    (["edit", "--set", "stance=pro"], "supports, neutral, opposes"),
    (["edit", "--set", "colour=red"], "cannot be edited"),
    (["edit", "--set", "speaker=Nobody Known"], "not in the gazetteer"),
    (["edit"], "at least one --set"),
    # checked where they enter (issue 12): real calendar dates, real country codes, --set with edit only
    (["edit", "--set", "date=2022-02-30"], "not a calendar date"),
    (["edit", "--set", "date=2022-13"], "not a calendar date"),
    (["edit", "--set", "reported_by=QQ"], "not a country code"),
    (["edit", "--set", "spekaer=Putin"], "did you mean 'speaker'"),
    (["accept", "--set", "stance=neutral"], "--set goes with edit only"),
    (["reject", "--set", "stance=neutral"], "--set goes with edit only"),
    (["edit", "--set", "speaker=Japarov"], "could be several people"),
])
def test_bad_decisions_are_refused_with_a_reason(env, args, message):
    corpus, notes, cli, find, extract, _ = env
    result = cli("decide", find(SANDU)["id"], *args)
    assert result.exit_code == 1 and message in result.output
    assert not (notes / "decisions" / "brief.jsonl").exists()


def test_values_are_normalised_and_a_unique_surname_resolves(env):
    corpus, notes, cli, find, extract, _ = env
    claim = find(SANDU)["id"]
    result = cli("decide", claim, "edit", "--set", "speaker=tokayev", "--set", "reported_by=kz",
                 "--set", "date=2022", "--set", "stance=Neutral")
    assert result.exit_code == 0, result.output
    edited = find(SANDU)
    assert (edited["speaker"], edited["speaker_id"], edited["reported_by"], edited["date"], edited["stance"]) == (
        "Kassym-Jomart Tokayev", "kz-tokayev", "KZ", "2022", "neutral")


def test_undo_from_the_command_line_restores_the_claim_and_survives_extract(env):
    corpus, notes, cli, find, extract, _ = env
    before = find(KAZ)
    claim = before["id"]
    assert cli("decide", claim, "reject").exit_code == 0
    assert cli("decide", claim, "edit", "--set", "stance=opposes").exit_code == 0
    result = cli("undo", claim)                        # takes back the edit: rejected again, stance as proposed
    assert result.exit_code == 0 and "undid edit" in result.output, result.output
    after = find(KAZ)
    assert (after["status"], after["stance"]) == ("rejected", before["stance"])
    assert cli("undo", claim).exit_code == 0           # takes back the reject
    assert {k: find(KAZ)[k] for k in before} == before
    lines = (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["reject", "edit", "revert", "revert"]
    extract()                                          # the file, not the database, is the record
    assert {k: find(KAZ)[k] for k in before} == before
    nothing = cli("undo", claim)
    assert nothing.exit_code == 1 and "no decision on claim" in nothing.output


def test_unknown_claim_id(env):
    corpus, notes, cli, find, extract, _ = env
    result = cli("decide", "cnotaclaim", "accept")
    assert result.exit_code == 1 and "no claim 'cnotaclaim'" in result.output


def test_empty_annotations_never_touch_the_bundled_folder(env):
    from pipeline.config import DEFAULT_ANNOTATIONS

    before = sorted((p, p.stat().st_mtime_ns) for p in DEFAULT_ANNOTATIONS.rglob("*"))
    corpus, notes, cli, find, extract, _ = env
    decide_all(cli, find)
    after = sorted((p, p.stat().st_mtime_ns) for p in DEFAULT_ANNOTATIONS.rglob("*"))
    assert before == after


def test_gazetteer_addition_made_during_review_is_used(env):
    corpus, notes, cli, find, extract, _ = env
    result = cli("actor", "add", "--id", "kz-test-person", "--name", "Akan Testperson", "--country", "KZ",
                 "--role", "deputy_foreign_minister:2021-01-01")
    assert result.exit_code == 0, result.output
    edit_doc(corpus, lambda t: t + "\nAkan Testperson said that Kazakhstan was calm.\n")
    extract()
    claim = find("Akan Testperson said")
    assert (claim["speaker_id"], claim["reported_by"]) == ("kz-test-person", "KZ")
    again = cli("actor", "add", "--id", "kz-test-person", "--name", "X")
    assert again.exit_code == 1 and "exists already" in again.output


def test_link_command_corrects_a_mention(env):
    corpus, notes, cli, find, extract, _ = env
    from pipeline.store import open_existing

    db_path = Path(str(notes).replace("notes", "claims.db"))
    db = open_existing(db_path)
    (mention_id,) = db.execute("SELECT id FROM mentions WHERE text = 'Tokayev'").fetchone()
    db.close()
    result = cli("link", mention_id, "kz-nazarbayev")
    assert result.exit_code == 0, result.output
    extract()
    db = open_existing(db_path)
    assert db.execute("SELECT actor_id FROM mentions WHERE text = 'Tokayev'").fetchone() == ("kz-nazarbayev",)
    db.close()
    assert cli("link", mention_id, "nobody").exit_code == 1


def test_accepting_an_edited_claim_keeps_it_edited_before_and_after_extract(env):
    corpus, notes, cli, find, extract, _ = env
    claim = find(SANDU)["id"]
    assert cli("decide", claim, "edit", "--set", "stance=neutral").exit_code == 0
    assert cli("decide", claim, "accept").exit_code == 0
    assert find(SANDU)["status"] == "edited"          # what decide wrote
    extract()
    assert find(SANDU)["status"] == "edited"          # what the next extract re-applies
    assert find(SANDU)["date_basis"] is not None      # the machine's date keeps its basis


WEST = "Western governments were not convinced."
AZ = "The Azerbaijani presidential website only mentioned bilateral issues."  # a machine claim


def test_a_missed_claim_added_from_the_cli_survives_edits_and_is_orphaned_not_lost(env):
    corpus, notes, cli, find, extract, claims = env
    assert not any(c["quote"] == WEST for c in claims())
    r = cli("add", "--doc", "brief", "--quote", WEST, "--set", "reported_by=UA", "--set", "date=2022-02-28",
            "--reviewer", "ana")
    assert r.exit_code == 0 and "added c" in r.output, r.output
    added = find(WEST)  # in the database at once, before any extract
    assert (added["status"], added["reported_by"], added["date"], added["reviewer"], added["cue"], added["origin"]) == (
        "accepted", "UA", "2022-02-28", "ana", "added by a reviewer", "reviewer")
    assert {c["origin"] for c in claims() if c["id"] != added["id"]} == {"extractor"}
    assert cli("search", "convinced").output.count(added["id"]) == 1
    edit_doc(corpus, lambda t: "A new first paragraph.\n\n" + t)
    assert cli("extract", "--processes", "1", "--force").exit_code == 0
    assert find(WEST)["id"] == added["id"] and (find(WEST)["reported_by"], find(WEST)["origin"]) == ("UA", "reviewer")
    edit_doc(corpus, lambda t: t.replace(WEST, ""))
    assert "1 orphaned decisions" in extract().output
    assert "were not convinced" in cli("review", "--orphans").output
    assert '"action": "add"' in (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8")


def test_an_added_claim_made_again_by_extract_keeps_its_words_reviewer_and_language(env):
    """extract makes an added claim again from its decision: over the same words (its offsets too),
    with the reviewer who added it and the language of its document (an English text)."""
    corpus, notes, cli, find, extract, claims = env
    assert cli("add", "--doc", "brief", "--quote", WEST, "--reviewer", "ana").exit_code == 0
    edit_doc(corpus, lambda t: "A new first paragraph.\n\n" + t)  # the claim's paragraph no longer starts at 0
    assert cli("extract", "--processes", "1", "--force").exit_code == 0
    again = find(WEST)
    assert (again["quote"], again["reviewer"], again["language"], again["origin"]) == (WEST, "ana", "en", "reviewer")
    assert again["end"] - again["start"] == len(WEST)  # offsets within its paragraph, over those words


def test_an_added_claim_is_taken_back_with_undo(env):
    corpus, notes, cli, find, extract, claims = env
    r = cli("add", "--doc", "brief", "--quote", WEST)
    new_id = r.output.split()[1].rstrip(":")
    assert any(c["id"] == new_id for c in claims())
    assert cli("undo", new_id).exit_code == 0
    assert not any(c["id"] == new_id for c in claims())  # gone from the database at once
    extract()
    assert not any(c["id"] == new_id for c in claims())


@pytest.mark.parametrize("args, message", [
    (["--doc", "brif", "--quote", WEST], "did you mean brief"),
    (["--doc", "brief", "--quote", "words the brief never uses"], "is not in document 'brief'"),
    (["--doc", "brief", "--quote", "Moldova warned"], "is not in document"),
    (["--doc", "brief", "--quote", "on 2"], "--nth 2"),  # twice in the brief ("on 28", "on 27"): the candidates
    (["--doc", "brief", "--quote", "bilateral issues.\n\nBelTA quoted"], "two paragraphs"),
    (["--doc", "brief", "--quote", WEST, "--set", "date=2022-02-30"], "not a calendar date"),
    (["--doc", "brief", "--quote", WEST, "--set", "side=AZ"], "cannot be edited"),
    (["--doc", "brief", "--quote", AZ], "already"),
])
def test_add_refuses_what_it_cannot_place_and_saves_nothing(env, args, message):
    corpus, notes, cli, find, extract, claims = env
    r = cli("add", *args)
    assert r.exit_code != 0 and message in r.output, r.output
    assert not (notes / "decisions" / "brief.jsonl").exists()


def test_a_claims_evidence_moves_and_stays_moved(env):
    corpus, notes, cli, find, extract, claims = env
    claim = find(KAZ)
    words = "Kazakhstan supported the territorial integrity of Ukraine"
    r = cli("decide", claim["id"], "edit", "--evidence", words, "--set", "stance=supports")
    assert r.exit_code == 0, r.output
    moved = [c for c in claims() if c["id"] == claim["id"]][0]  # the same claim, at once
    assert (moved["quote"], moved["stance"], moved["status"]) == (words, "supports", "edited")
    edit_doc(corpus, lambda t: "An inserted first paragraph.\n\n" + t)
    assert cli("extract", "--processes", "1", "--force").exit_code == 0
    again = [c for c in claims() if c["id"] == claim["id"]]
    assert [(c["quote"], c["stance"]) for c in again] == [(words, "supports")]
    assert cli("undo", claim["id"]).exit_code == 0
    assert [c["quote"] for c in claims() if c["id"] == claim["id"]] == [claim["quote"]]


def test_evidence_that_leaves_the_document_orphans_the_move(env):
    corpus, notes, cli, find, extract, claims = env
    claim = find(KAZ)
    assert cli("decide", claim["id"], "edit", "--evidence", "supported the territorial integrity").exit_code == 0
    edit_doc(corpus, lambda t: t.replace("supported the territorial integrity", "backed the sovereignty"))
    assert "1 orphaned decisions" in extract().output
    assert "new evidence is no longer in the document" in cli("review", "--orphans").output


@pytest.mark.parametrize("args, message", [
    (["accept", "--evidence", "Tokayev did not comment."], "--evidence goes with edit only"),
    (["edit", "--evidence", "words the brief never uses"], "is not in document 'brief'"),
    (["edit", "--evidence", "bilateral issues.\n\nBelTA quoted"], "two paragraphs"),
])
def test_moving_evidence_is_checked(env, args, message):
    corpus, notes, cli, find, extract, claims = env
    r = cli("decide", find(KAZ)["id"], *args)
    assert r.exit_code != 0 and message in r.output, r.output
    assert not (notes / "decisions" / "brief.jsonl").exists()


def _mention_of(cli, text):
    out = cli("query", f"SELECT id, actor_id FROM mentions WHERE text = '{text}'", "--format", "json")
    return json.loads(out.output)[0]


def test_link_takes_any_name_form_and_undo_takes_it_back(env):
    corpus, notes, cli, find, extract, claims = env
    m = _mention_of(cli, "Tokayev")
    assert m["actor_id"] == "kz-tokayev"
    r = cli("link", m["id"], "Nazarbayev")  # a surname only one actor has
    assert r.exit_code == 0 and "Nursultan Nazarbayev (kz-nazarbayev)" in r.output, r.output
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-nazarbayev"
    extract()
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-nazarbayev"
    r = cli("undo", m["id"])
    assert r.exit_code == 0 and "undid link" in r.output, r.output
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-tokayev"  # at once
    assert cli("extract", "--processes", "1", "--force").exit_code == 0
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-tokayev"
    assert "no link decision on mention" in cli("undo", m["id"]).output
    r = cli("undo", "ffffffffffffffff:1-2")                 # a mention id that names no mention
    assert r.exit_code != 0 and "no mention 'ffffffffffffffff:1-2'; list ids with `claimtrace query" in r.output, r.output


@pytest.mark.parametrize("name, message", [
    ("Japarov", "could be several actors: Sadyr Japarov (kg-s-japarov); Akylbek Japarov"),
    ("Nobody Here", "no actor 'Nobody Here' in the gazetteer"),
])
def test_link_refuses_a_name_it_cannot_place(env, name, message):
    corpus, notes, cli, find, extract, claims = env
    r = cli("link", _mention_of(cli, "Tokayev")["id"], name)
    assert r.exit_code != 0 and message in r.output, r.output


# --- re-anchoring, case by case (issue 25): sentences written for the tests -------------------------

def _place(old_text: str, quote: str, at: int, new_text: str, targets: dict[str, tuple[int, int]],
           claim_id: str | None = None):
    """Where a decision taken on `quote` at `at` in `old_text` lands among `targets` of `new_text`."""
    from pipeline.curation import Target, TargetIndex, new_decision

    d = new_decision("d", "accept", "claim", claim_id, old_text, at, at + len(quote))
    assert old_text[at:at + len(quote)] == quote
    index = TargetIndex([Target(k, s, e) for k, (s, e) in targets.items()], new_text)
    found, how = index.locate(d)
    return (found.key if found else None), how


SAME = "The minister said the talks went well."
FILLER = " Nothing of note was said about it at all here. "


def test_a_duplicated_quote_goes_to_the_copy_nearest_its_old_place():
    text = SAME + FILLER * 10 + SAME + FILLER * 10  # two copies with the same words around them
    first, second = 0, len(SAME + FILLER * 10)
    targets = {"a": (first, first + len(SAME)), "b": (second, second + len(SAME))}
    assert _place(text, SAME, second, text, targets)[0] == "b"
    assert _place(text, SAME, first, text, targets)[0] == "a"
    shifted = "An opening line added later. " + text  # both copies move: still the nearer one
    moved = {k: (s + 29, e + 29) for k, (s, e) in targets.items()}
    assert _place(text, SAME, second, shifted, moved)[0] == "b"


def test_a_same_id_whose_quote_changed_is_not_taken_on_its_id():
    """A claim id kept while its evidence changed (ids follow the quote, but a rule change or an
    edit can reuse one): the decision follows its quote, not the id."""
    other = "The president stressed that sanctions hurt trade."
    text = other + FILLER + SAME
    at = len(other + FILLER)
    key, how = _place(text, SAME, at, text, {"c1": (0, len(other)), "c2": (at, at + len(SAME))}, claim_id="c1")
    assert (key, how) == ("c2", "same quote")


def test_a_near_miss_with_other_surroundings_is_orphaned_not_forced():
    """The words are close (a ratio over 80) but neither what came before nor after matches and
    the place is far off: the decision must stay an orphan rather than land on a stranger."""
    old = "Intro about the summit in Tashkent. " * 3 + SAME + " Then the delegates left for dinner."
    new_sentence = "The minister said the talks went badly."
    new = "Quite another report on trade quotas. " * 30 + new_sentence + " A note on currency swaps follows."
    start = new.index(new_sentence)
    key, how = _place(old, SAME, old.index(SAME), new, {"x": (start, start + len(new_sentence))})
    assert key is None and "no longer in the document" in how
    # the same words with their surroundings kept are found (fuzzily): the threshold is not everything
    kept = old.replace(SAME, new_sentence)
    s = kept.index(new_sentence)
    assert _place(old, SAME, old.index(SAME), kept, {"x": (s, s + len(new_sentence))})[0] == "x"


def test_an_all_but_verbatim_quote_is_found_when_everything_around_it_was_rewritten():
    """A typo mended in the quote, and the sentences before and after it replaced (a case hypothesis
    found in test_properties): the one quote within a character of the old one is the evidence,
    and with two such quotes the decision stays an orphan rather than guess."""
    old = "The envoy arrived in the capital. " + SAME + " Delegates then left for dinner."
    mended = SAME.replace("minister", "ministre")
    new = "aaaaaaaaaaaaaaaaaaaaaaaaaa. " + mended + " bbbbbbbbbbbbbbbbbbbbbbb."
    s = new.index(mended)
    key, how = _place(old, SAME, old.index(SAME), new, {"x": (s, s + len(mended)), "y": (0, 27)})
    assert (key, how) == ("x", "fuzzy match (the quote, its surroundings changed)")
    twice = new + " " + mended
    t = twice.rindex(mended)
    key, _ = _place(old, SAME, old.index(SAME), twice, {"x": (s, s + len(mended)), "z": (t, t + len(mended))})
    assert key is None                                                      # two as close: no guess
    far = "Quite another report. " * 40 + mended + " Unrelated closing words."
    f = far.index(mended)
    assert _place(old, SAME, old.index(SAME), far, {"x": (f, f + len(mended))})[0] == "x"


def test_conflicts_are_claims_on_which_reviewers_decisions_in_force_differ(tmp_path):
    """Two reviewers disagree on c1 (accept, reject) and on c3 (the same action, other values);
    they agree on c2; on c4 the second reviewer took his decision back; on c5 one reviewer changed
    her own mind; corrections of a mention's link are not claims."""
    from dataclasses import replace

    from pipeline.curation import append_decision, conflicts, new_decision

    text = "Kazakhstan supported the territorial integrity of Ukraine. Tokayev did not comment."
    clock = iter(range(10, 60))

    def decide(action, claim, who, fields=None, reverts=None, target="claim"):
        d = new_decision("brief", action, target, claim, text, 0, 57, fields, reverts=reverts, reviewer=who)
        d = replace(d, decided_at=f"2026-12-02T10:00:{next(clock)}+00:00")  # one a second, in this order
        append_decision(tmp_path, d)
        return d

    ann_c1, bob_c1 = decide("accept", "c1", "Ann"), decide("reject", "c1", "Bob")
    decide("accept", "c2", "Ann"), decide("accept", "c2", "Bob")
    decide("edit", "c3", "Ann", {"stance": "supports"}), decide("edit", "c3", "Bob", {"stance": "opposes"})
    decide("accept", "c4", "Ann")
    decide("revert", "c4", "Bob", reverts=decide("reject", "c4", "Bob").id)
    decide("accept", "c5", "Ann"), decide("reject", "c5", "Ann")
    decide("link", None, "Ann", {"actor_id": "kz-tokayev"}, target="mention")
    decide("link", None, "Bob", {"actor_id": "kz-smailov"}, target="mention")

    found = conflicts(tmp_path)
    assert [(c.doc_id, c.claim_id) for c in found] == [("brief", "c1"), ("brief", "c3")]
    assert [d.id for d in found[0].decisions] == [ann_c1.id, bob_c1.id]  # in the order they were made


# --- an edit that moves a claim's evidence (moved_evidence), on a document written for the test ------

MOVED = "The minister said the talks would go on."
P1 = MOVED + " Others disagreed."           # the words at the start of the first paragraph
P2 = "Later that day. " + MOVED               # ... and at the end of the second
P3 = "Nothing here."


def _moved(fields: dict):
    """The claim c1 (on P3) after an edit moving its evidence as `fields` say."""
    from pipeline.curation import moved_evidence, new_decision
    from pipeline.records import Claim, DocumentResult, DocumentSpec, Paragraph

    text = P1 + "\n\n" + P2 + "\n\n" + P3
    starts = (0, len(P1) + 2, len(P1) + 2 + len(P2) + 2)
    paras = tuple(Paragraph(f"p{n + 1}", "d", n + 1, "paragraph", s, s + len(t), t)
                  for n, (s, t) in enumerate(zip(starts, (P1, P2, P3))))
    claim = Claim("c1", "d", "p3", 0, len(P3), P3, P3, "A. Minister", None, None, None, None)
    result = DocumentResult(DocumentSpec("d", "news", Path("d.txt")), text, "ab" * 32, None, None, None, None, paras,
                            (), (), (claim,))
    d = new_decision("d", "edit", "claim", "c1", text, starts[2], starts[2] + len(P3), fields)
    return moved_evidence(claim, d, result)


def test_moved_evidence_goes_to_the_copy_at_its_recorded_place():
    second = len(P1) + 2 + len("Later that day. ")  # the second copy, in the document's text
    moved = _moved({"evidence": MOVED, "evidence_start": second, "evidence_end": second + len(MOVED)})
    assert (moved.paragraph_id, moved.start, moved.end, moved.quote) == ("p2", 16, 16 + len(MOVED), MOVED)
    assert moved.text == MOVED and moved.speaker == "A. Minister"  # the claim's other values kept
    first = _moved({"evidence": MOVED, "evidence_start": 0, "evidence_end": len(MOVED)})
    assert (first.paragraph_id, first.start, first.end) == ("p1", 0, len(MOVED))  # a paragraph's first words


def test_moved_evidence_without_a_recorded_place_takes_the_first_copy():
    """A decision line written by hand may give the new evidence alone."""
    moved = _moved({"evidence": MOVED})
    assert (moved.paragraph_id, moved.start, moved.end) == ("p1", 0, len(MOVED))


def test_moved_evidence_across_two_paragraphs_is_gone():
    """Evidence is one paragraph's words: a span over a paragraph break places nothing."""
    across = "Others disagreed.\n\nLater that day."
    assert _moved({"evidence": across, "evidence_start": len(MOVED) + 1}) is None


def test_moved_evidence_keeps_a_text_the_edit_gave():
    moved = _moved({"evidence": MOVED, "evidence_start": 0, "text": "The talks go on."})
    assert moved.text == P3  # the claim's text as it was: the edit's own is set after this, with its other values


def test_edits_with_the_same_values_agree_in_any_order_and_whatever_speaker_id_they_carry(tmp_path):
    """Two reviewers' edits are the same outcome when their values are: the order the values were
    given in does not matter, nor the speaker id one of them had resolved for the same speaker."""
    from dataclasses import replace

    from pipeline.curation import append_decision, conflicts, new_decision

    text = "Kazakhstan supported the territorial integrity of Ukraine. Tokayev did not comment."
    clock = iter(range(10, 60))

    def edit(claim, who, fields):
        d = new_decision("brief", "edit", "claim", claim, text, 0, 57, fields, reviewer=who)
        append_decision(tmp_path, replace(d, decided_at=f"2026-12-02T10:00:{next(clock)}+00:00"))

    edit("c1", "Ann", {"stance": "supports", "confirmation": "unconfirmed"})
    edit("c1", "Bob", {"confirmation": "unconfirmed", "stance": "supports"})
    edit("c2", "Ann", {"speaker": "Tokayev", "speaker_id": "kz-tokayev"})
    edit("c2", "Bob", {"speaker": "Tokayev"})
    assert conflicts(tmp_path) == []
    edit("c2", "Bob", {"speaker": "Smailov"})  # now they differ
    assert [c.claim_id for c in conflicts(tmp_path)] == ["c2"]


def test_an_ambiguous_speaker_lists_eight_of_the_people_it_could_be(tmp_path, run):
    """The people a reviewer added to the annotations' gazetteer count; nine namesakes are listed
    as eight, one "; " between them."""
    from pipeline.curation import CurationError
    from pipeline.curation.decide import check_speaker

    notes = tmp_path / "notes"
    for n in range(1, 10):
        added = run("actor", "add", "--id", f"kz-testov-{n}", "--name", f"Name{n} Testov", "--country", "KZ",
                    annotations=notes)
        assert added.exit_code == 0, added.output
    assert check_speaker("Name3 Testov", notes) == ("Name3 Testov", "kz-testov-3")
    with pytest.raises(CurationError) as several:
        check_speaker("Testov", notes)
    message = str(several.value)
    assert message.startswith("speaker='Testov' could be several people: Name")
    assert message.endswith("; give the full name or the id")
    listed = message.removeprefix("speaker='Testov' could be several people: ").removesuffix(
        "; give the full name or the id").split("; ")
    assert len(listed) == 8 and all(p.startswith("Name") and p.endswith(")") for p in listed)


def test_moving_evidence_records_its_selectors_and_the_claims_offsets_in_its_paragraph(env):
    """The decision line keeps the new words with the 32 characters before and after them and their
    place (the quote selector); the claim's start and end index its paragraph's text."""
    corpus, notes, cli, find, extract, claims = env
    claim = find(KAZ)
    words = "Kazakhstan supported the territorial integrity of Ukraine"
    assert cli("decide", claim["id"], "edit", "--evidence", words).exit_code == 0
    title = find(SANDU)  # another claim's evidence moved to the document's first line, 14 characters in
    assert cli("decide", title["id"], "edit", "--evidence", "Early Responses in the Neighbourhood").exit_code == 0

    lines = (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()
    lines = [json.loads(line) for line in lines]
    kaz, first = lines[0]["fields"], lines[1]["fields"]
    assert kaz["evidence"] == words
    assert kaz["evidence_prefix"] == "The Kazakh Foreign Ministry replied that "[-32:]
    assert kaz["evidence_suffix"] == ". Tokayev did not comment."  # fewer than 32: the document ends there
    assert kaz["evidence_end"] - kaz["evidence_start"] == len(words)
    assert (first["evidence_prefix"], first["evidence_start"]) == ("Policy Brief: ", 14)

    moved = [c for c in claims() if c["id"] == claim["id"]][0]
    para = json.loads(cli("query", f"SELECT text FROM paragraphs WHERE id = '{moved['paragraph_id']}'",
                          "--format", "json").output)[0]["text"]
    assert para.startswith("On 1 March, Dmytro Kuleba called")
    assert (moved["start"], moved["end"]) == (para.index(words), para.index(words) + len(words))


def test_refused_evidence_names_the_option(env):
    corpus, notes, cli, find, extract, claims = env
    claim = find(KAZ)["id"]
    across = cli("decide", claim, "edit", "--evidence", "bilateral issues.\n\nBelTA quoted")
    assert across.exit_code == 1
    assert "--evidence runs over two paragraphs; a claim's evidence lies inside one paragraph" in across.output
    missing = cli("decide", claim, "edit", "--evidence", "words the brief never uses")
    assert missing.exit_code == 1
    assert "--evidence 'words the brief never uses' is not in document 'brief'" in missing.output


def test_undo_takes_back_the_latest_of_two_links_and_records_who(env):
    corpus, notes, cli, find, extract, claims = env
    m = _mention_of(cli, "Tokayev")
    assert cli("link", m["id"], "Nazarbayev").exit_code == 0
    first = (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()
    assert cli("link", m["id"], "Kassym-Jomart Tokayev").exit_code == 0  # the same second, most likely
    lines = (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()
    lines = [json.loads(line) for line in lines]
    assert len(first) == 1 and len(lines) == 2
    r = cli("undo", m["id"], "--reviewer", "Ann")
    assert r.exit_code == 0, r.output
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-nazarbayev"  # the first link is in force again
    revert = json.loads((notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (revert["action"], revert["target"], revert["doc_id"], revert["reverts"], revert["reviewer"]) == (
        "revert", "mention", "brief", lines[1]["id"], "Ann")
    assert [p.name for p in (notes / "decisions").iterdir()] == ["brief.jsonl"]
    assert cli("undo", m["id"]).exit_code == 0  # ... and then the first
    none_left = cli("undo", m["id"])
    assert none_left.exit_code == 1
    assert f"no link decision on mention {m['id']!r} to undo (in {notes / 'decisions'})" in none_left.output


def test_review_conflicts_lists_each_reviewers_decision_in_force_and_marks_the_applied_one(tmp_path):
    """`claimtrace review --conflicts`: per claim, each reviewer's decision in force in the order
    they were made (values without the resolved speaker id, a tab shown as \\t, a backslash as
    itself), the last one marked as applied; a decision with no reviewer's name says so."""
    import io
    from dataclasses import replace

    from pipeline.curation import append_decision, new_decision
    from pipeline.curation.review import list_conflicts

    text = "Kazakhstan supported the territorial integrity of Ukraine. Tokayev did not comment."
    out = io.StringIO()
    assert list_conflicts(tmp_path, out) == 0
    assert out.getvalue() == "no conflicting decisions\n"

    def decide(action, claim, who, second, fields=None):
        d = new_decision("brief", action, "claim", claim, text, 0, 57, fields, reviewer=who)
        append_decision(tmp_path, replace(d, decided_at=f"2026-12-02T10:00:{second}+00:00"))

    decide("accept", "c1", "Ann", 10)
    decide("reject", "c1", "Bob", 11)
    decide("edit", "c3", "Ann", 12, {"stance": "supports", "text": "Tab\there \\ kept"})
    decide("edit", "c3", None, 13, {"stance": "opposes", "speaker": "Tokayev", "speaker_id": "kz-tokayev"})
    out = io.StringIO()
    assert list_conflicts(tmp_path, out) == 0
    assert out.getvalue() == (
        "c1 in brief:\n"
        "    2026-12-02T10:00:10+00:00  Ann: accept\n"
        "    2026-12-02T10:00:11+00:00  Bob: reject  <- applied\n"
        "c3 in brief:\n"
        "    2026-12-02T10:00:12+00:00  Ann: edit stance=supports, text=Tab\\there \\ kept\n"
        "    2026-12-02T10:00:13+00:00  (no name): edit stance=opposes, speaker=Tokayev  <- applied\n"
        "2 claim(s) decided differently by two reviewers; decide again to settle one.\n"
    )


def test_an_added_claim_at_once_indexes_its_paragraph_and_has_its_documents_language(env):
    corpus, notes, cli, find, extract, claims = env
    assert cli("add", "--doc", "brief", "--quote", WEST).exit_code == 0
    added = find(WEST)  # before any extract
    para = json.loads(cli("query", f"SELECT text FROM paragraphs WHERE id = '{added['paragraph_id']}'",
                          "--format", "json").output)[0]["text"]
    assert para.startswith("BelTA quoted Alexander Lukashenko")
    assert (added["start"], added["end"], added["language"]) == (para.index(WEST), para.index(WEST) + len(WEST), "en")


def test_add_over_a_machine_claims_words_names_that_claim_but_takes_part_of_them(env):
    corpus, notes, cli, find, extract, claims = env
    az = find(AZ)["id"]
    again = cli("add", "--doc", "brief", "--quote", AZ)
    assert again.exit_code == 1
    assert (f"claim {az} has these words as its evidence already; change it with "
            f"`claimtrace decide {az} edit --set FIELD=VALUE`") in again.output
    part = cli("add", "--doc", "brief", "--quote", "The Azerbaijani presidential website")  # the same start only
    assert part.exit_code == 0, part.output
    missing = cli("add", "--doc", "brief", "--quote", "words the brief never uses")
    assert missing.exit_code == 1
    assert "--quote 'words the brief never uses' is not in document 'brief'" in missing.output


def _lines(notes):
    return [json.loads(line) for line in (notes / "decisions" / "brief.jsonl").read_text(encoding="utf-8").splitlines()]


def test_link_records_its_reviewer_and_marks_the_mention_curated_at_once(env, tmp_path):
    from pipeline.curation import CurationError
    from pipeline.curation.decide import link_mention

    corpus, notes, cli, find, extract, claims = env
    db = tmp_path / "claims.db"
    m = _mention_of(cli, "Tokayev")
    link_mention(db, notes, m["id"], "Nazarbayev", reviewer="Ann")
    line = _lines(notes)[-1]
    assert (line["action"], line["target"], line["reviewer"], line["fields"]["actor_id"]) == (
        "link", "mention", "Ann", "kz-nazarbayev")
    reason = json.loads(cli("query", f"SELECT reason FROM mentions WHERE id = '{m['id']}'", "--format", "json").output)
    assert reason == [{"reason": "curated"}]
    with pytest.raises(CurationError) as missing:
        link_mention(db, notes, "no-such-mention", "Nazarbayev")
    assert str(missing.value).startswith("no mention 'no-such-mention'; list ids with `claimtrace query")


def test_link_finds_a_person_added_to_the_annotations_and_lists_eight_namesakes(env):
    corpus, notes, cli, find, extract, claims = env
    for n in range(1, 10):
        added = cli("actor", "add", "--id", f"kz-testov-{n}", "--name", f"Name{n} Testov", "--country", "KZ")
        assert added.exit_code == 0, added.output
    m = _mention_of(cli, "Tokayev")
    assert cli("link", m["id"], "Name3 Testov").exit_code == 0
    assert _mention_of(cli, "Tokayev")["actor_id"] == "kz-testov-3"
    several = cli("link", m["id"], "Testov")
    assert several.exit_code == 1 and "'Testov' could be several actors: Name" in several.output
    listed = several.output.split("could be several actors: ")[1].split("; give the full name")[0].split("; ")
    assert len(listed) == 8


def test_undo_of_a_claim_decision_records_who_and_says_when_none_is_left(env):
    corpus, notes, cli, find, extract, claims = env
    claim = find(KAZ)["id"]
    assert cli("decide", claim, "accept").exit_code == 0
    assert cli("undo", claim, "--reviewer", "Ann").exit_code == 0
    accepted, revert = _lines(notes)
    assert (revert["action"], revert["target"], revert["doc_id"], revert["claim_id"], revert["reverts"],
            revert["reviewer"]) == ("revert", "claim", "brief", claim, accepted["id"], "Ann")
    none_left = cli("undo", claim)
    assert none_left.exit_code == 1
    assert f"no decision on claim {claim!r} to undo (in {notes / 'decisions'})" in none_left.output


def test_an_added_claim_takes_every_value_its_decision_gives():
    from pipeline.claims.ids import claim_id
    from pipeline.curation import added_claim

    para = "Intro words. The minister said the talks would go on. End."
    quote = "The minister said the talks would go on."
    s = 13
    fields = {"text": "Talks go on.", "speaker": "A. Minister", "speaker_id": "kz-minister", "reported_by": "KZ",
              "source": "MFA", "date": "2022-03-01", "confirmation": "confirmed", "stance": "neutral",
              "cites_doc": "doc2", "citation_status": "verified"}
    c = added_claim("d", "d-p1", para, s, s + len(quote), fields, "Ann", "en")
    assert (c.id, c.doc_id, c.paragraph_id, c.start, c.end, c.quote) == (
        claim_id("d", quote), "d", "d-p1", 13, 53, quote)  # ids follow the machine's rule
    assert (c.text, c.speaker, c.speaker_id, c.reported_by, c.source, c.date, c.date_basis) == (
        "Talks go on.", "A. Minister", "kz-minister", "KZ", "MFA", "2022-03-01", "reviewer")
    assert (c.confirmation, c.stance, c.cites_doc, c.citation_status) == ("confirmed", "neutral", "doc2", "verified")
    assert (c.cue, c.status, c.reviewer, c.language, c.origin) == (
        "added by a reviewer", "accepted", "Ann", "en", "reviewer")
    bare = added_claim("d", "d-p1", para, s, s + len(quote), {}, None)
    assert (bare.text, bare.date, bare.date_basis, bare.speaker, bare.stance, bare.language) == (
        quote, None, None, None, None, None)


def test_an_added_actor_is_appended_to_the_annotations_gazetteer_as_written(tmp_path):
    """The lines `actor add` appends, written out by hand: aliases kept as written (Cyrillic too),
    a role with an end date and one without; a second actor goes after the first."""
    from pipeline.curation.decide import add_actor
    from pipeline.knowledge import load_knowledge

    notes = tmp_path / "notes"
    notes.mkdir()
    add_actor(notes, "kz-test-one", "Akan Testone", "person", "KZ", ["A. Testone", "Акан Тестон"],
              ["deputy_foreign_minister:2021-01-01:2022-06-30", "ambassador:2022-07-01"])
    add_actor(notes, "kz-test-two", "Bolat Testtwo", "person", None, [], [])
    assert (notes / "gazetteer.toml").read_text(encoding="utf-8") == (
        "# Gazetteer additions made during review.\n"
        "\n"
        "[[actor]]\n"
        'id = "kz-test-one"\n'
        'name = "Akan Testone"\n'
        'type = "person"\n'
        'country = "KZ"\n'
        'aliases = ["A. Testone", "Акан Тестон"]\n'
        'roles = [{ role = "deputy_foreign_minister", from = "2021-01-01", to = "2022-06-30" }, '
        '{ role = "ambassador", from = "2022-07-01" }]\n'
        'source = "added during review"\n'
        "\n"
        "[[actor]]\n"
        'id = "kz-test-two"\n'
        'name = "Bolat Testtwo"\n'
        'type = "person"\n'
        'source = "added during review"\n'
    )
    assert load_knowledge(notes).find_person("Акан Тестон").id == "kz-test-one"  # and the file reads back
    from pipeline.curation import CurationError

    with pytest.raises(CurationError, match=r"^--role 'ambassador:March 2022': write ROLE:FROM\[:TO\]"):
        add_actor(notes, "kz-test-three", "C. Testthree", "person", None, [], ["ambassador:March 2022"])


def test_a_link_decision_gives_the_mention_its_actor_country_and_reason_at_every_extract(env):
    corpus, notes, cli, find, extract, claims = env
    m = _mention_of(cli, "Tokayev")
    assert cli("link", m["id"], "Nazarbayev").exit_code == 0
    for _ in range(2):
        assert cli("extract", "--processes", "1", "--force").exit_code == 0
        (row,) = json.loads(cli("query", "SELECT actor_id, actor, country, reason FROM mentions WHERE text = 'Tokayev'",
                                "--format", "json").output)
        assert row == {"actor_id": "kz-nazarbayev", "actor": "Nursultan Nazarbayev", "country": "KZ",
                       "reason": f"curated ({notes / 'decisions' / 'brief.jsonl'}:1)"}


def test_an_added_claim_is_decided_on_in_the_same_pass_after_other_decisions(env):
    """extract applies the decisions in order: one on a machine claim first (which builds the index of
    the claims' places), then the added claim, then an edit and an acceptance of the added claim,
    which must find it in that index and at its place in the list."""
    corpus, notes, cli, find, extract, claims = env
    assert cli("decide", find(SANDU)["id"], "accept").exit_code == 0
    new_id = cli("add", "--doc", "brief", "--quote", WEST).output.split()[1].rstrip(":")
    assert cli("decide", new_id, "edit", "--set", "stance=opposes").exit_code == 0
    assert cli("decide", find(KULEBA)["id"], "reject").exit_code == 0
    for _ in range(2):
        result = cli("extract", "--processes", "1", "--force")
        assert result.exit_code == 0 and " 0 orphaned decisions" in result.output, result.output
        added = find(WEST)
        assert (added["id"], added["status"], added["stance"]) == (new_id, "edited", "opposes")
        assert (find(SANDU)["status"], find(KULEBA)["status"]) == ("accepted", "rejected")
        assert [c["id"] for c in claims()].count(new_id) == 1


def test_an_added_claim_whose_words_open_a_paragraph_is_placed_and_one_whose_words_left_says_so(env):
    corpus, notes, cli, find, extract, claims = env
    opening = "Written for the claimtrace test suite in our own words."
    assert cli("add", "--doc", "brief", "--quote", opening).exit_code == 0
    west = cli("add", "--doc", "brief", "--quote", WEST).output.split()[1].rstrip(":")
    edit_doc(corpus, lambda t: t.replace(WEST, ""))
    result = extract()
    assert "1 orphaned decisions" in result.output, result.output
    assert find(opening)["start"] == 0                                   # the first words of its paragraph
    orphans = cli("review", "--orphans").output
    assert (f"brief.jsonl:2: add {west} in brief: the quoted evidence of the added claim is no longer "
            "in the document") in orphans


def test_a_decisions_file_that_cannot_be_read_stops_no_other_and_a_line_without_doc_takes_the_files_name(tmp_path):
    """(issue 25, from a surviving mutant: `continue` -> `break` lost every later file's decisions.)
    a.jsonl cannot be read (here a folder of that name); b.jsonl's decisions still count, and its
    line that names no document is about the document the file is named after."""
    import json

    from pipeline.curation import append_decision, new_decision
    from pipeline.curation.decisions import decisions_dir, load_decisions

    folder = decisions_dir(tmp_path)
    (folder / "a.jsonl").mkdir(parents=True)
    d = new_decision("b", "accept", "claim", "c1", "Tokayev said so.", 0, 16)
    append_decision(tmp_path, d)
    assert (folder / "b.jsonl").exists()
    line = d.to_json()
    line.pop("doc_id")
    line["id"] = "d-no-doc"
    with open(folder / "b.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
    decisions, problems = load_decisions(tmp_path)
    assert [(x.id, x.doc_id) for x in decisions] == [(d.id, "b"), ("d-no-doc", "b")]
    assert [(p.file, p.line) for p in problems] == [(str(folder / "a.jsonl"), 0)]
    assert "cannot be read" in problems[0].message


def test_apply_records_the_reviewer_sets_a_reviewers_date_basis_and_orphans_a_missing_documents_decisions(tmp_path):
    """(issue 25, from curation's surviving mutants) An accepted claim names who accepted it; a date a
    reviewer sets has the basis 'reviewer' and one emptied has none; a decision about a document the
    corpus no longer has is an orphan that keeps the decision and says why, never dropped."""
    from pipeline.curation import append_decision, apply, new_decision
    from pipeline.records import Claim, DocumentResult, DocumentSpec, Paragraph

    text = P1 + "\n\n" + P3
    paras = (Paragraph("p1", "d", 1, "paragraph", 0, len(P1), P1),
             Paragraph("p2", "d", 2, "paragraph", len(P1) + 2, len(text), P3))
    c1 = Claim("c1", "d", "p1", 0, len(MOVED), MOVED, MOVED, "A. Minister", None, "KZ", None, "2022-03-01",
               date_basis="document")
    c2 = Claim("c2", "d", "p2", 0, len(P3), P3, P3, None, None, "KZ", None, "2022-03-01", date_basis="document")
    result = DocumentResult(DocumentSpec("d", "news", Path("d.txt")), text, "ab" * 32, None, None, None, None, paras,
                            (), (), (c1, c2))
    at2 = len(P1) + 2
    accept = new_decision("d", "accept", "claim", "c1", text, 0, len(MOVED), reviewer="Ann")
    dated = new_decision("d", "edit", "claim", "c1", text, 0, len(MOVED), {"date": "2022-02-24"}, reviewer="Bob")
    undated = new_decision("d", "edit", "claim", "c2", text, at2, at2 + len(P3), {"date": None}, reviewer="Bob")
    gone = new_decision("gone", "reject", "claim", "c9", "Some words of a removed page.", 0, 10, reviewer="Ann")
    for d in (accept, dated, undated, gone):
        append_decision(tmp_path, d)
    applied = apply([result], tmp_path)
    by_id = {c.id: c for c in applied.claims}
    assert (by_id["c1"].status, by_id["c1"].reviewer, by_id["c1"].date, by_id["c1"].date_basis) == (
        "edited", "Bob", "2022-02-24", "reviewer")
    assert (by_id["c2"].date, by_id["c2"].date_basis, by_id["c2"].reviewer) == (None, None, "Bob")
    assert [(o.decision.id, o.reason) for o in applied.orphans] == [
        (gone.id, "document 'gone' is not in this corpus (or failed)")]


@pytest.mark.parametrize("line, message", [
    ({"action": "accept", "doc_id": "d", "claim_id": "c1"},
     "selector.exact (the quoted evidence) is missing"),
    ({"action": "accept", "doc_id": "d", "target": "sentence", "selector": {"exact": "w"}},
     "target 'sentence' is not claim or mention"),
    ({"action": "edit", "doc_id": "d", "selector": {"exact": "w"}, "fields": {"colour": "red", "mood": "x"}},
     "unknown field(s) colour, mood; editable: speaker, reported_by, date, source, text, confirmation, stance, "
     "cites_doc, citation_status"),
])
def test_a_decision_line_of_the_wrong_shape_is_its_lines_problem_with_the_reason(tmp_path, line, message):
    """(issue 25, from curation's surviving mutants) The reason names what is wrong; a revert line
    needs no quoted evidence and is read."""
    import json

    from pipeline.curation.decisions import decisions_dir, load_decisions

    folder = decisions_dir(tmp_path)
    folder.mkdir(parents=True)
    revert = {"action": "revert", "doc_id": "d", "id": "d-revert", "reverts": "d-earlier"}
    (folder / "d.jsonl").write_text(json.dumps(line) + "\n" + json.dumps(revert) + "\n", encoding="utf-8")
    decisions, problems = load_decisions(tmp_path)
    assert [d.id for d in decisions] == ["d-revert"]
    assert [(p.line, p.message) for p in problems] == [(1, f"{message}; the line is kept as it is and skipped")]
