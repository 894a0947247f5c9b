"""About forty classroom layers written out by hand: arguments with Keras 3's real
defaults and one-line English and Chinese descriptions for students."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tflab.catalog.params import INPUT_DTYPES, LAYER_DTYPES, RECURRENT_LAYERS, LayerEntry, ParamSpec
from tflab.messages import TflabError

# --------------------------------------------------------------------------- shared specs


def _activation(default: str | None = None, name: str = "activation") -> ParamSpec:
    if name == "recurrent_activation":
        en, zh = "Activation used for the gates.", "门控使用的激活函数。"
    else:
        en = "Activation applied to the output; None means none (linear)."
        zh = "作用在输出上的激活函数；None 表示不使用（线性）。"
    return ParamSpec(name, "activation", default, nullable=True, desc_en=en, desc_zh=zh)


_USE_BIAS = ParamSpec(
    "use_bias", "bool", True,
    desc_en="Whether to add a learnable bias vector.", desc_zh="是否加上可学习的偏置向量。",
)

_SEED = ParamSpec(
    "seed", "int", None, nullable=True, minimum=0,
    desc_en="Random seed for reproducible randomness; None picks one at random.",
    desc_zh="随机种子，用于让随机结果可重现；None 表示随机选择。",
)

_DATA_FORMAT = ParamSpec(
    "data_format", "choice", None, nullable=True, choices=("channels_last", "channels_first"),
    desc_en="Where the channels are: last (height, width, channels) or first; None = last.",
    desc_zh="通道所在位置：最后（高, 宽, 通道）或最前；None 表示最后。",
)

_WEIGHTS = {
    "kernel": ("the weights (kernel)", "权重（kernel）"),
    "bias": ("the bias", "偏置"),
    "recurrent": ("the recurrent weights", "循环权重"),
    "embeddings": ("the embedding vectors", "嵌入向量"),
    "beta": ("the learned offset (beta)", "可学习的偏移（beta）"),
    "gamma": ("the learned scale (gamma)", "可学习的缩放（gamma）"),
    "moving_mean": ("the running mean", "滑动平均值"),
    "moving_variance": ("the running variance", "滑动方差"),
}


def _initializer(prefix: str, default: str) -> ParamSpec:
    en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_initializer", "initializer", default,
        desc_en=f"How {en} start before training.",
        desc_zh=f"训练开始前{zh}的初始值。",
    )


def _regularizer(prefix: str) -> ParamSpec:
    if prefix == "activity":
        en, zh = "the layer's output", "层的输出"
    else:
        en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_regularizer", "regularizer", None, nullable=True,
        desc_en=f"Penalty on {en} added to the loss (e.g. L2), against overfitting.",
        desc_zh=f"加到损失上的{zh}惩罚（如 L2），用来减轻过拟合。",
    )


def _constraint(prefix: str) -> ParamSpec:
    en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_constraint", "constraint", None, nullable=True,
        desc_en=f"Limit applied to {en} after each update (e.g. MaxNorm).",
        desc_zh=f"每次更新后对{zh}施加的限制（如 MaxNorm）。",
    )


def _weight_params(*prefixes: str, defaults: dict[str, str] | None = None) -> tuple[ParamSpec, ...]:
    """Initializers, then regularizers (plus activity_regularizer), then constraints."""
    initial = {"kernel": "glorot_uniform", "bias": "zeros", "recurrent": "orthogonal", **(defaults or {})}
    return (
        *(_initializer(p, initial[p]) for p in prefixes),
        *(_regularizer(p) for p in prefixes),
        _regularizer("activity"),
        *(_constraint(p) for p in prefixes),
    )


def _rate(name: str, en: str, zh: str, required: bool = False) -> ParamSpec:
    return ParamSpec(
        name, "float", None if required else 0.0, required=required, minimum=0.0, maximum=1.0,
        desc_en=en, desc_zh=zh,
    )


_LORA = (
    ParamSpec("lora_rank", "int", None, nullable=True, minimum=1,
              desc_en="Advanced: rank of a LoRA low-rank update for fine-tuning; None = off.",
              desc_zh="进阶：用于微调的 LoRA 低秩更新的秩；None 表示关闭。"),
    ParamSpec("lora_alpha", "float", None, nullable=True, minimum=0.0, exclusive_minimum=True,
              desc_en="Advanced: scale of the LoRA update (lora_alpha / lora_rank).",
              desc_zh="进阶：LoRA 更新的缩放系数（lora_alpha / lora_rank）。"),
)

#: Arguments every layer accepts (from ``keras.layers.Layer``).
BASE_PARAMS = (
    ParamSpec("name", "str", None, nullable=True,
              desc_en="Name of the layer (unique in the model); None gives an automatic name.",
              desc_zh="层的名称（在模型中须唯一）；None 表示自动命名。"),
    ParamSpec("trainable", "bool", True,
              desc_en="Whether training updates this layer's weights.",
              desc_zh="训练时是否更新该层的权重。"),
    ParamSpec("dtype", "dtype", None, nullable=True, choices=LAYER_DTYPES,
              desc_en="Data type (or mixed-precision policy) of the computation; None = float32.",
              desc_zh="计算使用的数据类型（或混合精度策略）；None 表示 float32。"),
)


def _size(name: str, rank: int, default: Any, en: str, zh: str, *, required: bool = False,
          nullable: bool = False, minimum: int = 1, nested: bool = False) -> ParamSpec:
    """An int_or_tuple argument with ``rank`` numbers (kernel_size, strides, ...)."""
    return ParamSpec(
        name, "int_or_tuple", default, required=required, nullable=nullable, minimum=minimum,
        length=rank, nested=nested, desc_en=en, desc_zh=zh,
    )


#: kernel_size by the convolution's rank (checked against Keras in tests/test_catalog.py).
_KERNEL_SIZE = {
    1: ("Length of the sliding window (e.g. 3: three steps).", "滑动窗口（卷积核）的长度（例如 3：三个时间步）。"),
    2: ("Size of the sliding window (e.g. 3 for 3×3).", "滑动窗口（卷积核）的大小（例如 3 表示 3×3）。"),
}
_CONV_PADDING = (
    "'valid': no padding: each side shrinks by kernel_size - 1 (before strides). 'same': pads so "
    "that the output is the input's size divided by strides, rounded up (the same size for stride 1).",
    "'valid'：不填充：每一维缩小 kernel_size - 1（在步长之前）。'same'：填充后输出大小等于输入大小"
    "除以步长再向上取整（步长为 1 时大小不变）。",
)
_TRANSPOSE_PADDING = (
    "'valid': no padding: the output grows to (input - 1) × strides + kernel_size. 'same': the "
    "output is input × strides.",
    "'valid'：不填充：输出变大为 (输入 - 1) × 步长 + kernel_size。'same'：输出为 输入 × 步长。",
)


def _conv_params(rank: int, transpose: bool = False) -> tuple[ParamSpec, ...]:
    one = 1 if rank == 1 else [1] * rank
    padding = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    specs = [
        ParamSpec("filters", "int", None, required=True, minimum=1,
                  desc_en="Number of filters, i.e. output channels.",
                  desc_zh="卷积核（过滤器）的个数，即输出通道数。"),
        _size("kernel_size", rank, None, _KERNEL_SIZE[rank][0], _KERNEL_SIZE[rank][1], required=True),
        _activation(),
        _size("strides", rank, one, "Step the window moves each time.", "窗口每次移动的步长。"),
        ParamSpec("padding", "choice", "valid", choices=padding,
                  desc_en=_TRANSPOSE_PADDING[0] if transpose else _CONV_PADDING[0]
                  + ("" if rank > 1 else " 'causal': pads the start only, so each output sees only "
                     "the steps up to its own (as 'same' in length)."),
                  desc_zh=_TRANSPOSE_PADDING[1] if transpose else _CONV_PADDING[1]
                  + ("" if rank > 1 else "'causal'：只在开头填充，每个输出只看到它自己及之前的时间步"
                     "（长度与 'same' 相同）。")),
    ]
    if transpose:
        specs.append(_size("output_padding", rank, None,
                           "Extra size added to one side of the output; None = inferred.",
                           "在输出一侧额外增加的大小；None 表示自动推断。",
                           nullable=True, minimum=0))
    specs += [
        _DATA_FORMAT,
        _size("dilation_rate", rank, one, "Spacing between the kernel's cells (dilated convolution).",
              "卷积核各单元之间的间隔（空洞卷积）。"),
    ]
    if not transpose:
        specs.append(ParamSpec("groups", "int", 1, minimum=1,
                               desc_en="Split the channels into this many independent groups.",
                               desc_zh="把通道分成多少个相互独立的组。"))
    specs += [_USE_BIAS, *_weight_params("kernel", "bias")]
    return tuple(specs)


def _pool_params(rank: int, default_pool: Any) -> tuple[ParamSpec, ...]:
    return (
        _size("pool_size", rank, default_pool, "Size of the window each output summarises.",
              "每个输出所汇总的窗口大小。", required=default_pool is None),
        _size("strides", rank, None, "Step the window moves; None = same as pool_size.",
              "窗口移动的步长；None 表示与 pool_size 相同。", nullable=True),
        ParamSpec("padding", "choice", "valid", choices=("valid", "same"),
                  desc_en="'valid': no padding; 'same': pad so no input is left out.",
                  desc_zh="'valid'：不填充；'same'：填充，使所有输入都被覆盖。"),
        _DATA_FORMAT,
    )


_KEEPDIMS = ParamSpec(
    "keepdims", "bool", False,
    desc_en="Keep the pooled dimensions (with size 1) instead of removing them.",
    desc_zh="保留被池化的维度（大小为 1），而不是把它们去掉。",
)


def _rnn_params(kind: str) -> tuple[ParamSpec, ...]:
    weights = _weight_params("kernel", "recurrent", "bias")  # 3 initializers, then the rest
    specs = [
        ParamSpec("units", "int", None, required=True, minimum=1,
                  desc_en="Size of the hidden state (and of the output).",
                  desc_zh="隐藏状态（也就是输出）的大小。"),
        _activation("tanh"),
    ]
    if kind != "SimpleRNN":
        specs.append(_activation("sigmoid", "recurrent_activation"))
    specs += [
        ParamSpec("return_sequences", "bool", False,
                  desc_en="Output every time step (needed before another RNN) or only the last.",
                  desc_zh="输出每个时间步（后面再接循环层时需要）还是只输出最后一步。"),
        ParamSpec("return_state", "bool", False,
                  desc_en="Also return the final state(s) as extra outputs.",
                  desc_zh="同时把最终状态作为额外的输出返回。"),
        ParamSpec("go_backwards", "bool", False,
                  desc_en="Read the sequence backwards.", desc_zh="倒序读取序列。"),
        _rate("dropout", "Fraction of the inputs dropped during training.", "训练时丢弃的输入比例。"),
        _rate("recurrent_dropout", "Fraction of the recurrent state dropped during training.",
              "训练时丢弃的循环状态比例。"),
        _USE_BIAS,
        *weights[:3],
    ]
    if kind == "LSTM":
        specs.append(ParamSpec("unit_forget_bias", "bool", True,
                               desc_en="Start the forget gate's bias at 1 (helps learning).",
                               desc_zh="把遗忘门的偏置初始化为 1（有助于学习）。"))
    specs += [
        *weights[3:],
        ParamSpec("stateful", "bool", False,
                  desc_en="Carry the state over from one batch to the next.",
                  desc_zh="把状态从一个批次延续到下一个批次。"),
        ParamSpec("unroll", "bool", False,
                  desc_en="Unroll the loop: faster for short sequences, uses more memory.",
                  desc_zh="展开循环：短序列更快，但更占内存。"),
        _SEED,
    ]
    if kind == "GRU":
        specs.append(ParamSpec("reset_after", "bool", True,
                               desc_en="Apply the reset gate after the matrix multiplication (cuDNN style).",
                               desc_zh="在矩阵乘法之后应用重置门（cuDNN 风格）。"))
    if kind != "SimpleRNN":
        specs.append(ParamSpec("use_cudnn", "choice", "auto", choices=("auto", True, False),
                               desc_en="Use the fast cuDNN kernel on a GPU: 'auto', true or false.",
                               desc_zh="在 GPU 上使用更快的 cuDNN 实现：'auto'、true 或 false。"))
    return tuple(specs)


def _norm_params(batch: bool) -> tuple[ParamSpec, ...]:
    axis = (
        ParamSpec("axis", "int", -1, desc_en="The features axis (usually -1, the channels).",
                  desc_zh="特征所在的轴（通常是 -1，即通道）。")
        if batch else
        ParamSpec("axis", "axis", -1, desc_en="Axis (or axes) to normalise over (usually -1).",
                  desc_zh="进行归一化的轴（通常是 -1）。")
    )
    specs = [axis]
    if batch:
        specs.append(ParamSpec("momentum", "float", 0.99, minimum=0.0, maximum=1.0,
                               desc_en="How slowly the running mean and variance change.",
                               desc_zh="滑动平均值和方差变化的快慢（越大越慢）。"))
    specs += [
        ParamSpec("epsilon", "float", 0.001, minimum=0.0, exclusive_minimum=True,
                  desc_en="Small number added to the variance to avoid dividing by zero.",
                  desc_zh="加到方差上的小数，避免除以零。"),
        ParamSpec("center", "bool", True, desc_en="Learn an offset (beta).",
                  desc_zh="是否学习偏移量（beta）。"),
        ParamSpec("scale", "bool", True, desc_en="Learn a scale (gamma).",
                  desc_zh="是否学习缩放系数（gamma）。"),
        _initializer("beta", "zeros"),
        _initializer("gamma", "ones"),
    ]
    if batch:
        specs += [_initializer("moving_mean", "zeros"), _initializer("moving_variance", "ones")]
    specs += [_regularizer("beta"), _regularizer("gamma"), _constraint("beta"), _constraint("gamma")]
    if batch:
        specs += [
            ParamSpec("renorm", "bool", False, desc_en="Use batch renormalization (advanced).",
                      desc_zh="使用批重归一化（进阶）。"),
            ParamSpec("renorm_clipping", "any", None, nullable=True,
                      desc_en="Advanced: clipping limits for renorm, a dict with rmax, rmin, dmax.",
                      desc_zh="进阶：renorm 的截断范围，包含 rmax、rmin、dmax 的字典。"),
            ParamSpec("renorm_momentum", "float", 0.99, minimum=0.0, maximum=1.0,
                      desc_en="Momentum of the renorm statistics.", desc_zh="renorm 统计量的动量。"),
            ParamSpec("synchronized", "bool", False,
                      desc_en="Share statistics across devices in distributed training.",
                      desc_zh="分布式训练时在多个设备间同步统计量。"),
        ]
    return tuple(specs)


def _merge(name: str, en: str, zh: str, max_inputs: int | None = None) -> LayerEntry:
    return LayerEntry(name, "merge", True, en, zh, (), "list", 2, max_inputs)


def _wrapped(class_name: str, units: int) -> dict:
    return {"class_name": class_name, "module": "layers", "config": {"units": units}}


# --------------------------------------------------------------------------- curated layers


def _curated() -> tuple[LayerEntry, ...]:
    E = LayerEntry
    P = ParamSpec
    return (
        E("Input", "input", True,
          "The model's input: declares the shape of one example (without the batch).",
          "模型的输入：声明单个样本的形状（不含批次维度）。",
          (
              P("shape", "shape", None, required=True, item_nullable=True,
                desc_en="Shape of one example, without the batch size, e.g. [28, 28, 1].",
                desc_zh="单个样本的形状（不含批次大小），例如 [28, 28, 1]。"),
              P("dtype", "dtype", None, nullable=True, choices=INPUT_DTYPES,
                desc_en="Data type of the input values; None = float32.",
                desc_zh="输入数据的类型；None 表示 float32。"),
              P("name", "str", None, nullable=True,
                desc_en="Name of the input; None gives an automatic name.",
                desc_zh="输入的名称；None 表示自动命名。"),
              P("batch_size", "int", None, nullable=True, minimum=1,
                desc_en="Fixed batch size; None lets it vary (usual).",
                desc_zh="固定的批次大小；None 表示可变（通常如此）。"),
          ),
          "single", 0, 0, {"shape": [4]}, ("shape",)),
        E("Dense", "core", True,
          "Fully connected layer: each output is a weighted sum of all inputs plus a bias.",
          "全连接层：每个输出都是所有输入的加权和再加上偏置。",
          (
              P("units", "int", None, required=True, minimum=1,
                desc_en="Number of neurons, i.e. the size of the output.",
                desc_zh="神经元的个数，也就是输出的大小。"),
              _activation(), _USE_BIAS, *_weight_params("kernel", "bias"), *_LORA,
          ),
          # The course's first model, Input(28, 28) -> Flatten -> Dense(100, relu), is two drags away.
          initial_config={"units": 100, "activation": "relu"}, key_params=("units", "activation")),
        E("Flatten", "reshape", True,
          "Flattens each example into a 1-D vector (e.g. an image into a row of pixels).",
          "把每个样本展平成一维向量（例如把图片展开成一行像素）。",
          (_DATA_FORMAT,)),
        E("Conv1D", "convolution", True,
          "1-D convolution: slides small filters along a sequence to find local patterns.",
          "一维卷积：让小卷积核沿序列滑动，寻找局部模式。",
          _conv_params(1), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "activation")),
        E("Conv2D", "convolution", True,
          "2-D convolution: slides small filters over an image to find local features.",
          "二维卷积：让小卷积核在图像上滑动，提取局部特征。",
          _conv_params(2), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "activation")),
        E("Conv2DTranspose", "convolution", True,
          "Transposed 2-D convolution: learns to enlarge feature maps (upsampling).",
          "二维转置卷积：通过学习把特征图放大（上采样）。",
          _conv_params(2, transpose=True), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "strides")),
        E("MaxPooling1D", "pooling", True,
          "Keeps the largest value in each window of a sequence, shortening it.",
          "保留序列中每个窗口里的最大值，使序列变短。",
          _pool_params(1, 2), key_params=("pool_size",)),
        E("MaxPooling2D", "pooling", True,
          "Keeps the largest value in each window of an image, shrinking it.",
          "保留图像中每个窗口里的最大值，使图像变小。",
          _pool_params(2, [2, 2]), key_params=("pool_size",)),
        E("AveragePooling1D", "pooling", True,
          "Averages each window of a sequence, shortening it.",
          "对序列的每个窗口取平均值，使序列变短。",
          _pool_params(1, None), initial_config={"pool_size": 2}, key_params=("pool_size",)),
        E("AveragePooling2D", "pooling", True,
          "Averages each window of an image, shrinking it.",
          "对图像的每个窗口取平均值，使图像变小。",
          _pool_params(2, None), initial_config={"pool_size": [2, 2]}, key_params=("pool_size",)),
        E("GlobalAveragePooling1D", "pooling", True,
          "Averages over all time steps: one value per feature.",
          "对所有时间步取平均：每个特征得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalAveragePooling2D", "pooling", True,
          "Averages over the whole image: one value per channel.",
          "对整幅图像取平均：每个通道得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalMaxPooling1D", "pooling", True,
          "Takes the largest value over all time steps: one value per feature.",
          "在所有时间步中取最大值：每个特征得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalMaxPooling2D", "pooling", True,
          "Takes the largest value over the whole image: one value per channel.",
          "在整幅图像中取最大值：每个通道得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("Dropout", "regularization", True,
          "During training, randomly sets a fraction of inputs to 0 to reduce overfitting.",
          "训练时随机把一部分输入置为 0，用来减轻过拟合。",
          (
              _rate("rate", "Fraction of the inputs to drop (0 to 1).", "要丢弃的输入比例（0 到 1）。",
                    required=True),
              P("noise_shape", "shape", None, nullable=True, item_nullable=True,
                desc_en="Advanced: shape of the drop mask, to drop whole rows or channels together.",
                desc_zh="进阶：丢弃掩码的形状，用来整行或整个通道一起丢弃。"),
              _SEED,
          ),
          initial_config={"rate": 0.2}, key_params=("rate",)),
        E("BatchNormalization", "normalization", True,
          "Normalises each feature using batch statistics, which often speeds up training.",
          "用批次统计量对每个特征做归一化，常常能加快训练。",
          _norm_params(batch=True)),
        E("LayerNormalization", "normalization", True,
          "Normalises the features of each example on its own (common in Transformers).",
          "对每个样本自身的特征做归一化（Transformer 中常用）。",
          _norm_params(batch=False)),
        E("Activation", "activation", True,
          "Applies an activation function, such as relu or softmax, to its input.",
          "对输入应用一个激活函数，例如 relu 或 softmax。",
          (P("activation", "activation", None, required=True,
             desc_en="The activation function to apply.", desc_zh="要应用的激活函数。"),),
          initial_config={"activation": "relu"}, key_params=("activation",)),
        E("LeakyReLU", "activation", True,
          "Like ReLU, but negative inputs keep a small slope instead of becoming 0.",
          "类似 ReLU，但负数输入保留一个小斜率，而不是变成 0。",
          (P("negative_slope", "float", 0.3, minimum=0.0,
             desc_en="Slope used for negative inputs.", desc_zh="负数输入使用的斜率。"),),
          key_params=("negative_slope",)),
        E("ReLU", "activation", True,
          "Rectified linear unit: keeps positive values and turns negatives into 0.",
          "线性整流单元：保留正数，把负数变成 0。",
          (
              P("max_value", "float", None, nullable=True, minimum=0.0,
                desc_en="Upper limit of the output; None = no limit.",
                desc_zh="输出的上限；None 表示不限制。"),
              P("negative_slope", "float", 0.0, minimum=0.0,
                desc_en="Slope used below the threshold (0 = plain ReLU).",
                desc_zh="低于阈值时使用的斜率（0 即普通 ReLU）。"),
              P("threshold", "float", 0.0,
                desc_en="Values below this count as 'negative'.",
                desc_zh="低于这个值的输入按“负数”处理。"),
          )),
        E("Softmax", "activation", True,
          "Turns scores into probabilities that sum to 1.",
          "把分数转换成总和为 1 的概率。",
          (P("axis", "axis", -1, desc_en="Axis along which the probabilities sum to 1.",
             desc_zh="概率沿哪个轴加起来等于 1。"),)),
        E("Reshape", "reshape", True,
          "Rearranges each example into a new shape with the same number of values.",
          "把每个样本重新排列成新的形状，数值个数保持不变。",
          (P("target_shape", "shape", None, required=True, minimum=-1,
             desc_en="New shape without the batch size; one size may be -1 (inferred).",
             desc_zh="新的形状（不含批次大小）；可以有一个维度写 -1（自动推算）。"),),
          initial_config={"target_shape": [-1]}, key_params=("target_shape",)),
        E("Permute", "reshape", True,
          "Reorders the axes of each example, e.g. swaps rows and columns.",
          "调换每个样本各轴的顺序，例如交换行和列。",
          (P("dims", "shape", None, required=True,
             desc_en="New order of the axes, counting from 1 (the batch axis is not counted).",
             desc_zh="各轴的新顺序，从 1 开始编号（不算批次轴）。"),),
          initial_config={"dims": [2, 1]}, key_params=("dims",)),
        E("RepeatVector", "reshape", True,
          "Repeats a vector n times, making a sequence of n steps.",
          "把一个向量重复 n 次，得到一个 n 步的序列。",
          (P("n", "int", None, required=True, minimum=1,
             desc_en="How many times to repeat.", desc_zh="重复的次数。"),),
          initial_config={"n": 3}, key_params=("n",)),
        E("Embedding", "core", True,
          "Turns whole-number word ids into learned vectors.",
          "把整数形式的词编号转换成可学习的向量。",
          (
              P("input_dim", "int", None, required=True, minimum=1,
                desc_en="Vocabulary size: the largest id + 1.", desc_zh="词表大小：最大编号 + 1。"),
              P("output_dim", "int", None, required=True, minimum=1,
                desc_en="Length of each learned vector.", desc_zh="每个学习到的向量的长度。"),
              P("mask_zero", "bool", False,
                desc_en="Treat id 0 as padding that later layers should skip.",
                desc_zh="把编号 0 当作填充，后面的层会跳过它。"),
              _initializer("embeddings", "uniform"),
              _regularizer("embeddings"),
              _constraint("embeddings"),
              *_LORA,
          ),
          initial_config={"input_dim": 1000, "output_dim": 16},
          key_params=("input_dim", "output_dim")),
        E("SimpleRNN", "recurrent", True,
          "The simplest recurrent layer: reads a sequence step by step, keeping a memory.",
          "最简单的循环层：逐步读取序列，并保留一份记忆。",
          _rnn_params("SimpleRNN"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("LSTM", "recurrent", True,
          "Long short-term memory: a recurrent layer with gates that remember long sequences.",
          "长短期记忆网络：带有门控的循环层，能记住较长的序列。",
          _rnn_params("LSTM"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("GRU", "recurrent", True,
          "Gated recurrent unit: a simpler, faster relative of LSTM.",
          "门控循环单元：比 LSTM 更简单、更快的循环层。",
          _rnn_params("GRU"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("Bidirectional", "recurrent", True,
          "Runs a recurrent layer forwards and backwards and combines the two results.",
          "让循环层分别正向和反向读取序列，再把两个结果合并。",
          (
              P("layer", "layer", None, required=True, choices=RECURRENT_LAYERS,
                desc_en="The recurrent layer to run in both directions.",
                desc_zh="要双向运行的循环层。"),
              P("merge_mode", "choice", "concat", nullable=True,
                choices=("concat", "sum", "mul", "ave"),
                desc_en="How to combine both directions; None returns both separately.",
                desc_zh="如何合并两个方向的结果；None 表示分别返回。"),
              P("backward_layer", "layer", None, nullable=True, choices=RECURRENT_LAYERS,
                desc_en="Advanced: a different layer for the backward direction.",
                desc_zh="进阶：反向使用的另一个层。"),
          ),
          initial_config={"layer": _wrapped("LSTM", 32)}, key_params=("layer", "merge_mode")),
        E("TimeDistributed", "recurrent", True,
          "Applies the same layer to every time step of a sequence.",
          "把同一个层应用到序列的每一个时间步上。",
          (P("layer", "layer", None, required=True,
             desc_en="The layer applied at every time step.", desc_zh="在每个时间步上应用的层。"),),
          initial_config={"layer": _wrapped("Dense", 32)},
          key_params=("layer",)),
        E("Concatenate", "merge", True,
          "Joins several inputs end to end along one axis.",
          "沿某个轴把多个输入首尾拼接起来。",
          (P("axis", "int", -1, desc_en="Axis to join along (usually -1, the features).",
             desc_zh="拼接所沿的轴（通常是 -1，即特征）。"),),
          "list", 2, None, key_params=("axis",)),
        _merge("Add", "Adds its inputs element by element (e.g. a residual connection).",
               "把多个输入逐元素相加（例如残差连接）。"),
        _merge("Subtract", "Subtracts the second input from the first, element by element.",
               "逐元素地用第一个输入减去第二个输入。", max_inputs=2),
        _merge("Multiply", "Multiplies its inputs element by element.", "把多个输入逐元素相乘。"),
        _merge("Average", "Averages its inputs element by element.", "对多个输入逐元素求平均。"),
        _merge("Maximum", "Takes the element-wise maximum of its inputs.", "逐元素地取多个输入中的最大值。"),
        E("Rescaling", "preprocessing", True,
          "Multiplies the input by scale and adds offset, e.g. pixels 0-255 to 0-1.",
          "把输入乘以 scale 再加上 offset，例如把 0-255 的像素变成 0-1。",
          (
              P("scale", "float", None, required=True,
                desc_en="Number every input value is multiplied by (e.g. 1/255).",
                desc_zh="每个输入值要乘的数（例如 1/255）。"),
              P("offset", "float", 0.0, desc_en="Number added after scaling.",
                desc_zh="缩放之后再加上的数。"),
          ),
          initial_config={"scale": 1 / 255}, key_params=("scale", "offset")),
        E("UpSampling2D", "reshape", True,
          "Enlarges an image by repeating (or interpolating) its pixels.",
          "通过重复（或插值）像素把图像放大。",
          (
              _size("size", 2, [2, 2], "How many times larger: rows and columns.",
                    "放大的倍数：行和列。"),
              _DATA_FORMAT,
              P("interpolation", "choice", "nearest",
                choices=("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"),
                desc_en="How new pixels are filled in ('nearest' repeats them).",
                desc_zh="新像素的填充方式（'nearest' 表示直接重复）。"),
          ),
          key_params=("size",)),
        E("ZeroPadding2D", "reshape", True,
          "Adds rows and columns of zeros around an image.",
          "在图像四周补上几行几列的 0。",
          (
              _size("padding", 2, [1, 1], "Zeros to add: one number, [rows, cols] or "
                    "[[top, bottom], [left, right]].",
                    "要补的 0 的数量：一个数、[行, 列] 或 [[上, 下], [左, 右]]。",
                    minimum=0, nested=True),
              _DATA_FORMAT,
          ),
          key_params=("padding",)),
        E("Cropping2D", "reshape", True,
          "Cuts rows and columns off the edges of an image.",
          "从图像边缘裁掉若干行和列。",
          (
              _size("cropping", 2, [[0, 0], [0, 0]], "How much to cut: one number, [rows, cols] "
                    "or [[top, bottom], [left, right]].",
                    "要裁掉的大小：一个数、[行, 列] 或 [[上, 下], [左, 右]]。",
                    minimum=0, nested=True),
              _DATA_FORMAT,
          ),
          key_params=("cropping",)),
        E("MultiHeadAttention", "attention", True,
          "Attention with several heads: each position looks at the others (as in Transformers).",
          "多头注意力：每个位置都去关注其他位置（Transformer 的核心）。",
          (
              P("num_heads", "int", None, required=True, minimum=1,
                desc_en="Number of attention heads.", desc_zh="注意力头的个数。"),
              P("key_dim", "int", None, required=True, minimum=1,
                desc_en="Size of each head for query and key.", desc_zh="每个头中 query 和 key 的大小。"),
              P("value_dim", "int", None, nullable=True, minimum=1,
                desc_en="Size of each head for value; None = key_dim.",
                desc_zh="每个头中 value 的大小；None 表示与 key_dim 相同。"),
              _rate("dropout", "Fraction of attention weights dropped during training.",
                    "训练时丢弃的注意力权重比例。"),
              _USE_BIAS,
              P("output_shape", "int_or_tuple", None, nullable=True, minimum=1,
                desc_en="Size of the output's last axis (or axes); None = same as the query.",
                desc_zh="输出最后一个（或几个）轴的大小；None 表示与 query 相同。"),
              P("attention_axes", "axis", None, nullable=True,
                desc_en="Axes attention is applied over; None = all except batch, heads, features.",
                desc_zh="在哪些轴上做注意力；None 表示除批次、头、特征之外的所有轴。"),
              P("sliding_window", "int", None, nullable=True, minimum=1,
                desc_en="Only attend to positions closer than this; None = attend everywhere.",
                desc_zh="只关注距离小于这个值的位置；None 表示关注所有位置。"),
              P("flash_attention", "bool", None, nullable=True,
                desc_en="Use the fast flash-attention kernel; None = when available.",
                desc_zh="是否使用更快的 flash attention 实现；None 表示可用时使用。"),
              *_weight_params("kernel", "bias"),
              P("use_gate", "bool", False,
                desc_en="Advanced: add a learned gate on the attention output.",
                desc_zh="进阶：在注意力输出上加一个可学习的门控。"),
              _SEED,
          ),
          "positional", 2, 3, {"num_heads": 2, "key_dim": 16}, ("num_heads", "key_dim")),
    )


def _with_base_params(entry: LayerEntry) -> LayerEntry:
    """``entry`` with the arguments every layer accepts (name, trainable, dtype) appended."""
    if entry.class_name == "Input":
        return entry
    own = {spec.name for spec in entry.params}
    extra = tuple(spec for spec in BASE_PARAMS if spec.name not in own)
    return replace(entry, params=entry.params + extra)


_CURATED: dict[str, LayerEntry] = {e.class_name: _with_base_params(e) for e in _curated()}


def curated_entries() -> list[LayerEntry]:
    """The curated classroom layers, in palette order (does not import Keras)."""
    return list(_CURATED.values())


def curated_names() -> frozenset[str]:
    """The class names of the curated layers (does not import Keras)."""
    return _CURATED_NAMES


_CURATED_NAMES = frozenset(_CURATED)


# --------------------------------------------------------------------------- extra checks


def _check_permutation(config: dict) -> None:
    dims = config.get("dims")
    if dims is not None and sorted(dims) != list(range(1, len(dims) + 1)):
        raise TflabError(
            f"Permute: dims must list each axis 1..{len(dims)} exactly once (got {dims!r}).",
            f"Permute：dims 必须把 1..{len(dims)} 的每个轴恰好列出一次（收到的是 {dims!r}）。",
            hint_en="Axes are counted from 1; the batch axis is not counted.",
            hint_zh="轴从 1 开始编号，不算批次轴。",
        )


def _check_name(class_name: str, config: dict) -> None:
    name = config.get("name")
    if isinstance(name, str) and ("/" in name or not name.strip()):
        raise TflabError(
            f"{class_name}: the name {name!r} is not allowed: it must not be blank or contain '/'.",
            f"{class_name}：名称 {name!r} 不可用：不能为空白，也不能包含 '/'。",
        )


_EXTRA_CHECKS: dict[str, Callable[[dict], None]] = {"Permute": _check_permutation}
