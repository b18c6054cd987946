"""`kubemedic preview [FILE|-] [--from-dump DIR --pod NS/NAME] [--output FILE.html]`.

Shows the Slack answer without a workspace: the same Diagnoser, buttons
and Block Kit builder as the bot, drawn as a self-contained HTML page that
looks like the message in Slack (see responses.slack_preview). A paste is
redacted first, as the bot does, and appears as the message the answer
replies to. Buttons carry a placeholder value: nothing is stored.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.answering.results import DiagnoseResult
from bot.cluster.names import parse_pod_ref
from bot.cluster.reader import ClusterReader
from bot.cluster.recording import Recording
from bot.commands.arguments import add_show_secrets, pasted
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge
from bot.paste_input import read_paste
from bot.settings import Settings
from responses.block_kit import diagnosis_blocks, fallback_text
from responses.buttons import ButtonSpec, reply_buttons
from responses.mrkdwn_html import unescape
from responses.slack_preview import ONLY_YOU, page_html, paste_message

PREVIEW_ID = "preview"
"""The value of every button in a preview (the bot's are signed ids of stored actions)."""
QUIET = (
    "no confident match: on a pasted message the bot stays quiet; "
    "the page shows what `/diagnose` would answer, to the asker only"
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="the Slack answer as an HTML page (no workspace needed)",
        description="Write the answer the bot would post in Slack, buttons included, as a "
        "self-contained HTML page. Reads a paste (FILE, or standard input), or a pod of a "
        "`kubectl cluster-info dump` folder with --from-dump DIR --pod NAMESPACE/NAME.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default=None,
        metavar="FILE|-",
        help="pasted text to answer (default: standard input)",
    )
    parser.add_argument("--from-dump", metavar="DIR", help="a `kubectl cluster-info dump` folder")
    parser.add_argument(
        "--pod", metavar="NAMESPACE/NAME", help="the pod to diagnose (with --from-dump)"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE.html", help="write the page here (default: standard output)"
    )
    add_show_secrets(parser)


def _checked(args: argparse.Namespace) -> None:
    if (args.from_dump is None) != (args.pod is None):
        raise BadInput("--from-dump and --pod go together: --from-dump DIR --pod NAMESPACE/NAME")
    if args.from_dump is not None and args.file is not None:
        raise BadInput(
            "give either a paste (FILE|-) or --from-dump DIR --pod NAMESPACE/NAME, not both"
        )
    if args.output is not None and Path(args.output).is_dir():
        raise BadInput(f"--output: {args.output!r} is a directory; name the .html file to write")


async def _remediation(
    result: DiagnoseResult, settings: Settings, reader: ClusterReader | None
) -> list[ButtonSpec]:
    """The remediation buttons the bot would offer (planned exactly as it plans them)."""
    if result.diagnosis.answer is None:
        return []
    from bot.remediation.buttons import offer_button
    from bot.remediation.planning import offers

    offered = await offers(
        result.diagnosis, result.facts, settings=settings, reader=reader, text=result.text
    )
    return [
        offer_button(offer, value=PREVIEW_ID, pending_id=PREVIEW_ID).spec() for offer in offered
    ]


async def _answer(
    args: argparse.Namespace, io: CommandIO, settings: Settings
) -> tuple[DiagnoseResult, ClusterReader | None]:
    knowledge = load_knowledge(settings)
    if args.from_dump is None:
        text = pasted(read_paste(args.file or "-", io.stdin), args)
        diagnoser = Diagnoser(matcher=knowledge.matcher, readers=_NoCluster())
        return await diagnoser.paste(text), None
    namespace, name = parse_pod_ref(args.pod)
    reader = Recording("dump", args.from_dump).open(shown=args.show_secrets)
    diagnoser = Diagnoser(matcher=knowledge.matcher, readers=OneReader(reader))
    return await diagnoser.diagnose(DiagnoseRequest("pod", namespace=namespace, name=name)), reader


class _NoCluster:
    """Readers for a paste: a paste is answered without reading any cluster."""

    def reader(self, context: str | None) -> ClusterReader:
        raise BadInput("a pasted text is answered without a cluster")


async def render_page(
    args: argparse.Namespace, io: CommandIO, settings: Settings
) -> tuple[str, DiagnoseResult]:
    """The page's HTML and the result it shows."""
    result, reader = await _answer(args, io, settings)
    buttons = reply_buttons(
        result.diagnosis, await _remediation(result, settings, reader), PREVIEW_ID
    )
    blocks = diagnosis_blocks(result.diagnosis, buttons=buttons)
    parent = paste_message(result.text) if result.text is not None else None
    title = unescape(fallback_text(result.diagnosis))
    note = ONLY_YOU if result.diagnosis.answer is None and result.text is not None else ""
    return page_html(blocks, title=title, parent=parent, note=note), result


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    _checked(args)
    page, result = asyncio.run(render_page(args, io, settings))
    if result.diagnosis.answer is None and result.text is not None:
        print(f"note: {QUIET}", file=io.stderr)
    if args.output is None:
        io.stdout.write(page)
        return EXIT_OK
    target = Path(args.output)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"--output: cannot write {args.output!r}: {exc.strerror or exc}") from None
    print(f"preview: {target.resolve()}", file=io.stdout)
    return EXIT_OK
