"""`followup`: a thin command line over the Python API. Each command parses, calls, renders."""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from followup import __version__
from followup.cli.interrupts import interrupt, interrupts_raised
from followup.cli.shared import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    expand_id,
    opportunity_named,
    out_folder,
    output,
    repair_hint,
    skipped,
    workbook_from_args,
    written,
)
from followup.clock import parse_now, policy_for
from followup.core.errors import FollowupError, InvalidRecord, UsageError
from followup.core.formats import plural
from followup.core.model import Opportunity, Settings
from followup.steps import draft_kinds, step_types
from followup.storage.files import collector_paused
from followup.storage.workbook import ENV_VAR, resolve_data_dir


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def cmd_status(args: argparse.Namespace) -> int:
    from followup.cli.render import overview_text, status_header
    from followup.steps import overview, upcoming_interviews

    book = workbook_from_args(args)
    now = parse_now(args.now)
    loaded = book.load()
    settings = book.settings()
    policy = policy_for(settings, now, min_active=args.min_active)
    view = overview(loaded.opportunities, now, policy)
    if args.json:
        data = view.to_dict()
        data["problems"] = [{"path": str(p.path), "message": p.message} for p in loaded.problems]
        data["upcoming"] = [
            {"id": o.id, "round": r.key, "name": r.name, "starts_at": r.starts_at.isoformat()}
            for o, r in upcoming_interviews(loaded.opportunities, now)
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        # Your zone by name; with --now and no setting, the zone --now was given in.
        print(status_header(book.root, now, policy.zone) + "\n")
        if not view.checklists and loaded.problems:
            count = plural(len(loaded.problems), "file")
            print(f"No opportunity could be read: {count} could not be read (listed below).")
        else:
            print(overview_text(view, policy.zone))
    return skipped(loaded.problems, book)


def cmd_validate(args: argparse.Namespace) -> int:
    book = workbook_from_args(args)
    loaded = book.load()
    problems = [p.message for p in loaded.problems]
    try:
        book.settings()
    except FollowupError as exc:
        problems.append(str(exc))
    for message in problems:
        print(message, file=sys.stderr)
    for problem in loaded.problems:
        hint = repair_hint(book, problem)
        if hint:
            print(f"  {hint}", file=sys.stderr)
    count = len(loaded.stored)
    if problems:
        print(
            f"{plural(len(problems), 'problem')}; {plural(count, 'opportunity')} "
            f"{'is' if count == 1 else 'are'} fine.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if count == 0:
        print(
            f"{book.root} is empty: no opportunities yet, so nothing to check. Start with "
            f"`followup app --data {book.root}` (Record an interview) or `followup import`."
        )
        return EXIT_OK
    one = count == 1
    print(
        f"{'The' if one else 'All'} {plural(count, 'opportunity')} in {book.root} "
        f"{'is' if one else 'are'} valid."
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from followup.core.schema import opportunity_schema_text

    output(opportunity_schema_text(), args.out)
    return EXIT_OK


def cmd_drafts(args: argparse.Namespace) -> int:
    from followup.drafts.compose import TEMPLATES_FOLDER, drafts_due, why_no_drafts
    from followup.drafts.eml import format_sender, write_eml, write_text

    book = workbook_from_args(args)
    now = parse_now(args.now)
    if args.id:
        opportunities, problems = [opportunity_named(book, expand_id(book, args.id))], []
    else:
        loaded = book.load()
        opportunities, problems = loaded.opportunities, loaded.problems
    settings = book.settings()
    policy = policy_for(settings, now)
    name = args.sender or settings.your_name or None
    kind = args.kind or None
    drafts = drafts_due(
        opportunities,
        now,
        kind=kind,
        templates_dir=book.root / TEMPLATES_FOLDER,
        sender=name,
        formal=settings.formal_greetings,
        policy=policy,
    )
    if not drafts:
        if len(opportunities) == 1:
            print(why_no_drafts(opportunities[0], now, kind, policy))
        elif not opportunities:
            print(f"No opportunities in {book.root} yet.")
        else:
            print(f"Nothing is due to draft across {len(opportunities)} opportunities right now.")
        if kind is None:
            print("Use --kind to draft one kind anyway, for example --kind thank-you.")
        return skipped(problems)
    for draft in drafts:
        print(f"=== {draft.title} ===")
        if draft.problem:
            print(f"(!) {draft.problem}")
        print(draft.as_text())
    if args.eml:
        folder = out_folder(args.eml, "--eml")
        sender = format_sender(name, settings.your_email)
        for draft in drafts:
            if draft.kind == "card":
                path = written(folder, "--eml", lambda d=draft: write_text(d, folder))
            else:
                path = written(folder, "--eml", lambda d=draft: write_eml(d, folder, sender=sender))
            print(f"Wrote {path}")
    print("Nothing is sent: read each draft, make it yours, then send it yourself.")
    return skipped(problems)


def _confirm(question: str) -> bool:
    """Ask on the terminal; no answer (end of input) is a no."""
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def _ask(question: str) -> str:
    try:
        return input(question).strip()
    except EOFError:
        print()
        return ""


#: How many new opportunities from a CSV the preview lists one by one.
PREVIEW_ROWS = 20
#: More new opportunities than this from one CSV need a second yes (`--yes --many`).
MANY_ROWS = 1_000


def cmd_import(args: argparse.Namespace) -> int:
    """Preview what a file would add to the workbook, then write it once accepted."""
    path = Path(args.file)
    is_csv = path.suffix.lower() in (".csv", ".tsv", ".txt")
    try:
        data = b"" if is_csv else path.read_bytes()  # a CSV is read as a stream, row by row
        if is_csv:
            path.open("rb").close()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror}") from None
    book = workbook_from_args(args, new_ok=True)
    loaded = book.load()
    settings = book.settings()
    remember: list[str] = []
    if is_csv:
        count, make_plans = _preview_tracker(path, args, loaded)
    else:
        plans, remember = _preview_invite(path, data, args, loaded, settings)
        planned = [p for p in plans if p.changed]
        count, make_plans = len(planned), lambda: planned
    if not count:
        print("\nNothing to change: the workbook already has all of it.")
        return skipped(loaded.problems)
    many = is_csv and count > MANY_ROWS
    if many and args.yes and not args.many:
        raise UsageError(
            f"{path}: {count:,} new opportunities, more than {MANY_ROWS:,}; say --yes --many "
            "to write them all (nothing was written)"
        )
    if not args.yes and not _confirm(f"\nWrite {plural(count, 'opportunity')}?"):
        print("Nothing was written.")
        return EXIT_OK
    if (
        many
        and not args.yes
        and not _confirm(
            f"That is {count:,} opportunities, more than {MANY_ROWS:,}: really write them all?"
        )
    ):
        print("Nothing was written.")
        return EXIT_OK
    changes = make_plans()
    if remember:
        book.save_setting("my_addresses", [*settings.my_addresses, *remember])
        print(f"Remembered as yours in settings.yaml: {', '.join(remember)}.")

    from followup.imports.plan import write_plans

    try:
        write_plans(book, changes, {key: s.version for key, s in loaded.stored.items()})
    except OSError as exc:  # new opportunities are written all or none; a change is whole or not
        where = exc.filename or book.opportunities_dir
        raise UsageError(
            f"{where}: cannot write there: {exc.strerror or exc}; the import was not saved"
        ) from None
    print(f"Wrote {plural(len(changes), 'opportunity')} in {book.opportunities_dir}.")
    return skipped(loaded.problems)


def _preview_tracker(
    path: Path, args: argparse.Namespace, loaded
) -> tuple[int, Callable[[], list]]:
    """Preview a CSV read row by row (any size, little memory): counts, the first new rows and
    the skipped ones. Returns how many opportunities it would create, and how to make them (the
    file read again), so they are only held in memory when they are written."""
    from followup.imports.tracker import (
        TrackerSource,
        describe_preview,
        new_opportunities,
        parse_map,
        preview_tracker,
    )

    invite_only = ("opportunity", "company", "me", "role", "round_name", "recruiter")
    if any(getattr(args, name) for name in invite_only):
        raise UsageError(
            "--opportunity, --company, --role, --round-name, --me and --recruiter are for "
            "invitations, not a CSV"
        )
    try:
        source = TrackerSource(path, path, parse_map(args.map), dates=args.dates)
        preview = preview_tracker(source, loaded.opportunities, keep=PREVIEW_ROWS)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    print(f"{path}: {plural(preview.rows, 'row')}")
    for line in describe_preview(preview):
        print(f"  {line}")
    for plan in preview.first:
        print(f"  + {plan.opportunity.title} ({plan.opportunity.id}): {plan.lines[0]}")
    if preview.new > len(preview.first):
        print(f"  … and {preview.new - len(preview.first):,} more")
    for problem in preview.problems:
        print(f"  skipped {problem}")
    if preview.skipped > len(preview.problems):
        print(f"  … and {preview.skipped - len(preview.problems):,} more rows skipped")
    if preview.new and source.undecided:
        raise UsageError(f"{path}: {source.undecided[0]}; nothing was written")
    return preview.new, lambda: new_opportunities(source, loaded.opportunities)


def _preview_invite(
    path: Path, data: bytes, args: argparse.Namespace, loaded, settings
) -> tuple[list, list[str]]:
    """The invitation's plans, previewed; and the addresses given as yours that settings.yaml
    does not know yet (remembered once the import is written)."""
    from followup.core.model import _check_email
    from followup.imports.invite import plan_invites, read_invites

    if args.map or args.dates or args.many:
        raise UsageError("--map, --dates and --many are for a CSV, not an invitation")
    for address in [*(args.me or []), args.recruiter]:
        try:
            _check_email((address or "").strip().lower())
        except ValueError as exc:
            raise UsageError(f"--me/--recruiter: {exc}") from None
    given = [m.strip().lower() for m in args.me or []]
    known = {m for m in (settings.your_email, *settings.my_addresses) if m}
    me = known | set(given)
    zone = _your_zone(settings)
    invites = read_invites(data, path, me=me, zone=zone)
    guessed = [i.probably_me for i in invites if i.probably_me is not None and i.probably_me.email]
    if guessed and not args.yes:
        who = guessed[0]
        print(f"{path}: none of your addresses is on the invitation.")
        if _confirm(f"Is {who.name} <{who.email}> you?"):
            given.append(who.email)
            me.add(who.email)
            invites = read_invites(data, path, me=me, zone=zone)
    remember = [m for m in dict.fromkeys(given) if m not in known]
    company = args.company
    while True:
        try:
            plans = plan_invites(
                invites,
                loaded.opportunities,
                opportunity_id=args.opportunity,
                company=company,
                role=args.role,
                round_name=args.round_name,
                recruiter=args.recruiter,
            )
            break
        except InvalidRecord as exc:
            if exc.field != "company" or args.yes or company:
                raise
            company = _ask("Which company is this interview with? ")
            if not company:
                raise
    print(f"{path}: {plural(len(invites), 'interview')} on the invitation")
    for plan in plans:
        print(f"\n{plan.opportunity.title} ({plan.opportunity.id})")
        for line in plan.lines:
            print(f"  {line}")
    return plans, remember


def _your_zone(settings: Settings) -> str | None:
    """The person's IANA zone: settings.yaml, else this machine's, when it has a name."""
    if settings.timezone:
        return settings.timezone
    from followup.clock import local_zone_name

    return local_zone_name()


def cmd_calendar(args: argparse.Namespace) -> int:
    from followup.calendar.ics import calendar_for

    book = workbook_from_args(args)
    now = parse_now(args.now)
    loaded = book.load()
    policy = policy_for(book.settings(), now)
    calendar = calendar_for(loaded.opportunities, now, policy)
    text = calendar.to_ical().decode("utf-8")
    output(text, args.out, what=plural(len(calendar.events), "entry"))
    return skipped(loaded.problems)


def cmd_report(args: argparse.Namespace) -> int:
    from followup.reports import batch

    book = workbook_from_args(args)
    now = parse_now(args.now)
    out = out_folder(args.out)
    for opportunity_id in args.ids:
        book.get(opportunity_id)  # a rejected id stops here, before any folder is made
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
            out,
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
    skipped(result.problems)
    print(f"Open {result.index.resolve()} in your browser.")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_compare(args: argparse.Namespace) -> int:
    from followup.compare.ranking import check_weights, parse_weights

    book = workbook_from_args(args)
    now = parse_now(args.now)
    settings = book.settings()
    # --weights as given; else those the comparison page kept in settings.yaml; else 1 each.
    weights = parse_weights(args.weights) if args.weights else check_weights(settings.weights)
    loaded = book.load()
    text = _comparison_text(args.format, loaded.opportunities, now, weights, settings)
    output(text, args.out)
    return skipped(loaded.problems)


def _comparison_text(
    form: str,
    opportunities: list[Opportunity],
    now: datetime,
    weights: dict[str, float],
    settings: Settings,
) -> str:
    """The comparison as `form` (table, csv, json or html); only json and html import pandas."""
    from followup.compare import ranking, sensitivity, trends
    from followup.compare import rows as comparison

    if form in ("json", "html"):
        from followup.compare import frames as compare

        result = compare.compare(opportunities, now, weights, settings)
        view = compare.sensitivity(result)
        trend = compare.trends(opportunities)
        if form == "json":
            data = compare.to_json(result, view, trend)
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return compare.page_html(result, view, trend)
    if form == "csv":
        return comparison.ranking_csv(ranking.rank(opportunities, now, weights, settings))
    gathered = trends.Gathered()  # the trends are gathered in the ranking's pass over the workbook
    ranked = ranking.rank(gathered.passing(opportunities), now, weights, settings)
    shown = gathered.rows(over_time=False)  # the terminal never shows the ratings over time
    return comparison.text_report(ranked, sensitivity.sweep(ranked), shown)


def cmd_offers(args: argparse.Namespace) -> int:
    from followup.offers import tables as offers
    from followup.offers.value import BonusBasis, parse_scenarios, parse_years

    book = workbook_from_args(args)
    years, scenarios = parse_years(args.years), parse_scenarios(args.equity)
    loaded = book.load()
    views = offers.offers_view(
        loaded.opportunities,
        years=years,
        scenarios=scenarios,
        bonus=BonusBasis(args.bonus),
        settings=book.settings(),
    )
    output(offers.render(views, args.format), args.out)
    return skipped(loaded.problems)


def cmd_stats(args: argparse.Namespace) -> int:
    from followup.search import page
    from followup.search.figures import load_figures
    from followup.search.stats import compute

    book = workbook_from_args(args)
    now = parse_now(args.now)
    since = _since(args.since)
    loaded = book.load()
    stats = compute(loaded.opportunities, now.date(), since)
    figures = load_figures()
    if args.format == "json":
        text = page.to_json(stats, figures)
    elif args.format == "html":
        today = page.today_steps(loaded.opportunities, now, book.settings_or_defaults()[0])
        text = page.to_html(stats, figures, today)
    else:
        text = page.to_text(stats, figures)
    output(text, args.out)
    return skipped(loaded.problems)


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    return parse_now(text, field="--since").date()


def cmd_export(args: argparse.Namespace) -> int:
    from followup.search import export

    book = workbook_from_args(args)
    pattern = export.check_date_format(args.date_format)
    loaded = book.load()
    if args.format == "html":
        settings = book.settings_or_defaults()[0]
        today = parse_now(args.now).date()
        text = export.to_html(loaded.opportunities, today, pattern, settings.your_name)
    else:
        text = export.to_csv(loaded.opportunities, pattern)
    output(text, args.out, what=plural(len(loaded.opportunities), "application"))
    return skipped(loaded.problems)


def cmd_delete(args: argparse.Namespace) -> int:
    book = workbook_from_args(args)
    try:
        opportunity = opportunity_named(book, args.id)
    except InvalidRecord as exc:
        print(f"followup: {str(exc).splitlines()[0]}", file=sys.stderr)
        what = f"{args.id} (its file cannot be read)"
    else:
        what = f"{opportunity.title} ({opportunity.id})"
    if not args.yes and not _confirm(f"Delete {what}? It goes to the trash and can be restored."):
        print("Nothing was deleted.")
        return EXIT_PROBLEMS
    folder = book.trash(args.id)
    print(f"Deleted {what}: moved to {folder}.")
    print(f"To bring it back: followup restore {args.id}")
    return EXIT_OK


def cmd_trash(args: argparse.Namespace) -> int:
    from followup.core.formats import moment

    book = workbook_from_args(args)
    items = [d for d in book.deleted() if args.id in (None, d.opportunity_id)]
    if not items:
        print(f"Nothing of {args.id} is in the trash." if args.id else "The trash is empty.")
        return EXIT_OK
    titles = {}
    for item in items:
        try:
            titles[item] = book.deleted_opportunity(item).title
        except InvalidRecord:
            titles[item] = "(its file cannot be read)"
    what = plural(len(items), "deleted opportunity", "deleted opportunities")
    if args.empty:
        named = ", ".join(dict.fromkeys(titles.values()))
        question = f"Remove {what} ({named}) for good, with their history? This cannot be undone."
        if not args.yes and not _confirm(question):
            print("Nothing was removed.")
            return EXIT_PROBLEMS
        removed = book.empty_trash(args.id)
        print(
            f"Removed {plural(len(removed), 'deleted opportunity', 'deleted opportunities')} "
            "for good."
        )
        return EXIT_OK
    print(f"In the trash ({what}), deleted longest ago first:")
    width = max(len(item.opportunity_id) for item in items)
    for item in items:
        when = moment(item.deleted_at.astimezone(), seconds=True) if item.deleted_at else "?"
        print(f"  {item.opportunity_id:<{width}}  deleted {when}  {titles[item]}")
    ids = list(dict.fromkeys(item.opportunity_id for item in items))
    print(f"Bring the latest back with: followup restore {ids[0] if len(ids) == 1 else 'ID'}")
    print(f"Remove for good with: {' '.join(filter(None, ['followup trash', args.id, '--empty']))}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    book = workbook_from_args(args)
    if args.version is None:
        stored = book.restore(args.id)
        print(f"Restored {stored.opportunity.title} ({args.id}) from the trash.")
        return EXIT_OK
    stored = book.restore_version(args.id, args.version)
    versions = book.versions(args.id)
    print(f"Restored version {args.version} of {stored.opportunity.title} as the newest version.")
    if len(versions) > 1 and versions[-1].path == stored.path:
        print(f"To undo: followup restore {args.id} --version {versions[-2].number}")
    return EXIT_OK


#: The steps `followup done` and `undo` act on: every registered step with a 'done' action.
_STEP_NAMES = tuple(t.kind.replace("_", "-") for t in step_types() if "done" in t.actions)


def cmd_step(args: argparse.Namespace) -> int:
    """`followup done` and `followup undo`: a step's action, the same one the forms call."""
    from followup.core import formats
    from followup.steps import act, step_type

    book = workbook_from_args(args)
    opportunity_id = expand_id(book, args.id)
    at = parse_now(args.at or args.now, field="--at" if args.at else "--now")
    kind = args.step.replace("-", "_")
    try:
        declared = step_type(kind)
    except KeyError:
        known = ", ".join(_STEP_NAMES)
        raise UsageError(f"unknown step {args.step!r}: expected one of {known}") from None
    if args.action not in declared.actions:
        raise UsageError(f"the {args.step} step has nothing to mark {args.action}")

    def change(opportunity: Opportunity) -> Opportunity:
        try:
            return act(opportunity, kind, args.action, at, round=args.round, person=args.person)
        except LookupError as exc:
            raise UsageError(f"{opportunity_id}: {exc.args[0]}") from None

    stored = book.update(opportunity_id, change)
    what = "done" if args.action == "done" else "not done"
    who = f" ({args.person})" if args.person else ""
    print(
        f"{stored.opportunity.title}: {declared.label}{who} marked {what} "
        f"at {formats.moment(at, policy_for(book.settings_or_defaults()[0], at).zone)}."
    )
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    import webbrowser

    from followup.app import server as app

    data = resolve_data_dir(args.data)
    if not data.exists():
        print(f"Starting a new workbook in {data.resolve()}")
    server = app.start(data, args.port, now=args.now or "")
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        print(f"Your workbook: {server.data}")
        print(f"Open this address (it is private to you; keep it to yourself):\n  {server.url}")
        print("Press Ctrl-C here to stop.", flush=True)
        if not args.no_browser:
            webbrowser.open(server.url)
        server.process.wait()
        print(f"The app stopped unexpectedly:\n{server.log_tail()}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("Stopping…", flush=True)
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
        print(f"Stopped. Your workbook stays in {server.data}")


def cmd_notebooks(args: argparse.Namespace) -> int:
    from followup.shipped import LAB_CONFIG, copy_notebooks

    target = Path(args.dir).expanduser().resolve()
    done = copy_notebooks(target, overwrite=args.overwrite)
    for path in done.written:
        print(f"Wrote {path}")
    for path in done.kept:
        print(f"Kept {path} (it exists; --overwrite replaces it)")
    print(
        f"Open them with: jupyter lab {shlex.quote(f'--config={target / LAB_CONFIG}')} "
        f"{shlex.quote(str(target))}\n"
        "That config saves the notebooks without outputs, so your answers stay in your workbook."
    )
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from followup.core.formats import moment

    book = workbook_from_args(args)
    try:
        title = opportunity_named(book, args.id).title
    except InvalidRecord as exc:
        print(f"followup: {str(exc).splitlines()[0]}", file=sys.stderr)
        title = args.id
    versions = book.versions(args.id)
    print(f"Saved versions of {title}, oldest first:")
    width = len(str(len(versions)))
    for version in versions:
        now = "  (now)" if version.current else ""
        when = moment(version.saved_at.astimezone(), seconds=True)
        print(f"{version.number:>{width}}. {when}  {version.summary}{now}")
    if len(versions) > 1:
        print(f"Bring one back with: followup restore {args.id} --version N")
    return EXIT_OK


def _at_least_one(option: str, example: str) -> Callable[[str], int]:
    """An argparse type for a whole number of 1 or more, whose errors name the option."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"{option}: expected {example}, got {text!r}") from None
        if value < 1:
            raise UsageError(f"{option}: expected 1 or more, got {value}")
        return value

    return parse


_jobs = _at_least_one("--jobs", "a whole number such as 2")
_version_number = _at_least_one("--version", "a version number such as 3")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--port: expected a whole number such as 8866, got {text!r}") from None
    if not 1024 <= value <= 65535:
        raise UsageError(f"--port: expected a number from 1024 to 65535, got {value}")
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
    drafts.add_argument(
        "id",
        nargs="?",
        metavar="ID",
        help="only this opportunity, e.g. acme-data-analyst (default: every one)",
    )
    _common(drafts)
    drafts.add_argument(
        "--kind",
        choices=draft_kinds(),
        help="only this kind, even if already sent, then marked so (default: what is due now)",
    )
    drafts.add_argument("--eml", metavar="DIR", help="also write each draft as a file in DIR")
    drafts.add_argument("--sender", metavar="NAME", help="sign as NAME (default: settings.yaml)")
    drafts.set_defaults(func=cmd_drafts)

    calendar = sub.add_parser("calendar", help="the dated steps as an .ics calendar file")
    _common(calendar)
    calendar.add_argument("--out", metavar="FILE.ics", help="write it to FILE.ics, not stdout")
    calendar.set_defaults(func=cmd_calendar)

    importer = sub.add_parser(
        "import",
        help="add interviews from a calendar invitation (.ics) or applications from a CSV",
        description="Read FILE, show what it would add or change, and write it once you say yes. "
        "An invitation (.ics from Google Calendar, Outlook, Teams or Zoom) becomes a round; "
        "importing it again updates that round, and a cancellation marks it cancelled. A CSV "
        "(Huntr, Teal, JobSync or a spreadsheet) becomes one opportunity per row.",
    )
    importer.add_argument("file", metavar="FILE", help="invite.ics or applications.csv")
    _common(importer, now=False)
    importer.add_argument("--opportunity", metavar="ID", help="add the round to this opportunity")
    importer.add_argument(
        "--company", metavar="NAME", help="the company, when the guess is wrong or missing"
    )
    importer.add_argument("--role", metavar="TEXT", help="the role, when the guess is wrong")
    importer.add_argument(
        "--round-name", metavar="TEXT", help="the round's name, when the guess is wrong"
    )
    importer.add_argument(
        "--me",
        metavar="EMAIL",
        action="append",
        help="your address, left out of the interviewers; may be given more than once, and is "
        "remembered in settings.yaml (my_addresses) once the import is written",
    )
    importer.add_argument(
        "--recruiter",
        metavar="EMAIL",
        help="who on the invitation is the recruiter (default: who sent it, unless they interview)",
    )
    importer.add_argument(
        "--dates",
        choices=("day-first", "month-first"),
        help="how a CSV's dates such as 03/11/2026 read, when every row fits both",
    )
    importer.add_argument(
        "--many",
        action="store_true",
        help=f"with --yes: write a CSV of more than {MANY_ROWS:,} new opportunities",
    )
    importer.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        help="which CSV column holds which field, e.g. company=Employer,role=Title",
    )
    importer.add_argument("--yes", action="store_true", help="write without asking")
    importer.set_defaults(func=cmd_import)

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
        help="e.g. people=2,growth=3 (areas: people, culture, fit, growth, alignment; "
        "default: the weights the comparison page kept in settings.yaml, else 1 each)",
    )
    comparison.add_argument("--format", choices=["table", "csv", "json", "html"], default="table")
    comparison.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    comparison.set_defaults(func=cmd_compare)

    offers = sub.add_parser("offers", help="every offer side by side, year by year")
    _common(offers, now=False)
    offers.add_argument("--years", default="4", metavar="N", help="years to look at (default 4)")
    offers.add_argument(
        "--equity",
        metavar="LIST",
        help="what the equity may be worth, in times its grant price (default 0,1,3)",
    )
    offers.add_argument(
        "--bonus",
        choices=["target", "guaranteed"],
        default="target",
        help="count the bonus at target, or only a guaranteed one (default: target)",
    )
    offers.add_argument("--format", choices=["table", "csv", "json", "html"], default="table")
    offers.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    offers.set_defaults(func=cmd_offers)

    stats = sub.add_parser(
        "stats", help="your search in numbers: the funnel, waiting times, sources, activity"
    )
    _common(stats)
    stats.add_argument("--since", metavar="DATE", help="only applications started on or after DATE")
    stats.add_argument("--format", choices=["table", "json", "html"], default="table")
    stats.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    stats.set_defaults(func=cmd_stats)

    exporting = sub.add_parser(
        "export", help="every application with its dates and stages, as CSV or a printable page"
    )
    _common(exporting)
    exporting.add_argument("--format", choices=["csv", "html"], default="csv")
    exporting.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    exporting.add_argument(
        "--date-format",
        metavar="PATTERN",
        help="how to write dates, e.g. %%d.%%m.%%Y (default: ISO 8601, 2026-11-26)",
    )
    exporting.set_defaults(func=cmd_export)

    delete = sub.add_parser("delete", help="move an opportunity to the trash (it can be restored)")
    delete.add_argument("id", metavar="ID", help="the opportunity, e.g. acme-data-analyst")
    _common(delete, now=False)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(func=cmd_delete)

    trash = sub.add_parser("trash", help="list what was deleted, or remove it for good (--empty)")
    trash.add_argument("id", metavar="ID", nargs="?", help="only this opportunity's copies")
    _common(trash, now=False)
    trash.add_argument(
        "--empty", action="store_true", help="remove them for good, with their history"
    )
    trash.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    trash.set_defaults(func=cmd_trash)

    restore = sub.add_parser(
        "restore", help="bring back a deleted opportunity, or an earlier version of one"
    )
    restore.add_argument("id", metavar="ID", help="the opportunity, e.g. acme-data-analyst")
    _common(restore, now=False)
    restore.add_argument(
        "--version",
        type=_version_number,
        metavar="N",
        help="save version N again as the newest (see 'followup history ID')",
    )
    restore.set_defaults(func=cmd_restore)

    for action, words in (("done", "mark a step done"), ("undo", "mark a step not done after all")):
        step = sub.add_parser(
            action,
            help=f"{words}: a note sent, a card mailed, a check-in, a community joined",
        )
        step.add_argument("id", metavar="ID", help="the opportunity, e.g. acme-data-analyst")
        step.add_argument("step", metavar="STEP", choices=_STEP_NAMES, help=", ".join(_STEP_NAMES))
        _common(step)
        step.add_argument("--at", metavar="TIME", help="when it happened (default: now)")
        step.add_argument(
            "--round", metavar="ROUND", help="the round, for a note to an interviewer"
        )
        step.add_argument("--person", metavar="NAME", help="the interviewer, for a note or card")
        step.set_defaults(func=cmd_step, action=action)

    history = sub.add_parser("history", help="the saved versions of an opportunity, numbered")
    history.add_argument("id", metavar="ID", help="the opportunity, e.g. acme-data-analyst")
    _common(history, now=False)
    history.set_defaults(func=cmd_history)

    application = sub.add_parser(
        "app", help="open the workbook in your browser: a dashboard and a page for each step"
    )
    _common(application)
    application.add_argument(
        "--port", type=_port, metavar="N", help="listen on port N (default: a free one)"
    )
    application.add_argument(
        "--no-browser", action="store_true", help="print the address, don't open a browser"
    )
    application.set_defaults(func=cmd_app)

    notebooks = sub.add_parser("notebooks", help="copy the notebooks into DIR for JupyterLab")
    notebooks.add_argument("dir", metavar="DIR", help="the folder to copy them into")
    notebooks.add_argument("--overwrite", action="store_true", help="replace existing copies")
    notebooks.set_defaults(func=cmd_notebooks)

    from followup.cli.prep import add_commands as add_prep_commands

    add_prep_commands(sub, _common)
    for register in EXTRA_COMMANDS:
        register(sub, _common)
    return parser


#: Later faces add their commands here: each takes the subparsers and the common-options helper.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction, Callable], None]] = []


#: Commands that run on (a server; a batch of reports that can take minutes): they keep Python's
#: cycle collector running.
_LONG_RUNNING = frozenset({cmd_report, cmd_app})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        with interrupts_raised():
            return _run(parser, argv)
    except KeyboardInterrupt:
        print("followup: interrupted", file=sys.stderr)
        return 130


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        if args.func in _LONG_RUNNING:
            return args.func(args)
        # A command that reads, works and ends makes almost no cycles to collect, and the
        # collector's passes over a big workbook's objects cost compare a sixth of its time.
        with collector_paused():
            return args.func(args)
    except FollowupError as exc:
        print(f"followup: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
