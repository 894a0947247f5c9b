"""The training settings as the code a student writes: compile/fit, and the GradientTape loop.

The Training tab shows three views of one run, all made here from the same settings:

- :func:`compile_code` and :func:`fit_code`: the ``model.compile(...)`` and
  ``model.fit(...)`` calls the settings amount to;
- :func:`loop_code`: the loop the trainer (:mod:`tflab.trainer`) actually runs, written
  the way the course notes write it: ``tf.GradientTape``, ``tape.gradient``,
  ``optimizer.apply_gradients``, over the ``tf.data`` pipeline of
  :func:`tflab.datasets.pipeline_code`. A test runs this code and gets the trainer's own
  losses, step for step.

The optimizer classes come from :data:`tflab.codegen.OPTIMIZERS`, the one table of them.
No TensorFlow import here.
"""

from __future__ import annotations

from tflab.codegen import OPTIMIZERS
from tflab.datasets import pipeline_code
from tflab.messages import tr

#: Losses that take ``from_logits``: their tf.keras.losses classes.
LOSS_CLASSES = {
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "binary_crossentropy": "BinaryCrossentropy",
    "mse": "MeanSquaredError",
    "mae": "MeanAbsoluteError",
    "huber": "Huber",
}
#: Lines of compile/fit code are broken after this many characters (the settings column is narrow).
CODE_WIDTH = 52


def optimizer_call(config: dict) -> str:
    """``tf.keras.optimizers.Adam(learning_rate=0.001)`` for these settings."""
    name = OPTIMIZERS.get(str(config.get("optimizer", "adam")).lower().replace("_", ""), "Adam")
    arguments = [f"learning_rate={config.get('learning_rate', 0.001):g}"]
    if name in ("SGD", "RMSprop") and config.get("momentum"):
        arguments.append(f"momentum={config['momentum']:g}")
    return f"tf.keras.optimizers.{name}({', '.join(arguments)})"


def loss_call(loss: str, from_logits: bool | None) -> str:
    """``tf.keras.losses.SparseCategoricalCrossentropy()`` (``from_logits=True`` when the
    model gives raw scores and the loss can take them)."""
    name = LOSS_CLASSES.get(loss)
    if name is None:
        return f"tf.keras.losses.get({loss!r})"
    logits = from_logits and loss in ("sparse_categorical_crossentropy", "categorical_crossentropy",
                                       "binary_crossentropy")
    return f"tf.keras.losses.{name}({'from_logits=True' if logits else ''})"


def _argument(name: str, call: str) -> str:
    """``name=call,`` indented in a call, broken after ``(`` when the line is long."""
    line = f"    {name}={call},"
    if len(line) <= CODE_WIDTH or "(" not in call:
        return line
    head, rest = call.split("(", 1)
    return f"    {name}={head}(\n        {rest[:-1]}),"


def _dict_argument(name: str, items: list[str]) -> str:
    """``name={...},`` indented in a call: on one line, or one item per line when long."""
    line = f"    {name}={{{', '.join(items)}}},"
    if len(line) <= CODE_WIDTH:
        return line
    return f"    {name}={{\n" + "".join(f"        {item},\n" for item in items) + "    },"


def compile_code(config: dict, loss: str | None, from_logits: bool | None,
                 outputs: dict[str, dict] | None = None) -> str:
    """The ``model.compile(...)`` call these settings amount to (``loss`` None: not chosen yet).

    ``outputs`` (a model trained on named arrays): each output's ``loss`` (None: not chosen
    yet), ``weight`` and ``metrics``, written as Keras's dicts keyed by output name."""
    lines = [_argument("optimizer", optimizer_call(config))]
    if outputs:
        losses = [f'"{name}": ' + (f'"{o["loss"]}"' if o.get("loss") else "...") for name, o in outputs.items()]
        weights = [f'"{name}": {float(o.get("weight", 1.0)):g}' for name, o in outputs.items()]
        metrics = [f'"{name}": [' + ", ".join(f'"{m}"' for m in o.get("metrics") or []) + "]"
                   for name, o in outputs.items()]
        lines += [_dict_argument("loss", losses), _dict_argument("loss_weights", weights),
                  _dict_argument("metrics", metrics)]
        return "model.compile(\n" + "\n".join(lines) + "\n)"
    if loss is None:
        lines.append("    loss=...,")
    elif from_logits and loss in LOSS_CLASSES and loss.endswith("crossentropy"):
        lines.append(_argument("loss", loss_call(loss, True)))
    else:
        lines.append(f'    loss="{loss}",')
    metrics = ", ".join(f'"{m}"' for m in config.get("metrics", []))
    lines.append(f"    metrics=[{metrics}],")
    return "model.compile(\n" + "\n".join(lines) + "\n)"


