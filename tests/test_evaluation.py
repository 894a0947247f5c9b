"""What a classifier learned: probabilities, the confusion matrix, mistakes, drawn digits."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.evaluation import Predictions, digit_from_drawing, picture_shape, to_probabilities
from tflab.messages import TflabError


def test_logits_become_probabilities_and_one_sigmoid_unit_becomes_two_classes():
    p = to_probabilities(np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]]), from_logits=True)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == 0 and p[1] == pytest.approx([1 / 3] * 3)
    two = to_probabilities(np.array([[0.0], [100.0]]), from_logits=True)
    np.testing.assert_allclose(two, [[0.5, 0.5], [0.0, 1.0]], atol=1e-12)
    kept = to_probabilities(np.array([[0.25, 0.75]]), from_logits=False)
    np.testing.assert_allclose(kept, [[0.25, 0.75]])


def _example() -> Predictions:
    # true:      0    0    0    1    1    2
    # predicted: 0    1    0    1    0    2
    probabilities = np.array([
        [0.9, 0.05, 0.05], [0.3, 0.6, 0.1], [0.5, 0.4, 0.1],
        [0.1, 0.8, 0.1], [0.95, 0.04, 0.01], [0.2, 0.2, 0.6],
    ])
    return Predictions(np.zeros((6, 2)), np.array([0, 0, 0, 1, 1, 2]), probabilities, ("a", "b", "c"))


def test_the_confusion_matrix_counts_true_classes_against_predictions():
    predictions = _example()
    np.testing.assert_array_equal(predictions.predicted, [0, 1, 0, 1, 0, 2])
    np.testing.assert_array_equal(predictions.confusion(), [[2, 1, 0], [1, 1, 0], [0, 0, 1]])
    np.testing.assert_allclose(predictions.class_accuracy(), [2 / 3, 1 / 2, 1.0])
    assert predictions.accuracy() == pytest.approx(4 / 6)
    assert predictions.confusion().sum() == len(predictions)


def test_a_cell_lists_its_samples_most_confident_first():
    predictions = _example()
    assert predictions.in_cell(0, 0).tolist() == [0, 2]
    assert predictions.in_cell(1, 0).tolist() == [4]
    assert predictions.in_cell(2, 1).tolist() == []


def test_mistakes_come_first_most_confident_first_then_the_near_misses():
    order = _example().mistakes_first().tolist()
    assert order[:2] == [4, 1]  # wrong at 0.95, then wrong at 0.6
    assert order[2:] == [2, 5, 3, 0]  # right, least confident first
    assert sorted(order) == list(range(6))


def test_a_class_with_no_sample_has_no_accuracy_rather_than_zero():
    predictions = Predictions(np.zeros((2, 1)), np.array([0, 0]), np.array([[0.9, 0.1], [0.2, 0.8]]), ("x", "y"))
    accuracy = predictions.class_accuracy()
    assert accuracy[0] == 0.5 and np.isnan(accuracy[1])


def test_pictures_are_recognised_by_their_shape():
    assert picture_shape((28, 28)) == (28, 28)
    assert picture_shape((32, 32, 3)) == (32, 32)
    assert picture_shape((64,)) == (8, 8)
    assert picture_shape((4,)) is None and picture_shape((10,)) is None and picture_shape((5, 5, 7)) is None


def test_a_drawing_is_prepared_as_mnist_digits_were():
    canvas = np.zeros((280, 280))
    canvas[30:130, 200:240] = 1.0  # a tall bar, drawn near the top right corner
    digit = digit_from_drawing(canvas)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20 and cols[-1] - cols[0] + 1 <= 10  # fitted in 20x20, shape kept
    ys, xs = np.indices(digit.shape)
    mass = digit.sum()
    assert abs((ys * digit).sum() / mass - 13.5) <= 0.75 and abs((xs * digit).sum() / mass - 13.5) <= 0.75
    assert digit.max() <= 1.0 and digit.min() >= 0.0
    assert not digit_from_drawing(np.zeros((50, 50))).any()
    assert digit_from_drawing(canvas, side=8).shape == (8, 8)
    with pytest.raises(TflabError):
        digit_from_drawing(np.zeros((3, 3, 3)))


def test_the_course_model_reads_mnist_digits_drawn_large_and_prepared_again():
    """The drawing canvas's promise: a digit drawn big, anywhere, reads as that digit."""
    from tflab.project import starter_project
    from tflab.session import RunRequest, Session

    starter = starter_project()
    session = Session()
    training = {**starter.training, "epochs": 3}
    session.prepare(RunRequest(starter.graph.to_json(), "mnist", {}, {k: v for k, v in training.items()
                                                                      if k not in ("dataset", "data_options")}))
    for _ in session.trainer.run():
        pass
    predictions = session.predictions()
    assert predictions is not None and len(predictions) == 1500 and predictions.accuracy() > 0.9
    assert predictions.confusion().sum() == 1500 and predictions.num_classes == 10

    rng = np.random.default_rng(0)
    chosen = rng.choice(len(predictions), 100, replace=False)
    drawn = []
    for index in chosen:
        big = np.kron(predictions.x[index], np.ones((10, 10)))  # as if drawn on a 280x280 canvas
        canvas = np.zeros((400, 400))
        top, left = rng.integers(0, 120, size=2)
        canvas[top:top + 280, left:left + 280] = big
        drawn.append(digit_from_drawing(canvas))
    read = session.predict(np.stack(drawn)).argmax(axis=1)
    assert (read == predictions.y[chosen]).mean() >= 0.85
