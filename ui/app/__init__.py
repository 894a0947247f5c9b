"""The application: start-up, the main window, menus, language, the self-test.

It wires the features together; nothing below it imports it.
"""
