"""`followup questions`, `followup prep`, `followup stories` and `followup practice`: getting ready
for the next round. Each command parses, calls `followup.prep` (and the reports' engine for the
sheet), and renders."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from followup.cli.shared import (
    EXIT_OK,
    EXIT_PROBLEMS,
    expand_id,
    opportunity_named,
    out_folder,
    output,
    skipped,
    workbook_from_args,
    written,
)
from followup.clock import parse_now, policy_for
from followup.core import formats
from followup.core.errors import UsageError
from followup.core.model import QuestionKind
from followup.core.stories import Grade


def cmd_questions(args: argparse.Namespace) -> int:
    from followup.prep import questions

    book = workbook_from_args(args)
    loaded = book.load()
    rows = questions.search(questions.bank(loaded.opportunities), args.search, args.kind)
    render = {"table": questions.to_table, "csv": questions.to_csv, "json": questions.to_json}
    output(render[args.format](rows), args.out)
    return skipped(loaded.problems)


def cmd_prep(args: argparse.Namespace) -> int:
    """Write one round's prep sheet as HTML, through the reports' notebook and engine."""
    from followup.prep.sheet import pick_round
    from followup.reports import batch
    from followup.reports.prep_batch import file_key, prep_notebook

    book = workbook_from_args(args)
    now = parse_now(args.now)
    opportunity = opportunity_named(book, expand_id(book, args.id))
    interview = pick_round(opportunity, now, args.round)
    out = out_folder(args.out)
    task = batch.Task(
        opportunity=opportunity.id,
        round=file_key(interview.key),
        title=f"Prepare for {interview.name} · {opportunity.company}",
        inputs="",
        notebook=str(prep_notebook().resolve()),
        out=str(out.resolve()),
        parameters={
            "data_dir": str(book.root.resolve()),
            "opportunity_id": opportunity.id,
            "round": interview.key,
            "now": now.isoformat(),
        },
    )
    outcome = written(out, "--out", lambda: batch.run_one(task))  # type: ignore[arg-type, return-value]
    if outcome.state != batch.MADE:
        print(f"Could not make the prep sheet: {outcome.error}")
        if outcome.path:
            print(f"  The failed notebook is kept at {outcome.path}")
        return EXIT_PROBLEMS
    print(f"Wrote the prep sheet for {interview.name} of {opportunity.title}:")
    print(f"  {Path(outcome.path or '').resolve()}")
    return EXIT_OK


def cmd_stories(args: argparse.Namespace) -> int:
    from followup.storage.stories import STORIES_FILE, read_stories

    book = workbook_from_args(args)
    bank = read_stories(book.root)
    if not bank.stories:
        print(
            f"No stories yet. Write them in {book.root / STORIES_FILE}, each with a title, "
            "situation, task, action, result, tags and the questions it answered."
        )
        return EXIT_OK
    for story in bank.stories:
        tags = f"  [{', '.join(story.tags)}]" if story.tags else ""
        print(f"{story.id}: {story.title}{tags}")
        for label, text in (
            ("Situation", story.situation),
            ("Task", story.task),
            ("Action", story.action),
            ("Result", story.result),
        ):
            if text:
                print(f"   {label}: {' '.join(text.split())}")
        for question in story.questions:
            print(f"   Answered: {question}")
    print(
        f"\n{formats.plural(len(bank.stories), 'story', 'stories')} in {book.root / STORIES_FILE}."
    )
    return EXIT_OK


def cmd_practice(args: argparse.Namespace) -> int:
    """Show the cards due now, add or drop cards, or record how one went."""
    from followup.prep import practice, questions
    from followup.storage.stories import update_practice

    book = workbook_from_args(args)
    now = parse_now(args.now)
    if (args.rate is None) != (args.card is None):
        raise UsageError("--rate and --card go together: say how the card with that id went")
    loaded = book.load()
    rows = questions.bank(loaded.opportunities)
    zone = policy_for(book.settings_or_defaults()[0], now).zone
    messages: list[str] = []

    def change(deck: practice.Deck) -> practice.Deck:
        deck, added = practice.add(deck, practice.to_improve(rows), now)
        if added:
            messages.append(f"Added {formats.plural(len(added), 'answer')} to improve.")
        if args.add:
            chosen = [r for r in rows if r.card == args.add]
            if not chosen:
                raise UsageError(f"--add {args.add}: no such question (see followup questions)")
            deck, more = practice.add(deck, chosen, now)
            messages.append("Added it." if more else "It is already in your practice.")
        if args.drop:
            deck = practice.drop(deck, args.drop)
            messages.append(f"Dropped {args.drop}.")
        if args.rate:
            deck, card = practice.rate(deck, args.card, args.rate, now)
            next_time = practice.when_due(card.due(), zone)
            messages.append(f"Rated {card.id} {args.rate.lower()}: next due {next_time}.")
        return deck

    deck = update_practice(book.root, change)
    for message in messages:
        print(message)
    due = practice.due(deck, now)
    if not deck.cards:
        print("Nothing to practise: no answer to improve in your debriefs yet.")
    elif not due:
        upcoming = practice.next_due(deck)
        print(f"Nothing due now. Next: {practice.when_due(upcoming, zone)}.")
    else:
        print(f"Due now ({len(due)}): answer each aloud, then rate it with --rate and --card.")
        for card in due:
            print(f"  {card.id}: {card.question}")
            if card.note:
                print(f"     do better: {card.note}")
    return skipped(loaded.problems)


def add_commands(sub: argparse._SubParsersAction, common: Callable) -> None:
    """The commands of this module, added to `followup`'s parser."""
    asked = sub.add_parser(
        "questions", help="every question from your debriefs, with how your answer went"
    )
    common(asked, now=False)
    asked.add_argument("--search", metavar="TEXT", help="only questions with all these words")
    asked.add_argument("--kind", choices=[k.value for k in QuestionKind], help="only this kind")
    asked.add_argument("--format", choices=["table", "csv", "json"], default="table")
    asked.add_argument("--out", metavar="FILE", help="write it to FILE, not stdout")
    asked.set_defaults(func=cmd_questions)

    prep = sub.add_parser("prep", help="a prep sheet (HTML) for the next round of an opportunity")
    prep.add_argument("id", metavar="ID", help="the opportunity, e.g. lumen-ux-researcher")
    common(prep)
    prep.add_argument("--round", metavar="NAME", help="default: the next round still to come")
    prep.add_argument("--out", metavar="DIR", default="reports", help="default: ./reports")
    prep.set_defaults(func=cmd_prep)

    stories = sub.add_parser("stories", help="the stories in your story bank (stories.yaml)")
    common(stories, now=False)
    stories.set_defaults(func=cmd_stories)

    drill = sub.add_parser(
        "practice", help="practise the answers to improve: what is due today, and rate one"
    )
    common(drill)
    drill.add_argument(
        "--rate", type=str.lower, choices=[g.value for g in Grade], help="how the card went"
    )
    drill.add_argument("--card", metavar="ID", help="the card rated, e.g. lumen/final-round/1")
    drill.add_argument("--add", metavar="ID", help="also drill this question (see questions)")
    drill.add_argument("--drop", metavar="ID", help="stop drilling this card")
    drill.set_defaults(func=cmd_practice)
