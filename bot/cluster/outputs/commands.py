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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.cluster.outputs.kinds import ALL_KINDS, resolve

MAX_COMMAND_CHARS = 2000
_PROMPT = re.compile(
    r"^\s*(?:\[[^\]\n]{1,80}\]\s?[$#]|[\w.-]{1,64}@[\w.-]{1,253}(?::[^\s$#]{0,200})?\s?[$#]"
    r"|PS(?: [^>\n]{0,200})?>|[$#>%](?=\s))\s*(?P<rest>\S.*)$"
)
_KNOWN = (
    "kubectl",
    "helm",
    "k3s",
    "kubectl.exe",
    "oc",
    "k",
    "sudo",
    "ssh",
    "systemctl",
    "journalctl",
    "microk8s",
    "minikube",
)
_VALUE_FLAGS = frozenset(
    {
        "-n",
        "--namespace",
        "-o",
        "--output",
        "-l",
        "--selector",
        "-c",
        "--container",
        "--tail",
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "--sort-by",
        "--field-selector",
        "--since",
        "--since-time",
        "-L",
        "--label-columns",
        "--request-timeout",
        "--chunk-size",
        "-s",
        "--server",
        "--token",
        "--as",
        "--template",
        "--limit-bytes",
        "--max-log-requests",
        "--pod-running-timeout",
        "--selector-key",
        "--for",
        "--timeout",
        "-f",
        "--filename",
    }
)
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

    @property
    def whole(self) -> bool:
        """It lists every object of its kinds: no name, selector, filter or pipe."""
        return not (
            self.selector or self.piped or self.filtered or any(name for _, name in self.targets)
        )


_PROMPT_STARTS = frozenset("$#>%P[")


def command_text(line: str, *, after_blank: bool = True) -> str | None:
    """The command of a line that looks like a shell command line, or None.

    `$ `, `% `, `PS> ` and `user@host:~$ ` prompts always start a command; `# `, `> ` and
    a bare `kubectl` only after a blank line (or at the top), since a script or a comment
    inside an output (a ConfigMap's data, a container's args) can hold such lines too.
    """
    if len(line) > MAX_COMMAND_CHARS or not line:
        return None
    prompted = line[0] in _PROMPT_STARTS or "@" in line[:80]
    if prompted and (m := _PROMPT.match(line)) is not None:
        return _after_prompt(line[0], m["rest"], after_blank=after_blank)
    if after_blank and line.startswith("kubectl"):
        stripped = line.strip()
        return stripped if stripped.split(" ", 1)[0] in ("kubectl", "kubectl.exe") else None
    return None


_RUNS = frozenset({"kubectl", "kubectl.exe", "k", "oc", "helm"})
"""Commands a line typed at a prompt runs, as a paste shows them anywhere (no blank line above);
`sudo`, `microk8s` and `k3s` before kubectl."""
_WRAPPERS = frozenset({"sudo", "microk8s", "k3s"})
_PROMPT_END = frozenset("$#%>\u276f")
MAX_PROMPT_CHARS = 120


def typed_command(line: str) -> str | None:
    """The command of a line someone typed at a shell, wherever it stands in a paste: after a
    prompt of a few words (`user@host:~$`, `host:dir user$`, `user %`, `❯`, `(env) $`) or
    none, running kubectl (or k, oc, helm; behind sudo, microk8s or k3s); None otherwise."""
    stripped = line.strip()
    if len(stripped) > MAX_COMMAND_CHARS or not stripped or not _may_run(stripped):
        return None
    rest = _after_prompt_of_words(stripped)
    words = rest.split(" ", 3)
    at = 0
    while at < len(words) - 1 and words[at] in _WRAPPERS:
        at += 1
    return rest if words[at] in _RUNS or words[at] == "microk8s.kubectl" else None


def _may_run(stripped: str) -> bool:
    """A cheap look first: the line names one of the commands (most lines of a paste do not)."""
    if "kubectl" in stripped or "helm" in stripped:
        return True
    padded = f" {stripped} "
    return any(f"{mark}k " in padded or f"{mark}oc " in padded for mark in _RUN_MARKS)


_RUN_MARKS = (" ", *_PROMPT_END)
"""What stands before a bare `k` or `oc` that runs: a space, or a prompt's last character."""


def _after_prompt_of_words(stripped: str) -> str:
    """The line after its prompt (a few words ending in `$`, `#`, `%`, `>` or `❯`; oh-my-zsh's
    `➜  dir git:(main) ✗`), else whole."""
    if stripped.startswith("\u279c"):
        return _after_zsh_prompt(stripped)
    for at, char in enumerate(stripped[:MAX_PROMPT_CHARS]):
        if char in _PROMPT_END:
            prompt = stripped[:at]
            if len(prompt.split()) <= 3 and not any(mark in prompt for mark in ".,;!?'\""):
                return stripped[at + 1 :].lstrip("".join(_PROMPT_END) + " ")  # (`>>>`)
            break
    return stripped


def _after_zsh_prompt(stripped: str) -> str:
    """The line after oh-my-zsh's `➜  dir git:(main) ✗`."""
    words = stripped[1:].split()[1:]
    while words and (words[0].startswith("git:(") or words[0] == "\u2717"):
        words = words[1:]
    return " ".join(words)


def _after_prompt(prompt: str, rest: str, *, after_blank: bool) -> str | None:
    """`# ` and `> ` are loose prompts: they start only a known command after a blank line."""
    if prompt in "#>" and (not after_blank or rest.split(" ", 1)[0] not in _KNOWN):
        return None
    return rest


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
    node, words = _node_and_command(words, text)
    if not words:
        return Command("other", text)
    head = words[0].rsplit("/", 1)[-1]
    if head in SERVICE_VERBS:
        return _service(head, words[1:], text, node)
    if head in ("kubectl", "kubectl.exe", "oc", "k") and len(words) > 1:
        return _kubectl(words[1:], text)
    return Command("other", text, node=node)


