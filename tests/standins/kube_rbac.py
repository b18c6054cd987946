"""RBAC for the Kubernetes stand-in: a rule set, SelfSubjectAccessReview, and 403 for the rest.

A `RuleSet` holds ClusterRole-style rules (apiGroups, resources, verbs; "*"
matches anything, "pods/*" any subresource of pods), usually read from the
ClusterRoles `kubectl kustomize deploy/` renders, so a test can take one rule
out and see what the bot does. With a rule set on the stand-in:

* `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` answers
  `status.allowed` from the rules, as the API server's RBAC authorizer does
  (namespace attributes are accepted but every rule applies cluster-wide,
  like a ClusterRoleBinding);
* any other resource request the rules do not allow gets the real 403 Status.

Without one (the default) everything is allowed and reviews say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .kube_resources import json_response, status_response

SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
Rule = dict[str, Any]


def _matches(allowed: Iterable[str], value: str) -> bool:
    return any(item in ("*", value) for item in allowed)


def _resource_matches(allowed: Iterable[str], resource: str) -> bool:
    plural, _, sub = resource.partition("/")
    return any(
        item in ("*", resource) or (sub and item in (f"{plural}/*", f"*/{sub}")) for item in allowed
    )


@dataclass
class RuleSet:
    """ClusterRole rules granted to the bot's identity."""

    rules: list[Rule]

    @classmethod
    def from_roles(cls, docs: Iterable[dict[str, Any]], *names: str) -> RuleSet:
        """The rules of the named ClusterRoles among `docs` (all ClusterRoles if none named)."""
        roles = [
            d
            for d in docs
            if d
            and d.get("kind") == "ClusterRole"
            and (not names or d["metadata"]["name"] in names)
        ]
        return cls([rule for role in roles for rule in role.get("rules") or []])

    def allows(self, verb: str, group: str, resource: str) -> bool:
        """Whether some rule grants `verb` on `resource` ("pods" or "pods/log") in `group`."""
        return any(
            _matches(rule.get("verbs") or [], verb)
            and _matches(rule.get("apiGroups") or [], group)
            and _resource_matches(rule.get("resources") or [], resource)
            for rule in self.rules
        )

    def without(self, verb: str, group: str, resource: str) -> RuleSet:
        """The same rules with one grant taken out (the rest of its rule kept)."""
        kept: list[Rule] = []
        for rule in self.rules:
            if not (
                verb in rule.get("verbs", [])
                and group in rule.get("apiGroups", [])
                and resource in rule.get("resources", [])
            ):
                kept.append(rule)
                continue
            others = [r for r in rule["resources"] if r != resource]
            if others:
                kept.append({**rule, "resources": others})
            verbs = [v for v in rule["verbs"] if v != verb]
            if verbs:
                kept.append({**rule, "resources": [resource], "verbs": verbs})
        return RuleSet(kept)


def review_response(rules: RuleSet | None, body: Any) -> web.Response:
    """The answer to a SelfSubjectAccessReview (201 with spec and status, as the API server)."""
    spec = body.get("spec") if isinstance(body, dict) else None
    attributes = spec.get("resourceAttributes") if isinstance(spec, dict) else None
    if not isinstance(attributes, dict) or not attributes.get("verb"):
        return status_response(
            422,
            "SelfSubjectAccessReview.authorization.k8s.io is invalid: "
            "spec.resourceAttributes: Required value",
            "Invalid",
        )
    resource = str(attributes.get("resource", ""))
    if attributes.get("subresource"):
        resource += f"/{attributes['subresource']}"
    allowed = rules is None or rules.allows(
        str(attributes["verb"]), str(attributes.get("group", "")), resource
    )
    status: dict[str, Any] = {"allowed": allowed}
    if not allowed:
        status["reason"] = ""
    return json_response(
        {
            "kind": "SelfSubjectAccessReview",
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None},
            "spec": spec,
            "status": status,
        },
        status=201,
    )
