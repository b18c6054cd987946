"""Local stand-ins for external services (Kubernetes API server) used by tests and benchmarks."""
