"""The forms' shared pieces: numbers, error wording, autosave timing, the remembered choice."""

from __future__ import annotations

import threading
from datetime import date, time

import ipywidgets as w
import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.forms.editor import Debouncer, explain
from followup.forms.fields import Collector, Field
from followup.forms.page import open_workbook, remember, remembered
from followup.forms.values import combine_local, parse_number, zone_in, zone_names


@pytest.mark.parametrize(
    ("typed", "value"),
    [("64000", 64000.0), ("64,000", 64000.0), (" 64 000 ", 64000.0), ("64k", 64000.0), ("", None)],
)
def test_parse_number_reads_what_people_type(typed: str, value: float | None) -> None:
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["abc", "6-4", "nan", "inf"])
def test_parse_number_refuses_text_with_an_example(typed: str) -> None:
    with pytest.raises(ValueError, match="expected a number such as 64000"):
        parse_number(typed)


def test_explain_turns_pydantic_errors_into_plain_words() -> None:
    assert explain({"type": "missing"}) == "this is needed"
    assert explain({"type": "string_pattern_mismatch"}) == "keep this to one line of plain text"
    assert explain({"type": "value_error", "msg": "Value error, bad date"}) == "bad date"


def test_combine_local_is_aware_in_the_rounds_zone_across_daylight_saving() -> None:
    winter = combine_local(date(2026, 1, 15), time(9, 30), "Europe/Berlin")
    summer = combine_local(date(2026, 7, 15), time(9, 30), "Europe/Berlin")
    assert winter.isoformat() == "2026-01-15T09:30:00+01:00"
    assert summer.isoformat() == "2026-07-15T09:30:00+02:00"
    assert combine_local(None, time(9), "UTC") is None


def test_zone_names_offer_iana_zones_sorted() -> None:
    names = zone_names()
    assert "Europe/Berlin" in names and "America/New_York" in names
    assert list(names) == sorted(names)


def test_collector_gives_an_error_to_the_field_at_the_longest_prefix() -> None:
    collector = Collector()
    outer = Field(w.Text(), "outer")
    inner = Field(w.Text(), "inner")
    collector.fields[("reflection",)] = outer
    collector.fields[("reflection", "dealbreakers")] = inner
    assert collector.owner(("reflection", "dealbreakers", 2)) is inner
    assert collector.owner(("reflection", "what_i_want")) is outer
    assert collector.owner(("salary_range",)) is None


def test_collector_notes_a_value_it_cannot_read_and_writes_nothing() -> None:
    collector = Collector()
    field = Field(w.Text(value="abc"), "Minimum", to_model=parse_number)
    data = {"salary_range": {"minimum": 1.0}}
    collector.put(data, ("salary_range", "minimum"), field)
    assert data["salary_range"]["minimum"] == 1.0
    assert collector.problems and collector.problems[0][0] is field


def test_debouncer_without_delay_waits_for_flush_and_runs_once() -> None:
    calls: list[int] = []
    debouncer = Debouncer(None, lambda: calls.append(1))
    debouncer.touch()
    debouncer.touch()
    assert calls == []
    debouncer.flush()
    debouncer.flush()
    assert calls == [1]


def test_debouncer_cancel_drops_the_pending_run() -> None:
    calls: list[int] = []
    debouncer = Debouncer(None, lambda: calls.append(1))
    debouncer.touch()
    debouncer.cancel()
    debouncer.flush()
    assert calls == []


def test_debouncer_with_a_delay_runs_by_itself_once_after_the_last_change() -> None:
    done = threading.Event()
    calls: list[int] = []

    def action() -> None:
        calls.append(1)
        done.set()

    debouncer = Debouncer(0.05, action)
    for _ in range(5):
        debouncer.touch()
    assert done.wait(10), "autosave never ran"
    debouncer.flush()
    assert calls == [1]


def test_the_chosen_opportunity_is_remembered_in_the_workbook(tmp_path) -> None:
    book = open_workbook(tmp_path)
    assert remembered(book) is None
    remember(book, "acme-analyst")
    assert remembered(book) == "acme-analyst"
    remember(book, "../escape")
    assert remembered(book) == "acme-analyst"


def test_open_workbook_reads_followup_data_when_no_folder_is_given(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FOLLOWUP_DATA", str(tmp_path))
    assert open_workbook("").root == tmp_path
    assert open_workbook(tmp_path / "x").root == tmp_path / "x"


def test_the_address_names_the_opportunity_shown_only_in_the_app(monkeypatch) -> None:
    from followup.forms import page

    address = page.Address()
    address.show("northwind-data-analyst")
    assert address.widget.outputs == ()  # in JupyterLab the address names no opportunity
    monkeypatch.setattr(page, "in_app", lambda: True)
    address.show("northwind-data-analyst")
    [shown] = address.widget.outputs
    script = shown["data"]["application/javascript"]
    assert "searchParams.set('opportunity', 'northwind-data-analyst')" in script
    assert "history.replaceState" in script
    address.show("")  # a new opportunity: no id in the address
    assert (
        "searchParams.delete('opportunity')"
        in address.widget.outputs[0]["data"]["application/javascript"]
    )
    address.show("x'); alert('hi")  # never a script from something that is not an id
    assert "delete" in address.widget.outputs[0]["data"]["application/javascript"]


@pytest.mark.parametrize(
    ("place", "zone"),
    [
        ("Paris, hybrid", "Europe/Paris"),
        ("New York (onsite)", "America/New_York"),
        ("São Paulo, Brazil", "America/Sao_Paulo"),
        ("Hamburg, hybrid", None),  # no zone is named for Hamburg: this machine's is used
        ("Remote (EU)", None),
        ("", None),
        (None, None),
    ],
)
def test_a_location_that_names_a_zones_city_gives_that_zone(place, zone) -> None:
    assert zone_in(place) == zone


@given(st.text())
def test_any_location_gives_a_zone_from_the_list_or_none(place: str) -> None:
    found = zone_in(place)
    assert found is None or found in zone_names()
