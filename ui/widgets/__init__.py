"""Reusable widgets: code highlighting and editing, parameter editors, messages, box editor."""
