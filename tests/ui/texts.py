"""Every text a user can read in a window, by where it sits: to compare two windows.

A window switched to another language must read exactly as a window built in that
language from the start (tests/ui/test_language.py); :func:`visible_texts` gives both
sides of that comparison.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QToolButton,
    QTreeWidget,
    QWidget,
)


def visible_texts(root: QWidget) -> dict[str, str]:
    """Every text of ``root`` and the widgets, actions and items under it, keyed by a path
    that names each object by its class and its place among its siblings of that class."""
    texts: dict[str, str] = {}
    _collect(root, type(root).__name__, texts)
    return texts


def differences(switched: dict[str, str], fresh: dict[str, str]) -> list[str]:
    """Lines saying where the texts of two windows differ (empty when they read the same)."""
    lines = []
    for key in sorted(set(switched) | set(fresh)):
        if switched.get(key) != fresh.get(key):
            lines.append(f"{key}:\n    switched: {switched.get(key)!r}\n    fresh:    {fresh.get(key)!r}")
    return lines


def _put(texts: dict[str, str], key: str, value: object) -> None:
    if value is not None and value != "":
        texts[key] = str(value)


def _collect(obj: QObject, path: str, texts: dict[str, str]) -> None:
    if isinstance(obj, QWidget):
        _widget_texts(obj, path, texts)
    counts: dict[str, int] = {}
    skipped = _overflow(obj)
    for child in obj.children():
        if not isinstance(child, QWidget) or child in skipped:
            continue
        name = type(child).__name__
        index = counts.get(name, 0)
        counts[name] = index + 1
        _collect(child, f"{path}/{name}[{index}]", texts)


def _overflow(obj: QObject) -> list[QObject]:
    """A menu bar's "more" button and its menu: what they hold depends on the window's
    width, not on the language."""
    if not isinstance(obj, QMenuBar):
        return []
    button = obj.findChild(QToolButton, "qt_menubar_ext_button")
    return [button, button.menu()] if button is not None else []


def _widget_texts(w: QWidget, path: str, texts: dict[str, str]) -> None:
    _put(texts, f"{path}.toolTip", w.toolTip())
    _put(texts, f"{path}.statusTip", w.statusTip())
    _put(texts, f"{path}.whatsThis", w.whatsThis())
    if w.isWindow() or isinstance(w, QDockWidget):
        _put(texts, f"{path}.windowTitle", w.windowTitle())
    if isinstance(w, QLabel):
        _put(texts, f"{path}.text", w.text())
    if isinstance(w, QAbstractButton):
        _put(texts, f"{path}.text", w.text())
    if isinstance(w, QGroupBox):
        _put(texts, f"{path}.title", w.title())
    if isinstance(w, QMenu):
        _put(texts, f"{path}.title", w.title())
    if isinstance(w, QTabBar):
        for i in range(w.count()):
            _put(texts, f"{path}.tab[{i}]", w.tabText(i))
            _put(texts, f"{path}.tabToolTip[{i}]", w.tabToolTip(i))
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            _put(texts, f"{path}.item[{i}]", w.itemText(i))
            _put(texts, f"{path}.itemToolTip[{i}]", w.itemData(i, Qt.ItemDataRole.ToolTipRole))
    if isinstance(w, QLineEdit):
        _put(texts, f"{path}.placeholder", w.placeholderText())
        if w.isReadOnly():
            _put(texts, f"{path}.text", w.text())
    if isinstance(w, (QPlainTextEdit, QTextEdit)):
        _put(texts, f"{path}.placeholder", w.placeholderText())
        if w.isReadOnly():
            _put(texts, f"{path}.text", w.toPlainText())
    if isinstance(w, QAbstractSpinBox):
        _put(texts, f"{path}.specialValueText", w.specialValueText())
        if isinstance(w, QSpinBox):
            _put(texts, f"{path}.suffix", w.suffix())
            _put(texts, f"{path}.prefix", w.prefix())
    if isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget):
        model = w.model()
        if model is not None:
            for section in range(model.columnCount()):
                _put(texts, f"{path}.column[{section}]",
                     model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
            if isinstance(w, QTreeWidget):
                for i in range(w.topLevelItemCount()):
                    _tree_item(w.topLevelItem(i), f"{path}.item[{i}]", texts)
            else:
                for row in range(model.rowCount()):
                    for column in range(model.columnCount()):
                        index = model.index(row, column)
                        _put(texts, f"{path}.cell[{row},{column}]", model.data(index))
                        _put(texts, f"{path}.cellToolTip[{row},{column}]",
                             model.data(index, Qt.ItemDataRole.ToolTipRole))
    if isinstance(w, QListWidget):
        for i in range(w.count()):
            item = w.item(i)
            _put(texts, f"{path}.item[{i}]", item.text())
            _put(texts, f"{path}.itemToolTip[{i}]", item.toolTip())
    if isinstance(w, QGraphicsView) and w.scene() is not None:
        items = [item for item in w.scene().items(Qt.SortOrder.AscendingOrder)]
        for i, item in enumerate(items):
            _put(texts, f"{path}.sceneToolTip[{i}]", item.toolTip())
            if isinstance(item, QGraphicsTextItem):
                _put(texts, f"{path}.sceneText[{i}]", item.toPlainText())
    for i, action in enumerate(w.actions()):
        _put(texts, f"{path}.action[{i}].text", action.text())
        _put(texts, f"{path}.action[{i}].toolTip", action.toolTip())
        _put(texts, f"{path}.action[{i}].statusTip", action.statusTip())


def _tree_item(item, path: str, texts: dict[str, str]) -> None:
    for column in range(item.columnCount()):
        _put(texts, f"{path}[{column}]", item.text(column))
        _put(texts, f"{path}.toolTip[{column}]", item.toolTip(column))
    for i in range(item.childCount()):
        _tree_item(item.child(i), f"{path}/{i}", texts)


def switch_language(app, choice: str) -> None:
    """Switch the interface to ``choice`` in place (as View > Language does) and let every
    widget hear of it: Qt posts the change to each window."""
    from ui.app import language

    language.apply_choice(app, choice)
    app.sendPostedEvents()
    app.processEvents()
