"""``python -m cstograph`` runs the command line."""

from cstograph.cli import main

main()
