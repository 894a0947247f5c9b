"""GradientTape lab: type a formula, pick what the tape watches, get TensorFlow's gradients.

Formulas are written in a small, SAFE expression language. The text is parsed with
Python's :mod:`ast` and checked node by node; it is never given to ``eval`` or
``exec``. Allowed: numbers, the names of the declared variables and constants,
``+ - * / **``, unary minus and plus, and calls of :data:`FUNCTIONS` (``sin(x)``,
``matmul(a, b)``...), each mapped to a TensorFlow function. Anything else is refused
with a :class:`~tflab.messages.TflabError` naming the construct.

The first target is ``y``; an optional second target ``z`` may use ``y`` too. Asking
a non-persistent tape for a second set of gradients gives TensorFlow's own error,
explained.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tflab import tfload
from tflab.labs._common import MAX_LAB_VALUES, LabError, Note, tf_message
from tflab.messages import TflabError, tr

#: The functions a formula may call: name -> (TensorFlow function, number of arguments).
FUNCTIONS: dict[str, tuple[str, int]] = {
    "sin": ("tf.sin", 1),
    "cos": ("tf.cos", 1),
    "exp": ("tf.exp", 1),
    "log": ("tf.math.log", 1),
    "sqrt": ("tf.sqrt", 1),
    "tanh": ("tf.tanh", 1),
    "sigmoid": ("tf.sigmoid", 1),
    "square": ("tf.square", 1),
    "abs": ("tf.abs", 1),
    "reduce_sum": ("tf.reduce_sum", 1),
    "reduce_mean": ("tf.reduce_mean", 1),
    "matmul": ("tf.matmul", 2),
}
#: The largest exponent a formula may write as a number (``x ** 100``).
MAX_EXPONENT = 100
#: The longest formula accepted, in characters.
MAX_LENGTH = 500
#: Names the generated program uses itself.
RESERVED = frozenset({"tf", "tape", "y", "z", "print"})
_GRADIENT_NAME = re.compile(r"^d[yz]_d")

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

#: Constructs that are refused, as (English, Chinese) names for the error message.
_CONSTRUCTS: dict[type, tuple[str, str]] = {
    ast.Attribute: ("attribute access (such as a.b)", "属性访问（如 a.b）"),
    ast.Subscript: ("indexing (such as a[0])", "下标（如 a[0]）"),
    ast.Lambda: ("lambda functions", "lambda 函数"),
    ast.ListComp: ("comprehensions", "推导式"),
    ast.SetComp: ("comprehensions", "推导式"),
    ast.DictComp: ("comprehensions", "推导式"),
    ast.GeneratorExp: ("comprehensions", "推导式"),
    ast.Compare: ("comparisons (such as a < b)", "比较运算（如 a < b）"),
    ast.BoolOp: ("'and' / 'or'", "'and' / 'or'"),
    ast.IfExp: ("'if ... else'", "'if ... else'"),
    ast.List: ("lists (declare a variable holding the list instead)", "列表（请改为声明一个保存该列表的变量）"),
    ast.Tuple: ("tuples", "元组"),
    ast.Set: ("sets", "集合"),
    ast.Dict: ("dicts", "字典"),
    ast.NamedExpr: ("the ':=' operator", "':=' 运算符"),
    ast.Starred: ("'*' unpacking", "'*' 解包"),
    ast.JoinedStr: ("strings", "字符串"),
    ast.Await: ("'await'", "'await'"),
}

Number = float | list


@dataclass(frozen=True)
class TapeResult:
    """The value of ``y`` and its gradient with respect to each source (None where the
    tape has none); with a second target, the same for ``z``. Tensors that hold several
    numbers are given as (nested) lists."""

    value: Number
    gradients: dict[str, Number | None]
    code: str
    second_value: Number | None = None
    second_gradients: dict[str, Number | None] | None = None
    notes: tuple[Note, ...] = ()


# --------------------------------------------------------------------------- the safe parser


def _refuse(en: str, zh: str, node: ast.AST | None = None) -> TflabError:
    where_en = where_zh = ""
    if node is not None and hasattr(node, "col_offset"):
        where_en = f" (at character {node.col_offset + 1})"
        where_zh = f"（第 {node.col_offset + 1} 个字符处）"
    allowed = ", ".join(FUNCTIONS)
    return TflabError(
        en + where_en, zh + where_zh,
        hint_en=f"Allowed: numbers, your variables and constants, + - * / **, and the functions {allowed}.",
        hint_zh=f"可以使用：数字、你声明的变量和常量、+ - * / **，以及函数 {allowed}。",
    )


def parse_expression(text: Any, names: Iterable[str]) -> ast.Expression:
    """Parse and check ``text`` against the language; ``names`` are the declared names.

    Returns the checked tree; raises :class:`TflabError` naming the first refused
    construct, a syntax error's position, or an unknown name.
    """
    if not isinstance(text, str) or not text.strip():
        raise _refuse("The formula is empty.", "公式为空。")
    if len(text) > MAX_LENGTH:
        raise _refuse(f"The formula is longer than {MAX_LENGTH} characters.", f"公式超过了 {MAX_LENGTH} 个字符。")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise _refuse(
            f"The formula is not valid: {err.msg} (at character {err.offset}).",
            f"公式写法有误：{err.msg}（第 {err.offset} 个字符处）。",
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise _refuse("The formula is nested too deeply.", "公式嵌套太深。") from None
    names = frozenset(names)
    _check(tree.body, names)
    if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
        raise _refuse("The formula uses no variable or constant, so it has nothing to differentiate.",
                      "公式没有用到任何变量或常量，所以没有可以求导的对象。")
    return tree


def _check(node: ast.AST, names: frozenset[str]) -> None:
    """Refuse every construct outside the language, recursively."""
    if isinstance(node, ast.Constant):
        _check_constant(node)
    elif isinstance(node, ast.Name):
        _check_name(node, names)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            raise _refuse(f"The operator {_operator_text(node.op)} is not allowed.",
                          f"不允许使用运算符 {_operator_text(node.op)}。", node)
        if isinstance(node.op, ast.Pow):
            _check_exponent(node.right)
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _refuse(f"The operator {_operator_text(node.op)} is not allowed.",
                          f"不允许使用运算符 {_operator_text(node.op)}。", node)
        _check(node.operand, names)
    elif isinstance(node, ast.Call):
        _check_call(node, names)
    else:
        en, zh = _CONSTRUCTS.get(type(node), (f"'{type(node).__name__}'", f"'{type(node).__name__}'"))
        raise _refuse(f"Formulas may not use {en}.", f"公式中不能使用{zh}。", node)


def _check_constant(node: ast.Constant) -> None:
    if type(node.value) in (int, float):
        return
    if isinstance(node.value, (str, bytes)):
        raise _refuse("Formulas may not use strings.", "公式中不能使用字符串。", node)
    raise _refuse(f"Formulas may not use {node.value!r}; only numbers.",
                  f"公式中不能使用 {node.value!r}，只能使用数字。", node)


def _check_name(node: ast.Name, names: frozenset[str]) -> None:
    if node.id.startswith("__"):
        raise _refuse(f"Names starting with '__' ({node.id}) are not allowed.",
                      f"不允许使用以 '__' 开头的名称（{node.id}）。", node)
    if node.id in names:
        return
    if node.id in FUNCTIONS:
        raise _refuse(f"{node.id} is a function: call it, as in {node.id}(x).",
                      f"{node.id} 是函数：请调用它，例如 {node.id}(x)。", node)
    raise _refuse(f"Unknown name {node.id!r}: declare it as a variable or a constant first.",
                  f"未知的名称 {node.id!r}：请先把它声明为变量或常量。", node)


def _check_exponent(node: ast.AST) -> None:
    """Refuse an exponent made of numbers only whose size is over :data:`MAX_EXPONENT`."""
    value = _fold(node)
    if value is not None and not abs(value) <= MAX_EXPONENT:
        raise _refuse(f"The exponent {ast.unparse(node)} is too large: at most {MAX_EXPONENT}.",
                      f"指数 {ast.unparse(node)} 太大：最多为 {MAX_EXPONENT}。", node)


def _fold(node: ast.AST) -> float | None:
    """The size of a sub-formula made of numbers only (float arithmetic, which cannot
    hang; an overflow gives infinity), or None when it uses a name or a function."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _fold(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _fold(node.left), _fold(node.right)
        if left is None or right is None:
            return None
        try:
            value = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                     ast.Mult: lambda: left * right, ast.Div: lambda: left / right,
                     ast.Pow: lambda: left ** right}[type(node.op)]()
        except (OverflowError, ZeroDivisionError):
            return math.inf
        return abs(value) if isinstance(value, complex) else value
    return None


