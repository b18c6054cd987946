"""The names an error about a request gives: who was refused what, which class, which release.

An RBAC refusal says who asked, the verb, the resource, its API group and the namespace
(`User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in
the namespace "billing"`, or shorter, `... cannot list pods in "billing"`); a claim's
missing StorageClass is quoted (`storageclass.storage.k8s.io "gp3-encrypted" not found`);
a Helm command names its release and namespace (`helm upgrade payments ./chart -n
payments`), and so does a `helm list` row; `kubectl describe pod` names the pod's
controller (`Controlled By: ReplicaSet/web-6d8f9c7b5`) or, by leaving it out, says the pod
has none. bot.diagnosis.text_names reads these beside its own forms, one line at a time on
the lines that hold each form's word, so a fix is built from the paste's own values.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from bot.diagnosis.naming import workload_names
from intents.app_cause import read_app_cause

_NAME = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_RBAC = re.compile(
    r'(?:\bUser \\?"(?P<subject>[^"\\\s]{1,253})\\?"'
    r"|(?<![\w:])(?P<bare>system:serviceaccount:[a-z0-9.-]{1,63}:[a-z0-9.-]{1,253}))"
    r' cannot (?P<verb>[a-z]{2,20}) (?:resource \\?"(?P<resource>[^"\\\s]{1,120})\\?"'
    r"|(?!(?:resource|path)\b)(?P<plain>[a-z][a-z0-9.-]{0,120}(?:/[a-z]{1,30})?)\b)"
    r'(?: in API group \\?"(?P<group>[^"\\\s]{0,253})\\?")?'
    r'(?: in (?:the namespace )?\\?"(?P<namespace>[a-z0-9-]{1,63})\\?")?'
)
_SERVICE_ACCOUNT = re.compile(r"^system:serviceaccount:([a-z0-9-]{1,63}):(" + _NAME + r")$")
CORE_RESOURCES = frozenset(
    {
        "pods",
        "services",
        "endpoints",
        "configmaps",
        "secrets",
        "serviceaccounts",
        "persistentvolumeclaims",
        "persistentvolumes",
        "nodes",
        "namespaces",
        "events",
        "replicationcontrollers",
        "resourcequotas",
        "limitranges",
        "podtemplates",
    }
)
"""Resources of the core API group (""): a message that names one without its group means it."""
_STORAGE_CLASS = (
    re.compile(rf'\bstorageclass(?:\.storage\.k8s\.io)?s? "({_NAME})" not found', re.IGNORECASE),
    re.compile(rf"^\s*StorageClass:[ \t]+({_NAME})[ \t]*$"),
    re.compile(rf"^\s*storageClassName:[ \t]+[\"']?({_NAME})[\"']?[ \t]*(?:#.*)?$"),
)
_HELM_VERBS = frozenset(
    {"upgrade", "install", "rollback", "uninstall", "delete", "status", "history", "test"}
)
_HELM_VALUED = frozenset(
    {
        "-n",
        "--namespace",
        "-f",
        "--values",
        "--set",
        "--set-string",
        "--set-file",
        "--set-json",
        "--version",
        "--timeout",
        "--kube-context",
        "--kubeconfig",
        "-o",
        "--output",
        "--repo",
        "--description",
        "--post-renderer",
        "--history-max",
        "--max",
        "--revision",
        "--username",
        "--password",
        "--ca-file",
        "--cert-file",
        "--key-file",
    }
)
"""Helm flags that take the next word as their value (so it is not the release's name)."""
MAX_COMMANDS = 8
"""Helm commands read on one line (a hostile line of nothing but `helm helm ...` costs no more)."""
_HELM = re.compile(r"(?<![\w.-])helm\s+")
"""`helm ...` as typed after a prompt, a quote or a path (`/usr/local/bin/helm upgrade ...`), not
in a sentence ("a fresh helm install")."""
_HELM_LIST_ROW = re.compile(
    rf"^({_NAME})\s+([a-z0-9-]{{1,63}})\s+\d+\s+\S.{{0,80}}?\s"
    r"(?:deployed|failed|pending-install|pending-upgrade|pending-rollback|superseded|uninstalling)"
    r"\s+\S+\s+\S+\s*$"
)
_CONTROLLED_BY = re.compile(rf"^Controlled By:\s+([A-Za-z]+)/({_NAME})\s*$")
_DESCRIBE_NAME = re.compile(rf"^Name:\s+({_NAME})\s*$")


def rbac_names(line: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of every refusal on the line: subject, service account, verb, resource..."""
    for match in _RBAC.finditer(line):
        subject = match.group("subject") or match.group("bare")
        yield "subject", subject
        verb = match.group("verb")
        resource, group = _resource_group(match)
        yield from (("verb", verb), ("resource", resource))
        account = _SERVICE_ACCOUNT.match(subject)
        granted = f"{verb}-{resource.replace('/', '-')}"
        if account:
            yield "serviceaccount-namespace", account.group(1)
            yield "serviceaccount", account.group(2)
            # the name of the Role that grants it: one per account, verb and resource
            yield "role", f"{account.group(2)}-{granted}"
        elif ":" not in subject:
            yield "role", granted  # a person's: one per verb and resource
        if group is not None:
            yield "api-group", group
        if match.group("namespace"):
            yield "namespace", match.group("namespace")


def _resource_group(match: re.Match[str]) -> tuple[str, str | None]:
    """The resource refused and its API group: as quoted, split off a plain `deployments.apps`,
    or the core group's ("") for a core resource named without one; None: not said."""
    resource, group = match.group("resource") or match.group("plain"), match.group("group")
    if match.group("plain") and "." in resource.split("/")[0]:
        resource, _, group = resource.partition(".")
    if group is None and resource.split("/")[0] in CORE_RESOURCES:
        group = ""
    return resource, group


def storage_class_names(line: str) -> Iterator[tuple[str, str]]:
    for form in _STORAGE_CLASS:
        yield from (("storageclass", match.group(1)) for match in form.finditer(line))


def helm_names(line: str) -> Iterator[tuple[str, str]]:
    """The release and namespace a typed Helm command names (`helm upgrade --install NAME CHART
    -n NS`, `helm -n NS list`), or a `helm list` row."""
    row = _HELM_LIST_ROW.match(line.strip())
    if row:
        yield from (("release", row.group(1)), ("namespace", row.group(2)))
    for command in itertools.islice(_HELM.finditer(line), MAX_COMMANDS):
        before = " " + line[: command.start()].rstrip()
        typed = before.endswith(_RUNS) or not (before[-1].isalnum() or before[-1] in ",.:!?")
        if not before.strip() or typed:
            yield from _helm_command(line[command.end() : command.end() + 500].split())


_RUNS = (" sudo", " Run", "\tRun")
"""Words that run the command after them (GitHub Actions logs a step as `Run helm upgrade ...`)."""


def _helm_command(words: list[str]) -> Iterator[tuple[str, str]]:
    verb, positional = None, []
    at = 0
    while at < len(words) and words[at] not in ("|", "&&", "||", ";"):
        word = words[at]
        flag, equals, value = word.partition("=")
        if flag in ("-n", "--namespace"):
            yield "namespace", value if equals else (words[at + 1] if at + 1 < len(words) else "")
        if word.startswith("-"):
            at += 2 if flag in _HELM_VALUED and not equals else 1
            continue
        if verb is None:
            verb = word
        else:
            positional.append(word)
        at += 1
    if verb in _HELM_VERBS and positional and "--generate-name" not in words:
        yield "release", positional[0]


def workload_in_describe(lines: Sequence[str]) -> Iterator[tuple[str, str]]:
    """The pod's controller from a `kubectl describe pod` (`Controlled By:`), or the pod itself
    when a whole describe (its Name, Status and Containers) shows none."""
    starts = {line.split(":", 1)[0] for line in lines if line[:1].isalpha() and ":" in line}
    for line in lines:
        owner = _CONTROLLED_BY.match(line)
        if owner:
            yield from workload_names(*owner.groups()).values.items()
    if {"Name", "Status", "Containers"} <= starts and "Controlled By" not in starts:
        yield from _described_pod(lines)


def _described_pod(lines: Sequence[str]) -> Iterator[tuple[str, str]]:
    """The pod of a whole describe that names one."""
    names = [match.group(1) for line in lines if (match := _DESCRIBE_NAME.match(line))]
    if len(names) == 1:
        yield from workload_names(None, names[0]).values.items()


_LOOKUP_FORMS = (
    (r"\blookup ", r"(?: on \S{1,60})?: no such host"),  # Go's resolver
    (r"\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN) ", ""),  # Node
    (r"\bUnknownHostException: ", ""),  # the JVM
    (r"\b[Cc]ould not resolve host: ", ""),  # curl
)
"""(before, after) the name a failed lookup asked for, as each runtime prints it."""
_LOOKUP = re.compile(
    "|".join(
        rf"{before}(?P<host{number}>[A-Za-z0-9][-A-Za-z0-9.]{{0,252}}){after}"
        for number, (before, after) in enumerate(_LOOKUP_FORMS)
    )
)
_SERVICE_DNS = r"(?P<service>[a-z0-9-]{1,63})\.(?P<namespace>[a-z0-9-]{1,63})\.svc"
"""A Service's cluster DNS name: NAME.NAMESPACE.svc, then the cluster's domain."""
_SERVICE_NAME = re.compile(rf"^{_SERVICE_DNS}(?:\.[a-z0-9.-]{{1,200}})?$")
_SHORT_NAME = re.compile(r"^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$")
_SERVICE_ADDRESS = re.compile(
    rf"(?://|\bdial tcp |\bconnect to ){_SERVICE_DNS}(?:\.cluster\.local)?(?::(?P<port>\d{{1,5}}))?\b"
)
"""A call to a Service by its cluster name (`http://orders.shop.svc.cluster.local:8080/...`)."""


def service_names(line: str) -> Iterator[tuple[str, str]]:
    """The Service, its namespace and port a call names by the Service's cluster DNS name."""
    for match in _SERVICE_ADDRESS.finditer(line):
        yield "service", match.group("service")
        yield "service-namespace", match.group("namespace")
        if match.group("port"):
            yield "service-port", match.group("port")


def lookup_names(line: str) -> Iterator[tuple[str, str]]:
    """The name a failed DNS lookup asked for (Go's `lookup NAME on IP:53: no such host`, Node's
    `getaddrinfo ENOTFOUND NAME`, Java's `UnknownHostException: NAME`, curl's), and the Service
    it names: `NAME.NS.svc...` is Service NAME in namespace NS, a short name is a Service in the
    caller's own namespace."""
    for match in _LOOKUP.finditer(line):
        name = next(value for value in match.groups() if value).rstrip(".")
        yield "dns-name", name
        service = _SERVICE_NAME.match(name)
        if service is not None:
            yield from (
                ("service", service.group("service")),
                ("service-namespace", service.group("namespace")),
            )
        elif _SHORT_NAME.match(name):
            yield "service", name


CONNECTING = frozenset({"connection-refused", "connection-timeout"})
"""Causes whose host is the Service the app calls (when it names one by its cluster name)."""


def _host_names(host: str) -> Iterator[tuple[str, str]]:
    """The Service (and its namespace) a connection's host names; none for localhost."""
    service = _SERVICE_NAME.match(host)
    if service is not None:
        yield from (
            ("service", service.group("service")),
            ("service-namespace", service.group("namespace")),
        )
    elif _SHORT_NAME.match(host) and host != "localhost":
        yield "service", host


def app_cause_names(text: str) -> Iterator[tuple[str, str]]:
    """The setting an app says is missing (intents.app_cause: its traceback's last exception or
    the line that says why), as the variable the fix sets; the Service and port a refused or
    timed-out connection names (`Connection to orders-db:5432 refused`)."""
    cause = read_app_cause(text)
    if cause is not None and cause.kind == "missing-setting" and cause.value("name"):
        yield "env-var", str(cause.value("name"))
    host = cause.value("host") if cause is not None and cause.kind in CONNECTING else None
    if host is not None:
        yield from _host_names(host)
        if cause is not None and cause.value("port"):
            yield "service-port", str(cause.value("port"))
