"""Understanding input: the incident catalog, text normalisation, the matcher.

Pure Python: imports neither slack_bolt nor kubernetes.
"""
