"""tests/mutation.py's bookkeeping around mutmut (make mutation): the copies mutmut would leave
stale and the mutants --again names. mutmut itself is not run here."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutation  # noqa: E402  (tests/mutation.py, a script beside the tests)


def test_knowledge_changed_since_mutmuts_copy_is_copied_again(tmp_path):
    knowledge = tmp_path / "mutants" / "pipeline" / "knowledge"
    knowledge.mkdir(parents=True)
    source = mutation.REPO / "pipeline" / "knowledge" / "dates.toml"
    (knowledge / "dates.toml").write_text("# an old copy\n", encoding="utf-8")
    copied = mutation.refresh(tmp_path)
    assert "pipeline/knowledge/dates.toml" in copied
    assert (knowledge / "dates.toml").read_bytes() == source.read_bytes()
    assert not any(path.endswith(".py") for path in copied)
    assert mutation.refresh(tmp_path) == []                      # nothing left to copy


def test_a_source_changed_since_the_last_run_has_its_mutants_made_again(tmp_path):
    module = {"mutate": ["pipeline/curation/anchoring.py"]}
    copy = tmp_path / "mutants" / "pipeline" / "curation" / "anchoring.py"
    copy.parent.mkdir(parents=True)
    copy.write_text("# mutants of some older anchoring.py\n", encoding="utf-8")
    assert mutation.stale_mutants(tmp_path, module) == ["pipeline/curation/anchoring.py"]   # no record yet
    assert not copy.exists()
    copy.write_text("# mutants made again by mutmut\n", encoding="utf-8")
    assert mutation.stale_mutants(tmp_path, module) == []        # the recorded hash is the source's
    assert copy.exists()
    recorded = json.loads((tmp_path / "sources.json").read_text(encoding="utf-8"))
    recorded["pipeline/curation/anchoring.py"] = "0" * 64        # the source changed since
    (tmp_path / "sources.json").write_text(json.dumps(recorded), encoding="utf-8")
    assert mutation.stale_mutants(tmp_path, module) == ["pipeline/curation/anchoring.py"]


def test_again_names_the_mutants_not_killed(tmp_path):
    meta = tmp_path / "mutants" / "pipeline" / "x.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {"pipeline.x.x_f__mutmut_1": 1, "pipeline.x.x_f__mutmut_2": 0, "pipeline.x.x_f__mutmut_3": None,
             "pipeline.x.x_f__mutmut_4": 36, "pipeline.x.x_f__mutmut_5": 33, "pipeline.x.x_f__mutmut_6": 3}
    meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    assert mutation.unfinished(tmp_path) == ["pipeline.x.x_f__mutmut_2", "pipeline.x.x_f__mutmut_4",
                                             "pipeline.x.x_f__mutmut_5"]   # not run (3): a plain run goes on


def _metas(folder, codes_by_file):
    for name, codes in codes_by_file.items():
        meta = folder / "mutants" / "pipeline" / f"{name}.py.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")


def test_a_sample_is_drawn_uniformly_the_same_each_time_and_kept_for_the_summary(tmp_path):
    names = {f"pipeline.{f}.x_g__mutmut_{i}": None for f in "ab" for i in range(1, 101)}
    _metas(tmp_path, {"a": {k: v for k, v in names.items() if ".a." in k},
                      "b": {k: v for k, v in names.items() if ".b." in k}})
    first = mutation.draw(tmp_path, 40, seed=7)
    assert len(first) == len(set(first)) == 40 and set(first) <= set(names)
    assert mutation.draw(tmp_path, 40, seed=7) == first                  # the same code draws the same
    assert mutation.draw(tmp_path, 40, seed=8) != first
    assert 8 <= sum(".a." in k for k in first) <= 32                     # from both files, not the first
    assert mutation.drawn(tmp_path) != first                            # the last draw is kept
    mutation.draw(tmp_path, 40, seed=7)
    assert mutation.drawn(tmp_path) == first
    assert len(mutation.draw(tmp_path, 500, seed=7)) == 200              # never more than there are


def test_the_summary_of_a_sampled_module_counts_the_sample_only_with_its_interval(tmp_path, monkeypatch):
    folder = tmp_path / "claims"
    codes = {f"pipeline.c.x_f__mutmut_{i}": 1 for i in range(1, 51)}  # 50 killed ...
    codes.update({f"pipeline.c.x_f__mutmut_{i}": 0 for i in range(51, 61)})  # ... 10 survived
    codes.update({f"pipeline.c.x_f__mutmut_{i}": None for i in range(61, 1001)})  # 940 never run
    _metas(folder, {"c": codes})
    (folder / "sample.json").write_text(json.dumps({"seed": 3, "names": sorted(k for k, v in codes.items() if v is not None)}))
    monkeypatch.setattr(mutation, "OUT", tmp_path)
    monkeypatch.setattr(mutation, "modules", lambda: {"claims": {"mutate": []}})
    text = mutation.summary(["claims"])
    assert "| claims | 60 | 50 | 10 | 0 | 0 | 0 | 83 |" in text
    assert "a uniform random sample of 60 of its 1000 mutants (seed 3)" in text
    assert "72-91% (95% interval);" in text
    codes["pipeline.c.x_f__mutmut_61"] = None                            # one of the sample not run yet
    (folder / "sample.json").write_text(json.dumps({"names": sorted(k for k, v in codes.items() if v is not None)
                                                    + ["pipeline.c.x_f__mutmut_61"]}))
    assert "run was stopped with 1 of the sample not run" in mutation.summary(["claims"])


def test_the_wilson_interval():
    low, high = mutation.wilson(50, 60)
    assert (round(low, 3), round(high, 3)) == (0.720, 0.907)   # p = 0.833, n = 60 (by hand: centre 0.813, half 0.093)
    assert mutation.wilson(0, 0) == (0.0, 1.0)
    low, high = mutation.wilson(10, 10)
    assert high == 1.0 and 0.72 < low < 0.73                     # all killed: the interval is not [1, 1]


def _without_mutmut(monkeypatch, repo, folder, status):
    """run() on `folder` with mutmut's side stubbed: its mutants and their statuses are `status`."""
    monkeypatch.setattr(mutation, "REPO", repo)
    monkeypatch.setattr(mutation, "prepare", lambda name, module: folder)
    monkeypatch.setattr(mutation, "refresh", lambda folder: [])
    monkeypatch.setattr(mutation, "stale_mutants", lambda folder, module: [])
    monkeypatch.setattr(mutation, "stale_stats", lambda folder: False)
    monkeypatch.setattr(mutation, "make_mutants", lambda folder, mutmut, env, module: None)
    monkeypatch.setattr(mutation, "mutants", lambda folder: [(k, s, None) for k, s in status.items()])


