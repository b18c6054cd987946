"""The present judges the past: a client's refusal logged before its host's pods became ready
(it started first, retried and got through) accuses nobody; one logged since, still refused,
accuses the host.

The shop's cart is the host, its pod Running and ready since its Ready condition's transition;
frontend and checkout call it and log as the cascade app's tiers do on the real node (Go's
`log` prefix, a JSON logger's `ts`). Two clients refused by a healthy-looking host name the host
(tests/suspects/test_dependency_suspects.py); the times decide whether they are still refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.diagnosis.pod import Judge
from tests.suspects import shop as shops
from tests.suspects.ranked import suspects_of

READY = datetime(2026, 11, 28, 0, 32, 20, tzinfo=UTC)
"""When cart's pod became ready."""
CART_IP = "10.96.0.219"
PROXY_REFUSED = f"http: proxy error: dial tcp {CART_IP}:7070: connect: connection refused"
"""A Go reverse proxy's refusal, naming the Service's ClusterIP (as web's on the real node)."""


def _go(at: datetime, text: str) -> str:
    return f"{at:%Y/%m/%d %H:%M:%S} {text}"


def _json(at: datetime, text: str) -> str:
    ts = at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return f'{{"level":"info","logger":"checkout","msg":"{text}","ts":"{ts}","upstream":"cart"}}'


def _refused(at: datetime) -> str:
    return _json(at, "cart check failed: dial tcp cart:7070: connect: connection refused")


def _shop(frontend: list[str], checkout: list[str]) -> shops.Shop:
    shop = shops.healthy()
    shop.one("Service", "cart")["spec"]["clusterIP"] = CART_IP
    for condition in shop.pod("cart")["status"]["conditions"]:
        if condition["type"] in ("Ready", "ContainersReady"):
            condition["lastTransitionTime"] = READY.strftime("%Y-%m-%dT%H:%M:%SZ")
    for app, lines in (("frontend", frontend), ("checkout", checkout)):
        shop.logs[shop.pod(app)["metadata"]["name"]] = "\n".join(lines) + "\n"
    return shop


def _cart_suspects(shop: shops.Shop, judge: Judge) -> list[tuple[str, str, str]]:
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    return [(s.object, s.id, s.confidence) for s in suspects if s.object == "service/cart"]


def _before(seconds: int) -> datetime:
    return READY - timedelta(seconds=seconds)


def _since(seconds: int) -> datetime:
    return READY + timedelta(seconds=seconds)


