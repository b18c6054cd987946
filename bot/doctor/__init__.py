"""`kubemedic doctor`: check an install end to end, one line per check, each failure with its fix.

The checks run what the bot will run (auth.test, the request URL Slack
posts to, the database it opens, the catalog it loads, the clusters it
reads) without changing anything, so a missing scope, secret or RBAC rule
shows up right after `kubectl apply`, not when someone types /diagnose.
"""

from __future__ import annotations

from bot.doctor.chat_checks import mattermost_checks, teams_check
from bot.doctor.clusters import cluster_checks
from bot.doctor.database import database
from bot.doctor.mcp_check import mcp_check
from bot.doctor.slack_checks import (
    requests_reach_the_bot,
    routed_channels,
    slack_not_set_up,
    token_and_scopes,
)
from bot.doctor.tools import tool_checks
from bot.noise.routing import RECEIVER_OFF_FIX, Routing, RoutingProblems, load_routing, receiver_off
from bot.remediation.tokens import weak_key_reason
from bot.runtime.shared_secrets import OPERATOR_CHOSEN, typed_secrets
from bot.settings import Settings
from intents.loader import load_catalog
from responses.doctor import Check, DoctorReport


def catalog(settings: Settings) -> Check:
    """The built-in catalog plus KUBEMEDIC_CATALOG_DIRS load without a problem."""
    loaded = load_catalog(settings.catalog_dirs, packs_off=settings.catalog_packs_off)
    if loaded.problems:
        shown = "; ".join(str(problem) for problem in loaded.problems[:3])
        more = f" (and {len(loaded.problems) - 3} more)" if len(loaded.problems) > 3 else ""
        return Check(
            "Catalog",
            "fail",
            f"{len(loaded.problems)} problem(s): {shown}{more}",
            "run `kubemedic catalog check` for the full list; fix or remove those files",
        )
    extra = (
        f", with {len(settings.catalog_dirs)} directory(ies) from KUBEMEDIC_CATALOG_DIRS"
        if settings.catalog_dirs
        else ""
    )
    return Check("Catalog", "ok", f"{len(loaded.entries)} entries valid{extra}")


def learned_decision(settings: Settings) -> Check:
    """The learned decision's model reads, and which catalog entries it is older than (edited or
    added since it was trained: the rules alone decide a paste where one is a candidate)."""
    from intents.calibration import ModelError, shipped_model, stale_ids
    from intents.calibration.assess import decision_of

    try:
        decision_of(shipped_model())
    except ModelError as error:
        return Check(
            "Learned decision", "info", f"not read ({error}): answers come from the rules alone"
        )
    entries = load_catalog(settings.catalog_dirs, packs_off=settings.catalog_packs_off).entries
    stale = sorted(stale_ids(entries, entries))
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        return Check(
            "Learned decision",
            "info",
            f"older than the catalog for {len(stale)} entr{'y' if len(stale) == 1 else 'ies'} ({shown}): "
            "the rules alone decide a paste where one of them is a candidate; "
            "retrain with `python -m bench.train_calibration`",
        )
    return Check("Learned decision", "ok", f"trained on this catalog's {len(entries)} entries")


def alert_routing(settings: Settings) -> tuple[Check, Routing | None] | None:
    """Where alert and watcher messages go (only when the receiver or the watcher is on)."""
    if settings.alertmanager_token is None and not settings.watch:
        return None
    off = receiver_off(settings)
    if off is not None:
        return Check(
            "Alert routing",
            "fail",
            f"the Alertmanager receiver is off (KUBEMEDIC_ALERTMANAGER_TOKEN is set): {off}",
            RECEIVER_OFF_FIX,
        ), None
    try:
        routing = load_routing(settings.routing_file, fallback_channel=settings.alert_channel)
    except RoutingProblems as exc:
        shown = "; ".join(exc.problems[:3]) + (
            f" (and {len(exc.problems) - 3} more)" if len(exc.problems) > 3 else ""
        )
        return Check(
            "Alert routing",
            "fail",
            shown,
            "fix the routing file (KUBEMEDIC_ROUTING_FILE) or set KUBEMEDIC_ALERT_CHANNEL; "
            "`kubemedic serve` refuses to start until then",
        ), None
    assert routing.default is not None
    rules = len(routing.spec.rules)
    return Check(
        "Alert routing", "ok", f"default channel {routing.default.channel}, {rules} rule(s)"
    ), routing