def test_a_samples_mutants_whose_results_mutmut_forgot_are_run_in_a_second_pass(tmp_path, monkeypatch):
    """The sample is drawn while some of its mutants still hold results of a run with another list of
    tests; mutmut forgets those when it starts, so they are named to it again once the first pass ends."""
    names = [f"pipeline.c.x_f__mutmut_{i}" for i in range(1, 11)]
    status = {k: ("killed" if i < 4 else "not run") for i, k in enumerate(names)}   # 4 with old results
    calls = []

    def fake_call(folder, mutmut, env, chosen, workers, minutes, name):
        calls.append(list(chosen))
        if len(calls) == 1:                     # mutmut forgot the old results, ran what it was given
            status.update({k: "not run" for k in names[:4]})
        status.update({k: "killed" for k in chosen})
        return 0, False

    folder = tmp_path / "claims"
    folder.mkdir()
    _without_mutmut(monkeypatch, tmp_path, folder, status)
    monkeypatch.setattr(mutation, "call_mutmut", fake_call)
    mutation.run("claims", {"mutate": []}, None, size=10, seed=1)
    assert [sorted(c) for c in calls] == [sorted(names[4:]), sorted(names[:4])]
    assert set(status.values()) == {"killed"}


def test_again_goes_on_with_the_last_runs_sample(tmp_path, monkeypatch):
    """--again after a run given --seed takes that run's sample, not one drawn again with the module's
    seed; it names the sample's survivors and those whose results mutmut forgot, none outside it."""
    names = [f"pipeline.c.x_f__mutmut_{i}" for i in range(1, 21)]
    status = {k: "killed" for k in names}
    status.update({names[2]: "survived", names[5]: "not run", names[15]: "survived", names[16]: "not run"})
    calls = []
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "sample.json").write_text(json.dumps({"size": 10, "seed": 27, "names": names[:10]}))
    _without_mutmut(monkeypatch, tmp_path, folder, status)
    monkeypatch.setattr(mutation, "call_mutmut", lambda *args: (calls.append(sorted(args[3])), (0, False))[1])
    mutation.run("claims", {"mutate": [], "sample_size": 10, "seed": 25}, None, again=True)
    assert calls == [sorted([names[2], names[5]])]
    assert mutation.drawn(folder) == names[:10]                   # the sample is kept


