"""``python -m smartguard``: the same as the ``smartguard`` command."""

from smartguard.entrypoints.cli import main

main()
