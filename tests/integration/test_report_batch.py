"""`followup report` on real kernels: the example, incremental runs, contained failures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from followup.clock import parse_now
from followup.core.model import (
    AnswerReview,
    Debrief,
    Interview,
    Interviewer,
    Opportunity,
    Settings,
)
from followup.reports import batch
from followup.storage.workbook import Workbook
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

NOW = parse_now(EXAMPLE_NOW)
FOLLOWUP = [sys.executable, "-m", "followup"]


@pytest.fixture
def kernel() -> None:
    require(kernel_ready(batch.KERNEL_NAME), f"the Jupyter kernel {batch.KERNEL_NAME!r}")


def digest_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".locks" not in p.parts
    }


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith((".tmp", ".tmp.ipynb"))]


# The example workbook, run once for the tests below


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    require(kernel_ready(batch.KERNEL_NAME), f"the Jupyter kernel {batch.KERNEL_NAME!r}")
    data = tmp_path_factory.mktemp("example") / "data"
    shutil.copytree(EXAMPLE, data)
    before = digest_tree(data)
    out = data.parent / "reports"
    result = batch.run(Workbook(data), out, NOW, jobs=2)
    return data, out, result, before


@pytest.mark.kernel
def test_every_round_of_the_example_gets_a_notebook_a_page_and_a_record(example_run):
    data, out, result, _ = example_run
    rounds = [(o.id, r.key) for o in Workbook(data).load().opportunities for r in o.rounds]
    assert not result.failed, [f"{o.title}: {o.error}" for o in result.failed]
    made = sorted((o.opportunity, o.round) for o in result.made)
    prep = [(o, r) for o, r in made if r.startswith("prep-")]
    assert prep == [("lumen-ux-researcher", "prep-meet-the-team")]  # the one round still to come
    assert [m for m in made if m not in prep] == sorted(rounds)
    for opportunity_id, key in rounds:
        paths = batch.Paths.of(out, opportunity_id, key)
        assert paths.html.read_text(encoding="utf-8").rstrip().endswith("</html>")
        nb = nbformat.read(paths.notebook, as_version=4)
        assert nb.metadata.papermill.parameters["round"] == key
        record = json.loads(paths.record.read_text(encoding="utf-8"))
        assert record["state"] == "ok"
        assert record["summary"]["opportunity"] == opportunity_id
    assert leftovers(out) == []


@pytest.mark.kernel
def test_reports_never_touch_the_workbook(example_run):
    data, _, _, before = example_run
    assert digest_tree(data) == before


@pytest.mark.kernel
def test_the_kernel_is_this_interpreter(example_run):
    _, out, _, _ = example_run
    record = batch.read_record(batch.Paths.of(out, "northwind-data-analyst", "onsite").record)
    assert Path(record["summary"]["kernel_python"]) == Path(sys.executable)


@pytest.mark.kernel
def test_report_pages_have_no_code_no_scripts_and_embedded_charts(example_run):
    _, out, result, _ = example_run
    for outcome in result.made:
        page = Path(outcome.path).read_text(encoding="utf-8")
        assert re.search(r"<script", page, re.IGNORECASE) is None, outcome.path
        assert re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page) is None
        assert "report.load(" not in page  # code cells are left out
        assert "data:image/png;base64," in page
    lumen = (out / "lumen-ux-researcher" / "final-round.html").read_text(encoding="utf-8")
    assert "How do you decide sample sizes for usability tests?" in lumen
    assert "Their patient-app accessibility review" in lumen


@pytest.mark.kernel
def test_the_index_links_every_report_and_builds_its_table_from_the_records(example_run):
    _, out, result, _ = example_run
    page = (out / batch.INDEX).read_text(encoding="utf-8")
    links = set(re.findall(r'<a class="report" href="([^"]+)"', page))
    expected = {Path(o.path).relative_to(out).as_posix() for o in result.made}
    prep = set(re.findall(r'<a class="prep" href="([^"]+)"', page))
    assert prep == {"lumen-ux-researcher/prep-meet-the-team.html"}
    assert links == expected - prep
    assert all((out / link).is_file() for link in links)
    assert 'id="comparison"' in page and 'id="pipeline"' in page
    assert "2 of 2 sent" in page  # Lumen's final round, from its summary


@pytest.mark.kernel
def test_a_second_run_with_nothing_changed_runs_nothing(example_run):
    data, out, first, _ = example_run
    again = batch.run(Workbook(data), out, NOW + timedelta(hours=2), jobs=2)
    assert again.made == [] and again.failed == []
    assert len(again.unchanged) == len(first.made)


# A small synthetic workbook for incremental runs and failures


def small_workbook(root: Path) -> Workbook:
    book = Workbook(root)
    start = datetime(2026, 11, 20, 10, 0, tzinfo=NOW.tzinfo)
    book.create(
        Opportunity(
            id="acme",
            company="Acme",
            rounds=[
                Interview(
                    name="Call",
                    starts_at=start,
                    interviewers=[Interviewer(name="Ada")],
                    debrief=Debrief(answers=[AnswerReview(question="Why?", key_point_clear=3)]),
                )
            ],
        )
    )
    book.create(
        Opportunity(
            id="bolt",
            company="Bolt",
            rounds=[
                Interview(name="Screen", starts_at=start + timedelta(days=1)),
                Interview(name="Onsite", starts_at=start + timedelta(days=3)),
            ],
        )
    )
    return book


def where(book: Workbook, out: Path) -> list[str]:
    return ["--data", str(book.root), "--out", str(out), "--now", EXAMPLE_NOW]


def mtimes(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): p.stat().st_mtime_ns
        for p in out.rglob("*.ipynb")
        if not p.name.startswith(".")
    }


def test_the_plan_re_runs_everything_on_a_new_day_or_a_new_notebook(tmp_path):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    first = batch.plan(book, out, NOW)
    assert len(first.todo) == 3 and first.unchanged == []
    for task in first.todo:  # pretend they ran: a record with the same inputs and both files
        paths = task.paths
        paths.folder.mkdir(parents=True, exist_ok=True)
        paths.notebook.write_text("{}")
        paths.html.write_text("<html></html>")
        paths.record.write_text(json.dumps({"state": "ok", "inputs": task.inputs}))
    assert len(batch.plan(book, out, NOW + timedelta(hours=1)).unchanged) == 3
    assert len(batch.plan(book, out, NOW + timedelta(days=1)).todo) == 3
    assert len(batch.plan(book, out, NOW, force=True).todo) == 3
    notebook = tmp_path / "report.ipynb"
    notebook.write_bytes(batch.DEFAULT_NOTEBOOK.read_bytes() + b"\n")
    assert len(batch.plan(book, out, NOW, notebook=notebook).todo) == 3
    (out / "acme" / "call.html").unlink()
    assert [t.opportunity for t in batch.plan(book, out, NOW).todo] == ["acme"]
    # The one setting a report's checklist reads: changing it re-runs every report.
    (book.root / "settings.yaml").write_text("no_response_after_days: 5\n")
    assert len(batch.plan(book, out, NOW).todo) == 3


def test_a_broken_settings_file_is_one_problem_of_the_run_and_reports_use_the_defaults(tmp_path):
    book = small_workbook(tmp_path / "data")
    (book.root / "settings.yaml").write_text("no_response_after_days: -1\n")
    planned = batch.plan(book, tmp_path / "reports", NOW)
    assert [p.path.name for p in planned.problems] == ["settings.yaml"]
    assert "no_response_after_days" in planned.problems[0].message
    assert planned.settings == Settings()


@pytest.mark.kernel
def test_changing_one_file_re_runs_exactly_its_report(tmp_path, kernel):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    first = batch.run(book, out, NOW, jobs=2)
    assert len(first.made) == 3, [o.error for o in first.failed]
    before = mtimes(out)

    book.update("acme", lambda o: setattr(o, "notes", "They called back."))
    second = batch.run(book, out, NOW, jobs=2)
    assert [(o.opportunity, o.round) for o in second.made] == [("acme", "call")]
    assert len(second.unchanged) == 2
    after = mtimes(out)
    assert after["acme/call.ipynb"] != before["acme/call.ipynb"]
    assert {k: v for k, v in after.items() if k.startswith("bolt/")} == {
        k: v for k, v in before.items() if k.startswith("bolt/")
    }

    forced = subprocess.run(
        [*FOLLOWUP, "report", "acme", *where(book, out), "--force"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert forced.returncode == 0, forced.stderr
    assert "1 made, 0 unchanged" in forced.stdout
    assert f"Open {out / 'index.html'} in your browser." in forced.stdout
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('class="report"') == 3  # the index still lists every report


def broken_notebook(path: Path, fails_for: str) -> Path:
    nb = nbformat.read(batch.DEFAULT_NOTEBOOK, as_version=4)
    position = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(
        position + 1,
        nbformat.v4.new_code_cell(
            f"if opportunity_id == {fails_for!r}:\n"
            "    raise RuntimeError('this report is meant to fail')"
        ),
    )
    nbformat.write(nb, path)
    return path


@pytest.mark.kernel
def test_a_failing_report_is_kept_listed_and_does_not_stop_the_others(tmp_path, kernel):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    notebook = broken_notebook(tmp_path / "broken.ipynb", "bolt")
    run = subprocess.run(
        [*FOLLOWUP, "report", *where(book, out), "--notebook", str(notebook), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 made, 0 unchanged since the last run, 2 failed" in run.stdout
    assert (
        "Could not make the report for Bolt · Screen: RuntimeError: this report is meant to fail"
        in (run.stderr)
    )
    assert "Traceback" not in run.stderr
    kept = out / "bolt" / "screen.failed.ipynb"
    assert f"The failed notebook is kept at {kept}" in run.stderr
    failed_nb = nbformat.read(kept, as_version=4)
    errors = [o for c in failed_nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].evalue == "this report is meant to fail"
    assert (out / "acme" / "call.html").is_file()
    assert not (out / "bolt" / "screen.html").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="bolt/screen.failed.ipynb"' in page and 'href="acme/call.html"' in page
    assert leftovers(out) == []

    healed = batch.run(book, out, NOW, jobs=2)  # a different notebook: every report re-runs
    assert sorted(o.round for o in healed.made) == ["call", "onsite", "screen"]
    assert not kept.exists()


def kernel_killing_notebook(path: Path, kills_for: str) -> Path:
    """The report notebook, with a cell that kills its own kernel (as the out-of-memory killer
    or a crash would) for one opportunity, after a cell whose output shows it got that far."""
    nb = nbformat.read(batch.DEFAULT_NOTEBOOK, as_version=4)
    position = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells[position + 1 : position + 1] = [
        nbformat.v4.new_code_cell("print('got this far')"),
        nbformat.v4.new_code_cell(
            f"if opportunity_id == {kills_for!r}:\n"
            "    import os, signal\n"
            "    os.kill(os.getpid(), signal.SIGKILL)"
        ),
    ]
    nbformat.write(nb, path)
    return path


@pytest.mark.kernel
def test_a_report_whose_kernel_is_killed_keeps_its_notebook_as_far_as_it_ran(tmp_path, kernel):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    notebook = kernel_killing_notebook(tmp_path / "killer.ipynb", "bolt")
    run = subprocess.run(
        [*FOLLOWUP, "report", *where(book, out), "--notebook", str(notebook), "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 made, 0 unchanged since the last run, 2 failed" in run.stdout
    told = [line for line in run.stderr.splitlines() if not line.startswith("  The failed")]
    assert told == [
        "Could not make the report for Bolt · Screen: DeadKernelError: Kernel died",
        "Could not make the report for Bolt · Onsite: DeadKernelError: Kernel died",
    ], run.stderr  # nothing from papermill's or nbclient's own logs
    for round_key in ("screen", "onsite"):
        kept = out / "bolt" / f"{round_key}.failed.ipynb"
        assert f"The failed notebook is kept at {kept}" in run.stderr
        nb = nbformat.read(kept, as_version=4)
        texts = [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])]
        assert "got this far\n" in texts
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert [e.ename for e in errors] == ["DeadKernelError"]
        record = json.loads((out / "bolt" / f"{round_key}.json").read_text(encoding="utf-8"))
        assert record["state"] == "failed"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="bolt/screen.failed.ipynb"' in page and 'href="bolt/onsite.failed.ipynb"' in page
    assert 'href="acme/call.html"' in page
    assert leftovers(out) == []


def start_report(book: Workbook, out: Path, jobs: int) -> subprocess.Popen:
    return subprocess.Popen(
        [*FOLLOWUP, "report", *where(book, out), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.kernel
def test_an_interrupted_run_leaves_whole_reports_and_no_temporary_files(tmp_path, kernel):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    process = start_report(book, out, jobs=1)
    deadline = time.monotonic() + 120
    while not any(out.rglob("*.tmp.ipynb")) and time.monotonic() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "followup: interrupted" in stderr
    assert leftovers(out) == []
    for record_path in out.rglob("*.json"):
        record = json.loads(record_path.read_text(encoding="utf-8"))
        assert record["state"] == "ok"
        nb = nbformat.read(record_path.with_suffix(".ipynb"), as_version=4)
        assert nb.cells
        page = record_path.with_suffix(".html").read_text(encoding="utf-8")
        assert page.rstrip().endswith("</html>")
    finished = batch.run(book, out, NOW, jobs=2)
    assert len(finished.made) + len(finished.unchanged) == 3 and not finished.failed


def test_report_names_a_missing_notebook_and_an_unknown_opportunity(tmp_path):
    book = small_workbook(tmp_path / "data")
    base = [*FOLLOWUP, "report", "--data", str(book.root), "--out", str(tmp_path / "r")]
    missing = subprocess.run(
        [*base, "--notebook", str(tmp_path / "nope.ipynb")], capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert "nope.ipynb: the report notebook is missing" in missing.stderr
    unknown = subprocess.run([*base, "zeta"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "no opportunity 'zeta'" in unknown.stderr
    jobs = subprocess.run([*base, "--jobs", "0"], capture_output=True, text=True)
    assert jobs.returncode == 2 and "--jobs: expected 1 or more" in jobs.stderr


def test_the_index_is_written_without_importing_pandas_or_matplotlib(tmp_path):
    book = small_workbook(tmp_path / "data")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from followup.reports import batch\n"
        "from followup.clock import parse_now\n"
        "from followup.storage.workbook import Workbook\n"
        f"book = Workbook(Path({str(book.root)!r}))\n"
        f"batch.write_index(Path({str(tmp_path / 'reports')!r}), book.load().opportunities,\n"
        f"    parse_now({EXAMPLE_NOW!r}), book.settings())\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    (tmp_path / "reports").mkdir()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    page = (tmp_path / "reports" / batch.INDEX).read_text(encoding="utf-8")
    assert "Acme" in page and "Bolt" in page and 'id="comparison"' in page


@pytest.mark.kernel
@pytest.mark.parametrize("after", [0.4, 1.5])
def test_ctrl_c_while_the_pool_starts_prints_one_line_and_leaves_no_stray_files(
    tmp_path, kernel, after
):
    book = small_workbook(tmp_path / "data")
    out = tmp_path / "reports"
    process = start_report(book, out, jobs=2)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "followup: interrupted"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert leftovers(out) == [] if out.exists() else True
    for record_path in out.rglob("*.json") if out.exists() else []:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        assert record["state"] == "ok"
        assert record_path.with_suffix(".html").read_text(encoding="utf-8").endswith("</html>\n")


def test_temporary_files_of_a_crashed_run_are_cleaned_on_the_next_one(tmp_path):
    out = tmp_path / "reports"
    (out / "acme").mkdir(parents=True)
    crashed = [out / "acme" / ".call.x1y2.tmp.ipynb", out / "acme" / ".call.html.k3.tmp"]
    kept = [out / "acme" / "call.html", out / "acme" / "notes.tmp", out / "acme" / ".keep"]
    for path in crashed + kept:
        path.write_text("x")
    assert sorted(batch.remove_leftovers(out)) == sorted(crashed)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in crashed)
