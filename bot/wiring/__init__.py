"""The composition roots: `root.compose(settings, chat=adapter)` builds the bot for any chat
(Slack, Mattermost; Teams and a fleet hub around them), `agent.compose_agent` a fleet's agent,
`alerts.compose_alerts` the alert side both share. Everything else of bot/ is built here and
nowhere else."""
