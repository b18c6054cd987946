"""The transport-neutral button specs carry Slack's Block Kit limits, the strictest of the chats.

A spec the use cases build must render on every platform; if slack_sdk ever tightens a limit,
this names the constant to change in responses/answer_actions.py.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, ConfirmObject

from responses import answer_actions as neutral


def test_neutral_limits_are_slack_block_kit_limits() -> None:
    assert (neutral.ACTION_ID_LIMIT, neutral.VALUE_LIMIT, neutral.LABEL_LIMIT) == (
        ButtonElement.action_id_max_length,
        ButtonElement.value_max_length,
        ButtonElement.text_max_length,
    )
    assert (
        neutral.CONFIRM_TITLE_LIMIT,
        neutral.CONFIRM_TEXT_LIMIT,
        neutral.CONFIRM_BUTTON_LIMIT,
    ) == (
        ConfirmObject.title_max_length,
        ConfirmObject.text_max_length,
        ConfirmObject.confirm_max_length,
    )
    assert ConfirmObject.deny_max_length == neutral.CONFIRM_BUTTON_LIMIT
