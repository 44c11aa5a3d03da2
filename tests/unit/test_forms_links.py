"""Pages speak of pages: in the app a link names 'the Debrief page', never a notebook file."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.app.address import PREHEAT_VARIABLE
from followup.clock import parse_now
from followup.core.model import Opportunity
from followup.forms.debrief import DebriefForm
from followup.forms.links import mention, nav_html
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW


@pytest.fixture
def in_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PREHEAT_VARIABLE, "1")


def test_in_the_app_a_page_is_named_and_linked_on_the_same_opportunity(in_the_app) -> None:
    text = mention("debrief", "acme")
    assert ">the Debrief page</a>" in text
    assert "href='02_debrief.ipynb?opportunity=acme'" in text


def test_in_jupyterlab_the_same_words_name_the_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PREHEAT_VARIABLE, raising=False)
    assert ">02_debrief.ipynb</a>" in mention("debrief", "acme")


def test_the_navigation_links_every_other_page_and_marks_this_one(in_the_app) -> None:
    nav = nav_html("reflect", "acme")
    assert "aria-current='page'>Reflect and salary</b>" in nav
    for page in ("00_dashboard", "01_interview", "02_debrief", "04_follow_up"):
        assert f"{page}.ipynb?opportunity=acme" in nav


def test_a_debrief_with_no_rounds_points_to_the_interview_page_not_a_file(
    in_the_app, tmp_path: Path
) -> None:
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme"))
    form = DebriefForm(book, stored, parse_now(EXAMPLE_NOW), autosave_seconds=None)
    assert "the Interview page" in form.widget.value
    assert ".ipynb<" not in form.widget.value


def test_every_page_of_an_opportunity_links_the_dashboard_and_its_other_steps(
    in_the_app, example_dir: Path
) -> None:
    from followup.forms import debrief, follow_up, interview, offer, reflect

    for module, key in (
        (interview, "interview"),
        (debrief, "debrief"),
        (reflect, "reflect"),
        (follow_up, "follow_up"),
        (offer, "offer"),
    ):
        shown = module.notebook(str(example_dir), "northwind-data-analyst", now=EXAMPLE_NOW)
        page = getattr(shown, "page", shown)
        nav = page.nav.value
        assert "00_dashboard.ipynb" in nav, key
        assert "aria-current='page'" in nav, key
        steps = {"interview": "01_interview", "debrief": "02_debrief", "reflect": "03_reflect"}
        steps |= {"follow_up": "04_follow_up", "offer": "09_offer"}
        for other, name in steps.items():
            linked = f"{name}.ipynb?opportunity=northwind-data-analyst" in nav
            assert linked is (other != key), (key, other)
