"""The command line above a recorded output: which kubectl (or systemd) command printed it.

People attach outputs with their command lines in many shapes: `$ kubectl get po -n
shop -o wide`, `user@host:~$ kubectl ...`, `PS> kubectl ...`, `# kubectl ...`, a bare
`kubectl ...`, `ssh worker-1 systemctl status kubelet`.  A line is read as a command
when it starts with a prompt and a command word, or with `kubectl` itself; the words
are split as a shell would (never run), options are read wherever they stand, and a
pipe ends the kubectl part.  Other commands (curl, nc, a tool's own name) come back
as `Command(verb="other")` so the reader can list them as skipped.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from bot.cluster.outputs.kinds import ALL_KINDS, resolve

MAX_COMMAND_CHARS = 2000
_PROMPT = re.compile(
    r"^\s*(?:\[[^\]\n]{1,80}\]\s?[$#]|[\w.-]{1,64}@[\w.-]{1,253}(?::[^\s$#]{0,200})?\s?[$#]"
    r"|PS(?: [^>\n]{0,200})?>|[$#>%](?=\s))\s*(?P<rest>\S.*)$")
_KNOWN = ("kubectl", "kubectl.exe", "oc", "k", "sudo", "ssh", "systemctl", "journalctl",
          "microk8s", "minikube")
_VALUE_FLAGS = frozenset({
    "-n", "--namespace", "-o", "--output", "-l", "--selector", "-c", "--container", "--tail",
    "--context", "--kubeconfig", "--cluster", "--user", "--sort-by", "--field-selector",
    "--since", "--since-time", "-L", "--label-columns", "--request-timeout", "--chunk-size",
    "-s", "--server", "--token", "--as", "--template", "--limit-bytes", "--max-log-requests",
    "--pod-running-timeout", "--selector-key", "--for", "--timeout", "-f", "--filename"})
_BOOL_ONLY_F = frozenset({"logs"})
"""Verbs where `-f` means --follow (takes no value), not --filename."""
SERVICE_VERBS = frozenset({"systemctl", "journalctl"})
_JOINED = re.compile(r"^-[nolcL]\S")
"""A short option written together with its value: -nshop, -owide."""


@dataclass
class Command:
    """One recorded command, as far as the reader cares."""

    verb: str
    """get, describe, logs, top, events; systemctl, journalctl; "other" for anything else."""
    text: str
    targets: list[tuple[str | None, str | None]] = field(default_factory=list)
    """(kind plural or None when unknown, name or None) in the order given."""
    namespace: str | None = None
    all_namespaces: bool = False
    output: str = ""
    show_labels: bool = False
    selector: str | None = None
    container: str | None = None
    previous: bool = False
    node: str | None = None
    units: list[str] = field(default_factory=list)
    unknown_kinds: list[str] = field(default_factory=list)
    piped: bool = False
    """Its output went through a pipe (`| grep`): what it shows may be a part."""
    filtered: bool = False
    """--field-selector or --chunk-size/--limit style options: what it shows may be a part."""

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(k for k, _ in self.targets if k))


_PROMPT_STARTS = frozenset("$#>%P[")


def command_text(line: str, *, after_blank: bool = True) -> str | None:
    """The command of a line that looks like a shell command line, or None.

    `$ `, `% `, `PS> ` and `user@host:~$ ` prompts always start a command; `# `, `> ` and
    a bare `kubectl` only after a blank line (or at the top), since a script or a comment
    inside an output (a ConfigMap's data, a container's args) can hold such lines too.
    """
    if len(line) > MAX_COMMAND_CHARS or not line:
        return None
    first = line[0]
    if first in _PROMPT_STARTS or "@" in line[:80]:
        m = _PROMPT.match(line)
        if m is not None:
            rest = m["rest"]
            loose = first in "#>"
            if loose and (not after_blank or rest.split(" ", 1)[0] not in _KNOWN):
                return None
            return rest
    if after_blank and line.startswith("kubectl"):
        stripped = line.strip()
        return stripped if stripped.split(" ", 1)[0] in ("kubectl", "kubectl.exe") else None
    return None


def _words(text: str) -> list[str]:
    if not any(c in text for c in "'\"\\"):
        return text.split()  # no quoting: what shlex would give, much faster
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return text.split()


def _until_pipe(words: list[str]) -> list[str]:
    for i, word in enumerate(words):
        if word in ("|", "||", "&&", ";", ">", "2>&1", ">>") or word.startswith("|"):
            return words[:i]
    return words


def parse_command(text: str) -> Command:
    """Read one command line (the part after the prompt)."""
    head = text.split(None, 1)[0] if text.strip() else ""
    if head not in _KNOWN and head.rsplit("/", 1)[-1] not in _KNOWN:
        return Command("other", text)  # curl, nc, a tool's own name: nothing more to read
    every = _words(text)
    words = _until_pipe(every) if any(c in text for c in "|;&>") else every
    command = _parse_words(words, text)
    command.piped = len(words) < len(every)
    return command


def _parse_words(words: list[str], text: str) -> Command:
    node = _host_option(words) if "-H" in text or "--host" in text else None
    while words and words[0] in ("sudo", "microk8s", "minikube", "time"):
        words = words[1:]
    if words and words[0] == "ssh":
        host, words = _after_ssh(words[1:])
        node = node or host
        while words and words[0] == "sudo":
            words = words[1:]
    if not words:
        return Command("other", text)
    head = words[0].rsplit("/", 1)[-1]
    if head in SERVICE_VERBS:
        return _service(head, words[1:], text, node)
    if head in ("kubectl", "kubectl.exe", "oc", "k") and len(words) > 1:
        return _kubectl(words[1:], text)
    return Command("other", text, node=node)


def _host_option(words: list[str]) -> str | None:
    for i, word in enumerate(words):
        if word.startswith("--host="):
            return word.split("=", 1)[1].rsplit("@", 1)[-1] or None
        if word in ("--host", "-H") and i + 1 < len(words):
            return words[i + 1].rsplit("@", 1)[-1]
    return None


def _after_ssh(words: list[str]) -> tuple[str | None, list[str]]:
    """(host, remote command words) of `ssh [options] [user@]host command...`."""
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] in ("-i", "-p", "-l", "-o", "-J", "-F") else 1
    if i >= len(words):
        return None, []
    host = words[i].rsplit("@", 1)[-1]
    remote = words[i + 1:]
    if len(remote) == 1 and " " in remote[0]:
        remote = _until_pipe(_words(remote[0]))
    return host or None, remote


def _service(verb: str, words: list[str], text: str, node: str | None) -> Command:
    units: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-u", "--unit") and i + 1 < len(words):
            units.append(words[i + 1])
            i += 2
            continue
        if word.startswith("--unit="):
            units.append(word.split("=", 1)[1])
        elif word in ("-H", "--host") and i + 1 < len(words):
            node = node or words[i + 1].rsplit("@", 1)[-1]
            i += 2
            continue
        elif verb == "systemctl" and not word.startswith("-") and word not in ("status", "show"):
            units.append(word)
        i += 1
    units = [u.removesuffix(".service") for u in units if u]
    return Command(verb, text, node=node, units=units)


def _kubectl(words: list[str], text: str) -> Command:
    positional, options = _split_options(words)
    verb = positional[0] if positional else ""
    command = Command(verb if verb in ("get", "describe", "logs", "top", "events") else "other",
                      text)
    _apply_options(command, options)
    args = positional[1:]
    if command.verb in ("get", "describe"):
        _resource_args(command, args)
    elif command.verb == "logs":
        _log_args(command, args)
    elif command.verb == "top":
        command.targets = [(resolve(args[0]) if args else None, args[1] if len(args) > 1 else None)]
    elif command.verb == "events":
        command.targets = [("events", None)]
    return command


def _split_options(words: list[str]) -> tuple[list[str], list[tuple[str, str | None]]]:
    positional: list[str] = []
    options: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            positional.extend(words[i + 1:])
            break
        if word.startswith("--") and "=" in word:
            flag, value = word.split("=", 1)
            options.append((flag, value))
        elif word in _VALUE_FLAGS and not (word == "-f" and positional[:1] and
                                           positional[0] in _BOOL_ONLY_F):
            options.append((word, words[i + 1] if i + 1 < len(words) else None))
            i += 1
        elif _JOINED.match(word):
            options.append((word[:2], word[2:].lstrip("=")))
        elif word.startswith("-"):
            options.append((word, None))
        else:
            positional.append(word)
        i += 1
    return positional, options


def _apply_options(command: Command, options: list[tuple[str, str | None]]) -> None:
    for flag, value in options:
        if flag in ("-n", "--namespace"):
            command.namespace = value or None
        elif flag in ("-A", "--all-namespaces"):
            command.all_namespaces = True
        elif flag in ("-o", "--output"):
            command.output = (value or "").split("=", 1)[0].lower()
        elif flag == "--show-labels":
            command.show_labels = True
        elif flag in ("-l", "--selector"):
            command.selector = value
        elif flag in ("--field-selector", "--limit"):
            command.filtered = True
        elif flag in ("-c", "--container"):
            command.container = value
        elif flag in ("-p", "--previous") or flag == "--previous=true":
            command.previous = True


def _resource_args(command: Command, args: list[str]) -> None:
    """`pods`, `pods/NAME`, `pods,svc`, `pod NAME NAME`, `po/a svc/b`."""
    kinds: list[str | None] = []
    for i, arg in enumerate(args):
        if "/" in arg:
            word, name = arg.split("/", 1)
            command.targets.append((_known(command, word), name or None))
        elif i == 0:
            for word in (w for w in arg.split(",") if w):
                kinds.extend(ALL_KINDS if word == "all" else [_known(command, word)])
        else:
            command.targets.extend((kind, arg) for kind in kinds)
    if kinds and not any(name for _, name in command.targets):
        command.targets = [(kind, None) for kind in kinds] + command.targets


def _known(command: Command, word: str) -> str | None:
    plural = resolve(word)
    if plural is None:
        command.unknown_kinds.append(word)
    return plural


def _log_args(command: Command, args: list[str]) -> None:
    """`POD`, `pod/POD`, `deploy/NAME` (any controller), legacy `POD CONTAINER`."""
    if not args:
        return
    word, _, name = args[0].rpartition("/")
    kind = resolve(word) if word else "pods"
    command.targets = [(kind, name or None)]
    if len(args) > 1 and command.container is None:
        command.container = args[1]
