"""Calls kubemedic makes to the tools where incidents live: PagerDuty, Opsgenie, Jira.

Every call goes through `OutboundApi` (bot/outbound/http.py): bounded retries with back-off that
honour Retry-After, and one circuit breaker per call, so a tool that is down costs a few refused
calls, never a stuck leader or a storm of requests. What was posted is recorded by the use case
(bot/incidents/), so a restart neither loses nor doubles a note.
"""
