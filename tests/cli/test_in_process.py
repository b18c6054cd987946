"""The in-process runner gives what the console script gives: the same exit status, standard
output and standard error, for an answer from a live cluster, a paste, a dump and bad input;
and it leaves this process's environment, directory and logging as it found them."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic, kubemedic_in_process
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

ROOT = Path(__file__).resolve().parents[2]
PASTE = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_bytes()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    si = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(si)
    with start_in_thread(si) as server:
        home = tmp_path_factory.mktemp("home")
        path = write_kubeconfig(home / "config", {"lab": server.url}, current="lab")
        yield {"KUBECONFIG": str(path), "HOME": str(home)}, f"shop/{oom.pod}"


def _both(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> tuple[Result, Result]:
    return kubemedic(*args, stdin=stdin, env=env), kubemedic_in_process(*args, stdin=stdin, env=env)


def test_a_cluster_answer_is_the_console_script_s(cluster: tuple[dict[str, str], str]) -> None:
    env, pod = cluster
    for args in (("diagnose", "pod", pod, "--json"), ("diagnose", "pod", pod)):
        child, here = _both(*args, env=env)
        assert child.code == 0, child.stderr
        assert here == child, args


def test_a_paste_a_dump_and_bad_input_are_the_console_script_s() -> None:
    dump = str(ROOT / "examples" / "dump")
    for args, stdin in (
        (("match", "-"), PASTE),
        (("match", "--json", "-"), PASTE),
        (("diagnose", "pod", "shop/nope", "--from-dump", dump), None),
        (("diagnose", "pod", "shop/Bad_Name", "--from-dump", dump), None),
        (("match", "-"), b""),
        (("no-such-command",), None),
    ):
        child, here = _both(*args, stdin=stdin)
        assert here == child, args
    assert {child.code for child in (kubemedic("match", "-"), kubemedic("no-such-command"))} == {2}


def test_it_leaves_the_environment_the_directory_and_logging_as_they_were(tmp_path: Path) -> None:
    before = (
        dict(os.environ),
        Path.cwd(),
        list(logging.getLogger().handlers),
        logging.getLogger().level,
    )
    result = kubemedic_in_process(
        "match", "--json", "-", stdin=PASTE, cwd=tmp_path, env={"KUBEMEDIC_LOG_LEVEL": "DEBUG"}
    )
    assert result.code == 0 and result.json()["answer"] == "oom-killed"
    assert (
        dict(os.environ),
        Path.cwd(),
        list(logging.getLogger().handlers),
        logging.getLogger().level,
    ) == before


def test_it_keeps_the_order_of_handlers_the_command_removed_and_it_put_back() -> None:
    # a kubemedic handler another test of this process configured sits first; the command
    # replaces handlers of that name, and the runner puts it back where it was
    from bot.logs import HANDLER_NAME

    earlier = logging.StreamHandler()
    earlier.set_name(HANDLER_NAME)
    root = logging.getLogger()
    root.handlers.insert(0, earlier)
    try:
        before = list(root.handlers)
        kubemedic_in_process(
            "match", "--json", "-", stdin=PASTE, env={"KUBEMEDIC_LOG_LEVEL": "DEBUG"}
        )
        assert list(root.handlers) == before
    finally:
        root.removeHandler(earlier)
