"""``python -m tflab train``: train a project's model (or a ``.keras`` model) on a data set.

Example::

    python -m tflab train digits.tflab --data digits --epochs 20 --metrics accuracy,auc

Progress goes to stderr (one line per epoch; a live bar when stderr is a terminal);
the final metrics go to stdout, as one line or, with ``--json``, as a JSON object.
Settings not given on the command line come from the project's ``training`` section
(its :class:`~tflab.trainer.TrainConfig` keys, and ``dataset`` for ``--data``; other
keys belong to the desktop app and are ignored), then from the defaults; the loss and
metrics default to the usual ones for the data.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import TextIO

from tflab import named_data, tfload
from tflab.cli import add_allow_custom_code, allow_custom_code
from tflab.datasets import BUNDLED, COLORS, GENERATED, TASKS, Dataset, load_dataset, split
from tflab.devices import STRATEGIES, make_strategy, scope
from tflab.messages import TflabError, tr
from tflab.project import load_project
from tflab.session import save_keras_model, seeded_model, training_config
from tflab.trainer import (
    LOSSES,
    METRICS,
    OPTIMIZERS,
    EpochEnd,
    Failed,
    Finished,
    Started,
    Steps,
    TrainConfig,
    Trainer,
)

NAME = "train"
HELP = (
    "Train a model on a data set and print its final metrics.",
    "在数据集上训练模型并打印最终评估指标。",
)

_TRAINING_KEYS = frozenset(f.name for f in dataclasses.fields(TrainConfig))

# Command-line option -> TrainConfig field, for the options that set one directly.
_CONFIG_OPTIONS = {
    "epochs": "epochs",
    "batch_size": "batch_size",
    "optimizer": "optimizer",
    "lr": "learning_rate",
    "momentum": "momentum",
    "loss": "loss",
    "seed": "seed",
    "validation": "validation",
    "test": "test",
    "logdir": "logdir",
}


def register(parser: argparse.ArgumentParser) -> None:
    """Add the train command's arguments (settings default to the project's, then tflab's)."""
    data_names = ", ".join(BUNDLED + GENERATED)
    parser.add_argument("project", nargs="?", metavar="PROJECT.tflab",
                        help=tr("the project whose model to train", "要训练其模型的项目文件"))
    parser.add_argument("--model", metavar="FILE.keras",
                        help=tr("train a saved Keras model instead of a project", "改为训练已保存的 Keras 模型"))
    parser.add_argument("--data", metavar="DATA",
                        help=tr(f"{data_names}, FILE.csv, FILE.npz or a FOLDER of images (one sub-folder per "
                                "class); default: the project's dataset",
                                f"{data_names}、FILE.csv、FILE.npz 或图片文件夹（每个类别一个子文件夹）；"
                                "默认：项目中设置的数据集"))
    parser.add_argument("--label-column", metavar="C",
                        help=tr("CSV: the label column's name or 0-based number (-1: last)",
                                "CSV：标签列的名称或从 0 开始的编号（-1 表示最后一列）"))
    parser.add_argument("--task", choices=TASKS,
                        help=tr("CSV/NPZ: force classes or numbers", "CSV/NPZ：指定是分类还是回归"))
    parser.add_argument("--image-size", type=int, metavar="N",
                        help=tr("image folder: resize pictures to N x N", "图片文件夹：把图片缩放为 N x N"))
    parser.add_argument("--color", choices=COLORS, help=tr("image folder: colour mode", "图片文件夹：颜色模式"))
    parser.add_argument("--epochs", type=int, metavar="N")
    parser.add_argument("--batch-size", type=int, metavar="B")
    parser.add_argument("--optimizer", choices=OPTIMIZERS)
    parser.add_argument("--lr", type=float, metavar="X", help=tr("learning rate", "学习率"))
    parser.add_argument("--momentum", type=float, metavar="M", help=tr("momentum (sgd)", "动量（sgd）"))
    parser.add_argument("--loss", choices=LOSSES)
    parser.add_argument("--metrics", metavar="a,b",
                        help=tr(f"comma-separated, from: {', '.join(METRICS)}",
                                f"用逗号分隔，可选：{', '.join(METRICS)}"))
    parser.add_argument("--output-loss", action="append", metavar="NAME=LOSS",
                        help=tr("several outputs (named arrays): the loss of one output; repeat per output",
                                "多个输出（命名数组）：某个输出的损失函数；每个输出重复一次"))
    parser.add_argument("--loss-weight", action="append", metavar="NAME=W",
                        help=tr("several outputs: the weight of one output's loss in the total (default 1)",
                                "多个输出：某个输出的损失在总损失中的权重（默认 1）"))
    parser.add_argument("--output-metrics", action="append", metavar="NAME=a,b",
                        help=tr("several outputs: the metrics of one output", "多个输出：某个输出的评估指标"))
    parser.add_argument("--seed", type=int, metavar="S")
    parser.add_argument("--validation", type=float, metavar="F",
                        help=tr("fraction of the data for validation", "用于验证的数据比例"))
    parser.add_argument("--test", type=float, metavar="F",
                        help=tr("fraction of the data for testing", "用于测试的数据比例"))
    parser.add_argument("--logdir", metavar="DIR",
                        help=tr("write TensorBoard logs here", "把 TensorBoard 日志写到这里"))
    parser.add_argument("--save-model", metavar="FILE.keras",
                        help=tr("save the trained model (architecture and weights) to this .keras file",
                                "把训练好的模型（结构和权重）保存到这个 .keras 文件"))
    parser.add_argument("--strategy", choices=STRATEGIES, default="default",
                        help=tr("default: one device (the GPU if there is one); mirrored: several devices, "
                                "each batch split between them (the local GPUs, or N logical CPU devices "
                                "on a machine without GPUs)",
                                "default：一个设备（有 GPU 时用 GPU）；mirrored：多个设备，每个批次在它们之间"
                                "分配（本机的 GPU；没有 GPU 时为 N 个逻辑 CPU 设备）"))
    parser.add_argument("--replicas", type=int, metavar="N",
                        help=tr("mirrored: the number of devices (default: all GPUs, or 2 CPU devices)",
                                "mirrored：设备数量（默认：全部 GPU，或 2 个 CPU 设备）"))
    parser.add_argument("--json", action="store_true",
                        help=tr("print the final metrics as JSON on stdout", "在标准输出中以 JSON 格式打印最终评估指标"))
    add_allow_custom_code(parser)


