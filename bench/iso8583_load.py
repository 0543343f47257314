"""Load generator for the ISO 8583 gateway, with a protocol-only baseline.

The code is in smartguard.bench.iso8583_load (installed with the package; ``smartguard bench``
runs it with progress bars): this script keeps its command line."""

from smartguard.bench.iso8583_load import main

if __name__ == "__main__":
    main()
