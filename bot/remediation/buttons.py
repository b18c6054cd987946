"""A remediation offer as a button: one builder for the bot's replies and `kubemedic preview`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.remediation.actions import ACTIONS
from bot.remediation.planning import Offer
from responses.answer_actions import ButtonSpec, ConfirmSpec, remediation_button


@dataclass(frozen=True)
class PreparedButton:
    """A remediation button ready to render; `value` is only the signed pending-action id."""

    kind: str
    label: str
    value: str
    confirm_title: str
    confirm_text: str
    confirm_ok: str
    pending_id: str

    @property
    def action_id(self) -> str:
        return f"remediate:{self.kind}"

    def spec(self) -> ButtonSpec:
        """The Block Kit helper's button spec (danger style, with the confirm dialog)."""
        confirm = ConfirmSpec(self.confirm_title, self.confirm_text, confirm=self.confirm_ok)
        return remediation_button(self.kind, label=self.label, value=self.value, confirm=confirm)


def offer_button(offer: Offer, *, value: str, pending_id: str) -> PreparedButton:
    """The button an offer gets; `value` is the signed pending-action id (anything, in a preview)."""
    spec = ACTIONS[offer.kind]
    return PreparedButton(
        offer.kind,
        offer.label,
        value,
        f"{spec.verb}?",
        spec.describe(offer.target),
        spec.verb,
        pending_id,
    )
