"""``python -m smartguard.entrypoints.cli``."""

from smartguard.entrypoints.cli import main

if __name__ == "__main__":
    main()
