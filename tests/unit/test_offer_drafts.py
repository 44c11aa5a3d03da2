"""Drafts that answer an offer: built from the person's own record, never a number they did not
write, and overridable like every other template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.errors import NotFound
from followup.core.model import Opportunity
from followup.offers.drafts import OfferDraftKind, below_target, offer_draft, offer_drafts

LUMEN = {
    "id": "lumen-ux",
    "company": "Lumen Health",
    "role": "UX Researcher",
    "status": "offer",
    "recruiter": {"name": "Priya Natarajan", "email": "priya@lumen.example"},
    "salary_range": {
        "currency": "GBP",
        "minimum": 48000,
        "target": 55000,
        "stretch": 60000,
        "notes": "Senior researcher roles in London list 55,000 to 62,000 GBP.",
    },
    "offer": {
        "currency": "GBP",
        "base": 52000,
        "answer_by": "2026-12-04",
        "start_on": "2027-01-11",
    },
}


def opportunity(**changes) -> Opportunity:
    return Opportunity.model_validate({**LUMEN, **changes})


def test_a_counter_offer_asks_for_your_target_with_your_own_reasons():
    draft = offer_draft(OfferDraftKind.COUNTER, opportunity(), sender="Alex Morgan")
    assert draft.to_email == "priya@lumen.example" and draft.problem is None
    assert "The offer's base salary is 52,000 GBP." in draft.body
    assert "I'd be glad to accept at a base of 55,000 GBP." in draft.body
    assert "Senior researcher roles in London list 55,000 to 62,000 GBP." in draft.body
    assert draft.body.startswith("Hi Priya,") and draft.body.rstrip().endswith("Alex Morgan")


def test_a_counter_offer_asks_for_the_stretch_once_the_offer_meets_the_target():
    met = opportunity(offer={**LUMEN["offer"], "base": 56000})
    assert "a base of 60,000 GBP" in offer_draft(OfferDraftKind.COUNTER, met).body
    assert not below_target(met)


def test_without_a_range_in_the_offers_currency_the_ask_is_left_for_you_to_fill_in():
    elsewhere = opportunity(salary_range={**LUMEN["salary_range"], "currency": "EUR"})
    body = offer_draft(OfferDraftKind.COUNTER, elsewhere).body
    assert "[the base you ask for]" in body and "55,000" not in body.split("list")[0]
    bare = opportunity(salary_range=None)
    body = offer_draft(OfferDraftKind.COUNTER, bare).body
    assert "[the base you ask for]" in body and "[Your reasons:" in body
    assert not below_target(bare) and not below_target(elsewhere)


def test_asking_for_more_time_names_their_date_and_leaves_yours_to_you():
    body = offer_draft(OfferDraftKind.MORE_TIME, opportunity()).body
    assert "You asked for my answer by Friday 4 December." in body
    assert "[the day you need]" in body


def test_an_acceptance_confirms_the_base_and_the_start_day():
    body = offer_draft(OfferDraftKind.ACCEPT, opportunity()).body
    assert "a base salary of 52,000 GBP, and a start on Monday 11 January" in body


def test_a_decline_is_warm_keeps_the_door_open_and_names_no_amount():
    body = offer_draft(OfferDraftKind.DECLINE, opportunity()).body
    assert "decided to decline" in body and "stay in touch" in body
    assert not re.search(r"\d", body)


def test_every_answer_goes_to_the_recruiter_or_says_who_is_missing():
    drafts = offer_drafts(opportunity(recruiter=None))
    assert [d.kind for d in drafts] == list(OfferDraftKind)
    assert all(
        d.to_name == "Hiring team" and d.body.startswith("Dear hiring team,") for d in drafts
    )
    assert all("no recruiter recorded for Lumen Health" in d.problem for d in drafts)


def test_no_offer_means_no_answer_to_draft():
    with pytest.raises(NotFound, match="no offer recorded"):
        offer_draft(OfferDraftKind.ACCEPT, opportunity(offer=None))


def test_a_template_in_the_workbook_overrides_the_shipped_one(tmp_path: Path):
    (tmp_path / "decline-offer.txt.j2").write_text(
        "Subject: No thanks\n\n{{ greeting }} Not this time.\n", encoding="utf-8"
    )
    draft = offer_draft(OfferDraftKind.DECLINE, opportunity(), templates_dir=tmp_path)
    assert (draft.subject, draft.body) == ("No thanks", "Hi Priya, Not this time.\n")


# Property: the counter-offer shows no number the record does not hold

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[float]:
    return {float(token.replace(",", "")) for token in NUMBER.findall(text)}


def record_numbers(value) -> set[float]:
    """Every number the record holds: its amounts, and any number written in its text."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int | float):
        return {float(value)}
    if isinstance(value, str):
        return numbers_in(value)
    if isinstance(value, dict):
        return set().union(*(record_numbers(v) for v in value.values()), set())
    if isinstance(value, list):
        return set().union(*(record_numbers(v) for v in value), set())
    return set()


amounts = st.one_of(
    st.integers(0, 10**9).map(float),
    st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
    st.decimals(0, 10**7, places=2).map(float),
)
words = st.text(st.characters(codec="ascii", categories=["L", "N", "Zs", "P"]), max_size=40)


@st.composite
def records(draw) -> Opportunity:
    levels = sorted(draw(st.lists(amounts, min_size=3, max_size=3)))
    keep = draw(st.lists(st.booleans(), min_size=3, max_size=3))
    salary = {
        "currency": draw(st.sampled_from(["EUR", "GBP", "USD"])),
        **{
            k: v
            for k, v, kept in zip(("minimum", "target", "stretch"), levels, keep, strict=True)
            if kept
        },
        "notes": draw(words),
    }
    offer = {"currency": draw(st.sampled_from(["EUR", "GBP"])), "base": draw(st.none() | amounts)}
    company = draw(words.filter(lambda w: w.strip() and "\n" not in w))
    return Opportunity.model_validate(
        {
            "id": "x",
            "company": company,
            "role": draw(words),
            "recruiter": {"name": draw(words.filter(str.strip))},
            "salary_range": draw(st.none() | st.just(salary)),
            "offer": offer,
        }
    )


@settings(max_examples=150, deadline=None)
@given(records(), words)
def test_every_number_in_a_counter_offer_is_one_the_person_recorded(record, sender):
    draft = offer_draft(OfferDraftKind.COUNTER, record, sender=sender or None)
    allowed = record_numbers(record.model_dump(mode="json")) | numbers_in(sender)
    shown = numbers_in(draft.subject + "\n" + draft.body)
    assert shown <= allowed, f"numbers not in the record: {shown - allowed}"
