"""What a remediation acts on: one small, strict pydantic model per action shape.

Targets are stored with the pending action (never in the button) and
validated again when the button is clicked, so a stored row that was
tampered with or written by an older version is refused, not acted on.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"

Name = Annotated[str, Field(pattern=DNS_SUBDOMAIN, max_length=253)]
Namespace = Annotated[str, Field(pattern=DNS_LABEL, max_length=63)]
Cluster = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[^\s`*_~<>&]+$")]


class Target(BaseModel):
    """Base of every target: the cluster (kubeconfig context) it lives in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cluster: Cluster

    @property
    def namespace_scope(self) -> str | None:
        """The namespace the action touches; None for cluster-scoped objects."""
        return getattr(self, "namespace", None)


class PodTarget(Target):
    namespace: Namespace
    name: Name
    owner: str | None = Field(default=None, max_length=300, pattern=r"^[A-Za-z]+/[-a-z0-9.]+$")
    """"Kind/name" of the pod's controller, for the confirm text (None: nothing recreates it)."""
    uid: str | None = Field(default=None, max_length=64, pattern=r"^[-0-9a-f]+$")
    """The diagnosed pod's UID: a pod recreated under the same name since then is not deleted."""

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"


class PvcAndPodTarget(PodTarget):
    pvc: Name
    pvc_uid: str | None = Field(default=None, max_length=64, pattern=r"^[-0-9a-f]+$")
    """The claim's UID when diagnosed: a claim recreated under the same name is not deleted."""


class NodeTarget(Target):
    name: Name


class WorkloadTarget(Target):
    kind: Literal["Deployment", "StatefulSet", "DaemonSet"]
    namespace: Namespace
    name: Name
    uid: str | None = Field(default=None, max_length=64, pattern=r"^[-0-9a-f]+$")
    """The workload's UID when diagnosed: one recreated under the same name is not restarted."""


class ScaleTarget(Target):
    namespace: Namespace
    name: Name
    replicas: int = Field(ge=0, le=1000)


class ApiServiceTarget(Target):
    name: Name
