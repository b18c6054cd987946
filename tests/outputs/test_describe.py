"""`kubectl describe` of each kind, read into the object it describes (hand-written samples
in the layout kubectl 1.30 prints)."""

from __future__ import annotations

import pytest

from tests.outputs.conftest import Record, at

POD = """
$ kubectl describe pod web-7d4b9c-2xkqp -n shop
Name:             web-7d4b9c-2xkqp
Namespace:        shop
Priority:         0
Service Account:  web
Node:             node-a/192.168.1.10
Start Time:       Mon, 02 Mar 2026 11:00:00 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c
Annotations:      <none>
Status:           Running
IP:               10.1.0.7
Controlled By:    ReplicaSet/web-7d4b9c
Init Containers:
  migrate:
    Container ID:  containerd://aa11
    Image:         repo/migrate:2.1
    Port:          <none>
    Host Port:     <none>
    Command:
      /bin/migrate
      --to=latest
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Mon, 02 Mar 2026 11:00:05 +0000
      Finished:     Mon, 02 Mar 2026 11:00:09 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  web:
    Container ID:   containerd://bb22
    Image:          repo/web:2.1
    Image ID:       repo/web@sha256:0f0f
    Ports:          8080/TCP, 9090/TCP
    Host Ports:     0/TCP, 0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 02 Mar 2026 11:57:00 +0000
      Finished:     Mon, 02 Mar 2026 11:58:00 +0000
    Ready:          False
    Restart Count:  5
    Limits:
      cpu:     500m
      memory:  256Mi
    Requests:
      cpu:      100m
      memory:   128Mi
    Liveness:   http-get http://:8081/healthz delay=10s timeout=1s period=10s #success=1 #failure=3
    Readiness:  tcp-socket :9090 delay=0s timeout=1s period=5s #success=1 #failure=3
    Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment Variables from:
      web-config  ConfigMap  Optional: false
    Environment:
      CATALOG_URL:  http://catalog.shop.svc:80
      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false
      LOG_LEVEL:    <set to the key 'level' of config map 'web-config'>  Optional: true
      POD_NAME:     web-7d4b9c-2xkqp (v1:metadata.name)
    Mounts:
      /data from data (rw)
      /etc/web from config (ro)
  proxy:
    Container ID:   containerd://cc33
    Image:          envoy:1.29
    Port:           15001/TCP (proxy)
    State:          Running
      Started:      Mon, 02 Mar 2026 11:00:10 +0000
    Ready:          True
    Restart Count:  0
    Readiness:      grpc <pod>:15021  delay=1s timeout=1s period=2s #success=1 #failure=30
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  web-data
    ReadOnly:   false
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      web-config
    Optional:  false
QoS Class:                   Burstable
Node-Selectors:              disktype=ssd
Tolerations:                 dedicated=web:NoSchedule
                             node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  60m                default-scheduler  Successfully assigned shop/web-7d4b9c-2xkqp to node-a
  Warning  BackOff    2m (x14 over 20m)  kubelet            Back-off restarting failed container web in pod web-7d4b9c-2xkqp_shop(1234)
"""

DEPLOYMENT = """
$ kubectl describe deployment web -n shop
Name:                   web
Namespace:              shop
CreationTimestamp:      Sun, 01 Mar 2026 12:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 3
Selector:               app=web
Replicas:               3 desired | 1 updated | 2 total | 1 available | 2 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:           app=web
  Service Account:  web-sa
  Containers:
   web:
    Image:      repo/web:2.1
    Port:       8080/TCP
    Host Port:  0/TCP
    Readiness:  http-get https://:web-https/ready delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      CATALOG_URL:  http://catalogue:80
    Mounts:     <none>
  Volumes:      <none>
Conditions:
  Type             Status  Reason
  ----             ------  ------
  Available        False   MinimumReplicasUnavailable
  ReplicaFailure   True    FailedCreate
  Progressing      True    ReplicaSetUpdated
OldReplicaSets:  web-5c6d7 (1/1 replicas created)
NewReplicaSet:   web-7d4b9c (1/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  5m    deployment-controller  Scaled up replica set web-7d4b9c to 3
"""

