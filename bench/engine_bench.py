"""Benchmark: the pure decision engine, in-process, on one core.

The code is in smartguard.bench.engine_bench (installed with the package; ``smartguard bench``
runs it with progress bars): this script keeps its command line."""

from smartguard.bench.engine_bench import main

if __name__ == "__main__":
    main()
