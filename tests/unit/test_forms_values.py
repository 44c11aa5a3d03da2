"""What is typed in a form is what is stored: dates, times, zones, numbers and links, read strictly.

The browser's date input turned 2026-02-31 into 2026-02-03; these fields never move a value to a
nearby one. Property tests type random valid values into each form, save, open a new form on the
file and expect to see exactly the same; random invalid text is never written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.clock import parse_now
from followup.core.model import Format, Status
from followup.forms.debrief import DebriefForm
from followup.forms.editor import Editor
from followup.forms.follow_up import FollowUpForm
from followup.forms.interview import InterviewForm
from followup.forms.reflect import ReflectForm
from followup.forms.values import (
    COMMON_ZONES,
    parse_clock,
    parse_day,
    parse_number,
    parse_whole,
    parse_zone,
    web_address,
    zone_choices,
    zone_label,
)
from followup.storage.workbook import Workbook
from support import EXAMPLE, EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"
PROPERTY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The readers, one by one


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2026-02-31", "February 2026 has 28 days"),
        ("2028-02-30", "February 2028 has 29 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-13-01", "the month is 1 to 12"),
        ("2026-00-10", "the month is 1 to 12"),
        ("2026-11-00", "November 2026 has 30 days"),
    ],
)
def test_an_impossible_date_is_refused_never_moved(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_day(typed)


@pytest.mark.parametrize("typed", ["2026-11", "-11-26", "11/26/2026", "26.11.2026", "tomorrow"])
def test_a_partial_or_foreign_date_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValueError, match="such as 2026-12-03"):
        parse_day(typed)


def test_a_date_reads_with_or_without_leading_zeros_and_empty_is_none() -> None:
    assert parse_day(" 2026-3-5 ") == date(2026, 3, 5)
    assert parse_day("2028-02-29") == date(2028, 2, 29)
    assert parse_day("") is None


@pytest.mark.parametrize("typed", ["24:00", "9:60", "9", "nine", "14:30:61", "-1:00"])
def test_an_impossible_time_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="such as 14:30"):
        parse_clock(typed)


def test_a_time_reads_in_24_hours() -> None:
    assert parse_clock("9:05") == time(9, 5)
    assert parse_clock("14.30") == time(14, 30)
    assert parse_clock("23:59:30") == time(23, 59, 30)
    assert parse_clock("") is None


@pytest.mark.parametrize("typed", ["0", "1441", "90.5", "-5", "an hour"])
def test_minutes_out_of_range_are_refused_never_clamped(typed: str) -> None:
    with pytest.raises(ValueError, match="whole number from 1 to 1440"):
        parse_whole(typed, 1, 1440)


def test_the_zone_picker_offers_common_zones_first_without_aliases() -> None:
    offered = zone_choices()
    assert offered[: len(COMMON_ZONES)] == COMMON_ZONES
    for alias in ("Factory", "localtime", "Etc/GMT+5", "posixrules", "EST"):
        assert alias not in offered
    assert "Europe/Berlin" in offered and "America/Argentina/Buenos_Aires" in offered


def test_each_zone_shows_its_offset_at_the_moment_given() -> None:
    assert zone_label("Europe/Berlin", datetime(2026, 1, 15, 12)) == "Europe/Berlin (UTC+01:00)"
    summer = datetime(2026, 7, 15, 12).astimezone()
    assert zone_label("Europe/Berlin", summer) == "Europe/Berlin (UTC+02:00)"
    assert zone_label("Asia/Kolkata", NOW) == "Asia/Kolkata (UTC+05:30)"
    assert zone_label("America/New_York", NOW) == "America/New_York (UTC-05:00)"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Europe/Oslo (UTC+01:00)", "Europe/Oslo"),
        ("europe/oslo", "Europe/Oslo"),
        ("Oslo", "Europe/Oslo"),
        ("new york", "America/New_York"),
        ("UTC", "UTC"),
        ("", None),
    ],
)
def test_a_zone_can_be_searched_by_city(typed: str, name: str | None) -> None:
    assert parse_zone(typed) == name


@pytest.mark.parametrize("typed", ["Berln", "Mars/Olympus", "Europe"])
def test_an_unknown_zone_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="such as Europe/Berlin"):
        parse_zone(typed)


def test_a_link_without_a_scheme_gets_https() -> None:
    assert web_address("www.kestrel.example/jobs/1") == "https://www.kestrel.example/jobs/1"
    assert web_address("http://old.example") == "http://old.example"
    assert web_address("  ") is None


# Whole forms: typed, saved, reopened


@contextmanager
def workbook() -> Iterator[Path]:
    """A private copy of the example (Hypothesis runs many examples in one test)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "workbook"
        shutil.copytree(EXAMPLE, target)
        yield target


