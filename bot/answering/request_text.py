"""Parse the text of `/diagnose ...` (and of an @mention) into one request.

    pod NS/NAME | pod NAME -n NS | pod CTX:NS/NAME   [--context CTX]
    namespace [CTX:]NS | node [CTX:]NAME              [--context CTX]
    summary | help | (empty)                          -> summary / usage
    clusters                                          -> a fleet hub's clusters
    anything else                                     -> treated as a pasted error

Names are checked here (RFC 1123) so nothing invalid ever reaches the API.
"""

from __future__ import annotations

from typing import Literal

from bot.answering.requests import DiagnoseRequest
from bot.cluster.names import check_name, check_namespace, parse_pod_ref
from bot.errors import BadInput

Ask = DiagnoseRequest | Literal["help", "summary", "clusters"]
"""A diagnosis to run, or the usage, the channel's summary, or the clusters a fleet hub reaches."""
VERB_ALIASES = {"pod": "pod", "po": "pod", "namespace": "namespace", "ns": "namespace", "node": "node",
                "no": "node"}
MAX_CONTEXT = 253


def _take_options(words: list[str]) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    options: dict[str, str] = {}
    iterator = iter(words)
    for word in iterator:
        key = {"-n": "namespace", "--namespace": "namespace", "--context": "context"}.get(word)
        if key is None and word.startswith(("--context=", "--namespace=")):
            key, _, value = word[2:].partition("=")
            options[key] = value
            continue
        if key is None:
            positional.append(word)
            continue
        following = next(iterator, None)
        if following is None:
            raise BadInput(f"{word} needs a value")
        options[key] = following
    return positional, options


def _context(value: str | None) -> str | None:
    if value is None:
        return None
    if not value or len(value) > MAX_CONTEXT or any(c.isspace() or c in "/\\;`$|&<>" for c in value):
        raise BadInput(f"invalid context name {value[:40]!r}")
    return value


def _prefixed(reference: str, context: str | None) -> tuple[str, str | None]:
    """`CONTEXT:REST` -> (REST, CONTEXT); a name never holds ':', so the split is unambiguous."""
    if ":" not in reference:
        return reference, context
    prefix, _, reference = reference.partition(":")
    if context is not None and context != prefix:
        raise BadInput("give the context once: CONTEXT:NAME or --context CONTEXT")
    return reference, prefix


def _pod(arguments: list[str], options: dict[str, str]) -> DiagnoseRequest:
    if len(arguments) != 1:
        raise BadInput("usage: /diagnose pod NAMESPACE/NAME (or NAME -n NAMESPACE)")
    reference, context = _prefixed(arguments[0], options.get("context"))
    namespace, name = parse_pod_ref(reference, namespace=options.get("namespace"))
    return DiagnoseRequest("pod", namespace=namespace, name=name, context=_context(context))


def parse_request(text: str) -> Ask:
    """The request in `text`; raises BadInput with a one-line usage hint."""
    stripped = text.strip()
    words = stripped.split()
    if not words or words[0].lower() == "help":
        return "help"
    if words[0].lower() in ("summary", "clusters") and len(words) == 1:
        return "summary" if words[0].lower() == "summary" else "clusters"
    verb = VERB_ALIASES.get(words[0].lower())
    if verb is None or len(words) > 8:
        return DiagnoseRequest.paste(stripped)
    arguments, options = _take_options(words[1:])
    if verb == "pod":
        return _pod(arguments, options)
    if len(arguments) != 1 or "namespace" in options:
        raise BadInput(f"usage: /diagnose {verb} {'NAMESPACE' if verb == 'namespace' else 'NAME'}")
    reference, given = _prefixed(arguments[0], options.get("context"))
    context = _context(given)
    if verb == "namespace":
        return DiagnoseRequest("namespace", namespace=check_namespace(reference), context=context)
    return DiagnoseRequest("node", name=check_name(reference, what="node"), context=context)
