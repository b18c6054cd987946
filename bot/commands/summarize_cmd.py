"""`kubemedic summarize FILE|DIR [--channel NAME] [--markdown]`: the incident summary of an exported channel.

For post-mortems: the same summary the bot keeps pinned, built from a Slack
export instead of live events: the .zip Slack gives, its unzipped folder,
one channel's folder or one day file (bot/summary/export.py).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK
from bot.knowledge import load_knowledge
from bot.settings import Settings
from bot.summary.builder import SummaryInputs, build_summary
from bot.summary.export import read_export
from responses.inert import printable
from responses.summary_text import render_summary_text


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("summarize", help="summarize an exported incident channel")
    parser.add_argument(
        "file",
        metavar="FILE|DIR",
        help="a Slack export: the .zip, its unzipped folder, "
        "one channel's folder or one day .json file",
    )
    parser.add_argument(
        "--channel",
        metavar="NAME",
        help="the channel to summarize (needed when the export holds several)",
    )
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of text")


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    export = read_export(Path(args.file), channel=args.channel)
    knowledge = load_knowledge(settings)
    last = export.messages[-1].posted_at if export.messages else None
    inputs = SummaryInputs(channel=export.channel, messages=export.messages)
    summary = build_summary(inputs, matcher=knowledge.matcher, now=last or datetime.now(UTC))
    summary = replace(summary, people=export.people)
    io.stdout.write(printable(render_summary_text(summary, markdown=args.markdown)))
    return EXIT_OK
