"""Custom layers, losses and metrics: templates, and a check that runs the student's code.

:func:`check_custom_code` EXECUTES the code it is given, so it never does so in the
app's process: the code runs in a separate Python process (``python -I -c``) with a
time limit, and only a small JSON report comes back. Syntax errors are found before
anything runs (``compile`` does not execute code). The function refuses to run at all
unless the caller passes ``consent=True``; code that comes from a project file made
by someone else needs the user's explicit agreement first (the app keeps track of
the code its user wrote or approved: ``ui/editor/custom_code.py``).

A layer that passes the check can become the project's own layer class: see
:mod:`tflab.custom_layers`.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from tflab.labs._common import LabError, Note, check_shape, clean_tf_text, localise_comments, shape_text
from tflab.messages import TflabError

KINDS = ("layer", "loss", "metric")
#: The file name syntax errors and tracebacks give for the student's code.
FILENAME = "<your code>"
#: Samples in the batch the check feeds the code.
BATCH = 4
MAX_SOURCE = 100_000
_MARK = "__TFLAB_CHECK__"

LAYER_TEMPLATE = '''import tensorflow as tf


class MyDense(tf.keras.layers.Layer):
    """A fully connected layer: outputs = activation(inputs @ kernel + bias)."""

    def __init__(self, units=4, activation=None, **kwargs):
        # Store the settings; do not create weights yet (the input size is unknown).
        super().__init__(**kwargs)
        self.units = units
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        # Called once, on the first call, with the input's shape: create the weights here.
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform", trainable=True)
        self.bias = self.add_weight(name="bias", shape=(self.units,),
                                    initializer="zeros", trainable=True)

    def call(self, inputs):
        # The computation, run on every call.
        return self.activation(tf.matmul(inputs, self.kernel) + self.bias)
'''

LOSS_TEMPLATE = '''import tensorflow as tf


def my_mse(y_true, y_pred):
    """Mean squared error: one loss per sample, the mean of (y_true - y_pred) ** 2."""
    y_true = tf.cast(y_true, y_pred.dtype)
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)
'''

METRIC_TEMPLATE = '''import tensorflow as tf


class MeanAbsError(tf.keras.metrics.Metric):
    """The mean of |y_true - y_pred| over every value seen since the last reset."""

    def __init__(self, name="mean_abs_error", **kwargs):
        super().__init__(name=name, **kwargs)
        # State variables: they keep their values from one batch to the next.
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        # Called for every batch: add this batch to the state.
        error = tf.abs(tf.cast(y_true, self.dtype) - tf.cast(y_pred, self.dtype))
        self.total.assign_add(tf.reduce_sum(error))
        self.count.assign_add(tf.cast(tf.size(error), self.dtype))

    def result(self):
        # The metric's value from the state.
        return tf.math.divide_no_nan(self.total, self.count)

    def reset_state(self):
        # Called at the start of each epoch: forget everything.
        self.total.assign(0.0)
        self.count.assign(0.0)
'''

TEMPLATES = {"layer": LAYER_TEMPLATE, "loss": LOSS_TEMPLATE, "metric": METRIC_TEMPLATE}

#: The templates' and the check's comments in Chinese (see :func:`template`, :func:`shown_check`).
COMMENTS_ZH = {
    "Store the settings; do not create weights yet (the input size is unknown).":
        "保存设置；先不要创建权重（还不知道输入的大小）。",
    "Called once, on the first call, with the input's shape: create the weights here.":
        "只在第一次调用时调用一次，传入输入的形状：在这里创建权重。",
    "The computation, run on every call.": "计算过程，每次调用都会运行。",
    "State variables: they keep their values from one batch to the next.": "状态变量：它们的值从一个批次保留到下一个批次。",
    "Called for every batch: add this batch to the state.": "每个批次都会调用：把这个批次加入状态。",
    "The metric's value from the state.": "由状态算出评估指标的值。",
    "Called at the start of each epoch: forget everything.": "每个轮次开始时调用：清空所有状态。",
    "---- The check tflab runs ----": "---- tflab 运行的检查 ----",
    "the first call runs build(), then call()": "第一次调用会先运行 build()，再运行 call()",
    "batch 1": "第 1 个批次",
    "batch 2": "第 2 个批次",
}
DOCSTRINGS_ZH = {
    "A fully connected layer: outputs = activation(inputs @ kernel + bias).":
        "全连接层：outputs = activation(inputs @ kernel + bias)。",
    "Mean squared error: one loss per sample, the mean of (y_true - y_pred) ** 2.":
        "均方误差：每个样本一个损失，即 (y_true - y_pred) ** 2 的平均值。",
    "The mean of |y_true - y_pred| over every value seen since the last reset.":
        "自上次重置以来见到的所有值的 |y_true - y_pred| 的平均值。",
}


def template(kind: str, comments: str | None = None) -> str:
    """The starting code of ``kind``, its comments and docstrings in ``comments`` (``"en"``,
    ``"zh"``; default: the messages' language)."""
    return localise_comments(TEMPLATES[kind], COMMENTS_ZH, comments, DOCSTRINGS_ZH)


def shown_check(code: str, comments: str | None = None) -> str:
    """The student's code and the check (:func:`check_code`), the check's comments in
    ``comments``: the student's own code is left exactly as written."""
    cut = code.find("# ---- The check tflab runs ----")
    if cut < 0:
        return code
    return code[:cut] + localise_comments(code[cut:], COMMENTS_ZH, comments)


@dataclass(frozen=True)
class CustomResult:
    """What the check found.

    ``name`` is the class or function checked. For a layer, ``output_shape`` is its
    output's shape and ``weights`` its weights; for a loss, ``output_shape`` is the shape
    the function returned and ``value`` its mean; for a metric, ``value`` is its result
    after two batches and ``weights`` its state variables. ``printed`` is what the code
    printed; ``code`` is the student's code followed by the check, runnable.
    """

    kind: str
    name: str
    output_shape: tuple[int, ...] | None
    value: float | None
    weights: list[tuple[str, tuple[int, ...]]]
    messages: tuple[Note, ...]
    printed: str
    code: str
    #: The student's code that was checked.
    source: str = ""


class CustomCodeError(LabError):
    """The student's code failed: ``reason`` is ``"syntax"``, ``"exception"``,
    ``"timeout"``, ``"not_found"`` or ``"crash"``; ``line`` is the line of the code
    where it happened, when known."""

    def __init__(self, en: str, zh: str, *, reason: str, line: int | None = None, code: str = "",
                 hint_en: str = "", hint_zh: str = ""):
        super().__init__(en, zh, hint_en=hint_en, hint_zh=hint_zh, code=code)
        self.reason = reason
        self.line = line


def check_custom_code(source: str, kind: str, input_shape: tuple[int, ...] = (3,), *,
                      consent: bool = False, timeout: float = 60.0) -> CustomResult:
    """Run ``source`` in a separate process and check the layer, loss or metric it defines.

    The check creates the last class (or, for a loss, function) the code defines with
    no arguments and feeds it a batch of :data:`BATCH` samples of ``input_shape``.
    Raises :class:`CustomCodeError` for a syntax error (with its line), an exception
    (with its message and line), a timeout, or no suitable definition; refuses to run
    without ``consent=True``.
    """
    if consent is not True:
        raise TflabError(
            "This runs Python code on your computer, so it needs your permission first.",
            "这会在你的电脑上运行 Python 代码，所以需要先得到你的许可。",
            hint_en="Read the code; run it only if you trust where it came from.",
            hint_zh="请先阅读代码；只有在信任其来源时才运行它。",
        )
    _check_request(source, kind, timeout)
    shape = check_shape(input_shape, "input shape", "输入形状", extra=BATCH)
    _check_syntax(source, check_code(source, kind, shape, _DEFAULT_NAMES[kind]))
    code = check_code(source, kind, shape, _last_definition(source, kind))
    inputs = {key: array.tolist() for key, array in make_inputs(kind, shape).items()}
    request = json.dumps({"source": source, "kind": kind, "inputs": inputs, "filename": FILENAME})
    report = _run(request, timeout, code)
    if "error" in report:
        raise _reported_error(report["error"], code)
    return CustomResult(
        kind=kind,
        name=report["name"],
        output_shape=None if report.get("output_shape") is None else tuple(report["output_shape"]),
        value=report.get("value"),
        weights=[(name, tuple(dims)) for name, dims in report.get("weights", [])],
        messages=tuple(Note(en, zh) for en, zh in report.get("messages", [])),
        printed=report.get("printed", ""),
        code=check_code(source, kind, shape, report["name"]),
        source=source,
    )


def make_inputs(kind: str, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    """The data the check feeds the code (the same lines appear in :func:`check_code`)."""
    rng = np.random.default_rng(0)
    size = (BATCH, *shape)
    if kind == "layer":
        return {"x": rng.normal(size=size)}
    y_true = rng.integers(0, 2, size=size).astype("float32")
    y_pred = rng.uniform(size=size)
    return {"y_true": y_true, "y_pred": y_pred}


def check_code(source: str, kind: str, shape: tuple[int, ...], name: str) -> str:
    """The student's code followed by a runnable version of the check of ``name``."""
    size = shape_text((BATCH, *shape))
    head = ["", "", "# ---- The check tflab runs ----", "import numpy as np", "import tensorflow as tf", "",
            "rng = np.random.default_rng(0)"]
    if kind == "layer":
        body = [
            f"x = tf.constant(rng.normal(size={size}), dtype=tf.float32)",
            f"layer = {name}()",
            "y = layer(x)  # the first call runs build(), then call()",
            'print("output shape:", y.shape)',
            "for weight in layer.weights:",
            '    print(weight.path, weight.shape)',
        ]
    elif kind == "loss":
        body = [
            f'y_true = tf.constant(rng.integers(0, 2, size={size}).astype("float32"))',
            f"y_pred = tf.constant(rng.uniform(size={size}), dtype=tf.float32)",
            f"loss = {name}(y_true, y_pred)",
            'print("loss:", loss.numpy(), "mean:", float(tf.reduce_mean(loss)))',
        ]
    else:
        half = BATCH // 2
        body = [
            f'y_true = tf.constant(rng.integers(0, 2, size={size}).astype("float32"))',
            f"y_pred = tf.constant(rng.uniform(size={size}), dtype=tf.float32)",
            f"metric = {name}()",
            f"metric.update_state(y_true[:{half}], y_pred[:{half}])  # batch 1",
            f"metric.update_state(y_true[{half}:], y_pred[{half}:])  # batch 2",
            'print("result:", float(metric.result()))',
            "metric.reset_state()",
            'print("after reset_state:", float(metric.result()))',
        ]
    return source.rstrip("\n") + "\n".join(head + body) + "\n"


_DEFAULT_NAMES = {"layer": "MyLayer", "loss": "my_loss", "metric": "MyMetric"}


def _last_definition(source: str, kind: str) -> str:
    """The name of the last top-level class (or, for a loss, function) in ``source``.

    Read from the syntax tree, without running anything: it names the definition in
    the code shown before the check has said which one it used.
    """
    body = ast.parse(source).body
    functions = [node.name for node in body if isinstance(node, ast.FunctionDef)]
    classes = [node.name for node in body if isinstance(node, ast.ClassDef)]
    names = (functions or classes) if kind == "loss" else classes
    return names[-1] if names else _DEFAULT_NAMES[kind]


def _check_request(source: Any, kind: Any, timeout: Any) -> None:
    if kind not in KINDS:
        raise TflabError(f"Unknown kind {kind!r}; use one of {', '.join(KINDS)}.",
                         f"未知的类型 {kind!r}；可用：{', '.join(KINDS)}。")
    if not isinstance(source, str) or not source.strip() or len(source) > MAX_SOURCE:
        raise TflabError(f"The code must be non-empty text of at most {MAX_SOURCE:,} characters.",
                         f"代码必须是非空文本，且不超过 {MAX_SOURCE:,} 个字符。")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise TflabError(f"The time limit must be between 0 and 600 seconds (got {timeout!r}).",
                         f"时间限制必须在 0 到 600 秒之间（收到的是 {timeout!r}）。")


def _check_syntax(source: str, code: str) -> None:
    """Compile (never run) the code; a syntax error becomes a :class:`CustomCodeError`."""
    try:
        compile(source, FILENAME, "exec")
    except SyntaxError as err:
        raise CustomCodeError(
            f"Syntax error on line {err.lineno}: {err.msg}.",
            f"第 {err.lineno} 行有语法错误：{err.msg}。",
            reason="syntax", line=err.lineno, code=code,
            hint_en="Check brackets, colons and indentation on that line and the one before.",
            hint_zh="请检查这一行及上一行的括号、冒号和缩进。",
        ) from None
    except (ValueError, RecursionError, MemoryError) as err:
        raise CustomCodeError(f"The code cannot be compiled: {err}.", f"代码无法编译：{err}。",
                              reason="syntax", code=code) from None


def _run(request: str, timeout: float, code: str) -> dict:
    """Run the check harness in a new Python process; its JSON report, or an error."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    with tempfile.TemporaryDirectory(prefix="tflab-check-") as workdir:
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _HARNESS], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=workdir, env=env, start_new_session=(os.name == "posix"),
        )
        try:
            out, err = process.communicate(request.encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise CustomCodeError(
                f"The code did not finish within {timeout:g} seconds, so it was stopped.",
                f"代码在 {timeout:g} 秒内没有运行完，已被停止。",
                reason="timeout", code=code,
                hint_en="Look for a loop that never ends (such as while True) or work that is far too big.",
                hint_zh="请检查是否有永远不会结束的循环（如 while True），或者计算量过大。",
            ) from None
    for line in reversed(out.decode("utf-8", "replace").splitlines()):
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK):])
    tail = err.decode("utf-8", "replace").strip().splitlines()[-5:]
    raise CustomCodeError(
        f"The Python process running the code stopped without a report (exit code {process.returncode}).\n"
        + "\n".join(tail),
        f"运行代码的 Python 进程没有给出结果就退出了（退出码 {process.returncode}）。\n" + "\n".join(tail),
        reason="crash", code=code,
    )


def _kill(process: subprocess.Popen) -> None:
    """Stop the process (and, on POSIX, everything it started), then reap it."""
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        process.kill()
    process.communicate()


def _reported_error(error: dict, code: str) -> CustomCodeError:
    reason, line, message = error["reason"], error.get("line"), clean_tf_text(error.get("message", ""))
    where_en = f" on line {line}" if line else ""
    where_zh = f"第 {line} 行" if line else ""
    if reason == "not_found":
        return CustomCodeError(error["en"], error["zh"], reason=reason, code=code)
    stage_en, stage_zh = error.get("stage_en", ""), error.get("stage_zh", "")
    return CustomCodeError(
        f"{stage_en}: {error['type']}{where_en}: {message}",
        f"{stage_zh}：{where_zh}出现 {error['type']}：{message}",
        reason="exception", line=line, code=code,
    )


#: The program the separate process runs. It reads the request as JSON on stdin and
#: prints one line ``__TFLAB_CHECK__{json}``. It must stay self-contained.
_HARNESS = r'''
import contextlib, io, json, sys, traceback, types

MARK = "__TFLAB_CHECK__"
request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
sys.stdout.reconfigure(encoding="utf-8")
FILENAME = request["filename"]
KIND = request["kind"]
printed = io.StringIO()


def finish(report):
    report["printed"] = printed.getvalue()[-4000:]
    sys.__stdout__.write(MARK + json.dumps(report) + "\n")
    sys.__stdout__.flush()
    sys.exit(0)


def failure(exc, stage_en, stage_zh):
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
    finish({"error": {"reason": "exception", "type": type(exc).__name__, "message": str(exc)[:2000],
                      "line": lines[-1] if lines else None, "stage_en": stage_en, "stage_zh": stage_zh}})


def not_found(en, zh):
    finish({"error": {"reason": "not_found", "en": en, "zh": zh}})


namespace = {"__name__": "__tflab_user__"}
try:
    with contextlib.redirect_stdout(printed):
        exec(compile(request["source"], FILENAME, "exec"), namespace)
except BaseException as exc:
    failure(exc, "Running your code", "运行你的代码时")

mine = [v for v in namespace.values() if getattr(v, "__module__", None) == "__tflab_user__"]
classes = [v for v in mine if isinstance(v, type)]
functions = [v for v in mine if isinstance(v, types.FunctionType)]
if not (classes or (KIND == "loss" and functions)):
    not_found(
        {"layer": "Your code defines no class: write one that subclasses tf.keras.layers.Layer.",
         "metric": "Your code defines no class: write one that subclasses tf.keras.metrics.Metric.",
         "loss": "Your code defines no function: write one such as def my_loss(y_true, y_pred)."}[KIND],
        {"layer": "你的代码没有定义任何类：请写一个继承 tf.keras.layers.Layer 的类。",
         "metric": "你的代码没有定义任何类：请写一个继承 tf.keras.metrics.Metric 的类。",
         "loss": "你的代码没有定义任何函数：请写一个函数，例如 def my_loss(y_true, y_pred)。"}[KIND])

import tensorflow as tf

inputs = {key: tf.constant(value, dtype=tf.float32) for key, value in request["inputs"].items()}
messages = []


def pick(base, en, zh):
    found = [c for c in classes if issubclass(c, base)]
    if not found:
        not_found(en, zh)
    return found[-1]


def create(cls):
    try:
        with contextlib.redirect_stdout(printed):
            return cls()
    except BaseException as exc:
        failure(exc, f"Creating {cls.__name__}()", f"创建 {cls.__name__}() 时")


def check_layer():
    cls = pick(tf.keras.layers.Layer,
               "No class in your code subclasses tf.keras.layers.Layer.",
               "你的代码中没有继承 tf.keras.layers.Layer 的类。")
    layer = create(cls)
    try:
        with contextlib.redirect_stdout(printed):
            y = layer(inputs["x"])
    except BaseException as exc:
        failure(exc, f"Calling {cls.__name__} (build, then call)", f"调用 {cls.__name__}（先 build 再 call）时")
    if not layer.weights:
        messages.append(["The layer has no weights, so it cannot learn. Create them in build() with self.add_weight.",
                         "这个层没有权重，所以无法学习。请在 build() 中用 self.add_weight 创建权重。"])
    return {"name": cls.__name__, "output_shape": list(y.shape), "value": None,
            "weights": [[w.path, list(w.shape)] for w in layer.weights]}


def check_loss():
    candidates = functions or [c for c in classes if issubclass(c, tf.keras.losses.Loss)]
    if not candidates:
        not_found("Your code defines no loss function (and no subclass of tf.keras.losses.Loss).",
                  "你的代码没有定义损失函数（也没有继承 tf.keras.losses.Loss 的类）。")
    target = candidates[-1]
    fn = create(target) if isinstance(target, type) else target
    y_pred = tf.Variable(inputs["y_pred"])
    try:
        with contextlib.redirect_stdout(printed), tf.GradientTape() as tape:
            value = tf.convert_to_tensor(fn(inputs["y_true"], y_pred))
    except BaseException as exc:
        failure(exc, f"Calling {target.__name__}(y_true, y_pred)", f"调用 {target.__name__}(y_true, y_pred) 时")
    if tape.gradient(value, y_pred) is None:
        messages.append(["The loss has no gradient with respect to y_pred, so a model cannot learn from it. "
                         "Use TensorFlow operations on y_pred (no .numpy(), no Python rounding).",
                         "这个损失对 y_pred 没有梯度，模型无法用它学习。请对 y_pred 使用 TensorFlow 运算"
                         "（不要用 .numpy()，也不要用 Python 取整）。"])
    if value.shape.rank == 1:
        messages.append(["One loss per sample: Keras averages them over the batch (the value shown).",
                         "每个样本一个损失值：Keras 会在整个批次上取平均（即显示的值）。"])
    return {"name": target.__name__, "output_shape": list(value.shape),
            "value": float(tf.reduce_mean(tf.cast(value, tf.float32))), "weights": []}


def check_metric():
    cls = pick(tf.keras.metrics.Metric,
               "No class in your code subclasses tf.keras.metrics.Metric.",
               "你的代码中没有继承 tf.keras.metrics.Metric 的类。")
    metric = create(cls)
    half = inputs["y_true"].shape[0] // 2
    try:
        with contextlib.redirect_stdout(printed):
            start = float(metric.result())
            metric.update_state(inputs["y_true"][:half], inputs["y_pred"][:half])
            metric.update_state(inputs["y_true"][half:], inputs["y_pred"][half:])
            value = float(metric.result())
            metric.reset_state()
            after = float(metric.result())
    except BaseException as exc:
        failure(exc, f"Using {cls.__name__} (update_state, result, reset_state)",
                f"使用 {cls.__name__}（update_state、result、reset_state）时")
    if after != start:
        messages.append([f"After reset_state the result is {after:g}, not {start:g} as when new: "
                         "reset_state must put every state variable back.",
                         f"调用 reset_state 后结果是 {after:g}，而不是新建时的 {start:g}："
                         "reset_state 必须把每个状态变量都恢复原值。"])
    return {"name": cls.__name__, "output_shape": None, "value": value,
            "weights": [[v.path, list(v.shape)] for v in metric.variables]}


finish({**{"layer": check_layer, "loss": check_loss, "metric": check_metric}[KIND](), "messages": messages})
'''
