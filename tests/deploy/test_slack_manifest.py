"""deploy/slack-app-manifest.yaml says exactly what the bot does: the slash commands
and events bot/slack registers (no more, no fewer), interactivity when there are
buttons, and bot scopes that cover every Web API method bot/ calls and every
event it subscribes to, in public and private channels, with none to spare. It is
`kubemedic slack-manifest --socket-mode`'s output, and the HTTP-mode output names
the one URL the bot serves Slack on."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands.slack_manifest_cmd import render
from tests.cli.runner import kubemedic, kubemedic_in_process
from tests.deploy.bot_app import composed
from tests.deploy.kustomize import DEPLOY
from tests.deploy.test_workload import routes

MANIFEST = DEPLOY / "slack-app-manifest.yaml"
BOT = Path(__file__).resolve().parents[2] / "bot"

#: bot scopes each Web API method needs in public and private channels (the channels:* scope
#: covers public ones, groups:* private ones; https://api.slack.com/methods). conversations.join
#: has no private form (the bot is invited instead). A method the bot starts calling must be
#: added here, or test_every_called_method_is_in_the_table fails.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "chat.getPermalink": set(),  # Slack: no scope required
    "conversations.history": {"channels:history", "groups:history"},
    "conversations.replies": {"channels:history", "groups:history"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.list": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.join": {"channels:join"},
    "pins.add": {"pins:write"},
    "pins.remove": {"pins:write"},
    "pins.list": {"pins:read"},
    "users.info": {"users:read"},
    "reactions.add": {"reactions:write"},
    "views.open": set(),
    "views.update": set(),
    "views.publish": set(),
    "apps.connections.open": set(),  # doctor, with the app-level token (connections:write), not the bot's
}
#: bot scopes each subscribed event needs
EVENT_SCOPES: dict[str, set[str]] = {
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
    "message.mpim": {"mpim:history"},
    "app_mention": {"app_mentions:read"},
    "member_joined_channel": {"channels:read", "groups:read"},
    "channel_created": {"channels:read"},
    "app_home_opened": set(),
}
#: bolt registration methods, by what the manifest must declare for them
INTERACTIVE = {
    "action",
    "block_action",
    "attachment_action",
    "dialog_submission",
    "dialog_cancellation",
    "view",
    "view_submission",
    "view_closed",
    "options",
    "block_suggestion",
    "dialog_suggestion",
    "shortcut",
    "global_shortcut",
    "message_shortcut",
}
UNSUPPORTED = {"function", "step"}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


class Registered:
    """What compose registered, recorded at each bolt registration call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def of(self, *kinds: str) -> list[Any]:
        return [arg for kind, arg in self.calls if kind in kinds]

    @property
    def commands(self) -> set[str]:
        found = self.of("command")
        assert all(isinstance(c, str) for c in found), (
            f"patterns cannot be put in a manifest: {found}"
        )
        return set(found)

    @property
    def events(self) -> set[str]:
        events: set[str] = set()
        for event in self.of("event"):
            if isinstance(event, dict):
                event = event.get("type")
            assert isinstance(event, str), (
                f"an event pattern cannot be put in a manifest: {event!r}"
            )
            events.add(event)
        return events | ({"message"} if self.of("message") else set())