def run(args: argparse.Namespace) -> int:
    """Load the data and the model, train, and print the final metrics."""
    if bool(args.project) == bool(args.model):
        raise TflabError(
            "Give either a project file or --model FILE.keras (one of them).",
            "请给出项目文件或 --model FILE.keras（二者选其一）。",
        )
    if args.save_model and not str(args.save_model).lower().endswith(".keras"):
        raise TflabError(f"--save-model needs a file ending in .keras, not {args.save_model!r}.",
                         f"--save-model 需要以 .keras 结尾的文件，而不是 {args.save_model!r}。")
    if args.replicas is not None and args.strategy != "mirrored":
        raise TflabError("--replicas needs --strategy mirrored.", "--replicas 需要配合 --strategy mirrored 使用。")
    project = load_project(args.project) if args.project else None
    if project is not None:
        allow_custom_code(project.graph, args.allow_custom_code, ("training", "训练"))
    saved = project.training if project else {}
    training = {key: value for key, value in saved.items() if key in _TRAINING_KEYS}
    data = args.data or saved.get("dataset")
    if not data:
        raise TflabError(
            "Say which data to train on with --data (a built-in name, a .csv or .npz file, or a folder).",
            "请用 --data 指定训练数据（内置数据集名称、.csv 或 .npz 文件，或文件夹）。",
        )
    base = TrainConfig.from_dict(training)
    tfload.load()
    strategy = make_strategy(args.strategy, args.replicas)  # before TensorFlow starts: it may split the CPU
    dataset = load_dataset(data, **_data_options(args))
    with scope(strategy):
        model = _model(project, args.model, args.seed if args.seed is not None else base.seed)
    dataset = named_data.bind(dataset, model)
    config = _config(args, training, model, dataset)
    trainer = Trainer(model, split(dataset, config.validation, config.test, config.seed), config, strategy)
    finished = _train(trainer, sys.stderr)
    if args.save_model:
        save_keras_model(model, args.save_model)
        print(tr(f"saved the trained model to {args.save_model}", f"已把训练好的模型保存到 {args.save_model}"),
              file=sys.stderr)
    _report(finished, config, args.json, args.strategy, trainer.replicas)
    return 0


def _data_options(args: argparse.Namespace) -> dict:
    options = {
        "label_column": args.label_column,
        "task": args.task,
        "image_size": args.image_size,
        "color": args.color,
    }
    return {key: value for key, value in options.items() if value is not None}


def _model(project, model_file: str | None, seed: int):
    """The project's model (or the saved one), made after seeding so its initial weights
    repeat: as the Training tab makes it (:func:`tflab.session.seeded_model`)."""
    if project is not None:
        from tflab.keras_build import build_model

        return seeded_model(lambda: build_model(project.graph), seed)
    from tflab.importer import load_keras_file

    # the same checks as File > Import, then safe mode
    return seeded_model(lambda: load_keras_file(model_file), seed)


