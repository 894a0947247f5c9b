"""The Training tab: data panel, training panel, curves, and the worker that trains."""
