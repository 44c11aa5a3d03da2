"""The three-way merge: disjoint edits merge, same-field edits conflict, list items by identity."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.merge import Conflict, changes, merge, summary
from followup.core.model import Opportunity


def example() -> dict:
    return Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "role": "Analyst",
            "timeline": {"next_step": "Panel", "decision_by": "2026-12-01"},
            "reflection": {"dealbreakers": ["No remote", "On call"]},
            "rounds": [
                {
                    "name": "Round 1",
                    "interviewers": [
                        {"name": "Kim Lee", "email": "kim@acme.example"},
                        {"name": "Priya Raman"},
                    ],
                    "debrief": {
                        "answers": [
                            {"question": "Why us?", "my_answer": "Mission"},
                            {"question": "A conflict?", "my_answer": "The migration"},
                            {"question": "Questions?"},
                        ],
                        "research": [{"topic": "Their stack"}],
                    },
                },
                {"name": "Round 2"},
            ],
        }
    ).model_dump(mode="json")


def edited(data: dict, edit) -> dict:
    copied = copy.deepcopy(data)
    edit(copied)
    return copied


def test_edits_to_different_fields_both_land():
    base = example()
    mine = edited(base, lambda d: d.update(location="Berlin"))
    theirs = edited(base, lambda d: d["timeline"].update(next_step="Onsite"))
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    assert result.merged["location"] == "Berlin"
    assert result.merged["timeline"]["next_step"] == "Onsite"
    assert Opportunity.model_validate(result.merged).location == "Berlin"


def test_the_same_field_changed_alike_on_both_sides_is_no_conflict():
    base = example()
    mine = edited(base, lambda d: d.update(role="Senior Analyst"))
    result = merge(base, mine, copy.deepcopy(mine))
    assert result.conflicts == ()
    assert result.merged["role"] == "Senior Analyst"


def test_the_same_field_changed_differently_is_a_conflict_with_both_values_keeping_theirs():
    base = example()
    mine = edited(base, lambda d: d["rounds"][0]["interviewers"][1].update(email="p@mine.example"))
    theirs = edited(
        base, lambda d: d["rounds"][0]["interviewers"][1].update(email="p@theirs.example")
    )
    result = merge(base, mine, theirs)
    assert result.conflicts == (
        Conflict(
            path=("rounds", 0, "interviewers", 1, "email"),
            label="Round 1 › Priya Raman › email",
            base=None,
            mine="p@mine.example",
            theirs="p@theirs.example",
        ),
    )
    assert result.merged["rounds"][0]["interviewers"][1]["email"] == "p@theirs.example"


def test_resolutions_settle_a_conflict_either_way():
    base = example()
    mine = edited(base, lambda d: d.update(notes="mine"))
    theirs = edited(base, lambda d: d.update(notes="theirs", location="Oslo"))
    kept_mine = merge(base, mine, theirs, resolutions={("notes",): "mine"})
    assert kept_mine.conflicts == ()
    assert (kept_mine.merged["notes"], kept_mine.merged["location"]) == ("mine", "Oslo")
    kept_theirs = merge(base, mine, theirs, resolutions={("notes",): "theirs"})
    assert (kept_theirs.conflicts, kept_theirs.merged["notes"]) == ((), "theirs")


def test_an_interviewer_added_on_each_side_keeps_both():
    base = example()
    mine = edited(base, lambda d: d["rounds"][0]["interviewers"].append({"name": "Ana Ruiz"}))
    theirs = edited(base, lambda d: d["rounds"][0]["interviewers"].append({"name": "Bo Chen"}))
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    names = [p["name"] for p in result.merged["rounds"][0]["interviewers"]]
    assert names == ["Kim Lee", "Priya Raman", "Bo Chen", "Ana Ruiz"]


def test_the_same_interviewer_added_on_both_sides_merges_field_by_field():
    base = example()
    mine = edited(
        base, lambda d: d["rounds"][1]["interviewers"].append({"name": "Jo", "title": "CTO"})
    )
    theirs = edited(
        base, lambda d: d["rounds"][1]["interviewers"].append({"name": "Jo", "phone": "123"})
    )
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    (jo,) = result.merged["rounds"][1]["interviewers"]
    assert (jo["title"], jo["phone"]) == ("CTO", "123")


def test_another_answer_edited_on_each_side_merges():
    base = example()
    answers = ("rounds", 0, "debrief", "answers")

    def set_answer(index: int, text: str):
        return lambda d: d["rounds"][0]["debrief"]["answers"][index].update(my_answer=text)

    result = merge(
        base, edited(base, set_answer(0, "Their mission")), edited(base, set_answer(2, "Ask"))
    )
    assert result.conflicts == ()
    merged = result.merged["rounds"][0]["debrief"]["answers"]
    assert [a["my_answer"] for a in merged] == ["Their mission", "The migration", "Ask"]
    clash = merge(base, edited(base, set_answer(1, "A")), edited(base, set_answer(1, "B")))
    assert [c.path for c in clash.conflicts] == [(*answers, 1, "my_answer")]
    assert clash.conflicts[0].label == "Round 1 › debrief › answer 2 › my answer"


def test_an_answer_deleted_on_one_side_does_not_shift_an_edit_on_the_other():
    base = example()
    mine = edited(base, lambda d: d["rounds"][0]["debrief"]["answers"].pop(0))
    theirs = edited(
        base, lambda d: d["rounds"][0]["debrief"]["answers"][2].update(my_answer="None")
    )
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    merged = result.merged["rounds"][0]["debrief"]["answers"]
    assert [(a["question"], a["my_answer"]) for a in merged] == [
        ("A conflict?", "The migration"),
        ("Questions?", "None"),
    ]


def test_a_deletion_against_an_unchanged_item_deletes_it_and_against_an_edit_conflicts():
    base = example()
    mine = edited(base, lambda d: d["rounds"][0]["interviewers"].pop(0))
    untouched = edited(base, lambda d: d.update(location="Berlin"))
    result = merge(base, mine, untouched)
    assert result.conflicts == ()
    assert [p["name"] for p in result.merged["rounds"][0]["interviewers"]] == ["Priya Raman"]

    edited_kim = edited(base, lambda d: d["rounds"][0]["interviewers"][0].update(title="Lead"))
    result = merge(base, mine, edited_kim)
    (conflict,) = result.conflicts
    assert conflict.label == "Round 1 › Kim Lee"
    assert conflict.mine is None and conflict.theirs["title"] == "Lead"
    assert [p["name"] for p in result.merged["rounds"][0]["interviewers"]] == [
        "Kim Lee",
        "Priya Raman",
    ]
    assert conflict.path == ("rounds", 0, "interviewers", 0)
    resolved = merge(base, mine, edited_kim, resolutions={conflict.path: "mine"})
    assert resolved.conflicts == ()
    assert [p["name"] for p in resolved.merged["rounds"][0]["interviewers"]] == ["Priya Raman"]


def test_a_renamed_round_still_merges_with_an_edit_inside_it():
    base = example()
    mine = edited(base, lambda d: d["rounds"][0].update(name="Phone screen"))
    theirs = edited(base, lambda d: d["rounds"][0]["debrief"].update(notes="Went well"))
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    first = result.merged["rounds"][0]
    assert (first["name"], first["debrief"]["notes"]) == ("Phone screen", "Went well")
    assert len(result.merged["rounds"]) == 2


def test_dealbreakers_and_research_topics_merge_by_their_text():
    base = example()
    mine = edited(base, lambda d: d["reflection"]["dealbreakers"].remove("No remote"))
    theirs = edited(base, lambda d: d["reflection"]["dealbreakers"].append("Travel"))
    result = merge(base, mine, theirs)
    assert result.merged["reflection"]["dealbreakers"] == ["On call", "Travel"]
    mine = edited(base, lambda d: d["rounds"][0]["debrief"]["research"][0].update(done=True))
    theirs = edited(
        base,
        lambda d: d["rounds"][0]["debrief"]["research"].insert(
            0, {"topic": "Pricing", "done": False}
        ),
    )
    research = merge(base, mine, theirs).merged["rounds"][0]["debrief"]["research"]
    assert research == [{"topic": "Pricing", "done": False}, {"topic": "Their stack", "done": True}]


def test_a_section_first_written_on_both_sides_compares_only_what_was_typed():
    base = Opportunity(id="acme", company="Acme").model_dump(mode="json")
    mine = edited(base, lambda d: d.update(timeline={"given": True, "next_step": "Panel"}))
    theirs = edited(base, lambda d: d.update(timeline={"given": True, "next_step": ""}))
    theirs["timeline"]["decision_by"] = "2026-12-01"
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    assert result.merged["timeline"] == {
        "given": True,
        "next_step": "Panel",
        "decision_by": "2026-12-01",
    }


def test_the_summary_says_what_changed_in_one_line():
    base = example()
    after = edited(base, lambda d: d["rounds"][0]["interviewers"].append({"name": "Ana Ruiz"}))
    after["timeline"]["decision_by"] = "2026-12-03"
    assert changes(base, after) == [
        "timeline.decision_by: 2026-12-01 → 2026-12-03",
        "rounds[Round 1].interviewers: + Ana Ruiz",
    ]
    assert summary(base, base) == "no change"
    many = edited(base, lambda d: d.update(role="A", location="B", notes="C", link=None))
    many["timeline"]["next_step"] = "D"
    many["rounds"].pop()
    assert summary(base, many).endswith("; and 1 more")
    assert "rounds: − Round 2" in changes(base, many)


# Property-based: random edits of disjoint fields never conflict and both land.

FIELDS = {
    "role": st.text(max_size=20).map(str.strip).filter(lambda s: "\n" not in s),
    "location": st.text(max_size=20),
    "notes": st.text(max_size=40),
    "status": st.sampled_from(["active", "offer", "rejected", "no response"]),
    ("timeline", "next_step"): st.text(max_size=20),
    ("timeline", "decision_by"): st.dates().map(lambda d: d.isoformat()),
    ("rounds", 0, "interviewers", 0, "email"): st.emails(),
    ("rounds", 0, "interviewers", 1, "title"): st.text(max_size=10),
    ("rounds", 0, "debrief", "answers", 0, "my_answer"): st.text(max_size=20),
    ("rounds", 0, "debrief", "answers", 2, "my_answer"): st.text(max_size=20),
    ("rounds", 1, "duration_minutes"): st.integers(1, 600),
    ("reflection", "what_i_want"): st.text(max_size=20),
}
KEYS = list(FIELDS)


def put(data: dict, key, value) -> None:
    path = key if isinstance(key, tuple) else (key,)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def get(data: dict, key):
    path = key if isinstance(key, tuple) else (key,)
    for part in path:
        data = data[part]
    return data


@st.composite
def two_edits(draw):
    keys = draw(st.permutations(KEYS))
    split = draw(st.integers(0, len(KEYS)))
    mine_keys = draw(st.lists(st.sampled_from(keys[:split]), unique=True)) if split else []
    theirs_keys = (
        draw(st.lists(st.sampled_from(keys[split:]), unique=True)) if split < len(KEYS) else []
    )
    mine = {k: draw(FIELDS[k]) for k in mine_keys}
    theirs = {k: draw(FIELDS[k]) for k in theirs_keys}
    return mine, theirs


@settings(max_examples=60, deadline=None)
@given(two_edits())
def test_random_edits_of_disjoint_fields_merge_without_conflict_and_both_land(edits):
    base = example()
    mine_edits, theirs_edits = edits
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for key, value in mine_edits.items():
        put(mine, key, value)
    for key, value in theirs_edits.items():
        put(theirs, key, value)
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    for key, value in {**mine_edits, **theirs_edits}.items():
        assert get(result.merged, key) == value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)
documents = st.dictionaries(
    st.sampled_from(["a", "b", "rounds", "answers", "dealbreakers", "name"]), json_values
)


@settings(max_examples=150, deadline=None)
@given(documents, documents)
def test_a_change_on_one_side_only_is_taken_as_it_is(base, changed):
    assert merge(base, changed, base) == merge(base, changed, base)
    assert merge(base, changed, base).merged == changed
    assert merge(base, base, changed).merged == changed
    assert merge(base, changed, changed).merged == changed
    assert merge(base, changed, base).conflicts == ()
