"""Generated code holds exactly the statements expected, whatever a project file says.

A project is data from anywhere. Its custom layer code is carried into the generated
module byte for byte as Python tokenizes it, and every other value that reaches the code
is checked first. Hypothesis writes hostile projects: comments hiding statements behind
characters that ``str.splitlines`` takes for line ends (form feed, \\x1c, \\x85, \\u2028,
...), ``import tensorflow as tf`` sharing a line with other statements, odd names and
values. For each, the generated module's top-level statements must be exactly the
custom code's own (less the imports the module has at its top) plus the generator's.
"""

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tflab import codegen
from tflab.graph import GraphError, ModelGraph
from tflab.project import ProjectError, loads

LAYER = '''class MyDense(tf.keras.layers.Layer):
    """A layer."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return inputs
'''

#: Characters that str.splitlines() treats as line ends and Python's tokenizer does not.
NOT_PYTHON_NEWLINES = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PAYLOAD = "import os; os.system('echo pwned')"

comment_text = st.text(alphabet=st.sampled_from(list(NOT_PYTHON_NEWLINES) + list("ab #'\"\\")), max_size=12)


@st.composite
def hostile_sources(draw) -> str:
    """Custom code a hostile classmate might write: payloads inside comments behind
    fake line ends, tf imports sharing lines, Python's own line ends of every kind."""
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["comment", "tf_import", "tf_import_shared", "future_import", "blank"]))
        if kind == "comment":
            parts.append("# " + draw(comment_text) + draw(st.sampled_from(NOT_PYTHON_NEWLINES)) + PAYLOAD)
        elif kind == "tf_import":
            parts.append("import tensorflow as tf" + draw(st.sampled_from(["", "  # " + draw(comment_text)])))
        elif kind == "tf_import_shared":
            parts.append(draw(st.sampled_from(["import tensorflow as tf; x = 1", "y = 2; import tensorflow as tf",
                                               "import tensorflow as tf;"])))
        elif kind == "blank":
            parts.append(draw(st.sampled_from(["", "\x0c", "   "])))
        else:
            parts.append("from __future__ import annotations")
    futures = [p for p in parts if p.startswith("from __future__")]
    others = [p for p in parts if not p.startswith("from __future__")]
    body = futures[:1] + ["import tensorflow as tf"] + others + [LAYER.replace("\n", newline)]
    return newline.join(body)


def _expected_custom_statements(source: str) -> list[str]:
    """The custom code's top-level statements, less what the module has at its top."""
    kept = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if (isinstance(node, ast.Import) and [(a.name, a.asname) for a in node.names]
                == [("tensorflow", "tf")]):
            kept.append("pass")  # either dropped with its line or left as `pass`
            continue
        kept.append(ast.dump(node))
    return kept


def _graph(source: str) -> ModelGraph:
    graph = ModelGraph("model")
    source_id = graph.add_input((3,), "input")
    mine = graph.add_layer_call("MyDense", {"units": 2}, [source_id], name="my_dense")
    graph.set_outputs([mine])
    graph.set_custom_code(source)
    return graph


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=hostile_sources(), style=st.sampled_from(["sequential", "functional", "subclass"]),
       script=st.booleans())
def test_generated_module_holds_exactly_the_expected_statements(source, style, script):
    code = codegen.generate(_graph(source), style, script=script)
    module = ast.parse(code)
    plain = ast.parse(codegen.generate(_graph(LAYER.replace("class MyDense", "import tensorflow as tf\nclass MyDense")),
                                       style, script=script))
    # the generator's own statements: those of the same model with harmless custom code
    generated_own = [ast.dump(n) for n in plain.body if getattr(n, "name", "") != "MyDense"]
    custom_start = next(i for i, n in enumerate(module.body) if isinstance(n, ast.Import)
                        and n.names[0].name == "tensorflow") + 1
    custom_end = next(i for i, n in enumerate(module.body) if getattr(n, "name", "") == "MyDense") + 1
    custom_part = [("pass" if isinstance(n, ast.Pass) else ast.dump(n)) for n in module.body[custom_start:custom_end]]
    expected = [s for s in _expected_custom_statements(source) if s != "pass"]
    assert [s for s in custom_part if s != "pass"] == expected
    rest = [ast.dump(n) for n in module.body[:custom_start] + module.body[custom_end:]]
    rest = [r for r in rest if "ImportFrom(module='__future__'" not in r]
    assert rest == generated_own
    assert "os.system" not in "".join(ast.dump(n) for n in module.body)  # the payload stayed a comment


def test_a_comment_behind_a_form_feed_stays_a_comment():
    source = "import tensorflow as tf\n# note\x0c" + PAYLOAD + "\n" + LAYER
    code = codegen.generate(_graph(source), "functional")
    assert "\x0c" + PAYLOAD in code  # carried byte for byte...
    names = {type(n).__name__ for n in ast.parse(code).body}
    assert not any(isinstance(n, ast.Expr) and "system" in ast.dump(n) for n in ast.parse(code).body)
    assert "Import" in names and "ClassDef" in names  # ...and the payload is no statement


def test_a_tf_import_sharing_a_line_keeps_the_rest_of_the_line():
    source = "import tensorflow as tf; SCALE = 2\n" + LAYER
    code = codegen.generate(_graph(source), "functional")
    assert "pass; SCALE = 2" in code
    namespace: dict = {}
    exec(compile(code.split("def build_model")[0], "generated", "exec"), namespace)
    assert namespace["SCALE"] == 2


@pytest.mark.parametrize("batch_size", ["1); import os; os.system('x'); (", 0, -3, 2.5, True, 10**12])
def test_an_input_batch_size_is_checked_before_it_reaches_code(batch_size):
    data = ModelGraph.sequential((4,), [("Dense", {"units": 2})]).to_json()
    data["inputs"][0]["batch_size"] = batch_size
    with pytest.raises(GraphError, match="batch size"):
        ModelGraph.from_json(data)
    project = {"format": "tflab-project", "version": 1, "graph": data}
    import json

    with pytest.raises(ProjectError, match="batch size"):
        loads(json.dumps(project))


@pytest.mark.parametrize("name", ["../x.npz", "a b.npz", "x.py", "x.npz\nimport os", "'.npz", "", ".npz" * 40])
def test_a_data_file_name_that_could_carry_code_or_a_path_is_refused(name):
    graph = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    with pytest.raises(codegen.CodegenError):
        codegen.generate(graph, "functional", script=True, data_file=name)
