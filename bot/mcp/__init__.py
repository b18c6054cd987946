"""`kubemedic mcp`: the catalog and the diagnosis as Model Context Protocol tools for agents."""
