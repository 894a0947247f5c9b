"""The open project as the views see it: one ModelGraph, its undo stack, change events.

Data flows one way: a user gesture becomes an undoable command; the command
changes the :class:`~tflab.graph.ModelGraph`; the document emits ``sigChanged``;
the views (stack, graph, inspector, code, summary) redraw from the graph. Views
never change the graph directly: they call :meth:`Document.edit`.

Every edit is recorded as a snapshot command (the graph's JSON before and after),
which makes undo/redo exact for any edit, however complex, at the cost of a few
kilobytes per step.
"""

from __future__ import annotations

import copy
import json
import weakref
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from tflab import catalog
from tflab.catalog import LayerEntry
from tflab.graph import ModelGraph
from tflab.messages import TflabError
from tflab.project import Project

#: Every command pushed on an undo stack and not yet deleted by it, kept reachable from
#: here. When Python's garbage collector breaks a reference cycle through a command's
#: wrapper, PySide hands the command back to Python, which deletes it while its
#: QUndoStack still holds it; the stack's destructor then deletes it again and the
#: program crashes. Seen when an edited document went with the garbage (its stack and
#: commands with it). Held here, a command is never garbage: it goes when its stack
#: deletes it (undone and replaced, merged, cleared, or with the stack). A command holds
#: its document weakly, so a document nobody uses still goes.
_PUSHED: set[_SwapCommand] = set()


def _push(stack: QUndoStack, command: _SwapCommand) -> None:
    """Push ``command`` on ``stack``, keeping it in :data:`_PUSHED`."""
    _let_go_of_deleted()
    _PUSHED.add(command)
    stack.push(command)


def _let_go_of_deleted() -> None:
    """Let go of the commands that their stacks have deleted (and of the states they held)."""
    _PUSHED.difference_update([done for done in _PUSHED if not shiboken6.isValid(done)])


class _SwapCommand(QUndoCommand):
    """An undoable step that puts back a state from before it, or again the one after it.
    The change is already applied when the command is pushed. Consecutive steps with the
    same ``merge_key`` (typing in a number field, nudging a box) merge into one. Pushed
    by :func:`_push` only."""

    ID = -1  # Qt merges only commands of one id

    def __init__(self, document: Document, text: str, before: object, after: object,
                 merge_key: str | None = None):
        super().__init__(text)
        self._document_ref = weakref.ref(document)
        self._before = before
        self._after = after
        self._merge_key = merge_key
        self._first = True

    @property
    def _document(self) -> Document:
        document = self._document_ref()
        assert document is not None, "a command outlived its document"  # its stack goes with it
        return document

    def _apply(self, state: object) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._first:  # already applied when pushed
            self._first = False
            return
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)

    def id(self) -> int:
        return self.ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if type(other) is not type(self) or other._merge_key != self._merge_key:
            return False
        self._after = other._after
        return True


class SnapshotCommand(_SwapCommand):
    """Undo/redo by swapping whole graph snapshots."""

    ID = 1

    def _apply(self, state: object) -> None:
        self._document._restore(state)


class TrainingCommand(_SwapCommand):
    """Undo/redo of a change to the project's training settings (consecutive ones merge)."""

    ID = 2

    def __init__(self, document: Document, text: str, before: dict, after: dict):
        super().__init__(document, text, before, after, merge_key="training")

    def _apply(self, state: object) -> None:
        self._document._set_training(state)


class PlaceCommand(_SwapCommand):
    """Undo/redo of where boxes stand: the stored positions before and after (a move of
    one box on a graph of 770 layers no longer copies the whole graph twice)."""

    ID = 3

    def _apply(self, state: object) -> None:
        self._document._set_positions(state)


class DrawnWhenShown:
    """For a view of the document that the editor may hide (stack or graph): while not
    active it only notes that it is out of date, and redraws (:meth:`_redraw`) when it
    is active again. Drawing a big model nobody sees took seconds."""

    _active = True
    _stale = False

    def _redraw(self) -> None:
        raise NotImplementedError

    def set_active(self, active: bool) -> None:
        self._active = active
        if active and self._stale:
            self._stale = False
            self._redraw()

    def _on_document_changed(self) -> None:
        self._stale = not self._active
        if self._active:
            self._redraw()


