"""Custom code lab: the templates work, the student's code runs in another process with a
time limit, errors come back with their line, and nothing runs without consent."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tflab.labs import custom
from tflab.labs.custom import (
    LAYER_TEMPLATE,
    LOSS_TEMPLATE,
    METRIC_TEMPLATE,
    CustomCodeError,
    check_custom_code,
    make_inputs,
)
from tflab.messages import TflabError


def test_layer_template_reports_keras_shapes_and_weights_from_another_process():
    result = check_custom_code(LAYER_TEMPLATE + "\nimport os\nprint('pid', os.getpid())\n", "layer", (5,),
                               consent=True)
    assert result.name == "MyDense" and result.output_shape == (custom.BATCH, 4)
    assert result.weights == [("my_dense/kernel", (5, 4)), ("my_dense/bias", (4,))]
    assert result.messages == ()
    assert result.printed.startswith("pid ") and int(result.printed.split()[1]) != os.getpid()
    assert "layer = MyDense()" in result.code
    compile(result.code, "<check>", "exec")


def test_loss_and_metric_templates_give_tensorflows_values():
    import tensorflow as tf

    loss = check_custom_code(LOSS_TEMPLATE, "loss", (3,), consent=True)
    data = make_inputs("loss", (3,))
    y_true, y_pred = tf.constant(data["y_true"], tf.float32), tf.constant(data["y_pred"], tf.float32)
    expected = tf.keras.losses.MeanSquaredError()(y_true, y_pred)
    assert loss.name == "my_mse" and loss.output_shape == (custom.BATCH,)
    assert loss.value == pytest.approx(float(expected), rel=1e-6)
    assert "Keras averages" in loss.messages[0].en

    metric = check_custom_code(METRIC_TEMPLATE, "metric", (3,), consent=True)
    keras_metric = tf.keras.metrics.MeanAbsoluteError()
    keras_metric.update_state(y_true, y_pred)
    assert metric.name == "MeanAbsError"
    assert metric.value == pytest.approx(float(keras_metric.result()), rel=1e-6)
    assert [name for name, _ in metric.weights] == ["mean_abs_error/total", "mean_abs_error/count"]
    # The code shown runs here too and prints the same result.
    namespace: dict = {}
    exec(compile(metric.code, "<check>", "exec"), namespace)
    assert float(namespace["metric"].result()) == 0.0
    np.testing.assert_allclose(float(tf.reduce_mean(tf.abs(namespace["y_true"] - namespace["y_pred"]))),
                               metric.value, rtol=1e-6)


def test_nothing_runs_without_consent(tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\nclass A:\n    pass\n"
    for consent in (False, "yes", 1):
        with pytest.raises(TflabError) as info:
            check_custom_code(source, "layer", consent=consent)
        assert "permission" in info.value.en
    assert not marker.exists()


def test_syntax_errors_are_found_without_running_with_their_line(tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\n\ndef broken(:\n    pass\n"
    with pytest.raises(CustomCodeError) as info:
        check_custom_code(source, "loss", consent=True)
    assert info.value.reason == "syntax" and info.value.line == 3
    assert "line 3" in info.value.en and "第 3 行" in info.value.zh
    assert not marker.exists()


def test_an_exception_comes_back_with_its_message_and_line():
    source = "x = 1\n\nraise ValueError('the message')\n"
    with pytest.raises(CustomCodeError) as info:
        check_custom_code(source, "layer", consent=True)
    err = info.value
    assert err.reason == "exception" and err.line == 3
    assert "ValueError" in err.en and "the message" in err.en and "the message" in err.zh


def test_code_that_never_ends_is_stopped_and_reported():
    with pytest.raises(CustomCodeError) as info:
        check_custom_code("while True:\n    pass\n", "layer", consent=True, timeout=2)
    assert info.value.reason == "timeout" and "2 seconds" in info.value.en and "2 秒" in info.value.zh


@pytest.mark.parametrize("source, kind", [("x = 1\n", "metric"), ("def f():\n    pass\n", "layer")])
def test_code_without_a_definition_is_explained(source, kind):
    with pytest.raises(CustomCodeError) as info:
        check_custom_code(source, kind, consent=True)
    assert info.value.reason == "not_found" and "class" in info.value.en


def test_a_process_that_dies_is_reported():
    with pytest.raises(CustomCodeError) as info:
        check_custom_code("import os\nos._exit(3)\n", "loss", consent=True)
    assert info.value.reason == "crash" and "exit code 3" in info.value.en


@pytest.mark.parametrize("args, options", [(("", "layer"), {}), (("x = 1", "model"), {}),
                                           (("x = 1", "layer", (0,)), {}), (("x = 1", "layer"), {"timeout": 0})])
def test_bad_requests_are_refused(args, options):
    with pytest.raises(TflabError):
        check_custom_code(*args, consent=True, **options)
