"""Applications in: a CSV from Huntr, Teal, JobSync or a spreadsheet, read as opportunities.

Pure parsing and planning: bytes and values in, values out; no files, no prompts. The CLI
(`followup import applications.csv`) reads the file, shows the plan and writes once it is accepted.

- Common column names are recognised in any case and spacing ("Company", "Job Title", "Job
  Position", "Stage", "URL", "Date Applied", "Min Salary"…); others are named with `--map
  company=Employer,role=Title`.
- Text is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode
  text"), or else Windows-1252 as older spreadsheets save it, which is said in the preview. Commas,
  semicolons and tabs are all understood as separators.
- A row that cannot be used (no company, a status or date that cannot be read, a link that is not
  a web address) is listed with its line number and skipped; the others are imported.
- Re-importing never duplicates: a row whose company, role and link match an opportunity already in
  the workbook (or an earlier row) is left out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from followup.core.errors import InvalidRecord, UsageError
from followup.core.formats import day, money, plural
from followup.core.model import (
    Opportunity,
    Source,
    Stage,
    Status,
    is_currency,
    slugify,
    unique_id,
)
from followup.core.stages import STAGE_OF_STATUS
from followup.imports.invite import Planned, plain_error

#: The fields a CSV can fill, and the column names that mean each (compared case- and
#: space-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "employer", "organization", "organisation"),
    "role": ("role", "title", "job title", "position", "job position", "job", "job name"),
    "status": ("status", "stage", "list", "job status", "application status", "state"),
    "link": ("link", "url", "job url", "job link", "posting url", "job posting", "posting"),
    "applied_on": ("date applied", "applied", "applied on", "application date", "applied date"),
    "interviewed_on": ("interview date", "date interviewed", "first interview", "interviewed on"),
    "outcome_on": ("decision date", "outcome date", "date closed", "closed on", "response date"),
    "source": ("source", "application source", "found via", "found on", "channel"),
    "location": ("location", "city", "job location"),
    "salary": ("salary", "salary range", "compensation", "pay", "posted salary"),
    "salary_min": ("min salary", "minimum salary", "salary min", "salary minimum"),
    "salary_max": ("max salary", "maximum salary", "salary max", "salary maximum"),
    "currency": ("currency", "salary currency"),
    "notes": ("notes", "note", "comments", "comment", "description"),
}
#: Tracker states, as Huntr, Teal, JobSync and people write them, and the status each means.
STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        [
            *("wishlist", "bookmarked", "saved", "applying", "applied", "interview"),
            *("interviewing", "interviews", "screening", "phone screen", "active", "in progress"),
            "open",
        ],
        Status.ACTIVE,
    ),
    **dict.fromkeys(["offer", "offered", "negotiating", "negotiation"], Status.OFFER),
    **dict.fromkeys(["accepted", "hired"], Status.ACCEPTED),
    **dict.fromkeys(["declined", "i declined", "declined offer"], Status.DECLINED),
    **dict.fromkeys(["rejected", "not selected", "rejection", "closed"], Status.REJECTED),
    **dict.fromkeys(["withdrawn", "i withdrew", "withdrew", "archived"], Status.WITHDRAWN),
    **dict.fromkeys(["no response", "ghosted", "no reply"], Status.NO_RESPONSE),
}

#: Tracker states that mean the application has reached an interview (with or without a round).
INTERVIEW_WORDS = frozenset(
    ["interview", "interviewing", "interviews", "screening", "phone screen"]
)
#: Tracker states of a job saved for later: not applied yet, so no stage history.
NOT_APPLIED_WORDS = frozenset(["wishlist", "bookmarked", "saved", "applying"])
#: Where an application came from, as trackers and people write it.
SOURCE_WORDS: dict[str, Source] = {
    **dict.fromkeys(["referral", "referred", "employee referral", "friend"], Source.REFERRAL),
    **dict.fromkeys(
        [
            *("job board", "linkedin", "indeed", "glassdoor", "stepstone", "monster"),
            *("welcome to the jungle", "otta", "hacker news", "wellfound", "xing"),
        ],
        Source.JOB_BOARD,
    ),
    **dict.fromkeys(
        ["company site", "company website", "careers page", "website", "company"],
        Source.COMPANY_SITE,
    ),
    **dict.fromkeys(["recruiter", "agency", "headhunter", "recruiting agency"], Source.RECRUITER),
}

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%b %d, %Y",
)
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}


def _key(name: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", name).casefold().split())


def parse_map(text: str | None) -> dict[str, str]:
    """`company=Employer,role=Title` -> {'company': 'Employer', 'role': 'Title'}."""
    if not text:
        return {}
    mapping = {}
    for part in text.split(","):
        name, equals, column = part.partition("=")
        name = name.strip()
        if not equals or not column.strip():
            raise UsageError(
                f"--map: expected FIELD=COLUMN pairs such as company=Employer, got {part!r}"
            )
        if name not in COLUMNS:
            known = ", ".join(COLUMNS)
            raise UsageError(f"--map: unknown field {name!r}; the fields are: {known}")
        mapping[name] = column.strip()
    return mapping


@dataclass(frozen=True)
class Row:
    """One usable row: the opportunity it describes and the line it starts on."""

    line: int
    opportunity: Opportunity


@dataclass
class TrackerFile:
    """What a CSV holds: the usable rows, one line per skipped row, and notes on how it was read."""

    path: Path
    columns: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes, path: Path) -> tuple[str, str | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise InvalidRecord(f"{path}: not readable as UTF-16 text", path=path) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidRecord(
            f"{path}: byte {first_bad}: not UTF-8 text (nor Windows-1252); save the file as "
            "'CSV UTF-8' and import it again",
            path=path,
        ) from None
    return text, (
        f"the file is not UTF-8 (byte {first_bad}): read as Windows-1252, as older spreadsheets "
        "save it; check the accented names below"
    )


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str], mapping: dict[str, str], path: Path) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for name, column in mapping.items():
        if _key(column) not in keys:
            shown = ", ".join(h for h in header if h.strip())[:200]
            raise InvalidRecord(
                f"{path}: --map {name}={column}: no such column (the header has: {shown})",
                path=path,
                field=name,
            )
        found[name] = keys.index(_key(column))
    for name, aliases in COLUMNS.items():
        if name in found:
            continue
        for alias in aliases:
            if alias in keys and keys.index(alias) not in found.values():
                found[name] = keys.index(alias)
                break
    if "company" not in found:
        shown = ", ".join(h for h in header if h.strip())[:200] or "nothing"
        raise InvalidRecord(
            f"{path}: line 1: no company column in the header (it has: {shown}); expected a first "
            "line naming the columns, such as Company,Role,Status,URL, or name it with "
            "--map company=COLUMN",
            path=path,
            field="company",
        )
    return found


def _date(text: str, forms: tuple[str, ...] = _DATE_FORMATS) -> date:
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for form in forms:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not a date such as 2026-11-02")


def date_formats(texts: list[str]) -> tuple[str, ...]:
    """The date formats to try, the one that reads every date of the column first: 11/03/2026 is
    3 November in a file that also has 10/28/2026, and 11 March in one that also has 28/10/2026."""
    texts = [t.strip() for t in texts if t.strip()]
    if all(_iso(t) for t in texts):
        return _DATE_FORMATS  # ISO dates need no format (and strptime is slow on 10,000 rows)
    for form in _DATE_FORMATS:
        if texts and all(_parses(t, form) for t in texts):
            return (form, *(f for f in _DATE_FORMATS if f != form))
    return _DATE_FORMATS


def _ambiguous_dates(dates: list[str], forms: tuple[str, ...]) -> list[str]:
    """A note when every date reads both ways (03/11/2026): which order was used."""
    slashed = [d.strip() for d in dates if "/" in d]
    if not slashed or not all(_parses(d, "%d/%m/%Y") and _parses(d, "%m/%d/%Y") for d in slashed):
        return []
    order = "day/month" if forms[0].startswith("%d") else "month/day"
    return [
        f"dates such as {slashed[0]} could be day/month or month/day: read as {order} "
        f"({day(_date(slashed[0], forms))}); check the dates below"
    ]


def _iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _parses(text: str, form: str) -> bool:
    try:
        datetime.strptime(text, form)
    except ValueError:
        return False
    return True


def _amount(text: str) -> float | None:
    text = text.strip().lower().replace(" ", "").replace("\u00a0", "")
    found = re.search(r"\d[\d.,]*", text)
    if found is None:
        return None  # "competitive", "DOE": no figure to keep
    factor = 1000 if text[found.end() : found.end() + 1] == "k" else 1
    digits = found.group(0).rstrip(".,")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
        digits = re.sub(r"[.,]", "", digits)
    digits = digits.replace(",", ".")
    try:
        return float(digits) * factor
    except ValueError:
        raise ValueError(f"salary {text!r} is not an amount such as 55,000") from None


def _currency(*texts: str) -> str | None:
    for text in texts:
        for symbol, code in _SYMBOLS.items():
            if symbol in text:
                return code
        for word in re.findall(r"[A-Za-z]{3}", text):
            if is_currency(word.upper()):
                return word.upper()
    return None


def _salary(values: dict[str, str]) -> dict | None:
    low_text, high_text = values.get("salary_min", ""), values.get("salary_max", "")
    single = values.get("salary", "")
    if single and not (low_text or high_text):
        parts = re.split(r"\s*(?:-|–|—|to)\s*", single, maxsplit=1)
        low_text, high_text = parts[0], parts[1] if len(parts) > 1 else ""
    low, high = _amount(low_text), _amount(high_text)
    if low is None and high is None:
        return None
    currency = _currency(values.get("currency", ""), single, low_text, high_text)
    if currency is None:
        raise ValueError(
            f"salary {single or low_text or high_text!r} has no currency; add a Currency column "
            "or a symbol such as €"
        )
    return {"currency": currency, "posted_minimum": low, "posted_maximum": high or None}


def _row(values: dict[str, str], forms: tuple[str, ...]) -> Opportunity:
    company = " ".join(values.get("company", "").split())
    if not company:
        raise ValueError("no company")
    role = " ".join(values.get("role", "").split())
    status_text = _key(values.get("status", ""))
    status = Status.ACTIVE
    if status_text:
        if status_text not in STATUS_WORDS:
            raise ValueError(
                f"status {values['status']!r} is not one the importer knows (for example "
                "Applied, Interviewing, Offer, Rejected, Withdrawn, No response)"
            )
        status = STATUS_WORDS[status_text]
    link = values.get("link", "").strip() or None
    if link and not re.fullmatch(r"https?://\S+", link):
        raise ValueError(f"link {link!r} is not a web address starting with https://")
    applied = _date(values["applied_on"], forms) if values.get("applied_on", "").strip() else None
    interviewed = _optional_date(values.get("interviewed_on", ""), forms)
    outcome = _optional_date(values.get("outcome_on", ""), forms) if status.ended else None
    source_text = _key(values.get("source", ""))
    source = SOURCE_WORDS.get(source_text, Source.OTHER) if source_text else None
    data: dict = {
        "id": slugify(f"{company} {role}", fallback="opportunity"),  # made unique by the plan
        "company": company,
        "role": role,
        "status": status,
        "link": link,
        "applied_on": applied,
        "source": source,
        "outcome_on": outcome,
        "stages": _stages(status_text, status, applied, interviewed, outcome),
        "location": " ".join(values.get("location", "").split()),
        "notes": values.get("notes", "").strip(),
        "salary_range": _salary(values),
    }
    try:
        return Opportunity.model_validate(data)
    except ValidationError as exc:
        where, message = plain_error(exc)
        raise ValueError(f"{where}: {message}") from None


def _optional_date(text: str, forms: tuple[str, ...]) -> date | None:
    return _date(text, forms) if text.strip() else None


def _stages(
    status_text: str,
    status: Status,
    applied: date | None,
    interviewed: date | None,
    outcome: date | None,
) -> list[dict]:
    """The stage history a row says: applied (unless saved for later), interviewing when its
    state or an interview date says so, then how it ended, each on its day where the row has it."""
    if status_text in NOT_APPLIED_WORDS and applied is None:
        return []
    found: list[dict] = [{"stage": Stage.APPLIED, "day": applied}]
    if interviewed is not None or status_text in INTERVIEW_WORDS:
        found.append({"stage": Stage.INTERVIEWING, "day": interviewed})
    end = STAGE_OF_STATUS.get(status)
    if end is Stage.ACCEPTED:
        found.append({"stage": Stage.OFFER, "day": None})
    if end is not None:
        found.append({"stage": end, "day": outcome})
    return found


def same_key(opportunity: Opportunity) -> tuple[str, str, str]:
    """What makes two applications the same one: company, role and link (in any case and
    punctuation: 'Quill & Co.' is 'quill co')."""
    return (
        _words(opportunity.company),
        _words(opportunity.role),
        (opportunity.link or "").rstrip("/").casefold(),
    )


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def read_tracker(data: bytes, path: Path, mapping: dict[str, str] | None = None) -> TrackerFile:
    """Every row of a tracker's CSV export; a file that cannot be read at all raises InvalidRecord
    in one line, a row that cannot be used is listed in `problems` with its line number."""
    path = Path(path)
    text, note = _decode(data, path)
    if not text.strip():
        raise InvalidRecord(
            f"{path}: the file is empty; expected a header line and rows", path=path
        )
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text), strict=True)
    lines: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidRecord(
            f"{path}: line {reader.line_num}: not readable as CSV: {exc}", path=path
        ) from None
    columns = _columns(header, mapping or {}, path)
    result = TrackerFile(path, {name: header[i] for name, i in columns.items()})
    result.notes.extend([note] if note else [])
    dated = [columns[n] for n in ("applied_on", "interviewed_on", "outcome_on") if n in columns]
    dates = [c[at] for at in dated for _, c in lines if at < len(c) and c[at].strip()]
    forms = date_formats(dates)
    result.notes.extend(_ambiguous_dates(dates, forms))
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        values = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        try:
            opportunity = _row(values, forms)
        except ValueError as exc:
            result.problems.append(f"line {line}: {exc}")
            continue
        key = same_key(opportunity)
        if key in seen:
            result.problems.append(f"line {line}: the same application as line {seen[key]}")
            continue
        seen[key] = line
        result.rows.append(Row(line, opportunity))
    return result


def plan_tracker(tracker: TrackerFile, opportunities: list[Opportunity]) -> list[Planned]:
    """The opportunities to create: every usable row not already in the workbook."""
    known = {same_key(o): o for o in opportunities}
    taken = {o.id for o in opportunities}
    planned = []
    for row in tracker.rows:
        existing = known.get(same_key(row.opportunity))
        if existing is not None:
            planned.append(
                Planned(existing, False, [f"line {row.line}: already in the workbook"], False)
            )
            continue
        opportunity = row.opportunity
        unique = unique_id(opportunity.id, taken)
        if unique != opportunity.id:
            opportunity = opportunity.model_copy(update={"id": unique})
        taken.add(opportunity.id)
        planned.append(Planned(opportunity, True, [f"line {row.line}: {_summary(opportunity)}"]))
    return planned


def _summary(o: Opportunity) -> str:
    parts = [o.status.value]
    if o.applied_on:
        parts.append(f"applied {day(o.applied_on)}")
    s = o.salary_range
    if s is not None and (s.posted_minimum or s.posted_maximum):
        low = money(s.posted_minimum, s.currency) if s.posted_minimum else ""
        high = money(s.posted_maximum, s.currency) if s.posted_maximum else ""
        parts.append(f"posted {low}{' – ' if low and high else ''}{high}")
    return f"new opportunity ({', '.join(parts)})"


def describe(tracker: TrackerFile, plans: list[Planned]) -> list[str]:
    """The preview's summary lines: counts, columns used, and what was skipped."""
    new = [p for p in plans if p.created]
    lines = [
        f"{plural(len(new), 'new opportunity', 'new opportunities')}, "
        f"{len(plans) - len(new)} already in the workbook, "
        f"{plural(len(tracker.problems), 'row')} skipped",
        "columns used: " + ", ".join(f"{k} = {v!r}" for k, v in tracker.columns.items()),
    ]
    lines.extend(f"note: {n}" for n in tracker.notes)
    return lines
