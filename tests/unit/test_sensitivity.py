"""How sure is the top pick: the sweep in plain floats against re-ranking by brute force."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.compare import ranking, sensitivity
from followup.core.model import REFLECTION_AREAS, Opportunity, Rating, Reflection, Status

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=timezone(timedelta(hours=1)))
#: How close to a reported edge brute force stays away from: at the edge itself two tie.
STEP = 1 / 1024
#: Brute force tries weights in eighths: two scores equal on paper are then equal floats too.
GRID = 8

ratings = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=5, max_size=5)
weights = st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0]), min_size=5, max_size=5).filter(
    any
)


def opp(oid: str, scores: list[int | None], status: Status = Status.ACTIVE) -> Opportunity:
    reflection = Reflection(
        **{a: Rating(score=s) for a, s in zip(REFLECTION_AREAS, scores, strict=True)}
    )
    return Opportunity(id=oid, company=oid.upper(), reflection=reflection, status=status)


def leader(opportunities: list[Opportunity], w: dict[str, float]) -> str | None:
    """Who tops the ranking with these weights, by the ranking itself."""
    top = ranking.rank(opportunities, NOW, w).top
    return top.upper() if top else None


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(ratings, min_size=2, max_size=4),
    base=weights,
    ended=st.booleans(),
)
def test_the_sweep_agrees_with_re_ranking_by_brute_force(scores, base, ended):
    opportunities = [opp(f"o{i}", s) for i, s in enumerate(scores)]
    if ended:  # an ended process never leads, however it was rated
        opportunities.append(opp("gone", [5, 5, 5, 5, 5], Status.REJECTED))
    w = dict(zip(REFLECTION_AREAS, base, strict=True))
    ranked = ranking.rank(opportunities, NOW, w)
    rows = sensitivity.sweep(ranked)
    if all(s is None for one in scores for s in one):  # nothing rated: nothing to say yet
        assert rows == [] and sensitivity.lines(rows) == [sensitivity.NOT_YET]
        return
    assert [r["area"] for r in rows] == list(REFLECTION_AREAS)
    top = leader(opportunities, w)
    for row in rows:
        area, low, high = row["area"], row["lowest"], row["highest"]
        assert row["top"] == top and row["weight"] == w[area]

        def at(x: float, area: str = area) -> str | None:
            return leader(opportunities, {**w, area: x})

        # With every other weight at zero, zero here is not a weighting the ranking accepts.
        zero_allowed = any(v for a, v in w.items() if a != area)

        # Everywhere between the edges (a grid, kept off the edges themselves) the top stays.
        upper = high if high is not None else w[area] + 10
        lower = low if low is not None else 0.0
        for x in (k / GRID for k in range(math.ceil(lower * GRID), math.floor(upper * GRID) + 1)):
            if x == 0 and not zero_allowed:
                continue
            if (low is None or x > low + STEP) and (high is None or x < high - STEP):
                assert at(x) == top, (area, x, row)
        if high is not None:
            assert at(high + STEP) == row["above_highest"] != top
        if low is not None and low > STEP:
            assert at(low - STEP) == row["below_lowest"] != top
        if low == 0 and zero_allowed:
            assert at(0.0) == row["below_lowest"] != top
    for line in sensitivity.lines(rows):  # in words: never a negative zero nor a +0.00 step
        assert "-0.00" not in line and "(0.00 " not in line, line


def test_a_tie_at_the_current_weight_changes_the_pick_at_once():
    # Equal ratings: 'a' leads on its id; any more weight on people hands it to 'b'.
    opportunities = [opp("a", [3, 4, 4, 4, 4]), opp("b", [5, 4, 4, 4, 2])]
    rows = {r["area"]: r for r in sensitivity.sweep(ranking.rank(opportunities, NOW))}
    assert rows["people"]["top"] == "A"
    assert rows["people"]["highest"] == 1.0 and rows["people"]["above_highest"] == "B"


def test_a_pick_that_changes_at_once_is_said_in_words_not_as_zero_steps():
    rows = [
        {"area": "culture", "weight": 0.0, "top": "Lumen", "lowest": None, "highest": -0.0,
         "below_lowest": None, "above_highest": "Fjord"},
        {"area": "fit", "weight": 1.0, "top": "Lumen", "lowest": 1.0, "highest": 1.0,
         "below_lowest": "Atlas", "above_highest": "Brightline"},
        {"area": "people", "weight": 2.0, "top": "Lumen", "lowest": 2.0, "highest": None,
         "below_lowest": "Atlas", "above_highest": None},
        {"area": "growth", "weight": 2.0, "top": "Lumen", "lowest": None, "highest": 2.0,
         "below_lowest": None, "above_highest": "Brightline"},
    ]  # fmt: skip
    assert sensitivity.lines(rows) == [
        "culture (weight 0): Lumen stays on top only at 0; any higher, Fjord leads.",
        "fit (weight 1): Lumen stays on top only at 1; any lower, Atlas leads; any higher, "
        "Brightline leads.",
        "people (weight 2): Lumen stays on top at 2 or higher; any lower, Atlas leads.",
        "growth (weight 2): Lumen stays on top at 2 or lower; any higher, Brightline leads.",
    ]


def test_the_sweep_needs_two_open_processes():
    solo = [opp("a", [4, 4, 4, 4, 4]), opp("b", [5, 5, 5, 5, 5], Status.REJECTED)]
    assert sensitivity.sweep(ranking.rank(solo, NOW)) == []
    assert sensitivity.lines([]) == [sensitivity.NOT_YET]


def test_with_nothing_rated_the_sweep_says_so_rather_than_crown_the_first_id():
    unrated = [opp("a", [None] * 5), opp("b", [None] * 5)]
    assert sensitivity.sweep(ranking.rank(unrated, NOW)) == []
    # One rating is enough to have something to say: who leads as its weight moves.
    one = [opp("a", [None] * 5), opp("b", [None, None, 3, None, None])]
    rows = sensitivity.sweep(ranking.rank(one, NOW))
    assert [r["top"] for r in rows] == ["B"] * 5
    fit = next(r for r in rows if r["area"] == "fit")
    assert (fit["lowest"], fit["below_lowest"]) == (0.0, "A")


def test_the_lines_say_where_the_pick_changes_in_words():
    rows = [
        {
            "area": "culture",
            "weight": 1.0,
            "top": "Lumen",
            "lowest": None,
            "highest": 3.0,
            "below_lowest": None,
            "above_highest": "Fjord",
        },
        {
            "area": "people",
            "weight": 2.0,
            "top": "Lumen",
            "lowest": 0.0,
            "highest": None,
            "below_lowest": "Fjord",
            "above_highest": None,
        },
        dict.fromkeys(["lowest", "highest"], None) | {"area": "fit", "weight": 1, "top": "Lumen"},
    ]
    assert sensitivity.lines(rows) == [
        "culture (weight 1): Lumen stays on top up to 3.00; above 3.00 (2.00 more than now), "
        "Fjord leads.",
        "people (weight 2): Lumen stays on top down to 0.00; at 0, Fjord leads.",
        "fit (weight 1): Lumen stays on top whatever this weight is.",
    ]
