"""``python -m smartguard.entrypoints.iso8583.front_process``: one ISO 8583 front process
(:mod:`.front`), as the core starts it. A module of its own because the package imports
:mod:`.front`, and running an imported module as ``__main__`` makes Python warn (and load
it twice)."""

from smartguard.entrypoints.iso8583.front import main

if __name__ == "__main__":
    main()
