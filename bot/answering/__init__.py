"""The use cases: what kubemedic does for a request, whoever asked.

Transport-free: the Slack listeners and the CLI (and, next, alerts and the
cluster watcher) parse their input into a typed request, hand it to a use
case here, and render the typed result they get back. Nothing in this
package imports Slack, aiohttp or the Kubernetes client; what it needs from
the outside (posting a reply, writing to the cluster) comes in through the
ports in `ports.py`, given to each use case's constructor by `bot.wiring`.

- `diagnosing.Diagnoser`: a `DiagnoseRequest` -> `DiagnoseResult` (pod, namespace, node, paste).
- `answers.Answers`: diagnose, decide by input kind whether and where to answer, publish.
- `publishing.Publisher`: store, offer buttons, post or update the earlier reply.
- `remediating.Remediating`: the remediation port over the remediation service.
- `feedback.Feedback`: the "Helpful" / "Not this" / "Show other matches" buttons.
"""