SERVICE = """
$ kubectl describe svc web -n shop
Name:                     web
Namespace:                shop
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web,tier=front
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.10
IPs:                      10.96.0.10
Port:                     http  80/TCP
TargetPort:               8080/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.1.0.7:8080
Port:                     metrics  9090/UDP
TargetPort:               metrics/UDP
NodePort:                 metrics  30090/UDP
Endpoints:                
Session Affinity:         None
External Traffic Policy:  Cluster
Events:                   <none>

$ kubectl describe endpoints web -n shop
Name:         web
Namespace:    shop
Labels:       app=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-03-02T11:58:00Z
Subsets:
  Addresses:          10.1.0.7
  NotReadyAddresses:  10.1.0.8,10.1.0.9
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    http     8080  TCP
    metrics  9090  UDP

Events:  <none>
"""

NODE = """
$ kubectl describe node node-b
Name:               node-b
Roles:              <none>
Labels:             kubernetes.io/hostname=node-b
                    disktype=hdd
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Mon, 01 Dec 2025 12:00:00 +0000
Taints:             node.kubernetes.io/unreachable:NoExecute
                    dedicated=batch:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  node-b
  AcquireTime:     <unset>
  RenewTime:       Mon, 02 Mar 2026 11:50:00 +0000
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  MemoryPressure   Unknown   Mon, 02 Mar 2026 11:50:00 +0000   Mon, 02 Mar 2026 11:51:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  Ready            Unknown   Mon, 02 Mar 2026 11:50:00 +0000   Mon, 02 Mar 2026 11:51:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:
  InternalIP:  192.168.1.11
  Hostname:    node-b
Capacity:
  cpu:     4
  memory:  16Gi
  pods:    110
Allocatable:
  cpu:     3800m
  memory:  15Gi
  pods:    110
System Info:
  Kernel Version:             6.1.0-18-amd64
  OS Image:                   Debian GNU/Linux 12 (bookworm)
  Container Runtime Version:  containerd://1.7.13
  Kubelet Version:            v1.30.2
Events:                       <none>
"""

STORAGE = """
$ kubectl describe pvc data-db-0 -n shop
Name:          data-db-0
Namespace:     shop
StorageClass:  fast-ssd
Status:        Pending
Volume:        
Labels:        app=db
Annotations:   <none>
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      
Access Modes:  
VolumeMode:    Filesystem
Used By:       db-0
Events:
  Type     Reason                Age                From                         Message
  ----     ------                ----               ----                         -------
  Warning  ProvisioningFailed    1m (x9 over 3m)    persistentvolume-controller  storageclass.storage.k8s.io "fast-ssd" not found

$ kubectl describe pv pv-local-1
Name:              pv-local-1
Labels:            <none>
Annotations:       pv.kubernetes.io/bound-by-controller: yes
Finalizers:        [kubernetes.io/pv-protection]
StorageClass:      local
Status:            Bound
Claim:             shop/logs
Reclaim Policy:    Retain
Access Modes:      RWO
VolumeMode:        Filesystem
Capacity:          100Gi
Node Affinity:     
  Required Terms:  
    Term 0:        kubernetes.io/hostname in [node-c]
Message:           
Source:
    Type:  LocalVolume (a persistent volume backed by local storage on a node)
    Path:  /mnt/disks/1
Events:            <none>

$ kubectl describe sc standard
Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
"""

LIMITS = """
$ kubectl describe quota compute -n shop
Name:            compute
Namespace:       shop
Resource         Used   Hard
--------         ----   ----
pods             10     10
requests.cpu     1500m  2
requests.memory  3Gi    4Gi

$ kubectl describe limitrange mem -n shop
Name:       mem
Namespace:  shop
Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
----        --------  ---  ---  ---------------  -------------  -----------------------
Container   memory    -    1Gi  256Mi            512Mi          -

$ kubectl describe sa web -n shop
Name:                web
Namespace:           shop
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>

$ kubectl describe cm web-config -n shop
Name:         web-config
Namespace:    shop
Labels:       <none>
Annotations:  <none>

Data
====
CATALOG_HOST:
----
catalogue.shop.svc
level:
----
debug

BinaryData
====

Events:  <none>
"""

