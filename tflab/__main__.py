"""``python -m tflab``: the headless command line of the engine."""

import sys

from tflab.cli import main

if __name__ == "__main__":
    sys.exit(main())
