"""``python -m smartguard``: the same as the ``smartguard`` command."""

from smartguard.entrypoints.cli import main

if __name__ == "__main__":  # importing this module (as the import test does) runs nothing
    main()
