"""Drafted notes: which apply when, what they say, and the guards on their headers."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import datetime
from email import message_from_string, policy
from email.parser import BytesParser
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.errors import InvalidRecord, UsageError
from followup.core.model import AnswerReview, Interviewer
from followup.drafts.compose import (
    SIGNATURE_PLACEHOLDER,
    Draft,
    DraftKind,
    drafts_due,
    drafts_for,
    first_name,
    join_names,
    mid_sentence,
    second_person,
    why_no_drafts,
)
from followup.drafts.eml import PROBLEM_HEADER, format_sender, message_for

BERLIN = ZoneInfo("Europe/Berlin")
EVENING = datetime(2026, 11, 26, 18, tzinfo=BERLIN)
#: Two days after a recruiter's date of 27 Nov: a check-in is due.
AFTER_THE_DATE = datetime(2026, 11, 29, 18, tzinfo=BERLIN)


def opportunity(**fields):
    """Northwind-like: an onsite this morning with two interviewers, one without an address."""
    from followup.core.model import Opportunity

    data = {
        "id": "northwind",
        "company": "Northwind Logistics",
        "role": "Data Analyst",
        "recruiter": {"name": "Sofia Brandt", "email": "sofia@northwind.example"},
        "timeline": {"given": False},
        "rounds": [
            {
                "name": "Onsite",
                "starts_at": "2026-11-26T10:00:00+01:00",
                "timezone": "Europe/Berlin",
                "duration_minutes": 90,
                "interviewers": [
                    {
                        "name": "Jörg Müller",
                        "email": "joerg@northwind.example",
                        "personal_note": "his team's move to dbt",
                    },
                    {"name": "Amélie Dubois", "personal_note": "the dashboard she built"},
                ],
                "debrief": {"research": [{"topic": "How dbt tests work"}]},
            }
        ],
    }
    data.update(fields)
    return Opportunity.model_validate(data)


def kinds(drafts: list[Draft]) -> list[tuple[str, str | None]]:
    return [(d.kind.value, d.person) for d in drafts]


# Which drafts apply


def test_a_thank_you_is_drafted_for_each_interviewer_whose_note_is_due():
    drafts = drafts_for(opportunity(), EVENING)
    assert kinds(drafts) == [("thank-you", "Jörg Müller"), ("thank-you", "Amélie Dubois")]
    assert {d.round for d in drafts} == {"onsite"}
    assert {d.opportunity for d in drafts} == {"northwind"}


def test_no_thank_you_before_the_round_has_taken_place():
    morning = datetime(2026, 11, 26, 9, tzinfo=BERLIN)
    assert drafts_for(opportunity(), morning) == []
    assert drafts_for(opportunity(), morning, kind=DraftKind.THANK_YOU) == []
    assert "No round" in why_no_drafts(opportunity(), morning, DraftKind.THANK_YOU)


def test_a_sent_note_is_drafted_again_only_when_asked_for_explicitly():
    o = opportunity()
    o.rounds[0].interviewers[0].thank_you.sent_at = datetime(2026, 11, 26, 17, tzinfo=BERLIN)
    assert kinds(drafts_for(o, EVENING)) == [("thank-you", "Amélie Dubois")]
    explicit = drafts_for(o, EVENING, kind=DraftKind.THANK_YOU)
    assert kinds(explicit) == [("thank-you", "Jörg Müller"), ("thank-you", "Amélie Dubois")]


def test_an_interviewer_who_gets_a_card_gets_the_card_version():
    o = opportunity()
    o.rounds[0].interviewers[0].thank_you.channel = "card"
    drafts = drafts_for(o, EVENING)
    assert kinds(drafts) == [("card", "Jörg Müller"), ("thank-you", "Amélie Dubois")]
    card = drafts[0]
    assert card.to_email is None and card.problem is None and card.mailto() is None
    assert "Thursday 26 November" in card.body
    assert len(card.body) < len(drafts[1].body)


def test_no_thank_you_is_due_once_the_process_has_ended():
    o = opportunity(status="rejected", outcome_on="2026-11-26")
    assert [d.kind for d in drafts_for(o, EVENING)] == [
        DraftKind.FEEDBACK,
        DraftKind.FEEDBACK,
        DraftKind.OTHER_ROLES,
        DraftKind.TALENT_COMMUNITY,
    ]


def test_a_check_in_is_never_drafted_before_the_recruiters_date_even_when_asked():
    o = opportunity(timeline={"decision_by": "2026-12-04"})
    before = datetime(2026, 12, 4, 23, 0, tzinfo=BERLIN)
    assert drafts_for(o, before, kind=DraftKind.CHECK_IN) == []
    assert "don't reach out before then" in why_no_drafts(o, before, DraftKind.CHECK_IN)
    after = datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)
    (draft,) = drafts_for(o, after, kind=DraftKind.CHECK_IN)
    assert (draft.kind, draft.to_name, draft.to_email) == (
        DraftKind.CHECK_IN,
        "Sofia Brandt",
        "sofia@northwind.example",
    )
    assert "Friday 4 December" in draft.body
    assert DraftKind.CHECK_IN not in [d.kind for d in drafts_for(o, before)]
    assert [d.kind for d in drafts_for(o, after)][-1] is DraftKind.CHECK_IN


def test_feedback_and_other_roles_are_drafted_only_after_a_rejection():
    active = opportunity()
    for kind in (DraftKind.FEEDBACK, DraftKind.OTHER_ROLES):
        assert drafts_for(active, EVENING, kind=kind) == []
        assert "Only after a rejection" in why_no_drafts(active, EVENING, kind)
    rejected = opportunity(status="rejected", outcome_on="2026-11-26")
    feedback, _to_jorg, other, _community = drafts_for(rejected, EVENING)
    assert feedback.to_email == other.to_email == "sofia@northwind.example"
    assert "Thank you" in feedback.body
    assert "future roles" in feedback.body
    assert "what could I have done better?" in feedback.body
    assert "Jörg Müller and Amélie Dubois" in feedback.body
    assert "similar open role" in other.body


def test_feedback_once_asked_is_drafted_again_only_when_asked_for():
    o = opportunity(status="rejected", outcome_on="2026-11-26", feedback={"asked_on": "2026-11-26"})
    assert [d.kind for d in drafts_for(o, EVENING)] == [
        DraftKind.OTHER_ROLES,
        DraftKind.TALENT_COMMUNITY,
    ]
    assert [d.kind for d in drafts_for(o, EVENING, kind="feedback")] == [DraftKind.FEEDBACK] * 2


def test_feedback_goes_to_the_recruiter_and_each_interviewer_with_an_email():
    rejected = opportunity(status="rejected", outcome_on="2026-11-26")
    feedback = drafts_for(rejected, EVENING, kind=DraftKind.FEEDBACK, sender="Alex Morgan")
    assert [(d.to_name, d.to_email) for d in feedback] == [
        ("Sofia Brandt", "sofia@northwind.example"),
        ("Jörg Müller", "joerg@northwind.example"),
    ]
    to_jorg = feedback[1].body
    assert to_jorg.startswith("Hi Jörg,\n")
    assert "Thank you again for interviewing me" in to_jorg
    assert "your team's move to dbt" in to_jorg
    assert "Thank you for letting me know" not in to_jorg
    assert "what could I have done better?" in to_jorg
    nobody = opportunity(status="rejected", outcome_on="2026-11-26", recruiter=None)
    assert [d.to_name for d in drafts_for(nobody, EVENING, kind=DraftKind.FEEDBACK)] == [
        "Hiring team",
        "Jörg Müller",
    ]


def test_the_talent_community_question_is_drafted_only_while_the_link_is_unknown():
    silent = opportunity(status="no response", outcome_on="2026-11-26")
    assert [d.kind for d in drafts_for(silent, EVENING)] == [
        DraftKind.OTHER_ROLES,
        DraftKind.TALENT_COMMUNITY,
    ]
    (question,) = drafts_for(silent, EVENING, kind=DraftKind.TALENT_COMMUNITY)
    assert question.to_email == "sofia@northwind.example"
    assert "talent community" in question.body
    known = opportunity(
        status="rejected",
        outcome_on="2026-11-26",
        talent_community_link="https://careers.northwind.example/community",
    )
    assert DraftKind.TALENT_COMMUNITY not in [d.kind for d in drafts_for(known, EVENING)]
    joined = opportunity(
        status="rejected", outcome_on="2026-11-26", talent_community_joined_on="2026-11-26"
    )
    assert DraftKind.TALENT_COMMUNITY not in [d.kind for d in drafts_for(joined, EVENING)]
    assert "Only after a rejection or no response" in why_no_drafts(
        opportunity(), EVENING, DraftKind.TALENT_COMMUNITY
    )


# What the thank-you says


def test_the_thank_you_is_personal_and_restates_interest():
    jorg = drafts_for(opportunity(), EVENING, sender="Alex Morgan")[0]
    assert jorg.body.startswith("Hi Jörg,\n")
    assert "today" in jorg.body
    assert "your team's move to dbt" in jorg.body  # the personal point, said to them
    assert "even more interested in the role and in Northwind Logistics" in jorg.body
    assert jorg.body.endswith("Alex Morgan\n")
    assert jorg.subject == "Thank you — Data Analyst at Northwind Logistics"


def test_with_no_timeline_the_thank_you_asks_about_next_steps_and_with_one_it_does_not():
    asks = drafts_for(opportunity(), EVENING)[0]
    assert "what the next steps are" in asks.body
    given = drafts_for(opportunity(timeline={"decision_by": "2026-12-04"}), EVENING)[0]
    assert "next steps" not in given.body
    # Nothing recorded is the same as nothing said, and so is a date the round has overtaken.
    unrecorded = drafts_for(opportunity(timeline=None), EVENING)[0]
    assert "what the next steps are" in unrecorded.body
    overtaken = drafts_for(opportunity(timeline={"decision_by": "2026-11-20"}), EVENING)[0]
    assert "what the next steps are" in overtaken.body


def test_missing_details_become_bracketed_prompts_not_inventions():
    o = opportunity()
    o.rounds[0].interviewers[0].personal_note = ""
    body = drafts_for(o, EVENING)[0].body
    assert "[Mention something from your conversation with Jörg that stayed with you.]" in body
    assert body.endswith(SIGNATURE_PLACEHOLDER + "\n")
    card = drafts_for(o, EVENING, kind=DraftKind.CARD)[0].body
    assert "[A line about something you and Jörg talked about.]" in card


def test_a_round_some_days_ago_is_named_by_its_weekday_and_older_ones_by_date():
    o = opportunity()
    monday = drafts_for(o, datetime(2026, 11, 30, 9, tzinfo=BERLIN))[0].body
    assert "with me on Thursday about" in monday
    late = drafts_for(o, datetime(2026, 12, 9, 9, tzinfo=BERLIN), kind="thank-you")[0]
    assert "on Thursday 26 November" in late.body


def test_a_company_name_ending_in_a_full_stop_does_not_double_it():
    o = opportunity(company="Quill & Co.", status="rejected", outcome_on="2026-11-26")
    other = drafts_for(o, EVENING, kind=DraftKind.OTHER_ROLES)[0]
    assert "Quill & Co.." not in other.body
    assert "Quill & Co. I'd" in other.body


def test_the_note_greets_by_first_name_unless_formal_greetings_are_set():
    informal = drafts_for(opportunity(), EVENING)
    assert [d.body.split("\n", 1)[0] for d in informal] == ["Hi Jörg,", "Hi Amélie,"]
    formal = drafts_for(opportunity(), EVENING, formal=True)
    assert [d.body.split("\n", 1)[0] for d in formal] == [
        "Dear Jörg Müller,",
        "Dear Amélie Dubois,",
    ]
    check_in = drafts_for(
        opportunity(timeline={"decision_by": "2026-11-27"}), AFTER_THE_DATE, kind=DraftKind.CHECK_IN
    )[0]
    assert check_in.body.startswith("Hi Sofia,\n")


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Priya Raman", "Priya"),
        ("Dr. Priya Raman", "Priya"),
        ("Jean-Luc Picard", "Jean-Luc"),
        ("Prince", "Prince"),
        ("Ms Amélie Dubois", "Amélie"),
    ],
)
def test_first_name_skips_an_honorific(name, first):
    assert first_name(name) == first


def test_research_topics_stay_out_of_the_note():
    for draft in drafts_for(opportunity(), EVENING, kind=DraftKind.THANK_YOU) + drafts_for(
        opportunity(), EVENING, kind=DraftKind.CARD
    ):
        assert "dbt tests" not in draft.body
        assert "reading up" not in draft.body


def test_a_question_the_debrief_records_they_asked_goes_into_their_note_only():
    o = opportunity()
    o.rounds[0].debrief.answers = [
        AnswerReview(question="How would you test a dbt model?", asked_by="Amélie Dubois"),
        AnswerReview(question="Why logistics?", asked_by="Someone else"),
    ]
    jorg, amelie = drafts_for(o, EVENING)
    assert 'your question, "How would you test a dbt model"' in amelie.body
    assert "dbt model" not in jorg.body
    assert "Why logistics" not in jorg.body + amelie.body


def test_the_card_thanks_without_presuming_the_offer():
    for card in drafts_for(opportunity(), EVENING, kind=DraftKind.CARD):
        assert "join" not in card.body.lower()
        assert "delighted" not in card.body.lower()
        assert card.body.startswith(f"Hi {card.to_name.split()[0]},")


def sentences(body: str) -> list[str]:
    """The body's sentences and lines, without the greeting (which always differs)."""
    lines = body.strip().split("\n")[1:]
    return [s.strip() for line in lines for s in re.split(r"(?<=[.?!\]])\s+", line) if s.strip()]


