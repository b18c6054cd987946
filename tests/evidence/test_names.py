"""Names are checked (RFC 1123) before any request; each refusal says what is wrong."""

from __future__ import annotations

import pytest

from bot.cluster.names import check_name, check_namespace, parse_pod_ref
from bot.errors import BadInput

VALID = {
    "tidb/basic-tikv-1": ("tidb", "basic-tikv-1"),  # the common case
    "kube-system/coredns-5d78c9869d-x2kq4": ("kube-system", "coredns-5d78c9869d-x2kq4"),
    "a/b.c.d": ("a", "b.c.d"),  # pod names are subdomains: dots allowed
    "0ns/9": ("0ns", "9"),  # may start with a digit
}

INVALID = {
    "Tidb/basic-tikv-1": "must be lowercase",  # uppercase namespace
    "tidb/Basic": "must be lowercase",  # uppercase name
    "../x": "must not contain '/' or '..'",  # path traversal in the namespace part
    "tidb/../x": "expected NAMESPACE/NAME",  # extra path segments
    "tidb/a;rm -rf /": "expected NAMESPACE/NAME",  # shell characters and a slash
    "tidb/a;rm": "may only contain lowercase letters, digits, '-' and '.' (found ';')",
    "tidb/a b": "(found ' ')",  # whitespace
    "tidb/" + "a" * 300: "must be at most 253 characters (got 300)",
    "n" * 64 + "/x": "must be at most 63 characters (got 64)",  # namespaces are labels
    "tidb/p\u00f6d": "must be plain ASCII",  # unicode
    "tidb/-x": "must start and end with a letter or digit",
    "tidb/": "must not be empty",
    "ti.db/x": "may only contain lowercase letters, digits and '-'",  # no dots in a namespace
    "justaname": "expected NAMESPACE/NAME",
}


@pytest.mark.parametrize(("ref", "expected"), VALID.items(), ids=VALID.keys())
def test_valid_refs(ref: str, expected: tuple[str, str]) -> None:
    assert parse_pod_ref(ref) == expected


@pytest.mark.parametrize(("ref", "message"), INVALID.items(), ids=[k[:30] for k in INVALID])
def test_invalid_refs_say_why(ref: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_pod_ref(ref)
    assert message in caught.value.reason
    assert "\n" not in caught.value.reason and len(caught.value.reason) < 200


def test_name_with_namespace_option() -> None:
    # `diagnose pod NAME -n NS` (the Slack form) goes through the same checks
    assert parse_pod_ref("web-0", namespace="shop") == ("shop", "web-0")
    with pytest.raises(BadInput):
        parse_pod_ref("web-0", namespace="Shop")


def test_node_and_namespace_checks() -> None:
    assert check_name("ip-10-0-1-23.ec2.internal", what="node") == "ip-10-0-1-23.ec2.internal"
    with pytest.raises(BadInput, match="invalid node name"):
        check_name("worker_1", what="node")
    with pytest.raises(BadInput, match="invalid namespace"):
        check_namespace("kube-system.")