def _check_call(node: ast.Call, names: frozenset[str]) -> None:
    if not isinstance(node.func, ast.Name):
        raise _refuse("Only the listed functions can be called, by their plain name (such as sin(x)).",
                      "只能用函数名直接调用列出的函数（如 sin(x)）。", node)
    name = node.func.id
    if name.startswith("__"):
        raise _refuse(f"Names starting with '__' ({name}) are not allowed.",
                      f"不允许使用以 '__' 开头的名称（{name}）。", node)
    if name not in FUNCTIONS:
        raise _refuse(f"Unknown function {name!r}.", f"未知的函数 {name!r}。", node)
    if node.keywords:
        raise _refuse(f"{name}() takes no keyword arguments here.", f"这里的 {name}() 不接受关键字参数。", node)
    count = FUNCTIONS[name][1]
    if len(node.args) != count:
        raise _refuse(f"{name}() takes {count} argument(s), got {len(node.args)}.",
                      f"{name}() 需要 {count} 个参数，实际为 {len(node.args)} 个。", node)
    for arg in node.args:
        _check(arg, names)


def _operator_text(op: ast.AST) -> str:
    symbols = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
               ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.Not: "not", ast.Invert: "~"}
    return symbols.get(type(op), type(op).__name__)


# --------------------------------------------------------------------------- evaluation and code


