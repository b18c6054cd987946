"""`kubemedic match [FILE|-] [--json] [--top N] [--examples FILE]`: name the catalog entries behind
a paste, as the bot would: with the team's examples, and "Is it one of these?" when unsure."""

from __future__ import annotations

import argparse

from bot.answering.candidates import offered
from bot.command_settings import CommandSettings
from bot.commands.arguments import add_answer_form, add_at, add_show_secrets, bounded_int, pasted
from bot.commands.io import CommandIO
from bot.commands.match_examples import from_database, from_file
from bot.commands.output import print_diagnosis
from bot.diagnosis.paste import diagnose_paste
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge
from bot.paste_input import read_paste
from bot.runtime.budget import within_budget

MAX_TOP = 20
TERMINAL_HINT = "Paste the error text, then press Ctrl-D on an empty line (Ctrl-C cancels)."


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "match",
        help="name the known problem behind an error text",
        description="Name the known problem behind an error text and how to fix it. Reads FILE, "
        "or standard input: piped, or pasted at the terminal and ended with Ctrl-D.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE|-",
        help="file to read (default: standard input)",
    )
    add_answer_form(parser)
    parser.add_argument(
        "--top",
        type=bounded_int("--top", MAX_TOP),
        default=None,
        metavar="N",
        help="how many matches (default: three problems and the symptoms they explain)",
    )
    parser.add_argument(
        "--examples",
        metavar="FILE",
        help="the team's examples (a file `kubemedic examples export` writes): a paste "
        "the team answered before gets that answer (default: the examples of "
        "KUBEMEDIC_DATABASE_URL's database, when it is set)",
    )
    add_at(parser, "the pasted kubectl output")
    add_show_secrets(parser)


def run(args: argparse.Namespace, io: CommandIO, settings: CommandSettings) -> int:
    if args.file == "-" and io.stdin.isatty():
        print(TERMINAL_HINT, file=io.stderr, flush=True)
    try:
        text = read_paste(args.file, io.stdin)
    except KeyboardInterrupt:
        raise BadInput("cancelled: nothing was matched") from None
    seconds = settings.text_cpu_seconds  # as the bot does: redacted, then matched, within budget
    text = within_budget(seconds, pasted, text, args)  # the quoted lines carry no secret
    knowledge = load_knowledge(settings)
    known = {entry.id for entry in knowledge.matcher.index.entries}
    examples = (
        from_file(args.examples, known=known)
        if args.examples
        else from_database(text, io, database_url=settings.database_url)
    )
    if args.top is None:  # three problems, each with the symptoms its chain names
        diagnosis = within_budget(
            seconds, diagnose_paste, knowledge.matcher, text, examples=examples, at=args.at
        )
    else:  # N matches exactly as asked, even if a cause's chain loses a symptom
        diagnosis = within_budget(
            seconds,
            diagnose_paste,
            knowledge.matcher,
            text,
            top=args.top,
            examples=examples,
            at=args.at,
        ).at_most(args.top)
    print_diagnosis(
        diagnosis,
        io,
        as_json=args.json,
        verbose=args.verbose,
        problems=knowledge.problems,
        choices=offered(diagnosis),
    )
    return EXIT_OK
