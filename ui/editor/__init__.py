"""The Editor tab: palette, stack and graph views, inspector, code view, auto-layout."""
