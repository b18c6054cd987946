"""Safe one-click remediation: a fixed allowlist of typed actions behind signed buttons.

- `planning.offers(diagnosis, facts, settings=..., reader=...)`: which buttons a diagnosis gets.
- `RemediationService.unstored(...)`: their pending actions (the caller stores them) and signed
  buttons.
- `RemediationService.execute(value, user_id=..., channel_id=...)`: carry out a click.
"""