def _config(args: argparse.Namespace, training: dict, model, dataset: Dataset) -> TrainConfig:
    """The settings: command line first, then the project's, then the usual loss and
    metrics for the data, as in the Training tab (:func:`tflab.session.training_config`)."""
    values = dict(training)
    values.update({field: getattr(args, option) for option, field in _CONFIG_OPTIONS.items()
                   if getattr(args, option) is not None})
    if args.metrics is not None:
        values["metrics"] = [m.strip() for m in args.metrics.split(",") if m.strip()]
    outputs = {name: dict(settings) for name, settings in (values.get("outputs") or {}).items()}
    for option, key in (("output_loss", "loss"), ("loss_weight", "weight"), ("output_metrics", "metrics")):
        for name, value in _pairs(getattr(args, option), option):
            if key == "weight":
                value = _weight(value, name)
            elif key == "metrics":
                value = [m.strip() for m in value.split(",") if m.strip()]
            outputs.setdefault(name, {})[key] = value
    if outputs:
        if dataset.task != named_data.NAMED:
            raise TflabError(
                "--output-loss, --loss-weight and --output-metrics are for models with several outputs, "
                "trained on a .npz file of named arrays; use --loss and --metrics here.",
                "--output-loss、--loss-weight 和 --output-metrics 用于用命名数组 .npz 文件训练的多输出模型；"
                "这里请使用 --loss 和 --metrics。",
            )
        known = {port.name for port in named_data.model_ports(model)[1]}
        unknown = sorted(set(outputs) - known)
        if unknown:
            raise TflabError(
                f"The model has no output called {', '.join(unknown)}; its outputs: {', '.join(sorted(known))}.",
                f"模型没有名为 {'、'.join(unknown)} 的输出；它的输出为：{'、'.join(sorted(known))}。",
            )
        values["outputs"] = outputs
    return training_config(values, model, dataset)


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values or []:
        name, equals, setting = value.partition("=")
        if not equals or not name.strip() or not setting.strip():
            flag = "--" + option.replace("_", "-")
            raise TflabError(f"{flag} takes NAME=VALUE (an output's name, then its setting), not {value!r}.",
                             f"{flag} 的格式是 NAME=VALUE（输出名称，然后是它的设置），而不是 {value!r}。")
        pairs.append((name.strip(), setting.strip()))
    return pairs


def _weight(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise TflabError(f"--loss-weight {name}={value}: the weight must be a number.",
                         f"--loss-weight {name}={value}：权重必须是数字。") from None


def _train(trainer: Trainer, stream: TextIO) -> Finished:
    """Run the trainer, showing progress on ``stream``; return the Finished event."""
    progress = _Progress(stream)
    try:
        for event in trainer.run():
            progress.show(event)
            if isinstance(event, Failed):
                raise event.error
            if isinstance(event, Finished):
                return event
    finally:
        progress.end_line()
    raise TflabError("Training stopped before the end.", "训练在结束前停止了。")


class _Progress:
    """Plain-text progress: a bar overwritten with \\r on a terminal, one line per epoch elsewhere."""

    BAR = 24

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.live = stream.isatty()
        self.epochs = 0
        self.partial = False

    def show(self, event) -> None:
        if isinstance(event, Started):
            self.epochs = event.epochs
            where = tr(f", logs in {event.log_dir}", f"，日志位于 {event.log_dir}") if event.log_dir else ""
            devices = tr(f" on {event.replicas} replicas", f"，使用 {event.replicas} 个副本") if event.replicas > 1 else ""
            self._line(tr(f"training {event.epochs} epochs of {event.steps_per_epoch} steps{devices}{where}",
                          f"训练 {event.epochs} 轮，每轮 {event.steps_per_epoch} 步{devices}{where}"))
        elif isinstance(event, Steps) and self.live:
            done = self.BAR * event.step // event.steps_per_epoch
            bar = "#" * done + "-" * (self.BAR - done)
            text = (f"{self._epoch(event.epoch)} [{bar}] {event.step}/{event.steps_per_epoch} "
                    f"loss {float(event.losses[-1]):.4f}")
            self.stream.write("\r" + text.ljust(78))
            self.stream.flush()
            self.partial = True
        elif isinstance(event, EpochEnd):
            values = _metrics_text(event.train) + "  " + _metrics_text(event.validation, "val_")
            self._line(f"{self._epoch(event.epoch)}  {values.strip()}  ({event.elapsed:.1f} s)")

    def _epoch(self, epoch: int) -> str:
        return tr(f"epoch {epoch}/{self.epochs}", f"第 {epoch}/{self.epochs} 轮")

    def _line(self, text: str) -> None:
        prefix = "\r" if self.partial else ""
        self.stream.write(prefix + (text.ljust(78) if self.partial else text) + "\n")
        self.stream.flush()
        self.partial = False

    def end_line(self) -> None:
        """Finish a bar left on the terminal so later messages start on a new line."""
        if self.partial:
            self.stream.write("\n")
            self.stream.flush()
            self.partial = False


def _metrics_text(values: dict[str, float], prefix: str = "") -> str:
    return "  ".join(f"{prefix}{name} {value:.4f}" for name, value in values.items())


def _report(finished: Finished, config: TrainConfig, as_json: bool, strategy: str, replicas: int) -> None:
    if as_json:
        print(json.dumps({
            "epochs": config.epochs,
            "strategy": strategy,
            "replicas": replicas,
            "train": finished.train,
            "validation": finished.validation,
            "test": finished.test,
            "elapsed_s": round(finished.elapsed, 3),
        }, ensure_ascii=False))
        return
    parts = [_metrics_text(finished.train), _metrics_text(finished.validation, "val_"),
             _metrics_text(finished.test, "test_")]
    print("  ".join(part for part in parts if part))
