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

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

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

#: Dates written in words or year first: one reading only, whatever the column.
_WORDY_FORMATS = ("%Y/%m/%d", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y", "%b %d %Y")
#: 11/02/2026, 02.11.2026, 11-02-26: day and month in an order the column must settle.
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})")
#: The two orders a numeric date can have, as `--dates` names them.
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
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
    undecided: list[str] = field(default_factory=list)


#: How much of the file is read at a time, when checking its encoding.
CHUNK = 1 << 20
#: The most skipped rows a preview keeps word for word (the rest are counted).
MAX_PROBLEMS = 1_000


def _encoding(open_binary: Callable[[], BinaryIO], path: Path) -> tuple[str, str | None]:
    """The file's encoding, found by reading it once in chunks (never whole): UTF-16 with a
    byte-order mark, else UTF-8, else Windows-1252 (said in a note)."""
    with open_binary() as stream:
        start = stream.read(4)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _decodes(open_binary, "utf-16")[0]:
            raise InvalidRecord(f"{path}: not readable as UTF-16 text", path=path)
        return "utf-16", None
    ok, first_bad = _decodes(open_binary, "utf-8-sig")
    if ok:
        return "utf-8-sig", None
    if not _decodes(open_binary, "cp1252")[0]:
        raise InvalidRecord(
            f"{path}: byte {first_bad}: not UTF-8 text (nor Windows-1252); save the file as "
            "'CSV UTF-8' and import it again",
            path=path,
        )
    return "cp1252", (
        f"the file is not UTF-8 (byte {first_bad}): read as Windows-1252, as older spreadsheets "
        "save it; check the accented names below"
    )


def _decodes(open_binary: Callable[[], BinaryIO], encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes, read in chunks; else the offset of its first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open_binary() as stream:
        while True:
            chunk = stream.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start
            if not chunk:
                return True, offset
            offset += len(chunk)


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


@dataclass
class DateColumn:
    """What the rows of one date column say about the order of day and month: how many rows
    read only day-first (28/10/2026), only month-first (10/28/2026), or either (03/11/2026)."""

    header: str
    day_first: int = 0
    month_first: int = 0
    either: int = 0
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, text: str) -> None:
        found = _NUMERIC.fullmatch(text.strip())
        if found is None:
            return
        first, second = int(found[1]), int(found[3])
        if first > 12 >= second:
            kind = "day_first"
        elif second > 12 >= first:
            kind = "month_first"
        elif first <= 12 and second <= 12 and first != second:
            kind = "either"
        else:
            return
        setattr(self, kind, getattr(self, kind) + 1)
        self.examples.setdefault(kind, text.strip())

    def order(self, given: str | None) -> str | None:
        """The column's order: the only one its rows allow, else `given` (from --dates), else
        None (undecided: the rows that read both ways are not read)."""
        if self.day_first and not self.month_first:
            return DAY_FIRST
        if self.month_first and not self.day_first:
            return MONTH_FIRST
        return given

    def problem(self, given: str | None) -> str | None:
        """Why the column's order needs --dates, in one sentence; None when it does not."""
        if given is not None:
            return None
        if self.day_first and self.month_first:
            return (
                f"column {self.header!r} has dates that read only day-first "
                f"({self.examples['day_first']}) and others only month-first "
                f"({self.examples['month_first']}); say which order the column is in with "
                "--dates day-first or --dates month-first (rows in the other order are skipped)"
            )
        if self.either and not (self.day_first or self.month_first):
            example = self.examples["either"]
            return (
                f"column {self.header!r}: every date such as {example} could be day/month or "
                f"month/day; say which with --dates day-first or --dates month-first"
            )
        return None


def _date(text: str, order: str | None) -> date | None:
    """A date as the column reads it. ISO dates always read as ISO; a numeric date in the
    column's `order`; None when the order is undecided and the date reads both ways (never a
    silent guess). Raises ValueError for text that is no date, or not in the column's order."""
    text = text.strip()
    if text[:4].isdigit():
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    found = _NUMERIC.fullmatch(text)
    if found is not None:
        first, second = int(found[1]), int(found[3])
        if order is None and first != second and first <= 12 and second <= 12:
            return None
        year = int(found[4]) + (2000 if len(found[4]) == 2 else 0)
        if order == MONTH_FIRST or (order is None and second > 12):
            first, second = second, first
        try:
            return date(year, second, first)
        except ValueError:
            which = "month-first" if order == MONTH_FIRST else "day-first"
            raise ValueError(
                f"date {text!r} does not read {which} like the rest of its column"
                if order is not None
                else f"date {text!r} is not a date such as 2026-11-02"
            ) from None
    for form in _WORDY_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not a date such as 2026-11-02")


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


