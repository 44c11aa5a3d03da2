"""`followup compare` in a real process: the table and CSV come without pandas, json and html
with it, and all four say the same about the example workbook."""

from __future__ import annotations

import csv
import html
import io
import json
import subprocess
import sys

import pytest

from support import EXAMPLE_NOW, ROOT
from support import run_followup as run

#: Runs the CLI in this process, then says whether pandas or numpy were ever imported.
PROBE = """
import sys
from followup.cli import commands as cli
status = cli.main(sys.argv[1:])
print("imported:", "pandas" in sys.modules, "numpy" in sys.modules)
sys.exit(status)
"""


def compare_in_a_probe(*args: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "compare", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    output, _, last = done.stdout.rstrip("\n").rpartition("\n")
    return output, last


@pytest.mark.parametrize("form", ["table", "csv"])
def test_the_table_and_csv_never_import_pandas(example_dir, form):
    output, imported = compare_in_a_probe(
        "--data", str(example_dir), "--now", EXAMPLE_NOW, "--format", form
    )
    assert imported == "imported: False False"
    assert "Lumen Health" in output


def test_the_table_shows_the_ranking_how_sure_it_is_and_open_research(example_dir):
    result = run("compare", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Lumen Health") < out.index("Fjord Energy") < out.index("Harbor Bank")
    assert "culture (weight 1): Lumen Health stays on top up to 3.00" in out
    assert "Their patient-app accessibility review" in out
    assert "nan" not in out and "<NA>" not in out


def test_the_four_formats_agree_on_the_ranking(example_dir):
    def compare(form: str) -> str:
        result = run("compare", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--format", form)
        assert result.returncode == 0, result.stderr
        return result.stdout

    data = json.loads(compare("json"))
    rows = list(csv.DictReader(io.StringIO(compare("csv"))))
    assert [r["id"] for r in rows] == [r["id"] for r in data["ranking"]]
    assert [r["score"] for r in rows] == [
        "" if r["score"] is None else f"{r['score']:g}" for r in data["ranking"]
    ]
    page = compare("html")
    table = compare("table")
    for row in data["ranking"]:
        assert html.escape(row["company"]) in page and row["company"] in table
    for line in data["sensitivity"]:
        assert f"{line['area']} (weight {line['weight']:g}): {line['top']}" in table


def test_weights_too_large_to_add_up_are_one_line_naming_the_weight(example_dir):
    done = run(
        "compare",
        "--data",
        str(example_dir),
        "--weights",
        "people=1e308,growth=1e308",
        "--now",
        EXAMPLE_NOW,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "followup: --weights: people must be a number from 0 to 100, got '1e308'"
    ]
    assert "Traceback" not in done.stderr and done.stdout == ""
