"""Evidence values of the shapes redaction must keep, each in a line taken verbatim from the corpus.

Harvested from tests/corpus (real pastes) by shape: UUIDs and object UIDs, image digests,
container ids, git SHAs, pod names with their ReplicaSet hash, ReplicaSet names, pod-template
hashes, resourceVersions, IPv4 and IPv6 addresses, timestamps, node names (EKS, GKE, AKS,
Alibaba), volume names (PVCs, EBS, CSI), event names, ULIDs, trace ids. Each must survive
redaction exactly as pasted: the answers and the evidence read them.
"""

from __future__ import annotations

SAFE: list[tuple[str, str, str]] = [  # (shape, value, the line it came in)
    (
        "uuid / object uid",
        "656c5403-9eaa-4cb5-9969-ee068ec29f16",
        'Sep 25 23:15:17 minikube containerd[1887]: time="2019-09-25T23:15:17.570779310Z" level=info msg="RunPodsandbox for &PodSandboxMetadata{Name:hello-node-959c7f7b7-njfxr,Uid:656c5403-9eaa-4cb5-9969-ee068ec29f16,Namespace:default,Attempt:0,}"',
    ),
    (
        "uuid / object uid",
        "5d8e1c2a-9f3b-4c7d-8e1a-2b3c4d5e6f70",
        "pvc-5d8e1c2a-9f3b-4c7d-8e1a-2b3c4d5e6f70   50Gi       RWO            Delete           Bound    data/data-pg-1   gp3            <unset>                          41d",
    ),
    (
        "uuid / object uid",
        "00e3060a-36a7-496f-9912-c3fac088b3f2",
        ']) for Container "rabbitmq" in Pod "rabbitmq-0_testnet(00e3060a-36a7-496f-9912-c3fac088b3f2)" failed - error: command \'/bin/bash -ec until rabbitmqctl cluster_status >/dev/null; do',
    ),
    (
        "uuid / object uid",
        "9d69442d-6512-4b7e-9e11-8cf0ddbf43ba",
        'Warning  FailedMount       29s (x9 over 2m37s)  kubelet            MountVolume.NewMounter initialization failed for volume "pvc-9d69442d-6512-4b7e-9e11-8cf0ddbf43ba" : path "/var/openebs/local/pvc-9d69442d-6512-4b7e-9e11-8cf0ddbf43ba" does not exist',
    ),
    (
        "uuid / object uid",
        "af8c20ed-4a68-4f8f-899f-733c7b19ecbc",
        'I0708 04:51:26.975384 23833 system_pods.go:63] "storage-provisioner" [af8c20ed-4a68-4f8f-899f-733c7b19ecbc] Pending: PodScheduled:Unschedulable (0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn\'t tolerate.)',
    ),
    (
        "uuid / object uid",
        "5d317451-01f2-11ea-b95f-eeeeeeeeeeee",
        'Warning  FailedMount             10m (x23 over 40m)  kubelet, master3         MountVolume.MountDevice failed for volume "pvc-5d317451-01f2-11ea-b95f-eeeeeeeeeeee" : driver name rbd.csi.ceph.com not found in the list of registered CSI drivers',
    ),
    (
        "uuid / object uid",
        "fc89e563-ad49-4642-b0a5-2308eb8927a4",
        "vib-es-master-vib-es-master-2   Bound    pvc-fc89e563-ad49-4642-b0a5-2308eb8927a4   30Gi       RWO            ceph-block     20h",
    ),
    (
        "uuid / object uid",
        "c0d81c45-778e-44a3-8808-2179d8515c61",
        'AttachVolume.Attach failed for volume "pvc-c0d81c45-778e-44a3-8808-2179d8515c61" : rpc error: code = DeadlineExceeded desc = volume pvc-c0d81c45-778e-44a3-8808-2179d8515c61 failed to attach to node 192.168.110.154',
    ),
    (
        "uuid / object uid",
        "00000000-0000-0000-0000-000000000000",
        "Uuid:               00000000-0000-0000-0000-000000000000",
    ),
    (
        "uuid / object uid",
        "9f8a9744-5255-4af5-a234-5c57d6dd24a1",
        'E0924 01:15:30.822006       1 mount_linux.go:329] format of disk "/dev/longhorn/pvc-9f8a9744-5255-4af5-a234-5c57d6dd24a1" failed: type:("ext4") target:("/export/pvc-9f8a9744-5255-4af5-a234-5c57d6dd24a1") options:(["defaults"])error:(exit status 1)',
    ),
    (
        "uuid / object uid",
        "4fd70aef-1659-4ec6-b6ac-546812282941",
        "DeploymentID: 4fd70aef-1659-4ec6-b6ac-546812282941",
    ),
    (
        "uuid / object uid",
        "4fba293a-2f39-11e5-a5b1-fa163eca8887",
        '"uid": "4fba293a-2f39-11e5-a5b1-fa163eca8887",',
    ),
    (
        "image digest",
        "sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9",
        'Normal   Pulling    50s (x4 over 2m25s)  kubelet            Pulling image "index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9"',
    ),
    (
        "image digest",
        "sha256:24ca3026589371b9a52459ca59c734196ce909ef088563bba1d5013170bccd59",
        "- pod/leeroy-app-568b954b54-sczr7: container leeroy-app is waiting to start: gcr.io/tejal-test/leeroy-app:v1.20.0-68-gc37150450@sha256:24ca3026589371b9a52459ca59c734196ce909ef088563bba1d5013170bccd59 can't be pulled",
    ),
    (
        "image digest",
        "sha256:914140142ed8e3ef55ee37db043a980f8731728e56e161aafeb42b7a08ef1ec9",
        'Error: Error committing the finished image: error adding layer with blob "sha256:914140142ed8e3ef55ee37db043a980f8731728e56e161aafeb42b7a08ef1ec9": ApplyLayer exit status 1 stdout:  stderr: write /usr/bin/chsh: no space left on device',
    ),
    (
        "image digest",
        "sha256:aa5cb2212d4a4c245411b936210a67b38ee770119f13ffd081a8736b00810029",
        "config-sha256:aa5cb2212d4a4c245411b936210a67b38ee770119f13ffd081a8736b00810029:   done           |++++++++++++++++++++++++++++++++++++++|",
    ),
    (
        "image digest",
        "sha256:8e7392e91b6cacfa951cd4a0d9c3a2c51c09a494084cbb6d62d1eab7b30c36d8",
        "Image ID:        docker.io/bitnamilegacy/zookeeper@sha256:8e7392e91b6cacfa951cd4a0d9c3a2c51c09a494084cbb6d62d1eab7b30c36d8",
    ),
    (
        "image digest",
        "sha256:69002143d1d8068a0a778c4c1afde7ebdda1e47e440ad1e037d7e1763e5588f8",
        "Image ID:       docker-pullable://registry.developers.crunchydata.com/crunchydata/pgo-apiserver@sha256:69002143d1d8068a0a778c4c1afde7ebdda1e47e440ad1e037d7e1763e5588f8",
    ),
    (
        "image digest",
        "sha256:3f8119a98476b97e806057a72e8e836a2d3e65d56e9b4c790e75874e586b8db0",
        "Image ID:\t\tdocker://sha256:3f8119a98476b97e806057a72e8e836a2d3e65d56e9b4c790e75874e586b8db0",
    ),
    (
        "image digest",
        "sha256:ce0173173802a18e6bdaa05b0dedf37ec460fa5db66aac9124ee1500c46cf2c7",
        "Digest: sha256:ce0173173802a18e6bdaa05b0dedf37ec460fa5db66aac9124ee1500c46cf2c7",
    ),
    (
        "image digest",
        "sha256:af3d9b978506dd2d7b132798ded182cdce9de90718020a1ba190d4584fe39160",
        'Normal   Pulled          8s (x3 over 9s)  kubelet            Container image "quay.io/openshift/okd-content@sha256:af3d9b978506dd2d7b132798ded182cdce9de90718020a1ba190d4584fe39160" already present on machine',
    ),
    (
        "image digest",
        "sha256:ae819fd2a0d75d119af03d7b933ab72df32a42360ef607ba36106575fae38e18",
        'Sep 04 18:35:49 u7s-usernetes-compute-001 containerd[132]: time="2023-09-04T18:35:49.209338486Z" level=info msg="PullImage \\"registry.k8s.io/kube-controller-manager:v1.27.5\\" returns image reference \\"sha256:ae819fd2a0d75d119af03d7b933ab72df32a42360ef607ba36106575fae38e18\\""',
    ),
    (
        "image digest",
        "sha256:15d7158d56468a89d1573c767ef42440bf147ae96066e2aa5fa61f2594feddc0",
        "imageID: docker-pullable://pingcap/chaos-fs@sha256:15d7158d56468a89d1573c767ef42440bf147ae96066e2aa5fa61f2594feddc0",
    ),
    (
        "image digest",
        "sha256:6bef58bf5b7850021884cf6ea2f32333cbfcd99be79d1fff0d6e5ced1ac044b4",
        'Container image "tccr.io/truecharts/kubectl:v1.26.0@sha256:6bef58bf5b7850021884cf6ea2f32333cbfcd99be79d1fff0d6e5ced1ac044b4" already present on machine',
    ),
    (
        "container id",
        "docker://2bb40ef4a935253f438e8e8c2d27c04e4698e9e68405f2eb26c9e0f1e49a0076",
        "docker://2bb40ef4a935253f438e8e8c2d27c04e4698e9e68405f2eb26c9e0f1e49a0076",
    ),
    (
        "container id",
        "containerd://6254af8b43c4c395038b9da674b484f79ee8b3667455639b03e633a691f406b8",
        "Container ID:    containerd://6254af8b43c4c395038b9da674b484f79ee8b3667455639b03e633a691f406b8",
    ),
    (
        "container id",
        "docker://dca79048a035c9ecd2c6ba0eda1261aa36edc4f8e6859ac2bf2ba48bc1c213be",
        "Container ID:  docker://dca79048a035c9ecd2c6ba0eda1261aa36edc4f8e6859ac2bf2ba48bc1c213be",
    ),
    (
        "container id",
        "containerd://c91d6a2bdfca218ca6db362cbfeb5dfd8aeaed48dbb489297d72964b6a3072f7",
        "Container ID:  containerd://c91d6a2bdfca218ca6db362cbfeb5dfd8aeaed48dbb489297d72964b6a3072f7",
    ),
    (
        "container id",
        "docker://8f55b502593362be61c269ae529b2b51d35cdb4e63b7327b347e6ff9a673ea89",
        "Container ID:  docker://8f55b502593362be61c269ae529b2b51d35cdb4e63b7327b347e6ff9a673ea89",
    ),
    (
        "container id",
        "containerd://b8b62a39c0229a103840226aa9c733f6178d26d3e0ad6ed28de8b836f40549c0",
        'containerId: "containerd://b8b62a39c0229a103840226aa9c733f6178d26d3e0ad6ed28de8b836f40549c0"',
    ),
    (
        "container id",
        "containerd://d6d75f3c8998c43484433ffd09c7483d76807377b2064133c717367bce9e8e77",
        "Container ID:  containerd://d6d75f3c8998c43484433ffd09c7483d76807377b2064133c717367bce9e8e77",
    ),
    (
        "container id",
        "containerd://d9aa34b012e737d7fcb4964e1c556c9c2c6284a37bf05a5a89a09bddb8efe04c",
        "containerd://d9aa34b012e737d7fcb4964e1c556c9c2c6284a37bf05a5a89a09bddb8efe04c",
    ),
    (
        "container id",
        "containerd://a5bdd04e86fad93a5d925f6c418969f39a944be7247a4929ee8b16eb8e43e4b8",
        "Container ID:  containerd://a5bdd04e86fad93a5d925f6c418969f39a944be7247a4929ee8b16eb8e43e4b8",
    ),
    (
        "container id",
        "containerd://3c6935bda1914e299a3cba468abca06df90215aa098a5bf5c9e1395f168e0f98",
        "Container ID:  containerd://3c6935bda1914e299a3cba468abca06df90215aa098a5bf5c9e1395f168e0f98",
    ),
    (
        "container id",
        "docker://ea7db655551dd087642c89e832962322dff62fa0ffcc61d746c1e95b1b800312",
        "Container ID:  docker://ea7db655551dd087642c89e832962322dff62fa0ffcc61d746c1e95b1b800312",
    ),
    (
        "container id",
        "docker://8783b245b14bd118927f1f5be61d75308d25899c2ff0de50dc6738d57515003e",
        "Container ID:\tdocker://8783b245b14bd118927f1f5be61d75308d25899c2ff0de50dc6738d57515003e",
    ),
    (
        "git sha",
        "7fbdd6487646e812fe74c0c05503805b5d9d4751",
        'I0107 21:07:01.750050       1 start.go:91] "starting" version="v1.1.0" revision="7fbdd6487646e812fe74c0c05503805b5d9d4751"',
    ),
    (
        "git sha",
        "f9252596661bbfa7e4bf54c446797c6179b52abf",
        "I updated my istio-dex config to pick up changes, including https://github.com/kubeflow/manifests/commit/f9252596661bbfa7e4bf54c446797c6179b52abf#diff-22a62b4046d14c9056c87c46260349d7",
    ),
    (
        "git sha",
        "b7394102d6ef778017f2ca4046abbaa23b88c290",
        'Client Version: version.Info{Major:"1", Minor:"14", GitVersion:"v1.14.1", GitCommit:"b7394102d6ef778017f2ca4046abbaa23b88c290", GitTreeState:"clean", BuildDate:"2019-04-08T17:11:31Z", GoVersion:"go1.12.1", Compiler:"gc", Platform:"darwin/amd64"}',
    ),
    (
        "git sha",
        "3a3df0b2885d6d3c4c99886ac16b0fb127452e8f",
        "❯ kubectl apply -f https://raw.githubusercontent.com/open-telemetry/opentelemetry-operator/3a3df0b2885d6d3c4c99886ac16b0fb127452e8f/config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml",
    ),
    (
        "git sha",
        "a3c08bad6ad3ae64581f135e076d20b2ca26636c",
        "I1125 20:27:12.475692       1 main.go:149] LVM Driver Version :- 1.6.1 - commit :- a3c08bad6ad3ae64581f135e076d20b2ca26636c",
    ),
    (
        "git sha",
        "20adb27c7c5868466912eebdf6664e7390ebe710",
        '`Server: &version.Version{SemVer:"v2.9.1", GitCommit:"20adb27c7c5868466912eebdf6664e7390ebe710", GitTreeState:"clean"}`',
    ),
    (
        "git sha",
        "9e644106593f3f4aa98f8a84b23db5fa378900bd",
        'I0601 08:40:02.344452       7 main.go:253] "Running in Kubernetes cluster" major="1" minor="26" git="v1.26.3" state="clean" commit="9e644106593f3f4aa98f8a84b23db5fa378900bd" platform="linux/amd64"',
    ),
    (
        "git sha",
        "7365e9eeb2f4961ef94e4ce5eb2b6e1bdb55ce5c",
        "Build:         7365e9eeb2f4961ef94e4ce5eb2b6e1bdb55ce5c",
    ),
    (
        "git sha",
        "7f537bc346a70db2c367b48ddbf2033adfaf570a",
        "helm upgrade ac-passive .helm/ac-passive --install --set image.tag=7f537bc346a70db2c367b48ddbf2033adfaf570a",
    ),
    (
        "git sha",
        "ac6998cde7f6c2a7c86cd9b7fdb9269620201027",
        "[cca04a8581cae26dc1ed3426189733db] [paperclip] Trying to link /tmp/ac6998cde7f6c2a7c86cd9b7fdb9269620201027-9-1dgwhxi.jpg to /tmp/5220fcccc1e2ead47b1de489e0c2548d20201027-9-we78g8.jpg",
    ),
    (
        "git sha",
        "52c56ce7a8272c798dbc29846288d7cd9fbae032",
        'Server Version: version.Info{Major:"1", Minor:"18", GitVersion:"v1.18.2", GitCommit:"52c56ce7a8272c798dbc29846288d7cd9fbae032", GitTreeState:"clean", BuildDate:"2020-04-16T11:48:36Z", GoVersion:"go1.13.9", Compiler:"gc", Platform:"linux/amd64"}',
    ),
    (
        "git sha",
        "3e250fdbab72d88f7e6aae57446023a0567ffc97",
        'I0905 15:11:04.851799       8 main.go:265] "Running in Kubernetes cluster" major="1" minor="21" git="v1.21.4+k3s1" state="clean" commit="3e250fdbab72d88f7e6aae57446023a0567ffc97" platform="linux/amd64"',
    ),
    (
        "pod name with replicaset hash",
        "ingress-nginx-controller-747b56c56-vjzpb",
        "Normal   Scheduled    9m16s                  default-scheduler            Successfully assigned ingress-nginx/ingress-nginx-controller-747b56c56-vjzpb to host",
    ),
    (
        "pod name with replicaset hash",
        "traefik-57c84cf78d-p2d8c",
        "kube-system    pod/traefik-57c84cf78d-p2d8c                   1/1     Running     0          6m29s",
    ),
    ("pod name with replicaset hash", "dply-c94d4768f-bgt7h", "[root@dply-c94d4768f-bgt7h /]#"),
    (
        "pod name with replicaset hash",
        "worker-beat-7898d974fc-sb9xz",
        "46m         Warning   FailedScheduling         pod/worker-beat-7898d974fc-sb9xz   0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod..",
    ),
    (
        "pod name with replicaset hash",
        "calico-kube-controllers-6b8f6f78dc-qjkzs",
        "# kube-system            calico-kube-controllers-6b8f6f78dc-qjkzs     0/1     Error          3          15h   172.17.0.2       edge-node-1   <none>           <none>",
    ),
    (
        "pod name with replicaset hash",
        "csi-attacher-5dcdcd5984-w68ps",
        "csi-attacher-5dcdcd5984-w68ps               0/1     ContainerCreating   0          1s",
    ),
    (
        "pod name with replicaset hash",
        "axartifactmanager-deployment-980136800-6qgxg",
        "axartifactmanager-deployment-980136800-6qgxg         1/1       Running            0          1h",
    ),
    (
        "pod name with replicaset hash",
        "internal-app-5484969b58-sqx4v",
        "internal-app-5484969b58-sqx4v   2/2     Running           0          12d",
    ),
    (
        "pod name with replicaset hash",
        "kube-dns-6ccd496668-w84hj",
        "DNS doesn't seem to work on a fresh installation of latest microk8s snap on Ubuntu 18.04. Inspecting the DNS pod with `microk8s.kubectl describe pod -n kube-system kube-dns-6ccd496668-w84hj`, I see:",
    ),
    (
        "pod name with replicaset hash",
        "librechat-librechat-79c455998f-s2tgx",
        "pod/librechat-librechat-79c455998f-s2tgx   0/1     CrashLoopBackOff   6 (95s ago)   5m56s",
    ),
    (
        "pod name with replicaset hash",
        "camel-k-operator-76dc496fdb-hrlll",
        'message: \'pods "camel-k-operator-76dc496fdb-hrlll" is forbidden: violates PodSecurity',
    ),
    (
        "pod name with replicaset hash",
        "cert-manager-7fbbc65b49-mj848",
        "cert-manager   cert-manager-7fbbc65b49-mj848              1/1     Running            0               30m",
    ),
    (
        "replicaset name",
        "ReplicaSet/immich-microservices-d6d6bf4c5",
        "24m                   Normal    SuccessfulDelete         ReplicaSet/immich-microservices-d6d6bf4c5      Deleted pod: immich-microservices-d6d6bf4c5-7t9tr",
    ),
    (
        "replicaset name",
        "ReplicaSet/grafana-operator-8478bfb7f9",
        "Controlled By:  ReplicaSet/grafana-operator-8478bfb7f9",
    ),
    (
        "replicaset name",
        "ReplicaSet/airbyte-abctl-server-587696bc9f",
        "11m                      Normal    SuccessfulCreate       ReplicaSet/airbyte-abctl-server-587696bc9f                     Created pod: airbyte-abctl-server-587696bc9f-nttq8",
    ),
    (
        "replicaset name",
        "ReplicaSet/kubernetes-dashboard-3313488171",
        "Created By:\tReplicaSet/kubernetes-dashboard-3313488171",
    ),
    (
        "replicaset name",
        "ReplicaSet/postgres-keycloak-6d8858f5b",
        "Controlled By:  ReplicaSet/postgres-keycloak-6d8858f5b",
    ),
    (
        "replicaset name",
        "ReplicaSet/kubernetes-dashboard-1964089633",
        "Controllers:\tReplicaSet/kubernetes-dashboard-1964089633",
    ),
    (
        "replicaset name",
        "ReplicaSet/mongodb-kubernetes-operator-698bc456cc",
        "Controlled By:  ReplicaSet/mongodb-kubernetes-operator-698bc456cc",
    ),
    (
        "replicaset name",
        "ReplicaSet/olm-operator-57b6cf86dd",
        "Controlled By:      ReplicaSet/olm-operator-57b6cf86dd",
    ),
    (
        "replicaset name",
        "ReplicaSet/inventory-sync-59c7d4f8b6",
        "Controlled By:  ReplicaSet/inventory-sync-59c7d4f8b6",
    ),
    (
        "replicaset name",
        "ReplicaSet/kubeblocks-9b8cfb4db",
        "Controlled By:  ReplicaSet/kubeblocks-9b8cfb4db",
    ),
    (
        "replicaset name",
        "ReplicaSet/kyverno-reports-controller-647dd56678",
        "ReplicaSet/kyverno-reports-controller-647dd56678   k3d-aikyverno",
    ),
    (
        "replicaset name",
        "ReplicaSet/fedora-apache-684f9fc6f9",
        "Controlled By:  ReplicaSet/fedora-apache-684f9fc6f9",
    ),
    ("pod-template-hash", "pod-template-hash=67fbdd6b79", "pod-template-hash=67fbdd6b79"),
    ("pod-template-hash", "pod-template-hash=59c7d4f8b6", "pod-template-hash=59c7d4f8b6"),
    ("pod-template-hash", "pod-template-hash=dbd87546", "pod-template-hash=dbd87546"),
    (
        "pod-template-hash",
        "pod-template-hash=567b56d6ff",
        "replicaset.apps/smef-567b56d6ff   1         1         1       34m   smef         gcr.io/google-samples/node-hello:1.0   app=smef,pod-template-hash=567b56d6ff",
    ),
    ("pod-template-hash", "pod-template-hash=6d7b9f5c5", "pod-template-hash=6d7b9f5c5"),
    ("pod-template-hash", "pod-template-hash=2746566417", "pod-template-hash=2746566417"),
    ("pod-template-hash", "pod-template-hash=cdbdbcd54", "pod-template-hash=cdbdbcd54"),
    ("pod-template-hash", "pod-template-hash=844b4d586f", "pod-template-hash=844b4d586f"),
    ("pod-template-hash", "pod-template-hash=2039414953", "pod-template-hash=2039414953"),
    ("pod-template-hash", "pod-template-hash=281529840", "pod-template-hash=281529840"),
    ("pod-template-hash", "pod-template-hash=5bbd7fd785", "pod-template-hash=5bbd7fd785"),
    ("pod-template-hash", "pod-template-hash=57f9d6fd6b", "pod-template-hash=57f9d6fd6b"),
    ("resourceVersion", 'resourceVersion: "308826302', 'resourceVersion: "308826302"'),
    ("resourceVersion", 'resourceVersion: "93995', 'resourceVersion: "93995"'),
    ("resourceVersion", 'resourceVersion": "4812233', '"resourceVersion": "4812233",'),
    ("resourceVersion", 'resourceVersion: "1786569', 'resourceVersion: "1786569"'),
    ("resourceVersion", 'resourceVersion: "4125550', 'resourceVersion: "4125550"'),
    ("resourceVersion", 'resourceVersion: "815476', 'resourceVersion: "815476"'),
    ("resourceVersion", 'resourceVersion: "6839', 'resourceVersion: "6839"'),
    (
        "resourceVersion",
        'resourceVersion":"4913077',
        '{"kind":"SerializedReference","apiVersion":"v1","reference":{"kind":"ReplicaSet","namespace":"spinnaker","name":"webapp-9c4975544","uid":"a1eb041a-6ff7-11e8-bc55-6eb6c30fb769","apiVersion":"extensions","resourceVersion":"4913077"}}',
    ),
    ("resourceVersion", 'resourceVersion: "1936', 'resourceVersion: "1936"'),
    ("resourceVersion", 'resourceVersion: "8700', 'resourceVersion: "8700"'),
    ("resourceVersion", 'resourceVersion: "214515', 'resourceVersion: "214515"'),
    ("resourceVersion", 'resourceVersion": "15978', '"resourceVersion": "15978"'),
    (
        "ipv4",
        "10.244.0.47",
        '2022/06/27 14:49:52 [error] 13#13: *29 open() "/etc/nginx/html/api/v1/status/buildinfo" failed (2: No such file or directory), client: 10.244.0.47, server: , request: "GET /api/v1/status/buildinfo HTTP/1.1", host: "loki-gateway.loki.svc.cluster.local:3100"',
    ),
    (
        "ipv4",
        "10.42.0.60:53498",
        "[ERROR] plugin/errors: 2 7994225720195620561.3842098355147683469. HINFO: unreachable backend: read udp 10.42.0.60:53498->213.186.33.99:53: i/o timeout",
    ),
    ("ipv4", "192.168.1.10", "flannel.alpha.coreos.com/public-ip=192.168.1.10"),
    (
        "ipv4",
        "10.112.0.99:8443",
        'Error from server (InternalError): Internal error occurred: failed calling webhook "check-ignore-label.gatekeeper.sh": failed to call webhook: Post "https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/admitlabel?timeout=3s": dial tcp 10.112.0.99:8443: i/o timeout',
    ),
    ("ipv4", "192.168.62.234", "Annotations:  cni.projectcalico.org/podIP: 192.168.62.234/32"),
    ("ipv4", "0.0.0.0", "- --xds-address=0.0.0.0"),
    (
        "ipv4",
        "127.0.0.1:8080",
        'I have installed k8s v 1.8. I have installed on centos7. everything went fine as per doc but when i reboot server then im keep getting this error" the connection to the server 127.0.0.1:8080 was refused - did you specify the right host or port?"',
    ),
    (
        "ipv4",
        "10.244.0.8",
        "heapster-584cf4954-hrrns                        2/2       Running   0          4d        10.244.0.8     k8s-agentpool1-33131957-1",
    ),
    (
        "ipv4",
        "10.97.35.43",
        "ingress-nginx-controller-admission   ClusterIP      10.97.35.43      <none>        443/TCP                      8m36s   app.kubernetes.io/component=controller,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/name=ingress-nginx",
    ),
    (
        "ipv4",
        "6.1.7.4",
        "from /usr/local/bundle/gems/activesupport-6.1.7.4/lib/active_support/callbacks.rb:198:in `block (2 levels) in halting'",
    ),
    (
        "ipv4",
        "10.200.0.3",
        "kube-system   kube-dns-54f558d499-txllg   3/3       Running   0          11m       10.200.0.3      worker-node-0",
    ),
    (
        "ipv4",
        "10.0.43.33:8080",
        "Oct  9 02:07:32.078: contour-gateway/contour-gateway-envoy-676755c7f8-plvc8:43806 (ID:1739) <> 10.0.43.33:8080 (ID:16777218) Policy denied DROPPED (TCP Flags: SYN)",
    ),
    (
        "ipv6",
        "2019:10:40:52",
        'bookstack.dev:80 10.122.135.1 - - [20/Feb/2019:10:40:52 +0000] "GET /login HTTP/1.1" 200 2618 "http://10.122.135.211:80/" "kube-probe/1.11+"',
    ),
    (
        "ipv6",
        "2020:02:24:40",
        '10.244.0.254 - - [16/Jul/2020:02:24:40 +0000] "GET /v1/settings/mkfs-ext4-parameters HTTP/1.1" 200 589 "" "Go-http-client/1.1"',
    ),
    (
        "ipv6",
        "2022:14:49:52",
        '10.244.0.47 - - [27/Jun/2022:14:49:52 +0000]  200 "GET /prometheus/api/v1/rules HTTP/1.1" 2882 "-" "Grafana/8.5.0" "-"',
    ),
    (
        "ipv6",
        "2019:12:23:49",
        '10.32.0.1 - - [02/Oct/2019:12:23:49 +0000] "GET / HTTP/1.1" 200 6 "" "kube-probe/1.16"',
    ),
    (
        "ipv6",
        "2021:14:56:39",
        '10.44.39.27 - - [04/Jun/2021:14:56:39 +0000] "GET / HTTP/1.1" 200 12246 "-" "kube-probe/1.19"',
    ),
    (
        "ipv6",
        "2021:14:56:42",
        '10.44.39.27 - - [04/Jun/2021:14:56:42 +0000] "GET / HTTP/1.1" 200 12246 "-" "kube-probe/1.19"',
    ),
    (
        "ipv6",
        "2016:16:33:32",
        '25.1.62.1 - [172.24.242.25, 25.1.62.1] - - [03/Nov/2016:16:33:32 +0000] "GET /foo HTTP/1.1" 200 55 "-" "Go-http-client/1.1" 273 0.001 25.1.71.13:8080 55 0.001 200',
    ),
    (
        "ipv6",
        "e2:ab:8e:c8:a7:cd",
        'flannel.alpha.coreos.com/backend-data: {"VNI":1,"VtepMAC":"e2:ab:8e:c8:a7:cd"}',
    ),
    (
        "ipv6",
        "2019:12:24:09",
        '10.32.0.1 - - [02/Oct/2019:12:24:09 +0000] "GET / HTTP/1.1" 200 6 "" "kube-probe/1.16"',
    ),
    (
        "ipv6",
        "c0a8:105:0:8ad6",
        "35542      256        k8s:io.kubernetes.pod.namespace=default   f00d::c0a8:105:0:8ad6   10.5.247.232   ready",
    ),
    (
        "ipv6",
        "fe:3d:fa:87:25:ab",
        'flannel.alpha.coreos.com/backend-data: \'{"VNI":1,"VtepMAC":"fe:3d:fa:87:25:ab"}\'',
    ),
    ("ipv6", "2a01:4ff:f1:6bd", "Address:          10.0.0.8,2a01:4ff:f1:6bd::1,5.161.33.14"),
    ("timestamp", "2023-02-10T17:20:08Z", 'finishedAt: "2023-02-10T17:20:08Z"'),
    (
        "timestamp",
        "2019-08-08T06:25:06.777Z",
        "node-local-dns-x6xt5 node-cache 2019-08-08T06:25:06.777630272Z 2019/08/08 06:25:06 2019-08-08T06:25:06.777Z [INFO] Tearing down",
    ),
    (
        "timestamp",
        "2024-10-08T09:12:28.797Z",
        '{"time":"2024-10-08T09:12:28.797Z","level":"INFO","svc":"cart","msg":"request","method":"GET","path":"/healthz","status":200,"dur_ms":21,"trace_id":"1a26f88938703800"}',
    ),
    (
        "timestamp",
        "2018-12-16T10:11:03.695Z",
        "2018-12-16T10:11:03.695Z [INFO] linux/amd64, go1.11,",
    ),
    (
        "timestamp",
        "2023-04-25T14:37:30",
        'time="2023-04-25T14:37:30+08:00" level=debug msg="Applied config: {\\"nodePathMap\\":[{\\"node\\":\\"DEFAULT_PATH_FOR_NON_LISTED_NODES\\",\\"paths\\":[\\"/var/log/local\\"]}]}"',
    ),
    (
        "timestamp",
        "2025-03-14T12:27:46.040318Z",
        '{"component":"virt-launcher","level":"info","msg":"Sorted all collected sidecar sockets per hook point based on their priority and name: map[]","pos":"manager.go:91","timestamp":"2025-03-14T12:27:46.040318Z"}',
    ),
    (
        "timestamp",
        "2019-11-27T12:18:21Z",
        "| 2019-11-27T12:18:20Z | 2 | 2019-11-27T12:18:21Z | ClusterServiceVersion | RequirementsUnknown | ocs-operator.v0.0.1 | requirements not yet checked |",
    ),
    (
        "timestamp",
        "2024-06-19T07:50:23.920064875Z",
        '2024-06-19T07:50:23.920064875Z\tLEVEL(-2)\tsriov/sriov.go:270\tGetNetDevLinkSpeed(): get LinkSpeed\t{"device": "ens786f3"}',
    ),
    (
        "timestamp",
        "2024-06-19T07:50:23.91934352Z",
        '2024-06-19T07:50:23.91934352Z\tLEVEL(-2)\tsriov/sriov.go:270\tGetNetDevLinkSpeed(): get LinkSpeed\t{"device": "ens786f2"}',
    ),
    ("timestamp", "2018-07-24T21:00:50Z", "- lastTransitionTime: 2018-07-24T21:00:50Z"),
    (
        "timestamp",
        "2024-11-16T22:07:46Z",
        '{"level":"info","ts":"2024-11-16T22:07:46Z","logger":"setup.leader-election","caller":"leaderelection/leaderelection.go:126","msg":"leadership lost, stopped leading","id":"kyverno-background-controller-5d8b7c-hm2xq"}',
    ),
    (
        "timestamp",
        "2025-09-06T23:50:07Z",
        '2025-09-06T23:50:07Z\tINFO\tStarting workers\t{"controller": "tenantcontrolplane", "controllerGroup": "kamaji.clastix.io", "controllerKind": "TenantControlPlane", "worker count": 1}',
    ),
    (
        "node name",
        "ip-10-0-214-151.us-east-2.compute.internal",
        "ip-10-0-214-151.us-east-2.compute.internal   Ready                      worker   4h41m   v1.19.16+8203b20",
    ),
    (
        "node name",
        "ip-172-20-89-54.us-west-2.compute.internal",
        "etcd-manager-main-ip-172-20-89-54.us-west-2.compute.internal           1/1     Running            0          18m",
    ),
    (
        "node name",
        "ip-10-2-118-4.ap-southeast-2.compute.internal",
        "Jul 26 08:18:06 ip-10-2-118-4.ap-southeast-2.compute.internal kubelet[4537]: W0726 08:18:06.517655    4537 cni.go:172] Unable to update cni config: No networks found in /etc/",
    ),
    (
        "node name",
        "ip-172-20-97-147.eu-west-1.compute.internal",
        '10s       6m        6         queue-3385653009-c8bm4   Pod       spec.containers{queue}   Normal    Pulling      {kubelet ip-172-20-97-147.eu-west-1.compute.internal}   pulling image "awsid.dkr.ecr.eu-west-1.amazonaws.com/someproject/queue"',
    ),
    (
        "node name",
        "ip-192-168-14-36.us-west-2.compute.internal",
        "Normal   Scheduled              79s                default-scheduler                                     Successfully assigned kube-monkey-kubemonkey-5b58fcc9d8-59nbf to ip-192-168-14-36.us-west-2.compute.internal",
    ),
    (
        "node name",
        "ip-172-31-26-198.cn-north-1.compute.internal",
        "nacosdb-mysql-0   3/3     Running                 0             11m     100.86.8.69      ip-172-31-26-198.cn-north-1.compute.internal   <none>           <none>",
    ),
    (
        "node name",
        "ip-10-167-82-217.ap-southeast-1.compute.internal",
        "Normal   Started    1m                 kubelet, ip-10-167-82-217.ap-southeast-1.compute.internal  Started container",
    ),
    (
        "node name",
        "gke-gcloud-auth-plugin",
        "Octant gives an error such as this one as it is unable to find the gke-gcloud-auth-plugin which is the new auth method to connect to GKE cluster. More info can be found here: https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke",
    ),
    (
        "node name",
        "ip-172-16-8-231.eu-west-1.compute.internal",
        '2022-05-26 13:27:34 [ℹ]  node "ip-172-16-8-231.eu-west-1.compute.internal" is ready',
    ),
    (
        "node name",
        "ip-10-0-140-139.ec2.internal",
        'Warning  FailedMount             9s (x8 over 1m)  kubelet, ip-10-0-140-139.ec2.internal  MountVolume.SetUp failed for volume "volume-apache-ssl-conf" : configmap "apache-ssl-conf" not found',
    ),
    (
        "node name",
        "ip-10-202-138-139.ec2.internal",
        "Warning  Unhealthy              2m (x3 over 2m)  kubelet, ip-10-202-138-139.ec2.internal  Readiness probe failed: Get http:///var/run/cilium/cilium.sock/v1/healthz: dial unix /var/run/cilium/cilium.sock: connect: no such file or directory",
    ),
    (
        "node name",
        "gke-prod-default-pool-4f1c2a9e-x7kq",
        "nodeName: gke-prod-default-pool-4f1c2a9e-x7kq",
    ),
    (
        "volume name",
        "pvc-b595537e-c6bd-4ad7-a164-622cd57c051c",
        "[csi-attacher-58b856dcff-dcscp] I0918 03:58:13.248913       1 connection.go:184] GRPC error: rpc error: code = Aborted desc = The volume pvc-b595537e-c6bd-4ad7-a164-622cd57c051c is attaching",
    ),
    (
        "volume name",
        "pvc-0699eb59-8511-47be-8f39-1ed303e62a82",
        "vib-es-master-vib-es-master-1   Bound    pvc-0699eb59-8511-47be-8f39-1ed303e62a82   30Gi       RWO            ceph-block     20h",
    ),
    (
        "volume name",
        "pvc-c0d81c45-778e-44a3-8808-2179d8515c61",
        'AttachVolume.Attach failed for volume "pvc-c0d81c45-778e-44a3-8808-2179d8515c61" : rpc error: code = DeadlineExceeded desc = volume pvc-c0d81c45-778e-44a3-8808-2179d8515c61 failed to attach to node 192.168.110.154',
    ),
    (
        "volume name",
        "pvc-1cfed247-e7e4-4da8-b7d7-ffcefe3288c7",
        'time="2024-04-15T21:31:29Z" level=info msg="Creating volume pvc-1cfed247-e7e4-4da8-b7d7-ffcefe3288c7 at ip-1-1-23:/var/lib/rancher/k3s/storage/pvc-1cfed247-e7e4-4da8-b7d7-ffcefe3288c7_default_test-pvc"',
    ),
    (
        "volume name",
        "pvc-e3ad48dc-d722-43f6-9c1d-56f0a9705786",
        'Warning  FailedMount  88s (x17 over 19m)   kubelet            MountVolume.MountDevice failed for volume "pvc-e3ad48dc-d722-43f6-9c1d-56f0a9705786" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name org.democratic-csi.nfs not found in the list of registered',
    ),
    (
        "volume name",
        "pvc-ff88d0e4-3eed-4ea7-b79a-bab140864884",
        'Normal   SuccessfulAttachVolume  104s              attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-ff88d0e4-3eed-4ea7-b79a-bab140864884"',
    ),
    (
        "volume name",
        "pvc-e1bfd380-45a8-11e9-9f54-42bfe1a8eb9c",
        "persistentvolumeclaim/data-early-cow-postgresql-0   Bound    pvc-e1bfd380-45a8-11e9-9f54-42bfe1a8eb9c   8Gi        RWO            standard       5m2s",
    ),
    (
        "volume name",
        "pvc-eb00391f-f40d-44dd-b753-8bebdbb6d0f8",
        'time="2022-09-08T12:19:51Z" level=debug msg="Found 0 node has at least one schedulable disk" accessMode=rwo controller=longhorn-volume frontend=blockdev migratable=false node=k8s-worker-node-02 owner=k8s-worker-node-02 state=attached volume=pvc-eb00391f-f40d-44dd-b753-8bebdbb6d0f8',
    ),
    (
        "volume name",
        "pvc-9f8a9744-5255-4af5-a234-5c57d6dd24a1",
        "Mounting arguments: -t ext4 -o defaults /dev/longhorn/pvc-9f8a9744-5255-4af5-a234-5c57d6dd24a1 /export/pvc-9f8a9744-5255-4af5-a234-5c57d6dd24a1",
    ),
    (
        "volume name",
        "pvc-e9b72e86-129a-11ea-9a02-9abdbf393c78",
        'Multi-Attach error for volume "pvc-e9b72e86-129a-11ea-9a02-9abdbf393c78" Volume is already used by pod(s) prometheus-server-5c8b68f5cd-qrskq',
    ),
    (
        "volume name",
        "pvc-4a9462d2-17f4-4c32-9178-706b5b91f7bb",
        '>   Warning  FailedAttachVolume  2m15s (x115 over 3h54m)  attachdetach-controller                      AttachVolume.Attach failed for volume "pvc-4a9462d2-17f4-4c32-9178-706b5b91f7bb" : volume attachment is being deleted',
    ),
    (
        "volume name",
        "pvc-17417ec1-a2ca-11e9-99d2-0050568b72ee",
        "volumeName: pvc-17417ec1-a2ca-11e9-99d2-0050568b72ee",
    ),
    (
        "event name",
        "allocation-manager-6597bc46dc-wtqkj.1578834752099143",
        "59m         59m          1         allocation-manager-6597bc46dc-wtqkj.1578834752099143   Pod          spec.containers{allocation-manager}   Normal    Killing                 kubelet, ip-172-20-85-100.eu-west-1.compute.internal   Killing container with id docker://allocation-manager:Need to kill Pod",
    ),
    (
        "event name",
        "node-0.15628790a9a5f9fa",
        "default       1m          1m           1       node-0.15628790a9a5f9fa                                  VirtualMachineInstance                                           Normal    Deleted                virt-handler, minikube      VirtualMachineInstance stopping",
    ),
    (
        "event name",
        "com.15c2c0df99fbec73",
        "36m         36m          1         opnode2.identity.lsloyalty.com.15c2c0df99fbec73    Node                                                  Normal    Starting                      openshift-sdn, opnode2.identity.lsloyalty.com    Starting openshift-sdn.",
    ),
    (
        "event name",
        "db-backup-28593120.f530f0fa822943d9",
        "4m          Normal   Completed          job/db-backup-28593120               job-controller       Job completed                                             4m           1       db-backup-28593120.f530f0fa822943d9",
    ),
    (
        "event name",
        "checkout-g6jlsbkzsb-j9x8l.4261f4bd4e9871a3",
        "name: checkout-g6jlsbkzsb-j9x8l.4261f4bd4e9871a3",
    ),
    (
        "event name",
        "com.15c2c0bcc3600186",
        "38m         38m          1         opnode3.identity.lsloyalty.com.15c2c0bcc3600186    Node                                                  Normal    Starting                      kubelet, opnode3.identity.lsloyalty.com          Starting kubelet.",
    ),
    (
        "event name",
        "asb-2-29mxv.15281cd8235755b8",
        "2s          5s           2         asb-2-29mxv.15281cd8235755b8   Pod                     spec.containers{asb}   Warning   Failed                  kubelet, ocp-compute-21392639-0   Error: ImagePullBackOff",
    ),
    (
        "event name",
        "resource-test-bdfcd9f5-g8jq5.157e0a42f7ead471",
        "Name:             resource-test-bdfcd9f5-g8jq5.157e0a42f7ead471",
    ),
    (
        "event name",
        "details-v1-6d7ccf8ffc.156d541453321efd",
        "ATCH /api/v1/namespaces/default/events/details-v1-6d7ccf8ffc.156d541453321efd: (2.651089ms) 200 [hyperkube/v1.12.0 (linux/amd64) kubernetes/59ab39c/system:serviceaccount:kube-system:replicaset-controller [::1]:47352]",
    ),
    (
        "event name",
        "jenkins-1.1586fa0d908ce092",
        "26m         26m          1         jenkins-1.1586fa0d908ce092           ReplicationController                                 Normal    SuccessfulCreate              replication-controller                                    Created pod: jenkins-1-dzp92",
    ),
    (
        "event name",
        "example-kc-0.17b431108f7f7beb",
        '2024-02-16T00:44:02.3616540Z WARN: Event last seen 2024-02-16T00:43:51Z repeated 1 times - Warning Failed example-kc-0.17b431108f7f7beb Error: secret "example-kc-initial-admin" not found',
    ),
    (
        "event name",
        "registry-v1-j6noi.142de30bef3dc23b",
        "selfLink: /api/v1/namespaces/srrs-ci/events/registry-v1-j6noi.142de30bef3dc23b",
    ),
    (
        "ULID",
        "01H3VDS0JKWNQMQ3MN0EKJDG77",
        'ts=2024-04-15T07:15:15.640299722Z caller=bucket.go:746 level=debug msg="loading new block" id=01H3VDS0JKWNQMQ3MN0EKJDG77',
    ),
    (
        "ULID",
        "01H1K45K0FRT36S1RCAWHW7R9A",
        'ts=2024-04-15T07:15:15.640571349Z caller=bucket.go:746 level=debug msg="loading new block" id=01H1K45K0FRT36S1RCAWHW7R9A',
    ),
    (
        "ULID",
        "01H1K40KG2DG1JRJG23XNBMRR7",
        'ts=2024-04-15T07:15:15.64043739Z caller=bucket.go:746 level=debug msg="loading new block" id=01H1K40KG2DG1JRJG23XNBMRR7',
    ),
    (
        "ULID",
        "01CSR89QY9KFJZ5Q71CJY4N9QR",
        'level=info ts=2018-11-06T23:54:07.955252927Z caller=repair.go:39 component=tsdb msg="found healthy block" mint=1539453600000 maxt=1539475200000 ulid=01CSR89QY9KFJZ5Q71CJY4N9QR',
    ),
    (
        "ULID",
        "01CSRWWXW5HBBJT2G1EBW1WC02",
        'level=info ts=2018-11-06T23:54:07.95575467Z caller=repair.go:39 component=tsdb msg="found healthy block" mint=1539475200000 maxt=1539496800000 ulid=01CSRWWXW5HBBJT2G1EBW1WC02',
    ),
    (
        "ULID",
        "01CSQKPF927H8YWZV020XCS58A",
        'level=info ts=2018-11-06T23:54:07.954769258Z caller=repair.go:39 component=tsdb msg="found healthy block" mint=1539432000000 maxt=1539453600000 ulid=01CSQKPF927H8YWZV020XCS58A',
    ),
    (
        "ULID",
        "20240217064513134700000005",
        "│ Error: waiting for EKS Node Group (my-cluser:my-eks-managed-node-group-20240217064513134700000005) create: unexpected state 'CREATE_FAILED', wanted target 'ACTIVE'. last error: i-0738caa5a870a1536, i-0ac0190c2a8b18923: NodeCreationFailure: Instances failed to join the kubernetes cluster",
    ),
    (
        "ULID",
        "01CMEKAPKRKB35ST3SJA9Q594B",
        "The log messages always seem to reference block 01CMEKAPKRKB35ST3SJA9Q594B.",
    ),
    (
        "ULID",
        "01CSPAG4D1S2PP200F5S3GJ88A",
        'level=info ts=2018-11-06T23:54:07.953888964Z caller=repair.go:39 component=tsdb msg="found healthy block" mint=1539388800000 maxt=1539410400000 ulid=01CSPAG4D1S2PP200F5S3GJ88A',
    ),
    (
        "ULID",
        "01CSPZ38NCPGFATD9TC6BYVDQK",
        'level=info ts=2018-11-06T23:54:07.954345953Z caller=repair.go:39 component=tsdb msg="found healthy block" mint=1539410400000 maxt=1539432000000 ulid=01CSPZ38NCPGFATD9TC6BYVDQK',
    ),
    (
        "trace id",
        'trace_id": "aac5c9328f2e8f32291befda65336cc1',
        '2026-02-08T16:48:08.404Z\tINFO\tprovider\tkubernetes/controller.go:318\treconciling gateways\t{"runner": "provider", "trace_id": "aac5c9328f2e8f32291befda65336cc1", "span_id": "f00ee8cd63fea51a"}',
    ),
]

assert len(SAFE) >= 100 and all(value in line for _shape, value, line in SAFE)