INGRESS = """
$ kubectl describe ingress -n shop
Name:             web
Labels:           <none>
Namespace:        shop
Address:          192.168.1.50
Ingress Class:    nginx
Default backend:  fallback:8080 (10.1.0.9:8080)
Rules:
  Host            Path  Backends
  ----            ----  --------
  shop.example    /api   api:grpc (<error: endpoints "api" not found>)
                  /      web:80 (10.1.0.7:8080,10.1.0.8:8080)
  *
                  /healthz   status:9000 (10.1.0.12:9000)
Annotations:      <none>
Events:           <none>
"""

CASES = [
    # the pod: node and host IP, owner, service account, selectors, tolerations
    (POD, "pods", "web-7d4b9c-2xkqp", "spec.nodeName", "node-a"),
    (POD, "pods", "web-7d4b9c-2xkqp", "status.hostIP", "192.168.1.10"),
    (POD, "pods", "web-7d4b9c-2xkqp", "metadata.ownerReferences.0.kind", "ReplicaSet"),
    (POD, "pods", "web-7d4b9c-2xkqp", "spec.serviceAccountName", "web"),
    (POD, "pods", "web-7d4b9c-2xkqp", "spec.nodeSelector", {"disktype": "ssd"}),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.tolerations",
        [
            {"operator": "Equal", "key": "dedicated", "value": "web", "effect": "NoSchedule"},
            {
                "operator": "Exists",
                "key": "node.kubernetes.io/not-ready",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            },
        ],
    ),
    # container states: waiting now, terminated before, with exit code and times
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.containerStatuses.0.state",
        {"waiting": {"reason": "CrashLoopBackOff"}},
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.containerStatuses.0.lastState.terminated.exitCode",
        1,
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.containerStatuses.0.lastState.terminated.finishedAt",
        "2026-03-02T11:58:00Z",
    ),
    (POD, "pods", "web-7d4b9c-2xkqp", "status.containerStatuses.0.restartCount", 5),
    (POD, "pods", "web-7d4b9c-2xkqp", "status.containerStatuses.1.ready", True),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.initContainerStatuses.0.state.terminated.reason",
        "Completed",
    ),
    (POD, "pods", "web-7d4b9c-2xkqp", "status.conditions.2", {"type": "Ready", "status": "False"}),
    # the spec: ports, probes by kind, env by source, mounts, volumes
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.ports",
        [{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "protocol": "TCP"}],
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.1.ports",
        [{"containerPort": 15001, "protocol": "TCP", "name": "proxy"}],
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.livenessProbe",
        {
            "httpGet": {"scheme": "HTTP", "port": 8081, "path": "/healthz"},
            "initialDelaySeconds": 10,
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
        },
    ),
    (POD, "pods", "web-7d4b9c-2xkqp", "spec.containers.0.readinessProbe.tcpSocket", {"port": 9090}),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.startupProbe.exec",
        {"command": ["cat", "/tmp/ready"]},
    ),
    (POD, "pods", "web-7d4b9c-2xkqp", "spec.containers.1.readinessProbe.grpc", {"port": 15021}),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.env",
        [
            {"name": "CATALOG_URL", "value": "http://catalog.shop.svc:80"},
            {
                "name": "DB_PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": False}},
            },
            {
                "name": "LOG_LEVEL",
                "valueFrom": {
                    "configMapKeyRef": {"name": "web-config", "key": "level", "optional": True}
                },
            },
            {
                "name": "POD_NAME",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
            },
        ],
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.envFrom",
        [{"configMapRef": {"name": "web-config", "optional": False}}],
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.volumeMounts.1",
        {"mountPath": "/etc/web", "name": "config", "readOnly": True},
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.containers.0.resources.limits",
        {"cpu": "500m", "memory": "256Mi"},
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.initContainers.0.command",
        ["/bin/migrate", "--to=latest"],
    ),
    (
        POD,
        "pods",
        "web-7d4b9c-2xkqp",
        "spec.volumes",
        [
            {"name": "data", "persistentVolumeClaim": {"claimName": "web-data", "readOnly": False}},
            {"name": "config", "configMap": {"name": "web-config", "optional": False}},
        ],
    ),
    # a deployment: selector, counts, conditions with reasons, its pod template
    (DEPLOYMENT, "deployments", "web", "spec.selector", {"matchLabels": {"app": "web"}}),
    (DEPLOYMENT, "deployments", "web", "spec.replicas", 3),
    (DEPLOYMENT, "deployments", "web", "status.unavailableReplicas", 2),
    (
        DEPLOYMENT,
        "deployments",
        "web",
        "status.conditions.1",
        {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"},
    ),
    (DEPLOYMENT, "deployments", "web", "spec.template.spec.serviceAccountName", "web-sa"),
    (
        DEPLOYMENT,
        "deployments",
        "web",
        "spec.template.spec.containers.0.readinessProbe.httpGet",
        {"scheme": "HTTPS", "port": "web-https", "path": "/ready"},
    ),
    (
        DEPLOYMENT,
        "deployments",
        "web",
        "spec.template.spec.containers.0.env",
        [{"name": "CATALOG_URL", "value": "http://catalogue:80"}],
    ),
    (DEPLOYMENT, "deployments", "web", "metadata.creationTimestamp", "2026-03-01T12:00:00Z"),
    # a Service's ports: name, port, protocol, targetPort (a number or a name), nodePort
    (
        SERVICE,
        "services",
        "web",
        "spec.ports",
        [
            {"port": 80, "protocol": "TCP", "name": "http", "targetPort": 8080, "nodePort": 30080},
            {
                "port": 9090,
                "protocol": "UDP",
                "name": "metrics",
                "targetPort": "metrics",
                "nodePort": 30090,
            },
        ],
    ),
    (SERVICE, "services", "web", "spec.selector", {"app": "web", "tier": "front"}),
    (
        SERVICE,
        "endpoints",
        "web",
        "subsets",
        [
            {
                "addresses": [{"ip": "10.1.0.7"}],
                "notReadyAddresses": [{"ip": "10.1.0.8"}, {"ip": "10.1.0.9"}],
                "ports": [
                    {"port": 8080, "protocol": "TCP", "name": "http"},
                    {"port": 9090, "protocol": "UDP", "name": "metrics"},
                ],
            }
        ],
    ),
    # a node: taints, cordon, conditions with reasons and times, capacity, system info
    (
        NODE,
        "nodes",
        "node-b",
        "spec.taints",
        [
            {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
            {"key": "dedicated", "value": "batch", "effect": "NoSchedule"},
        ],
    ),
    (NODE, "nodes", "node-b", "spec.unschedulable", True),
    (
        NODE,
        "nodes",
        "node-b",
        "status.conditions.1",
        {
            "type": "Ready",
            "status": "Unknown",
            "reason": "NodeStatusUnknown",
            "message": "Kubelet stopped posting node status.",
            "lastHeartbeatTime": "2026-03-02T11:50:00Z",
            "lastTransitionTime": "2026-03-02T11:51:00Z",
        },
    ),
    (NODE, "nodes", "node-b", "status.allocatable.cpu", "3800m"),
    (NODE, "nodes", "node-b", "status.nodeInfo.containerRuntimeVersion", "containerd://1.7.13"),
    (
        NODE,
        "nodes",
        "node-b",
        "metadata.labels",
        {"kubernetes.io/hostname": "node-b", "disktype": "hdd"},
    ),
    # its lease, where the API keeps it
    (NODE, "leases", "node-b", "spec.renewTime", "2026-03-02T11:50:00Z"),
    # storage: the claim's class, the volume's claim and node affinity, the default class
    (STORAGE, "persistentvolumeclaims", "data-db-0", "spec.storageClassName", "fast-ssd"),
    (STORAGE, "persistentvolumeclaims", "data-db-0", "status.phase", "Pending"),
    (
        STORAGE,
        "persistentvolumes",
        "pv-local-1",
        "spec.nodeAffinity.required.nodeSelectorTerms",
        [
            {
                "matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-c"]}
                ]
            }
        ],
    ),
    (STORAGE, "persistentvolumes", "pv-local-1", "spec.claimRef.name", "logs"),
    (
        STORAGE,
        "storageclasses",
        "standard",
        "metadata.annotations",
        {"storageclass.kubernetes.io/is-default-class": "true"},
    ),
    (STORAGE, "storageclasses", "standard", "provisioner", "rancher.io/local-path"),
    # quota, limit range, service account, config map
    (
        LIMITS,
        "resourcequotas",
        "compute",
        "status.used",
        {"pods": "10", "requests.cpu": "1500m", "requests.memory": "3Gi"},
    ),
    (
        LIMITS,
        "limitranges",
        "mem",
        "spec.limits",
        [
            {
                "type": "Container",
                "max": {"memory": "1Gi"},
                "defaultRequest": {"memory": "256Mi"},
                "default": {"memory": "512Mi"},
            }
        ],
    ),
    (LIMITS, "serviceaccounts", "web", "imagePullSecrets", [{"name": "regcred"}]),
    # an Ingress: where each host and path goes (kubectl's endpoints in brackets left out)
    (INGRESS, "ingresses", "web", "spec.ingressClassName", "nginx"),
    (
        INGRESS,
        "ingresses",
        "web",
        "spec.defaultBackend",
        {"service": {"name": "fallback", "port": {"number": 8080}}},
    ),
    (
        INGRESS,
        "ingresses",
        "web",
        "spec.rules.0",
        {
            "host": "shop.example",
            "http": {
                "paths": [
                    {
                        "path": "/api",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "api", "port": {"name": "grpc"}}},
                    },
                    {
                        "path": "/",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"number": 80}}},
                    },
                ]
            },
        },
    ),
    (INGRESS, "ingresses", "web", "spec.rules.1.host", None),
    (INGRESS, "ingresses", "web", "spec.rules.1.http.paths.0.backend.service.name", "status"),
    (
        LIMITS,
        "configmaps",
        "web-config",
        "data",
        {"CATALOG_HOST": "catalogue.shop.svc", "level": "debug"},
    ),
]


