"""The interaction flow: what kubemedic does with a chat's asks and clicks, written once for every chat.

Answers (a pasted message, a mention or a direct message, a stored `/diagnose`), the question's
buttons (a choice, "None of these", Undo), Details, votes, "Not this" and its pick, Mute, and a
remediation click once confirmed all run here against the chat surface (bot.answering.surface).
A chat's adapter reads its requests into text, a `Place` or a `Click`, and delivers what a
click's method returns: the message for the clicker alone (None: nothing to tell).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.answering.answers import Answers
from bot.answering.choice_clicks import Click, Refusal
from bot.answering.choosing import Choosing, Chosen, NoneChosen, Undone
from bot.answering.details import DetailsLookup
from bot.answering.direct import DirectAsks, Render
from bot.answering.feedback import Feedback
from bot.answering.handoff import AgentAnswered, Forwarding, HandoffNote, Tell
from bot.answering.picking import Dialog, Picked, Picking
from bot.answering.ports import PostFailed, RemediationPort, TicketPort
from bot.answering.request_text import parse_request
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import Answer, Failed, NotPosted, Posted, Refused, Unsure
from bot.answering.surface import CANNOT_POST_HERE, ChatSurface, Reply
from bot.errors import BadInput
from bot.noise.muting import Muting
from bot.runtime.clock import Clock
from bot.summary.incidents import IncidentSummaries
from responses import ask_messages as say
from responses import messages
from responses import ticket_text as tickets_say
from responses.alert_view import ALERT_TICKET, MUTE_ACTION_PREFIX
from responses.answer_actions import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_THIS,
    FILE_TICKET,
    SHOW_DETAILS,
    SHOW_OTHER_MATCHES,
    details_button,
    feedback_buttons,
)
from responses.answer_build import answer_view
from responses.block_notices import Outcome
from responses.chat import (
    AgentReply,
    AnswerMessage,
    ChatMessage,
    ChosenMessage,
    DetailsMessage,
    DetailsPosted,
    Notice,
    OutcomeMessage,
    QuestionMessage,
    SummaryMessage,
    UsageMessage,
)
from responses.choice_blocks import CHOOSE_NONE, UNDO_CHOICE, choice_number, undo_button
from responses.fleet_messages import CLUSTERS_BY_COMMAND
from responses.handoff_blocks import failed_text, forwarding_text
from responses.redaction import Redacted, redact

log = logging.getLogger(__name__)

Told = ChatMessage | None
"""What a click's handling tells the clicker alone (None: nothing)."""
INPUT_KINDS: dict[str, InputKind] = {"command": "command", "mention": "mention", "dm": "dm"}


