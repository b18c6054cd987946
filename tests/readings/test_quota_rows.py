"""`kubectl get resourcequota`: a resource whose usage reached its hard limit refuses the next object."""

from __future__ import annotations

import pytest

from bot.diagnosis.paste_read import read_pasted
from tests.cli.runner import kubemedic_in_process


@pytest.mark.parametrize(
    ("cell", "full"),
    [
        ("services: 11/11", ["services 11/11"]),
        ("pods: 10/10, requests.cpu: 1500m/2", ["pods 10/10"]),
        ("requests.memory: 4Gi/4096Mi", ["requests.memory 4Gi/4096Mi"]),
        ("requests.cpu: 2/1500m", ["requests.cpu 2/1500m"]),
        ("pods: 3/10, services: 0/5", []),
    ],
)
def test_a_resource_at_its_limit_is_full(cell: str, full: list[str]) -> None:
    subjects = read_pasted(table(cell)).subjects
    quotas = [quota for s in subjects for quota in getattr(s.facts, "quotas", [])]
    assert [resource for quota in quotas for resource in quota.full] == full


def table(cell: str) -> str:
    return (
        "$ kubectl get resourcequota -n shop\nNAME                  AGE    REQUEST           LIMIT\n"
        f"service-count-quota   111s   {cell}   \n\n"
        "$ kubectl logs deploy/frontend\n"
        'level=warning msg="failed to get ads: rpc error: code = Unavailable desc = connection error"\n'
    )


def test_a_full_quota_pasted_with_a_failure_is_the_answer() -> None:
    result = kubemedic_in_process("match", "--json", stdin=table("services: 11/11").encode())
    assert result.code == 0 and result.json()["answer"] == "resource-quota-exceeded"


def test_a_quota_with_room_left_is_not() -> None:
    result = kubemedic_in_process("match", "--json", stdin=table("services: 7/11").encode())
    assert result.code == 0 and result.json()["answer"] != "resource-quota-exceeded"