def _tf_function(tf: Any, name: str) -> Any:
    """The TensorFlow function of a whitelisted name (``"log"`` -> ``tf.math.log``)."""
    target = tf
    for part in FUNCTIONS[name][0].split(".")[1:]:
        target = getattr(target, part)
    return target


def _evaluate(node: ast.AST, env: Mapping[str, Any], tf: Any) -> Any:
    """Compute a checked tree with TensorFlow (the names come from ``env``)."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, env, tf)
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, env, tf), _evaluate(node.right, env, tf)
        return {
            ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right,
            ast.Div: lambda: left / right, ast.Pow: lambda: left ** right,
        }[type(node.op)]()
    args = [_evaluate(arg, env, tf) for arg in node.args]
    return _tf_function(tf, node.func.id)(*args)


class _ToTensorFlow(ast.NodeTransformer):
    """Rewrite ``sin(x)`` as ``tf.sin(x)`` for the generated code."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        parts = FUNCTIONS[node.func.id][0].split(".")
        func: ast.expr = ast.Name(parts[0], ast.Load())
        for part in parts[1:]:
            func = ast.Attribute(func, part, ast.Load())
        return ast.Call(func, node.args, [])


def expression_code(tree: ast.Expression) -> str:
    """The TensorFlow code of a checked formula: ``sin(x) * c`` -> ``tf.sin(x) * c``."""
    copy = ast.parse(ast.unparse(tree), mode="eval")
    return ast.unparse(ast.fix_missing_locations(_ToTensorFlow().visit(copy)))


# --------------------------------------------------------------------------- the lab


def tape_program(expr: str, variables: Mapping[str, Any], constants: Mapping[str, Any] | None = None, *,
                 watch: Iterable[str] = (), persistent: bool = False, sources: Sequence[str] | None = None,
                 second_expr: str | None = None, comments: str | None = None) -> str:
    """The program :func:`tape_lab` shows for the same arguments, written without
    TensorFlow (to write it again with comments in another language)."""
    return _prepare(expr, variables, dict(constants or {}), watch, persistent, sources, second_expr, comments)[-1]


def _prepare(expr: str, variables: Mapping[str, Any], constants: dict[str, Any], watch: Iterable[str],
             persistent: bool, sources: Sequence[str] | None, second_expr: str | None,
             comments: str | None) -> tuple:
    """The arguments checked and parsed: (values, watched, sources, first, second, program)."""
    values = _check_declarations(variables, constants)
    watched = _check_subset(watch, constants.keys() | variables.keys(), "watch")
    chosen = list(values) if sources is None else _check_sources(sources, values)
    first = parse_expression(expr, values)
    second = None if second_expr is None else parse_expression(second_expr, values.keys() | {"y"})
    code = tape_code(variables, constants, [n for n in values if n in watched], persistent, chosen, first, second,
                     comments)
    return values, watched, chosen, first, second, code