def _node_and_command(words: list[str], text: str) -> tuple[str | None, list[str]]:
    """The node a command ran on (`-H`/`--host`, `ssh NODE`) and the command's own words."""
    node = _host_option(words) if "-H" in text or "--host" in text else None
    words = _without_leading(words, ("sudo", "microk8s", "minikube", "k3s", "time"))
    if words and words[0] == "ssh":
        host, words = _after_ssh(words[1:])
        return node or host, _without_leading(words, ("sudo",))
    return node, words


def _without_leading(words: list[str], wrappers: tuple[str, ...]) -> list[str]:
    """`sudo microk8s kubectl ...` -> `kubectl ...`."""
    while words and words[0] in wrappers:
        words = words[1:]
    return words


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
    remote = words[i + 1 :]
    if len(remote) == 1 and " " in remote[0]:
        remote = _until_pipe(_words(remote[0]))
    return host or None, remote


def _service(verb: str, words: list[str], text: str, node: str | None) -> Command:
    units: list[str] = []
    rest = iter(words)
    for word in rest:
        if word in ("-u", "--unit"):
            units.append(next(rest, ""))
        elif word in ("-H", "--host"):
            if (host := next(rest, None)) is not None:
                node = node or host.rsplit("@", 1)[-1]
        else:
            units.append(_unit_word(verb, word))
    units = [u.removesuffix(".service") for u in units if u]
    return Command(verb, text, node=node, units=units)


def _unit_word(verb: str, word: str) -> str:
    """The unit one word names (`--unit=kubelet`, systemctl's `kubelet`), else ""."""
    if word.startswith("--unit="):
        return word.split("=", 1)[1]
    if verb == "systemctl" and not word.startswith("-") and word not in ("status", "show"):
        return word
    return ""


def _kubectl(words: list[str], text: str) -> Command:
    positional, options = _split_options(words)
    verb = positional[0] if positional else ""
    command = Command(
        verb if verb in ("get", "describe", "logs", "top", "events") else "other", text
    )
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
    rest = iter(words)
    for word in rest:
        if word == "--":
            positional.extend(rest)
            break
        if word.startswith("-"):
            options.append(_option(word, rest, follows=positional[0] if positional else ""))
        else:
            positional.append(word)
    return positional, options


def _option(word: str, rest: Iterator[str], *, follows: str) -> tuple[str, str | None]:
    """(flag, value) of one option; a flag that takes a value takes the next word."""
    if word.startswith("--") and "=" in word:
        flag, value = word.split("=", 1)
        return flag, value
    if word in _VALUE_FLAGS and not (word == "-f" and follows in _BOOL_ONLY_F):
        return word, next(rest, None)
    if _JOINED.match(word):
        return word[:2], word[2:].lstrip("=")
    return word, None


def _switch(_: str | None) -> bool:
    return True


def _verbatim(value: str | None) -> str | None:
    return value


def _namespace(value: str | None) -> str | None:
    return value or None


def _output(value: str | None) -> str:
    return (value or "").split("=", 1)[0].lower()


_OPTION_FIELDS: dict[str, tuple[str, Callable[[str | None], object]]] = {
    "-n": ("namespace", _namespace),
    "--namespace": ("namespace", _namespace),
    "-A": ("all_namespaces", _switch),
    "--all-namespaces": ("all_namespaces", _switch),
    "-o": ("output", _output),
    "--output": ("output", _output),
    "--show-labels": ("show_labels", _switch),
    "-l": ("selector", _verbatim),
    "--selector": ("selector", _verbatim),
    "--field-selector": ("filtered", _switch),
    "--limit": ("filtered", _switch),
    "-c": ("container", _verbatim),
    "--container": ("container", _verbatim),
    "-p": ("previous", _switch),
    "--previous": ("previous", _switch),
}
"""Option -> (the Command field it sets, how its value becomes the field's)."""


def _apply_options(command: Command, options: list[tuple[str, str | None]]) -> None:
    for flag, value in options:
        if (field_and_value := _OPTION_FIELDS.get(flag)) is not None:
            name, read = field_and_value
            setattr(command, name, read(value))


def _resource_args(command: Command, args: list[str]) -> None:
    """`pods`, `pods/NAME`, `pods,svc`, `pod NAME NAME`, `po/a svc/b`."""
    kinds: list[str | None] = []
    for i, arg in enumerate(args):
        if "/" in arg:
            word, name = arg.split("/", 1)
            command.targets.append((_known(command, word), name or None))
        elif i == 0:
            kinds = _kind_list(command, arg)
        else:
            command.targets.extend((kind, arg) for kind in kinds)
    command.targets = _listed_whole(kinds, command.targets)


def _listed_whole(
    kinds: list[str | None],
    targets: list[tuple[str | None, str | None]],
) -> list[tuple[str | None, str | None]]:
    """With no name anywhere (`get pods,svc`, `get pods/`), each kind is listed whole."""
    if kinds and not any(name for _, name in targets):
        return [(kind, None) for kind in kinds] + targets
    return targets


def _kind_list(command: Command, arg: str) -> list[str | None]:
    """`pods,svc` -> [pods, services]; `all` -> what `kubectl get all` prints."""
    kinds: list[str | None] = []
    for word in (w for w in arg.split(",") if w):
        kinds.extend(ALL_KINDS if word == "all" else [_known(command, word)])
    return kinds


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
