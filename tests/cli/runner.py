"""Run the installed `kubemedic` console script as a user would, in a subprocess."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.waiting import PATIENCE

SCRIPT = Path(sys.executable).parent / "kubemedic"
INDEX_CACHE = Path(tempfile.mkdtemp(prefix="kubemedic-test-index-"))
"""One catalog index cache for every command this test process runs (unless a test sets its
own): a test that gives the command a fresh HOME would otherwise pay a catalog build (about a
second of CPU) on each call. tests/cli/test_cli_startup.py tests the cache itself."""
atexit.register(shutil.rmtree, INDEX_CACHE, True)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    """A command's environment: this one without the bot's own settings, plus `env`."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KUBEMEDIC_", "SLACK_", "XDG_DATA_HOME"))
    }
    environment["KUBEMEDIC_CACHE_DIR"] = str(INDEX_CACHE)
    environment.update(env or {})
    return environment


def kubemedic(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = PATIENCE,
    cwd: Path | None = None,
) -> Result:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = _environment(env)
    completed = subprocess.run(
        [*command, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=environment,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())


def kubemedic_at_terminal(*args: str, typed: bytes, timeout: float = PATIENCE) -> Result:
    """Run with standard input on a terminal (a pty) where `typed` is typed, as a user would;
    stdout and stderr are captured as usual."""
    import pty
    import select
    import time

    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))
    }
    environment["KUBEMEDIC_CACHE_DIR"] = str(INDEX_CACHE)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*command, *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(terminal)
    try:
        hint = b""
        deadline = time.monotonic() + timeout
        while process.stderr is not None and b"\n" not in hint and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 0.5)
            if ready:
                hint += os.read(process.stderr.fileno(), 4096)  # the hint comes before any typing
        os.write(controller, typed)
        stdout, stderr = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    return Result(process.returncode, stdout.decode(), (hint + stderr).decode())


def kubemedic_in_process(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Result:
    """The same command run by the function the console script calls (`bot.cli.run`), in this
    process, with the same environment, working directory, standard input and captured
    output, and the exit status it returns. For tests about what a command answers, not
    about the process (start-up, imports, signals, terminals: those use `kubemedic`): it
    saves the ~0.7 s of CPU a start-up costs per call. tests/cli/test_in_process.py checks
    that both give the same result. Synchronous tests only (a command runs its own loop)."""
    from bot.cli import run
    from bot.commands.io import CommandIO

    saved_environ, saved_cwd = dict(os.environ), Path.cwd()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(_environment(env))
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = run(
                    list(args), CommandIO(stdin=io.BytesIO(stdin or b""), stdout=out, stderr=err)
                )
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environ)
        for handler in [h for h in root.handlers if h not in saved_handlers]:
            handler.close()
        # as they were, in their order (the command may have removed one of them, e.g. a
        # kubemedic handler another test in this process configured)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
    return Result(code, out.getvalue(), err.getvalue())


def match_json(paste: str) -> dict[str, Any]:
    """`kubemedic match --json` of a paste, run in process; a non-zero exit fails the test."""
    result = kubemedic_in_process("match", "--json", stdin=paste.encode())
    assert result.code == 0, result.stderr
    body: dict[str, Any] = result.json()
    return body


def match_ids(body: dict[str, Any]) -> list[str]:
    """The ids of the matches a `match --json` answer lists, best first."""
    return [match["id"] for match in body["matches"]]


def rules_ids(body: dict[str, Any]) -> list[str]:
    """The ids of the listed matches some rule found, best first (see `rules_matches`)."""
    return [match["id"] for match in rules_matches(body)]


def rules_matches(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The matches some rule found, best first: without the ids only the learned model
    suggests (listed at low confidence, never the answer; their trace starts with the learned rule)."""
    from intents.decision.rules import LEARNED

    return [match for match in body["matches"] if match["why"][0]["rule"] != LEARNED.name]


def explained(body: dict[str, Any]) -> dict[str, list[str]]:
    """Each listed match's id and the causes the answer names it under (its `because`)."""
    return {match["id"]: match["because"] for match in body["matches"]}
