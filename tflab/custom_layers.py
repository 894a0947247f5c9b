"""A project's own layer classes: Python code the model graph carries.

A student writes a ``tf.keras.layers.Layer`` subclass (in the custom layers lab), and
the project keeps that code (:attr:`tflab.graph.ModelGraph.custom_code`). Its layer
classes then join the palette, the inspector, shape inference, training and the
generated code like any Keras layer.

Two steps, kept apart on purpose:

- :func:`parse` reads the code's syntax tree and **runs nothing**: which classes are
  layers, their ``__init__`` arguments (for the inspector) and docstrings (for the
  palette). Opening, editing and generating code never execute the student's code.
- :func:`load` executes the code, in this process, and returns the classes. It only
  does so for code the user has allowed (:func:`allow`): code typed on this computer,
  or code from someone else's project after the user has read it and said yes.
  Everything that needs real Keras objects (shape inference, training) goes through
  :func:`load`, so code that was not allowed is never run.

This module does not import TensorFlow or Keras (only :func:`load` does).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import linecache
import re
import threading
import traceback
import types
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from tflab import tfload
from tflab.messages import TflabError

#: Longest custom code accepted, in characters.
MAX_SOURCE = 100_000
#: Names the generated module defines itself: custom code must not define them.
RESERVED_NAMES = frozenset({"build_model", "make_random_data", "Input", "Model", "Sequential"})
#: Call arguments Keras passes by keyword: they are not model inputs.
_CALL_KEYWORDS = frozenset({"training", "mask"})


class CustomCodeProblem(TflabError):
    """Custom layer code that cannot be used: a syntax error, no layer class, a bad name,
    or an error while it runs. ``line`` is the line of the code, when known."""

    def __init__(self, en: str, zh: str, *, line: int | None = None, hint_en: str = "", hint_zh: str = ""):
        super().__init__(en, zh, hint_en=hint_en, hint_zh=hint_zh)
        self.line = line


class NotAllowedError(TflabError):
    """The code has not been allowed to run in this session (see :func:`allow`)."""


@dataclass(frozen=True)
class CustomClass:
    """One layer class of the custom code, as read from its syntax tree."""

    name: str
    line: int
    doc: str
    #: ``__init__`` arguments: (name, default as JSON data or None, has default, default's source)
    arguments: tuple[tuple[str, Any, bool, str], ...]
    #: How many tensors ``call`` takes as positional arguments (1 for most layers).
    call_inputs: int

    @property
    def input_mode(self) -> str:
        """How the layer is called: on one tensor ("single"), or on several as
        positional arguments ("positional")."""
        return "positional" if self.call_inputs > 1 else "single"


@dataclass(frozen=True)
class CustomCode:
    """Parsed custom code: its text, a digest naming exactly that text, its layer classes."""

    source: str
    digest: str
    classes: tuple[CustomClass, ...]
    #: Every name the code defines at module level (classes, functions, variables, imports).
    top_names: frozenset[str] = frozenset()

    def names(self) -> list[str]:
        """The layer class names, in the order the code defines them."""
        return [cls.name for cls in self.classes]

    def get(self, name: str) -> CustomClass | None:
        return next((cls for cls in self.classes if cls.name == name), None)

    def entries(self) -> list[Any]:
        """The catalog entries (:class:`~tflab.catalog.LayerEntry`) of its layer classes,
        made from the syntax tree: nothing runs."""
        return list(self._entries.values())

    def entry(self, name: str) -> Any:
        """The catalog entry of layer class ``name``, or None when the code has no such class."""
        return self._entries.get(name)

    @functools.cached_property
    def _entries(self) -> dict[str, Any]:
        return {cls.name: custom_entry(cls) for cls in self.classes}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None


def digest(source: str) -> str:
    """A name for exactly this text of code (SHA-256, hex)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def filename(code: CustomCode) -> str:
    """The file name tracebacks and ``inspect`` give the code once it has run."""
    return f"<tflab custom layers {code.digest[:12]}>"


# --------------------------------------------------------------------------- parsing (runs nothing)


def parse(source: str) -> CustomCode:
    """Read ``source`` without running it: its layer classes and their arguments.

    Raises :class:`CustomCodeProblem` for code that is not text, too long, has a
    syntax error, defines no layer class, or uses a name the app needs.
    """
    if not isinstance(source, str) or not source.strip():
        raise CustomCodeProblem("The custom layer code is empty.", "自定义层的代码是空的。")
    return _parse(source)


