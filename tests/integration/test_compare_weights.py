"""The comparison keeps its weights: the page saves them in settings.yaml (keeping the rest of
the file as typed), and the next page and `followup compare` start from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.compare import frames
from followup.core.errors import InvalidRecord
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW
from support import run_followup as run


def test_the_pages_weights_are_kept_and_the_next_page_opens_with_them(example_dir: Path):
    settings = example_dir / "settings.yaml"
    settings.write_text("# my own notes\nmin_active: 4\n", encoding="utf-8")
    inputs = frames.load(str(example_dir), EXAMPLE_NOW)
    assert inputs.weights() == dict(frames.DEFAULT_WEIGHTS)
    assert inputs.keep_weights({**frames.DEFAULT_WEIGHTS, "growth": 3.0}).startswith("Your weights")
    text = settings.read_text(encoding="utf-8")
    assert text.startswith("# my own notes\nmin_active: 4\n") and "growth: 3.0" in text
    again = frames.load(str(example_dir), EXAMPLE_NOW)
    assert again.weights()["growth"] == 3.0 and again.settings.min_active == 4
    assert again.keep_weights(again.weights()) == ""  # nothing new: nothing written


def test_compare_on_the_command_line_starts_from_the_kept_weights(example_dir: Path):
    data = ("--data", str(example_dir), "--now", EXAMPLE_NOW, "--format", "json")
    plain = run("compare", *data)
    Workbook(example_dir).save_setting("weights", {"people": 0.0, "growth": 5.0})
    kept = run("compare", *data)
    assert plain.returncode == 0 and kept.returncode == 0, kept.stderr
    assert '"growth": 5.0' in kept.stdout and '"growth": 5.0' not in plain.stdout


def test_a_weight_that_does_not_fit_is_refused_and_settings_stay_as_they_were(tmp_path: Path):
    book = Workbook(tmp_path)
    book.save_setting("min_active", 2)
    before = (tmp_path / "settings.yaml").read_bytes()
    with pytest.raises(InvalidRecord, match="weights"):
        book.save_setting("weights", {"growth": 1e308})
    assert (tmp_path / "settings.yaml").read_bytes() == before
