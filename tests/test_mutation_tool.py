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
