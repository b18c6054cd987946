"""People's words and runtime lines for image pulls (missing images, credentials, rate limits,
unreachable registries), read by the entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.catalogs import builtin_matcher
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "E0902 17:08:30.672936    5467 kuberuntime_manager.go:801] container start failed: ErrImagePull: "
            "rpc error: code = Unknown desc = Error response from daemon: Get "
            "http://registry.internal:8083/v2/team/api/manifests/1.4.0: no basic auth credentials\n"
        ),
        answer="image-pull-unauthorized",
        why="a pull the docker daemon refused for want of credentials is unauthorized",
    ),
    Case(
        (
            'kubectl describe pods shows: Failed to pull image "registry.example.com/team/api:v1.6.1": rpc '
            "error: code = 2 desc = Tag v1.6.1 not found in repository registry.example.com/team/api\n"
        ),
        answer="image-not-found",
        why="the docker daemons tag not found is an image that does not exist",
    ),
    Case(
        (
            "The web pods stay in ImagePullBackOff. It appears the 3.2.0 tag does not yet exist for the "
            "acme/web image.\n"
        ),
        answer="image-not-found",
        why="a tag said not to exist is the missing image",
    ),
    Case(
        (
            "We are seeing ImagePullBackOff in staging; the tag acme/web:3.2.0-r1 no longer exists on Docker "
            "Hub.\n"
        ),
        answer="image-not-found",
        why="a tag said not to exist is the missing image",
    ),
    Case(
        (
            "I can't find the tag acme/web:3.2.0 anywhere, and the deployment is stuck in ErrImagePull.\n"
        ),
        answer="image-not-found",
        why="a tag said not to exist is the missing image",
    ),
    Case(
        (
            "Pod fails to start with an ImagePullBackOff. Appears to be due to a wrong web image tag.\n"
        ),
        answer="image-not-found",
        why="a tag said not to exist is the missing image",
    ),
    Case(
        "The git tag v3.2.0 is what the release workflow builds from.\n",
        not_answer="image-not-found",
        why="talk of tags that says none is missing is no answer",
    ),
    Case(
        "Which image tag should I use for the 3.x chart?\n",
        not_answer="image-not-found",
        why="talk of tags that says none is missing is no answer",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason   Age   From     Message\n"
            "  ----     ------   ----  ----     -------\n"
            '  Warning  Failed   2m    kubelet  Failed to pull image "bitnami/redis:7.2": rpc error: code = '
            'Unknown desc = failed to pull and unpack image "docker.io/bitnami/redis:7.2": failed to do '
            "request: Get https://registry-1.docker.io/v2/bitnami/redis/manifests/7.2: net/http: HTTP/1.x "
            "transport connection broken: malformed MIME header line: Too Many Requests (HAP429).\n"
        ),
        answer="image-pull-rate-limited",
        why="docker hub s front proxy 429 is the pull rate limit",
    ),
    Case(
        (
            'Error: UPGRADE FAILED: Deployment.apps "web" is invalid: '
            '[spec.template.spec.containers[0].volumeMounts[1].name: Not found: "cache"]\n'
        ),
        not_answer="image-not-found",
        why="a field path not found is no missing image",
    ),
    Case(
        (
            'Warning  Failed  3m  kubelet  Failed to pull image "acme/runner:2": rpc error: code = Unknown '
            'desc = failed to pull and unpack image "docker.io/acme/runner:2": failed to read expected '
            "number of bytes: unexpected EOF\n"
        ),
        answer="image-registry-unreachable",
        why="a pull whose connection broke mid download",
    ),
    # kaniko's push-permission check, and go-containerregistry's upload and manifest writes
    Case(
        (
            "error checking push permissions -- make sure you entered the correct tag name, and that you are "
            "authenticated correctly, and try again: checking push permission for "
            '"registry.example.com/team/app:1.2": POST '
            "https://registry.example.com/v2/team/app/blobs/uploads/: UNAUTHORIZED: authentication required\n"
        ),
        not_answer="image-pull-unauthorized",
        why="a push refused is no image pull",
    ),
    Case(
        (
            "PUT https://registry.example.com/v2/team/app/manifests/1.2: unexpected status code 401 "
            "Unauthorized: UNAUTHORIZED: authentication required\n"
        ),
        not_answer="image-pull-unauthorized",
        why="a push refused is no image pull",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/team/app:1.2": failed to resolve reference '
            '"registry.example.com/team/app:1.2": unexpected status code [manifests 1.2]: 401 Unauthorized\n'
        ),
        answer="image-pull-unauthorized",
        why="a pull refused is still the pull",
    ),
    Case(
        "The install fails because there is no image with that tag on Docker Hub.\n",
        answer="image-not-found",
        why="image and address failures in words",
    ),
    Case(
        "The cluster cannot start new pods due to IP exhaustion on the subnet.\n",
        answer="cni-sandbox-failed",
        why="image and address failures in words",
    ),
    Case(
        "After a week the nodes ran out of pod IPs.\n",
        answer="cni-sandbox-failed",
        why="image and address failures in words",
    ),
    # a program's EACCES printed the same way is no registry's answer
    Case(
        (
            '  Warning  Failed  3m (x4 over 4m)  kubelet  Failed to pull image "gcr.io/example/app:v1.2.0": '
            'rpc error: code = Unknown desc = denied: Permission denied for "v1.2.0" from request '
            '"/v2/example/app/manifests/v1.2.0".\n'
        ),
        answer="image-pull-unauthorized",
        why="a registry denial handed through the cri is the pull refused",
    ),
    # a program's EACCES printed the same way is no registry's answer (the app states a path it
    # may not write: issue 75's stated cause names the volume's permissions)
    Case(
        "PermissionError: [Errno 13] Permission denied: '/var/lib/data/x'\n",
        not_answer="image-pull-unauthorized",
        why="a registry denial handed through the cri is the pull refused",
    ),
    Case(
        "How do I configure the imagePullSecret for a private registry?\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "The DNS lookups work fine from the pod now.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "The storage class exists and the claim is Bound.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "The pod restarted once after the upgrade and is fine now.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "We raised the memory limit and nothing is killed any more.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "The CNI plugin is ready on all nodes.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        "Our issuer is ready and the certificate was issued.\n",
        answer=None,
        why="the same subjects said healthy get no answer",
    ),
    Case(
        (
            "Error response from daemon: Get https://registry.example.com/v2/: read tcp "
            "10.0.0.11:51506->203.0.113.7:443: read: connection reset by peer\n"
        ),
        answer="image-registry-unreachable",
        why="a registry request broken at the network is the registry unreachable",
    ),
    Case(
        (
            "Error response from daemon: Get https://registry.example.com/v2/: dial tcp 203.0.113.7:443: "
            "connect: no route to host\n"
        ),
        answer="image-registry-unreachable",
        why="a registry request broken at the network is the registry unreachable",
    ),
    Case(
        (
            'Warning  Failed  12s  kubelet  Failed to pull image "registry.example.com/team/api:1.4.2": '
            "Error response from daemon: unauthorized: authentication required\n"
        ),
        answer="image-pull-unauthorized",
        why="a registry refusing the pull is no api server unauthorized",
    ),
    Case(
        "error: You must be logged in to the server (Unauthorized)\n",
        answer="kubectl-unauthorized",
        why="a registry refusing the pull is no api server unauthorized",
    ),
    Case(
        (
            'docker push: pushing image "localhost:5000/app": unexpected status from POST request to '
            "http://localhost:5000/v2/app/blobs/uploads/: 404 Not Found\n"
        ),
        answer=None,
        why="a push refused is no pull failing",
    ),
    Case(
        (
            "The pod never starts: image 'registry.example.com/team/api:v3.1.0' not found in repository.\n"
        ),
        answer="image-not-found",
        why="an image not found where images are kept is a missing image",
    ),
    Case(
        "The image pull secret was not found in the namespace.\n",
        not_answer="image-not-found",
        why="an image not found where images are kept is a missing image",
    ),
    Case(
        (
            "I added the imagePullSecrets to the deployment as the chart says, but:\n"
            "Events:\n"
            "  Type     Reason     Age   From               Message\n"
            "  ----     ------     ----  ----               -------\n"
            "  Normal   Scheduled  40s   default-scheduler  Successfully assigned shop/api-5f7 to node-1\n"
            "  Normal   BackOff    12s   kubelet            Back-off pulling image "
            '"registry.corp.example/shop/api:2.3"\n'
            "  Warning  Failed     12s   kubelet            Error: ImagePullBackOff\n"
        ),
        answer="image-pull-unauthorized",
        why="a pull back off in a paste about pull credentials is the credentials",
    ),
    Case(
        (
            "Pulling from our private registry never works:\n"
            "Events:\n"
            "  Type     Reason     Age   From               Message\n"
            "  ----     ------     ----  ----               -------\n"
            "  Normal   Scheduled  40s   default-scheduler  Successfully assigned shop/api-5f7 to node-1\n"
            "  Normal   BackOff    12s   kubelet            Back-off pulling image "
            '"registry.corp.example/shop/api:2.3"\n'
            "  Warning  Failed     12s   kubelet            Error: ImagePullBackOff\n"
        ),
        answer="image-pull-unauthorized",
        why="a pull back off in a paste about pull credentials is the credentials",
    ),
    # YAML keys and API groups that merely contain the words are not about pulling
    Case(
        (
            "The api pod never starts:\n"
            "Events:\n"
            "  Type     Reason     Age   From               Message\n"
            "  ----     ------     ----  ----               -------\n"
            "  Normal   Scheduled  40s   default-scheduler  Successfully assigned shop/api-5f7 to node-1\n"
            "  Normal   BackOff    12s   kubelet            Back-off pulling image "
            '"registry.corp.example/shop/api:2.3"\n'
            "  Warning  Failed     12s   kubelet            Error: ImagePullBackOff\n"
        ),
        not_answer="image-pull-unauthorized",
        why="a pull back off with nothing about credentials names no cause",
    ),
    # YAML keys and API groups that merely contain the words are not about pulling
    Case(
        (
            "spec:\n"
            "  credential: aws-credential\n"
            "clusterrolebinding.rbac.authorization.k8s.io/gather created\n"
            "Events:\n"
            "  Type     Reason     Age   From               Message\n"
            "  ----     ------     ----  ----               -------\n"
            "  Normal   Scheduled  40s   default-scheduler  Successfully assigned shop/api-5f7 to node-1\n"
            "  Normal   BackOff    12s   kubelet            Back-off pulling image "
            '"registry.corp.example/shop/api:2.3"\n'
            "  Warning  Failed     12s   kubelet            Error: ImagePullBackOff\n"
        ),
        not_answer="image-pull-unauthorized",
        why="a pull back off with nothing about credentials names no cause",
    ),
    # an application's own versioned API refused is no registry
    Case(
        (
            "pulling image error : Get http://10.20.0.7:5000/v2/: dial tcp 10.20.0.7:5000: connect: "
            "connection refused"
        ),
        answer="image-registry-unreachable",
        why="a plain http registry ping refused is the registry not reached",
    ),
    # an application's own versioned API refused is no registry
    Case(
        (
            'unable to query schema: Get "http://127.0.0.1:9000/v1/config/schema": dial tcp 127.0.0.1:9000: '
            "connect: connection refused"
        ),
        not_answer="image-registry-unreachable",
        why="a plain http registry ping refused is the registry not reached",
    ),
    Case(
        "The pods stay in ImagePullBackOff because tag 2.7.1 is not available in the repository.",
        answer="image-not-found",
        why="an image or tag said missing beside its pull failure is the missing image",
    ),
    Case(
        "We deployed a bad docker image, and the pod shows ErrImagePull since then.",
        answer="image-not-found",
        why="an image or tag said missing beside its pull failure is the missing image",
    ),
    Case(
        (
            'Failed to apply default image tag "Web:Latest": couldn\'t parse image reference "Web:Latest": '
            "invalid reference format: repository name must be lowercase"
        ),
        not_answer="image-not-found",
        why="a bad image name is not a missing image",
    ),
    Case(
        (
            "Warning  FailedCreatePodSandBox  91s  kubelet  Failed to create pod sandbox: rpc error: code = "
            'Unknown desc = failed to get sandbox image "registry.k8s.io/pause:3.9": failed to pull image '
            '"registry.k8s.io/pause:3.9": failed to pull and unpack image "registry.k8s.io/pause:3.9": '
            'failed to resolve reference "registry.k8s.io/pause:3.9": failed to do request: Head '
            '"https://registry.k8s.io/v2/pause/manifests/3.9": dial tcp: lookup registry.k8s.io on '
            "10.0.0.2:53: no such host"
        ),
        answer="image-registry-unreachable",
        why="a sandbox whose pause image cannot be looked up is the unreachable registry",
    ),
    Case(
        (
            'Unable to fetch image "registry.example.com:5000/team/web": failed to resolve image to digest: '
            "GET https://registry.example.com:5000/v2/token?scope=repository%3Ateam%2Fweb%3Apull: unexpected "
            "status code 401 Unauthorized"
        ),
        answer="image-pull-unauthorized",
        why="a registry token refused to a digest resolver is an unauthorized pull",
    ),
    Case(
        "The member pod sits in ImagePullBackOff since the docker hub's rate limited us.",
        answer="image-pull-rate-limited",
        why="docker hub said rate limited beside a pull back off is the rate limit",
    ),
    Case(
        (
            "I got throttled by docker hub:\n"
            'Failed to pull image "docker.io/kindest/kindnetd:v1": rpc error: code = NotFound desc = failed '
            'to pull and unpack image "docker.io/kindest/kindnetd:v1": failed to unpack image on snapshotter '
            "overlayfs: unexpected media type text/html for sha256:c3943df42b45\n"
        ),
        answer="image-pull-rate-limited",
        why="a pull throttled by docker hub is the limit not a missing image",
    ),
    Case(
        (
            "The managed policy arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly is missing from "
            "the node role.\n"
            "This causes an ImagePullBackOff during any image pull from our ECR registry."
        ),
        answer="image-pull-unauthorized",
        why="a pull back off beside the nodes missing ecr read policy is an unauthorized pull",
    ),
    Case(
        (
            'Warning  Failed  2m (x4 over 5m)  kubelet  Failed to pull image "web:1.2": rpc error: code = '
            'Unknown desc = failed to pull and unpack image "docker.io/library/web:1.2": failed to resolve '
            'reference "docker.io/library/web:1.2": failed to do request: Head '
            '"https://registry-1.docker.io/v2/library/web/manifests/1.2": dial tcp: lookup '
            "registry-1.docker.io: Temporary failure in name resolution"
        ),
        answer="image-registry-unreachable",
        why="a pull whose registry lookup fails temporarily is the registry unreachable",
    ),
    Case(
        "Even after adding imagePullSecrets I am getting the imagepull backoff error.",
        answer="image-pull-unauthorized",
        why="imagepullbackoff written as words is the status",
    ),
    Case(
        "the pod stays in image pull back-off although the pull secret exists",
        answer="image-pull-unauthorized",
        why="imagepullbackoff written as words is the status",
    ),
    Case(
        (
            "The kubelet is trying to pull the pause image from the internet, but since this is an "
            "air-gapped environment, the network is unreachable."
        ),
        answer="image-registry-unreachable",
        why="a pull into an air gapped node is the registry unreachable",
    ),
    Case(
        "If one of these images does get evicted future pulls will fail for air-gapped clusters.",
        not_answer="image-registry-unreachable",
        why="air gapped pulls supposed are no failure",
    ),
    Case(
        "The pods sit in ImagePullBackOff, error unauthorized, although the secret is set.\n",
        answer="image-pull-unauthorized",
        why="read as image-pull-unauthorized",
    ),
    # -o yaml doubles an apostrophe inside a single-quoted value; the kubelet's own words are read
    Case(
        (
            "  message: 'container''s runAsUser breaks non-root policy (pod: \"web-0_default(0f1e)\", "
            "container: web)'\n"
        ),
        answer="run-as-non-root-image-root",
        why="read as run-as-non-root-image-root",
    ),
    Case(
        "The step uses an image that does not exist.\n",
        answer="image-not-found",
        why="failures said in words",
    ),
    Case(
        "The vendor's images were removed from Docker Hub last month.\n",
        answer="image-not-found",
        why="failures said in words",
    ),
    Case(
        (
            "Every night the nodes get rate limited by Docker Hub and the DaemonSet rollout times out.\n"
        ),
        answer="image-pull-rate-limited",
        why="failures said in words",
    ),
    Case(
        "Our CI runners keep hitting the Docker Hub rate limit.\n",
        answer="image-pull-rate-limited",
        why="failures said in words",
    ),
    Case(
        "The user image gave 'invalid reference format' and the step never ran.\n",
        answer="invalid-image-name",
        why="failures said in words",
    ),
    Case(
        (
            'dockerd[1087]: level=error msg="Not continuing with pull after error" error="manifest unknown: '
            'Requested entity was not found."'
        ),
        answer="image-not-found",
        why="read as image-not-found",
    ),
    Case(
        "We found a 401 error response for pulling from ECR while the control plane was built.",
        answer="image-pull-unauthorized",
        why="read as image-pull-unauthorized",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_pull_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_the_matcher_marks_an_entry_capped_for_missing_context() -> None:
    # the back-off alone names refused credentials only in a paste about credentials (`requires`)
    back_off = (
        "NAME                   READY   STATUS             RESTARTS   AGE\n"
        "api-6c9f7d8b5-x2x7k    0/1     ImagePullBackOff   0          52s\n"
    )
    matches = {match.id: match for match in builtin_matcher().match(back_off, top=5)}
    assert matches["image-pull-unauthorized"].context_missing
    about_secret = "The imagePullSecrets are set on the deployment, yet:\n" + back_off
    matches = {match.id: match for match in builtin_matcher().match(about_secret, top=5)}
    assert not matches["image-pull-unauthorized"].context_missing
