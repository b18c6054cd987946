"""Parse the text of `/diagnose ...` (and of an @mention) into one request.

    pod NS/NAME | pod NAME -n NS | pod CTX:NS/NAME        [--context CTX]
    namespace [CTX:]NS [SYMPTOM...]                        [--context CTX]
    service [CTX:]NS/NAME | service NAME -n NS [SYMPTOM...] [--context CTX]
    node [CTX:]NAME                                        [--context CTX]
    ... --ticket (the last word, any request above)        -> the answer's Jira issue too
    summary | help | (empty)                               -> summary / usage
    clusters                                               -> a fleet hub's clusters
    anything else                                          -> treated as a pasted error

Names are checked here (RFC 1123) so nothing invalid ever reaches the API. The words after a
namespace or a Service are the symptom ("checkout is failing"): they rank the suspects and are
never run or looked up. A long text that starts with one of the verbs but names no valid object
is still a paste ("Namespace default: Error from server ..."), as before.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from bot.answering.requests import DiagnoseRequest
from bot.cluster.names import check_name, check_namespace, parse_pod_ref, parse_service_ref
from bot.errors import BadInput
from responses.redaction import Redacted

Ask = DiagnoseRequest | Literal["help", "summary", "clusters"]
"""A diagnosis to run, or the usage, the channel's summary, or the clusters a fleet hub reaches."""
VERB_ALIASES = {
    "pod": "pod",
    "po": "pod",
    "namespace": "namespace",
    "ns": "namespace",
    "node": "node",
    "no": "node",
    "service": "service",
    "svc": "service",
}
MAX_CONTEXT = 253
MAX_WORDS = 8
"""A longer text is a paste, unless it is a namespace or Service followed by a one-line symptom."""
MAX_SYMPTOM = 2000
"""Characters of a symptom (a sentence or an alert's summary, not a paste), as `--symptom`."""


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
    if (
        not value
        or len(value) > MAX_CONTEXT
        or any(c.isspace() or c in "/\\;`$|&<>" for c in value)
    ):
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


def symptom_of(words: list[str]) -> str:
    """The symptom words as one line, bounded."""
    symptom = " ".join(" ".join(words).split())
    if len(symptom) > MAX_SYMPTOM:
        raise BadInput(
            f"the symptom is {len(symptom)} characters; at most {MAX_SYMPTOM} "
            "(say what is seen in a sentence)"
        )
    return symptom


def _service(arguments: list[str], options: dict[str, str]) -> DiagnoseRequest:
    if not arguments:
        raise BadInput("usage: /diagnose service NAMESPACE/NAME [symptom] (or NAME -n NAMESPACE)")
    reference, context = _prefixed(arguments[0], options.get("context"))
    namespace = options.get("namespace")
    if namespace is not None and "/" not in reference:
        reference = f"{namespace}/{reference}"
    elif namespace is not None:
        raise BadInput("give the namespace once: NAMESPACE/NAME or NAME -n NAMESPACE")
    namespace, name = parse_service_ref(reference)
    return DiagnoseRequest(
        "service",
        namespace=namespace,
        name=name,
        context=_context(context),
        symptom=symptom_of(arguments[1:]),
    )


def _names_an_object(verb: str, text: str, words: list[str]) -> bool:
    """Whether a longer text is a request: one line naming a valid namespace or Service, the rest
    its symptom (otherwise it is a paste that happens to start with the word)."""
    if verb not in ("namespace", "service") or "\n" in text:
        return False
    try:
        arguments, options = _take_options(words[1:])
        if verb == "namespace":
            check_namespace(_prefixed(arguments[0], None)[0] if arguments else "")
        else:
            _service(arguments[:1], options)
    except BadInput:
        return False
    return True


TICKET_FLAG = "--ticket"


def parse_request(text: Redacted) -> Ask:
    """The request in `text` (redacted where it arrived); raises BadInput with a one-line usage
    hint. A last word `--ticket` asks for the answer's Jira issue as well."""
    stripped = text.strip()
    cut = len(stripped) - len(TICKET_FLAG)
    if stripped.endswith(TICKET_FLAG) and (cut == 0 or stripped[cut - 1].isspace()):
        asked = _parsed(stripped.clip(cut).strip())
        return (
            dataclasses.replace(asked, ticket=True) if isinstance(asked, DiagnoseRequest) else asked
        )
    return _parsed(stripped)


def _parsed(stripped: Redacted) -> Ask:
    words = stripped.split()
    if not words or words[0].lower() == "help":
        return "help"
    if words[0].lower() in ("summary", "clusters") and len(words) == 1:
        return "summary" if words[0].lower() == "summary" else "clusters"
    verb = VERB_ALIASES.get(words[0].lower())
    if verb is None:
        return DiagnoseRequest.paste(stripped)
    # a text too long for its verb is a paste unless it names a valid namespace or Service
    too_long = len(words) > MAX_WORDS or (verb == "service" and len(words) > 2)
    if too_long and not _names_an_object(verb, stripped, words):
        return DiagnoseRequest.paste(stripped)
    arguments, options = _take_options(words[1:])
    if verb == "pod":
        return _pod(arguments, options)
    if verb == "service":
        return _service(arguments, options)
    if verb == "namespace" and arguments and "namespace" not in options:
        reference, given = _prefixed(arguments[0], options.get("context"))
        return DiagnoseRequest(
            "namespace",
            namespace=check_namespace(reference),
            context=_context(given),
            symptom=symptom_of(arguments[1:]),
        )
    if len(arguments) != 1 or "namespace" in options:
        raise BadInput(
            f"usage: /diagnose {verb} {'NAMESPACE [symptom]' if verb == 'namespace' else 'NAME'}"
        )
    reference, given = _prefixed(arguments[0], options.get("context"))
    return DiagnoseRequest("node", name=check_name(reference, what="node"), context=_context(given))
