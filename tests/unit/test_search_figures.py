"""The published figures agree with the checklist's own rules where they name one."""

from __future__ import annotations

from followup.search.figures import load_figures


def test_the_check_in_figure_is_the_wait_the_checklist_uses():
    from followup.steps.timeline import NO_DATE_WAIT

    by_key = {f.key: f for f in load_figures()}
    assert int(by_key["check_in_without_date_days"].value) == NO_DATE_WAIT.days
