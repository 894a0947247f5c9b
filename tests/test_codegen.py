"""Generated Keras code: what it says, that it is safe, and the codegen command.

These tests do not import TensorFlow; ``test_codegen_roundtrip.py`` runs the code.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import corpus
from tflab import codegen
from tflab.cli import main
from tflab.codegen import CodegenError, generate
from tflab.graph import ModelGraph
from tflab.messages import TflabError
from tflab.project import Project, save_project

ROOT = Path(__file__).resolve().parent.parent


def _styles(graph: ModelGraph) -> list[str]:
    return [s for s in codegen.STYLES if s != "sequential" or graph.is_stack()]


def _keywords(code: str, keyword: str) -> list:
    """Every literal value given to ``keyword=`` in a call in ``code``."""
    return [ast.literal_eval(kw.value) for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Call) for kw in node.keywords
            if kw.arg == keyword and isinstance(kw.value, ast.Constant)]


# --------------------------------------------------------------------------- the code


@pytest.mark.parametrize("name", list(corpus.BUILDERS))
def test_code_compiles_and_is_deterministic(name):
    graph = corpus.graph(name)
    for style in _styles(graph):
        for script in (False, True):
            code = generate(graph, style, script=script)
            compile(code, f"{name}_{style}.py", "exec")
            assert generate(corpus.graph(name), style, script=script) == code


def test_every_layer_and_input_name_is_written_out():
    graph = corpus.graph("two_inputs")
    expected = sorted(list(graph.layers) + [n.name for n in graph.inputs] + [graph.name])
    for style in codegen.STYLES[1:]:
        code = generate(graph, style)
        defaults = [ast.literal_eval(d) for node in ast.walk(ast.parse(code))
                    if isinstance(node, ast.FunctionDef) for d in node.args.defaults]
        assert sorted(_keywords(code, "name") + defaults) == expected


def test_sequential_style_idioms():
    code = generate(corpus.mlp(), "sequential")
    assert "import tensorflow as tf" in code
    assert "tf.keras.Sequential(" in code
    assert 'tf.keras.Input(shape=(28, 28), name="image"),' in code
    assert 'tf.keras.layers.Dense(32, activation="relu", name="dense"),' in code
    assert 'tf.keras.layers.Dropout(0.2, name="dropout"),' in code
    assert "def build_model():" in code


def test_lists_become_tuples_and_first_arguments_are_positional():
    code = generate(corpus.cnn(), "functional")
    assert ('tf.keras.layers.Conv2D(8, (3, 3), activation="relu", padding="same", name="conv2d")'
            in code)
    assert "pool_size=(2, 2)" in code
    assert "strides=(2, 2)" in code


def test_objects_become_constructors():
    code = generate(corpus.initializers(), "functional")
    assert "kernel_initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=1)" in code
    assert "bias_initializer=tf.keras.initializers.Constant(value=0.1)" in code
    code = generate(corpus.regularized(), "functional")
    assert "kernel_regularizer=tf.keras.regularizers.L2(l2=0.01)" in code
    assert "kernel_constraint=tf.keras.constraints.MaxNorm(max_value=2.0, axis=0)" in code
    assert 'kernel_regularizer="l2"' in code


def test_wrapped_layer_is_written_inside_its_wrapper():
    graph = ModelGraph.sequential([5, 3], [
        ("Bidirectional", {"layer": {"class_name": "LSTM", "module": "layers", "config": {"units": 32}}}),
    ])
    code = generate(graph, "sequential")
    assert 'tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32), name="bidirectional")' in code


def test_functional_and_subclass_structure():
    graph = corpus.two_heads()
    code = generate(graph, "functional")
    assert 'features = tf.keras.Input(shape=(16,), name="features")' in code
    assert "trunk = tf.keras.layers.Dense(" in code and ")(features)" in code
    assert ('model = tf.keras.Model(inputs=features, outputs=[class_head, value_head], name="two_heads")'
            in code)

    code = generate(graph, "subclass")
    tree = ast.parse(code)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert [c.name for c in classes] == [codegen.subclass_name(graph)] == ["TwoHeads"]
    methods = {f.name: f for f in classes[0].body if isinstance(f, ast.FunctionDef)}
    assert set(methods) == {"__init__", "call"}
    init_code = ast.unparse(methods["__init__"])
    call_code = ast.unparse(methods["call"])
    assert "tf.keras.layers.Dense" in init_code and "tf.keras.layers" not in call_code
    assert "self.trunk(inputs)" in call_code
    assert "return [class_head, value_head]" in call_code
    assert "model(tf.keras.Input(shape=(16,), name='features'))" in ast.unparse(tree)


def test_subclass_takes_several_inputs_as_a_list():
    code = generate(corpus.two_inputs(), "subclass")
    assert "image, meta = inputs" in code
    assert "model(\n        [\n" in code


def test_subclass_attributes_never_hide_model_attributes():
    code = generate(corpus.identifiers(), "subclass")
    tree = ast.parse(code)
    attributes = {node.attr for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id == "self" and isinstance(node.ctx, ast.Store)}
    assert len(attributes) == len(corpus.identifiers().layers)
    assert attributes.isdisjoint(codegen.MODEL_ATTRIBUTES)
    assert {"layers", "name", "call", "outputs"} <= codegen.MODEL_ATTRIBUTES


def test_variables_are_unique_identifiers():
    graph = corpus.identifiers()
    code = generate(graph, "functional")
    func = ast.parse(code).body[-1]
    targets = [t.id for node in ast.walk(func) if isinstance(node, ast.Assign)
               for t in node.targets if isinstance(t, ast.Name)]
    assert len(targets) == len(set(targets))
    assert not {"tf", "np", "build_model"} & set(targets)


def test_shared_layer_is_made_once_and_called_twice():
    graph = corpus.shared()
    code = generate(graph, "functional")
    assert "# one layer object called twice: the calls share weights" in code
    assert code.count("tf.keras.layers.Dense(8,") == 1
    assert "encoder_1 = encoder(left)" in code and "encoder_2 = encoder(right)" in code
    code = generate(graph, "subclass")
    assert code.count("tf.keras.layers.Dense(8,") == 1
    assert code.count("self.encoder(") == 2


def test_outputs_of_a_multi_output_layer_are_picked_by_index():
    code = generate(corpus.lstm_states(), "functional")
    assert "tf.keras.layers.LSTM(5, return_state=True, name=\"lstm\")(sequence)" in code
    assert "([lstm[1], lstm[2]])" in code
    assert "(lstm[0])" in code


def test_merge_layers_take_a_list_and_attention_takes_arguments():
    code = generate(corpus.attention(), "functional")
    assert "(sequence, sequence)" in code
    assert "([sequence, multi_head_attention])" in code


def test_only_layers_leading_to_an_output_are_written():
    graph = corpus.two_heads()
    graph.set_outputs([next(c for c in graph.calls if graph.calls[c].layer == "class_head")])
    for style in codegen.STYLES[1:]:
        assert "value_head" not in generate(graph, style)


def test_docstring_says_what_the_model_is():
    tree = ast.parse(generate(corpus.two_inputs(), "functional"))
    doc = ast.get_docstring(tree)
    assert "generated by tflab" in doc
    assert "'two_inputs'" in doc and "Functional" in doc and "2 inputs" in doc


# --------------------------------------------------------------------------- hostile names


def _root(expr: ast.expr) -> str:
    """The name a called expression starts from: ``tf`` for ``tf.keras.layers.Dense(4)(x)``."""
    while isinstance(expr, (ast.Attribute, ast.Call)):
        expr = expr.value if isinstance(expr, ast.Attribute) else expr.func
    return expr.id if isinstance(expr, ast.Name) else type(expr).__name__


def _only_defines_the_model(code: str) -> None:
    """The module is a docstring, ``import tensorflow as tf`` and definitions, and
    calls nothing but Keras, its own class and the model."""
    tree = ast.parse(code)
    assert isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant)
    for node in tree.body[1:]:
        assert isinstance(node, (ast.Import, ast.FunctionDef, ast.ClassDef)), ast.dump(node)[:80]
    imports = [alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in node.names]
    assert imports == ["tensorflow"]
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    called = {_root(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert called <= {"tf", "super", "self", "model"} | classes


@pytest.mark.parametrize("style", codegen.STYLES)
def test_hostile_names_stay_strings(style):
    graph = corpus.hostile()
    graph.name = 'evil"""\nimport os\n"""'
    code = generate(graph, style)
    _only_defines_the_model(code)
    names = _keywords(code, "name")
    for name in (*corpus.AWKWARD_NAMES, corpus.HOSTILE_NAME, 'in"put\\'):
        assert names.count(name) == 1, name
    assert "os.system" not in "".join(line.split("#")[0] for line in code.splitlines()
                                      if "name=" not in line)


def test_hostile_dataset_name_stays_in_a_comment():
    training = {"dataset": 'mnist\nimport os; os.system("echo hacked")', "epochs": 1}
    code = generate(corpus.mlp(), "functional", script=True, training=training)
    tree = ast.parse(code)
    assert not any(isinstance(n, ast.Import) and n.names[0].name == "os" for n in ast.walk(tree))
    assert "'mnist\\nimport os" in code


@pytest.mark.parametrize("bad", [{"a b": 1}, {"class": 1}, {"units": object()}])
def test_config_that_is_not_python_is_refused(bad):
    graph = ModelGraph.sequential([4], [("Dense", {"units": 2})])
    graph.layers["dense"].config.update(bad)
    with pytest.raises(CodegenError, match="dense"):
        generate(graph, "functional")


def test_class_name_that_is_not_a_name_is_refused():
    graph = ModelGraph.sequential([4], [("Dense", {"units": 2})])
    graph.layers["dense"].class_name = "Dense(1); import os; os.system('x'); Dense"
    with pytest.raises(CodegenError, match="not a Keras class name"):
        generate(graph, "functional")


def test_special_numbers_are_written_as_python():
    graph = ModelGraph.sequential([4], [("ReLU", {"max_value": float("inf"), "threshold": -0.5})])
    code = generate(graph, "sequential")
    assert 'max_value=float("inf")' in code and "threshold=-0.5" in code


# --------------------------------------------------------------------------- errors


def test_sequential_refuses_a_graph_that_is_not_a_stack():
    for name in ("two_inputs", "two_heads", "shared", "residual"):
        graph = corpus.graph(name)
        reason_en, reason_zh = graph.not_a_stack_reason()
        with pytest.raises(CodegenError) as info:
            generate(graph, "sequential")
        assert reason_en in info.value.en and reason_zh in info.value.zh
        full_en, full_zh = info.value.full("en"), info.value.full("zh")
        assert "Subclass" in full_en and "子类化" in full_zh  # the way out
        for full in (full_en, full_zh):  # no sentence said twice (message and hint)
            sentences = [s.strip() for s in full.replace("。", ".").replace("；", ".").split(".") if s.strip()]
            assert len(sentences) == len(set(sentences)), full


def test_incomplete_graphs_are_refused_with_the_layer_named():
    with pytest.raises(CodegenError, match="no input"):
        generate(ModelGraph(), "functional")
    graph = ModelGraph("m")
    graph.add_input([3], "x")
    with pytest.raises(CodegenError, match="no output"):
        generate(graph, "functional")
    graph.add_layer_call("Dense", {"units": 2}, ["n1"], name="joined")
    graph.add_layer_call("Dense", {"units": 2}, [], name="loose")
    with pytest.raises(CodegenError, match="'loose' is not connected"):
        generate(graph, "subclass")


def test_unknown_style_is_refused():
    with pytest.raises(CodegenError, match="functional"):
        generate(corpus.mlp(), "keras2")


def test_errors_are_bilingual():
    with pytest.raises(TflabError) as info:
        generate(ModelGraph(), "functional")
    assert info.value.en != info.value.zh and "输入" in info.value.zh


def test_generating_does_not_import_tensorflow():
    code = (
        "import sys\n"
        "from tests import corpus\n"
        "from tflab import codegen\n"
        "for g in corpus.corpus().values():\n"
        "    for style in codegen.STYLES:\n"
        "        if style != 'sequential' or g.is_stack():\n"
        "            codegen.generate(g, style, script=True)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the script part


def test_plain_module_has_no_training():
    code = generate(corpus.mlp(), "functional")
    assert "__main__" not in code and "fit(" not in code and "numpy" not in code


def test_script_trains_with_defaults_chosen_from_the_outputs():
    code = generate(corpus.two_heads(), "functional", script=True)
    assert 'if __name__ == "__main__":' in code
    assert 'loss=["sparse_categorical_crossentropy", "mse"]' in code
    assert 'metrics=[["accuracy"], ["mae"]]' in code
    assert "optimizer=tf.keras.optimizers.Adam(learning_rate=0.001)" in code
    assert "model.summary()" in code
    assert "validation_data=(x_val, y_val)" in code and "model.evaluate(" in code
    code = generate(corpus.recurrent(), "subclass", script=True)
    assert 'loss="binary_crossentropy"' in code
    assert "rng.integers(0, 20, size=(count, 12))" in code  # below the Embedding's input_dim


def test_logits_get_a_from_logits_loss():
    graph = ModelGraph.sequential([4], [("Dense", {"units": 3})])
    code = generate(graph, "sequential", script=True)
    assert "loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)" in code


def test_script_uses_the_training_settings():
    training = {"optimizer": "sgd", "learning_rate": 0.05, "loss": "mse", "metrics": ["mae"],
                "epochs": 3, "batch_size": 16, "dataset": "digits"}
    code = generate(corpus.mlp(), "sequential", script=True, training=training)
    assert "optimizer=tf.keras.optimizers.SGD(learning_rate=0.05)" in code
    assert 'loss="mse"' in code and 'metrics=["mae"]' in code
    assert "epochs=3, batch_size=16" in code
    assert "dataset 'digits'" in code


def test_script_understands_the_trainers_settings():
    from tflab.trainer import TrainConfig

    config = TrainConfig(optimizer="sgd", learning_rate=0.05, momentum=0.9, epochs=2, batch_size=8,
                         seed=7, logdir="runs")
    graph = ModelGraph.sequential([4], [("Dense", {"units": 3})])
    code = generate(graph, "sequential", script=True, training=config.to_dict())
    assert "optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)" in code
    assert "loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)" in code
    assert "set_random_seed(7)" in code and "default_rng(7)" in code
    graph = ModelGraph.sequential([4], [("Dense", {"units": 3, "activation": "softmax"})])
    code = generate(graph, "sequential", script=True, training=config.to_dict())
    assert 'loss="sparse_categorical_crossentropy"' in code
    config.from_logits = False
    graph = ModelGraph.sequential([4], [("Dense", {"units": 3})])
    code = generate(graph, "sequential", script=True, training=config.to_dict())
    assert 'loss="sparse_categorical_crossentropy"' in code


@pytest.mark.parametrize("training,word", [
    ({"optimizer": "warp_drive"}, "optimizer"),
    ({"epochs": 0}, "epochs"),
    ({"batch_size": "big"}, "batch_size"),
    ({"learning_rate": -1}, "learning_rate"),
    ({"loss": ["mse"]}, "loss"),
    ({"metrics": "accuracy"}, "metrics"),
    ({"optimizer": "sgd", "momentum": 1.5}, "momentum"),
    ({"from_logits": "yes", "loss": "mse"}, "from_logits"),
    ({"seed": -1}, "seed"),
])
def test_bad_training_settings_are_refused(training, word):
    with pytest.raises(CodegenError, match=word):
        generate(corpus.two_heads(), "functional", script=True, training=training)


# --------------------------------------------------------------------------- the command


@pytest.fixture
def project_file(tmp_path) -> Path:
    path = tmp_path / "model.tflab"
    save_project(Project(corpus.two_heads(), {"epochs": 2}), path)
    return path


def test_command_prints_the_module(project_file, capsys):
    assert main(["codegen", str(project_file), "--style", "subclass"]) == 0
    out = capsys.readouterr().out
    assert out == generate(corpus.two_heads(), "subclass")


def test_command_writes_a_script_file(project_file, tmp_path, capsys):
    target = tmp_path / "model.py"
    target.write_text("old", encoding="utf-8")
    assert main(["codegen", str(project_file), "--script", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    code = target.read_text(encoding="utf-8")
    assert code == generate(corpus.two_heads(), "functional", script=True, training={"epochs": 2})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py", "model.tflab"]


def test_command_errors_go_to_stderr_without_traceback(project_file, tmp_path, capsys):
    assert main(["codegen", str(project_file), "--style", "sequential"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Sequential" in captured.err and "Traceback" not in captured.err
    assert main(["codegen", str(tmp_path / "missing.tflab")]) == 1
    assert "missing.tflab" in capsys.readouterr().err
    bad = tmp_path / "bad.tflab"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["codegen", str(bad)]) == 1


def test_command_runs_as_a_program(project_file):
    out = subprocess.run([sys.executable, "-m", "tflab", "codegen", str(project_file), "--style",
                          "sequential"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1 and out.stdout == ""
    assert "Sequential" in out.stderr and "Traceback" not in out.stderr


def test_a_script_without_settings_uses_the_training_panels_defaults():
    from tflab.codegen import DEFAULT_TRAINING
    from tflab.trainer import TrainConfig

    defaults = TrainConfig()
    assert DEFAULT_TRAINING == {key: getattr(defaults, key) for key in DEFAULT_TRAINING}


@pytest.mark.parametrize("name,expected", [("model", "MyModel"), ("sequential", "MySequential"),
                                           ("Input", "MyInput"), ("mnist_mlp", "MnistMlp")])
def test_the_subclass_is_never_named_like_a_keras_class(name, expected):
    graph = ModelGraph.sequential((4,), [("Dense", {"units": 2})], name=name)
    assert codegen.subclass_name(graph) == expected
    assert f"class {expected}(tf.keras.Model):" in generate(graph, "subclass")


def _without_docstrings(code: str) -> str:
    tree = ast.parse(code)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            body[0] = ast.Pass()
    return ast.dump(tree)


@pytest.mark.parametrize("name", ["mlp", "two_inputs", "two_heads"])
def test_comments_follow_the_language_and_the_code_stays_the_same(name):
    graph = corpus.graph(name)
    for style in _styles(graph):
        for script in (False, True):
            english = generate(graph, style, script=script)
            chinese = generate(graph, style, script=script, comments="zh")
            assert _without_docstrings(english) == _without_docstrings(chinese), (style, script)
            comments = [line.split("#", 1)[1] for line in chinese.splitlines() if "#" in line]
            assert chinese.startswith('"""Keras 模型') and "由 tflab 生成" in chinese
            assert all(re.search(r"[\u4e00-\u9fff]", text) or "noqa" in text for text in comments), comments
            assert not re.search(r"[\u4e00-\u9fff]", english)


def test_a_shared_layer_is_explained_in_chinese():
    graph = corpus.graph("shared")
    assert "# 同一个层对象被调用 2 次：这些调用共享权重" in generate(graph, "functional", comments="zh")
    assert "在 call() 中被调用 2 次" in generate(graph, "subclass", comments="zh")


def test_command_writes_comments_in_the_language_asked(project_file, capsys):
    assert main(["codegen", str(project_file), "--style", "subclass", "--comments", "zh"]) == 0
    assert capsys.readouterr().out == generate(corpus.two_heads(), "subclass", comments="zh")
