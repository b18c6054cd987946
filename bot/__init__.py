"""kubemedic's running program: settings, CLI, Slack wiring, cluster access."""
