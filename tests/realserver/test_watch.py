"""Real watch streams, and what they do when the API server restarts mid-watch.

These pin down the server's side of the list/watch contract the watcher
(issue 14) relies on: events arrive in order with resourceVersions, a
restart ends the stream (it does not hang), and resuming from the last
resourceVersion either continues without loss or answers 410 Gone, after
which a re-list shows everything and a new watch continues from it.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.realserver.api import Api, Obj
from tests.realserver.lab import Lab
from tests.realserver.server import RealServer
from tests.realserver.watch import WatchStream, is_gone, last_version, resume
from tests.standins import kube_objects as ko

Watch = Callable[[str, str], WatchStream]


def _pod(lab: Lab, name: str) -> Obj:
    return lab.pod(ko.pod(name=name, namespace=lab.namespace, node_name=None))


def _names(events: list[Obj], kind: str = "ADDED") -> list[str]:
    return [e["object"]["metadata"]["name"] for e in events if e["type"] == kind]


def test_a_watch_streams_changes_in_order_from_its_resource_version(
    lab: Lab, admin: Api, watch: Watch
) -> None:
    path = f"/api/v1/namespaces/{lab.namespace}/pods"
    _pod(lab, "old")
    listed = admin.list("Pod", lab.namespace)
    stream = watch(path, listed["metadata"]["resourceVersion"])
    _pod(lab, "first")
    _pod(lab, "second")
    admin.delete_now("Pod", "first", lab.namespace)
    seen = stream.until("second")
    while not any(e["type"] == "DELETED" for e in seen):
        event = stream.next()
        assert event is not None, stream.ended
        seen.append(event)
    assert _names(seen) == ["first", "second"]  # "old" came with the list, not the watch
    assert _names(seen, "DELETED") == ["first"]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in seen]
    assert versions == sorted(versions)


def test_a_resource_version_too_old_to_resume_from_is_410_gone_in_the_stream(
    lab: Lab, realserver: RealServer, watch: Watch
) -> None:
    # What is "too old" is decided by the API server's watch cache, which starts from a list
    # at start-up: on a young etcd that list is at revision ~1, so resourceVersion 1 is still
    # served from the cache. Restarted, the server lists again at the current revision, and
    # 1 is older than anything it can replay (as on any server that has run a while).
    realserver.restart()
    stream = watch(f"/api/v1/namespaces/{lab.namespace}/pods", "1")
    event = stream.next(timeout=30.0)
    assert is_gone(event), event  # an ERROR event in a 200 stream, not an HTTP error


def test_a_watch_survives_an_api_server_restart(
    lab: Lab, admin: Api, realserver: RealServer, watch: Watch
) -> None:
    path = f"/api/v1/namespaces/{lab.namespace}/pods"
    listed = admin.list("Pod", lab.namespace)
    stream = watch(path, listed["metadata"]["resourceVersion"])
    _pod(lab, "before")
    seen = stream.until("before")
    realserver.restart()
    while (event := stream.next(timeout=30.0)) is not None:  # drain: it must end, not hang
        seen.append(event)
    assert stream.ended is not None
    version = last_version(seen, listed["metadata"]["resourceVersion"])
    _pod(lab, "during")  # changed while nobody watched
    resumed = resume(admin, path, version)
    if resumed.relisted:  # 410 Gone: the re-list must show what the watch missed
        assert {"before", "during"} <= resumed.listed
    else:  # resumed in place: the missed change arrives first
        resumed.stream.until("during")
    _pod(lab, "after")
    assert "after" in _names(resumed.stream.until("after"))
    resumed.stream.close()
