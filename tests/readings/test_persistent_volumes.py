"""A claim without a StorageClass binds only to a PersistentVolume listed as Available."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize(
    ("status", "answer"), [("Bound", "pending-no-persistent-volume"), ("Available", None)]
)
def test_a_classless_pending_claim_beside_a_pv_list_with_nothing_available(
    status: str, answer: str | None
) -> None:
    claim = "boutique/other-claim" if status == "Bound" else ""
    paste = (
        "$ kubectl get pvc -n boutique\n"
        "NAME             STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
        "cache-pvc        Pending                                                      117s\n\n"
        "$ kubectl get pv\n"
        "NAME       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM                  STORAGECLASS   AGE\n"
        f"cache-pv   3Gi        RWO            Retain           {status:<11} {claim:<22} {'':<14} 2m15s\n"
    )
    body = match_json(paste)
    if answer is None:
        assert body["answer"] != "pending-no-persistent-volume"
    else:
        assert body["answer"] == answer
