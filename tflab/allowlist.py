"""What a project (or an imported model) may name: an allow-list, checked before Keras.

A project file is data from anywhere: a classmate, a download, a USB stick. Opening it
must never run code, read other files or reach the network. Keras layers are made with
``cls(**config)`` and some Keras classes do exactly those things when made:

- ``TFSMLayer(filepath=...)`` loads a SavedModel (from disk, or ``gs://`` over the
  network) and runs its load-time operations;
- ``Lambda`` runs Python code; ``JaxLayer``, ``FlaxLayer`` and ``TorchModuleWrapper``
  wrap other frameworks' code;
- ``StringLookup``, ``IntegerLookup`` and ``TextVectorization`` read a text file when
  their ``vocabulary`` is a string (a path);
- a dict with a ``class_name`` handed to a Keras constructor (``kernel_initializer``,
  ``dtype``, ...) is deserialized by Keras, which can make any Keras class from it.

So the layer classes a project may name are listed here by name, one by one, and every
config value is plain data or an object value of a listed class (checked recursively).
Everything else is refused with a message that says why, before anything is built.
The project's own layer classes (custom code) are not covered here: that code runs only
with the user's consent (:mod:`tflab.custom_layers`).

The names are those of Keras 3.15; ``tests/test_allowlist.py`` fails when a Keras
upgrade adds a layer class that is in neither list, so each new class is reviewed.
This module imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

from typing import Any

from tflab.messages import TflabError

#: ``keras.layers`` classes that read no files, run no code and touch no network when
#: made, built or called (aliases such as ``MaxPool2D`` included).
SAFE_LAYERS = frozenset({
    "Activation", "ActivityRegularization",
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
    "Add", "AdditiveAttention", "AlphaDropout", "Attention", "AugMix", "AutoContrast", "Average",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
    "BatchNormalization", "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose",
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
    "Convolution3D", "Convolution3DTranspose",
    "Cropping1D", "Cropping2D", "Cropping3D", "CutMix", "Dense", "DepthwiseConv1D", "DepthwiseConv2D",
    "Discretization", "Dot", "Dropout", "ELU", "EinsumDense", "Embedding", "Equalization", "Flatten",
    "GRU", "GRUCell", "GaussianDropout", "GaussianNoise",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
    "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "GroupNormalization", "GroupQueryAttention", "HashedCrossing", "Hashing", "Identity",
    "IntegerLookup", "LSTM", "LSTMCell", "LayerNormalization", "LeakyReLU", "Masking",
    "MaxNumBoundingBoxes", "MaxPool1D", "MaxPool2D", "MaxPool3D",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "MelSpectrogram", "Minimum", "MixUp",
    "MultiHeadAttention", "Multiply", "Normalization", "PReLU", "Permute", "Pipeline",
    "RMSNormalization", "RNN", "RandAugment", "RandomBrightness", "RandomColorDegeneration",
    "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomElasticTransform", "RandomErasing",
    "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
    "RandomPerspective", "RandomPosterization", "RandomRotation", "RandomSaturation",
    "RandomSharpness", "RandomShear", "RandomTranslation", "RandomZoom", "ReLU", "RepeatVector",
    "Rescaling", "Reshape", "Resizing", "ReversibleEmbedding", "STFTSpectrogram",
    "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
    "SimpleRNN", "SimpleRNNCell", "Softmax", "Solarization",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "SpectralNormalization",
    "StackedRNNCells", "StringLookup", "Subtract", "TextVectorization", "TimeDistributed",
    "UnitNormalization", "UpSampling1D", "UpSampling2D", "UpSampling3D",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
})

#: Layer classes Keras defines for ``keras.applications`` but not in ``keras.layers``
#: (:mod:`tflab.catalog.applications`): Keras's own code, which computes on its inputs
#: and its weights only. Never wrapped inside another layer.
APPLICATION_LAYERS = frozenset({"LayerScale", "StochasticDepth", "CustomScaleLayer"})

#: Tensor operations (:mod:`tflab.catalog.operations`): ``keras.ops`` functions that compute
#: on their values only, element by element. Never wrapped inside a layer.
OPERATION_LAYERS = frozenset({
    "ops.add", "ops.subtract", "ops.multiply", "ops.divide", "ops.power", "ops.maximum", "ops.minimum",
    "ops.negative", "ops.abs", "ops.square", "ops.sqrt", "ops.exp", "ops.log",
})

_CODE_EN = "it runs Python code (or another framework's code) that tflab cannot check"
_CODE_ZH = "它运行 tflab 无法检查的 Python 代码（或其他框架的代码）"
_BASE_EN = "it is a base class with no computation of its own"
_BASE_ZH = "它是没有自身计算的基类"

#: ``keras.layers`` classes a project may never name, with the reason (en, zh).
REFUSED_LAYERS: dict[str, tuple[str, str]] = {
    "TFSMLayer": ("it loads a saved model from a path (a file, or the network) and runs its operations",
                  "它会从一个路径（文件或网络）加载已保存的模型并运行其中的运算"),
    "Lambda": (_CODE_EN, _CODE_ZH),
    "JaxLayer": (_CODE_EN, _CODE_ZH),
    "FlaxLayer": (_CODE_EN, _CODE_ZH),
    "TorchModuleWrapper": (_CODE_EN, _CODE_ZH),
    "Layer": (_BASE_EN, _BASE_ZH),
    "Wrapper": (_BASE_EN, _BASE_ZH),
    "InputLayer": ("a model's inputs are the graph's input nodes, not layers",
                   "模型的输入是图中的输入节点，而不是层"),
}

#: The refused classes that run code or load an outside model (the others are only
#: structural: a base class, or the input layer every saved model has).
RUNS_CODE = frozenset({"TFSMLayer", "Lambda", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"})

#: Arguments that Keras reads as a file path when they are a string.
FILE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "StringLookup": ("vocabulary",),
    "IntegerLookup": ("vocabulary",),
    "TextVectorization": ("vocabulary",),
}

#: The classes an object value of each module may name (Keras 3.15's own, by name).
SAFE_OBJECTS: dict[str, frozenset[str]] = {
    "initializers": frozenset({
        "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
        "IdentityInitializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
        "OrthogonalInitializer", "RandomNormal", "RandomUniform", "STFT", "STFTInitializer",
        "TruncatedNormal", "VarianceScaling", "Zeros",
    }),
    "regularizers": frozenset({"L1", "L1L2", "L2", "OrthogonalRegularizer"}),
    "constraints": frozenset({"MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"}),
    "layers": SAFE_LAYERS,
}

#: How deep config values may nest (a wrapped layer in a wrapped layer is 4 or 5).
MAX_DEPTH = 32


class UnsafeError(TflabError):
    """A class or value that a project (or model file) may not name."""


def is_safe_layer(class_name: Any) -> bool:
    """Whether ``class_name`` is an allowed ``keras.layers`` class name, or one of the
    :data:`APPLICATION_LAYERS` or :data:`OPERATION_LAYERS`."""
    return isinstance(class_name, str) and (class_name in SAFE_LAYERS or class_name in APPLICATION_LAYERS
                                            or class_name in OPERATION_LAYERS)


def layer_refusal(class_name: Any) -> UnsafeError | None:
    """The error for a layer class a project may not name with a reason of its own
    (see :data:`REFUSED_LAYERS`), else None."""
    reason = REFUSED_LAYERS.get(class_name) if isinstance(class_name, str) else None
    if reason is None:
        return None
    return UnsafeError(
        f"The layer class {class_name} is not allowed: {reason[0]}. tflab never runs code or "
        "reads other files when it opens a project or a model.",
        f"不允许使用层类 {class_name}：{reason[1]}。tflab 打开项目或模型时从不运行代码，也不读取其他文件。",
        hint_en="Replace it with standard Keras layers.",
        hint_zh="请用标准 Keras 层代替它。",
    )


def check_layer(class_name: Any, config: Any, where: str = "") -> None:
    """Raise :class:`UnsafeError` unless layer class ``class_name`` is allowed and every
    value of ``config`` (its arguments) is safe. ``where`` names the layer in messages."""
    refusal = layer_refusal(class_name)
    if refusal is not None:
        raise refusal
    label = where or str(class_name)
    if not is_safe_layer(class_name):
        raise UnsafeError(
            f"Layer {label!r} has the unknown layer class {class_name!r}: it is not one of the "
            "tf.keras.layers classes tflab allows.",
            f"层 {label!r} 的类 {class_name!r} 未知：它不是 tflab 允许的 tf.keras.layers 类。",
            hint_en="Projects may use the layers of tf.keras.layers shown in the palette.",
            hint_zh="项目只能使用组件面板中列出的 tf.keras.layers 层。",
        )
    if not isinstance(config, dict):
        raise UnsafeError(f"The arguments of layer {label!r} must be an object.",
                          f"层 {label!r} 的参数必须是对象。")
    for name in FILE_ARGUMENTS.get(class_name, ()):
        if isinstance(config.get(name), str):
            raise UnsafeError(
                f"Layer {label!r}: {name} is a file path; a project may not make a layer read a "
                "file. Give the values themselves as a list.",
                f"层 {label!r}：{name} 是文件路径；项目不能让层去读取文件。请直接以列表给出这些值。",
            )
    for key, value in config.items():
        check_value(value, f"{label}.{key}")


def check_graph_layer(layer: Any, custom: Any = None) -> None:
    """:func:`check_layer` for a graph's :class:`~tflab.graph.Layer`; a class that the
    graph's custom code (``custom``) defines has its values checked only."""
    if custom is not None and layer.class_name in custom:
        for key, value in layer.config.items():
            check_value(value, f"{layer.name}.{key}")
    else:
        check_layer(layer.class_name, layer.config, layer.name)


