"""`followup stats` on any workbook the model accepts: it never raises, never shows infinity or
NaN, and its counts hold together."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.model import Opportunity, Source, Stage, Status
from followup.search import export, page
from followup.search.stats import compute

TODAY = date(2026, 12, 1)
days = st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 3, 1))


@st.composite
def opportunities(draw, n: int) -> Opportunity:
    rounds = [
        {
            "name": f"R{i}",
            "starts_at": f"{d.isoformat()}T10:00+01:00" if d else None,
            "cancelled": draw(st.booleans()),
        }
        for i, d in enumerate(draw(st.lists(days, max_size=3)))
    ]
    stages = [
        {"stage": stage, "day": day}
        for stage, day in draw(st.lists(st.tuples(st.sampled_from(list(Stage)), days), max_size=4))
    ]
    return Opportunity.model_validate(
        {
            "id": f"o-{n}",
            "company": f"C{n}",
            "applied_on": draw(days),
            "source": draw(st.none() | st.sampled_from(list(Source))),
            "status": draw(st.sampled_from(list(Status))),
            "outcome_on": draw(days),
            "rounds": rounds,
            "stages": stages,
        }
    )


workbooks = st.integers(0, 12).flatmap(
    lambda size: st.tuples(*(opportunities(i) for i in range(size)))
)


@settings(max_examples=30, deadline=None)
@given(workbooks, st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 1)))
def test_stats_never_raise_and_never_show_infinity(workbook, since):
    stats = compute(list(workbook), TODAY, since)
    data = json.loads(page.to_json(stats, []))
    json.dumps(data, allow_nan=False)  # raises on inf or NaN
    counts = list(data["funnel"].values())
    assert counts == sorted(counts, reverse=True), "a later step never has more than one before"
    assert counts[0] == stats.applications
    for d in (stats.first_answer, stats.decision):
        assert d.answered + d.waiting == d.applications
        if d.median is not None:
            assert d.median >= 0
    for s in stats.stage_days:
        assert s.median_finished is None or s.median_finished >= 0
    text = page.to_text(stats, [])
    assert not re.search(r"\b(inf|nan)\b", text, re.IGNORECASE)


@settings(max_examples=25, deadline=None)
@given(workbooks)
def test_the_export_has_one_row_per_application_whatever_it_records(workbook):
    rows = export.rows(list(workbook))
    assert len(rows) == len(workbook)
    assert all(len(r) == len(export.COLUMNS) for r in rows)
    assert sorted(r[0] for r in rows) == sorted(o.company for o in workbook)


def test_a_week_spanning_the_whole_range_is_listed_without_gaps():
    first = Opportunity(id="a", company="A", applied_on=TODAY - timedelta(days=70))
    last = Opportunity(id="b", company="B", applied_on=TODAY)
    weeks = [w for w, _ in compute([first, last], TODAY).activity]
    assert all(later - earlier == timedelta(days=7) for earlier, later in pairwise(weeks))
    assert len(weeks) == 11
