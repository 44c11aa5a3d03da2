"""Comparing opportunities: hand-checked weighted scores, sensitivity, salaries, trends, exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from followup.compare import frames as compare
from followup.compare import ranking, sensitivity, trends
from followup.compare import rows as comparison
from followup.core.errors import UsageError
from followup.core.model import (
    REFLECTION_AREAS,
    AnswerReview,
    Debrief,
    Interview,
    Opportunity,
    Rating,
    Reflection,
    ResearchTopic,
    SalaryRange,
    Settings,
    Status,
)

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=timezone(timedelta(hours=1)))


def opp(oid: str, scores: dict[str, int | None], **extra) -> Opportunity:
    reflection = Reflection(**{a: Rating(score=s) for a, s in scores.items()})
    return Opportunity(
        id=oid, company=extra.pop("company", oid.title()), reflection=reflection, **extra
    )


def five(people, culture, fit, growth, alignment) -> dict[str, int]:
    return dict(zip(REFLECTION_AREAS, (people, culture, fit, growth, alignment), strict=True))


# Weights


def test_weights_default_to_one_and_parse_named_areas():
    assert compare.parse_weights(None) == dict.fromkeys(REFLECTION_AREAS, 1.0)
    weights = compare.parse_weights(" People=2, growth=3.5 ")
    assert weights["people"] == 2 and weights["growth"] == 3.5 and weights["fit"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("salary=2", "unknown area 'salary'"),
        ("growth", "expected area=number"),
        ("growth=lots", "must be a number"),
        ("growth=-1", "a number from 0 to 100"),
        ("growth=nan", "a number from 0 to 100"),
        ("growth=inf", "a number from 0 to 100"),
        ("people=1e308,growth=1e308", "people must be a number from 0 to 100, got '1e308'"),
        ("fit=100.5", "fit must be a number from 0 to 100"),
        ("people=0,culture=0,fit=0,growth=0,alignment=0", "at least one area"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(text, expected):
    with pytest.raises(UsageError, match=expected):
        compare.parse_weights(text)


# Weighted scores, computed by hand


def test_the_weighted_score_matches_a_hand_computed_mean():
    weights = compare.parse_weights("people=2,growth=3")
    # (2*5 + 4 + 3 + 3*2 + 4) / (2 + 1 + 1 + 3 + 1) = 27 / 8
    assert compare.weighted_score(five(5, 4, 3, 2, 4), weights) == pytest.approx(27 / 8)


def test_unrated_areas_are_left_out_not_counted_as_zero():
    weights = compare.parse_weights("growth=3")
    scores = {"people": 4, "culture": None, "fit": None, "growth": 2, "alignment": None}
    # (4 + 3*2) / (1 + 3) = 2.5
    assert compare.weighted_score(scores, weights) == pytest.approx(2.5)
    assert compare.weighted_score(dict.fromkeys(REFLECTION_AREAS), weights) is None


def test_the_ranking_orders_open_processes_by_weighted_score_and_leaves_ended_ones_unranked():
    opportunities = [
        opp("alpha", five(5, 5, 2, 2, 2)),  # equal weights 3.2; growth=3: (5+5+2+6+2)/7 = 20/7
        opp("beta", five(2, 2, 4, 5, 4)),  # equal weights 3.4; growth=3: (2+2+4+15+4)/7 = 27/7
        opp("gamma", five(5, 5, 5, 5, 5), status=Status.REJECTED),
        opp("delta", dict.fromkeys(REFLECTION_AREAS)),
    ]
    result = compare.compare(opportunities, NOW, compare.parse_weights("growth=3"))
    ranking = result.ranking
    assert list(ranking["id"]) == ["beta", "alpha", "delta", "gamma"]
    # delta is open but not rated yet: listed after the rated ones, with no number
    assert list(ranking["rank"].astype(object).where(ranking["rank"].notna(), None)) == [
        1,
        2,
        None,
        None,
    ]
    assert ranking.loc[0, "score"] == pytest.approx(27 / 7)
    assert ranking.loc[1, "score"] == pytest.approx(20 / 7)
    assert result.top == "beta"
    assert compare.compare(opportunities, NOW).top == "beta"  # 3.4 > 3.2 with equal weights


def test_ties_are_broken_by_id_so_the_ranking_is_stable():
    opportunities = [opp("zulu", five(4, 4, 4, 4, 4)), opp("alpha", five(4, 4, 4, 4, 4))]
    assert list(compare.compare(opportunities, NOW).ranking["id"]) == ["alpha", "zulu"]


# Sensitivity


def test_sensitivity_finds_where_another_opportunity_overtakes_the_top_pick():
    # Lumen-like vs Fjord-like: with culture weight x the scores are (26+4x)/(6+x) and
    # (21+5x)/(6+x) when growth weighs 3, so they meet at x = 5.
    opportunities = [
        opp("lumen", five(5, 4, 4, 4, 5), company="Lumen"),
        opp("fjord", five(4, 5, 4, 3, 4), company="Fjord"),
    ]
    result = compare.compare(opportunities, NOW, compare.parse_weights("growth=3"))
    view = compare.sensitivity(result).set_index("area")
    culture = view.loc["culture"]
    assert culture["top"] == "Lumen"
    assert culture["highest"] == pytest.approx(5.0)
    assert culture["above_highest"] == "Fjord"
    assert view.loc["people", "highest"] is not None
    lines = compare.sensitivity_lines(compare.sensitivity(result))
    assert any("above 5.00 (4.00 more than now), Fjord leads" in line for line in lines)


def test_sensitivity_thresholds_agree_with_re_ranking_either_side():
    opportunities = [
        opp("a", five(5, 2, 3, 4, 1)),
        opp("b", five(3, 4, 4, 2, 5)),
        opp("c", five(4, 3, 5, 3, 3)),
        opp("d", {"people": 2, "culture": None, "fit": 5, "growth": None, "alignment": 4}),
    ]
    base = compare.parse_weights("people=2,alignment=1.5")
    result = compare.compare(opportunities, NOW, base)
    view = compare.sensitivity(result)
    assert len(view) == len(REFLECTION_AREAS)
    checked = 0
    for row in view.itertuples(index=False):
        for edge, new_top, step in (
            (row.highest, row.above_highest, 1e-3),
            (row.lowest, row.below_lowest, -1e-3),
        ):
            if compare.pd.isna(edge):  # no change in that direction
                continue
            inside = dict(base, **{row.area: max(edge - step, 0.0)})
            outside = dict(base, **{row.area: max(edge + step, 0.0)})
            assert compare.compare(opportunities, NOW, inside).ranking.iloc[0]["company"] == row.top
            assert (
                compare.compare(opportunities, NOW, outside).ranking.iloc[0]["company"] == new_top
            )
            checked += 1
    assert checked >= 1


def test_sensitivity_needs_two_open_processes():
    result = compare.compare([opp("solo", five(4, 4, 4, 4, 4))], NOW)
    assert compare.sensitivity(result).empty


# Salaries


def salary(currency: str, target: float, high: float | None = None, period: str = "year"):
    return SalaryRange(currency=currency, target=target, posted_maximum=high, period=period)


def test_mixed_currencies_are_flagged_and_never_converted_without_rates():
    opportunities = [
        opp("eur", five(4, 4, 4, 4, 4), salary_range=salary("EUR", 60000, 66000)),
        opp("usd", five(3, 3, 3, 3, 3), salary_range=salary("USD", 100000)),
    ]
    result = compare.compare(opportunities, NOW)
    assert "EUR, USD" in result.note and "not converted" in result.note
    assert result.ranking["target_home"].isna().all()
    # posted maximum vs target is a ratio within one currency: 66000 is 10% above 60000
    assert result.ranking.set_index("id").loc["eur", "posted_max_vs_target_pct"] == 10.0


def test_salaries_are_converted_to_the_home_currency_only_where_a_rate_is_given():
    settings = Settings(home_currency="EUR", rates={"USD": 0.9})
    opportunities = [
        opp("eur", five(4, 4, 4, 4, 4), salary_range=salary("EUR", 5000, period="month")),
        opp("usd", five(3, 3, 3, 3, 3), salary_range=salary("USD", 100000, 120000)),
        opp("gbp", five(2, 2, 2, 2, 2), salary_range=salary("GBP", 50000)),
    ]
    result = compare.compare(opportunities, NOW, settings=settings)
    ranking = result.ranking.set_index("id")
    assert ranking.loc["eur", "target_home"] == 60000  # 5000 a month
    assert ranking.loc["usd", "target_home"] == pytest.approx(90000)
    assert ranking.loc["usd", "posted_maximum_home"] == pytest.approx(108000)
    assert ranking.loc["gbp", "target_home"] is None or ranking["target_home"].isna()["gbp"]
    assert "no rate for GBP" in result.note
    assert "target_EUR_year" in compare.ranking_view(result).columns


def test_one_currency_needs_no_rates():
    opportunities = [opp("a", five(4, 4, 4, 4, 4), salary_range=salary("EUR", 60000))]
    assert compare.compare(opportunities, NOW).note == "All salaries are in EUR per year."


# Trends


def rounds_with(*answers: tuple[str, int, int], when: int = 1, research=()) -> list[Interview]:
    return [
        Interview(
            name="Round 1",
            starts_at=datetime(2026, 11, when, 10, tzinfo=UTC_1),
            debrief=Debrief(
                answers=[
                    AnswerReview(
                        question=q, example_compelling=e, key_point_clear=k, improve=f"fix {q}"
                    )
                    for q, e, k in answers
                ],
                research=[ResearchTopic(topic=t, done=d) for t, d in research],
            ),
        )
    ]


UTC_1 = timezone(timedelta(hours=1))


def test_trends_find_questions_asked_at_more_than_one_company():
    opportunities = [
        opp("a", {}, company="Acme", rounds=rounds_with(("Tell me about yourself.", 3, 3))),
        opp(
            "b", {}, company="Bolt", rounds=rounds_with(("tell me about   yourself", 4, 2), when=5)
        ),
        opp("c", {}, company="Crane", rounds=rounds_with(("Why us?", 2, 2), ("Why us?", 2, 2))),
    ]
    found = compare.trends(opportunities).repeated_questions
    assert list(found["question"]) == ["Tell me about yourself."]
    assert found.iloc[0]["times"] == 2
    assert found.iloc[0]["companies"] == "Acme, Bolt"


def test_trends_put_the_lowest_rated_area_first_and_keep_ratings_in_date_order():
    opportunities = [
        opp("a", five(2, 5, 5, 5, 5), company="Acme", rounds=rounds_with(("Q1", 4, 2), when=3)),
        opp("b", five(2, 5, 5, 5, 5), company="Bolt", rounds=rounds_with(("Q2", 5, 1), when=1)),
    ]
    found = compare.trends(opportunities)
    weak = found.weak_spots
    assert weak.iloc[0]["area"] == "Key point clear"
    assert weak.iloc[0]["average"] == 1.5
    assert weak.iloc[0]["lowest_rated"] == "Q2"
    assert weak.iloc[1]["area"] == "people" and weak.iloc[1]["lowest_rated"] == "Acme"
    over_time = found.ratings_over_time
    assert list(over_time["company"]) == ["Bolt", "Acme"]
    assert list(over_time["running_answer_score"]) == [3.0, 3.0]  # (5+1)/2, then (3 + 3)/2


def test_trends_list_open_research_with_open_processes_first():
    opportunities = [
        opp(
            "a",
            {},
            company="Acme",
            status=Status.REJECTED,
            rounds=rounds_with(research=[("old", False)]),
        ),
        opp("b", {}, company="Bolt", rounds=rounds_with(research=[("dbt", False), ("done", True)])),
    ]
    research = compare.trends(opportunities).open_research
    assert list(research["topic"]) == ["dbt", "old"]
    assert list(research["process_open"]) == [True, False]


# Exports


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "plain"]
    opportunities = [
        opp(f"o{i}", five(4, 4, 4, 4, 4), company=text.strip() or "x", role=text.strip())
        for i, text in enumerate(hostile)
    ]
    text = compare.to_csv(compare.ranking_view(compare.compare(opportunities, NOW)))
    rows = list(csv.DictReader(io.StringIO(text)))
    companies = {row["company"] for row in rows}
    assert '\'=HYPERLINK("http://x")' in companies
    assert {"'+1+1", "'-2+3", "'@SUM(A1)", "plain", "x"} <= companies
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row.values() if cell)


def test_csv_keeps_negative_numbers_as_numbers():
    frame = compare.pd.DataFrame({"gap": [-5.0, 2.5], "name": ["-x", "y"]})
    assert compare.to_csv(frame).splitlines() == ["gap,name", "-5,'-x", "2.5,y"]


def test_html_escapes_every_bit_of_user_text():
    evil = "<script>alert(1)</script>"
    opportunities = [
        opp("evil", five(4, 4, 4, 4, 4), company=evil, role='"><img src=x onerror=alert(2)>'),
        opp("other", five(3, 3, 3, 3, 3), rounds=rounds_with((evil, 2, 2))),
    ]
    result = compare.compare(opportunities, NOW)
    page = compare.page_html(result, compare.sensitivity(result), compare.trends(opportunities))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    table = compare.table_html(compare.ranking_view(result), links={0: 'x.html"onclick="bad'})
    assert 'href="x.html&quot;onclick=&quot;bad"' in table


def test_json_export_holds_plain_values():
    opportunities = [
        opp("a", five(4, 4, 4, 4, 4), rounds=rounds_with(("Q", 3, 4))),
        opp("b", five(3, 3, 3, 3, 3), salary_range=salary("EUR", 1)),
    ]
    result = compare.compare(opportunities, NOW)
    data = compare.to_json(result, compare.sensitivity(result), compare.trends(opportunities))
    again = json.loads(json.dumps(data))
    assert again["ranking"][0]["id"] == "a"
    assert again["trends"]["ratings_over_time"][0]["answer_score"] == 3.5


def test_an_empty_workbook_compares_to_an_empty_ranking():
    result = compare.compare([], datetime(2026, 11, 26, 18, tzinfo=UTC))
    assert len(result.ranking) == 0
    assert "score" in result.ranking.columns and "rank" in result.ranking.columns
    assert result.top is None
    assert len(compare.sensitivity(result)) == 0


# The readable table (index page and 05_compare)


def test_the_readable_ranking_speaks_in_words_units_and_currencies():
    settings = Settings(home_currency="EUR", rates={"USD": 0.9})
    opportunities = [
        opp("usd", five(5, 4, 4, 4, 5), salary_range=salary("USD", 100000, 120000)),
        opp("eur", {"people": 3}, salary_range=salary("EUR", 5000, period="month")),
        opp("new", {}),
        opp("gone", five(5, 5, 5, 5, 5), status=Status.REJECTED),
    ]
    ranked = ranking.rank(opportunities, NOW, settings=settings)
    table = ranking.view(ranked, links={"usd": "usd/call.html"})
    assert table.headers == [
        "#",
        "Opportunity",
        "Status",
        "Score",
        "Your target",
        "Posted range",
        "Target in EUR a year",
        "Next step",
    ]
    rows = {row[1].text: row for row in table.rows}
    assert [c.text for c in rows["Usd"][:4]] == ["1", "Usd", "active", "4.4 of 5 (5 areas)"]
    assert rows["Usd"][1].href == "usd/call.html"
    assert rows["Usd"][4].text == "100,000 USD a year"
    assert rows["Usd"][6].text == "90,000 EUR"
    assert rows["Eur"][3].text == "3 of 5 (1 area)"
    assert rows["Eur"][4].text == "5,000 EUR a month" and rows["Eur"][6].text == "60,000 EUR"
    assert rows["New"][3].text == "not rated yet"
    assert [c.text for c in rows["Gone"][:3]] == ["–", "Gone", "rejected (ended)"]
    texts = " ".join(c.text for row in table.rows for c in row)
    assert "True" not in texts and "False" not in texts and "nan" not in texts
    html = ranking.table_html(table, table_id="comparison")
    assert '<a href="usd/call.html">Usd</a>' in html and 'class="number"' in html


def test_the_readable_ranking_escapes_names_and_links_and_says_when_empty():
    evil = "<script>x</script>"
    table = ranking.view(
        ranking.rank([opp("a", {}, company=evil)], NOW), links={"a": 'x"onclick="bad'}
    )
    html = ranking.table_html(table)
    assert "<script>" not in html and 'onclick="bad' not in html
    assert "Nothing to compare yet." in ranking.table_html(ranking.view(ranking.rank([], NOW)))


def test_the_ranking_rule_agrees_with_the_comparison_table():
    opportunities = [opp("a", five(1, 1, 1, 1, 1)), opp("b", five(5, 5, 5, 5, 5))]
    opportunities.append(opp("c", five(3, 3, 3, 3, 3)))
    ranked = ranking.rank(opportunities, NOW)
    table = compare.compare(opportunities, NOW).ranking
    assert [r.opportunity.id for r in ranked.rows] == list(table["id"]) == ["b", "c", "a"]
    assert ranked.top == "b"


def test_a_weak_spot_needs_an_area_rated_low_more_than_once():
    once = [opp("a", five(1, 5, 5, 5, 5)), opp("b", five(5, 5, 5, 5, 5))]
    assert compare.trends(once).weak_spots.empty
    twice = [opp("a", five(1, 5, 5, 5, 5)), opp("b", five(2, 5, 5, 5, 5))]
    weak = compare.trends(twice).weak_spots
    assert list(weak["area"]) == ["people"] and weak.iloc[0]["rated_low"] == 2


def test_the_next_step_follows_the_workbooks_own_wait_before_no_response():
    silent = opp(
        "silent",
        five(4, 4, 4, 4, 4),
        rounds=[
            Interview(
                name="Onsite",
                starts_at="2026-11-02T10:00:00+01:00",
                timezone="Europe/Berlin",
                interviewers=[
                    {"name": "Kim Lee", "thank_you": {"sent_at": "2026-11-02T18:00:00+01:00"}}
                ],
                debrief=Debrief(overall_feeling="Went well."),
            )
        ],
        timeline={"decision_by": "2026-11-10", "checked_in_on": "2026-11-14"},
        salary_range=SalaryRange(currency="EUR", minimum=50000, target=60000),
    )
    default = ranking.rank([silent], NOW)
    assert default.rows[0].next_step.title == "Check in with the recruiter"
    patient = ranking.rank([silent], NOW, settings=Settings(no_response_after_days=7))
    assert patient.rows[0].next_step.title == "No news: mark it 'no response'?"


def test_the_pandas_tables_are_made_from_the_same_rows_as_the_plain_text():
    settings = Settings(home_currency="EUR", rates={"USD": 0.9})
    opportunities = [
        opp("usd", five(5, 4, 4, 4, 5), salary_range=salary("USD", 100000, 120000)),
        opp("eur", {"people": 3}, salary_range=salary("EUR", 5000, period="month")),
        opp("hostile", five(2, 3, 4, 5, 1), company="=cmd()", rounds=rounds_with(("Q", 2, 2))),
        opp("new", {}),
        opp("gone", five(5, 5, 5, 5, 5), status=Status.REJECTED),
    ]
    result = compare.compare(opportunities, NOW, settings=settings)
    ranked = result.ranked
    assert compare.to_csv(compare.ranking_view(result)) == comparison.ranking_csv(ranked)
    sweep = sensitivity.sweep(ranked)
    assert compare.sensitivity_lines(compare.sensitivity(result)) == sensitivity.lines(sweep)
    text = comparison.text_report(ranked, sweep, trends.trend_rows(opportunities))
    assert "'=cmd()" not in text and "=cmd()" in text  # a terminal runs no formulas
    assert "not rated yet" not in text and "  4.4  " in text


def test_the_comparison_page_shows_the_offers_side_by_side_or_nothing_without_one(example_dir):
    from followup.compare import frames
    from followup.offers.tables import side_by_side_html

    inputs = frames.load(str(example_dir), "2026-11-26T18:00:00+01:00")
    shown = side_by_side_html(inputs.opportunities, inputs.settings)
    assert "Your offers, year by year" in shown
    assert shown.count("data:image/png;base64,") == shown.count("<h3>") >= 2  # one chart each
    without = [o for o in inputs.opportunities if o.offer is None]
    assert side_by_side_html(without, inputs.settings) == ""