def test_refusals_logged_before_the_host_was_ready_accuse_nobody(judge: Judge) -> None:
    # both clients started before cart, were refused, retried and got through
    frontend = [
        _go(_before(4), "serving on :8080"),
        _go(_before(3), PROXY_REFUSED),
        _go(_since(30), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 200 12 rt=0.003'),
    ]
    checkout = [_json(_before(5), "serving"), _refused(_before(2)), _json(_since(1), "cart ok")]
    assert _cart_suspects(_shop(frontend, checkout), judge) == []


def test_refusals_logged_since_the_host_became_ready_accuse_it(judge: Judge) -> None:
    # cart has been ready a minute and both clients are still refused: cart (its port, what
    # lets traffic in) comes first
    frontend = [
        _go(_since(50), PROXY_REFUSED),
        _go(
            _since(50), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 502 0 rt=0.001 upstream=cart:7070'
        ),
    ]
    checkout = [_json(_since(10), "serving"), _refused(_since(40)), _refused(_since(55))]
    found = _cart_suspects(_shop(frontend, checkout), judge)
    assert found and found[0][1] == "dependency-unreachable", found


def test_a_refusal_since_then_answered_is_history(judge: Judge) -> None:
    # refused a second after cart's Ready (its endpoints not yet everywhere), answered since
    frontend = [
        _go(_since(1), PROXY_REFUSED),
        _go(
            _since(1), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 502 0 rt=0.001 upstream=cart:7070'
        ),
        _go(
            _since(5), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 200 12 rt=0.002 upstream=cart:7070'
        ),
    ]
    checkout = [_refused(_since(1)), _json(_since(3), "cart reachable again")]
    assert _cart_suspects(_shop(frontend, checkout), judge) == []


def test_timeouts_in_the_second_the_host_became_ready_are_its_start_up(judge: Judge) -> None:
    # a Ready transition is whole seconds: calls that timed out within it may have preceded it
    timeout = f"http: proxy error: dial tcp {CART_IP}:7070: i/o timeout"
    frontend = [_go(READY, timeout)]
    checkout = [_json(READY + timedelta(milliseconds=526), f"cart check failed: {timeout}")]
    found = _cart_suspects(_shop(frontend, checkout), judge)
    assert not any(f[1] == "dependency-unreachable" or f[2] == "high" for f in found), found
    late = [_json(_since(2), f"cart check failed: {timeout}")]  # two seconds on: the present
    found = _cart_suspects(_shop([_go(_since(2), timeout)], late), judge)
    assert found and found[0][1] == "dependency-unreachable", found


def _described(frontend: list[str], checkout: list[str]) -> shops.Shop:
    """As a `describe` shows cart: its Ready condition without a transition time, its
    container's start (readiness cannot precede it)."""
    shop = _shop(frontend, checkout)
    pod = shop.pod("cart")
    for condition in pod["status"]["conditions"]:
        condition.pop("lastTransitionTime", None)
    for status in pod["status"]["containerStatuses"]:
        status["state"] = {"running": {"startedAt": READY.strftime("%Y-%m-%dT%H:%M:%SZ")}}
    return shop


def _traceback_refused() -> list[str]:
    """A Python client's traceback: only its head carries a time, its last line the cause."""
    return [
        f"{_before(9):%Y-%m-%d %H:%M:%S},939 ERROR [jobs] Job release raised an exception",
        "Traceback (most recent call last):",
        '  File "/app/jobs.py", line 19, in release',
        (
            "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (2003, \"Can't"
            " connect to MySQL server on 'cart' ([Errno 111] Connection refused)\")"
        ),
    ]


def _access(at: datetime, status: int) -> str:
    return f'10.88.0.1 - - [{at:%d/%b/%Y:%H:%M:%S} +0000] "GET /healthz HTTP/1.1" {status} 2 "-"'


def test_a_refusal_without_a_time_of_its_own_is_dated_by_the_next_line(judge: Judge) -> None:
    # the refusals' lines carry no time; the next lines were logged before cart's container
    # started, so they were too: nobody listened then
    frontend = [*_traceback_refused(), _access(_before(2), 200)]
    checkout = [*_traceback_refused(), _access(_before(1), 200)]
    assert _cart_suspects(_described(frontend, checkout), judge) == []
    # logged after it started (the next lines say so at the latest): still refused, it accuses
    frontend = [_access(_since(20), 200), *_traceback_refused()[1:], _access(_since(40), 500)]
    checkout = [_access(_since(25), 200), *_traceback_refused()[1:], _access(_since(45), 500)]
    found = _cart_suspects(_described(frontend, checkout), judge)
    assert found and found[0][1] == "dependency-unreachable", found


def test_one_client_timing_out_at_a_port_the_host_serves_names_the_host(judge: Judge) -> None:
    # checkout's address is right (cart serves 7070) and its calls still time out: something on
    # the way in drops them, so cart is a suspect (what lets traffic in: the input shows no
    # NetworkPolicies, so one it does not show); at a port cart does not serve, it is checkout's
    # own address and cart is not accused
    def timing_out(port: int) -> list[str]:
        said = f"cart check failed: dial tcp cart:{port}: i/o timeout"
        return [_json(_since(40), said), _json(_since(50), said)]

    frontend = [_go(_since(45), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 200 12 rt=0.003')]
    found = _cart_suspects(_shop(frontend, timing_out(7070)), judge)
    assert found and found[0][1] == "networkpolicy-blocking-traffic", found
    assert found[0][2] == "low", found
    found = _cart_suspects(_shop(frontend, timing_out(7071)), judge)
    assert not any(
        f[1] in ("dependency-unreachable", "networkpolicy-blocking-traffic") for f in found
    ), found


def test_one_client_timing_out_once_accuses_nobody(judge: Judge) -> None:
    # one timeout, said once (a client's start-up, a blip): not a path that drops its calls
    said = "cart check failed: dial tcp cart:7070: i/o timeout"
    checkout = [_json(_since(40), said), _json(_since(45), "order 42 placed")]
    frontend = [_go(_since(45), '10.88.0.9 - - "GET /cart/items HTTP/1.1" 200 12 rt=0.003')]
    found = _cart_suspects(_shop(frontend, checkout), judge)
    assert not any(f[1] == "dependency-unreachable" for f in found), found
