"""The events stage's rules one by one, on claims made up for the tests (issue 25: each test fails
when its rule is removed or loosened)."""

from pipeline.claims.events import group
from pipeline.records import Claim


def claim(cid: str, side: str, doc: str, content: tuple[str, ...], confirmation: str | None = None,
          participants: tuple[str, ...] = ("RU", "UZ")) -> Claim:
    return Claim(cid, doc, f"{doc}-p1", 0, 10, "quote", "text", None, None, side, None, "2022-02-25", kind="call",
                 participants=participants, content=content, confirmation=confirmation)


def flags(claims: list[Claim]) -> dict[str, tuple[bool, str | None]]:
    _, out = group(claims)
    return {c.id: (one_sided, c.confirmation) for c, one_sided in out}


def test_what_only_one_side_says_is_one_sided_and_unconfirmed():
    got = flags([claim("ru1", "RU", "kremlin", ("sanction", "trade")), claim("uz1", "UZ", "uzpress", ("trade", "sanction")),
                 claim("ru2", "RU", "kremlin", ("understanding", "operation"))])
    assert got == {"ru1": (False, "confirmed"), "uz1": (False, "confirmed"), "ru2": (True, "unconfirmed")}


def test_a_reviewers_confirmation_is_never_overwritten_by_the_machine():
    got = flags([claim("ru1", "RU", "kremlin", ("understanding",), confirmation="contradicted"),
                 claim("uz1", "UZ", "uzpress", ("trade",))])
    assert got["ru1"] == (True, "contradicted")  # one-sided, but the human's word stands


def test_an_event_with_one_sides_accounts_flags_nothing():
    """Two Kremlin documents about a call, no Uzbek account in the corpus: nothing to compare with."""
    got = flags([claim("ru1", "RU", "kremlin", ("sanction",)), claim("ru2", "RU", "tass", ("trade",))])
    assert got == {"ru1": (False, None), "ru2": (False, None)}


def test_one_shared_word_in_five_is_the_same_statement_one_in_ten_is_not():
    five = ("trade", "energy", "transit", "grain", "border")
    ten = five + ("water", "labour", "migration", "rail", "debt")
    agreeing = flags([claim("ru1", "RU", "kremlin", five), claim("uz1", "UZ", "uzpress", ("trade", "a", "b", "c", "d"))])
    assert agreeing["ru1"][0] is False and agreeing["uz1"][0] is False  # 1 word of 5 in common: enough
    apart = flags([claim("ru1", "RU", "kremlin", ten), claim("uz1", "UZ", "uzpress", ("trade",) + tuple(
        f"w{n}" for n in range(9)))])
    assert apart["ru1"][0] is True and apart["uz1"][0] is True  # 1 word of 10 in common: not the same


def test_a_statement_with_content_never_says_the_same_as_one_with_none():
    from pipeline.claims.events import same_proposition

    assert not same_proposition(claim("a", "RU", "k", ("trade",)), claim("b", "UZ", "u", ()))
    assert same_proposition(claim("a", "RU", "k", ()), claim("b", "UZ", "u", ()))  # both only report the call


def test_a_third_party_both_name_counts_twice_toward_the_fifth_they_must_share():
    from pipeline.claims.events import same_proposition

    def pair(n: int, shared: str):  # n content words each, one of them shared
        mine = (shared,) + tuple(f"ru{i}" for i in range(n - 1))
        theirs = (shared,) + tuple(f"uz{i}" for i in range(n - 1))
        return claim("a", "RU", "k", mine), claim("b", "UZ", "u", theirs)

    assert same_proposition(*pair(10, "@UA"))  # 2 of 10: a fifth
    assert not same_proposition(*pair(11, "@UA"))  # 2 of 11: less
    assert not same_proposition(*pair(10, "grain"))  # an ordinary word counts once: 1 of 10