@functools.lru_cache(maxsize=64)
def _parse(source: str) -> CustomCode:
    if len(source) > MAX_SOURCE:
        raise CustomCodeProblem(
            f"The custom layer code is longer than {MAX_SOURCE:,} characters.",
            f"自定义层的代码超过了 {MAX_SOURCE:,} 个字符。",
        )
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise CustomCodeProblem(
            f"The custom layer code has a syntax error on line {err.lineno}: {err.msg}.",
            f"自定义层的代码第 {err.lineno} 行有语法错误：{err.msg}。",
            line=err.lineno,
        ) from None
    except (ValueError, RecursionError, MemoryError) as err:
        raise CustomCodeProblem(f"The custom layer code cannot be read: {err}.",
                                f"无法读取自定义层的代码：{err}。") from None
    _check_reserved(tree)
    classes: list[CustomClass] = []
    layer_nodes: dict[str, ast.ClassDef] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and _is_layer_class(node, layer_nodes):
            _check_class_name(node)
            layer_nodes[node.name] = node
            classes.append(_read_class(node, layer_nodes))
    if not classes:
        raise CustomCodeProblem(
            "The code defines no layer: write a class that subclasses tf.keras.layers.Layer.",
            "代码中没有定义层：请写一个继承 tf.keras.layers.Layer 的类。",
        )
    unique = {cls.name: cls for cls in classes}  # a class defined twice: the last one counts
    return CustomCode(source, digest(source), tuple(unique.values()), _top_names(tree))


def _top_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        else:
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return frozenset(names)


def _base_name(base: ast.expr) -> str:
    """The last part of a base class expression: ``tf.keras.layers.Layer`` -> ``Layer``."""
    if isinstance(base, ast.Attribute):
        return base.attr
    if isinstance(base, ast.Name):
        return base.id
    return ""


def _is_layer_class(node: ast.ClassDef, earlier: dict[str, ast.ClassDef]) -> bool:
    """A class whose base is ``Layer``, a Keras layer class or an earlier layer of the code."""
    from tflab import catalog

    for base in node.bases:
        name = _base_name(base)
        if name == "Layer" or name in earlier or (name in catalog.curated_names() and name != "Input"):
            return True
    return False


def _check_reserved(tree: ast.Module) -> None:
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        for name in names:
            if name in RESERVED_NAMES:
                raise CustomCodeProblem(
                    f"Line {node.lineno} defines {name!r}, a name the generated model code uses itself: "
                    "choose another name.",
                    f"第 {node.lineno} 行定义了 {name!r}，生成的模型代码自己要用这个名字：请换一个名字。",
                    line=node.lineno,
                )


def _check_class_name(node: ast.ClassDef) -> None:
    from tflab import catalog

    if node.name in catalog.curated_names() or node.name.startswith("_"):
        raise CustomCodeProblem(
            f"Your layer class on line {node.lineno} is called {node.name!r}"
            + (", like a layer of tf.keras.layers" if not node.name.startswith("_") else "")
            + f": give it a name of its own, such as My{node.name.strip('_')}.",
            f"第 {node.lineno} 行的层类名为 {node.name!r}"
            + ("，与 tf.keras.layers 中的层同名" if not node.name.startswith("_") else "")
            + f"：请给它起一个自己的名字，例如 My{node.name.strip('_')}。",
            line=node.lineno,
        )


def _read_class(node: ast.ClassDef, layer_nodes: dict[str, ast.ClassDef]) -> CustomClass:
    init = _method(node, "__init__", layer_nodes)
    call = _method(node, "call", layer_nodes)
    arguments: list[tuple[str, Any, bool, str]] = []
    if init is not None:
        args = init.args
        positional = args.posonlyargs + args.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        pairs = list(zip(positional, defaults))[1:]  # without self
        pairs += list(zip(args.kwonlyargs, args.kw_defaults))
        for arg, default in pairs:
            if arg.arg == "name":
                continue
            arguments.append(_argument(arg.arg, default))
    call_inputs = 1
    if call is not None:
        args = call.args
        names = [a.arg for a in (args.posonlyargs + args.args)[1:]]
        required = len(names) - len(args.defaults)
        call_inputs = max(1, len([n for n in names[:required] if n not in _CALL_KEYWORDS]))
    doc = ast.get_docstring(node) or ""
    return CustomClass(node.name, node.lineno, doc, tuple(arguments), call_inputs)