@pytest.fixture(scope="module")
def bolt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AsyncApp, Registered]]:
    registered = Registered()
    originals = {
        name: getattr(AsyncApp, name)
        for name in {"command", "event", "message"} | INTERACTIVE | UNSUPPORTED
    }

    def recording(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def register(self: AsyncApp, *args: Any, **kwargs: Any) -> Any:
            first = args[0] if args else next(iter(kwargs.values()), None)
            registered.calls.append((name, first))
            return original(self, *args, **kwargs)

        return register

    with pytest.MonkeyPatch.context() as patch:
        for name, original in originals.items():
            patch.setattr(AsyncApp, name, recording(name, original))
        loop = asyncio.new_event_loop()  # bolt's AsyncApp wants a loop while it is built
        try:
            app = loop.run_until_complete(_create(tmp_path_factory.mktemp("bolt")))
        finally:
            loop.close()
    yield app, registered


async def _create(tmp: Path) -> AsyncApp:
    return composed(tmp, socket_mode=True).chat.bolt


def manifest_commands(manifest: dict[str, Any]) -> set[str]:
    return {c["command"] for c in manifest["features"].get("slash_commands", [])}


def manifest_events(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["settings"]["event_subscriptions"]["bot_events"])


def as_code_event(manifest_event: str) -> str:
    """message.channels, message.groups, ... arrive as `message` events."""
    return manifest_event.split(".", 1)[0]


def scopes(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["oauth_config"]["scopes"]["bot"])


def test_slash_commands_are_the_registered_ones(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    _, registered = bolt
    assert registered.commands, "no command was registered: the recording is broken"
    assert manifest_commands(manifest) == registered.commands
    for command in manifest["features"]["slash_commands"]:
        assert command["description"] and command["should_escape"] is False
        # Socket Mode delivers commands over the socket; a url is for HTTP mode only
        assert "url" not in command


def test_events_are_the_registered_ones(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    _, registered = bolt
    assert {"message", "app_mention"} <= registered.events, "the recording is broken"
    assert {as_code_event(e) for e in manifest_events(manifest)} == registered.events
    if "message" in registered.events:  # pasted errors in public and private channels
        assert {"message.channels", "message.groups"} <= manifest_events(manifest)


def _event_body(event_type: str) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "channel": "C0DEPLOY",
        "user": "U0USER",
        "ts": "1.0",
        "text": "Back-off restarting failed container",
        "event_ts": "1.0",
    }
    if event_type == "channel_created":
        event["channel"] = {
            "id": "C0DEPLOY",
            "name": "inc-deploy",
            "created": 1,
            "creator": "U0USER",
        }
    return {
        "type": "event_callback",
        "team_id": "T0DEPLOY",
        "api_app_id": "A0DEPLOY",
        "event": event,
        "event_id": "Ev0DEPLOY",
        "event_time": 1,
    }


def test_every_manifest_event_and_command_reaches_a_listener(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    """The same thing through bolt's own matchers: what Slack sends for each subscription is
    matched by a registered listener."""
    app, _ = bolt
    bodies = {e: _event_body(as_code_event(e)) for e in manifest_events(manifest)}
    bodies |= {
        c: {
            "command": c,
            "text": "help",
            "team_id": "T0DEPLOY",
            "user_id": "U0USER",
            "channel_id": "C0DEPLOY",
            "response_url": "http://127.0.0.1:9/r",
            "trigger_id": "1.2",
        }
        for c in manifest_commands(manifest)
    }
    bodies["unsubscribed"] = _event_body("reaction_added")

    async def matched(body: dict[str, Any]) -> bool:
        request = AsyncBoltRequest(body=body, mode="socket_mode")
        return any(
            [
                await listener.async_matches(req=request, resp=BoltResponse(status=200))
                for listener in app._async_listeners
            ]
        )

    async def all_matched() -> dict[str, bool]:
        return {name: await matched(body) for name, body in bodies.items()}

    assert asyncio.run(all_matched()) == {name: name != "unsubscribed" for name in bodies}


def test_the_home_tab_is_on_exactly_when_a_listener_publishes_it(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    _, registered = bolt
    home = manifest["features"].get("app_home", {})
    assert "app_home_opened" in registered.events, "App Home shows usage and the catalog link"
    assert home.get("home_tab_enabled") is True and "app_home_opened" in manifest_events(manifest)
    # direct messages are direct asks (bot/slack/events.py): the Messages tab is where people write them
    assert home.get("messages_tab_enabled") is True and "message.im" in manifest_events(manifest)
    assert home.get("messages_tab_read_only_enabled") is False


def test_interactivity_and_socket_mode(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    _, registered = bolt
    settings = manifest["settings"]
    assert registered.of(*INTERACTIVE), "the bot has buttons: the recording is broken"
    assert settings["interactivity"]["is_enabled"] is True
    assert not registered.of(*UNSUPPORTED)
    shortcuts = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    assert shortcuts == set(registered.of("shortcut", "global_shortcut", "message_shortcut"))
    assert settings["socket_mode_enabled"] is True
    # Socket Mode: no request URLs (HTTP mode adds them, as the manifest's comment says)
    assert "request_url" not in settings["event_subscriptions"]
    assert "request_url" not in settings["interactivity"]
    assert settings["org_deploy_enabled"] is False and settings["token_rotation_enabled"] is False
    assert manifest["features"]["bot_user"]["display_name"]
    assert manifest["display_information"]["name"]


def called_methods(root: Path = BOT) -> dict[str, list[str]]:
    """Web API methods called anywhere in bot/: `client.chat_postMessage(`, however the
    client is named, a client method passed on (`call(client.pins_add, ...)`), one named in a string (`getattr(client, "conversations_replies")`)
    and `api_call("chat.postMessage"`; method -> where."""
    names = {n for n, f in inspect.getmembers(AsyncWebClient, callable) if not n.startswith("_")}
    names -= {"api_call"} | {n for n in names if not re.search(r"[a-z]_[a-zA-Z]", n)}
    calls: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found = [
            (name.replace("_", "."), m.start())
            for m in re.finditer(r"\.(\w+)\s*[(,)]|['\"](\w+)['\"]", text)
            if (name := m.group(1) or m.group(2)) in names
        ]
        found += [
            (m.group(1), m.start()) for m in re.finditer(r"api_call\(\s*['\"]([\w.]+)['\"]", text)
        ]
        for method, at in found:
            calls.setdefault(method, []).append(
                f"{path.relative_to(root.parent)}:{text.count(chr(10), 0, at) + 1}"
            )
    return calls


def listener_helpers(app: AsyncApp) -> set[str]:
    """Web API methods bolt calls for listeners that take `say` (chat.postMessage)."""
    parameters = {
        p
        for listener in app._async_listeners
        for p in inspect.signature(listener.ack_function).parameters
    }
    return {"chat.postMessage"} if "say" in parameters else set()


def test_the_method_scan_finds_calls(tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "x.py").write_text(
        "await client.chat_postMessage(channel=c)\nawait web.reactions_add (name='x')\n"
        "client.api_call('files.upload', params={})\nthing.update(x)\n"
        "pages('conversations_replies', channel=c)\nlabel = 'update'\n"
    )
    assert set(called_methods(tmp_path / "bot")) == {
        "chat.postMessage",
        "reactions.add",
        "files.upload",
        "conversations.replies",
    }


def test_every_called_method_is_in_the_table() -> None:
    calls = called_methods()
    assert {"chat.postMessage", "auth.test"} <= set(calls), "the scan is broken"
    missing = {m: where for m, where in calls.items() if m not in METHOD_SCOPES}
    assert not missing, f"add these Web API methods and their scopes to METHOD_SCOPES: {missing}"


def needed_scopes(
    app: AsyncApp, registered: Registered, manifest: dict[str, Any]
) -> dict[str, set[str]]:
    """scope -> what needs it."""
    needed: dict[str, set[str]] = {}
    for method in set(called_methods()) | listener_helpers(app):
        for scope in METHOD_SCOPES.get(method, set()):
            needed.setdefault(scope, set()).add(method)
    for event in manifest_events(manifest):
        assert event in EVENT_SCOPES, f"add {event} and its scopes to EVENT_SCOPES"
        for scope in EVENT_SCOPES[event]:
            needed.setdefault(scope, set()).add(f"event {event}")
    if registered.commands:
        needed.setdefault("commands", set()).update(registered.commands)
    return needed


def test_scopes_cover_every_call_and_event_and_no_more(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    app, registered = bolt
    needed = needed_scopes(app, registered, manifest)
    granted = scopes(manifest)
    assert {s: needed[s] for s in set(needed) - granted} == {}, "missing bot scopes"
    assert granted - set(needed) == set(), "bot scopes nothing uses (least privilege)"
    assert "user" not in manifest["oauth_config"]["scopes"], "the bot acts with its own token only"


def test_the_scope_check_fails_without_a_needed_scope(
    bolt: tuple[AsyncApp, Registered], manifest: dict[str, Any]
) -> None:
    app, registered = bolt
    needed = needed_scopes(app, registered, manifest)
    assert needed["pins:write"] == {"pins.add"}
    assert needed["chat:write"] >= {"chat.postMessage", "chat.update"}
    assert needed["app_mentions:read"] == {"event app_mention"}
    # private channels: their history for summaries and pasted errors, their info for incidents
    assert needed["groups:history"] >= {
        "conversations.history",
        "conversations.replies",
        "event message.groups",
    }
    assert needed["groups:read"] >= {"conversations.info", "event member_joined_channel"}


def test_the_committed_manifest_is_the_generated_socket_mode_one() -> None:
    """Nothing in it is edited by hand: `kubemedic slack-manifest --socket-mode` reproduces it."""
    generated = kubemedic("slack-manifest", "--socket-mode")
    assert generated.code == 0, generated.stderr
    assert generated.stdout == MANIFEST.read_text(), (
        "run `kubemedic slack-manifest --socket-mode > deploy/slack-app-manifest.yaml`"
    )


@pytest.mark.parametrize(
    "given",
    [
        "https://kubemedic.example.com",
        "https://kubemedic.example.com/",
        "https://kubemedic.example.com/slack/events",
    ],
)
def test_http_mode_fills_the_one_request_url_everywhere(
    given: str, manifest: dict[str, Any]
) -> None:
    done = kubemedic_in_process("slack-manifest", "--url", given)
    assert done.code == 0, done.stderr
    http = yaml.safe_load(done.stdout)
    url = "https://kubemedic.example.com/slack/events"
    assert [c["url"] for c in http["features"]["slash_commands"]] == [url]
    assert http["settings"]["event_subscriptions"]["request_url"] == url
    assert http["settings"]["interactivity"]["request_url"] == url
    assert (
        http["settings"]["interactivity"]["message_menu_options_url"] == url
    )  # the dialog's catalog search
    assert http["settings"]["socket_mode_enabled"] is False
    assert ("POST", "/slack/events") in routes(http_mode=True), "the URL is one the bot serves"
    assert "https://kubemedic.example.com/slack/events" in done.stdout.split("\n_metadata")[0], (
        "header says where"
    )
    # apart from the URLs and the mode, the same app as the committed manifest
    for command in http["features"]["slash_commands"]:
        command.pop("url")
    http["settings"]["event_subscriptions"].pop("request_url")
    http["settings"]["interactivity"].pop("request_url")
    http["settings"]["interactivity"].pop("message_menu_options_url")
    http["settings"]["socket_mode_enabled"] = True
    assert http == manifest


def test_a_path_prefix_and_port_are_kept_and_socket_mode_can_carry_urls() -> None:
    both = yaml.safe_load(
        render(url="https://edge.example.com:8443/bots/kubemedic", socket_mode=True)
    )
    assert both["settings"]["socket_mode_enabled"] is True
    assert (
        both["settings"]["event_subscriptions"]["request_url"]
        == "https://edge.example.com:8443/bots/kubemedic/slack/events"
    )


def test_without_flags_it_prints_the_default_installs_socket_mode_manifest() -> None:
    """One mode rule: no request URL is Socket Mode, the default install's (deploy/ and the chart)."""
    bare = kubemedic_in_process("slack-manifest")
    assert bare.code == 0, bare.stderr
    assert bare.stdout == MANIFEST.read_text()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--url", "http://kubemedic.example.com"), "must be an https:// address"),
        (("--url", "kubemedic.example.com"), "must be an https:// address"),
        (("--url", "https://kubemedic.example.com/?token=x"), "without query"),
        (("--url", "https://user:pw@kubemedic.example.com"), "credentials"),
    ],
)
def test_unusable_urls_get_one_line_and_exit_2(args: tuple[str, ...], says: str) -> None:
    done = kubemedic_in_process("slack-manifest", *args)
    assert done.code == 2 and done.stdout == ""
    assert says in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
