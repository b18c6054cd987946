"""Evidence from the cluster: one collector per resource kind, a runner, and rules."""
