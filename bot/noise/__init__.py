"""Noise control for alerts and the watcher: routing, one message per key, budgets, mutes."""
