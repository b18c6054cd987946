"""A component's entry answers where the paste carries that component's own words, and stays out of
the answer where the same generic failure (an IAM refusal, a refused or reset dial, an exit code)
comes from something else (issue 82: component agreement). Each pair is one failure told twice:
with the component's words, and without them."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

_ELB_DENIED = (
    "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/{role}/1700000000 is not "
    "authorized to perform: elasticloadbalancing:DescribeLoadBalancers because no "
    "identity-based policy allows the elasticloadbalancing:DescribeLoadBalancers action\n"
)

CASES = [
    # the AWS Load Balancer Controller's event reason and name, then the in-tree service
    # controller refused the same ELB call: another component's IAM role
    Case(
        "  Warning  FailedBuildModel  31s (x9 over 4m)  ingress  Failed build model due to "
        + _ELB_DENIED.format(role="AmazonEKSLoadBalancerControllerRole"),
        answer="aws-lb-controller-access-denied",
    ),
    Case(
        "  Warning  SyncLoadBalancerFailed  2m (x6 over 9m)  service-controller  Error syncing load "
        "balancer: failed to ensure load balancer: " + _ELB_DENIED.format(role="eks-node-role"),
        not_answer="aws-lb-controller-access-denied",
    ),
    # external-dns refused by Route 53 for an Ingress's hosts: its own entry, not the controller's
    Case(
        "external-dns pod keeps logging this for our ingress hosts:\n"
        'time="2026-11-27T09:14:02Z" level=error msg="AccessDenied: User: arn:aws:sts::123456789012:'
        "assumed-role/eks-external-dns/1700000000 is not authorized to perform: "
        'route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/Z0123456789"\n',
        answer="external-dns-provider-access-denied",
    ),
    # Vault's agent cut off on Vault's port, then a database client refused on its own port
    Case(
        '2026-11-27T09:14:02.112Z [ERROR] agent.auth.handler: error authenticating: error="Put '
        '\\"http://vault.vault.svc:8200/v1/auth/kubernetes/login\\": dial tcp 10.43.204.196:8200: '
        'connect: connection refused" backoff=1.81s\n',
        answer="vault-server-unreachable",
    ),
    Case(
        "2026/11/27 09:14:02 store: error connecting: read tcp 10.1.4.7:38624->10.96.12.4:5432: "
        "read: connection reset by peer\n",
        not_answer="vault-server-unreachable",
    ),
    # exit code 126 from a container's exec, then from a host's systemd unit
    Case(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "/app/run.sh": '
        "permission denied: unknown\ncommand terminated with exit code 126\n",
        not_answer=None,
    ),
    Case(
        "kubelet.service: Main process exited, code=exited, status=126/n/a\n"
        "kubelet.service: Failed with result 'exit-code'.\n",
        not_answer="exit-code-126-cannot-execute",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.paste[:60])
def test_a_component_entry_needs_the_components_own_words(case: Case) -> None:
    check(case)
