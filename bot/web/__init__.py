"""The bot's HTTP server, shared by every input that arrives over HTTP."""
