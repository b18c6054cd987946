"""The message grammars of Kubernetes components: format strings as data, and their readers."""