def shown(form: Editor) -> list[Any]:
    """Every value the form shows, in the order on screen (text without the spaces around it,
    which the model does not keep and a person cannot see)."""
    inputs = {id(f.widget) for f in form.watched}
    values: list[Any] = []

    def walk(widget: Any) -> None:
        if id(widget) in inputs:
            value = widget.value
            values.append(value.strip() if isinstance(value, str) else value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(form.widget)
    return values


def file_bytes(root: Path) -> bytes:
    return (root / "opportunities" / f"{ID}.yaml").read_bytes()


Make = Callable[[Workbook], Editor]
FORMS: dict[str, Make] = {
    "interview": lambda b: InterviewForm(b, b.get(ID), NOW, autosave_seconds=None),
    "debrief": lambda b: DebriefForm(b, b.get(ID), NOW, autosave_seconds=None),
    "reflect": lambda b: ReflectForm(b, b.get(ID), NOW, autosave_seconds=None),
    "follow_up": lambda b: FollowUpForm(b, b.get(ID), NOW, autosave_seconds=None),
}

line = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"),
    max_size=30,
)
paragraph = st.lists(line, max_size=3).map("\n".join)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
day_text = days.flatmap(lambda d: st.sampled_from([d.isoformat(), f"{d.year}-{d.month}-{d.day}"]))
clock_text = st.times().map(lambda t: f"{t.hour}:{t.minute:02d}")
names = st.text(st.characters(whitelist_categories=("L",)), min_size=1, max_size=12)
zones = st.sampled_from(zone_choices())


def _roundtrip(make: Make, typing: Callable[[Editor], None]) -> None:
    with workbook() as root:
        book = Workbook(root)
        form = make(book)
        typing(form)
        form.save()
        assert not form.bad, {f.label: m for f, m in form.bad.items()}
        again = make(Workbook(root))
        assert shown(again) == shown(form)


@PROPERTY
@given(
    company=names,
    role=line,
    location=line,
    link=st.from_regex(r"[a-z]{1,8}\.example(/[a-z0-9]{1,6})?", fullmatch=True),
    day=day_text,
    clock=clock_text,
    zone=zones,
    minutes=st.integers(1, 24 * 60),
    fmt=st.sampled_from(list(Format)),
    next_step=line,
    decision=day_text,
    notes=paragraph,
)
def test_interview_values_reload_exactly_as_shown(**values: Any) -> None:
    def typing(form: InterviewForm) -> None:
        form.company.widget.value = values["company"]
        form.role.widget.value = values["role"]
        form.location.widget.value = values["location"]
        form.link.widget.value = values["link"]
        form.day.widget.value = values["day"]
        form.clock.widget.value = values["clock"]
        form.zone.widget.value = values["zone"]
        form.duration.widget.value = str(values["minutes"])
        form.format.widget.value = values["fmt"]
        form.nothing_said.widget.value = False
        form.next_step.widget.value = values["next_step"]
        form.decision_by.widget.value = values["decision"]
        form.timeline_notes.widget.value = values["notes"]

    _roundtrip(FORMS["interview"], typing)


@settings(PROPERTY, max_examples=3)
@given(
    name=names,
    title=line,
    email=st.one_of(st.just(""), st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True)),
    card=st.booleans(),
    note=line,
    question=paragraph,
    reaction_note=line,
)
def test_a_new_interviewer_and_answer_reload_exactly_as_shown(**values: Any) -> None:
    def person(form: InterviewForm) -> None:
        row = form.interviewers.add()
        row["name"].widget.value = values["name"]
        row["title"].widget.value = values["title"]
        row["email"].widget.value = values["email"]
        row["card_collected"].widget.value = values["card"]
        row["personal_note"].widget.value = values["note"]

    def answer(form: DebriefForm) -> None:
        row = form.answers.add()
        row["question"].widget.value = (
            values["question"] if values["question"].strip() else "Why us?"
        )
        row["reaction_note"].widget.value = values["reaction_note"]

    _roundtrip(FORMS["interview"], person)
    _roundtrip(FORMS["debrief"], answer)


