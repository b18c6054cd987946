"""Process plumbing the use cases run on: the clock, bounded background tasks, durable work."""
