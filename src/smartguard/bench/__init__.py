"""The benchmarks' reusable core, installed with the package: ``smartguard bench
iso8583|http|engine`` runs them with progress bars; ``bench/*.py`` in the repository are
thin scripts over the same code (docs/performance.md)."""
