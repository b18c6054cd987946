"""The Slack bot: bolt AsyncApp listeners, the HTTP/Socket Mode server, replies."""