def _method(node: ast.ClassDef, name: str, layer_nodes: dict[str, ast.ClassDef]) -> ast.FunctionDef | None:
    """The method ``name`` of the class, or of the nearest earlier layer class it extends."""
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == name:
            return item
    for base in node.bases:
        parent = layer_nodes.get(_base_name(base))
        if parent is not None and parent is not node:
            return _method(parent, name, layer_nodes)
    return None


def _argument(name: str, default: ast.expr | None) -> tuple[str, Any, bool, str]:
    if default is None:
        return (name, None, False, "")
    text = ast.unparse(default)
    try:
        from tflab.catalog import to_json

        return (name, to_json(ast.literal_eval(default)), True, text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return (name, None, True, text)  # not plain data (e.g. tf.nn.relu): left to the class


# --------------------------------------------------------------------------- running (with permission)

_lock = threading.RLock()
_allowed: set[str] = set()
_loaded: dict[str, dict[str, type]] = {}


@dataclass(frozen=True)
class HiddenCharacter:
    """A character of the code that a reader would not see as it is: an invisible or
    direction-changing one (bidi controls can make a call look like part of a string),
    or a line break that Python does not break at (the text after it looks like a new
    line, yet belongs to the line before)."""

    line: int        # Python's line number
    column: int      # 1-based, in characters
    codepoint: int

    @property
    def mark(self) -> str:
        return f"\u27e6U+{self.codepoint:04X}\u27e7"

    def name(self) -> str:
        return unicodedata.name(chr(self.codepoint), "control character")


#: Characters shown as they are although unusual: tab, and the ideographic space of Chinese text.
_PLAIN = frozenset("\t\u3000 ")


def _hidden(char: str) -> bool:
    """Invisible, or able to change the order in which the text around it is shown
    (right-to-left letters reorder their neighbours as well)."""
    if char in _PLAIN or " " < char < "\x7f":
        return False
    return (unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp", "Zs")
            or unicodedata.bidirectional(char) in ("R", "AL"))


def reviewable(source: str) -> tuple[str, list[HiddenCharacter]]:
    """``source`` as a reviewer must see it: Python's own line breaks (\\n, \\r\\n, \\r) as
    line breaks, and every other invisible, direction-changing or line-breaking
    character replaced by a visible mark such as ``⟦U+202E⟧``; with the list of those
    characters. Nothing that Python runs is left out or reordered."""
    shown: list[str] = []
    found: list[HiddenCharacter] = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", source), 1):
        out = []
        for column, char in enumerate(line, 1):
            if _hidden(char):
                found.append(HiddenCharacter(number, column, ord(char)))
                out.append(found[-1].mark)
            else:
                out.append(char)
        shown.append("".join(out))
    return "\n".join(shown), found


def allow(source: str) -> None:
    """Let exactly this code run in this process (the user wrote it, or agreed to it)."""
    with _lock:
        _allowed.add(digest(source))


def is_allowed(source: str) -> bool:
    with _lock:
        return digest(source) in _allowed


def forget_allowed() -> None:
    """Take back every permission (for tests): :func:`load` refuses again, even code it ran."""
    with _lock:
        _allowed.clear()


def load(code: CustomCode) -> dict[str, type]:
    """Run the code (once per text and process) and return its layer classes by name.

    Raises :class:`NotAllowedError` for code that was not allowed, and
    :class:`CustomCodeProblem` when the code fails or a class is not a Keras layer.
    """
    with _lock:
        if code.digest not in _allowed:
            names = ", ".join(code.names())
            raise NotAllowedError(
                f"The project's custom layer code ({names}) has not run: it came from another computer, "
                "and such code only runs after you have read it and allowed it.",
                f"项目中的自定义层代码（{names}）还没有运行：它来自另一台电脑，这样的代码只有在你阅读并允许之后才会运行。",
                hint_en="In tflab: Edit > Custom Layer Code…; on the command line: --allow-custom-code.",
                hint_zh="在 tflab 中：编辑 > 自定义层代码…；在命令行中：--allow-custom-code。",
            )
        if code.digest in _loaded:
            return _loaded[code.digest]
        keras = tfload.keras()

        name = filename(code)
        lines = code.source.splitlines(keepends=True)
        # The source in linecache lets tracebacks, inspect and AutoGraph read it like a file's.
        linecache.cache[name] = (len(code.source), None, lines, name)
        module = types.ModuleType(f"tflab_custom_{code.digest[:12]}")
        module.__file__ = name
        try:
            exec(compile(code.source, name, "exec"), module.__dict__)  # noqa: S102 - allowed by the user
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any failure of the student's code (exit() too)
            raise _failure(exc, name) from None
        classes: dict[str, type] = {}
        for cls in code.classes:
            value = module.__dict__.get(cls.name)
            if not (isinstance(value, type) and issubclass(value, keras.layers.Layer)):
                raise CustomCodeProblem(
                    f"{cls.name} (line {cls.line}) is not a subclass of tf.keras.layers.Layer when the code runs.",
                    f"代码运行后，{cls.name}（第 {cls.line} 行）不是 tf.keras.layers.Layer 的子类。",
                    line=cls.line,
                )
            if getattr(keras.layers, cls.name, None) is not None:
                raise CustomCodeProblem(
                    f"Your layer class on line {cls.line} is called {cls.name!r}, like a layer of "
                    f"tf.keras.layers: give it a name of its own, such as My{cls.name}.",
                    f"第 {cls.line} 行的层类名为 {cls.name!r}，与 tf.keras.layers 中的层同名："
                    f"请给它起一个自己的名字，例如 My{cls.name}。",
                    line=cls.line,
                )
            classes[cls.name] = value
        _loaded[code.digest] = classes
        return classes


def _failure(exc: BaseException, name: str) -> CustomCodeProblem:
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == name]
    line = lines[-1] if lines else getattr(exc, "lineno", None)
    where_en = f" on line {line}" if line else ""
    where_zh = f"第 {line} 行" if line else ""
    return CustomCodeProblem(
        f"The custom layer code failed{where_en}: {type(exc).__name__}: {exc}",
        f"自定义层代码{where_zh}出错：{type(exc).__name__}：{exc}",
        line=line,
    )