def tape_lab(expr: str, variables: Mapping[str, Any], constants: Mapping[str, Any] | None = None, *,
             watch: Iterable[str] = (), persistent: bool = False, sources: Sequence[str] | None = None,
             second_expr: str | None = None, comments: str | None = None) -> TapeResult:
    """Record ``y = expr`` on a ``tf.GradientTape`` and take its gradients.

    ``variables`` become ``tf.Variable`` (watched automatically), ``constants``
    ``tf.constant`` (watched only when named in ``watch``). Values are numbers or
    nested lists of numbers. ``sources`` (default: every name, variables first) are
    what the gradients are taken with respect to. ``second_expr`` (which may use ``y``)
    is a second target ``z``, whose gradients are asked of the same tape: allowed only
    when ``persistent`` is True, otherwise TensorFlow refuses, which is explained.
    """
    constants = dict(constants or {})
    values, watched, chosen, first, second, code = _prepare(expr, variables, constants, watch, persistent, sources,
                                                   second_expr, comments)
    tf = tfload.tensorflow()

    env: dict[str, Any] = {name: tf.Variable(values[name], dtype=tf.float32) for name in variables}
    env.update({name: tf.constant(values[name], dtype=tf.float32) for name in constants})
    try:
        with tf.GradientTape(persistent=persistent) as tape:
            for name in values:
                if name in watched:
                    tape.watch(env[name])
            y = _evaluate(first.body, env, tf)
            z = None if second is None else _evaluate(second.body, {**env, "y": y}, tf)
        y_grads = tape.gradient(y, [env[n] for n in chosen])
    except (tf.errors.InvalidArgumentError, ValueError, TypeError) as err:
        raise LabError(
            f"TensorFlow could not compute the formula: {tf_message(err)}",
            f"TensorFlow 无法计算这个公式：{tf_message(err)}",
            hint_en="Check the shapes of your values: matmul needs (n, k) and (k, m) matrices.",
            hint_zh="请检查数值的形状：matmul 需要 (n, k) 和 (k, m) 形状的矩阵。",
            code=code,
        ) from None
    try:
        z_grads = None if second is None else tape.gradient(z, [env[n] for n in chosen])
    except RuntimeError as err:
        raise _second_call_error(err, code) from None
    return TapeResult(
        value=_plain(y),
        gradients={n: _plain(g) for n, g in zip(chosen, y_grads)},
        code=code,
        second_value=None if z is None else _plain(z),
        second_gradients=None if z_grads is None else {n: _plain(g) for n, g in zip(chosen, z_grads)},
        notes=_notes(chosen, variables, watched, y, y_grads),
    )


def _plain(value: Any) -> Number | None:
    """A tensor as a float, or a nested list when it holds several numbers; None stays None."""
    if value is None:
        return None
    array = np.asarray(value)
    return float(array) if array.ndim == 0 else array.tolist()


def _check_declarations(variables: Mapping[str, Any], constants: Mapping[str, Any]) -> dict[str, Any]:
    """All declared names with their values as float nested lists, variables first."""
    both = [*variables.items(), *constants.items()]
    if not both:
        raise TflabError("Declare at least one variable or constant.", "请至少声明一个变量或常量。")
    clash = variables.keys() & constants.keys()
    if clash:
        name = sorted(clash)[0]
        raise TflabError(f"{name!r} is declared both as a variable and as a constant.",
                         f"{name!r} 同时被声明为变量和常量。")
    return {_check_declared_name(name): _check_value(name, value) for name, value in both}


def _check_declared_name(name: Any) -> str:
    if (not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name)
            or name.startswith("__") or name in RESERVED or name in FUNCTIONS or _GRADIENT_NAME.match(name)):
        raise TflabError(
            f"{name!r} cannot be a variable name: use a simple name such as x, w or b.",
            f"{name!r} 不能用作变量名：请使用 x、w、b 这样的简单名称。",
            hint_en=f"Not allowed: keywords, function names, names beginning with dy_d or dz_d, and "
            f"{', '.join(sorted(RESERVED))}.",
            hint_zh=f"不能使用：关键字、函数名、以 dy_d 或 dz_d 开头的名称，以及 {', '.join(sorted(RESERVED))}。",
        )
    return name


