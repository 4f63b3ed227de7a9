"""The `claimtrace` command: handed to the warm process when one runs (`claimtrace daemon`), else
the command line in this process. Imports nothing heavy before it knows which."""

from __future__ import annotations

import sys


def main() -> None:
    from pipeline.daemon.client import handover

    status = handover(sys.argv[1:])
    if status is not None:
        sys.exit(status)
    from pipeline.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
