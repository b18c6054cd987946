"""The decision's rules on what a connected cluster shows now of the object a paste is about.

The cluster's confirming facts enter the decision as confirmations (the `evidence` rule makes a
confirmed text match at least medium). What the cluster says against the paste comes here:

- `the cluster now`: an entry whose evidence the object's present state contradicts (it fails
  now, in another way) is dropped before the rules that compare, promote or offer candidates, so
  none of them weighs it;
- `failure over`: a failure the object has recovered from since is never answered high (the
  cause was the past's, and the answer says it is over), last before the answer is shown, so no
  rule raises it again.
"""

from __future__ import annotations

from dataclasses import replace

from intents.decision.boards import FindingBoard
from intents.policy import POLICY


def the_cluster_now(board: FindingBoard) -> None:
    """The findings the cluster contradicts go."""
    now = board.cluster
    if now is not None and now.refuted:
        board.findings = [f for f in board.findings if f.match.id not in now.refuted]


def failure_over(board: FindingBoard) -> None:
    """With the pasted failure over, or the object past it too lately to tell, no finding
    stays above medium."""
    now = board.cluster
    if now is None or not (now.over or now.soon):
        return
    said = f"the failure is over: {now.over}" if now.over else f"not said high: {now.soon}"
    for number, finding in enumerate(board.findings):
        if finding.match.score > POLICY.medium:
            board.findings[number] = replace(
                finding, match=replace(finding.match, score=POLICY.medium)
            )
            board.note(finding.match.id, said)
