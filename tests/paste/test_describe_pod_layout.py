"""`kubectl describe pod` layouts that once split one pod in two or renamed it."""

from __future__ import annotations

from bot.diagnosis.paste_read import read_pasted
from intents.facts.model import PodFacts
from tests.cli.runner import kubemedic_in_process

POD = """Name:             adservice-d68dfc56-lbcrz
Namespace:        shop
Node:             worker-02/192.168.0.53
Labels:           app=adservice
Status:           Running
IP:               172.20.2.222
Init Containers:
  istio-validation:
    Image:         docker.io/istio/proxyv2:1.27.3-distroless
    Port:          <none>
    Args:
      istio-iptables
      -x
      {blank}
      -b
      *
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
    Ready:          True
    Restart Count:  0
Containers:
  server:
    Image:          registry.example.com/adservice:v0.10.3
    Port:           9555/TCP
    State:          Running
      Started:      Thu, 25 Dec 2025 15:40:25 +0800
    Ready:          True
    Restart Count:  0
Conditions:
  Type              Status
  Ready             True
Volumes:
  istio-ca-crl:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      istio-ca-crl
    Optional:  true
QoS Class:                   Burstable
Events:                      <none>
"""


def test_an_empty_argument_does_not_end_the_pod_and_a_volume_name_is_not_the_pods() -> None:
    parsed = read_pasted(POD.format(blank="      "))
    pods = [s for s in parsed.subjects if s.label.startswith("pod")]
    assert [s.label for s in pods] == ["pod shop/adservice-d68dfc56-lbcrz"]
    facts = pods[0].facts
    assert isinstance(facts, PodFacts)
    assert [(c.name, c.init) for c in facts.containers] == [
        ("istio-validation", True),
        ("server", False),
    ]
    assert parsed.healthy


def test_a_completed_init_container_after_an_empty_argument_is_no_crash_loop() -> None:
    result = kubemedic_in_process("match", "--json", stdin=POD.format(blank="      ").encode())
    assert result.code == 0 and result.json()["answer"] is None
