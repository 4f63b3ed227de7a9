"""The bench's reporting (pipeline/bench.py): what it takes as the measure of a repeated step. The
timings below are made up for the test; the bench itself is run by `make bench`, never timed here."""

from pipeline.bench import IncrementalResult, Timed, _best


def test_a_repeated_step_counts_its_least_disturbed_turn():
    assert _best(Timed(21.0, 300_000), Timed(19.5, 310_000)) == Timed(19.5, 310_000)
    assert _best(Timed(19.5, 300_000), Timed(21.0, 310_000)) == Timed(19.5, 300_000)


def test_the_report_says_how_many_turns_and_gives_ratios_against_bare_spacy():
    step = Timed(1.0, 100 * 1024)
    result = IncrementalResult(300, 1, 20.0, Timed(16.0, 300 * 1024), step, step, step, repeat=3)
    lines = result.lines()
    assert lines[0].endswith("full runs and bare spaCy: best of 3 turns each")
    assert "the full run is 0.80 x that" in lines[1]
    assert "1.25 bare/this" in lines[2] and "0.062 of the full run" in lines[4]
    assert "best of" not in IncrementalResult(300, 1, 20.0, step, step, step, step).lines()[0]
