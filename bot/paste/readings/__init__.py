"""One module per shape a paste may hold (a reading), each listed once in bot.paste.registry."""
