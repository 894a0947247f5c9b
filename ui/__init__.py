"""The tflab desktop application (PySide6). Imports the engine ``tflab``; nothing imports ``ui``."""
