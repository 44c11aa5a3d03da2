"""An invitation's title read into company, round and role, in the shapes people write them, and
'not sure' said rather than a guess when the parts cannot be told apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.imports.invite import read_title


@pytest.mark.parametrize(
    ("title", "domain", "company", "round", "role"),
    [
        (
            "Lumora Labs: Technical interview (Data Engineer)",
            "Lumora",
            "Lumora Labs",
            "Technical interview",
            "Data Engineer",
        ),
        (
            "Lumora Labs - Technical interview - Data Engineer",
            None,
            "Lumora Labs",
            "Technical interview",
            "Data Engineer",
        ),
        ("Technical interview with Lumora Labs", None, "Lumora Labs", "Technical interview", None),
        (
            "Lumora Labs | Data Engineer | Technical interview",
            None,
            "Lumora Labs",
            "Technical interview",
            "Data Engineer",
        ),
        (
            "Interview: Data Engineer at Lumora Labs",
            None,
            "Lumora Labs",
            "Interview",
            "Data Engineer",
        ),
        (
            "Data Engineer – first interview (Kestrel Robotics)",
            "Kestrel Robotics",
            "Kestrel Robotics",
            "first interview",
            "Data Engineer",
        ),
        (
            "Hoshi Games – Technical interview (Teams)",
            None,
            "Hoshi Games",
            "Technical interview",
            None,
        ),
    ],
)
def test_a_title_of_a_common_shape_gives_company_round_and_role(
    title, domain, company, round, role
):
    guess = read_title(title, domain)
    assert (guess.company, guess.round, guess.role) == (company, round, role)
    assert guess.unsure == ()


def test_with_a_person_is_not_taken_for_the_company():
    guess = read_title("Technical interview with Priya Raman", "Lumora")
    assert guess.company is None
    assert guess.round == "Technical interview with Priya Raman"


def test_parts_told_apart_only_by_their_place_are_said_to_be_unsure():
    guess = read_title("Foo | Bar | Baz")
    assert guess.company == "Foo"
    assert guess.unsure == ("whether 'Bar' is the round", "whether 'Baz' is the role")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([":", " - ", " | ", " with ", " at ", "(", ")", "Interview", "Acme"]),
            st.text(max_size=8),
        ),
        max_size=8,
    ),
    st.one_of(st.none(), st.sampled_from(["Acme", "", "a.b"])),
)
def test_reading_any_title_never_raises_and_names_only_its_own_words(parts, domain):
    title = "".join(parts)
    guess = read_title(title, domain)
    for found in (guess.company, guess.round, guess.role):
        assert found is None or (found and found.strip() == found)
        for word in (found or "").split():
            assert word in title
