"""`kubemedic serve` with KUBEMEDIC_WORKER_PROCESSES above 1: that many worker processes in one replica.

Python runs one core's worth of work per process; a pod with two cores
gets its second one this way. The parent checks the settings and loads the
catalog once, then forks the workers (they share the catalog's memory until
they write to it). Each worker is a whole bot:

- HTTP: every worker listens on the same port (SO_REUSEPORT) and the kernel
  spreads connections over them; Socket Mode: every worker opens its own
  connection and Slack spreads events over them;
- the work queue is the database, as between replicas: what a worker
  accepted and could not finish is taken over by the others;
- the per-user and per-channel budgets live in memory the workers share
  (bot/runtime/shared_buckets.py), so a budget holds whichever worker a
  request reaches; so does the count of KUBEMEDIC_QUEUE_LIMIT's slots
  (bot/runtime/slots.py), so the replica admits its whole limit whichever
  worker the requests reach (a kept-alive connection stays on one);
- /metrics, from any worker, is the sum over the workers (prometheus-client's
  multiprocess mode, in PROMETHEUS_MULTIPROC_DIR or a temporary directory).

The parent passes SIGTERM and SIGINT on (each worker drains its work as a
single process does) and starts a new worker when one dies after it came
up; when one fails to start (a bad token, no database) it stops the others
and exits with that worker's status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from types import FrameType

from bot.commands.serve_runtime import Worker, serving_knowledge
from bot.errors import EXIT_CLUSTER, EXIT_OK, UserFacingError
from bot.knowledge import Knowledge
from bot.metrics import MULTIPROC_DIR, process_gone, share_between_processes
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.slots import SharedSlots
from bot.settings import Settings

log = logging.getLogger(__name__)

RESTART_DELAY = 1.0
"""Seconds before a worker that died is started again."""


def serve_workers(settings: Settings, *, http: bool, port: int, count: int) -> int:
    """Run `count` workers until SIGTERM or SIGINT; the exit status."""
    from bot.commands.serving import check_slack_settings  # the heavy libraries, once, before fork

    check_slack_settings(settings, http=http)
    knowledge = serving_knowledge(settings)
    made_dir = not os.environ.get(MULTIPROC_DIR)
    directory = os.environ.get(MULTIPROC_DIR) or tempfile.mkdtemp(prefix="kubemedic-metrics-")
    share_between_processes(directory)
    try:
        return _Supervisor(settings, http=http, port=port, knowledge=knowledge).run(count)
    finally:
        if made_dir:
            shutil.rmtree(directory, ignore_errors=True)


class _Supervisor:
    """Forks the workers, passes signals on, replaces a worker that died."""

    def __init__(self, settings: Settings, *, http: bool, port: int, knowledge: Knowledge) -> None:
        self.settings, self.http, self.port, self.knowledge = settings, http, port, knowledge
        self.shared = SharedBuckets()
        self.slots = SharedSlots(1, settings.queue_limit)  # sized for the workers in `run`
        self.workers: dict[int, tuple[int, int]] = {}
        """pid -> (worker index, read end of its ready pipe)."""
        self.stopping = False
        self.status = EXIT_OK

    def run(self, count: int) -> int:
        self.slots = SharedSlots(count, self.settings.queue_limit)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._pass_on)
        for index in range(count):
            self._start(index)
        log.info("kubemedic serving with %d worker processes", count)
        while self.workers:
            pid, wait_status = os.wait()  # retried after a signal handler ran (PEP 475)
            index, ready = self.workers.pop(pid)
            came_up = _was_ready(ready)
            process_gone(pid)
            code = os.waitstatus_to_exitcode(wait_status)
            if self.stopping:
                continue
            if not came_up:  # it could not start: neither will a new one
                log.error(
                    "worker %d (pid %d) failed to start (exit %d); stopping the others",
                    index,
                    pid,
                    code,
                )
                self.status = code if code > 0 else EXIT_CLUSTER
                self._stop_all(signal.SIGTERM)
                continue
            log.warning("worker %d (pid %d) exited (%d); starting a new one", index, pid, code)
            time.sleep(RESTART_DELAY)
            if not self.stopping:
                self._start(index)
        return self.status

    def _pass_on(self, signum: int, frame: FrameType | None) -> None:
        self._stop_all(signum)

    def _stop_all(self, signum: int) -> None:
        self.stopping = True
        for pid in list(self.workers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def _start(self, index: int) -> None:
        ready, told = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(ready)
            _work(
                self.settings,
                http=self.http,
                port=self.port,
                worker=Worker(index, self.knowledge, self.shared, self.slots, told),
            )
        os.close(told)
        self.workers[pid] = (index, ready)


def _was_ready(ready: int) -> bool:
    try:
        return os.read(ready, 1) == b"1"
    finally:
        os.close(ready)


def _work(settings: Settings, *, http: bool, port: int, worker: Worker) -> None:
    """The worker process: serve until told to stop, then exit (never returns to the parent's code)."""
    from bot.commands.serving import serve

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)  # serve installs its own handlers on its loop
    code = EXIT_OK
    try:
        asyncio.run(serve(settings, http=http, port=port, worker=worker))
    except UserFacingError as exc:
        print(f"kubemedic: {exc.reason}", file=sys.stderr)
        code = exc.exit_code
    except BaseException:
        log.exception("worker %d stopped", worker.index)
        code = EXIT_CLUSTER
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
