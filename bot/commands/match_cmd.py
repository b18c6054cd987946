"""`kubemedic match [FILE|-] [--json] [--top N]`: name the catalog entries behind a paste."""

from __future__ import annotations

import argparse

from bot.commands.arguments import bounded_int
from bot.commands.io import CommandIO
from bot.commands.output import print_diagnosis
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge
from bot.paste_input import read_paste
from bot.settings import Settings
from responses.diagnosis import Diagnosis, Finding

MAX_TOP = 20


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("match", help="match pasted error text against the catalog")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="file to read (default: stdin)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--top", type=bounded_int("--top", MAX_TOP), default=3, metavar="N", help="how many matches (default 3)")


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.file == "-" and io.stdin.isatty():
        raise BadInput("no input: give a FILE, or pipe the error text on standard input")
    text = read_paste(args.file, io.stdin)
    knowledge = load_knowledge(settings)
    matches = knowledge.matcher.match(text, top=args.top)
    diagnosis = Diagnosis(subject="the pasted text", findings=tuple(Finding(m) for m in matches))
    print_diagnosis(diagnosis, io, as_json=args.json, problems=knowledge.problems)
    return EXIT_OK
