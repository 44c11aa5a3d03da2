"""The question bank, story suggestions and the prep sheet's content (pure: no files)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.core.errors import NotFound
from followup.core.model import Opportunity, QuestionKind
from followup.core.policy import Policy
from followup.prep import questions
from followup.prep.sheet import figures, prep_sheet, similar_roles
from followup.prep.stories import Story, StoryBank, suggest

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 26, 18, 0, tzinfo=BERLIN)


def _lumen() -> Opportunity:
    return Opportunity.model_validate(
        {
            "id": "lumen-ux-researcher",
            "company": "Lumen Health",
            "role": "UX Researcher",
            "salary_range": {"currency": "GBP", "minimum": 48000, "target": 55000},
            "timeline": {"next_step": "Final round, then references.", "decision_by": "2026-12-04"},
            "reflection": {"dealbreakers": ["Fully on-site"]},
            "rounds": [
                {
                    "name": "Round 1",
                    "starts_at": "2026-11-10T11:00:00Z",
                    "timezone": "Europe/London",
                    "interviewers": [{"name": "Priya Natarajan", "title": "Recruiter"}],
                    "debrief": {
                        "answers": [
                            {
                                "question": "How do you decide sample sizes for usability tests?",
                                "my_answer": "Five per segment, then iterate.",
                                "key_point_clear": 2,
                                "asked_by": "Priya Natarajan",
                                "improve": "Say when I would switch to a quantitative method.",
                            },
                            {
                                "question": "What are your salary expectations?",
                                "my_answer": "I said 55,000 GBP as a base.",
                                "reaction": "positive",
                            },
                            {
                                "question": "Describe research that changed a roadmap.",
                                "reaction": "positive",
                                "example_compelling": 5,
                            },
                        ],
                        "research": [{"topic": "Their patient app"}],
                    },
                },
                {
                    "name": "Round 2",
                    "starts_at": "2026-11-28T10:00:00Z",
                    "timezone": "Europe/London",
                    "duration_minutes": 90,
                    "format": "video",
                    "link": "https://meet.example/lumen",
                    "interviewers": [
                        {"name": "Priya Natarajan", "title": "Recruiter"},
                        {"name": "Kwame Mensah", "title": "Head of Research"},
                    ],
                },
            ],
        }
    )


def _other(company: str, role: str, question: str, **answer) -> Opportunity:
    return Opportunity.model_validate(
        {
            "id": company.lower().replace(" ", "-"),
            "company": company,
            "role": role,
            "rounds": [
                {
                    "name": "Onsite",
                    "starts_at": "2026-11-05T09:00:00+01:00",
                    "debrief": {"answers": [{"question": question, **answer}]},
                }
            ],
        }
    )


STORIES = [
    Story(
        title="Onboarding study",
        situation="New users dropped out of the tutorial.",
        action="Ran a diary study with twelve participants and stakeholders watching.",
        result="The tutorial was removed; activation rose.",
        tags=["stakeholder influence"],
        questions=["Tell me about a time you changed a stakeholder's mind."],
    ),
    Story(title="Bake sale", situation="School fair.", tags=["baking"]),
]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What are your salary expectations?", QuestionKind.SALARY),
        ("Why do you want to work here?", QuestionKind.MOTIVATION),
        ("Tell me about a time you disagreed with a stakeholder.", QuestionKind.BEHAVIOURAL),
        ("How many dentists are there in London?", QuestionKind.CASE),
        ("Write a SQL query for the top customers.", QuestionKind.TECHNICAL),
        ("Do you like cats?", QuestionKind.OTHER),
    ],
)
def test_a_question_s_kind_is_read_from_its_words(question, kind):
    assert questions.kind_of(question) is kind


def test_a_kind_recorded_with_the_answer_wins_over_the_words():
    o = _other("Acme", "Analyst", "Do you like cats?", kind="motivation")
    (row,) = questions.bank([o])
    assert row.kind is QuestionKind.MOTIVATION


def test_the_bank_lists_every_question_with_its_company_round_and_how_it_landed():
    rows = questions.bank([_lumen(), _other("Acme", "Data Analyst", "Why us?")])
    assert [r.company for r in rows].count("Lumen Health") == 3
    weak = next(r for r in rows if r.question.startswith("How do you decide"))
    assert (weak.landed, weak.round_name, weak.asked_by) == ("weak", "Round 1", "Priya Natarajan")
    assert weak.card == "lumen-ux-researcher/round-1/1"
    assert rows[0].company == "Lumen Health"  # the most recent round first


def test_search_needs_every_word_and_can_keep_one_kind():
    rows = questions.bank([_lumen(), _other("Acme", "Data Analyst", "Why us?")])
    assert [r.question for r in questions.search(rows, "SAMPLE sizes")] == [
        "How do you decide sample sizes for usability tests?"
    ]
    assert questions.search(rows, "sample cats") == []
    assert [r.company for r in questions.search(rows, kind="motivation")] == ["Acme"]


def test_the_csv_never_lets_a_spreadsheet_run_a_question_as_a_formula():
    o = _other("Acme", "Analyst", '=HYPERLINK("http://x")')
    text = questions.to_csv(questions.bank([o]))
    assert "'=HYPERLINK" in text
    assert "\n=" not in text and ",=" not in text


def test_a_story_fits_a_question_by_its_tags_its_words_and_the_questions_it_answered():
    fits = suggest(STORIES, ["Tell me about a time you influenced a stakeholder."])
    assert [f.story.title for f in fits] == ["Onboarding study"]
    assert any("stakeholder" in reason for reason in fits[0].reasons)
    assert suggest(STORIES, ["What is your favourite colour?"]) == []


def test_stories_without_an_id_get_one_from_their_title_and_twins_are_kept_apart():
    bank = StoryBank(stories=[Story(title="Same"), Story(title="Same")])
    assert [s.id for s in bank.stories] == ["same", "same-2"]


def test_similar_roles_share_a_word_about_the_work_not_a_seniority():
    assert similar_roles("Senior UX Researcher", "User Researcher")
    assert not similar_roles("Senior Data Analyst", "Senior Software Engineer")


def test_the_prep_sheet_has_the_weak_answer_the_question_seen_elsewhere_the_story_and_the_salary():
    similar = _other(
        "Quill",
        "User Researcher",
        "Tell me about a time you changed a stakeholder's mind.",
        reaction="negative",
        improve="Lead with the outcome.",
    )
    unrelated = _other("Harbor Bank", "Product Manager", "How would you price a savings account?")
    sheet = prep_sheet(_lumen(), [similar, unrelated], STORIES, NOW, Policy(zone=BERLIN))
    assert sheet.interview.name == "Round 2"
    assert sheet.when == "Sat 28 Nov 2026 11:00 (10:00 there)"
    assert [q.question for q in sheet.improve] == [
        "How do you decide sample sizes for usability tests?"
    ]
    assert sheet.improve[0].improve.startswith("Say when I would switch")
    assert [(q.company, q.landed) for q in sheet.likely] == [("Quill", "weak")]
    assert "Onboarding study" in {f.story.title for f in sheet.stories}
    assert any("55,000 GBP" in s.figures for s in sheet.said)
    assert sheet.salary is not None and sheet.salary.target == 55000
    assert not any("Harbor" in q.company for q in sheet.likely)
    assert "price a savings account" not in repr(sheet)
    priya = next(p for p in sheet.people if p.name == "Priya Natarajan")
    assert priya.met_in == ("Round 1",)
    assert any("sample sizes" in note for note in priya.notes)
    kwame = next(p for p in sheet.people if p.name == "Kwame Mensah")
    assert (kwame.title, kwame.met_in) == ("Head of Research", ())
    assert [(t.topic, t.done) for t in sheet.research] == [("Their patient app", False)]
    assert any("Fully on-site" in ask for ask in sheet.to_ask)
    assert sheet.timeline.startswith("Final round, then references. News by Fri 04 Dec 2026")


def test_a_round_s_sheet_leaves_out_questions_asked_after_it():
    later = _other("Quill", "User Researcher", "Why research?")
    later.rounds[0].starts_at = datetime(2026, 12, 20, 9, 0, tzinfo=BERLIN)
    sheet = prep_sheet(_lumen(), [later], [], NOW)
    assert sheet.likely == []


def test_without_a_round_still_to_come_the_sheet_says_so():
    o = _lumen()
    with pytest.raises(NotFound, match="no round still to come"):
        prep_sheet(o, [], [], NOW + timedelta(days=30))


def test_a_fitting_story_says_which_of_its_strengths_the_question_asks_for():
    (first,) = suggest(STORIES, ["Tell me about a time you influenced a stakeholder."])
    assert "it shows stakeholder influence" in first.reasons


@given(st.text(max_size=200))
def test_any_question_gets_a_kind_and_any_text_its_figures(text):
    assert questions.kind_of(text) in set(QuestionKind)
    assert all(f in text for f in figures(text))