interviewer_notes = st.lists(
    st.sampled_from(["", "his team's move to dbt", "the dashboard she built", "their roadmap"]),
    min_size=2,
    max_size=16,
)


@settings(max_examples=40, deadline=None)
@given(notes=interviewer_notes, kind=st.sampled_from([DraftKind.THANK_YOU, DraftKind.CARD]))
def test_two_interviewers_of_one_round_never_get_notes_that_differ_in_one_sentence(notes, kind):
    """They may compare notes: each must read as its own letter, not one with a name swapped,
    even when nothing personal was recorded and they share a first name (panels of up to 16)."""
    o = opportunity()
    o.rounds[0].interviewers = [
        Interviewer(name=f"Priya Raman-{i}", personal_note=note) for i, note in enumerate(notes)
    ]
    drafts = drafts_for(o, EVENING, kind=kind)
    assert len(drafts) == len(notes)
    for a, b in itertools.combinations(drafts, 2):
        only_a = Counter(sentences(a.body)) - Counter(sentences(b.body))
        only_b = Counter(sentences(b.body)) - Counter(sentences(a.body))
        assert min(sum(only_a.values()), sum(only_b.values())) >= 2, (a.body, b.body)


def test_a_sent_note_asked_for_again_is_marked_already_sent():
    o = opportunity()
    o.rounds[0].interviewers[0].thank_you.sent_at = datetime(2026, 11, 26, 15, tzinfo=BERLIN)
    assert [d.person for d in drafts_for(o, EVENING)] == ["Amélie Dubois"]
    jorg, amelie = drafts_for(o, EVENING, kind=DraftKind.THANK_YOU)
    assert jorg.title == "Thank-you note to Jörg Müller (onsite) (already sent on Thu 26 Nov 2026)"
    assert "already sent" not in amelie.title