@PROPERTY
@given(feeling=paragraph, rating=st.sampled_from([None, 1, 2, 3, 4, 5]), notes=paragraph)
def test_debrief_values_reload_exactly_as_shown(**values: Any) -> None:
    def typing(form: DebriefForm) -> None:
        form.feeling.widget.value = values["feeling"]
        form.rating.widget.value = values["rating"]
        form.notes.widget.value = values["notes"]

    _roundtrip(FORMS["debrief"], typing)


@PROPERTY
@given(
    scores=st.lists(st.sampled_from([None, 1, 2, 3, 4, 5]), min_size=5, max_size=5),
    note=line,
    numbers=st.lists(st.integers(0, 10**7), min_size=3, max_size=3).map(sorted),
    cents=st.sampled_from(["", ".5", ".25"]),
    currency=st.sampled_from(["EUR", "usd", "NOK", "GBP"]),
)
def test_reflect_values_reload_exactly_as_shown(**values: Any) -> None:
    def typing(form: ReflectForm) -> None:
        for field, score in zip(form.scores.values(), values["scores"], strict=True):
            field.widget.value = score
        form.area_notes["growth"].widget.value = values["note"]
        form.currency.widget.value = values["currency"]
        low, mid, high = values["numbers"]
        form.money["minimum"].widget.value = str(low)
        form.money["target"].widget.value = f"{mid}{values['cents'] if mid < high else ''}"
        form.money["stretch"].widget.value = f"{high:,}"

    _roundtrip(FORMS["reflect"], typing)


@PROPERTY
@given(
    status=st.sampled_from(list(Status)),
    outcome=day_text,
    next_step=line,
    decision=day_text,
)
def test_follow_up_values_reload_exactly_as_shown(**values: Any) -> None:
    def typing(form: FollowUpForm) -> None:
        form.status_field.widget.value = values["status"]
        form.outcome_on.widget.value = values["outcome"]
        form.next_step.widget.value = values["next_step"]
        form.decision_by.widget.value = values["decision"]

    _roundtrip(FORMS["follow_up"], typing)


def _unreadable(reader: Callable[[str], Any]) -> st.SearchStrategy[str]:
    def fails(text: str) -> bool:
        try:
            reader(text)
        except ValueError:
            return True
        return False

    return st.text(max_size=16).filter(fails)


#: Each form's typed fields a person can get wrong, with how each is read.
TYPED_FIELDS: dict[str, list[tuple[Callable[[Any], Any], Callable[[str], Any]]]] = {
    "interview": [
        (lambda f: f.day, parse_day),
        (lambda f: f.clock, parse_clock),
        (lambda f: f.zone, parse_zone),
        (lambda f: f.duration, lambda t: parse_whole(t, 1, 24 * 60)),
        (lambda f: f.decision_by, parse_day),
    ],
    "follow_up": [
        (lambda f: f.outcome_on, parse_day),
        (lambda f: f.decision_by, parse_day),
        (lambda f: f.feedback_received, parse_day),
    ],
    "reflect": [
        (lambda f: f.money["minimum"], parse_number),
        (lambda f: f.money["stretch"], parse_number),
    ],
}


@pytest.mark.parametrize("form_name", sorted(TYPED_FIELDS))
def test_invalid_text_is_never_written_and_stays_in_its_field(form_name: str) -> None:
    with workbook() as root:
        before = file_bytes(root)
        form = FORMS[form_name](Workbook(root))
        fields = [pick(form) for pick, _ in TYPED_FIELDS[form_name]]
        typed_texts = st.tuples(*(_unreadable(reader) for _, reader in TYPED_FIELDS[form_name]))

        @PROPERTY
        @given(typed=typed_texts)
        def check(typed: tuple[str, ...]) -> None:
            for field, text in zip(fields, typed, strict=True):
                field.widget.value = text
            assert form.save() is False
            assert file_bytes(root) == before
            for field, text in zip(fields, typed, strict=True):
                assert field.widget.value == text
                assert field.message, f"no error shown beside {field.label}"
            assert not (root / ".history").exists()

        check()
