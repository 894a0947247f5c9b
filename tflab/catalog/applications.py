"""Layer classes Keras defines for ``keras.applications`` but not in ``keras.layers``.

ConvNeXt scales each channel with ``LayerScale`` (and may drop residual paths with
``StochasticDepth``); Inception-ResNet-V2 adds its scaled residuals with
``CustomScaleLayer``. They are Keras's own code, read no files and reach no network, so
a project (or an imported model) may name them like any layer of ``keras.layers``.

tflab builds them with Keras's own classes (found in :data:`KERAS_MODULES`). Generated
code cannot import them (``keras.src`` is Keras's private package), so it defines each
one it uses from :data:`SOURCES`: the same arguments, weights and computation as
Keras's class (``tests/test_application_layers.py`` compares outputs with the same
weights). This module imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

from tflab.catalog.curated import _with_base_params
from tflab.catalog.params import LayerEntry, ParamSpec

#: Class name -> the Keras module that defines it.
KERAS_MODULES: dict[str, str] = {
    "LayerScale": "keras.src.applications.convnext",
    "StochasticDepth": "keras.src.applications.convnext",
    "CustomScaleLayer": "keras.src.applications.inception_resnet_v2",
}

_LAYER_SCALE = '''\
class LayerScale(tf.keras.layers.Layer):
    """@doc"""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=tf.keras.initializers.Constant(self.init_values),
            trainable=True,
        )

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}
'''

_STOCHASTIC_DEPTH = '''\
class StochasticDepth(tf.keras.layers.Layer):
    """@doc"""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if training:
            keep_prob = 1 - self.drop_path_rate
            shape = (tf.keras.ops.shape(x)[0],) + (1,) * (len(tf.keras.ops.shape(x)) - 1)
            random_tensor = keep_prob + tf.keras.random.uniform(shape, 0, 1)
            return (x / keep_prob) * tf.keras.ops.floor(random_tensor)
        return x

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}
'''

_CUSTOM_SCALE = '''\
class CustomScaleLayer(tf.keras.layers.Layer):
    """@doc"""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}
'''

#: Class name -> its definition for generated code (uses ``tf`` only); ``@doc`` stands for
#: its docstring, in the language of the code's comments (:data:`DOCS`).
SOURCES: dict[str, str] = {
    "LayerScale": _LAYER_SCALE,
    "StochasticDepth": _STOCHASTIC_DEPTH,
    "CustomScaleLayer": _CUSTOM_SCALE,
}

#: Class name -> its docstring in generated code, (English, Chinese).
DOCS: dict[str, tuple[str, str]] = {
    "LayerScale": ("Multiplies each channel by its own learned factor (Keras's ConvNeXt layer).",
                   "把每个通道乘以它自己的可学习系数（Keras 的 ConvNeXt 层）。"),
    "StochasticDepth": ("While training, drops the whole branch for the batch with probability "
                        "drop_path_rate (Keras's ConvNeXt layer).",
                        "训练时以 drop_path_rate 的概率丢弃整条分支（Keras 的 ConvNeXt 层）。"),
    "CustomScaleLayer": ("Adds the second input, times scale, to the first (Keras's "
                         "Inception-ResNet-V2 layer).",
                         "把第二个输入乘以 scale 后加到第一个输入上（Keras 的 Inception-ResNet-V2 层）。"),
}


def _entries() -> list[LayerEntry]:
    return [
        LayerEntry(
            "LayerScale", "other", False,
            "ConvNeXt's layer (keras.applications): multiplies each channel by its own learned "
            "factor, which starts at init_values.",
            "ConvNeXt 的层（keras.applications）：把每个通道乘以它自己的可学习系数，系数初值为 init_values。",
            (
                ParamSpec("init_values", "float", None, required=True,
                          desc_en="The value every factor starts at (ConvNeXt uses 1e-6).",
                          desc_zh="每个系数的初始值（ConvNeXt 用 1e-6）。"),
                ParamSpec("projection_dim", "int", None, required=True, minimum=1,
                          desc_en="How many factors: the number of channels of the input (its last axis).",
                          desc_zh="系数的个数：输入的通道数（最后一维）。"),
            ),
            initial_config={"init_values": 1e-6, "projection_dim": 1},
            key_params=("projection_dim",),
        ),
        LayerEntry(
            "StochasticDepth", "other", False,
            "ConvNeXt's layer (keras.applications): while training, drops a whole residual branch "
            "for the batch with probability drop_path_rate; does nothing otherwise.",
            "ConvNeXt 的层（keras.applications）：训练时以 drop_path_rate 的概率丢弃整条残差分支；"
            "其余时候不做任何事。",
            (
                ParamSpec("drop_path_rate", "float", None, required=True, minimum=0.0, maximum=1.0,
                          exclusive_maximum=True,
                          desc_en="Probability of dropping the branch while training (0 to below 1).",
                          desc_zh="训练时丢弃分支的概率（0 到小于 1）。"),
            ),
            initial_config={"drop_path_rate": 0.1},
            key_params=("drop_path_rate",),
        ),
        LayerEntry(
            "CustomScaleLayer", "other", False,
            "Inception-ResNet-V2's layer (keras.applications): adds its second input, times scale, "
            "to its first: a scaled residual connection.",
            "Inception-ResNet-V2 的层（keras.applications）：把第二个输入乘以 scale 后加到第一个输入上，"
            "即带缩放的残差连接。",
            (
                ParamSpec("scale", "float", None, required=True,
                          desc_en="The factor the second input (the residual) is multiplied by.",
                          desc_zh="第二个输入（残差）要乘的系数。"),
            ),
            "list", 2, 2,
            initial_config={"scale": 0.1},
            key_params=("scale",),
        ),
    ]


#: The catalog entries of these classes, by name (the arguments every layer takes appended).
APPLICATION_ENTRIES: dict[str, LayerEntry] = {entry.class_name: _with_base_params(entry) for entry in _entries()}