def _row(values: dict[str, str], orders: dict[str, str | None]) -> Opportunity:
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
    applied = _optional_date(values.get("applied_on", ""), orders.get("applied_on"))
    interviewed = _optional_date(values.get("interviewed_on", ""), orders.get("interviewed_on"))
    outcome = (
        _optional_date(values.get("outcome_on", ""), orders.get("outcome_on"))
        if status.ended
        else None
    )
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


def _optional_date(text: str, order: str | None) -> date | None:
    return _date(text, order) if text.strip() else None


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


class TrackerSource:
    """A tracker's CSV read as a stream: from bytes or from a file on disk, one row at a time, so
    a file of any size costs the memory of a few rows.

    Opening it reads the file once (its encoding, its header, what each date column says about
    the order of day and month); `rows()` reads it again, row by row. Raises InvalidRecord in one
    line when the file cannot be read at all."""

    def __init__(
        self,
        source: bytes | Path,
        path: Path | None = None,
        mapping: dict[str, str] | None = None,
        *,
        dates: str | None = None,
    ):
        self.path = Path(path if path is not None else source)  # type: ignore[arg-type]
        if isinstance(source, bytes):
            data = source
            self._open_binary: Callable[[], BinaryIO] = lambda: io.BytesIO(data)
        else:
            file = Path(source)
            self._open_binary = lambda: file.open("rb")
        self.encoding, note = _encoding(self._open_binary, self.path)
        self.notes: list[str] = [note] if note else []
        with self._open_text() as text:
            sample = text.read(8192)
        if not sample.strip():
            raise InvalidRecord(
                f"{self.path}: the file is empty; expected a header line and rows", path=self.path
            )
        self.dialect = _dialect(sample)
        header: list[str] | None = None
        dated: dict[str, int] = {}
        self.date_columns: dict[str, DateColumn] = {}
        self.lines = 0
        for _line, cells in self._cells():
            if header is None:
                header = cells
                self._at = _columns(header, mapping or {}, self.path)
                self.columns = {name: header[i] for name, i in self._at.items()}
                dated = {n: self._at[n] for n in _DATE_FIELDS if n in self._at}
                self.date_columns = {n: DateColumn(header[i]) for n, i in dated.items()}
                continue
            self.lines += 1
            for name, at in dated.items():
                if at < len(cells) and cells[at]:
                    self.date_columns[name].add(cells[at])
        if header is None:  # only blank lines
            raise InvalidRecord(
                f"{self.path}: the file is empty; expected a header line and rows", path=self.path
            )
        self.orders = {n: c.order(dates) for n, c in self.date_columns.items()}
        #: One sentence per date column whose order must be given with --dates.
        self.undecided = [p for c in self.date_columns.values() if (p := c.problem(dates))]

    def _open_text(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(self._open_binary(), encoding=self.encoding, newline="")

    def _cells(self) -> Iterator[tuple[int, list[str]]]:
        """(first line number, cells) of every line, the header included."""
        with self._open_text() as text:
            reader = csv.reader(text, self.dialect, strict=True)
            start = 1
            try:
                for cells in reader:
                    yield start, cells
                    start = reader.line_num + 1
            except csv.Error as exc:
                raise InvalidRecord(
                    f"{self.path}: line {reader.line_num}: not readable as CSV: {exc}",
                    path=self.path,
                ) from None

    def rows(self) -> Iterator[Row | str]:
        """Every row, in order: a usable one as a Row, one that cannot be used as a line saying
        why ('line 7: no company'). A row the same as an earlier one is not used twice."""
        seen: dict[int, int] = {}
        first = True
        for line, cells in self._cells():
            if first:
                first = False
                continue
            if not any(c.strip() for c in cells):
                continue
            values = {name: cells[i] if i < len(cells) else "" for name, i in self._at.items()}
            try:
                opportunity = _row(values, self.orders)
            except ValueError as exc:
                yield f"line {line}: {exc}"
                continue
            key = hash(same_key(opportunity))
            if key in seen:
                yield f"line {line}: the same application as line {seen[key]}"
                continue
            seen[key] = line
            yield Row(line, opportunity)


_DATE_FIELDS = ("applied_on", "interviewed_on", "outcome_on")


def read_tracker(
    data: bytes, path: Path, mapping: dict[str, str] | None = None, *, dates: str | None = None
) -> TrackerFile:
    """Every row of a tracker's CSV export, kept in memory (for a small file; a big one is read
    with `TrackerSource` and `preview_tracker`). A file that cannot be read at all raises
    InvalidRecord in one line; a row that cannot be used is listed in `problems` with its line
    number."""
    source = TrackerSource(data, Path(path), mapping, dates=dates)
    result = TrackerFile(source.path, source.columns, notes=list(source.notes))
    result.undecided = list(source.undecided)
    for item in source.rows():
        if isinstance(item, Row):
            result.rows.append(item)
        else:
            result.problems.append(item)
    return result


def plan_rows(rows: Iterable[Row], opportunities: list[Opportunity]) -> Iterator[Planned]:
    """For each usable row, in order: the opportunity to create, or the one already in the
    workbook (not changed)."""
    known = {same_key(o): o for o in opportunities}
    taken = {o.id for o in opportunities}
    for row in rows:
        existing = known.get(same_key(row.opportunity))
        if existing is not None:
            yield Planned(existing, False, [f"line {row.line}: already in the workbook"], False)
            continue
        opportunity = row.opportunity
        unique = unique_id(opportunity.id, taken)
        if unique != opportunity.id:
            opportunity = opportunity.model_copy(update={"id": unique})
        taken.add(opportunity.id)
        yield Planned(opportunity, True, [f"line {row.line}: {_summary(opportunity)}"])


def plan_tracker(tracker: TrackerFile, opportunities: list[Opportunity]) -> list[Planned]:
    """The opportunities to create: every usable row not already in the workbook."""
    return list(plan_rows(tracker.rows, opportunities))


def new_opportunities(source: TrackerSource, opportunities: list[Opportunity]) -> list[Planned]:
    """The plans to write: the file read again, keeping only the opportunities it creates."""
    rows = (r for r in source.rows() if isinstance(r, Row))
    return [p for p in plan_rows(rows, opportunities) if p.created]


@dataclass
class TrackerPreview:
    """What importing a CSV would do, kept small whatever the file's size: counts, the first new
    opportunities, and the skipped rows (the first MAX_PROBLEMS of them word for word)."""

    source: TrackerSource
    new: int = 0
    known: int = 0
    skipped: int = 0
    first: list[Planned] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.new + self.known + self.skipped


def preview_tracker(
    source: TrackerSource, opportunities: list[Opportunity], *, keep: int = 20
) -> TrackerPreview:
    """Read the file row by row and count what it would add, keeping only the first `keep` new
    opportunities; the ids of later ones are made unique when they are written
    (`new_opportunities`)."""
    preview = TrackerPreview(source)
    known = {same_key(o) for o in opportunities}
    shown: list[Row] = []
    for item in source.rows():
        if not isinstance(item, Row):
            preview.skipped += 1
            if len(preview.problems) < MAX_PROBLEMS:
                preview.problems.append(item)
        elif same_key(item.opportunity) in known:
            preview.known += 1
        else:
            preview.new += 1
            if len(shown) < keep:
                shown.append(item)
    preview.first = [p for p in plan_rows(shown, opportunities) if p.created]
    return preview


def describe_preview(preview: TrackerPreview) -> list[str]:
    """The preview's summary lines: counts, columns used, notes and what needs --dates."""
    source = preview.source
    lines = [
        f"{plural(preview.new, 'new opportunity', 'new opportunities')}, "
        f"{preview.known} already in the workbook, {plural(preview.skipped, 'row')} skipped",
        "columns used: " + ", ".join(f"{k} = {v!r}" for k, v in source.columns.items()),
    ]
    lines.extend(f"note: {n}" for n in source.notes)
    lines.extend(f"not sure: {u}" for u in source.undecided)
    return lines


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
    """The preview's summary lines for a file read whole: counts, columns used, and notes."""
    new = [p for p in plans if p.created]
    lines = [
        f"{plural(len(new), 'new opportunity', 'new opportunities')}, "
        f"{len(plans) - len(new)} already in the workbook, "
        f"{plural(len(tracker.problems), 'row')} skipped",
        "columns used: " + ", ".join(f"{k} = {v!r}" for k, v in tracker.columns.items()),
    ]
    lines.extend(f"note: {n}" for n in tracker.notes)
    lines.extend(f"not sure: {u}" for u in tracker.undecided)
    return lines
