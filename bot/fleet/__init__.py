"""The fleet: a hub in chat (`kubemedic serve --hub`) and an agent in each cluster (`kubemedic agent`).

The agent dials out to the hub over one WebSocket and diagnoses its own cluster when asked; the
hub holds no cluster credentials. docs/fleet.md describes it; `wire.py` is the protocol.
"""
