"""``tflab --self-test``: check that an installation works, offline, in about a minute.

:func:`run_self_test` opens the main window (offscreen when there is no display), then
exercises the engine the way the app does: shape inference on the seed model, the Keras
build, the model saved as .keras and imported again without Keras, the generated code, one epoch of training on the bundled digits, TensorBoard logs
written and read back, a cropped sample picture, and a student's custom layer checked
in a separate process. It prints one line per check::

    OK    training       6.20 s  1 epoch on digits (1257 samples), validation accuracy 0.87

and a last line with the totals; the exit status is 0 only if every check passed.
Nothing is fetched from the network, and nothing is written outside a temporary
folder: the window's settings, recovery files and Keras's configuration go there too.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tflab import tfload

#: When this module was imported: the fallback "process start" where /proc is missing.
_IMPORTED = time.time()

#: The seed model of a new project, after Flatten and two Dense layers are added.
SEED_LAYERS = (
    ("Flatten", {}),
    ("Dense", {"units": 100, "activation": "relu"}),
    ("Dense", {"units": 10, "activation": "softmax"}),
)
SEED_INPUT = (28, 28)
#: Parameters of the seed model's layers: Flatten 0, Dense(100) 784*100+100, Dense(10) 100*10+10.
SEED_PARAMS = (0, 78_500, 1_010)
#: How long the window may take to load TensorFlow in the background.
TF_TIMEOUT_S = 300


@dataclass
class CheckResult:
    """One check's outcome: its name, whether it passed, a short detail, seconds taken."""

    name: str
    ok: bool
    detail: str
    seconds: float


class SelfTestFailure(Exception):
    """A check found something wrong; the message says what."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


# --------------------------------------------------------------------------- set-up


def _has_display() -> bool:
    """Whether a window can be shown on a real screen (always assumed off Linux)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _attach_console() -> None:
    """On Windows, a windowed executable has no stdout: print to the calling console."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", buffering=1)
        sys.stderr = sys.stdout
    else:
        sys.stdout = sys.stderr = open(os.devnull, "w")


def _private_environment(folder: Path) -> None:
    """Send every file the app and Keras would write to ``folder`` (not the user's home)."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(folder / name.lower())
    os.environ.setdefault("KERAS_HOME", str(folder / "keras"))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _application(folder: Path):
    """The QApplication (an existing one is reused), with settings kept in ``folder``."""
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    if not sys.platform.startswith("linux"):  # the XDG variables only work on Linux
        QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "tflab"])
    QCoreApplication.setOrganizationName("tflab-selftest")
    QCoreApplication.setApplicationName("tflab-selftest")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
    return app


def _process_age() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since import)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time() - _IMPORTED


# --------------------------------------------------------------------------- the checks


def _seed_graph(input_shape=SEED_INPUT):
    from tflab.graph import ModelGraph

    return ModelGraph.sequential(input_shape, SEED_LAYERS[1:] if len(input_shape) == 1 else SEED_LAYERS)


def check_resources() -> str:
    """The bundled resources are where the engine looks for them."""
    from tflab.resources import resource_path, resources_root

    for name in ("datasets/mnist.npz", "datasets/digits.npz", "datasets/iris.csv", "images", "lessons"):
        resource_path(name)
    present = sorted(p.name for p in resources_root().iterdir() if p.is_dir())
    return f"{resources_root()} ({', '.join(present)})"


def check_shapes() -> str:
    """Shape inference on the seed model: output (None, 10), 78,500 + 1,010 parameters."""
    from tflab.shapes import infer_shapes

    graph = _seed_graph()
    report = infer_shapes(graph)
    _require(report.ok, f"shape inference failed: {report.first_error()}")
    params = tuple(report.calls[cid].params for cid in report.order)
    _require(params == SEED_PARAMS, f"parameters per layer {params}, expected {SEED_PARAMS}")
    last = report.calls[report.order[-1]].output_shape
    _require(tuple(last) == (None, 10), f"output shape {last}, expected (None, 10)")
    return f"output (None, 10), {report.total_params:,} parameters"


def check_keras_build() -> str:
    """The engine builds the seed model with Keras; same parameter count."""
    from tflab.keras_build import build_model

    model = build_model(_seed_graph())
    _require(model.count_params() == sum(SEED_PARAMS), f"Keras counts {model.count_params()} parameters")
    return f"{type(model).__name__} with {len(model.layers)} layers, {model.count_params():,} parameters"


def check_keras_import(folder: Path) -> str:
    """The seed model saved as .keras is read back without Keras (the table of Keras's
    defaults and Keras's version are in the bundle), as the same layers."""
    from tflab.importer import import_keras_file, read_saved_config
    from tflab.keras_build import build_model
    from tflab.saved_config import graph_from_config

    path = folder / "seed.keras"
    build_model(_seed_graph()).save(path)
    _require(graph_from_config(read_saved_config(path)) is not None, "the model was not read without Keras")
    graph = import_keras_file(path)
    names = [layer.class_name for layer in graph.layers.values()]
    expected = [name for name, _config in SEED_LAYERS]
    _require(names == expected, f"imported {names}, expected {expected}")
    return f"{len(names)} layers read without Keras"