def fit_code(config: dict) -> str:
    """The ``model.fit(...)`` call these settings amount to."""
    validation = ", validation_data=(x_val, y_val)" if config.get("validation", 0.2) else ""
    return (f"model.fit(x_train, y_train, epochs={config.get('epochs', 10)}, "
            f"batch_size={config.get('batch_size', 32)}{validation})")


def loop_code(config: dict, loss: str, from_logits: bool | None, comments: str | None = None,
              outputs: dict[str, dict] | None = None) -> str:
    """The training loop the trainer runs, as plain TensorFlow code (``model``,
    ``x_train`` and ``y_train`` given): one epoch after another, one batch after another,
    each step a ``tf.GradientTape`` that records the forward pass, ``tape.gradient`` and
    ``optimizer.apply_gradients``. ``comments``: the language of the comments (``"en"``,
    ``"zh"``; default: the messages' language). ``outputs`` (named arrays, each output's
    ``loss``, ``weight`` and ``from_logits``): one loss per output, weighted and summed;
    ``x`` and ``y`` are then dicts of arrays by input and output name."""

    def c(en: str, zh: str) -> str:
        return tr(en, zh, comments)

    batch, epochs = config.get("batch_size", 32), config.get("epochs", 10)
    shuffle, seed = config.get("shuffle", True) is not False, config.get("seed", 0)
    pipeline = pipeline_code(batch, shuffle, seed, comments).replace(
        "from_tensor_slices((x, y))", "from_tensor_slices((x_train, y_train))").replace(
        "buffer_size=len(x)", "buffer_size=len(x_train)")
    if outputs:
        setup = [
            "loss_fns = {" + ", ".join(f'"{name}": {loss_call(o["loss"], o.get("from_logits"))}'
                                       for name, o in outputs.items()) + "}",
            "loss_weights = {" + ", ".join(f'"{name}": {float(o.get("weight", 1.0)):g}'
                                           for name, o in outputs.items()) + "}",
        ]
        forward = [
            "        predictions = model(x, training=True)  " + c("# one tensor per output", "# 每个输出一个张量"),
            "        predictions = dict(zip(model.output_names, predictions))",
            "        loss = sum(loss_weights[name] * loss_fns[name](y[name], predictions[name])",
            "                   for name in loss_fns) + sum(model.losses)",
        ]
    else:
        setup = [f"loss_fn = {loss_call(loss, from_logits)}"]
        forward = [
            "        predictions = model(x, training=True)  " + c("# the forward pass, recorded", "# 前向计算，被记录下来"),
            "        loss = loss_fn(y, predictions) + sum(model.losses)  "
            + c("# + any regularization", "# 加上正则化项（如果有）"),
        ]
    if outputs:
        first = next(iter(outputs))
        pipeline = pipeline.replace("buffer_size=len(x_train)", f'buffer_size=len(y_train["{first}"])')
        pipeline = c("# x_train, y_train: dicts of arrays, by input and by output name\n",
                     "# x_train、y_train：数组字典，分别以输入名称和输出名称为键\n") + pipeline
    lines = [
        f"tf.random.set_seed({seed})",
        f"optimizer = {optimizer_call(config)}",
        *setup,
        "",
        *pipeline.rstrip("\n").splitlines(),
        "",
        "",
        "@tf.function",
        "def train_step(x, y):",
        "    with tf.GradientTape() as tape:",
        *forward,
        "    gradients = tape.gradient(loss, model.trainable_variables)",
        "    optimizer.apply_gradients(zip(gradients, model.trainable_variables))",
        "    return loss",
        "",
        "",
        f"for epoch in range({epochs}):",
        "    for x, y in dataset:  " + c("# a new order each epoch", "# 每个轮次一个新的顺序"),
        "        loss = train_step(x, y)",
        '    print(f"epoch {epoch + 1}: last batch loss {float(loss):.4f}")',
    ]
    note = c("# tflab runs these steps on these batches, in this order, several steps per tf.function\n"
             "# call (as many as take about a tenth of a second: faster, and Pause still answers at once);\n"
             "# it also measures the metrics as it goes and evaluates the validation data after each epoch.\n",
             "# tflab 按这个顺序在这些批次上运行这些步骤，每次调用 tf.function 运行好几步\n"
             "# （大约一次十分之一秒的量：更快，而且“暂停”仍能立即响应）；\n"
             "# 它还会边训练边计算评估指标，并在每个轮次之后评估验证数据。\n")
    return note + "\n".join(lines) + "\n"