class Document(QObject):
    """The project being edited.

    Signals:
        sigChanged(): the graph changed (edit, undo, redo, load).
        sigPlaced(): only the stored positions of boxes changed (:meth:`place`, its undo
            and redo): the views that do not show where boxes stand are not told.
        sigSelectionChanged(str): the selected node id ("" for none).
        sigPathChanged(str): the file the project is saved to changed.
        sigError(object): an edit was refused (a TflabError to show the user).
        sigTrainingChanged(): the training settings changed (edit, undo, redo).
        sigCustomCodeChanged(): the project's custom layer code changed, or was allowed to run.
        sigProjectReplaced(): another project is shown (New, Open); sent before ``sigChanged``.
        sigModifiedChanged(bool): the project has (or no longer has) unsaved changes: an
            edit, or trained weights to keep (:meth:`set_weights`).
        sigWeightsChanged(): the trained weights kept with the project changed.

    Views look layers up here (:meth:`entry`, :meth:`entry_if_ready`, :meth:`validate_config`,
    :meth:`custom_entries`): the catalog, with this project's own layer classes.
    """

    sigChanged = Signal()
    sigPlaced = Signal()
    sigSelectionChanged = Signal(str)
    sigPathChanged = Signal(str)
    sigError = Signal(object)
    sigTrainingChanged = Signal()
    sigCustomCodeChanged = Signal()
    sigProjectReplaced = Signal()
    sigModifiedChanged = Signal(bool)
    sigWeightsChanged = Signal()

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project or Project()
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        self.selected: str = ""
        self._custom_source: str | None = None
        self._weights_unsaved = False  # trained weights that the file does not hold yet
        #: Counts the graph's announced changes: what was worked out from the graph is
        #: still true while ``graph`` is the same object and this is the same number.
        self.revision = 0
        self._snapshot: tuple[ModelGraph, int, dict] | None = None  # see snapshot()
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        from ui.core.trust import trust_events

        trust_events().sigTrusted.connect(self._on_trusted)
        self._sync_custom_code()

    # ------------------------------------------------------------------ access
    @property
    def graph(self) -> ModelGraph:
        return self.project.graph

    def entry(self, class_name: str) -> LayerEntry:
        """The catalog entry of ``class_name``, this project's own classes included
        (:class:`TflabError` for an unknown class)."""
        return catalog.get_entry(class_name, self.graph.custom_layers())

    def entry_if_ready(self, class_name: str) -> LayerEntry | None:
        """:meth:`entry`, or None when only Keras knows the class and it is not loaded yet."""
        return catalog.entry_if_ready(class_name, self.graph.custom_layers())

    def validate_config(self, class_name: str, config: dict) -> dict:
        """``config`` checked and normalised (:func:`tflab.catalog.validate_config`)."""
        return catalog.validate_config(class_name, config, self.graph.custom_layers())

    def custom_entries(self) -> list[LayerEntry]:
        """The entries of this project's own layer classes, in the order its code has them."""
        code = self.graph.custom_layers()
        return code.entries() if code is not None else []

    def is_modified(self) -> bool:
        """Whether the project has changes its file does not hold (edits or trained weights)."""
        return not self.undo_stack.isClean() or self._weights_unsaved

    @Slot(bool)
    def _on_clean_changed(self, _clean: bool) -> None:
        stack = getattr(self, "undo_stack", None)  # (its attributes may go first with the garbage)
        if stack is not None and shiboken6.isValid(stack):  # not while the document itself is going
            self.sigModifiedChanged.emit(self.is_modified())

    def set_weights(self, record: dict | None) -> None:
        """Keep the trained weights (a :mod:`tflab.weights` section; None: none) with the
        project. Not an edit (training is not undone), but unsaved work: closing asks."""
        if record == self.project.weights:
            return
        self.project.weights = record
        was = self.is_modified()
        self._weights_unsaved = True
        self.sigWeightsChanged.emit()
        if not was:
            self.sigModifiedChanged.emit(True)

    def mark_saved(self) -> None:
        """The file now holds the project as it is (after a save)."""
        was = self.is_modified()
        self._weights_unsaved = False
        self.undo_stack.setClean()
        if was and not self.is_modified():
            self.sigModifiedChanged.emit(False)

    # ------------------------------------------------------------------ edits
    def edit(self, text: str, change: Callable[[ModelGraph], object],
             merge_key: str | None = None, report: bool = True) -> object:
        """Apply ``change(graph)`` as one undoable step named ``text``.

        If ``change`` raises a :class:`TflabError` the graph is left exactly as it
        was, ``sigError`` carries the error (unless ``report`` is False: the caller
        shows it where the user asked, and the status bar would say it a second time),
        and the error is re-raised.
        Consecutive edits with the same ``merge_key`` merge into one undo step
        (e.g. typing in a number field).
        """
        before = self.snapshot()
        try:
            result = change(self.graph)
        except TflabError as err:
            self._restore(before, notify=False)
            if report:
                self.sigError.emit(err)
            raise
        except Exception:
            self._restore(before, notify=False)
            raise
        after = self.graph.to_json()
        if after != before:
            _push(self.undo_stack, SnapshotCommand(self, text, before, after, merge_key))
            if self.selected and not self.graph.has_node(self.selected):
                self.select("")
            self._emit_changed(after)
        return result

    def snapshot(self) -> dict:
        """The graph as it is now, as JSON data (:meth:`ModelGraph.to_json`), made once per
        change and shared: by the undo history, by the shape check and by the code writer,
        which take it to their lanes. Read it; never change it. (Each made its own copy:
        four copies of NASNetMobile's graph per keystroke, 8-12 ms each.)"""
        if self._snapshot is None or self._snapshot[0] is not self.graph or self._snapshot[1] != self.revision:
            self._snapshot = (self.graph, self.revision, self.graph.to_json())
        return self._snapshot[2]

    def place(self, text: str, positions: dict[str, tuple[float, float]], merge_key: str | None = None,
              replace: bool = False) -> None:
        """Store where boxes stand, as one undoable step named ``text``: ``positions`` are
        added to the stored ones (nodes no longer in the graph are skipped), or, with
        ``replace``, are the stored ones. Consecutive steps with the same ``merge_key``
        merge. Announced by ``sigPlaced`` alone: the model, its shapes and its code are
        the same."""
        graph = self.graph
        before = dict(graph.positions)
        if replace:
            after = {node_id: tuple(point) for node_id, point in positions.items()}
        else:
            after = {**before, **{node_id: tuple(point) for node_id, point in positions.items()
                                  if graph.has_node(node_id)}}
        if after == before:
            return
        graph.positions = after
        self._snapshot = None
        _push(self.undo_stack, PlaceCommand(self, text, before, dict(after), merge_key))
        self.sigPlaced.emit()

    def _set_positions(self, positions: dict[str, tuple[float, float]]) -> None:
        self.graph.positions = dict(positions)
        self._snapshot = None
        self.sigPlaced.emit()

    def set_custom_code(self, source: str, report: bool = True) -> None:
        """Make ``source`` the project's custom layer code, as an undoable edit.

        The user wrote it here, so it is trusted (it runs without a question). Raises
        :class:`TflabError` (also on ``sigError``) when the code cannot be used, e.g.
        when it no longer defines a class a layer of the model uses.
        """
        from ui.core.trust import trust

        self.edit(self.tr("Use custom layer code"), lambda graph: graph.set_custom_code(source), report=report)
        trust(self.graph.custom_code)

    def allow_custom_code(self) -> None:
        """The user read the project's custom code and agreed to run it."""
        from ui.core.trust import trust

        trust(self.graph.custom_code)

    def _on_trusted(self, key: str) -> None:
        """Code was approved (here, in the lab or in another window): if it is ours, check again."""
        from tflab.custom_layers import digest

        if self.graph.custom_code and digest(self.graph.custom_code) == key:
            self.sigCustomCodeChanged.emit()

    def custom_code_allowed(self) -> bool:
        """Whether the project's custom code may run (True when there is none)."""
        from tflab.custom_layers import is_allowed

        return not self.graph.custom_code or is_allowed(self.graph.custom_code)

    def _emit_changed(self, snapshot: dict | None = None) -> None:
        """Announce a change of the graph (``sigCustomCodeChanged`` first when the custom code
        changed, so views that list the project's layers have them when they redraw);
        ``snapshot``: its JSON, when the caller made it."""
        self._sync_custom_code()
        self.revision += 1
        self._snapshot = None if snapshot is None else (self.graph, self.revision, snapshot)
        self.sigChanged.emit()

    def _sync_custom_code(self) -> None:
        from ui.core.trust import allow_if_trusted

        source = self.graph.custom_code
        if source == self._custom_source:
            return
        self._custom_source = source
        allow_if_trusted(source)
        self.sigCustomCodeChanged.emit()

    def set_training(self, settings: dict, text: str = "Change training settings") -> None:
        """Store new training settings as an undoable step (consecutive ones merge).

        Like any edit, it marks the project modified, so closing asks to save it.
        """
        before = copy.deepcopy(self.project.training)
        after = copy.deepcopy(settings)
        if after != before:
            self.project.training = after
            _push(self.undo_stack, TrainingCommand(self, text, before, copy.deepcopy(after)))
            self.sigTrainingChanged.emit()

    def _set_training(self, settings: dict) -> None:
        self.project.training = copy.deepcopy(settings)
        self.sigTrainingChanged.emit()

    def _restore(self, snapshot: dict, notify: bool = True) -> None:
        self.project.graph = ModelGraph.from_json(json.loads(json.dumps(snapshot)))
        if self.selected and not self.graph.has_node(self.selected):
            self.select("")
        if notify:
            self._emit_changed(snapshot)
        else:
            self._snapshot = (self.graph, self.revision, snapshot)

    def replace_project(self, project: Project, path: Path | None) -> None:
        """Show another project (New/Open): clears the undo history."""
        self.project = project
        self._weights_unsaved = False
        self.undo_stack.clear()
        _let_go_of_deleted()
        self.undo_stack.setClean()
        self.set_path(path)
        self.select("")
        self.sigProjectReplaced.emit()
        self._emit_changed()

    def set_path(self, path: Path | None) -> None:
        self.path = path
        self.sigPathChanged.emit(str(path) if path else "")

    def select(self, node_id: str) -> None:
        if node_id != self.selected:
            self.selected = node_id
            self.sigSelectionChanged.emit(node_id)