def check_codegen() -> str:
    """Code in the three styles compiles; the functional module's build_model() runs."""
    from tflab.codegen import STYLES, generate

    graph = _seed_graph()
    for style in STYLES:
        compile(generate(graph, style, script=True), f"<{style}>", "exec")
    namespace: dict = {"__name__": "tflab_selftest_generated"}
    exec(compile(generate(graph, "functional"), "<functional>", "exec"), namespace)  # noqa: S102
    params = namespace["build_model"]().count_params()
    _require(params == sum(SEED_PARAMS), f"the generated build_model() has {params} parameters")
    return f"{', '.join(STYLES)} compile; build_model() gives {params:,} parameters"


def check_training(logdir: Path) -> str:
    """One epoch of File > New's model on the bundled MNIST digits with the engine's
    trainer (AutoGraph needs sources)."""
    from tflab.datasets import load_dataset, split
    from tflab.keras_build import build_model
    from tflab.project import starter_project
    from tflab.trainer import Failed, Finished, TrainConfig, Trainer

    starter = starter_project()
    data = load_dataset(starter.training["dataset"])
    config = TrainConfig(epochs=1, batch_size=32, validation=0.15, test=0.15, logdir=str(logdir),
                         run_name="selftest")
    splits = split(data, config.validation, config.test, config.seed)
    trainer = Trainer(build_model(starter.graph), splits, config)
    events = list(trainer.run())
    failed = [e for e in events if isinstance(e, Failed)]
    _require(not failed, failed[0].error.full() if failed else "")
    _require(isinstance(events[-1], Finished), f"the run ended with {type(events[-1]).__name__}")
    accuracy = events[-1].validation.get("accuracy", 0.0)
    _require(accuracy > 0.8, f"validation accuracy {accuracy:.2f} after one epoch (expected > 0.8)")
    return f"1 epoch on mnist ({len(splits.train)} samples), validation accuracy {accuracy:.2f}"


def check_logs(logdir: Path) -> str:
    """A ``tf.summary`` scalar written to ``logdir`` reads back; so does the training run's log."""
    tf = tfload.tensorflow()

    from tflab.runlogs import list_runs, read_scalars

    writer = tf.summary.create_file_writer(str(logdir / "direct"))
    with writer.as_default():
        for step, value in enumerate((0.25, 0.5)):
            tf.summary.scalar("selftest_value", value, step=step)
    writer.close()
    values = read_scalars(logdir / "direct").get("selftest_value")
    _require(values == [(0, 0.25), (1, 0.5)], f"read back {values}, expected [(0, 0.25), (1, 0.5)]")
    runs = {run.name: run for run in list_runs(logdir)}
    _require("selftest" in runs, f"the training run's log is missing (runs: {sorted(runs)})")
    tags = read_scalars(runs["selftest"].path)
    _require("train/epoch_loss" in tags, f"no train/epoch_loss in the run's log (tags: {sorted(tags)})")
    return f"tf.summary scalars read back; training log has {len(tags)} tags"


def check_imaging() -> str:
    """A bundled sample picture loads and crops with ``tf.image.crop_to_bounding_box``."""
    from tflab.imaging import BoundingBox, crop, load_image, sample_image

    image = load_image(sample_image("chelsea").path)
    box = BoundingBox(offset_height=50, offset_width=100, target_height=120, target_width=160)
    cropped = crop(image.array, box)
    _require(cropped.shape == (120, 160, image.channels), f"cropped shape {cropped.shape}")
    return f"chelsea {image.shape} cropped to {tuple(cropped.shape)}"


def check_custom_code() -> str:
    """The custom-layer lab runs a student's layer in a separate process."""
    from tflab.labs.custom import LAYER_TEMPLATE, check_custom_code

    result = check_custom_code(LAYER_TEMPLATE, "layer", (3,), consent=True, timeout=240)
    _require(result.output_shape == (4, 4), f"{result.name} output shape {result.output_shape}")
    return f"{result.name} checked in a separate process, output {result.output_shape}"


def check_project_layers() -> str:
    """A project's own layer class (the lab's template) gets its shape and parameters from Keras."""
    from tflab import custom_layers
    from tflab.graph import ModelGraph
    from tflab.keras_build import build_model
    from tflab.labs.custom import LAYER_TEMPLATE
    from tflab.shapes import infer_shapes

    graph = ModelGraph.sequential([3], [("MyDense", {"units": 2})], name="selftest_custom")
    graph.set_custom_code(LAYER_TEMPLATE)
    custom_layers.allow(LAYER_TEMPLATE)
    report = infer_shapes(graph)
    _require(report.ok, f"shape inference failed: {report.first_error()}")
    shape = report.calls[report.order[-1]].output_shape
    params = build_model(graph).count_params()
    _require(tuple(shape) == (None, 2) and report.total_params == params == 3 * 2 + 2,
             f"output {shape}, {report.total_params} parameters (Keras: {params})")
    return f"MyDense: output {tuple(shape)}, {params} parameters"


