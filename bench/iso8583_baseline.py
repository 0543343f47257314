"""The protocol-only baseline: SmartGuard's ISO 8583 server, framing, decoding, field

The code is in smartguard.bench.iso8583_baseline (installed with the package; ``smartguard bench``
runs it with progress bars): this script keeps its command line."""

from smartguard.bench.iso8583_baseline import main

if __name__ == "__main__":
    main()
