"""`kubectl get storageclass` beside a claim (bot/diagnosis/paste_links.py): the listing says
whether the class a Pending claim names exists.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CLAIM = (
    "NAME     STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
    "data-0   Pending                                      fast-ssd       12m\n\n"
)
LISTED = (
    "NAME       PROVISIONER       RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\n"
    "fast-ssd   ebs.csi.aws.com   Delete          Immediate           true                   30d\n"
)
OTHER = (
    "NAME            PROVISIONER       RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
    "gp3 (default)   ebs.csi.aws.com   Delete          WaitForFirstConsumer   true                   120d\n"
)
REFUSED = (
    "\nLAST SEEN   TYPE      REASON               OBJECT                  MESSAGE\n"
    "14s         Warning   ProvisioningFailed   persistentvolumeclaim/data-0   "
    'storageclass.storage.k8s.io "fast-ssd" not found\n'
)

CASES = [
    # the class is listed: it exists, so the claim waits for a volume, not for its class
    Case(
        CLAIM + LISTED,
        not_answer="pending-storageclass-missing",
        answer="pending-no-persistent-volume",
        why="a claim whose class the listing shows waits for a volume",
    ),
    # the listing lacks the class and the provisioner says it is not found
    Case(
        CLAIM + OTHER + REFUSED,
        answer="pending-storageclass-missing",
        why="a claim whose class the listing lacks is the missing class",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_storageclass_listing_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
