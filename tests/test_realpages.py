"""The real-pages sets (issue 20) hold what may be committed and nothing else: url, query, gold,
checksums; the third-party texts stay out of the repository. Their scores come from
`make realpages` where the texts have been rebuilt (CI does not have them)."""

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from pipeline.ingest.corpus import load_manifest

ROOT = Path(__file__).parent / "realpages"


@pytest.mark.parametrize("half", ["dev", "dev2", "sealed", "sealed2", "ru-dev", "ru-sealed", "sealed3", "dev3", "dev4",
                                  "dev5", "dev6", "dev7", "ru-dev2", "ru-dev3", "ru-dev4"])
def test_a_set_is_gold_manifest_sources_and_checksums(half):
    folder = ROOT / half
    specs = load_manifest(folder / "manifest.toml")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    ids = {s.id for s in specs}
    assert ids == {d["id"] for d in gold["documents"]}
    assert all(s.url and s.path.parent == folder / "corpus" for s in specs)
    sums = (folder / "corpus.sha256").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split()[1] for line in sums) == sorted(f"corpus/{s.path.name}" for s in specs)
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {i} |" in sources for i in ids)
    for c in gold["claims"]:
        assert c["doc"] in ids and 4 <= len(c["anchor"].split()) <= 16
        assert c["reported_by"] is None or re.fullmatch(r"[A-Z]{2}", c["reported_by"])
        for d in [c["date"], *c.get("alt_dates", [])]:
            assert d is None or dt.date.fromisoformat(d if len(d) == 10 else d + "-01")


def test_no_page_text_is_tracked():
    tracked = subprocess.run(["git", "ls-files", "tests/realpages"], capture_output=True, text=True,
                             cwd=ROOT.parent.parent).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [t for t in tracked if "/corpus/" in t]
