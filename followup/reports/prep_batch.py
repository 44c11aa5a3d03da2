"""Prep sheets in `followup report`: one per round still to come, run like the round reports.

Each is `notebooks/prep.ipynb` run by the same warm engine, written beside the round reports as
`<out>/<opportunity>/prep-<round>.html` (with its `.ipynb` and `.json` record), and listed in the
index. A sheet reads more than its own opportunity (questions asked for similar roles elsewhere,
the story bank, the settings), so its inputs are all of those: a sheet re-runs when any of them,
the notebook, the sheet's code or the day changes, and only then.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from followup.core.model import Opportunity
from followup.prep.sheet import rounds_to_come
from followup.reports import batch
from followup.shipped import PREP, notebook_path
from followup.storage.files import version_of
from followup.storage.history import live_bytes
from followup.storage.stories import stories_version
from followup.storage.workbook import SETTINGS_FILE, Stored, Workbook

#: A prep sheet's files are named `<PREFIX><round key>.*` in the opportunity's folder.
PREFIX = "prep-"
#: The module the prep notebook imports: it and what it imports of followup make the sheet's code.
PREP_MODULE = "followup.reports.prep_sheet"


def prep_notebook() -> Path:
    return notebook_path(PREP)


def file_key(round_key: str) -> str:
    """The name a round's prep sheet is saved under (`prep-<round>`)."""
    return f"{PREFIX}{round_key}"


def _settings_version(book: Workbook) -> str:
    data = live_bytes(book.root / SETTINGS_FILE, book.root)
    return version_of(data) if data is not None else ""


def inputs_hash(
    book: Workbook,
    stored: dict[str, Stored],
    notebook_digest: str,
    round_key: str,
    opportunity_id: str,
    now: datetime,
) -> str:
    """What one prep sheet depends on: every opportunity file (similar roles are looked for in
    all of them), the story bank, the settings, the notebook, the code and the `now` day."""
    key = {
        "opportunities": sorted((i, s.version) for i, s in stored.items()),
        "stories": stories_version(book.root),
        "settings": _settings_version(book),
        "notebook": notebook_digest,
        "code": batch.code_version(PREP_MODULE),
        "day": now.date().isoformat(),
        "opportunity": opportunity_id,
        "round": round_key,
        "kernel": batch.KERNEL_NAME,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def tasks(
    book: Workbook,
    stored: dict[str, Stored],
    out: Path,
    now: datetime,
    wanted: list[str],
    *,
    timeout: int,
) -> list[batch.Task]:
    """A task per round still to come (of the `wanted` opportunities, when any are named)."""
    notebook = prep_notebook()
    digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
    data_dir = str(book.root.resolve())
    found = []
    for o, interview in rounds_to_come([s.opportunity for s in stored.values()], now):
        if wanted and o.id not in wanted:
            continue
        found.append(
            batch.Task(
                opportunity=o.id,
                round=file_key(interview.key),
                title=f"Prepare for {interview.name} · {o.company}",
                inputs=inputs_hash(book, stored, digest, interview.key, o.id, now),
                notebook=str(notebook.resolve()),
                out=str(Path(out).resolve()),
                parameters={
                    "data_dir": data_dir,
                    "opportunity_id": o.id,
                    "round": interview.key,
                    "now": now.isoformat(),
                },
                timeout=timeout,
            )
        )
    return found


def index_rows(opportunities: list[Opportunity], out: Path, now: datetime) -> list[dict[str, Any]]:
    """The prep sheets the index links: one per round still to come that has a sheet."""
    from followup.reports.pages import relative_href

    rows = []
    for o, interview in rounds_to_come(opportunities, now):
        paths = batch.Paths.of(Path(out), o.id, file_key(interview.key))
        record = batch.read_record(paths.record)
        if record is None:
            continue
        failed = record.get("state") != "ok"
        target = paths.failed if failed else paths.html
        if not target.exists():
            continue
        rows.append(
            {
                "title": o.title,
                "round_name": interview.name,
                "starts_at": interview.starts_at,
                "summary": record.get("summary") or {},
                "href": relative_href(target, Path(out)),
                "failed": failed,
            }
        )
    return rows