def test_mutmuts_record_of_which_tests_call_what_is_dropped_when_code_or_tests_change(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation, "REPO", tmp_path)
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "tests").mkdir()
    code, test = tmp_path / "pipeline" / "stage.py", tmp_path / "tests" / "test_x.py"
    code.write_text("A = 1\n")
    test.write_text("def test(): pass\n")
    folder = tmp_path / "build"
    stats = folder / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir(parents=True)
    stats.write_text("{}")
    assert mutation.stale_stats(folder) and not stats.exists()       # no record of the inputs yet
    stats.write_text("{}")
    assert not mutation.stale_stats(folder) and stats.exists()       # nothing changed
    code.write_text("A = 2\n")                                       # a file mutmut does not mutate
    assert mutation.stale_stats(folder) and not stats.exists()
    stats.write_text("{}")
    test.write_text("def test(): assert True\n")                     # a test changed, not renamed
    assert mutation.stale_stats(folder) and not stats.exists()


def test_the_mutants_are_made_again_before_a_sample_when_a_source_changed(tmp_path, monkeypatch):
    """A changed source's mutated copy is removed (stale_mutants); its old results stay in the .meta
    files, so the sample must not be drawn until mutmut has made the copy again."""
    module = {"mutate": ["pipeline/claims/ids.py"]}
    copy = tmp_path / "mutants" / "pipeline" / "claims" / "ids.py"
    copy.parent.mkdir(parents=True)
    (tmp_path / "mutants" / "pipeline" / "claims" / "other.py.meta").write_text("{}", encoding="utf-8")
    made = []

    def fake_mutmut(args, **kw):
        made.append(args)
        copy.write_text("# mutants made again\n", encoding="utf-8")
        (copy.parent / "ids.py.meta").write_text("{}", encoding="utf-8")

    monkeypatch.setattr(mutation.subprocess, "run", fake_mutmut)
    mutation.make_mutants(tmp_path, Path("mutmut"), {}, module)   # the copy is missing: made again
    assert len(made) == 1 and made[0][:2] == ["mutmut", "run"]
    mutation.make_mutants(tmp_path, Path("mutmut"), {}, module)   # all there: nothing to make
    assert len(made) == 1


def test_a_samples_mutants_with_results_from_earlier_tests_are_run_again(tmp_path, monkeypatch):
    """mutmut keeps a mutant's result while its function is unchanged, whatever the tests became: a
    survivor of seed 30 with a test written for it since stayed 'survived' in seed 31's sample. When
    the package or the tests changed (stale_stats), every mutant of the sample is run."""
    names = [f"pipeline.c.x_f__mutmut_{i}" for i in range(1, 11)]
    status = {k: ("survived" if i < 4 else "not run") for i, k in enumerate(names)}   # 4 kept from before
    calls = []

    def fake_call(folder, mutmut, env, chosen, workers, minutes, name):
        calls.append(sorted(chosen))
        status.update({k: "killed" for k in chosen})
        return 0, False

    folder = tmp_path / "claims"
    folder.mkdir()
    _without_mutmut(monkeypatch, tmp_path, folder, status)
    monkeypatch.setattr(mutation, "stale_stats", lambda folder: True)
    monkeypatch.setattr(mutation, "call_mutmut", fake_call)
    mutation.run("claims", {"mutate": []}, None, size=10, seed=1)
    assert calls[0] == sorted(names)
