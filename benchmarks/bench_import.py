"""Importing a .keras file and summarising a model without TensorFlow, against asking Keras.

Builds NASNetMobile, ResNet50, EfficientNetB0 and ConvNeXtTiny from ``keras.applications``
(``weights=None``), saves each as ``.keras``, then times, in this process (TensorFlow
already imported, so its import is not counted on either side):

- the import: the file's description read as data (:mod:`tflab.saved_config`) against
  the obvious alternative, Keras making the model from the description and the graph
  read from it (``importer._check_saved_config`` + ``graph_from_model``, as before);
- the shapes and parameters: :func:`tflab.shape_rules.quick_report` against Keras's
  symbolic run (:class:`tflab.shapes.ShapeInference`, a fresh cache).

Then, in fresh processes, ``python -m tflab import`` and ``python -m tflab summary`` on
NASNetMobile from start to end, against ``python -c "import tensorflow"`` alone: what a
command that asks Keras costs before it starts.

Run: ``python benchmarks/bench_import.py [--models NASNetMobile,ResNet50] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODELS = ("NASNetMobile", "ResNet50", "EfficientNetB0", "ConvNeXtTiny")


def best(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def command(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import keras

    from tflab import importer
    from tflab.project import Project, save_project
    from tflab.saved_config import graph_from_config
    from tflab.shape_rules import quick_report
    from tflab.shapes import ShapeInference

    with TemporaryDirectory() as folder:
        paths = {}
        for name in args.models.split(","):
            paths[name] = Path(folder) / f"{name}.keras"
            getattr(keras.applications, name)(weights=None).save(paths[name])
        for name, path in paths.items():
            config = importer.read_saved_config(path)
            graph = graph_from_config(config)
            assert graph is not None, f"{name} is not read without Keras"
            read = best(lambda p=path: graph_from_config(importer.read_saved_config(p)), args.repeat)
            through = best(lambda p=path: importer.graph_from_model(
                importer._check_saved_config(importer.read_saved_config(p)) or importer._load(p)), args.repeat)
            assert quick_report(graph) is not None, f"{name} has no report without Keras"
            quick = best(lambda g=graph: quick_report(g), args.repeat)
            symbolic = best(lambda g=graph: ShapeInference().infer(g), args.repeat)
            print(f"{name} ({len(graph.calls)} calls): import {read * 1000:.0f} ms, through Keras "
                  f"{through * 1000:.0f} ms, ratio {through / read:.1f}x; shapes {quick * 1000:.1f} ms, "
                  f"Keras {symbolic * 1000:.0f} ms, ratio {symbolic / quick:.0f}x", flush=True)

        name = "NASNetMobile" if "NASNetMobile" in paths else next(iter(paths))
        project = Path(folder) / "model.tflab"
        save_project(Project(importer.import_keras_file(paths[name])), project)
        tensorflow = min(command("-c", "import tensorflow") for _ in range(args.repeat))
        cli_import = min(command("-m", "tflab", "import", str(paths[name]), "-o", str(project))
                         for _ in range(args.repeat))
        cli_summary = min(command("-m", "tflab", "summary", str(project)) for _ in range(args.repeat))
        print(f"{name} from the command line, whole process: import {cli_import:.2f} s, summary "
              f"{cli_summary:.2f} s; 'import tensorflow' alone {tensorflow:.2f} s "
              f"(ratios {tensorflow / cli_import:.1f}x, {tensorflow / cli_summary:.1f}x)")


if __name__ == "__main__":
    main()
