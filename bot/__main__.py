"""`python -m bot` runs the kubemedic CLI."""

from bot.cli import main

main()
