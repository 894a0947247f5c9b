"""Editors for layer parameters, one kind of editor per :class:`~tflab.catalog.ParamSpec` kind.

A :class:`ParamField` is one row of the inspector: the parameter's name, an editor
made by :func:`make_editor`, the parameter's description, and the reason in red
when the value typed is not valid. The field checks every change with
``ParamSpec.validate`` as the user types: a valid value is sent on
(``sigValueChanged``) already normalised; an invalid one is refused on the spot,
with the editor framed in red and the engine's explanation under it.

Editors show the *effective* value of a parameter (the one set, else the Keras
default); the inspector decides what goes into the sparse config.

=============================  ===========================================
kind                           editor
=============================  ===========================================
int, float                     :class:`NumberBox` (free text with arrows)
bool                           check box
choice, dtype                  combo box
activation                     editable combo box of activation names
str                            line edit
shape, int_or_tuple, axis,     line edit of numbers (``28, 28``)
any
initializer                    :class:`ObjectEditor`: initializer class and its
                               own arguments
regularizer, constraint        :class:`ObjectEditor`: class and arguments
layer                          :class:`LayerValueEditor`: wrapped layer class
                               and its key arguments
=============================  ===========================================
"""

from __future__ import annotations

import ast
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab import catalog
from tflab.catalog import ParamSpec, initializers
from tflab.graph import snake_case
from tflab.messages import TflabError
from ui.core.text import fill
from ui.widgets.messages import Said, words

#: The colour of a refused value's frame and of the reason under it.
ERROR_COLOR = "#c62828"


# --------------------------------------------------------------------------- values


def same_value(a: Any, b: Any) -> bool:
    """Whether two parameter values mean the same (``1 == 1.0``, but ``True != 1``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, dict)) or isinstance(b, (list, tuple, dict)):
        return False
    return a == b


def _lists(value: Any) -> Any:
    """``value`` with every tuple turned into a list (recursively)."""
    if isinstance(value, (list, tuple)):
        return [_lists(item) for item in value]
    return value


_SPACED_NUMBERS = re.compile(r"^-?\d+(\s+-?\d+)+$")


def parse_text(spec: ParamSpec, text: str) -> Any:
    """The value the user means by ``text`` in a free-text field of ``spec``.

    ``""`` and ``"None"`` mean None; ``"28, 28"``, ``"(28, 28)"``, ``"[28, 28]"``
    and ``"28 28"`` all mean ``[28, 28]``; a lone number is a number (a one-item
    list for a ``shape``). Text that is not a Python literal comes back as the
    text itself, so that ``spec.validate`` can say what is wrong with it (or, for
    a ``str``/``any`` parameter, accept it).
    """
    stripped = text.strip()
    if spec.kind == "str":
        return None if (not stripped and spec.nullable) or stripped == "None" else text
    if not stripped or stripped == "None":
        return None
    if _SPACED_NUMBERS.match(stripped):
        stripped = ",".join(stripped.split())
    try:
        value = _lists(ast.literal_eval(stripped))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return stripped
    if spec.kind == "shape" and isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return value


def format_value(spec: ParamSpec, value: Any) -> str:
    """``value`` as the text of a free-text field of ``spec`` (the inverse of :func:`parse_text`)."""
    if value is None:
        return ""
    if spec.kind == "str":
        return str(value)
    if spec.kind == "any":
        return repr(value)
    if isinstance(value, (list, tuple)):
        items = [format_value(spec, item) if not isinstance(item, (list, tuple))
                 else "(" + ", ".join(format_value(spec, x) for x in item) + ")"
                 for item in value]
        if len(items) == 1 and spec.kind != "shape":
            return items[0] + ","
        return ", ".join(item or "None" for item in items)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def choice_text(value: Any) -> str:
    """How a choice is shown in a combo box."""
    return "None" if value is None else str(value)


def default_text(spec: ParamSpec) -> str:
    """The default value of ``spec`` as shown to the user."""
    if isinstance(spec.default, (list, tuple)):
        return format_value(spec, spec.default)
    return choice_text(spec.default)


# --------------------------------------------------------------------------- small widgets


class _UndoToWindow(QObject):
    """An event filter that leaves Undo / Redo to the window (see :class:`_Guarded`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        return event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo))