def check_value(value: Any, where: str, depth: int = 0) -> None:
    """Raise :class:`UnsafeError` unless ``value`` is plain JSON data whose dicts are either
    object values of allowed classes or hold no ``class_name`` (Keras would deserialize it)."""
    if depth > MAX_DEPTH:
        raise UnsafeError(f"{where}: the value is nested too deeply.", f"{where}：值嵌套得太深。")
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, list):
        for item in value:
            check_value(item, where, depth + 1)
        return
    if not isinstance(value, dict):
        raise UnsafeError(f"{where}: {type(value).__name__} is not a value a project may hold.",
                          f"{where}：{type(value).__name__} 不是项目可以保存的值。")
    if "class_name" in value or "module" in value:
        _check_object(value, where, depth)
        return
    for key, item in value.items():
        if key.startswith("__"):
            raise UnsafeError(f"{where}: the key {key!r} is not allowed.", f"{where}：不允许使用键 {key!r}。")
        check_value(item, where, depth + 1)


def _check_object(value: dict, where: str, depth: int) -> None:
    class_name, module = value.get("class_name"), value.get("module")
    module = module[len("keras."):] if isinstance(module, str) and module.startswith("keras.") else module
    allowed = SAFE_OBJECTS.get(module) if isinstance(module, str) else None
    extra = set(value) - {"class_name", "module", "config"}
    if allowed is None or extra or not isinstance(class_name, str):
        raise UnsafeError(
            f"{where}: this object ({class_name!r} from {value.get('module')!r}) is not one tflab can make.",
            f"{where}：tflab 无法创建这个对象（{value.get('module')!r} 中的 {class_name!r}）。",
        )
    config = value.get("config") or {}
    if module == "layers" and class_name in APPLICATION_LAYERS:
        raise UnsafeError(
            f"{where}: {class_name} (from keras.applications) cannot be wrapped inside another layer.",
            f"{where}：{class_name}（来自 keras.applications）不能被包装在另一个层里面。",
        )
    if module == "layers" and class_name in OPERATION_LAYERS:
        raise UnsafeError(
            f"{where}: {class_name} is a tensor operation, not a layer: it cannot be wrapped inside a layer.",
            f"{where}：{class_name} 是张量运算，不是层：不能被包装在层里面。",
        )
    if module == "layers":
        check_layer(class_name, config, where)
        return
    if class_name not in allowed:
        raise UnsafeError(
            f"{where}: {class_name!r} is not a class of tf.keras.{module} that tflab allows.",
            f"{where}：{class_name!r} 不是 tflab 允许的 tf.keras.{module} 类。",
        )
    if not isinstance(config, dict):
        raise UnsafeError(f"{where}: the config of {class_name} must be an object.",
                          f"{where}：{class_name} 的配置必须是对象。")
    for key, item in config.items():
        check_value(item, f"{where}.{key}", depth + 1)
