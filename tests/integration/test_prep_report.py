"""Prep sheets on real kernels: `followup prep`, and `followup report` for the rounds to come."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from followup.cli.commands import main
from followup.clock import parse_now
from followup.core.model import Opportunity
from followup.core.stories import Story, StoryBank
from followup.reports import batch
from followup.storage.stories import read_practice, save_stories
from followup.storage.workbook import Workbook
from support import kernel_ready, require

NOW = parse_now("2026-11-26T18:00:00+01:00")


@pytest.fixture
def kernel() -> None:
    require(kernel_ready(batch.KERNEL_NAME), f"the Jupyter kernel {batch.KERNEL_NAME!r}")


def _round(name: str, start: str, answers: list[dict] | None = None) -> dict:
    return {
        "name": name,
        "starts_at": start,
        "timezone": "Europe/London",
        "interviewers": [{"name": "Kwame Mensah", "title": "Head of Research"}],
        "debrief": {"answers": answers or []},
    }


def workbook(root: Path) -> Workbook:
    """Two processes for similar roles (one with a round to come), one for an unrelated role, and
    an ended one that still has a round in its file."""
    book = Workbook(root)
    book.create(
        Opportunity.model_validate(
            {
                "id": "lumen",
                "company": "Lumen Health",
                "role": "UX Researcher",
                "salary_range": {"currency": "GBP", "minimum": 48000, "target": 55000},
                "rounds": [
                    _round(
                        "Screen",
                        "2026-11-10T11:00:00Z",
                        [
                            {
                                "question": "How do you decide sample sizes for usability tests?",
                                "key_point_clear": 2,
                                "improve": "Say when a survey is the better tool.",
                            },
                            {
                                "question": "What are your salary expectations?",
                                "my_answer": "I said 55,000 GBP.",
                            },
                        ],
                    ),
                    _round("Final", "2026-11-28T10:00:00Z"),
                ],
            }
        )
    )
    book.create(
        Opportunity.model_validate(
            {
                "id": "quill",
                "company": "Quill",
                "role": "User Researcher",
                "rounds": [
                    _round(
                        "Onsite",
                        "2026-11-05T10:00:00Z",
                        [{"question": "Tell me about a time you changed a stakeholder's mind."}],
                    )
                ],
            }
        )
    )
    book.create(
        Opportunity.model_validate(
            {
                "id": "harbor",
                "company": "Harbor Bank",
                "role": "Product Manager",
                "status": "rejected",
                "rounds": [
                    _round(
                        "Case",
                        "2026-11-04T10:00:00Z",
                        [{"question": "How would you price a savings account?"}],
                    ),
                    _round("Never held", "2026-11-30T10:00:00Z"),
                ],
            }
        )
    )
    save_stories(
        book.root,
        StoryBank(
            stories=[
                Story(
                    title="The onboarding study",
                    action="Invited the stakeholders to watch the sessions.",
                    tags=["stakeholder influence"],
                    questions=["Tell me about a time you changed a stakeholder's mind."],
                )
            ]
        ),
    )
    return book


def text_of(page: Path) -> str:
    body = page.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'")


@pytest.mark.kernel
def test_report_builds_prep_sheets_only_for_rounds_to_come_and_only_when_something_changed(
    tmp_path, kernel
):
    book = workbook(tmp_path / "data")
    out = tmp_path / "reports"
    first = batch.run(book, out, NOW, jobs=1)
    assert not first.failed, [o.error for o in first.failed]
    sheets = sorted(p.relative_to(out).as_posix() for p in out.rglob("prep-*.html"))
    assert sheets == ["lumen/prep-final.html"]  # not Screen (held), not Harbor (ended)
    page = text_of(out / "lumen" / "prep-final.html")
    assert "How do you decide sample sizes for usability tests?" in page
    assert "Say when a survey is the better tool." in page
    assert "Tell me about a time you changed a stakeholder's mind." in page  # from Quill
    assert "The onboarding study" in page
    assert "55,000 GBP" in page
    assert "savings account" not in page and "Harbor" not in page
    assert re.search(r"<script", page) is None
    index = (out / batch.INDEX).read_text(encoding="utf-8")
    assert re.findall(r'<a class="prep" href="([^"]+)"', index) == ["lumen/prep-final.html"]

    again = batch.run(book, out, NOW + timedelta(hours=1), jobs=1)
    assert again.made == [] and again.failed == []

    # The sheet reads the story bank and the other processes: a change there re-runs it alone.
    save_stories(book.root, StoryBank(stories=[Story(title="Another story")]))
    third = batch.run(book, out, NOW + timedelta(hours=1), jobs=1)
    assert [(o.opportunity, o.round) for o in third.made] == [("lumen", "prep-final")]
    assert "Another story" not in text_of(out / "lumen" / "prep-final.html")  # it fits nothing


@pytest.mark.kernel
def test_followup_prep_writes_the_sheet_of_the_next_round(tmp_path, kernel, capsys):
    book = workbook(tmp_path / "data")
    out = tmp_path / "sheets"
    code = main(
        ["prep", "lumen", "--data", str(book.root), "--now", NOW.isoformat(), "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert (out / "lumen" / "prep-final.html").is_file()
    assert "Wrote the prep sheet for Final of Lumen Health" in capsys.readouterr().out


def test_followup_prep_without_a_round_to_come_is_one_clear_line(tmp_path, capsys):
    book = workbook(tmp_path / "data")
    later = (NOW + timedelta(days=30)).isoformat()
    assert main(["prep", "lumen", "--data", str(book.root), "--now", later]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no round still to come" in err


def test_questions_searches_the_bank_and_its_csv_is_safe(tmp_path, capsys):
    book = workbook(tmp_path / "data")
    assert main(["questions", "--data", str(book.root), "--search", "sample"]) == 0
    out = capsys.readouterr().out
    assert "How do you decide sample sizes" in out and "salary" not in out
    assert main(["questions", "--data", str(book.root), "--kind", "salary", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("Lumen Health,Screen,2026-11-10,salary,")


def test_practice_shows_what_is_due_and_a_rating_is_kept(tmp_path, capsys):
    book = workbook(tmp_path / "data")
    root, now = str(book.root), NOW.isoformat()
    assert main(["practice", "--data", root, "--now", now]) == 0
    out = capsys.readouterr().out
    assert "lumen/screen/1: How do you decide sample sizes" in out
    assert (
        main(
            ["practice", "--data", root, "--now", now, "--rate", "GOOD", "--card", "lumen/screen/1"]
        )
        == 0
    )
    assert "Rated lumen/screen/1 good: next due" in capsys.readouterr().out
    (card,) = read_practice(book.root).cards
    assert card.due() > NOW and card.reviews[0].grade.value == "good"
    assert main(["practice", "--data", root, "--now", now]) == 0
    assert "Nothing due now" in capsys.readouterr().out
    assert main(["practice", "--data", root, "--rate", "good"]) == 2


def test_stories_lists_the_bank(tmp_path, capsys):
    book = workbook(tmp_path / "data")
    assert main(["stories", "--data", str(book.root)]) == 0
    out = capsys.readouterr().out
    assert "the-onboarding-study: The onboarding study  [stakeholder influence]" in out
    (book.root / "stories.yaml").write_text("stories:\n- tags: [x]\n")
    assert main(["stories", "--data", str(book.root)]) == 2
    assert "stories.yaml" in capsys.readouterr().err
