"""Benchmark: the HTTP authorize endpoint against a running server with durable SQLite.

The code is in smartguard.bench.http_load (installed with the package; ``smartguard bench``
runs it with progress bars): this script keeps its command line."""

from smartguard.bench.http_load import main

if __name__ == "__main__":
    main()