def signing_key_check(settings: Settings) -> Check | None:
    """Fails when KUBEMEDIC_SIGNING_KEY (or its _PREVIOUS) is set but not made by `kubemedic keygen`;
    says nothing when unset (the bot makes its own and keeps it in its database)."""
    if settings.signing_key is None and settings.signing_key_previous is None:
        return None
    why = weak_key_reason(settings)
    if why is not None:
        return Check(
            "Signing key",
            "fail",
            why,
            "set KUBEMEDIC_SIGNING_KEY to the output of `kubemedic keygen`, or unset it: the bot "
            "then makes its own and keeps it in its database",
        )
    names = [
        name
        for name, value in (
            ("KUBEMEDIC_SIGNING_KEY", settings.signing_key),
            (
                "KUBEMEDIC_SIGNING_KEY_PREVIOUS (verifies until its buttons expire)",
                settings.signing_key_previous,
            ),
        )
        if value is not None
    ]
    return Check("Signing key", "ok", f"{' and '.join(names)} set, made by `kubemedic keygen`")


def shared_secrets_check(settings: Settings) -> Check | None:
    """Fails when a shared secret the operator chose is not made by `kubemedic keygen` (`serve`
    refuses to start then); says nothing when none is set."""
    chosen = [name for name, field in OPERATOR_CHOSEN.items() if getattr(settings, field)]
    if not chosen:
        return None
    typed = typed_secrets(settings)
    if typed:
        return Check(
            "Shared secrets",
            "fail",
            "; ".join(typed),
            "set each to the output of `kubemedic keygen`",
        )
    return Check("Shared secrets", "ok", f"{', '.join(chosen)} made by `kubemedic keygen`")


def alert_token(settings: Settings) -> Check | None:
    """Says so when KUBEMEDIC_ALERTMANAGER_TOKEN came with whitespace around it (stripped)."""
    token = settings.alertmanager_token
    if token is None or token.get_secret_value() == settings.alertmanager_bearer:
        return None
    return Check(
        "Alertmanager token",
        "info",
        "KUBEMEDIC_ALERTMANAGER_TOKEN ends in a newline or spaces (a Secret made from a file?); "
        "kubemedic strips them, so Alertmanager's bearer token still matches",
    )


def routed_to(routing: Routing) -> list[str]:
    """Every channel a rule or the default sends to, default first, each once."""
    assert routing.default is not None
    return list(
        dict.fromkeys([routing.default.channel, *(rule.channel for rule in routing.spec.rules)])
    )


async def run_doctor(
    settings: Settings,
    *,
    http: bool = False,
    url: str | None = None,
    mattermost: bool = False,
    clusters: bool = True,
    teams: bool = False,
) -> DoctorReport:
    """Every check, in the order an install is set up: the chat (Slack, or Mattermost; `teams`: none
    here), Teams' webhook, database, catalog, the incident tools, clusters."""
    routed = alert_routing(settings)
    checks = (
        []
        if teams  # the Teams bot's own checks are its adapter's (bot/teams/doctor.py)
        else await _chat_checks(settings, http=http, url=url, mattermost=mattermost, routed=routed)
    )
    checks += _present(await teams_check(settings))
    checks += await database(settings)
    checks.append(catalog(settings))
    checks.append(learned_decision(settings))
    checks += _present(
        signing_key_check(settings),
        shared_secrets_check(settings),
        alert_token(settings),
        mcp_check(settings),
    )
    if routed is not None:
        checks.append(routed[0])
        if routed[1] is not None and not mattermost:
            checks.append(await routed_channels(settings, routed_to(routed[1])))
    checks += await tool_checks(settings)
    if clusters:  # a fleet hub reads none (its agents do)
        checks += await cluster_checks(settings)
    return DoctorReport(tuple(checks))


async def _chat_checks(
    settings: Settings,
    *,
    http: bool,
    url: str | None,
    mattermost: bool,
    routed: tuple[Check, Routing | None] | None,
) -> list[Check]:
    """Mattermost's checks, or Slack's tokens, scopes and how requests reach the bot."""
    if mattermost:
        return await mattermost_checks(
            settings, routed_to(routed[1]) if routed and routed[1] else []
        )
    if not (http or url) and (missing := slack_not_set_up(settings)) is not None:
        return [missing]
    checks = await token_and_scopes(settings)
    socket = settings.slack_mode(http=http).socket
    return [*checks, await requests_reach_the_bot(settings, socket_mode=socket, url=url)]


def _present(*checks: Check | None) -> list[Check]:
    return [check for check in checks if check is not None]