class ChatFlow:
    """Asks and clicks, against one chat's surface."""

    def __init__(
        self,
        *,
        surface: ChatSurface,
        direct: DirectAsks,
        choosing: Choosing,
        picking: Picking,
        details: DetailsLookup,
        feedback: Feedback,
        summaries: IncidentSummaries,
        clock: Clock,
        remediation: RemediationPort | None = None,
        muting: Muting | None = None,
        tickets: TicketPort | None = None,
    ) -> None:
        self.surface, self.direct, self.choosing, self.picking = surface, direct, choosing, picking
        self.details_lookup, self.feedback, self.summaries, self.clock = (
            details,
            feedback,
            summaries,
            clock,
        )
        self.remediation, self.muting, self.tickets = remediation, muting, tickets

    @property
    def answers(self) -> Answers:
        return self.direct.answers

    # ------------------------------------------------------------------ asks
    async def answer_paste(self, text: Redacted, place: Place) -> None:
        """A pasted message: answered in its thread only when the use case says so."""
        request = DiagnoseRequest.paste(text)
        answer = await self.direct.walk_pasted(request.text, place) or await self.answers.answer(
            request, place, kind="message"
        )
        costly = isinstance(answer, Refused) and answer.costly  # said, or it would look ignored
        private = self.in_thread(place) if costly else None
        await self.tell_answer(
            answer, subject=request.subject, channel=place.channel, private=private
        )

    async def answer_directly(
        self,
        text: Redacted,
        place: Place,
        *,
        kind: InputKind,
        private: Reply | None = None,
        public: Reply | None = None,
    ) -> None:
        """A mention or a direct message (told in its thread), or a stored `/diagnose` (told through its
        response_url: `private`, and `public` for an answer the bot cannot post in the channel)."""
        private = private or self.in_thread(place)
        try:
            asked = parse_request(text)
        except BadInput as exc:
            await private(Notice(messages.user_error(exc.reason)))
            return
        if asked == "summary":
            await private(await self.summary(place.channel))
        elif asked == "help" or asked == "clusters":
            if kind != "command":  # a command's usage and clusters are its ack
                await private(UsageMessage() if asked == "help" else Notice(CLUSTERS_BY_COMMAND))
        else:
            render = self._render(asked, place, private, public)
            await self.direct.answer(
                asked,
                place,
                kind=kind,
                render=self._with_ticket(render, private) if asked.ticket else render,
                tell=self._teller(private),
            )

    async def summary(self, channel: str) -> ChatMessage:
        """`/diagnose summary`: the channel's summary, or the line saying where it is or why none."""
        answer = await self.summaries.answer(channel)
        if answer.summary is None:
            return Notice(answer.note or messages.NO_SUMMARY)
        return SummaryMessage(answer.summary)

    def in_thread(self, place: Place) -> Reply:
        async def say_it(message: ChatMessage) -> None:
            try:
                await self.surface.post(Place(place.channel, place.thread_ts), message)
            except PostFailed as exc:
                log.warning("could not reply in %s: %s", place.channel, exc.error)

        return say_it

    def _render(
        self, request: DiagnoseRequest, place: Place, private: Reply | None, public: Reply | None
    ) -> Render:
        async def render(answer: Answer) -> None:
            await self.tell_answer(
                answer,
                subject=request.subject,
                channel=place.channel,
                private=private,
                public=public,
            )

        return render

    def _with_ticket(self, render: Render, say_it: Reply) -> Render:
        """`--ticket`: once the answer is told, its problem's Jira issue (filed or commented on)."""

        async def and_ticket(answer: Answer) -> None:
            await render(answer)
            posted = answer.diagnosis_id if isinstance(answer, Posted) else None
            await say_it(Notice(await self._ticket_line(posted)))

        return and_ticket

    async def _ticket_line(self, diagnosis_id: str | None) -> str:
        if self.tickets is None:
            return tickets_say.TICKETS_OFF
        if not diagnosis_id:
            return tickets_say.NO_ANSWER_TO_FILE
        return await self.tickets.for_diagnosis(diagnosis_id)

    async def tell_answer(
        self,
        answer: Answer,
        *,
        subject: str,
        channel: str,
        private: Reply | None,
        public: Reply | None = None,
    ) -> None:
        """Tell the asker what they need to know about `answer` (a posted answer needs nothing more)."""
        if isinstance(answer, NotPosted):
            if public is not None and answer.error in CANNOT_POST_HERE:
                await public(AnswerMessage(answer.diagnosis))
                return
            # the retry handlers gave up (persistent 5xx, ratelimited past the retries, ...)
            log.warning(
                "the answer to %s was not posted in %s: the chat answered %s",
                subject,
                channel,
                answer.error,
            )
            told: ChatMessage | None = Notice(messages.not_posted(answer.error))
        elif isinstance(answer, Unsure):
            told = AnswerMessage(answer.diagnosis)
        elif isinstance(answer, Refused):
            told = Notice(messages.user_error(answer.reason))
        else:
            told = Notice(messages.GENERIC_APOLOGY) if isinstance(answer, Failed) else None
        if private is not None and told is not None:
            await private(told)

    def _teller(self, say_it: Reply | None) -> Tell:
        """The hand-off's notes, told where the ask was answered."""

        async def tell(note: HandoffNote) -> None:
            if say_it is None:
                return
            if isinstance(note, Forwarding):
                await say_it(Notice(forwarding_text(note.agent, note.timeout)))
            elif isinstance(note, AgentAnswered):
                await say_it(AgentReply(note.agent, note.text, note.seconds))
            else:
                await say_it(Notice(failed_text(note.agent, note.why)))

        return tell

    # ------------------------------------------------------------------ clicks
    async def click(self, click: Click) -> Told:
        """Any button but a remediation one (which its chat confirms first: `remediate`)."""
        self.summaries.after_click(click.channel)
        return await self._verb(click.action)(click)

    def _verb(self, action: str) -> Callable[[Click], Awaitable[Told]]:
        verbs = {
            CHOOSE_NONE: self.none_of_these,
            UNDO_CHOICE: self.undo,
            SHOW_DETAILS: self.details,
            FEEDBACK_HELPFUL: self.vote,
            FEEDBACK_NOT_THIS: self.not_this,
            SHOW_OTHER_MATCHES: self.others,
            FILE_TICKET: self.ticket,
            ALERT_TICKET: self.alert_ticket,
        }
        if action in verbs:
            return verbs[action]
        if choice_number(action) is not None:
            return self.choose
        return self.mute if action.startswith(MUTE_ACTION_PREFIX) else self.unknown

    async def _replace(self, channel: str, message_id: str | None, message: ChatMessage) -> None:
        if not message_id:
            return
        try:
            await self.surface.replace(channel, message_id, message)
        except PostFailed as exc:
            log.warning("could not update message %s in %s: %s", message_id, channel, exc.error)

    async def choose(self, click: Click) -> Told:
        """A candidate of "Is it one of these?": its answer in the thread, the question showing who chose."""
        result = await self.choosing.choose(click)
        if isinstance(result, Refusal):
            return Notice(result.text)
        assert isinstance(result, Chosen)
        question, chosen = result.question, result.candidate
        await self._replace(
            question.channel,
            question.message_ts or click.message_ts,
            ChosenMessage(question.id, self.surface.person(click), chosen.title, chosen.id),
        )
        if result.error is not None:
            return Notice(messages.not_posted(result.error))
        return Notice(messages.user_error(result.reason)) if result.reason is not None else None

    async def none_of_these(self, click: Click) -> Told:
        """ "None of these": one line in the question's place; the words answered, or handed off."""
        result = await self.choosing.none_of_these(click)
        if isinstance(result, Refusal):
            return Notice(result.text)
        assert isinstance(result, NoneChosen)
        question = result.question
        handed = self.direct.handoff.agent is not None and result.unsure is not None
        line = say.none_line(self.surface.person(click), handed and question.kind != "which")
        await self._replace(question.channel, question.message_ts or click.message_ts, Notice(line))
        await self._after_none(result, click)
        return None

    async def _after_none(self, result: NoneChosen, click: Click) -> None:
        """Which objects were none of these: the words are answered; what entry: the ask is
        handed to the team's agent, if there is one. Either in the question's thread."""
        question = result.question
        place = Place(
            question.channel,
            question.thread_ts or question.message_ts or click.message_ts,
            question.asker,
        )
        in_thread, kind = self.in_thread(place), INPUT_KINDS.get(question.asked_via, "mention")
        if question.kind == "which" and question.text:
            request = DiagnoseRequest.paste(question.text)
            await self.direct.answer(
                request,
                place,
                kind=kind,
                render=self._render(request, place, in_thread, None),
                tell=self._teller(in_thread),
                name_objects=False,
            )
        elif result.unsure is not None and result.request is not None:
            await self.direct.handoff.after(
                result.unsure,
                result.request,
                kind=kind,
                tell=self._teller(in_thread),
                user=click.user,
            )

    async def undo(self, click: Click) -> Told:
        """Withdraw a choice: its answer gives way to one line, the question is open again."""
        result = await self.choosing.undo(click)
        if isinstance(result, Refusal):
            return Notice(result.text)
        assert isinstance(result, Undone)
        question = result.question
        line = Notice(
            say.withdrawn(self.surface.person(click), question.chosen_by, question.chosen_id)
        )
        if question.kind == "not_this":
            await self._replace(question.channel, question.message_ts, line)
            return None
        await self._replace(question.channel, question.answer_ts, line)
        await self._replace(
            question.channel,
            question.message_ts or click.message_ts,
            QuestionMessage(question.id, result.candidates, which=question.kind == "which"),
        )
        return None

    async def details(self, click: Click) -> Told:
        """The answer's folded parts, in its thread (to the clicker alone when the answer was theirs)."""
        found = await self.details_lookup.details(click.question_id or None)
        if isinstance(found, str):
            return Notice(found)
        shown = DetailsMessage(found.title, found.details)
        if click.ephemeral or not click.channel or not click.message_ts:
            return shown
        try:
            await self.surface.post(
                Place(click.channel, await self.surface.thread_of(click)), shown
            )
        except PostFailed as exc:
            log.info(
                "details not posted in %s (%s); told the clicker privately",
                click.channel,
                exc.error,
            )
            return shown
        return await self.surface.settle(click, DetailsPosted(click.user))

    async def vote(self, click: Click) -> Told:
        return Notice(
            await self.feedback.vote(click.question_id or None, user=click.user, helpful=True)
        )

    async def others(self, click: Click) -> Told:
        return Notice(await self.feedback.others(click.question_id or None))

    async def not_this(self, click: Click) -> Told:
        """ "Not this": the vote, and the dialog to pick what it was."""
        dialog = await self.picking.open(click)
        if isinstance(dialog, Refusal):
            return Notice(dialog.text)
        assert isinstance(dialog, Dialog)
        offered = await self.surface.open_picker(
            click, dialog, lambda: self.picking.options(dialog)
        )
        return Notice(await self.picking.keep(dialog, click, offered))

    async def pick(self, click: Click, entry: str) -> Told:
        """The dialog's pick replaces the answer, with Undo; a refusal is the picker's to be told."""
        picked = await self.picking.pick(click, entry)
        if isinstance(picked, Refusal):
            return Notice(picked.text)
        assert isinstance(picked, Picked)
        question, ident = picked.question, picked.diagnosis_id
        folded = [details_button(ident)] if ident and answer_view(picked.diagnosis).details else []
        buttons = [*folded, *feedback_buttons(ident, show_others=False)] if ident else []
        shown = AnswerMessage(picked.diagnosis, (*buttons, undo_button(question.id)))
        try:
            await self.surface.replace(question.channel, question.message_ts or "", shown)
        except PostFailed as exc:
            log.warning("the picked answer did not replace the old one: %s", exc.error)
            place = Place(question.channel, question.thread_ts or question.message_ts, click.user)
            await self.surface.tell(place, Notice(messages.not_posted(exc.error)))
        return None

    async def ticket(self, click: Click) -> Told:
        """ "Open ticket" under an answer: its problem's Jira issue, said in the answer's thread."""
        return await self._told_in_thread(click, await self._ticket_line(click.question_id or None))

    async def alert_ticket(self, click: Click) -> Told:
        """ "Open ticket" under an alert or page message (its fingerprint: the message's key)."""
        if self.tickets is None:
            return Notice(tickets_say.TICKETS_OFF)
        return await self._told_in_thread(click, await self.tickets.for_alert(click.value))

    async def _told_in_thread(self, click: Click, line: str) -> Told:
        """A line for everyone in the clicked message's thread (to the clicker, when it cannot be)."""
        if click.ephemeral or not click.channel or not click.message_ts:
            return Notice(line)
        try:
            await self.surface.post(
                Place(click.channel, await self.surface.thread_of(click)), Notice(line)
            )
        except PostFailed as exc:
            log.info("ticket line not posted in %s: %s", click.channel, exc.error)
            return Notice(line)
        return None

    async def mute(self, click: Click) -> Told:
        """A Mute button under an alert or watcher message (the message shows it at the next sync)."""
        if self.muting is None:
            return await self.unknown(click)
        return Notice(
            (await self.muting.click(click.value, user=click.user, channel=click.channel)).text
        )

    async def unknown(self, click: Click) -> Told:
        log.info("unknown button %r clicked", click.action[:80])
        return Notice(messages.UNKNOWN_BUTTON)

    async def remediate(self, click: Click, *, attempt: int = 1) -> Told:
        """A remediation button once confirmed (Slack's buttons ask themselves, Mattermost's dialog asks);
        decided by the remediation use case alone. `attempt` > 1: another replica began it."""
        if self.remediation is None:
            return Notice(messages.REMEDIATION_NOT_ENABLED)
        act = self.remediation.click if attempt == 1 else self.remediation.recover
        result = await act(click.value, user_id=click.user, channel_id=click.channel)
        said = redact(result.text)  # it quotes the API server's words (an error, a result)
        told = OutcomeMessage(
            Outcome(result.status, said, click.user, self.clock()), by=click.user_name
        )
        if result.private:
            return told
        try:
            await self.surface.post(Place(click.channel, await self.surface.thread_of(click)), told)
        except PostFailed as exc:
            log.warning("the outcome of a click was not posted in %s: %s", click.channel, exc.error)
        settled = await self.surface.settle(click, told)
        self.summaries.after_click(click.channel)
        return settled
