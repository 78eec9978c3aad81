"""``python -m cstograph`` runs the command line."""

from .cli import main

main()