_UNDO_TO_WINDOW: _UndoToWindow | None = None


def _undo_to_window() -> _UndoToWindow:
    global _UNDO_TO_WINDOW
    if _UNDO_TO_WINDOW is None:
        _UNDO_TO_WINDOW = _UndoToWindow()
    return _UNDO_TO_WINDOW


class _Guarded:
    """Keeps a form field from surprising the user (a mixin before the Qt class).

    The mouse wheel changes the field only when it has the focus, so scrolling through
    a long form never changes values by accident (the form scrolls instead); and Undo /
    Redo pressed in the field reach the window (undo the model's last step, which the
    field then shows) instead of only changing the field's text behind the model's back.

    Only the focused field is watched for Undo: an event filter on every field of a
    form called Python for each of their events, and opening a big model, with worker
    threads running Python, made the window wait its turn for each call.
    """

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.hasFocus():
            event.ignore()  # to the form, which scrolls
            return
        super().wheelEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.installEventFilter(_undo_to_window())
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.removeEventFilter(_undo_to_window())
        super().focusOutEvent(event)


class _Line(_Guarded, QLineEdit):
    """A line edit of a form (see :class:`_Guarded`)."""


class NumberBox(_Guarded, QAbstractSpinBox):
    """A spin box that accepts any text, so a wrong number can be explained rather
    than silently swallowed; the arrows step within the spec's range.

    Signals:
        sigEdited(): the user typed or stepped.
    """

    sigEdited = Signal()

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self._spec = spec
        self._integer = spec.kind == "int"
        self.setKeyboardTracking(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textEdited.connect(self.sigEdited)
        if spec.nullable:
            self.lineEdit().setPlaceholderText("None")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def text_field(self) -> QLineEdit:
        """The line edit inside the box."""
        return self.lineEdit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._as_tall_as_a_line_edit(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._as_tall_as_a_line_edit(super().minimumSizeHint())

    def _as_tall_as_a_line_edit(self, hint: QSize) -> QSize:
        """A spin box that holds no number yet asks some styles for less height than the
        line edits beside it (a squeezed box among full ones): ask for at least theirs."""
        if NumberBox._line_height is None:
            probe = QLineEdit()
            NumberBox._line_height = probe.sizeHint().height()
            probe.deleteLater()
        return QSize(hint.width(), max(hint.height(), NumberBox._line_height))

    _line_height: int | None = None

    def validate(self, text: str, pos: int) -> object:
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        return text

    def _step(self) -> float:
        if self._integer:
            return 1
        spec = self._spec
        small = (spec.maximum is not None and spec.maximum <= 1) or (
            isinstance(spec.default, float) and 0 < abs(spec.default) < 1)
        return 0.01 if small else 0.1

    def _number(self) -> float | None:
        value = parse_text(self._spec, self.text())
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return None

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802 - Qt's name
        flags = QAbstractSpinBox.StepEnabledFlag
        number = self._number()
        if number is None:
            return flags.StepUpEnabled | flags.StepDownEnabled
        result = flags.StepNone
        if self._spec.maximum is None or number < self._spec.maximum:
            result |= flags.StepUpEnabled
        if self._spec.minimum is None or number > self._spec.minimum:
            result |= flags.StepDownEnabled
        return result

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        spec = self._spec
        number = self._number()
        if number is None:
            number = spec.default if isinstance(spec.default, (int, float)) else (spec.minimum or 0)
        number = number + steps * self._step()
        if spec.minimum is not None:
            number = max(number, spec.minimum)
        if spec.maximum is not None:
            number = min(number, spec.maximum)
        text = str(int(round(number))) if self._integer else repr(round(float(number), 10))
        self.lineEdit().setText(text)
        self.sigEdited.emit()


class _Combo(_Guarded, QComboBox):
    """A combo box of a form (see :class:`_Guarded`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)


# --------------------------------------------------------------------------- editors


class ParamEditor(QWidget):
    """Base of the editors: shows a value, reports user edits.

    Subclasses implement :meth:`candidate` (what the user entered, not validated;
    raising :class:`TflabError` when it cannot even be read) and :meth:`display`.

    Signals:
        sigEdited(): the user changed the value (never sent by :meth:`display`).
    """

    sigEdited = Signal()

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._frame = QFrame(self)
        self._frame.setObjectName("paramFrame")
        outer.addWidget(self._frame)
        self._layout = QHBoxLayout(self._frame)
        self._layout.setContentsMargins(1, 1, 1, 1)
        self._layout.setSpacing(4)
        self.set_invalid(False)

    def candidate(self) -> Any:
        """The value the user entered (may be invalid; ``spec.validate`` judges it)."""
        raise NotImplementedError

    def display(self, value: Any) -> None:
        """Show ``value`` without sending ``sigEdited``."""
        raise NotImplementedError

    def frame_widget(self) -> QWidget:
        """The frame drawn in red around the editor when the value is refused."""
        return self._frame

    def set_invalid(self, invalid: bool) -> None:
        """Frame the editor in red (or not)."""
        if invalid == self._frame.property("invalid"):
            return  # setting a style sheet again costs a re-polish (23 fields at every key)
        self._frame.setProperty("invalid", invalid)
        color = ERROR_COLOR if invalid else "transparent"
        self._frame.setStyleSheet(f"QFrame#paramFrame {{ border: 1px solid {color}; border-radius: 3px; }}")


class NumberEditor(ParamEditor):
    """int and float parameters."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.box = NumberBox(spec, self)
        self.box.sigEdited.connect(self.sigEdited)
        self._layout.addWidget(self.box)
        self.setFocusProxy(self.box)

    def candidate(self) -> Any:
        return parse_text(self.spec, self.box.text())

    def display(self, value: Any) -> None:
        self.box.text_field().setText(format_value(self.spec, value))



class BoolEditor(ParamEditor):
    """bool parameters: a check box."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.check = QCheckBox(self)
        self.check.toggled.connect(self._label)
        self.check.clicked.connect(self.sigEdited)
        self._layout.addWidget(self.check)
        self._layout.addStretch(1)
        self.setFocusProxy(self.check)
        self._label(False)

    def _label(self, checked: bool) -> None:
        self.check.setText(self.tr("Yes") if checked else self.tr("No"))

    def candidate(self) -> Any:
        return self.check.isChecked()

    def display(self, value: Any) -> None:
        self.check.setChecked(bool(value))
        self._label(bool(value))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._label(self.check.isChecked())
        super().changeEvent(event)



class ChoiceEditor(ParamEditor):
    """choice and dtype parameters (and a bool that may be None): a combo box."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        if spec.kind == "dtype":
            values = list(spec.choices or catalog.ALL_DTYPES)
        elif spec.kind == "bool":
            values = [True, False]
        else:
            values = list(spec.choices)
        if spec.nullable and None not in values:
            values.insert(0, None)
        self._values = values
        self.combo = _Combo(self)
        for value in values:
            self.combo.addItem(choice_text(value))
        self.combo.activated.connect(lambda _index: self.sigEdited.emit())
        self._layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def candidate(self) -> Any:
        return self._values[self.combo.currentIndex()]

    def display(self, value: Any) -> None:
        index = next((i for i, v in enumerate(self._values) if same_value(v, value)), -1)
        if index < 0:  # a value from a file that is not in the list: show it anyway
            self._values.append(value)
            self.combo.addItem(choice_text(value))
            index = len(self._values) - 1
        self.combo.setCurrentIndex(index)



class ActivationEditor(ParamEditor):
    """activation parameters: an editable combo of activation names."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.combo = _Combo(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        names = (["None"] if spec.nullable else []) + list(catalog.ACTIVATIONS)
        self.combo.addItems(names)
        completer = QCompleter(names, self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.combo.setCompleter(completer)
        self.combo.lineEdit().textEdited.connect(self.sigEdited)
        self.combo.activated.connect(lambda _index: self.sigEdited.emit())
        self._layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def text_field(self) -> QLineEdit:
        """The line edit of the combo box."""
        return self.combo.lineEdit()

    def candidate(self) -> Any:
        text = self.combo.currentText().strip()
        return None if text in ("", "None") else text

    def display(self, value: Any) -> None:
        self.combo.setEditText(choice_text(value))



class TextEditor(ParamEditor):
    """str, shape, int_or_tuple, axis and any parameters: a line edit."""

    _PLACEHOLDERS = {"shape": "28, 28, 1", "int_or_tuple": "3  /  3, 3", "axis": "-1", "any": "None"}

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.line = _Line(self)
        placeholder = "None" if spec.nullable else self._PLACEHOLDERS.get(spec.kind, "")
        self.line.setPlaceholderText(placeholder)
        self.line.textEdited.connect(self.sigEdited)
        self._layout.addWidget(self.line)
        self.setFocusProxy(self.line)

    def text_field(self) -> QLineEdit:
        """The line edit."""
        return self.line

    def candidate(self) -> Any:
        return parse_text(self.spec, self.line.text())

    def display(self, value: Any) -> None:
        self.line.setText(format_value(self.spec, value))



class ObjectEditor(ParamEditor):
    """initializer, regularizer and constraint parameters: pick a class, then set its
    own arguments (mean, stddev, seed, l2, max_value...) in the fields below it.

    With no argument changed the value is the name Keras knows (``"he_normal"``,
    ``"l2"``); with arguments it is an object value
    ``{"class_name", "module", "config"}`` whose config holds only those arguments.
    """

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self._module = {"initializer": "initializers", "regularizer": "regularizers",
                        "constraint": "constraints"}[spec.kind]
        if self._module == "initializers":
            self._classes = initializers.initializer_names()
        else:
            self._classes = list(catalog.OBJECT_PARAMS[self._module])
        self._choices: list[str | None] = ([None] if spec.nullable else []) + list(self._classes)
        self._fields: dict[str, ParamField] = {}
        self._class: str | None = None

        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.combo = _Combo(self)
        for choice in self._choices:
            self.combo.addItem(choice_text(choice))
        self._describe_choices()
        self.combo.activated.connect(self._on_class_picked)
        box.addWidget(self.combo)
        self._about = QLabel(self)
        self._about.setWordWrap(True)
        self._about.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = self._about.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self._about.setFont(small)
        box.addWidget(self._about)
        self._args = QWidget(self)
        self._args_layout = QVBoxLayout(self._args)
        self._args_layout.setContentsMargins(12, 0, 0, 0)
        self._args_layout.setSpacing(2)
        box.addWidget(self._args)
        self._layout.addLayout(box)
        self.setFocusProxy(self.combo)
        self._build_fields(None)

    # ----------------------------------------------------------------- classes
    def _describe(self, class_name: str) -> str:
        if self._module == "initializers":
            return initializers.initializer_spec(class_name).describe()
        return ""

    def _describe_choices(self) -> None:
        """Each class's description as its tooltip in the list (in the language now chosen)."""
        for index, choice in enumerate(self._choices):
            if choice is not None and choice in self._classes:
                self.combo.setItemData(index, self._describe(choice), Qt.ItemDataRole.ToolTipRole)

    def _show_about(self) -> None:
        about = self._describe(self._class) if self._class in self._classes else ""
        self._about.setText(about)
        self._about.setVisible(bool(about))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._describe_choices()
            self._show_about()
        super().changeEvent(event)

    def _params(self, class_name: str | None) -> tuple[ParamSpec, ...]:
        if class_name is None:
            return ()
        if self._module == "initializers":
            return initializers.initializer_spec(class_name).params
        return catalog.OBJECT_PARAMS[self._module][class_name]

    def _split(self, value: Any) -> tuple[str | None, dict]:
        """(class name, sparse arguments) of a value."""
        if value is None:
            return None, {}
        if isinstance(value, str):
            if self._module == "initializers":
                return initializers.initializer_spec(value).class_name, {}
            by_alias = {snake_case(name): name for name in self._classes}
            return by_alias.get(value, value), {}
        if catalog.is_object_value(value):
            return value["class_name"], dict(value.get("config") or {})
        raise TflabError(f"Not a value of {self.spec.name}: {value!r}.")

    def argument_field(self, name: str) -> ParamField | None:
        """The field of argument ``name`` of the picked class (None if it has none)."""
        return self._fields.get(name)

    def _build_fields(self, class_name: str | None) -> None:
        for field in self._fields.values():
            field.setParent(None)
            field.deleteLater()
        self._fields = {}
        for spec in self._params(class_name):
            field = ParamField(spec, compact=True, parent=self._args)
            field.sigValueChanged.connect(self._on_argument_changed)
            field.sigResetRequested.connect(self._on_argument_reset)
            self._args_layout.addWidget(field)
            self._fields[spec.name] = field
        self._args.setVisible(bool(self._fields))
        self._class = class_name
        self._show_about()

    def _on_class_picked(self, index: int) -> None:
        picked = self._choices[index]
        if picked != self._class:
            self._build_fields(picked)
            for field in self._fields.values():
                field.set_value(field.spec.default, False)
        self.sigEdited.emit()

    def _on_argument_changed(self, value: Any) -> None:
        field = self.sender()
        if isinstance(field, ParamField):
            field.set_value(value, not same_value(value, field.spec.default))
            self.sigEdited.emit()

    def _on_argument_reset(self) -> None:
        field = self.sender()
        if isinstance(field, ParamField):
            field.set_value(field.spec.default, False)
            self.sigEdited.emit()

    # ----------------------------------------------------------------- value
    def candidate(self) -> Any:
        if self._class is None:
            return None
        args = {name: field.value() for name, field in self._fields.items()
                if not same_value(field.value(), field.spec.default)}
        if self._module == "initializers":
            if not args:
                return initializers.normalize_initializer(self._class)
            return initializers.make_initializer(self._class, **args)
        alias = snake_case(self._class)
        names = catalog.REGULARIZER_NAMES if self._module == "regularizers" else catalog.CONSTRAINT_NAMES
        if not args and alias in names:
            return alias
        return {"class_name": self._class, "module": self._module, "config": args}

    def display(self, value: Any) -> None:
        class_name, args = self._split(value)
        if class_name not in self._choices:
            self._choices.append(class_name)
            self.combo.addItem(choice_text(class_name))
        self.combo.setCurrentIndex(self._choices.index(class_name))
        if class_name != self._class:
            self._build_fields(class_name)
        for name, field in self._fields.items():
            field.set_value(args.get(name, field.spec.default), name in args)



class LayerValueEditor(ParamEditor):
    """layer parameters (the layer inside Bidirectional or TimeDistributed): its class
    and its key arguments (e.g. units, return_sequences); other arguments it already
    has are kept."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        classes = list(spec.choices) or [
            e.class_name for e in catalog.curated_entries()
            if e.class_name != "Input" and e.input_mode == "single"
        ]
        self._choices: list[str | None] = ([None] if spec.nullable else []) + classes
        self._fields: dict[str, ParamField] = {}
        self._class: str | None = None
        self._config: dict = {}

        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.combo = _Combo(self)
        self.combo.addItems([choice_text(c) for c in self._choices])
        self.combo.activated.connect(self._on_class_picked)
        box.addWidget(self.combo)
        self._args = QWidget(self)
        self._args_layout = QVBoxLayout(self._args)
        self._args_layout.setContentsMargins(12, 0, 0, 0)
        self._args_layout.setSpacing(2)
        box.addWidget(self._args)
        self._layout.addLayout(box)
        self.setFocusProxy(self.combo)
        self._build_fields(None)

    def argument_field(self, name: str) -> ParamField | None:
        """The field of argument ``name`` of the wrapped layer (None if not shown)."""
        return self._fields.get(name)

    def _build_fields(self, class_name: str | None) -> None:
        for field in self._fields.values():
            field.setParent(None)
            field.deleteLater()
        self._fields = {}
        self._class = class_name
        if class_name is not None:
            entry = catalog.get_entry(class_name)
            shown = [p for p in entry.params if p.required or p.name in entry.key_params]
            for spec in shown:
                field = ParamField(spec, compact=True, parent=self._args)
                field.sigValueChanged.connect(self._on_argument_changed)
                field.sigResetRequested.connect(self._on_argument_reset)
                self._args_layout.addWidget(field)
                self._fields[spec.name] = field
        self._args.setVisible(bool(self._fields))

    def _show_arguments(self) -> None:
        for name, field in self._fields.items():
            field.set_value(self._config.get(name, field.spec.default), name in self._config)

    def _on_class_picked(self, index: int) -> None:
        picked = self._choices[index]
        if picked != self._class:
            self._config = catalog.get_entry(picked).fresh_config() if picked else {}
            self._build_fields(picked)
            self._show_arguments()
        self.sigEdited.emit()

    def _on_argument_changed(self, value: Any) -> None:
        field = self.sender()
        if isinstance(field, ParamField):
            if same_value(value, field.spec.default) and not field.spec.required:
                self._config.pop(field.spec.name, None)
            else:
                self._config[field.spec.name] = value
            field.set_value(value, field.spec.name in self._config)
            self.sigEdited.emit()

    def _on_argument_reset(self) -> None:
        field = self.sender()
        if isinstance(field, ParamField):
            self._config.pop(field.spec.name, None)
            field.set_value(field.spec.default, False)
            self.sigEdited.emit()

    def candidate(self) -> Any:
        if self._class is None:
            return None
        return {"class_name": self._class, "module": "layers", "config": dict(self._config)}

    def display(self, value: Any) -> None:
        class_name = value.get("class_name") if isinstance(value, dict) else None
        if class_name not in self._choices:
            self._choices.append(class_name)
            self.combo.addItem(choice_text(class_name))
        self.combo.setCurrentIndex(self._choices.index(class_name))
        self._config = dict(value.get("config") or {}) if isinstance(value, dict) else {}
        if class_name != self._class:
            self._build_fields(class_name)
        self._show_arguments()



def make_editor(spec: ParamSpec, parent: QWidget | None = None) -> ParamEditor:
    """The editor for a parameter of ``spec``'s kind."""
    kind = spec.kind
    if kind in ("int", "float"):
        return NumberEditor(spec, parent)
    if kind == "bool":
        return ChoiceEditor(spec, parent) if spec.nullable else BoolEditor(spec, parent)
    if kind in ("choice", "dtype"):
        return ChoiceEditor(spec, parent)
    if kind == "activation":
        return ActivationEditor(spec, parent)
    if kind in ("initializer", "regularizer", "constraint"):
        return ObjectEditor(spec, parent)
    if kind == "layer":
        return LayerValueEditor(spec, parent)
    return TextEditor(spec, parent)


# --------------------------------------------------------------------------- field


class ParamField(QWidget):
    """One parameter in a form: name, editor, description, and the reason a value is refused.

    Signals:
        sigValueChanged(object): the user entered a valid value (normalised by
            ``ParamSpec.validate``).
        sigResetRequested(): the user asked to go back to the default value.
    """

    sigValueChanged = Signal(object)
    sigResetRequested = Signal()

    def __init__(self, spec: ParamSpec, compact: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self._value: Any = spec.default
        self._is_set = False
        self.starting_note = ""  # see set_starting_value
        self._starting: tuple[Any] | None = None   # (the starting value,), see set_starting_value
        self._error: Said = ""                     # the reason shown under the editor

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2 if compact else 4, 0, 2 if compact else 4)
        layout.setSpacing(2)

        head = QHBoxLayout()
        head.setSpacing(4)
        self.label = QLabel(spec.name, self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.label, 1)
        self.reset_button = QToolButton(self)
        self.reset_button.setAutoRaise(True)
        self.reset_button.clicked.connect(self.sigResetRequested)
        self.reset_button.setVisible(False)
        head.addWidget(self.reset_button)
        layout.addLayout(head)

        self.description = QLabel(self)
        self.description.setObjectName("paramDescription")
        self.description.setWordWrap(True)
        self.description.setVisible(not compact and bool(spec.describe()))
        small = self.description.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.description.setFont(small)
        self.description.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.description)

        self.editor = make_editor(spec, self)
        self.editor.sigEdited.connect(self._on_edited)
        layout.addWidget(self.editor)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("paramError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.setFocusProxy(self.editor)
        self._retranslate()

    def _retranslate(self) -> None:
        spec = self.spec
        self.label.setToolTip(spec.describe())
        # A button that says what it does (a bare "Default" read as a label): back to Keras's value.
        self.reset_button.setText("\u21ba " + self.tr("Keras default"))
        self.reset_button.setToolTip(fill(self.tr("Back to the default value: %1"), default_text(spec)))
        self.editor.setToolTip(spec.describe())
        self._describe()
        if self._error:
            self.error_label.setText(words(self._error))

    def _describe(self) -> None:
        """The description, with the note on tflab's starting value if there is one."""
        note = ""
        if self._starting is not None:
            value = self._starting[0]
            note = fill(
                self.tr("tflab starts new layers with %1; Keras's own default is %2."),
                choice_text(value) if not isinstance(value, (list, tuple)) else format_value(self.spec, value),
                default_text(self.spec),
            )
        self.starting_note = note
        self.description.setText(f"{self.spec.describe()}\n{note}".strip())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ----------------------------------------------------------------- state
    def set_starting_value(self, value: Any) -> None:
        """Say that tflab starts new layers with ``value`` where Keras's own default differs
        (e.g. Dense's activation: tflab's relu, Keras's None). Nothing for an argument Keras
        requires (it has no default to differ from)."""
        if self.spec.required or same_value(value, self.spec.default):
            return
        self._starting = (value,)
        self._describe()
        self.description.setVisible(True)

    def value(self) -> Any:
        """The last valid value (shown or entered)."""
        return self._value

    def is_set(self) -> bool:
        """Whether the value differs from the default (it is stored in the config)."""
        return self._is_set

    def error(self) -> str:
        """The reason the current text is refused ("" when it is not)."""
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def set_value(self, value: Any, is_set: bool) -> None:
        """Show ``value``; ``is_set`` marks it as changed from the default.

        The editor's text is left alone when it already means ``value``, so a
        refresh while the user types never moves the cursor.
        """
        self._value = value
        self._is_set = is_set
        if not self._editor_means(value):
            self.editor.display(value)
        self.show_error("")
        self._mark(is_set)

    def show_error(self, said: Said) -> None:
        """Show ``said`` under the editor and frame it in red ("" clears both): a text, a
        :class:`TflabError` or a function that writes the text (these two are written
        again when the language changes)."""
        self._error = said
        text = words(said)
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.editor.set_invalid(bool(text))

    # ----------------------------------------------------------------- internals
    def _editor_means(self, value: Any) -> bool:
        try:
            return same_value(self.spec.validate(self.editor.candidate()), value)
        except TflabError:
            return False

    def _mark(self, is_set: bool) -> None:
        font = self.label.font()
        font.setBold(is_set)
        self.label.setFont(font)
        self.reset_button.setVisible(is_set and not self.spec.required)

    def _on_edited(self) -> None:
        try:
            value = self.spec.validate(self.editor.candidate())
        except TflabError as err:
            self.show_error(err)
            return
        self.show_error("")
        self._value = value
        self.sigValueChanged.emit(value)