def _check_value(name: str, value: Any) -> Any:
    """``value`` as a float or nested list of floats, or :class:`TflabError`."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if (array is None or isinstance(value, (str, bytes, bool)) or array.size > MAX_LAB_VALUES
            or (array.ndim and array.size == 0) or not np.all(np.isfinite(array))):
        raise TflabError(
            f"The value of {name!r} must be a number or a (nested) list of numbers, such as 2.0 or [1.0, 2.0].",
            f"{name!r} 的值必须是数字或（嵌套的）数字列表，例如 2.0 或 [1.0, 2.0]。",
        )
    return array.tolist()


def _check_subset(names: Iterable[str], known: Iterable[str], what: str) -> set[str]:
    chosen, known = set(names), set(known)
    unknown = sorted(str(n) for n in chosen - known)
    if unknown:
        raise TflabError(f"{what}: {', '.join(unknown)} is not declared.",
                         f"{what}：{', '.join(unknown)} 没有声明。")
    return chosen


def _check_sources(sources: Sequence[str], values: Mapping[str, Any]) -> list[str]:
    _check_subset(sources, values, "sources")
    if not sources or len(set(sources)) != len(sources):
        raise TflabError("Choose each source once, and at least one.", "请至少选择一个源，且每个只能选一次。")
    return list(sources)


def _second_call_error(err: RuntimeError, code: str) -> LabError:
    return LabError(
        "This tape is not persistent, so it can answer only ONE tape.gradient call: after the first "
        "call it frees what it recorded. The second call (for z) fails.\n"
        f"TensorFlow says: {tf_message(err)}",
        "这个梯度带不是持久的（persistent），所以只能调用一次 tape.gradient：第一次调用后它会释放记录的内容，"
        "第二次调用（求 z 的梯度）就会失败。\n"
        f"TensorFlow 的报错：{tf_message(err)}",
        hint_en="Create the tape with tf.GradientTape(persistent=True) to ask it more than once.",
        hint_zh="用 tf.GradientTape(persistent=True) 创建梯度带，就可以多次求梯度。",
        code=code,
    )


def _notes(chosen: Sequence[str], variables: Mapping[str, Any], watched: set[str], y: Any,
           grads: Sequence[Any]) -> tuple[Note, ...]:
    """Why each missing gradient is None, and what a gradient of several numbers means."""
    notes = []
    for name, grad in zip(chosen, grads):
        if grad is not None:
            continue
        if name not in variables and name not in watched:
            notes.append(Note(
                f"dy/d{name} is None: {name} is a constant and the tape does not watch it, so it "
                f"recorded nothing about {name}. Add tape.watch({name}) to get this gradient.",
                f"dy/d{name} 为 None：{name} 是常量，梯度带没有监视（watch）它，所以没有记录与 {name} 有关的计算。"
                f"加上 tape.watch({name}) 就能得到这个梯度。",
            ))
        else:
            notes.append(Note(
                f"dy/d{name} is None: y does not depend on {name}, so there is no path from {name} to y.",
                f"dy/d{name} 为 None：y 不依赖于 {name}，从 {name} 到 y 没有计算路径。",
            ))
    if np.asarray(y).size > 1:
        notes.append(Note(
            "y holds several numbers: tape.gradient gives the gradient of their sum.",
            "y 包含多个数：tape.gradient 给出的是它们之和的梯度。",
        ))
    return tuple(notes)


def _literal(value: Any) -> str:
    """A float or nested list of floats as code."""
    return repr(float(value)) if not isinstance(value, list) else "[" + ", ".join(_literal(v) for v in value) + "]"


def tape_code(variables: Mapping[str, Any], constants: Mapping[str, Any], watched: Sequence[str],
              persistent: bool, sources: Sequence[str], first: ast.Expression,
              second: ast.Expression | None, comments: str | None = None) -> str:
    """The program that records the formula(s) and asks for the gradients (its comment in
    ``comments``, ``"en"`` or ``"zh"``; default: the messages' language)."""
    lines = ["import tensorflow as tf", ""]
    lines += [f"{name} = tf.Variable({_literal(np.asarray(v, float).tolist())})" for name, v in variables.items()]
    lines += [f"{name} = tf.constant({_literal(np.asarray(v, float).tolist())})" for name, v in constants.items()]
    option = "persistent=True" if persistent else ""
    lines += ["", f"with tf.GradientTape({option}) as tape:"]
    lines += [f"    tape.watch({name})" for name in watched]
    lines.append(f"    y = {expression_code(first)}")
    if second is not None:
        lines.append(f"    z = {expression_code(second)}")
    lines.append("")
    for target in ("y", "z") if second is not None else ("y",):
        names = [f"d{target}_d{name}" for name in sources]
        if len(sources) == 1:
            lines.append(f"{names[0]} = tape.gradient({target}, {sources[0]})")
        else:
            lines.append(f"{', '.join(names)} = tape.gradient({target}, [{', '.join(sources)}])")
    if persistent:
        lines.append("del tape  # " + tr("a persistent tape keeps its records until it is deleted",
                                         "持久的梯度带会一直保留记录，直到被删除", comments))
    lines += ["", 'print("y =", y.numpy())']
    if second is not None:
        lines.append('print("z =", z.numpy())')
    for target in ("y", "z") if second is not None else ("y",):
        lines += [f'print("d{target}/d{name} =", d{target}_d{name})' for name in sources]
    return "\n".join(lines) + "\n"
