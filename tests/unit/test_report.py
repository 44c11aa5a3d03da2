"""What a round's report shows, its summary, and the HTML it becomes (no files, no kernel)."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, timedelta, timezone

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from followup.core.errors import NotFound
from followup.core.model import (
    AnswerReview,
    Debrief,
    Interview,
    Interviewer,
    Offer,
    Opportunity,
    Rating,
    Reflection,
    ResearchTopic,
    SalaryRange,
    Settings,
    ThankYou,
)
from followup.reports import pages
from followup.reports import round_report as report
from followup.steps import NO_RESPONSE_TITLE

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 18, 0, tzinfo=CET)
EVIL = "<script>alert('x')</script>"


def opportunity(**extra) -> Opportunity:
    onsite = Interview(
        name="Onsite",
        starts_at=datetime(2026, 11, 26, 10, 0, tzinfo=CET),
        timezone="Europe/Berlin",
        interviewers=[
            Interviewer(name="Jörg Müller", email="j@example.com"),
            Interviewer(
                name="Amélie Dubois",
                thank_you=ThankYou(sent_at=datetime(2026, 11, 26, 15, 0, tzinfo=CET)),
            ),
        ],
        debrief=Debrief(
            answers=[
                AnswerReview(question="Messy data?", example_compelling=4, key_point_clear=3),
                AnswerReview(question=EVIL, example_compelling=2, improve="Lead with the result"),
                AnswerReview(),
            ],
            overall_feeling=EVIL,
            research=[ResearchTopic(topic="dbt tests"), ResearchTopic(topic="hub", done=True)],
        ),
    )
    base = {
        "id": "northwind",
        "company": "Northwind",
        "role": "Data Analyst",
        "rounds": [onsite],
        "reflection": Reflection(people=Rating(score=4, note=EVIL), growth=Rating(score=2)),
        "salary_range": SalaryRange(
            currency="EUR", target=64000, posted_minimum=55000, posted_maximum=68000
        ),
    }
    base.update(extra)
    return Opportunity(**base)


def test_the_answers_table_lists_reviews_with_their_ratings_and_skips_empty_ones():
    frame = report.build(opportunity(), "onsite", NOW).answers_frame()
    assert list(frame["Question"]) == ["Messy data?", EVIL]
    assert list(frame["Example compelling"]) == [4, 2]
    assert frame["Key point clear"].isna().tolist() == [False, True]


def test_the_thank_you_table_says_who_is_done_and_who_is_still_due():
    frame = report.build(opportunity(), "onsite", NOW).thank_you_frame().set_index("Interviewer")
    assert frame.loc["Amélie Dubois", "State"] == "done"
    assert frame.loc["Jörg Müller", "State"] == "to do"
    assert frame.loc["Jörg Müller", "Due"] == "Fri 27 Nov 2026 11:00"


def test_the_summary_records_what_the_index_needs():
    summary = report.build(opportunity(), "onsite", NOW).summary()
    assert summary["opportunity"] == "northwind" and summary["round"] == "onsite"
    assert summary["answers"] == 2
    assert summary["answer_score"] == 3.0  # (4 + 3 + 2) / 3
    assert (summary["thank_yous_sent"], summary["thank_yous_total"]) == (1, 2)
    assert summary["research_open"] == 1
    assert summary["reflection_score"] == 3.0
    assert summary["salary"]["target"] == 64000
    assert summary["next_step"]["title"] == "Thank-you note to Jörg Müller"


def test_an_empty_round_key_picks_the_latest_round_held():
    later = Interview(name="Final", starts_at=datetime(2026, 12, 20, 10, 0, tzinfo=CET))
    o = opportunity()
    o = o.model_copy(update={"rounds": [*o.rounds, later]})
    assert report.build(o, "", NOW).interview.name == "Onsite"
    with pytest.raises(NotFound, match="no round 'nope'"):
        report.build(o, "nope", NOW)


@pytest.mark.parametrize(
    ("target", "words"),
    [(70000, "above the posted range"), (50000, "below the posted range"), (64000, "69%")],
)
def test_the_salary_position_is_said_in_plain_words(target, words):
    salary = SalaryRange(currency="EUR", target=target, posted_minimum=55000, posted_maximum=68000)
    assert words in report.salary_position(salary)


def test_every_section_escapes_the_persons_text():
    built = report.build(opportunity(company=EVIL), "onsite", NOW)
    sections = [
        built.heading_html(),
        built.debrief_html(),
        built.research_html(),
        built.thank_you_html(),
        built.reflection_html(),
        built.checklist_html(),
    ]
    for html in sections:
        assert "<script>" not in html
    assert "&lt;script&gt;" in built.heading_html()
    assert "&lt;script&gt;" in built.debrief_html()
    assert "&lt;script&gt;" in built.reflection_html()


def test_charts_are_drawn_only_when_there_is_something_to_draw():
    built = report.build(opportunity(), "onsite", NOW)
    charts = built.charts()
    assert len(charts) == 3  # answers, reflection, salary
    assert report.figure_png(charts[0].figure).startswith(b"\x89PNG")
    bare = Opportunity(id="bare", company="Bare", rounds=[Interview(name="Call")])
    assert report.build(bare, "call", NOW).charts() == []


def summary_notebook(summary: dict) -> nbformat.NotebookNode:
    png = report.figure_png(report.build(opportunity(), "onsite", NOW).charts()[0].figure)
    return new_notebook(
        cells=[
            new_markdown_cell("# Report"),
            new_code_cell(
                "print('secret code')",
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/png": base64.b64encode(png).decode(), "text/plain": "chart"},
                    ),
                    new_output("display_data", data={pages.SUMMARY_MIME: summary}),
                ],
            ),
        ]
    )


def test_the_summary_is_read_back_from_its_own_mime_type():
    nb = summary_notebook({"opportunity": "northwind", "answers": 2})
    again = nbformat.reads(nbformat.writes(nb), as_version=4)
    assert pages.read_summary(again) == {"opportunity": "northwind", "answers": 2}
    assert pages.read_summary(new_notebook(cells=[new_code_cell("1")])) is None


def test_the_exported_page_has_no_code_no_scripts_and_embeds_its_images():
    page = pages.notebook_html(summary_notebook({"opportunity": "x"}), title="Northwind · Onsite")
    assert "secret code" not in page
    assert re.search(r"<script", page, re.IGNORECASE) is None
    assert re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page) is None
    assert "data:image/png;base64," in page
    assert pages.SUMMARY_MIME not in page
    assert "<title>Northwind · Onsite</title>" in page


def test_the_index_escapes_text_and_links_every_report():
    entries = [
        pages.IndexEntry(
            "northwind",
            "onsite",
            "northwind/onsite.html",
            {"company": EVIL, "round_name": "Onsite", "answers": 1, "next_step": None},
        ),
        pages.IndexEntry("acme", "call", "acme/call.failed.ipynb", None, failed=True),
    ]
    page = pages.index_html(
        entries,
        now=NOW,
        pipeline={"rows": [{"title": EVIL, "status": "active"}], "text": EVIL, "done": False},
        comparison_table="<table id='comparison'></table>",
        comparison_note=EVIL,
    )
    assert "<script>" not in page
    assert page.count("&lt;script&gt;") == 4
    assert 'href="northwind/onsite.html"' in page
    assert 'href="acme/call.failed.ipynb"' in page and "failed" in page
    assert "<table id='comparison'></table>" in page


def test_an_index_with_nothing_yet_says_so_instead_of_drawing_empty_tables():
    page = pages.index_html(
        [],
        now=NOW,
        pipeline={"rows": [], "text": "Keep searching: start with one opportunity.", "done": False},
        comparison_table="<p class='followup-empty'>Nothing to compare yet.</p>",
        comparison_note="No salary ranges recorded yet.",
    )
    assert "<table" not in page
    assert "No reports yet" in page and "Nothing to compare yet." in page


def test_the_checklist_follows_the_checklists_own_order_and_numbers():
    built = report.build(opportunity(), "onsite", NOW)
    numbers = list(built.checklist_frame()["#"])
    assert numbers == sorted(numbers)
    assert numbers == [s.number for s in sorted(built.checklist.steps, key=lambda s: s.number)]


def test_the_heading_says_which_round_of_which_opportunity_and_when():
    heading = report.build(opportunity(), "onsite", NOW).heading_html()
    assert "<h1>Northwind · Data Analyst · Onsite</h1>" in heading
    assert "held Thu 26 Nov 2026 10:00" in heading


def test_chart_labels_come_from_the_questions_shortened_at_a_word():
    assert report.shorten("Why?") == "Why?"
    long = "Tell us about a time you cleaned up a messy data set for a client"
    short = report.shorten(long)
    assert len(short) <= report.LABEL_LENGTH and short.endswith("…")
    assert long.startswith(short[:-1])
    chart = report.answers_chart(report.build(opportunity(), "onsite", NOW))
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert labels == ["Messy data?", report.shorten(EVIL)]
    assert "Messy data?: example 4, key point 3" in chart.description


def test_no_salary_range_is_said_once():
    built = report.build(opportunity(salary_range=None), "onsite", NOW)
    text = built.reflection_html()
    assert text.count("No salary range set yet") == 1 and "No target set yet" not in text
    assert report.salary_chart(built) is None


def test_a_thank_you_shows_as_drafted_when_followup_drafts_has_it_ready():
    frame = report.build(opportunity(), "onsite", NOW).thank_you_frame().set_index("Interviewer")
    assert frame.loc["Jörg Müller", "Drafted"] == "ready to send"
    assert (
        "followup drafts northwind" in report.build(opportunity(), "onsite", NOW).thank_you_html()
    )
    assert frame.loc["Amélie Dubois", "Drafted"] == ""  # already sent
    assert frame.loc["Amélie Dubois", "Sent"] == "Thu 26 Nov 2026 15:00"


def test_the_checklist_follows_the_workbooks_wait_before_no_response():
    silent = opportunity(
        timeline={"decision_by": date(2026, 11, 27), "checked_in_on": date(2026, 11, 30)}
    )
    later = datetime(2026, 12, 5, 12, 0, tzinfo=CET)
    titles = [s.title for s in report.build(silent, "onsite", later).checklist.steps]
    assert NO_RESPONSE_TITLE not in titles  # 21 days by default
    short = report.build(silent, "onsite", later, Settings(no_response_after_days=3))
    assert NO_RESPONSE_TITLE in [s.title for s in short.checklist.steps]


def test_the_thank_you_table_says_when_an_email_has_no_address_yet():
    frame = report.build(opportunity(), "onsite", NOW).thank_you_frame().set_index("Interviewer")
    assert frame.loc["Jörg Müller", "Channel"] == "email"
    assert frame.loc["Amélie Dubois", "Channel"] == "email (no address yet)"
    assert not frame["Drafted"].str.contains("followup").any()  # no command in the table


def test_the_offer_section_shows_its_years_chart_and_verdict_and_is_left_out_without_one():
    assert report.build(opportunity(), "onsite", NOW).offer_html() == ""
    offer = Offer(currency="EUR", base=61000)
    shown = report.build(opportunity(company=EVIL, offer=offer), "onsite", NOW).offer_html()
    assert "<h2>The offer, year by year</h2>" in shown
    assert shown.count("<tr><td>") == 4  # one row a year, four years
    assert 'src="data:image/png;base64,' in shown
    assert "Base 61,000 EUR: 5% below your target (64,000 EUR)" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_the_offer_is_measured_against_your_range_through_the_workbooks_rates():
    offer = opportunity(offer=Offer(currency="NOK", base=700000))
    alone = report.build(offer, "onsite", NOW).offer_html()
    assert "Not measured against your range: your range is in EUR and the offer in NOK" in alone
    settings = Settings(home_currency="EUR", rates={"NOK": 0.085})
    rated = report.build(offer, "onsite", NOW, settings).offer_html()
    assert "Base 700,000 NOK: 7% below your target (752,941.18 NOK)." in rated