# --------------------------------------------------------------------------- the window


def _wait_for(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Process Qt events until ``condition()`` holds or ``timeout_s`` passes."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        time.sleep(0.01)
    return True


def _open_window(factory: Callable[[], object], opened: list) -> str:
    """Create and show the main window (appended to ``opened``); fail unless it is visible."""
    window = factory()
    opened.append(window)
    window.show()
    _require(_wait_for(window.isVisible, 30), "the main window did not appear")
    return f"main window shown {_process_age():.2f} s after the process started (platform {_platform_name()})"


def _wait_for_tensorflow(window) -> str:
    """TensorFlow loads in the window's background loader (when it has one)."""
    loader = getattr(window, "tf_loader", None)
    if loader is None:
        tf = tfload.tensorflow()

        return f"TensorFlow {tf.__version__} imported"
    _require(_wait_for(lambda: loader.is_ready() or bool(loader.error()), TF_TIMEOUT_S),
             f"TensorFlow did not load within {TF_TIMEOUT_S} s")
    _require(loader.is_ready(), loader.error())
    return (f"TensorFlow {loader.version} loaded in the background, "
            f"ready {_process_age():.2f} s after the process started")


def _close_window(window) -> None:
    """Stop the window's background threads first, so closing asks nothing."""
    shutdown = getattr(window, "shutdown", None)
    if shutdown is not None:
        shutdown()
    window.close()
    window.deleteLater()
    _wait_for(lambda: True, 0)


def _default_factory():
    from ui.app.main_window import MainWindow

    return MainWindow()


# --------------------------------------------------------------------------- running


def _run(name: str, check: Callable[[], str], results: list[CheckResult]) -> None:
    """Run one check, print its line at once and keep its result."""
    start = time.perf_counter()
    try:
        result = CheckResult(name, True, check(), time.perf_counter() - start)
    except Exception as err:  # noqa: BLE001 - every failure becomes a FAIL line
        detail = str(err) if isinstance(err, SelfTestFailure) else _describe(err)
        result = CheckResult(name, False, detail, time.perf_counter() - start)
    results.append(result)
    _print(result)


def _describe(err: BaseException) -> str:
    full = getattr(err, "full", None)
    text = full() if callable(full) else f"{type(err).__name__}: {err}"
    last = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    where = f" [{Path(last[0].filename).name}:{last[0].lineno}]" if last else ""
    return " ".join(text.split()) + where


def _print(result: CheckResult) -> None:
    status = "OK  " if result.ok else "FAIL"
    detail = " ".join(result.detail.split())  # one line per check, whatever the message
    print(f"{status}  {result.name:<13} {result.seconds:6.2f} s  {detail}", flush=True)


def _engine_checks(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    logdir = folder / "logs"
    return [
        ("resources", check_resources),
        ("shapes", check_shapes),
        ("keras build", check_keras_build),
        ("keras import", lambda: check_keras_import(folder)),
        ("codegen", check_codegen),
        ("training", lambda: check_training(logdir)),
        ("logs", lambda: check_logs(logdir)),
        ("imaging", check_imaging),
        ("custom code", check_custom_code),
        ("own layers", check_project_layers),
    ]


def _run_all(folder: Path, factory: Callable[[], object]) -> list[CheckResult]:
    """Every check in order; the engine checks run while the window is open."""
    from tflab import __version__

    print(f"tflab {__version__} self-test ({sys.platform}, Python {sys.version.split()[0]}, "
          f"{'frozen' if getattr(sys, 'frozen', False) else 'from source'})", flush=True)
    _application(folder)
    results: list[CheckResult] = []
    opened: list = []
    _run("window", lambda: _open_window(factory, opened), results)
    window = opened[0] if opened else None
    _run("tensorflow", lambda: _wait_for_tensorflow(window), results)
    for name, check in _engine_checks(folder):
        _run(name, check, results)
    if window is not None:
        _close_window(window)
    return results


def _platform_name() -> str:
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.platformName()


def run_self_test(app_window_factory: Callable[[], object] | None = None) -> int:
    """Run every check and print one line each; 0 if all passed, 1 otherwise.

    ``app_window_factory`` makes the main window (default: :class:`ui.app.main_window.MainWindow`).
    """
    _attach_console()
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="tflab-selftest-"))
    try:
        _private_environment(folder)
        results = _run_all(folder, app_window_factory or _default_factory)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    failed = [r.name for r in results if not r.ok]
    total = time.perf_counter() - started
    if failed:
        print(f"self-test FAILED: {len(failed)} of {len(results)} checks ({', '.join(failed)}); "
              f"total {total:.1f} s", flush=True)
        return 1
    print(f"self-test passed: {len(results)} checks; total {total:.1f} s "
          f"({_process_age():.1f} s since the process started)", flush=True)
    return 0