def describe_argument(default_text: str, has_default: bool) -> tuple[str, str]:
    """The inspector's description of an ``__init__`` argument of a custom layer."""
    if not has_default:
        return ("An argument of your layer's __init__ (required).", "你的层的 __init__ 参数（必填）。")
    return (f"An argument of your layer's __init__ (default: {default_text}).",
            f"你的层的 __init__ 参数（默认值：{default_text}）。")


def parameter(name: str, default: Any, has_default: bool) -> inspect.Parameter:
    """An ``inspect.Parameter`` like the one the running class would show."""
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                             default=default if has_default else inspect.Parameter.empty)


def custom_entry(cls: CustomClass) -> Any:
    """The entry of one class of custom code (a :class:`tflab.custom_layers.CustomClass`)."""
    from tflab.catalog import LayerEntry
    from tflab.catalog.curated import _with_base_params
    from tflab.catalog.keras_entries import _docstring_args, _spec_from_parameter

    docs = _docstring_args(type("_Doc", (), {"__doc__": cls.doc}))
    params = []
    for name, default, has_default, text in cls.arguments:
        spec = _spec_from_parameter(parameter(name, default, has_default), docs)
        if name not in docs:
            desc_en, desc_zh = describe_argument(text, has_default)
            spec = replace(spec, desc_en=desc_en, desc_zh=desc_zh)
        params.append(spec)
    summary = (cls.doc.strip().splitlines() or [""])[0].strip()
    desc_en = summary or f"Your layer {cls.name}, from this project's custom code."
    desc_zh = summary or f"你的层 {cls.name}，来自本项目的自定义代码。"
    key = [spec.name for spec in params if spec.required]
    key += [spec.name for spec in params if not spec.required and spec.kind in ("int", "float", "activation")]
    entry = LayerEntry(
        cls.name, "custom", False, desc_en, desc_zh, tuple(params),
        cls.input_mode, cls.call_inputs, cls.call_inputs,
        key_params=tuple(key[:2]),
    )
    return _with_base_params(entry)