def test_drafts_due_gathers_every_opportunity_and_skips_cancelled_rounds():
    other = opportunity(id="kestrel", company="Kestrel")
    other.rounds[0].cancelled = True
    drafts = drafts_due([opportunity(), other], EVENING)
    assert {d.opportunity for d in drafts} == {"northwind"}
    assert drafts_due([other], EVENING, kind=DraftKind.THANK_YOU) == []


# Missing addresses


def test_an_interviewer_with_no_email_gets_a_draft_that_says_who_has_no_address():
    amelie = drafts_for(opportunity(), EVENING)[1]
    assert amelie.to_email is None
    assert amelie.mailto() is None
    assert amelie.problem is not None and "no email address for Amélie Dubois" in amelie.problem
    # The warning goes beside the copy-ready text, never inside it.
    assert "no email address" not in amelie.as_text()
    assert amelie.as_text().startswith("To: Amélie Dubois\nSubject: Thank you")
    assert "the dashboard you built" in amelie.body


def test_with_no_recruiter_the_check_in_is_drafted_and_says_so():
    o = opportunity(recruiter=None, timeline={"decision_by": "2026-11-27"})
    (draft,) = drafts_for(o, AFTER_THE_DATE, kind=DraftKind.CHECK_IN)
    assert (draft.to_name, draft.to_email) == ("Hiring team", None)
    assert draft.body.startswith("Dear hiring team,")
    assert (
        draft.problem == "no recruiter recorded for Northwind Logistics: add their name and email"
    )


