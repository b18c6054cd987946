"""`kubemedic replay DIR --channel C [--speed N] [--at RFC3339] [--write-incidents]`: a recorded
incident's alerts and pages posted into a Slack channel with the diagnoses each would have had
(drills, postmortems, a pack tried before it goes live): bot/commands/replaying.py.

DIR is recorded kubectl outputs (with the firing alerts `amtool alert query -o json` listed) or a
`kubectl cluster-info dump` tree (`--from-dump`), and may hold pages as their tools sent them in
`DIR/pages/`. Slack's bot token (SLACK_BOT_TOKEN) is the only setting it needs.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cluster.recording import Recording
from bot.commands.arguments import add_at
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.settings import Settings

MAX_SPEED = 3600.0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "replay", help="post a recorded incident's alerts and pages into a channel, diagnosed"
    )
    parser.add_argument("directory", metavar="DIR", help="the recorded incident")
    parser.add_argument(
        "--channel", required=True, metavar="C", help="the Slack channel id to post into"
    )
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="N",
        help="N times as fast as it happened (default 1: at its own pace)",
    )
    parser.add_argument(
        "--from-dump",
        action="store_true",
        help="DIR is a `kubectl cluster-info dump` tree (default: recorded kubectl outputs)",
    )
    add_at(parser, "the recording")
    parser.add_argument(
        "--write-incidents",
        action="store_true",
        help="also write the diagnosis as a note on the incident tools the settings name "
        "(default: no incident tool is written)",
    )


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--speed must be a number, not {value!r}") from None
    if not 0 < speed <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"--speed must be above 0 and at most {MAX_SPEED:g}")
    return speed


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    from bot.commands.replaying import Replay, replay_into_chat  # Slack and HTTP load only here

    directory = Path(args.directory)
    if not directory.exists():
        raise BadInput(f"{args.directory}: no such file or directory")
    if settings.slack_bot_token is None:
        raise BadInput("replay posts through Slack: set SLACK_BOT_TOKEN")
    recording = Recording("dump" if args.from_dump else "outputs", str(directory), args.at)
    replay = Replay(directory, recording, args.channel, args.speed, args.write_incidents)
    asyncio.run(replay_into_chat(settings, replay, io.stdout))
    return EXIT_OK