@pytest.mark.parametrize(
    ("text", "kind", "name", "path", "expected"),
    CASES,
    ids=[f"{c[1]}/{c[2]}:{c[3]}" for c in CASES],
)
async def test_describe_becomes_the_object_it_describes(
    record: Record, text: str, kind: str, name: str, path: str, expected: object
) -> None:
    reader = record(text)
    scope = (
        None
        if kind in ("nodes", "persistentvolumes", "storageclasses")
        else "kube-node-lease"
        if kind == "leases"
        else "shop"
    )
    assert at(await reader.get(kind, name, scope), path) == expected
    assert reader.skipped == []


async def test_quota_hard_limits_keep_their_dotted_names(record: Record) -> None:
    quota = await record(LIMITS).get("resourcequotas", "compute", "shop")
    assert quota["status"]["hard"] == {"pods": "10", "requests.cpu": "2", "requests.memory": "4Gi"}


async def test_describe_events_are_events_about_the_described_object(record: Record) -> None:
    reader = record(POD, STORAGE)
    about_pod = await reader.list(
        "events",
        "shop",
        field_selector="involvedObject.kind=Pod,involvedObject.name=web-7d4b9c-2xkqp",
    )
    backoff = next(e for e in about_pod if e["reason"] == "BackOff")
    assert backoff["count"] == 14 and backoff["source"] == {"component": "kubelet"}
    assert backoff["firstTimestamp"] == "2026-03-02T11:40:00Z"
    assert backoff["lastTimestamp"] == "2026-03-02T11:58:00Z"
    [claim_event] = await reader.list(
        "events.k8s.io", "shop", field_selector="regarding.kind=PersistentVolumeClaim"
    )
    assert claim_event["note"] == 'storageclass.storage.k8s.io "fast-ssd" not found'


DEPLOYMENT_YAML = """
$ kubectl get deployment web -n shop -o yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: repo/web:2.1
        ports:
        - containerPort: 8080
          name: http
          protocol: TCP
        - containerPort: 9090
          name: metrics
"""


async def test_a_described_pod_s_ports_take_their_names_from_its_controller(
    record: Record,
) -> None:
    """describe prints `8080/TCP`: the name a Service's targetPort uses comes from the template
    the Deployment's YAML shows (without it, the name stays unknown, never made up)."""
    alone = await record(POD).get("pods", "web-7d4b9c-2xkqp", "shop")
    [web] = [c for c in alone["spec"]["containers"] if c["name"] == "web"]
    assert [p.get("name") for p in web["ports"]] == [None, None], web["ports"]
    pod = await record(POD, DEPLOYMENT_YAML).get("pods", "web-7d4b9c-2xkqp", "shop")
    [web] = [c for c in pod["spec"]["containers"] if c["name"] == "web"]
    assert [(p["containerPort"], p.get("name")) for p in web["ports"]] == [
        (8080, "http"),
        (9090, "metrics"),
    ]