# Header guards


@pytest.mark.parametrize("bad", ["a\nBcc: x@evil.example", "a\rb", "a\x00b", "a\u2028b", "a\tb"])
@pytest.mark.parametrize("field", ["to_name", "to_email", "subject"])
def test_a_line_break_or_control_character_in_a_header_is_refused(field, bad):
    values = {"to_name": "Kim", "to_email": "kim@x.example", "subject": "Hello"}
    values[field] = bad
    with pytest.raises(InvalidRecord, match=f"{field}: .* refused"):
        Draft(DraftKind.THANK_YOU, body="Hi\n", **values)


def test_a_sender_with_a_line_break_is_refused():
    draft = drafts_for(opportunity(), EVENING)[0]
    with pytest.raises(UsageError, match="refused"):
        message_for(draft, sender="me@x.example\nBcc: everyone@x.example")


# mailto and .eml messages (in memory)


def test_mailto_carries_subject_and_body_in_utf8_with_crlf_line_breaks():
    draft = drafts_for(opportunity(), EVENING)[0]
    link = draft.mailto()
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "joerg@northwind.example"
    assert " " not in link and "\n" not in link
    query = parse_qs(parts.query)
    assert query["subject"] == [draft.subject]
    assert query["body"] == [draft.body.replace("\n", "\r\n")]
    assert "J%C3%B6rg" in link


