"""Pages in, diagnoses back: PagerDuty incidents and Opsgenie alerts, diagnosed like alerts.

A page arrives at /incidents/pagerduty or /incidents/opsgenie (bot/web/incidents.py); its
signature is checked, its labels read (custom details, or the Alertmanager labels it carries),
its cluster checked, and it is stored in the alert inbox. The leader diagnoses it as it diagnoses
an Alertmanager group (processing.py) and posts it to the chat; the diagnosis then goes back to
the incident as one note, kept current in place (notes.py), with the chat thread's address.
"""
