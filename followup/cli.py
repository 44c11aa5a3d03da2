"""`followup`: a thin command line over the Python API. Each command parses, calls, renders."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from followup import __version__
from followup.clock import parse_now
from followup.errors import FollowupError, UsageError
from followup.store import ENV_VAR, Problem, Workbook, atomic_write, resolve_data_dir

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _workbook(args: argparse.Namespace) -> Workbook:
    root = resolve_data_dir(args.data)
    book = Workbook(root)
    explicit = args.data is not None
    if explicit and not root.is_dir():
        raise UsageError(f"--data {root}: no such folder (expected a workbook folder)")
    return book


def _output(text: str, out: str | None, *, what: str = "") -> None:
    """Print `text`, or write it atomically to `out` and say so."""
    if out:
        atomic_write(Path(out), text.encode("utf-8"))
        print(f"Wrote {what + ' to ' if what else ''}{out}")
    else:
        print(text, end="")


def _skipped(problems: Iterable[Problem]) -> int:
    """Name each file that could not be read; the exit code says whether there were any."""
    problems = list(problems)
    for problem in problems:
        print(f"Skipped a file that could not be read:\n  {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from followup.render import overview_text
    from followup.rules import overview

    book = _workbook(args)
    now = parse_now(args.now)
    loaded = book.load()
    settings = book.settings()
    min_active = args.min_active if args.min_active is not None else settings.min_active
    view = overview(
        loaded.opportunities, now, min_active, no_response_after=settings.no_response_after
    )
    if args.json:
        data = view.to_dict()
        data["problems"] = [{"path": str(p.path), "message": p.message} for p in loaded.problems]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(f"Workbook: {book.root}   now: {now:%a %d %b %Y %H:%M %Z}\n")
        print(overview_text(view))
    return _skipped(loaded.problems)


def cmd_validate(args: argparse.Namespace) -> int:
    book = _workbook(args)
    loaded = book.load()
    problems = [p.message for p in loaded.problems]
    try:
        book.settings()
    except FollowupError as exc:
        problems.append(str(exc))
    for message in problems:
        print(message, file=sys.stderr)
    count = len(loaded.stored)
    if problems:
        print(f"{len(problems)} problem(s); {count} opportunities are fine.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"All {count} opportunities in {book.root} are valid.")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from followup.schema import opportunity_schema_text

    _output(opportunity_schema_text(), args.out)
    return EXIT_OK


def cmd_drafts(args: argparse.Namespace) -> int:
    from followup.drafts import TEMPLATES_FOLDER, DraftKind, drafts_for, why_no_drafts
    from followup.mail import format_sender, write_eml, write_text

    book = _workbook(args)
    now = parse_now(args.now)
    opportunity = book.get(args.id).opportunity
    settings = book.settings()
    name = args.sender or settings.your_name or None
    kind = DraftKind(args.kind) if args.kind else None
    drafts = drafts_for(
        opportunity, now, kind=kind, templates_dir=book.root / TEMPLATES_FOLDER, sender=name
    )
    if not drafts:
        print(why_no_drafts(opportunity, now, kind))
        if kind is None:
            print("Use --kind to draft one kind anyway, for example --kind thank-you.")
        return EXIT_OK
    for draft in drafts:
        print(f"=== {draft.title} ===\n{draft.as_text()}")
    if args.eml:
        sender = format_sender(name, settings.your_email)
        for draft in drafts:
            if draft.kind is DraftKind.CARD:
                path = write_text(draft, Path(args.eml))
            else:
                path = write_eml(draft, Path(args.eml), sender=sender)
            print(f"Wrote {path}")
    print("Nothing is sent: read each draft, make it yours, then send it yourself.")
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from followup.ical import calendar_for

    book = _workbook(args)
    now = parse_now(args.now)
    loaded = book.load()
    calendar = calendar_for(loaded.opportunities, now)
    text = calendar.to_ical().decode("utf-8")
    _output(text, args.out, what=f"{len(calendar.events)} entries")
    return _skipped(loaded.problems)


def cmd_report(args: argparse.Namespace) -> int:
    from followup import batch

    book = _workbook(args)
    now = parse_now(args.now)
    bars: list = []

    def on_plan(plan: batch.Plan) -> None:
        if plan.todo:
            from tqdm import tqdm

            bars.append(
                tqdm(total=len(plan.todo), unit="report", desc="Reports", disable=None, leave=False)
            )

    def progress(outcome: batch.Outcome) -> None:
        for bar in bars:
            bar.set_postfix_str(outcome.title[:40], refresh=False)
            bar.update(1)

    try:
        result = batch.run(
            book,
            Path(args.out),
            now,
            args.ids,
            force=args.force,
            jobs=args.jobs,
            notebook=Path(args.notebook) if args.notebook else batch.DEFAULT_NOTEBOOK,
            on_plan=on_plan,
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    print(
        f"Reports: {len(result.made)} made, {len(result.unchanged)} unchanged since the last run, "
        f"{len(result.failed)} failed ({result.seconds:.1f} s)."
    )
    for outcome in result.failed:
        print(f"Could not make the report for {outcome.title}: {outcome.error}", file=sys.stderr)
        if outcome.path:
            print(f"  The failed notebook is kept at {outcome.path}", file=sys.stderr)
    _skipped(result.problems)
    print(f"Open {result.index.resolve()} in your browser.")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_compare(args: argparse.Namespace) -> int:
    from followup import compare

    book = _workbook(args)
    now = parse_now(args.now)
    weights = compare.parse_weights(args.weights)
    loaded = book.load()
    result = compare.compare(loaded.opportunities, now, weights, book.settings())
    view = compare.sensitivity(result)
    trend = compare.trends(loaded.opportunities)
    if args.format == "csv":
        text = compare.to_csv(compare.ranking_view(result))
    elif args.format == "json":
        data = compare.to_json(result, view, trend)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "html":
        text = compare.page_html(result, view, trend)
    else:
        text = compare.text_report(result, view, trend)
    _output(text, args.out)
    return _skipped(loaded.problems)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--jobs: expected a whole number such as 2, got {text!r}") from None
    if value < 1:
        raise UsageError(f"--jobs: expected 1 or more, got {value}")
    return value


Command = Callable[[argparse.Namespace], int]


def _common(parser: argparse.ArgumentParser, *, now: bool = True) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=f"the workbook folder (default: ${ENV_VAR}, else ./data)",
    )
    if now:
        parser.add_argument(
            "--now",
            metavar="ISO-8601",
            help="pretend it is this time, e.g. 2026-11-26T09:00+01:00 (default: the clock)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="followup",
        description="What to do after a job interview: thank-you notes, debriefs, reflection, "
        "patience with the recruiter's timeline, feedback, and keeping the search going.",
    )
    parser.add_argument("--version", action="version", version=f"followup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    status = sub.add_parser("status", help="next actions for every opportunity, overdue first")
    _common(status)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument(
        "--min-active",
        type=int,
        metavar="N",
        help="warn when fewer than N processes are open (default: settings.yaml, else 3)",
    )
    status.set_defaults(func=cmd_status)

    validate = sub.add_parser("validate", help="check every file; exit 1 if any has a problem")
    _common(validate, now=False)
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="print the JSON Schema of an opportunity file")
    schema.add_argument("--out", metavar="FILE", help="write it to FILE instead")
    schema.set_defaults(func=cmd_schema)

    drafts = sub.add_parser("drafts", help="draft thank-you notes, check-ins and feedback requests")
    drafts.add_argument("id", metavar="ID", help="the opportunity, e.g. acme-data-analyst")
    _common(drafts)
    drafts.add_argument(
        "--kind",
        choices=["thank-you", "card", "check-in", "feedback", "other-roles"],
        help="only this kind, even if already sent (default: what the checklist says is due)",
    )
    drafts.add_argument("--eml", metavar="DIR", help="also write each draft as a file in DIR")
    drafts.add_argument("--sender", metavar="NAME", help="sign as NAME (default: settings.yaml)")
    drafts.set_defaults(func=cmd_drafts)

    calendar = sub.add_parser("calendar", help="the dated steps as an .ics calendar file")
    _common(calendar)
    calendar.add_argument("--out", metavar="FILE.ics", help="write it to FILE.ics, not stdout")
    calendar.set_defaults(func=cmd_calendar)

    report = sub.add_parser("report", help="a report per round (HTML), and an index of them all")
    report.add_argument("ids", nargs="*", metavar="ID", help="only these opportunities")
    _common(report)
    report.add_argument("--out", metavar="DIR", default="reports", help="default: ./reports")
    report.add_argument(
        "--jobs", type=_jobs, metavar="N", help="reports run at once (default: your cores)"
    )
    report.add_argument("--force", action="store_true", help="re-run reports even if unchanged")
    report.add_argument("--notebook", metavar="FILE", help="default: notebooks/report.ipynb")
    report.set_defaults(func=cmd_report)

    comparison = sub.add_parser("compare", help="rank opportunities by your weighted reflection")
    _common(comparison)
    comparison.add_argument(
        "--weights",
        metavar="AREA=N,…",
        help="e.g. people=2,growth=3 (areas: people, culture, fit, growth, alignment; default 1)",
    )
    comparison.add_argument("--format", choices=["table", "csv", "json", "html"], default="table")
    comparison.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    comparison.set_defaults(func=cmd_compare)

    for register in EXTRA_COMMANDS:
        register(sub, _common)
    return parser


#: Later faces add their commands here: each takes the subparsers and the common-options helper.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction, Callable], None]] = []


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, raised as a subclass so that CPython does not re-kill the process at exit.

    CPython remembers a plain KeyboardInterrupt that escaped code run through `exec` of a string
    (imports, dataclasses) and then ends the process by SIGINT even after we handled it, which
    turns our exit code 130 into -2 at random.
    """


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _interrupt) if in_main_thread else None
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        return args.func(args)
    except FollowupError as exc:
        print(f"followup: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("followup: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main())
