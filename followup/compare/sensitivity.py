"""How sure is the top pick: for each weight, how far it can move before another process leads.

Each score is a ratio of two linear functions of one weight, (a + x c) / (b + x d), so the weights
where another opportunity draws level with the top pick are roots of a quadratic; between two
neighbouring roots the order cannot change, so one probe per gap says who leads there. Pure
Python floats (5 weights by n opportunities is small): `followup compare` prints it without
pandas, and `compare.sensitivity` makes its DataFrame from the same rows.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from followup.compare.ranking import Ranking
from followup.core import formats
from followup.core.model import REFLECTION_AREAS

COLUMNS = ["area", "weight", "top", "lowest", "highest", "below_lowest", "above_highest"]
#: What every face says while there is nothing to sweep.
NOT_YET = "Rate at least two open processes in Reflect to see this."

#: An opportunity's score as a function of one weight x: (a + x c) / (b + x d).
Part = tuple[float, float, float, float]


def sweep(ranked: Ranking) -> list[dict[str, Any]]:
    """One row per area: its weight, the top pick, the lowest and highest weight keeping it on
    top (None: no limit that way) and who leads beyond each. Empty with fewer than two open, or
    while none of them is rated (the first would only lead on its id, whatever the weights)."""
    rows = [r for r in ranked.rows if r.open]
    if len(rows) < 2 or not any(r.rated for r in rows):
        return []
    ids = [r.opportunity.id for r in rows]
    names = [r.opportunity.company for r in rows]
    matrix = [tuple(r.area_scores[a] for a in REFLECTION_AREAS) for r in rows]
    # Many opportunities are rated alike: work out each set of ratings once.
    alike = list(dict.fromkeys(matrix))
    base = [float(ranked.weights[a]) for a in REFLECTION_AREAS]
    top = 0  # the rows are in ranking order: the first open one is the top pick
    out = []
    for k, area in enumerate(REFLECTION_AREAS):
        part_of = {scores: _part(scores, base, k) for scores in alike}
        parts = [part_of[scores] for scores in matrix]
        roots = _crossings(set(part_of.values()), parts[top])
        w = base[k]

        def top_at(x: float, parts: list[Part] = parts) -> int:
            return _leader([_at(p, x) for p in parts], ids)

        # A root at the current weight itself means a tie now: the pick changes at once.
        near = 1e-9 * max(1.0, w)
        below_roots = sorted(r for r in roots if r <= w + near)
        above_roots = sorted(max(r, w) for r in roots if r >= w - near)
        lowest, below = _walk(below_roots, w, top, top_at, down=True)
        highest, above = _walk(above_roots, w, top, top_at, down=False)
        out.append(
            {
                "area": area,
                "weight": w,
                "top": names[top],
                "lowest": lowest,
                "highest": highest,
                "below_lowest": names[below] if below is not None else None,
                "above_highest": names[above] if above is not None else None,
            }
        )
    return out


def _leader(scores: Sequence[float | None], ids: Sequence[str]) -> int:
    """The index that leads: highest score, then lowest id (unscored last), as `rank` orders."""
    return min(
        range(len(scores)),
        key=lambda i: (-s if (s := scores[i]) is not None else math.inf, ids[i]),
    )


def _part(scores: Sequence[int | None], weights: list[float], k: int) -> Part:
    """(a, b, c, d): the weighted sum and the weight without area k, the rating in area k (0 when
    unrated) and whether it is rated."""
    a = b = 0.0
    for j, s in enumerate(scores):
        if s is not None and j != k and (w := weights[j]) > 0:
            a += s * w
            b += w
    s = scores[k]
    return (a, b, float(s), 1.0) if s is not None else (a, b, 0.0, 0.0)


def _at(part: Part, x: float) -> float | None:
    a, b, c, d = part
    weight = b + x * d
    return (a + x * c) / weight if weight > 0 else None


def _crossings(parts: Iterable[Part], top: Part) -> list[float]:
    """Weights (>= 0) at which some opportunity's score equals the top pick's, and 0."""
    at, bt, ct, dt = top
    roots: list[float] = []
    for a, b, c, d in parts:
        # (a_t + x c_t)(b + x d) = (a + x c)(b_t + x d_t); the top pick itself gives no root.
        q2 = ct * d - c * dt
        q1 = at * d + ct * b - a * dt - c * bt
        q0 = at * b - a * bt
        roots.extend(_real_roots(q2, q1, q0))
    found = sorted({formats.rounded(r, 9) for r in roots if r >= 0 and math.isfinite(r)})
    # An opportunity rated only in this area counts from any weight above 0 on, with a score
    # that need not equal the top pick's anywhere: the order can change at 0 without a root.
    return found if found and found[0] == 0 else [0.0, *found]


def _real_roots(q2: float, q1: float, q0: float) -> list[float]:
    eps = 1e-12
    if abs(q2) < eps:
        return [] if abs(q1) < eps else [-q0 / q1]
    disc = q1 * q1 - 4 * q2 * q0
    if disc < 0:
        return []
    root = math.sqrt(disc)
    return [(-q1 - root) / (2 * q2), (-q1 + root) / (2 * q2)]


def _walk(
    roots: list[float], w: float, top: int, top_at: Callable[[float], int], *, down: bool
) -> tuple[float | None, int | None]:
    """The nearest root past which the top pick changes (probing between roots), and the new top."""
    if not down:
        for i, edge in enumerate(roots):
            beyond = roots[i + 1] if i + 1 < len(roots) else edge * 2 + 1
            winner = top_at((edge + beyond) / 2)
            if winner != top:
                return edge, winner
        return None, None
    bounds = sorted(roots, reverse=True)
    if not bounds or bounds[-1] > 0:
        bounds.append(0.0)
    for upper, lower in itertools.pairwise(bounds):
        winner = top_at((upper + lower) / 2)
        if winner != top:
            return upper, winner
    if w > 0:
        winner = top_at(0.0)
        if winner != top:
            return 0.0, winner
    return None, None


def lines(rows: list[dict[str, Any]]) -> list[str]:
    """The sweep in plain words, one line per area (NOT_YET when it is empty)."""
    if not rows:
        return [NOT_YET]
    out = []
    for row in rows:
        weight, low, high = row["weight"], row["lowest"], row["highest"]
        head = f"{row['area']} (weight {weight:g}): {row['top']} stays on top"
        if low is None and high is None:
            out.append(f"{head} whatever this weight is.")
            continue
        # A limit at the weight itself (to the hundredth) means the lead changes at once.
        at_low = low is not None and _amount(low) == _amount(weight)
        at_high = high is not None and _amount(high) == _amount(weight)
        if (at_low and at_high) or (at_high and low is None and weight == 0):
            span = f" only at {weight:g}"  # a weight cannot go below 0
        elif low is not None and high is not None:
            span = f" between {_amount(low)} and {_amount(high)}"
        elif high is not None:
            span = f" at {weight:g} or lower" if at_high else f" up to {_amount(high)}"
        else:
            span = f" at {weight:g} or higher" if at_low else f" down to {_amount(low)}"
        changes = []
        if low is not None:
            if low == 0 and not at_low:
                where = "at 0"
            elif at_low:
                where = "any lower"
            else:
                where = f"below {_amount(low)} ({_amount(weight - low)} less than now)"
            changes.append(f"{where}, {row['below_lowest']} leads")
        if high is not None:
            where = (
                "any higher"
                if at_high
                else f"above {_amount(high)} ({_amount(high - weight)} more than now)"
            )
            changes.append(f"{where}, {row['above_highest']} leads")
        out.append(f"{head}{span}; {'; '.join(changes)}.")
    return out


def _amount(value: float) -> str:
    """A weight to two decimals, never '-0.00'."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text
