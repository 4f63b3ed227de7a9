"""What may stand as a side: an ISO 3166-1 alpha-2 country code, or one of the bodies analysts
treat as a side of their own. One check for every place a side enters (the manifest, `decide`,
`actor add`), so that each refuses the same values with the same hint."""

from __future__ import annotations

#: international bodies that speak as a side of their own (their statements are their own account)
NAMED_BODIES = {"EU": "European Union", "UN": "United Nations", "NATO": "North Atlantic Treaty Organization",
                "CSTO": "Collective Security Treaty Organization"}


def side_code(value) -> str:
    """The side a value names, upper-cased ('uz' -> 'UZ', 'nato' -> 'NATO'); ValueError with the
    reason and a hint otherwise ('Uzbekistan' -> 'Uzbekistan is UZ')."""
    import pycountry

    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be an ISO 3166-1 alpha-2 code such as 'RU'")
    code = value.strip().upper()
    if code in NAMED_BODIES or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None):
        return code
    hint = ""
    if len(value.strip()) > 3:  # a name ("Uzbekistan"), not a mistyped code: "QQ" has no country to suggest
        try:
            guess = pycountry.countries.search_fuzzy(value)[0]
            hint = f" ({guess.name} is {guess.alpha_2})"
        except LookupError:
            pass
    raise ValueError(f"is not a country code{hint}; use an ISO 3166-1 alpha-2 code such as 'RU', "
                     f"or {', '.join(NAMED_BODIES)}")
