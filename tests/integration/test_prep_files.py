"""stories.yaml and practice.yaml: saved whole, private, with history; a broken file is one line."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.core.errors import InvalidRecord
from followup.core.model import Opportunity
from followup.core.stories import Story, StoryBank
from followup.prep import practice
from followup.prep.questions import bank
from followup.storage import stories as store

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


def test_a_saved_story_bank_reads_back_the_same_and_only_its_owner_can_read_it(tmp_path):
    stories = StoryBank(stories=[Story(title="Onboarding study", tags=["influence"])])
    path = store.save_stories(tmp_path, stories)
    assert store.read_stories(tmp_path) == stories
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.save_stories(tmp_path, StoryBank(stories=[Story(title="Another")]))
    kept = list((tmp_path / ".history" / store.STORIES_HISTORY).glob("*.yaml"))
    assert len(kept) == 2  # the first version and the second
    assert store.read_stories(tmp_path).stories[0].title == "Another"


def test_no_stories_file_is_an_empty_bank(tmp_path):
    assert store.read_stories(tmp_path).stories == []
    assert store.stories_version(tmp_path) == ""


@pytest.mark.parametrize(
    "text",
    [
        "stories:\n- situation: no title\n",
        "stories: [\n",
        "- a list\n",
        "stories:\n- title: x\n  y: 1\n",
    ],
)
def test_a_broken_stories_file_is_one_clear_error_naming_the_file(tmp_path, text):
    (tmp_path / "stories.yaml").write_text(text)
    with pytest.raises(InvalidRecord) as error:
        store.read_stories(tmp_path)
    assert str(error.value).startswith(str(tmp_path / "stories.yaml"))


def test_a_rating_is_saved_and_reloaded_with_its_next_day(tmp_path):
    o = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "rounds": [
                {"name": "R1", "debrief": {"answers": [{"question": "Q?", "improve": "x"}]}}
            ],
        }
    )
    store.update_practice(tmp_path, lambda d: practice.add(d, bank([o]), NOW)[0])
    store.update_practice(tmp_path, lambda d: practice.rate(d, "acme/r1/1", "good", NOW)[0])
    deck = store.read_practice(tmp_path)
    (card,) = deck.cards
    assert card.due() > NOW and [r.grade.value for r in card.reviews] == ["good"]
    assert stat.S_IMODE((tmp_path / "practice.yaml").stat().st_mode) == 0o600
    assert practice.due(deck, NOW) == []


def test_a_hand_broken_practice_state_is_one_clear_error(tmp_path):
    (tmp_path / "practice.yaml").write_text(
        "cards:\n- id: a\n  question: q\n  memory: {due: soon}\n"
    )
    with pytest.raises(InvalidRecord, match=r"practice\.yaml.*memory"):
        store.read_practice(tmp_path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_whatever_stories_yaml_and_practice_yaml_hold_reading_them_never_raises_another_error(
    tmp_path, data
):
    for name, read in (
        ("stories.yaml", store.read_stories),
        ("practice.yaml", store.read_practice),
    ):
        (tmp_path / name).write_bytes(data)
        try:
            read(tmp_path)
        except InvalidRecord as exc:
            assert str(exc).startswith(str(tmp_path / name))
