"""The lessons: one short page per topic, in English and Chinese, each with a lab.

:data:`LESSONS` is the lesson index the UI lists. Each :class:`Lesson` names its
Markdown pages (``resources/lessons/<lang>/<id>.md``), the API names it teaches, and
the kind of interactive lab the UI opens beside it; the lab's engine lives in
``tflab.labs.<module>``. Importing this package does not import TensorFlow: each lab
module imports it lazily, inside the functions that need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tflab.messages import TflabError, tr
from tflab.resources import resource_path

LANGUAGES = ("en", "zh")

#: Lab kinds the UI knows how to open (``"image_tool"`` is the crop tool of the app).
LAB_KINDS = (
    "graphs", "training", "flatten", "initializers", "dataset", "tape", "optimizer",
    "custom", "image_tool", "stack", "name_scope", "summary", "loop",
)


@dataclass(frozen=True)
class Lesson:
    """One lesson: titles and summaries in both languages, its pages and its lab.

    ``lab`` is one of :data:`LAB_KINDS`; ``module`` is the engine module behind the lab
    (``"tflab.labs.flatten"``, or ``"tflab.imaging"`` for the crop tool); ``api`` lists
    the TensorFlow names the lesson teaches, written as in code.
    """

    id: str
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    lab: str
    module: str
    api: tuple[str, ...]

    def title(self, lang: str | None = None) -> str:
        """The title in the current (or given) language."""
        return tr(self.title_en, self.title_zh, lang)

    def summary(self, lang: str | None = None) -> str:
        """The one-sentence summary in the current (or given) language."""
        return tr(self.summary_en, self.summary_zh, lang)

    def resource(self, lang: str | None = None) -> str:
        """The resource name of the lesson page, e.g. ``"lessons/zh/flatten.md"``."""
        return f"lessons/{tr('en', 'zh', lang)}/{self.id}.md"

    def path(self, lang: str | None = None) -> Path:
        """The lesson page's file; :class:`TflabError` when the installation lacks it."""
        return resource_path(self.resource(lang))

    def text(self, lang: str | None = None) -> str:
        """The lesson page (Markdown) in the current (or given) language."""
        return self.path(lang).read_text(encoding="utf-8")


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "sequential_vs_functional", "Sequential and Functional models", "Sequential 与函数式模型",
        "Two ways to build a Keras model: a stack of layers, or a graph of layer calls.",
        "构建 Keras 模型的两种方式：层的堆叠，或由层调用组成的图。",
        "graphs", "tflab.labs.sequential_vs_functional",
        ("tf.keras.Sequential", "tf.keras.Input", "tf.keras.Model"),
    ),
    Lesson(
        "compile_fit_evaluate", "compile, fit and evaluate", "compile、fit 与 evaluate",
        "Choose an optimizer, a loss and metrics, train on data, then measure on unseen data.",
        "选择优化器、损失函数和评估指标，用数据训练，再在没见过的数据上评估。",
        "training", "tflab.labs.compile_fit_evaluate",
        ("model.compile", "model.fit", "model.evaluate"),
    ),
    Lesson(
        "flatten", "Flatten", "Flatten 展平层",
        "Turn each sample into one long row of numbers, keeping the batch dimension.",
        "把每个样本变成一长行数字，保留批次维度。",
        "flatten", "tflab.labs.flatten",
        ("tf.keras.layers.Flatten",),
    ),
    Lesson(
        "initializers", "Weight initializers", "权重初始化器",
        "Where a layer's weights start: constants, random distributions, Glorot, He.",
        "层的权重从哪里开始：常数、随机分布、Glorot、He。",
        "initializers", "tflab.labs.initializers",
        ("tf.keras.initializers", "kernel_initializer", "bias_initializer"),
    ),
    Lesson(
        "datasets", "tf.data datasets", "tf.data 数据集",
        "Slice arrays into a dataset, then shuffle, batch, repeat and map it.",
        "把数组切成数据集，再对它打乱、分批、重复和映射。",
        "dataset", "tflab.labs.tf_data",
        ("tf.data.Dataset.from_tensor_slices", "shuffle", "batch", "repeat", "map"),
    ),
    Lesson(
        "gradient_tape", "GradientTape", "GradientTape 梯度带",
        "Record a computation and ask TensorFlow for its gradients.",
        "记录一次计算，让 TensorFlow 求出它的梯度。",
        "tape", "tflab.labs.gradient_tape",
        ("tf.GradientTape", "tape.gradient", "tape.watch", "persistent"),
    ),
    Lesson(
        "apply_gradients", "Optimizers and apply_gradients", "优化器与 apply_gradients",
        "Take one optimizer step at a time and watch the variables walk downhill.",
        "一次走一步优化，看变量如何沿着损失下坡。",
        "optimizer", "tflab.labs.apply_gradients",
        ("optimizer.apply_gradients", "tf.keras.optimizers.SGD", "tf.keras.optimizers.Adam"),
    ),
    Lesson(
        "custom", "Custom layers, losses and metrics", "自定义层、损失函数和评估指标",
        "Write your own layer, loss function or metric and check it on real tensors.",
        "编写自己的层、损失函数或评估指标，并在真实张量上检查它。",
        "custom", "tflab.labs.custom",
        ("tf.keras.layers.Layer", "build", "call", "tf.keras.metrics.Metric",
         "update_state", "result", "reset_state"),
    ),
    Lesson(
        "crop", "Cropping images", "裁剪图像",
        "Cut a box out of an image with crop_to_bounding_box.",
        "用 crop_to_bounding_box 从图像中裁出一个矩形区域。",
        "image_tool", "tflab.imaging",
        ("tf.image.crop_to_bounding_box", "offset_height", "offset_width",
         "target_height", "target_width"),
    ),
    Lesson(
        "stack_unstack", "stack and unstack", "stack 与 unstack",
        "Join tensors of the same shape along a new axis, and split them apart again.",
        "把形状相同的张量沿新轴合并，再把它们拆开。",
        "stack", "tflab.labs.stack_unstack",
        ("tf.stack", "tf.unstack", "axis"),
    ),
    Lesson(
        "name_scope", "name_scope", "name_scope 名称作用域",
        "Group the operations of a graph under readable names.",
        "用易读的名称把计算图中的操作分组。",
        "name_scope", "tflab.labs.name_scope",
        ("tf.name_scope", "tf.function", "get_concrete_function"),
    ),
    Lesson(
        "summary_scalar", "Logging scalars for TensorBoard", "为 TensorBoard 记录标量",
        "Write a loss and an AUC for each step into an event file and read them back.",
        "把每一步的损失和 AUC 写入事件文件，再把它们读出来。",
        "summary", "tflab.labs.summary_scalar",
        ("tf.summary.create_file_writer", "tf.summary.scalar", "tf.keras.metrics.AUC"),
    ),
    Lesson(
        "custom_loop", "Your own training loop", "自己写训练循环",
        "Write what model.fit does with GradientTape, an optimizer and metrics, and compare the two.",
        "用 GradientTape、优化器和评估指标写出 model.fit 所做的事，再把两者比较。",
        "loop", "tflab.labs.custom_loop",
        ("tf.GradientTape", "apply_gradients", "update_state", "reset_state", "validation_data"),
    ),
)

