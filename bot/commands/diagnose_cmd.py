"""`kubemedic diagnose pod|namespace|service|node TARGET`: confirm causes from the cluster.

Names are checked before anything connects, so a bad name (exit 2) never
reaches the API server.  The cluster is the live one from KUBECONFIG /
--context / in-cluster config, or a `kubectl cluster-info dump` directory
with --from-dump.  A subject that cannot be read at all exits 1; partial
failures are reported as gaps in a normal (exit 0) diagnosis.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.cluster.names import check_name, check_namespace, parse_pod_ref, parse_service_ref
from bot.cluster.reader import ClusterReader
from bot.cluster.recording import recording_of
from bot.commands.arguments import add_answer_form, add_at, add_show_secrets, bounded_int
from bot.commands.io import CommandIO
from bot.commands.output import print_diagnosis
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import Knowledge, load_knowledge
from bot.settings import Settings
from responses.diagnosis import Diagnosis

MAX_TOP = 20
MAX_SYMPTOM = 2000
"""Characters of --symptom (a sentence or an alert's summary, not a paste)."""
MAX_DEEP = 200
COLLECTOR_TIMEOUT_FACTOR = 3


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--context", metavar="CTX", help="kubeconfig context to use")
    add_answer_form(parser)
    parser.add_argument(
        "--from-dump",
        metavar="DIR",
        help="read a `kubectl cluster-info dump --output-directory` tree",
    )
    parser.add_argument(
        "--from-outputs",
        metavar="PATH",
        help="read recorded kubectl outputs: a file, or a folder of files, each "
        "output under its `$ kubectl ...` command line",
    )
    add_at(parser, "the --from-outputs or --from-dump recording")
    add_show_secrets(parser)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diagnose", help="diagnose a pod, namespace or node from the cluster"
    )
    verbs = parser.add_subparsers(
        dest="diagnose_verb", required=True, metavar="pod|namespace|service|node"
    )
    pod = verbs.add_parser("pod", help="one pod: NAMESPACE/NAME (or NAME -n NAMESPACE)")
    pod.add_argument("target", metavar="NAMESPACE/NAME")
    pod.add_argument("-n", "--namespace", help="namespace, when the pod is given as NAME")
    pod.add_argument(
        "--top",
        type=bounded_int("--top", MAX_TOP),
        default=3,
        metavar="N",
        help="how many causes at most, besides confirmed ones (default 3)",
    )
    namespace = verbs.add_parser(
        "namespace", help="the objects that could cause a symptom, then every unhealthy pod"
    )
    namespace.add_argument("target", metavar="NAMESPACE")
    service = verbs.add_parser(
        "service", help="the objects on a Service's chain that could break it"
    )
    service.add_argument("target", metavar="NAMESPACE/NAME")
    for verb in (namespace, service):
        verb.add_argument(
            "--symptom",
            metavar="TEXT",
            default="",
            help='what is seen ("checkout is failing"): ranks the suspects',
        )
    node = verbs.add_parser("node", help="a node's conditions and its failing pods")
    node.add_argument("target", metavar="NAME")
    for verb in (namespace, service, node):
        verb.add_argument(
            "--max-pods",
            type=bounded_int("--max-pods", MAX_DEEP),
            default=None,
            metavar="N",
            help="diagnose at most N pods in depth",
        )
    for verb in (pod, namespace, service, node):
        _common(verb)


def validated_request(args: argparse.Namespace) -> DiagnoseRequest:
    """The request with checked names (BadInput before any connection)."""
    if args.diagnose_verb == "pod":
        namespace, name = parse_pod_ref(args.target, namespace=args.namespace)
        return DiagnoseRequest("pod", namespace=namespace, name=name)
    if args.diagnose_verb in ("namespace", "service"):
        symptom = " ".join(str(args.symptom).split())
        if len(symptom) > MAX_SYMPTOM:
            raise BadInput(f"--symptom: at most {MAX_SYMPTOM} characters (got {len(symptom)})")
        if args.diagnose_verb == "namespace":
            return DiagnoseRequest(
                "namespace", namespace=check_namespace(args.target), symptom=symptom
            )
        namespace, name = parse_service_ref(args.target)
        return DiagnoseRequest("service", namespace=namespace, name=name, symptom=symptom)
    return DiagnoseRequest("node", name=check_name(args.target, what="node"))


def open_reader(args: argparse.Namespace, settings: Settings) -> ClusterReader:
    """The dump or outputs reader, or a live gateway (no request is made yet)."""
    recording = recording_of(
        from_dump=args.from_dump,
        from_outputs=getattr(args, "from_outputs", None),
        at=getattr(args, "at", None),
    )
    if recording is not None and args.context is not None:
        raise BadInput(f"--context and {recording.flag} cannot be used together")
    shown = bool(getattr(args, "show_secrets", False))
    if recording is not None:
        return recording.open(shown=shown, now=settings.clock())
    from bot.cluster.kubeconfig import connect

    return connect(settings, context=args.context, shown=shown)


def diagnose(
    request: DiagnoseRequest,
    reader: ClusterReader,
    args: argparse.Namespace,
    settings: Settings,
    knowledge: Knowledge,
) -> Diagnosis:
    """The diagnosis the command prints, read through `reader` (closed after).

    `python -m bench.opsbench localise` calls this too, so it measures the command's own path."""
    diagnoser = Diagnoser(
        matcher=knowledge.matcher,
        readers=OneReader(reader),
        timeout=settings.kube_request_timeout * COLLECTOR_TIMEOUT_FACTOR,
        top=getattr(args, "top", 3),
        deep_limit=getattr(args, "max_pods", None),
    )
    try:
        return asyncio.run(diagnoser.diagnose(request)).diagnosis
    finally:
        close = getattr(reader, "close", None)
        if callable(close):
            close()


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    request = validated_request(args)
    reader = open_reader(args, settings)  # a bad path is refused before the catalog loads
    knowledge = load_knowledge(settings)
    diagnosis = diagnose(request, reader, args, settings, knowledge)
    print_diagnosis(
        diagnosis,
        io,
        as_json=args.json,
        verbose=args.verbose,
        problems=knowledge.problems,
        skipped=getattr(reader, "skipped", None),
    )
    return EXIT_OK
