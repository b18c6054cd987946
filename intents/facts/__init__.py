"""The facts gathered about a pod or node (model) and the kinds of fact a rule tests (kinds)."""
