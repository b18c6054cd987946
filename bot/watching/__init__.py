"""The opt-in cluster watcher: pods, nodes and Warning events, diagnosed before anyone asks."""