def test_an_eml_message_round_trips_names_subject_and_body():
    draft = drafts_for(opportunity(), EVENING, sender="Alex Morgan")[0]
    raw = message_for(draft, sender=format_sender("Zoë Ng", "zoe@x.example")).as_bytes()
    assert raw.isascii()  # names are RFC 2047 encoded, the body quoted-printable
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    (to,) = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Jörg Müller", "joerg@northwind.example")
    (frm,) = parsed["From"].addresses
    assert (frm.display_name, frm.addr_spec) == ("Zoë Ng", "zoe@x.example")
    assert parsed["Subject"] == draft.subject
    assert parsed["X-Unsent"] == "1"
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content().replace("\r\n", "\n") == draft.body
    assert PROBLEM_HEADER not in parsed


def test_an_eml_without_an_address_has_no_to_and_names_who_is_missing():
    amelie = drafts_for(opportunity(), EVENING)[1]
    parsed = BytesParser(policy=policy.default).parsebytes(message_for(amelie).as_bytes())
    assert "To" not in parsed
    assert "From" not in parsed
    assert "no email address for Amélie Dubois" in parsed[PROBLEM_HEADER]


def test_a_non_ascii_address_is_written_as_utf8():
    o = opportunity()
    o.rounds[0].interviewers[1].email = "amélie@northwind.example"
    amelie = drafts_for(o, EVENING)[1]
    raw = message_for(amelie).as_bytes()
    parsed = message_from_string(raw.decode("utf-8"), policy=policy.default)
    (to,) = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Amélie Dubois", "amélie@northwind.example")


def test_a_card_is_not_an_email():
    o = opportunity()
    card = drafts_for(o, EVENING, kind=DraftKind.CARD)[0]
    with pytest.raises(UsageError, match="not an email"):
        message_for(card)


# Small text helpers


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("his team's move to dbt", "your team's move to dbt"),
        ("the dashboard she built", "the dashboard you built"),
        ("Their point about research debt", "Your point about research debt"),
        ("how he was hired", "how you were hired"),
        ("a wish list", "a wish list"),  # 'his' inside a word is left alone
    ],
)
def test_second_person_speaks_to_the_interviewer(note, said):
    assert second_person(note) == said


def test_mid_sentence_lowers_only_a_leading_function_word():
    assert mid_sentence("How dbt tests work") == "how dbt tests work"
    assert mid_sentence("Northwind's new hub") == "Northwind's new hub"


def test_join_names_reads_like_a_sentence():
    assert [join_names(n) for n in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "",
        "A",
        "A and B",
        "A, B and C",
    ]


def test_drafts_need_an_aware_now():
    with pytest.raises(ValueError, match="aware"):
        drafts_for(opportunity(), datetime(2026, 11, 26, 18))
