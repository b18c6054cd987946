"""Reading the cluster: one reader protocol, a live gateway and a dump reader."""
