"""``python -m ui``: open the tflab desktop app."""

import sys

from ui.app.main import main

if __name__ == "__main__":
    sys.exit(main())
