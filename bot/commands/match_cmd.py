"""`kubemedic match`: placeholder until the matcher lands."""
from __future__ import annotations
import argparse
from bot.commands.io import CommandIO
from bot.settings import Settings

def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("match")

def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    return 0