_BY_ID = {item.id: item for item in LESSONS}


def lesson_ids() -> list[str]:
    """The lesson ids, in teaching order."""
    return [item.id for item in LESSONS]


def lesson(lesson_id: str) -> Lesson:
    """The lesson ``lesson_id``; :class:`TflabError` for an unknown id."""
    found = _BY_ID.get(lesson_id)
    if found is None:
        ids = ", ".join(lesson_ids())
        raise TflabError(
            f"There is no lesson {lesson_id!r}.",
            f"没有课程 {lesson_id!r}。",
            hint_en=f"Lessons: {ids}.",
            hint_zh=f"课程：{ids}。",
        )
    return found


GLOSSARY_ID = "glossary"


def glossary_text(lang: str | None = None) -> str:
    """The glossary page (Markdown) in the current (or given) language."""
    return resource_path(f"lessons/{tr('en', 'zh', lang)}/{GLOSSARY_ID}.md").read_text(encoding="utf-8")


def glossary_terms(lang: str | None = None) -> list[tuple[str, str, str]]:
    """The glossary's rows: (English term, Chinese term, meaning in the language)."""
    rows = []
    for line in glossary_text(lang).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not set(cells[0]) <= {"-"} and cells[0] != "English":
            rows.append((cells[0], cells[1], cells[2]))
    return rows
