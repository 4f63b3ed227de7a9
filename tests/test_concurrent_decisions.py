"""Many writers appending decisions to one document's file at once lose none of them (issue 11)."""

from multiprocessing import get_context
from pathlib import Path

from pipeline.curation import append_decision, load_decisions, new_decision

TEXT = "Test text written for claimtrace: the minister said the talks went well."


def _write_many(args) -> list[str]:
    folder, worker, count = args
    ids = []
    for n in range(count):
        d = new_decision("doc-a", "reject", "claim", f"c{worker}-{n}", TEXT, 0, 12)
        append_decision(Path(folder), d)
        ids.append(d.id)
    return ids


def test_concurrent_appends_keep_every_decision(tmp_path):
    with get_context("fork").Pool(8) as pool:
        written = [i for ids in pool.map(_write_many, [(str(tmp_path), w, 25) for w in range(8)]) for i in ids]
    decisions, problems = load_decisions(tmp_path)
    assert problems == []
    assert len(written) == 200
    assert sorted(d.id for d in decisions) == sorted(written)


def test_a_line_without_its_newline_is_closed_before_the_next(tmp_path):
    first = new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12)
    path = append_decision(tmp_path, first)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # an editor saved it without the final newline
    second = new_decision("doc-a", "accept", "claim", "c2", TEXT, 0, 12)
    append_decision(tmp_path, second)
    decisions, problems = load_decisions(tmp_path)
    assert problems == [] and [d.id for d in decisions] == [first.id, second.id]


def _add_actor(args):
    from pipeline.curation.decide import add_actor

    folder, n = args
    add_actor(Path(folder), f"test-person-{n}", f"Test Person {n}", "person", "KZ", [], [])


def test_concurrent_gazetteer_additions_keep_every_actor(tmp_path):
    import tomllib

    with get_context("fork").Pool(8) as pool:
        pool.map(_add_actor, [(str(tmp_path), n) for n in range(40)])
    actors = tomllib.loads((tmp_path / "gazetteer.toml").read_text(encoding="utf-8"))["actor"]
    assert sorted(a["id"] for a in actors) == sorted(f"test-person-{n}" for n in range(40))


def test_a_disk_that_fills_up_mid_line_leaves_no_half_decision(tmp_path, monkeypatch):
    """A fault-injecting writer: the disk takes part of the line, then is full (issue 23)."""
    import errno
    import os

    import pytest

    from pipeline.curation import CurationError

    first = new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12)
    path = append_decision(tmp_path, first)
    before = path.read_bytes()
    real_write, calls = os.write, []

    def full_disk(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:len(data) // 2]))  # a short write: half the line
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(CurationError, match="nothing was saved"):
        append_decision(tmp_path, new_decision("doc-a", "accept", "claim", "c2", TEXT, 0, 12))
    monkeypatch.setattr(os, "write", real_write)
    assert len(calls) == 2 and path.read_bytes() == before  # the half line was cut back
    third = new_decision("doc-a", "accept", "claim", "c3", TEXT, 0, 12)
    append_decision(tmp_path, third)
    decisions, problems = load_decisions(tmp_path)
    assert problems == [] and [d.id for d in decisions] == [first.id, third.id]


def test_short_writes_are_continued_until_the_line_is_whole(tmp_path, monkeypatch):
    import os

    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))  # 7 bytes at a time
    decision = new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12)
    append_decision(tmp_path, decision)
    monkeypatch.setattr(os, "write", real_write)
    decisions, problems = load_decisions(tmp_path)
    assert problems == [] and [d.id for d in decisions] == [decision.id]


def test_valid_json_of_the_wrong_shape_is_a_numbered_problem_not_a_crash(tmp_path):
    import json

    good = new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12)
    path = append_decision(tmp_path, good)
    base = json.loads(path.read_text(encoding="utf-8"))
    bad = [{**base, "selector": "x"}, {**base, "claim_id": ["x"]}, {**base, "fields": ["speaker"]},
           {**base, "decided_at": 5}, {**base, "selector": {**base["selector"], "start": "a"}},
           {**base, "fields": {"speaker": {"name": "x"}}}, {**base, "target": 3}]
    with path.open("a", encoding="utf-8") as fh:
        for line in bad:
            fh.write(json.dumps(line) + "\n")
    decisions, problems = load_decisions(tmp_path)
    assert [d.id for d in decisions] == [good.id]
    assert [p.line for p in problems] == list(range(2, 2 + len(bad)))
    assert all("must be" in p.message or "not claim" in p.message for p in problems)


def test_a_byte_order_mark_costs_no_decision(tmp_path):
    first = new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12)
    path = append_decision(tmp_path, first)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # saved by an editor that adds a BOM
    decisions, problems = load_decisions(tmp_path)
    assert problems == [] and [d.id for d in decisions] == [first.id]


def test_a_decisions_path_that_is_a_file_is_one_clear_error(tmp_path):
    import pytest

    from pipeline.curation import CurationError

    (tmp_path / "decisions").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(CurationError, match="must be a folder; nothing was saved"):
        append_decision(tmp_path, new_decision("doc-a", "reject", "claim", "c1", TEXT, 0, 12))


def test_a_reviewer_name_with_escape_codes_is_shown_not_obeyed(tmp_path):
    import io

    from pipeline.curation.review import list_conflicts

    for who, action in (("Ann", "accept"), ("\x1b[2J\x1b[31mEve", "reject")):
        d = new_decision("doc-a", action, "claim", "c1", TEXT, 0, 12, reviewer=who)
        append_decision(tmp_path, d)
    out = io.StringIO()
    list_conflicts(tmp_path, out)
    assert "\x1b" not in out.getvalue() and "\\x1b[2J" in out.getvalue()
