<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ApplyGradientsPage</name>
    <message>
        <source>SGD with momentum 0.9</source>
        <translation>SGD，动量 0.9</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>One optimizer.apply_gradients call</source>
        <translation>调用一次 optimizer.apply_gradients</translation>
    </message>
    <message numerus="yes">
        <source>Run %n steps</source>
        <translation>
            <numerusform>运行 %n 步</numerusform>
        </translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Loss per step</source>
        <translation>每一步的损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Problem and optimizer</source>
        <translation>问题和优化器</translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation>损失：</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Start (%1, %2):</source>
        <extracomment>Steps &quot;Run 10 steps&quot; takes. Grid of the drawn loss surface (GRID x GRID losses). Contour lines drawn over the surface.</extracomment>
        <translation>起点 (%1, %2)：</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>loss = %1</source>
        <translation>损失 = %1</translation>
    </message>
    <message>
        <source>gradients used:</source>
        <translation>使用的梯度：</translation>
    </message>
    <message>
        <source>The loss is no longer a finite number: the run diverged. Each step overshot the valley and landed higher than before, until the numbers overflowed.
Lower the learning rate (try ten times smaller) and press Reset.</source>
        <translation>损失已经不是有限的数了：训练发散了。每一步都冲过了谷底，落到比之前更高的地方，直到数值溢出。
请调低学习率（试试缩小到十分之一），然后按“重置”。</translation>
    </message>
    <message>
        <source>The loss went UP in this step: the step jumped past the bottom of the valley. With momentum this also happens at a good learning rate (the ball rolls back); if the loss keeps growing, the learning rate is too large.</source>
        <translation>这一步损失变大了：这一步越过了谷底。使用动量时，即使学习率合适也会出现这种情况（小球会滚回来）；如果损失一直变大，说明学习率太大了。</translation>
    </message>
    <message>
        <source>Press Step: a GradientTape computes the gradients, then optimizer.apply_gradients uses them once.</source>
        <translation>按“单步”：梯度带（GradientTape）计算梯度，然后 optimizer.apply_gradients 用它们更新一次。</translation>
    </message>
</context>
<context>
    <name>ArrayRow</name>
    <message>
        <source>key</source>
        <extracomment>The ways to give the data: one array, a tuple of arrays, a dict of arrays. The operations, in the order the &quot;Add&quot; menu lists them.</extracomment>
        <translation>键</translation>
    </message>
    <message>
        <source>The key of this array in the dict</source>
        <translation>这个数组在 dict 里的键</translation>
    </message>
    <message>
        <source>shape, such as 6, 2</source>
        <translation>形状，例如 6, 2</translation>
    </message>
    <message>
        <source>The array&apos;s shape: the first number is how many elements it gives</source>
        <translation>数组的形状：第一个数是它能切出多少个元素</translation>
    </message>
    <message>
        <source>arange counts up: start, start + 1, ...; zeros and ones fill</source>
        <translation>arange 依次递增：start, start + 1, ...；zeros 和 ones 用 0 或 1 填充</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>from</source>
        <translation>起始值</translation>
    </message>
    <message>
        <source>Remove this array</source>
        <translation>移除这个数组</translation>
    </message>
</context>
<context>
    <name>BatchBar</name>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Take the selected picture out of the batch</source>
        <translation>把选中的图片移出批次</translation>
    </message>
    <message>
        <source>The batch: every picture is cropped with the same box</source>
        <translation>批次：每张图片都用同一个框裁剪</translation>
    </message>
</context>
<context>
    <name>BoolEditor</name>
    <message>
        <source>Yes</source>
        <extracomment>The colour of a refused value&apos;s frame and of the reason under it.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>BoundaryView</name>
    <message>
        <source>Colour: the model&apos;s probability of class 1 (blue: class 0, orange: class 1). Dark line: where it is 0.5, the decision boundary.</source>
        <translation>颜色：模型判为类别 1 的概率（蓝色：类别 0，橙色：类别 1）。深色线：概率为 0.5 的地方，也就是决策边界。</translation>
    </message>
    <message>
        <source>The decision boundary is drawn for data with two features and two classes: spiral, XOR, circles or two Gaussians.</source>
        <translation>决策边界只为有两个特征、两个类别的数据绘制：螺旋、XOR、同心圆或两团高斯分布。</translation>
    </message>
</context>
<context>
    <name>BoxEditor</name>
    <message>
        <source>Box: the arguments of tf.image.crop_to_bounding_box</source>
        <extracomment>The largest value a spin box takes (the engine explains values beyond the picture).</extracomment>
        <translation>裁剪框：tf.image.crop_to_bounding_box 的参数</translation>
    </message>
    <message>
        <source>y: rows skipped from the top</source>
        <translation>y：从上方跳过的行数</translation>
    </message>
    <message>
        <source>x: columns skipped from the left</source>
        <translation>x：从左边跳过的列数</translation>
    </message>
    <message>
        <source>height: rows kept</source>
        <translation>高度：保留的行数</translation>
    </message>
    <message>
        <source>width: columns kept</source>
        <translation>宽度：保留的列数</translation>
    </message>
</context>
<context>
    <name>CellGrid</name>
    <message>
        <source>%1 values</source>
        <extracomment>One colour per input tensor (value // OFFSET picks it). Most cells a block draws one by one; larger tensors are drawn as a plain block. Most 2-D slices drawn for a tensor of rank 3 or more. How a shape typed in a row is read: &quot;2, 3&quot;, &quot;(2, 3)&quot; or &quot;2 3&quot; are [2, 3]; &quot;()&quot; is a scalar.</extracomment>
        <translation>%1 个值</translation>
    </message>
</context>
<context>
    <name>CodeBox</name>
    <message>
        <source>Copy code</source>
        <extracomment>Pause after an edit before a lab page computes again, in milliseconds. The comments&apos; language of the code shown (that of the last run).</extracomment>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>The code that produced this:</source>
        <translation>产生这个结果的代码：</translation>
    </message>
</context>
<context>
    <name>CodePanel</name>
    <message>
        <source>The same pixels, as a slice:</source>
        <extracomment>Largest spin-box value: far past any picture, so a typed box past the edge reaches the engine&apos;s check (and its message) instead of being cut silently. The file name endings of the pictures the tool opens. Side of the batch thumbnails, screen pixels. Pictures decoded at once: a newer request need not wait for an older one, and memory stays bounded (a 50-megapixel RGBA picture is 200 MB).</extracomment>
        <translation>同样的像素，用切片表示：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>把代码复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <source>Code</source>
        <extracomment>Code styles in the order of the switch. Quiet time after an edit before the code is written again, in milliseconds. The lane the code is written on after an edit (a big model&apos;s code takes tens of milliseconds to write: not on the window&apos;s thread). The code of a big model is written after its shapes are checked and its boxes made, not beside them, three seconds at most (the window sets it up; see ui.core.workers.Hold): 2,000 layers take 1-2 s to fill in, and after a one-second hold the code was written beside the last batches, each then holding the window 44-60 ms instead of 32-34 ms. What the summary tab was last written from: (report, graph, revision), or None before the first report (it then says it is waiting for TensorFlow).</extracomment>
        <translation>代码</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要 (summary)</translation>
    </message>
    <message>
        <source>Sequential</source>
        <translation>Sequential</translation>
    </message>
    <message>
        <source>Functional</source>
        <translation>函数式</translation>
    </message>
    <message>
        <source>Subclass</source>
        <translation>子类化</translation>
    </message>
    <message>
        <source>tf.keras.Sequential: a plain stack of layers, top to bottom.</source>
        <translation>tf.keras.Sequential：从上到下简单堆叠的层。</translation>
    </message>
    <message>
        <source>The Functional API: each layer is called on the tensors it takes.</source>
        <translation>函数式 API：每个层都在它接收的张量上调用。</translation>
    </message>
    <message>
        <source>A tf.keras.Model subclass: layers made in __init__, wired in call().</source>
        <translation>tf.keras.Model 的子类：在 __init__ 里创建层，在 call() 里连接。</translation>
    </message>
    <message>
        <source>Training script</source>
        <translation>训练脚本</translation>
    </message>
    <message>
        <source>Add compile(), fit() and evaluate() on random data, so the file runs as it is.</source>
        <translation>加上在随机数据上的 compile()、fit() 和 evaluate()，让文件可以直接运行。</translation>
    </message>
    <message>
        <source>English comments</source>
        <translation>英文注释</translation>
    </message>
    <message>
        <source>Write the comments of the code in English instead of the interface&apos;s language.</source>
        <translation>代码中的注释用英文书写，而不是界面的语言。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>把代码复制到剪贴板</translation>
    </message>
    <message>
        <source>Export as .py...</source>
        <translation>导出为 .py...</translation>
    </message>
    <message>
        <source>Save the code as a Python file</source>
        <translation>把代码保存为 Python 文件</translation>
    </message>
    <message>
        <source>Show Functional code</source>
        <translation>显示函数式 API 代码</translation>
    </message>
    <message>
        <source>The summary appears as soon as TensorFlow is ready.</source>
        <translation>TensorFlow 加载好后就会显示摘要。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Code copied to the clipboard.</source>
        <translation>代码已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Nothing to export: the code panel says why.</source>
        <translation>没有可导出的代码：代码面板中写明了原因。</translation>
    </message>
    <message>
        <source>Export code</source>
        <translation>导出代码</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <source>Writing %1 and its data...</source>
        <translation>正在写入 %1 及其数据……</translation>
    </message>
    <message>
        <source>Code saved to %1.</source>
        <translation>代码已保存到 %1。</translation>
    </message>
    <message>
        <source>Saved %1 (the data it trains on: %2).</source>
        <translation>已保存 %1（它训练用的数据：%2）。</translation>
    </message>
</context>
<context>
    <name>CompileFitEvaluatePage</name>
    <message>
        <source>Training takes three calls. compile chooses how to learn, fit learns from the training data, evaluate measures on data the model never saw. Change a setting and watch the program change; the training panel trains the same way on the MNIST digits.</source>
        <extracomment>The calls the code box highlights, in the order the program makes them.</extracomment>
        <translation>训练只需要三个调用：compile 选择怎样学习，fit 从训练数据中学习，evaluate 在模型从没见过的数据上评估。改一个设置，看看程序怎么变化；“训练”页用同样的方法在 MNIST 手写数字上训练。</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>optimizer</translation>
    </message>
    <message>
        <source>learning_rate</source>
        <translation>learning_rate</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>loss</translation>
    </message>
    <message>
        <source>metrics</source>
        <translation>metrics</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>epochs</translation>
    </message>
    <message>
        <source>batch_size</source>
        <translation>batch_size</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>The rule that changes the weights after each batch.</source>
        <translation>每个批次之后用来更新权重的规则。</translation>
    </message>
    <message>
        <source>The step size: too large jumps around, too small crawls.</source>
        <translation>步长：太大会来回跳，太小会走得很慢。</translation>
    </message>
    <message>
        <source>The digits&apos; labels are class numbers 0-9, so the loss is the sparse categorical cross-entropy.</source>
        <translation>手写数字的标签是类别编号 0-9，所以损失用稀疏分类交叉熵。</translation>
    </message>
    <message>
        <source>Numbers to watch; they do not change the training.</source>
        <translation>用来观察的数值；它们不影响训练。</translation>
    </message>
    <message>
        <source>How many times the whole training set is used.</source>
        <translation>整个训练集要用几遍。</translation>
    </message>
    <message>
        <source>How many samples are used for each update of the weights.</source>
        <translation>每次更新权重使用多少个样本。</translation>
    </message>
    <message>
        <source>10,000 handwritten digits of 28 x 28 pixels (MNIST), bundled with tflab.</source>
        <translation>10,000 张 28 x 28 像素的手写数字（MNIST），随 tflab 一起提供。</translation>
    </message>
    <message>
        <source>Measures the loss and the metrics on the test data, which the model never saw while training. Much better training than test numbers mean the model learned the training data by heart.</source>
        <translation>在测试数据上计算损失和评估指标，这些数据模型在训练时从没见过。如果训练集上的数值比测试集好很多，说明模型把训练数据死记硬背下来了。</translation>
    </message>
    <message>
        <source>Open in the training panel</source>
        <translation>在“训练”页中打开</translation>
    </message>
    <message>
        <source>Back to the defaults</source>
        <translation>恢复默认设置</translation>
    </message>
</context>
<context>
    <name>CropDiagram</name>
    <message>
        <source>x: columns →</source>
        <extracomment>The lesson&apos;s example: a 100 x 120 image, box (10, 20, 50, 40). Colours of the vertical (height) and horizontal (width) arguments.</extracomment>
        <translation>x：列 →</translation>
    </message>
    <message>
        <source>← y: rows</source>
        <translation>← y：行</translation>
    </message>
    <message>
        <source>image: %1 rows × %2 columns</source>
        <translation>图像：%1 行 × %2 列</translation>
    </message>
</context>
<context>
    <name>CropPage</name>
    <message>
        <source>The four numbers of &lt;code&gt;crop_to_bounding_box&lt;/code&gt; are &lt;b&gt;y first&lt;/b&gt;: &lt;code&gt;offset_height&lt;/code&gt; and &lt;code&gt;target_height&lt;/code&gt; count rows (down), &lt;code&gt;offset_width&lt;/code&gt; and &lt;code&gt;target_width&lt;/code&gt; count columns (across), as in the image&apos;s shape (height, width, channels). A screen rectangle such as &lt;code&gt;QRect(x, y, w, h)&lt;/code&gt; is &lt;b&gt;x first&lt;/b&gt;: swapping them is the classic mistake.</source>
        <translation>&lt;code&gt;crop_to_bounding_box&lt;/code&gt; 的四个数是 &lt;b&gt;y 在前&lt;/b&gt;：&lt;code&gt;offset_height&lt;/code&gt; 和 &lt;code&gt;target_height&lt;/code&gt; 数的是行（向下），&lt;code&gt;offset_width&lt;/code&gt; 和 &lt;code&gt;target_width&lt;/code&gt; 数的是列（横向），和图像的形状 (height, width, channels) 一致。而屏幕上的矩形，比如 &lt;code&gt;QRect(x, y, w, h)&lt;/code&gt;，是 &lt;b&gt;x 在前&lt;/b&gt;：把两者弄反是最常见的错误。</translation>
    </message>
    <message>
        <source>Open the image tool</source>
        <translation>打开图像工具</translation>
    </message>
    <message>
        <source>Draw a box on a picture and crop it with TensorFlow</source>
        <translation>在图片上画一个框，用 TensorFlow 裁剪</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像大小</translation>
    </message>
    <message>
        <source>height (rows):</source>
        <translation>高度（行）：</translation>
    </message>
    <message>
        <source>width (columns):</source>
        <translation>宽度（列）：</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>Loss per training step</source>
        <extracomment>The shortest time between two redraws, in milliseconds (25 frames per second). The running mean of the step losses is taken over this many steps. Epoch values are marked with dots up to this many epochs (beyond, the dots would hide the lines). The most points the decision-boundary view draws (a random sample of larger data).</extracomment>
        <translation>每个训练步的损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Loss per epoch</source>
        <translation>每轮的损失</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Metrics per epoch</source>
        <translation>每轮的评估指标</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>mean of last %1 steps</source>
        <translation>最近 %1 步的平均值</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Show the losses on a logarithmic scale</source>
        <translation>用对数刻度显示损失</translation>
    </message>
    <message>
        <source>Save PNG...</source>
        <translation>保存 PNG...</translation>
    </message>
    <message>
        <source>Save a picture of the curves</source>
        <translation>把曲线保存为图片</translation>
    </message>
    <message>
        <source>Save CSV...</source>
        <translation>保存 CSV...</translation>
    </message>
    <message>
        <source>Save the values of the curves as a table</source>
        <translation>把曲线的数值保存为表格</translation>
    </message>
    <message>
        <source>train %1</source>
        <translation>训练 %1</translation>
    </message>
    <message>
        <source>validation %1</source>
        <translation>验证 %1</translation>
    </message>
    <message>
        <source>step %1: loss %2, mean %3</source>
        <translation>第 %1 步：损失 %2，平均 %3</translation>
    </message>
    <message>
        <source>epoch %1: %2</source>
        <translation>第 %1 轮：%2</translation>
    </message>
    <message>
        <source>Point at a plot to read its values.</source>
        <translation>把鼠标指向图表即可读取数值。</translation>
    </message>
    <message>
        <source>Save Curves as PNG</source>
        <translation>把曲线保存为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Save Curves as CSV</source>
        <translation>把曲线保存为 CSV</translation>
    </message>
    <message>
        <source>CSV tables (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>CustomCodeBar</name>
    <message>
        <source>This project has its own layers (%1) written in Python on another computer. The code has not run, so they show no shapes and cannot train.</source>
        <translation>这个项目有自己用 Python 写的层（%1），代码来自另一台电脑。代码还没有运行，所以这些层不显示形状，也不能训练。</translation>
    </message>
    <message>
        <source>Read the code…</source>
        <translation>阅读代码…</translation>
    </message>
</context>
<context>
    <name>CustomCodeDialog</name>
    <message>
        <source>Custom layer code of this project</source>
        <translation>本项目的自定义层代码</translation>
    </message>
    <message>
        <source>This project defines its own layers in Python: %1. The code below has run in this session; its layers work like any Keras layer.</source>
        <translation>这个项目用 Python 定义了自己的层：%1。下面的代码已在本次运行中执行，这些层可以像任何 Keras 层一样使用。</translation>
    </message>
    <message>
        <source>This project defines its own layers in Python: %1. The code came from another computer (or was changed outside tflab), so it has not run: these layers show no shapes and cannot train yet.

Running it gives it the same access to this computer as any program you start. Read it, and run it only if you trust where the project came from.</source>
        <translation>这个项目用 Python 定义了自己的层：%1。这段代码来自另一台电脑（或在 tflab 之外被修改过），所以还没有运行：这些层暂时不显示形状，也不能训练。

运行它，就等于让它像你启动的任何程序一样访问这台电脑。请先阅读代码，只有在信任项目来源时才运行。</translation>
    </message>
    <message>
        <source>Run this code</source>
        <translation>运行这段代码</translation>
    </message>
    <message>
        <source>Do not run it</source>
        <translation>不运行</translation>
    </message>
    <message>
        <source>line %1, column %2: U+%3 %4</source>
        <translation>第 %1 行第 %2 列：U+%3 %4</translation>
    </message>
    <message>
        <source> (and %1 more)</source>
        <translation>（另有 %1 处）</translation>
    </message>
    <message>
        <source>Careful: this code has %1 invisible or direction-changing characters, shown as ⟦U+…⟧ marks. Such characters can make code look different from what runs. Where: %2%3.</source>
        <translation>注意：这段代码含有 %1 个不可见或会改变文字方向的字符，已显示为 ⟦U+…⟧ 标记。这类字符会让代码看起来与实际运行的不一样。位置：%2%3。</translation>
    </message>
</context>
<context>
    <name>CustomLoopPage</name>
    <message>
        <source>Whole batches of 32 digits</source>
        <translation>以 32 张手写数字为一个完整批次</translation>
    </message>
    <message>
        <source>your loop: %1</source>
        <extracomment>The colour of each metric&apos;s curves.</extracomment>
        <translation>你的循环：%1</translation>
    </message>
    <message>
        <source>model.fit: %1</source>
        <translation>model.fit：%1</translation>
    </message>
    <message>
        <source>Train the course&apos;s model on MNIST</source>
        <translation>在 MNIST 上训练课程中的模型</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮次：</translation>
    </message>
    <message>
        <source>Training digits:</source>
        <translation>训练用的手写数字：</translation>
    </message>
    <message>
        <source>Train both</source>
        <translation>两种方式都训练</translation>
    </message>
    <message>
        <source>Train with your loop, then with model.fit, from the same weights</source>
        <translation>从相同的权重出发，先用你的循环训练，再用 model.fit 训练</translation>
    </message>
    <message>
        <source>Your loop</source>
        <translation>你的循环</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>The whole program</source>
        <translation>完整程序</translation>
    </message>
    <message>
        <source>Reset to the example</source>
        <translation>恢复为示例</translation>
    </message>
    <message>
        <source>Write the training loop here, or change the lesson&apos;s: epochs, x_train, y_train, x_val, y_val, make_dataset and build_model are ready; fill history with one number per epoch for loss, accuracy, val_loss and val_accuracy. Train both runs it beside model.fit.</source>
        <translation>在这里写训练循环，或修改课程中的循环：epochs、x_train、y_train、x_val、y_val、make_dataset 和 build_model 都已准备好；请在 history 中为 loss、accuracy、val_loss 和 val_accuracy 每个轮次各填一个数。“两种方式都训练”会把它和 model.fit 并排运行。</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Press Train both: the same model is trained by the loop of the lesson and by model.fit, on the same digits and from the same weights. Solid lines: your loop; dashed with dots: fit.</source>
        <translation>按“两种方式都训练”：同一个模型分别用课程中的循环和 model.fit 训练，使用相同的手写数字和相同的初始权重。实线：你的循环；带圆点的虚线：fit。</translation>
    </message>
    <message>
        <source>Largest difference between the two, over every number of every epoch: %1.</source>
        <translation>两者在每个轮次的每个数字上的最大差值：%1。</translation>
    </message>
</context>
<context>
    <name>CustomPage</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Loss function</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <source>The shape of ONE sample, e.g. 3 or 2, 5</source>
        <translation>单个样本的形状，例如 3 或 2, 5</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Restore the template</source>
        <translation>恢复模板</translation>
    </message>
    <message>
        <source>Replace the code with the template (Ctrl+Z brings yours back)</source>
        <translation>用模板替换代码（按 Ctrl+Z 可以找回你的代码）</translation>
    </message>
    <message>
        <source>Use in this project</source>
        <translation>在本项目中使用</translation>
    </message>
    <message>
        <source>Put this code in the project: its layer classes appear in the editor&apos;s palette, under “This project”. Check the layer first.</source>
        <translation>把这段代码放进项目：其中的层类会出现在编辑器的层面板中的“本项目”下。请先检查这个层。</translation>
    </message>
    <message>
        <source>Open the project&apos;s code</source>
        <translation>打开项目的代码</translation>
    </message>
    <message>
        <source>Show the project&apos;s custom layer code here, to change it</source>
        <translation>在这里显示项目的自定义层代码，以便修改</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Write a:</source>
        <translation>编写：</translation>
    </message>
    <message>
        <source>Input shape (one sample):</source>
        <translation>输入形状（单个样本）：</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Printed output</source>
        <translation>打印输出</translation>
    </message>
    <message>
        <source>Code of the check</source>
        <translation>检查用的代码</translation>
    </message>
    <message>
        <source>Check runs your code in a separate Python process (with a time limit) on a batch of %1 samples of the input shape, and reports what it found.</source>
        <extracomment>How the input shape field is read: &quot;3&quot;, &quot;2, 5&quot; or &quot;(2, 5)&quot;. The lane the checks wait on: one thread of its own, shared by every custom lab page.</extracomment>
        <translation>“检查”会在单独的 Python 进程中（有时间限制）用一个包含 %1 个该输入形状样本的批次运行你的代码，并报告结果。</translation>
    </message>
    <message>
        <source>This code comes from a project file made by someone else. Read it: Check will ask before running it.</source>
        <translation>这段代码来自别人制作的项目文件。请先读一读：运行前“检查”会先询问你。</translation>
    </message>
    <message>
        <source>Run code from a project?</source>
        <translation>运行项目中的代码？</translation>
    </message>
    <message>
        <source>This code came from a project file made by someone else. Checking it runs it as a Python program on this computer, with your permissions.

Run it only if you have read it and trust where it came from. Run it now?</source>
        <translation>这段代码来自别人制作的项目文件。检查它会以你的权限在这台电脑上把它作为 Python 程序运行。

只有在你读过代码并且信任它的来源时才运行。现在运行吗？</translation>
    </message>
    <message>
        <source>This project has no custom layer code yet: check a layer, then press “Use in this project”.</source>
        <translation>这个项目还没有自定义层代码：请先检查一个层，然后点击“在本项目中使用”。</translation>
    </message>
    <message>
        <source>%1 is now in the editor&apos;s palette, under “This project”: drag it into the model like any layer. The generated code includes your class. Edit &gt; Undo takes it back out.</source>
        <translation>%1 已经出现在编辑器层面板的“本项目”下：像其他层一样把它拖进模型即可。生成的代码会包含你的类。用“编辑 &gt; 撤销”可以把它撤回。</translation>
    </message>
    <message>
        <source>The code was not run.</source>
        <translation>代码没有运行。</translation>
    </message>
    <message>
        <source>Checking: starting Python and TensorFlow takes a few seconds…</source>
        <translation>正在检查：启动 Python 和 TensorFlow 需要几秒钟…</translation>
    </message>
    <message>
        <source>The check passed.</source>
        <translation>检查通过。</translation>
    </message>
    <message>
        <source>Press “Use in this project” to put this layer in the editor&apos;s palette.</source>
        <translation>点击“在本项目中使用”，把这个层放进编辑器的层面板。</translation>
    </message>
    <message>
        <source>Layer class: %1</source>
        <translation>层的类：%1</translation>
    </message>
    <message>
        <source>Output shape for a batch of %1: %2</source>
        <translation>批次大小为 %1 时的输出形状：%2</translation>
    </message>
    <message>
        <source>Loss: %1</source>
        <translation>损失：%1</translation>
    </message>
    <message>
        <source>It returned shape %1</source>
        <translation>它返回的形状是 %1</translation>
    </message>
    <message>
        <source>Loss value (mean): %1</source>
        <translation>损失值（平均）：%1</translation>
    </message>
    <message>
        <source>Metric class: %1</source>
        <translation>评估指标的类：%1</translation>
    </message>
    <message>
        <source>Result after two batches: %1</source>
        <translation>两个批次之后的结果：%1</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>MNIST: 28x28 handwritten digits</source>
        <extracomment>The model&apos;s inputs and outputs (from the editor&apos;s graph): named arrays are matched to them. The labels of the form&apos;s rows, by name.</extracomment>
        <translation>MNIST：28x28 手写数字</translation>
    </message>
    <message>
        <source>Digits: 8x8 handwritten digits</source>
        <translation>Digits：8×8 手写数字</translation>
    </message>
    <message>
        <source>Iris flowers</source>
        <translation>鸢尾花 (Iris)</translation>
    </message>
    <message>
        <source>Spiral (2-D)</source>
        <translation>螺旋（二维）</translation>
    </message>
    <message>
        <source>XOR (2-D)</source>
        <translation>XOR（二维）</translation>
    </message>
    <message>
        <source>Circles (2-D)</source>
        <translation>同心圆（二维）</translation>
    </message>
    <message>
        <source>Two Gaussians (2-D)</source>
        <translation>两团高斯分布（二维）</translation>
    </message>
    <message>
        <source>Your CSV or NPZ file...</source>
        <translation>你自己的 CSV 或 NPZ 文件...</translation>
    </message>
    <message>
        <source>Your folder of images...</source>
        <translation>你自己的图片文件夹...</translation>
    </message>
    <message>
        <source>How many points to generate</source>
        <translation>生成多少个点</translation>
    </message>
    <message>
        <source>How much random jitter the points get</source>
        <translation>给点加多少随机抖动</translation>
    </message>
    <message>
        <source>The seed of the random generator that makes the points</source>
        <translation>生成这些点的随机数种子</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>The column that holds the labels (what the model learns to predict)</source>
        <translation>存放标签的列（模型要学会预测的内容）</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>numbers (regression)</source>
        <translation>数值（回归）</translation>
    </message>
    <message>
        <source>Whether the labels are classes or numbers to predict</source>
        <translation>标签是类别，还是要预测的数值</translation>
    </message>
    <message>
        <source>Pictures are resized to this many pixels per side</source>
        <translation>图片缩放成每边这么多像素</translation>
    </message>
    <message>
        <source>grayscale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>colour (RGB)</source>
        <translation>彩色 (RGB)</translation>
    </message>
    <message>
        <source>Share of the data kept aside to validate after each epoch</source>
        <translation>留出来在每轮之后做验证的数据比例</translation>
    </message>
    <message>
        <source>Share of the data kept aside for the final test</source>
        <translation>留出来做最终测试的数据比例</translation>
    </message>
    <message>
        <source>Seed for the split, the shuffling of the batches and the model&apos;s initial weights</source>
        <translation>用于划分数据、打乱批次和模型初始权重的随机种子</translation>
    </message>
    <message>
        <source>Data set:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <source>Points:</source>
        <translation>点数：</translation>
    </message>
    <message>
        <source>Noise:</source>
        <translation>噪声：</translation>
    </message>
    <message>
        <source>Data seed:</source>
        <translation>数据种子：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Label column:</source>
        <translation>标签列：</translation>
    </message>
    <message>
        <source>Labels are:</source>
        <translation>标签是：</translation>
    </message>
    <message>
        <source>Image size:</source>
        <translation>图像大小：</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Split:</source>
        <translation>划分：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Choose a Folder of Images</source>
        <translation>选择图片文件夹</translation>
    </message>
    <message>
        <source>Choose a Data File</source>
        <translation>选择数据文件</translation>
    </message>
    <message>
        <source>Data files (*.csv *.npz)</source>
        <translation>数据文件 (*.csv *.npz)</translation>
    </message>
    <message>
        <source>(none chosen)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>Choose a file or folder with Browse...</source>
        <translation>用“浏览...”选择一个文件或文件夹</translation>
    </message>
    <message>
        <source>Loading the data...</source>
        <translation>正在加载数据...</translation>
    </message>
    <message>
        <source>Loading the data... %1%</source>
        <translation>正在加载数据... %1%</translation>
    </message>
    <message>
        <source>The preview appears once TensorFlow is loaded.</source>
        <translation>TensorFlow 加载好后就会显示预览。</translation>
    </message>
    <message>
        <source>Nothing to show: the data could not be loaded (the reason is written under the data settings).</source>
        <translation>没有可显示的内容：数据无法加载（原因写在数据设置下方）。</translation>
    </message>
    <message>
        <source>%1 classes</source>
        <translation>%1 个类别</translation>
    </message>
    <message>
        <source>numbers to predict (regression)</source>
        <translation>要预测的数值（回归）</translation>
    </message>
    <message>
        <source>%1 samples of shape %2, %3</source>
        <translation>%1 个形状为 %2 的样本，%3</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>许可证：%1</translation>
    </message>
    <message>
        <source>%1 files could not be read.</source>
        <translation>有 %1 个文件无法读取。</translation>
    </message>
    <message>
        <source>%1 samples in %2 named arrays</source>
        <translation>%1 个样本，%2 个命名数组</translation>
    </message>
    <message>
        <source>no array named %1 for the input %1</source>
        <translation>没有名为 %1 的数组对应输入 %1</translation>
    </message>
    <message>
        <source>%1 %2 → input %3</source>
        <translation>%1 %2 → 输入 %3</translation>
    </message>
    <message>
        <source>no array named %1 for the labels of the output %1</source>
        <translation>没有名为 %1 的数组作为输出 %1 的标签</translation>
    </message>
    <message>
        <source>%1 → labels of the output %2</source>
        <translation>%1 → 输出 %2 的标签</translation>
    </message>
    <message>
        <source>not used: %1</source>
        <translation>未使用：%1</translation>
    </message>
    <message>
        <source>Name each array after the model input or output it is for: numpy.savez(path, name=array, ...).</source>
        <translation>请用每个数组所对应的模型输入或输出的名称为它命名：numpy.savez(path, 名称=数组, ...)。</translation>
    </message>
</context>
<context>
    <name>DataPreview</name>
    <message>
        <source>The &lt;code&gt;tf.data&lt;/code&gt; pipeline that feeds the training batches (&lt;code&gt;x&lt;/code&gt;, &lt;code&gt;y&lt;/code&gt;: the training part):</source>
        <extracomment>Quiet time after a change before the data is loaded again, in milliseconds. How many elements the preview shows. The data files the panel reads; any other path is taken for a folder of images. Told by the name, not by asking the disk: the GUI thread never waits on a path that blocks. what it was loaded from, for bundled and generated data (see _load_key)</extracomment>
        <translation>为训练提供批次的 &lt;code&gt;tf.data&lt;/code&gt; 管道（&lt;code&gt;x&lt;/code&gt;、&lt;code&gt;y&lt;/code&gt;：训练部分）：</translation>
    </message>
    <message>
        <source>The first elements of &lt;code&gt;tf.data.Dataset.from_tensor_slices((x, y))&lt;/code&gt;:</source>
        <translation>&lt;code&gt;tf.data.Dataset.from_tensor_slices((x, y))&lt;/code&gt; 的前几个元素：</translation>
    </message>
    <message>
        <source>Its &lt;code&gt;element_spec&lt;/code&gt; (the type and shape of one element):</source>
        <translation>它的 &lt;code&gt;element_spec&lt;/code&gt;（单个元素的类型和形状）：</translation>
    </message>
</context>
<context>
    <name>DatasetsPage</name>
    <message>
        <source>Two arrays have the key %1: each key of a dict names one array.</source>
        <translation>有两个数组的键都是 %1：dict 的每个键只能对应一个数组。</translation>
    </message>
    <message>
        <source>infinite (-1): the dataset never ends</source>
        <translation>无限 (-1)：这个数据集永远不会结束</translation>
    </message>
    <message>
        <source>unknown (%1): TensorFlow cannot tell without going through it</source>
        <translation>未知 (%1)：TensorFlow 不遍历一遍就说不出来</translation>
    </message>
    <message numerus="yes">
        <source>%n element(s)</source>
        <translation>
            <numerusform>%n 个元素</numerusform>
        </translation>
    </message>
    <message>
        <source>The first %1 elements</source>
        <translation>前 %1 个元素</translation>
    </message>
    <message>
        <source>The elements</source>
        <translation>所有元素</translation>
    </message>
    <message>
        <source>from_tensor_slices cuts every array along its FIRST dimension: element i holds row i of each array. Then each operation makes a new dataset from the one before.</source>
        <translation>from_tensor_slices 沿着第一个维度（第 0 维）切开每个数组：第 i 个元素包含每个数组的第 i 行。之后每个操作都由前一个数据集生成一个新的数据集。</translation>
    </message>
    <message>
        <source>Data: tf.data.Dataset.from_tensor_slices(data)</source>
        <translation>数据：tf.data.Dataset.from_tensor_slices(data)</translation>
    </message>
    <message>
        <source>data is</source>
        <translation>data 是</translation>
    </message>
    <message>
        <source>one array</source>
        <translation>一个数组</translation>
    </message>
    <message>
        <source>a tuple of arrays</source>
        <translation>由数组组成的 tuple</translation>
    </message>
    <message>
        <source>a dict of arrays</source>
        <translation>由数组组成的 dict</translation>
    </message>
    <message>
        <source>Add an array</source>
        <translation>添加一个数组</translation>
    </message>
    <message>
        <source>Operations, in order</source>
        <translation>操作（按顺序）</translation>
    </message>
    <message>
        <source>Add an operation</source>
        <translation>添加一个操作</translation>
    </message>
    <message>
        <source>No operations: the dataset gives one element per row.</source>
        <translation>没有操作：数据集每一行给出一个元素。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Computing with TensorFlow...</source>
        <translation>正在用 TensorFlow 计算...</translation>
    </message>
    <message>
        <source>&lt;b&gt;element_spec&lt;/b&gt;: the shape and type of one element</source>
        <translation>&lt;b&gt;element_spec&lt;/b&gt;：单个元素的形状和类型</translation>
    </message>
    <message>
        <source>&lt;b&gt;cardinality&lt;/b&gt;: how many elements</source>
        <translation>&lt;b&gt;cardinality&lt;/b&gt;：元素的个数</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Use custom layer code</source>
        <extracomment>Counts the graph&apos;s announced changes: what was worked out from the graph is still true while ``graph`` is the same object and this is the same number.</extracomment>
        <translation>使用自定义层代码</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>Stack</source>
        <extracomment>A project saved without a view opens as a stack up to this many layers, else as a graph (a card per layer: two thousand of them take seconds to build, and nobody scrolls them).</extracomment>
        <translation>堆叠</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>图</translation>
    </message>
    <message>
        <source>Show the model as a graph of layers and wires (Functional API)</source>
        <translation>把模型显示为由层和连线组成的图（函数式 API）</translation>
    </message>
    <message>
        <source>This model cannot be shown as a stack: %1</source>
        <translation>这个模型不能显示为堆叠：%1</translation>
    </message>
    <message>
        <source>Show the model as a stack of layers, run from top to bottom (Sequential)</source>
        <translation>把模型显示为从上到下依次运行的一叠层（Sequential）</translation>
    </message>
    <message>
        <source>Drag layers from the left into the stack; drag cards to reorder.</source>
        <translation>把左边的层拖进堆叠；拖动卡片可以调整顺序。</translation>
    </message>
    <message>
        <source>Drag layers into the graph; drag from an output port to an input to wire them.</source>
        <translation>把层拖进图中；从输出端口拖到输入端口就能把它们连起来。</translation>
    </message>
    <message>
        <source>The input at the top of a stack cannot be deleted: change its shape in the inspector instead.</source>
        <translation>堆叠顶部的输入不能删除：可以在右侧属性面板里修改它的形状。</translation>
    </message>
</context>
<context>
    <name>Edits</name>
    <message>
        <source>Add input</source>
        <translation>添加输入</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <source>Call layer again</source>
        <translation>再次调用层</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Mark as model output</source>
        <translation>设为模型输出</translation>
    </message>
    <message>
        <source>Remove from outputs</source>
        <translation>从输出中移除</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>删除 %1</translation>
    </message>
    <message>
        <source>Move %1</source>
        <translation>移动 %1</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>自动排列</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>把 %1 重命名为 %2</translation>
    </message>
    <message>
        <source>Change %1 of the input</source>
        <translation>修改输入的 %1</translation>
    </message>
    <message>
        <source>Change %1 of %2</source>
        <translation>修改 %2 的 %1</translation>
    </message>
    <message>
        <source>Ungroup %1</source>
        <translation>拆开 %1</translation>
    </message>
</context>
<context>
    <name>ExercisesBox</name>
    <message>
        <source>TensorFlow is computing the answer…</source>
        <extracomment>The QSettings key holding the ids of the exercises solved so far.</extracomment>
        <translation>TensorFlow 正在计算答案……</translation>
    </message>
    <message>
        <source>Predict, then run</source>
        <translation>先预测，再运行</translation>
    </message>
    <message>
        <source>Write what you expect, then press Run: TensorFlow computes the real answer. Solved: %1 of %2.</source>
        <translation>写下你预期的结果，然后按“运行”：TensorFlow 会算出真正的答案。已答对：%1 / %2。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>a shape, such as (32, 10)</source>
        <translation>一个形状，例如 (32, 10)</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>一个整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>一个数</translation>
    </message>
</context>
<context>
    <name>FlattenPage</name>
    <message>
        <source>Each of the %1 samples of shape %2 became one row of %3 values. The batch dimension (the first one) is never flattened.</source>
        <extracomment>How the shape field is read: &quot;3, 4&quot;, &quot;(3, 4)&quot; and &quot;3 4&quot; all mean [3, 4]. Values printed in full; a larger tensor is shown with &quot;...&quot; in the middle.</extracomment>
        <translation>%1 个形状为 %2 的样本，每个都变成了一行 %3 个值。批次维度（第一个维度）永远不会被展平。</translation>
    </message>
    <message>
        <source>Before: x, shape %1</source>
        <translation>之前：x，形状 %1</translation>
    </message>
    <message>
        <source>After: y, shape %1</source>
        <translation>之后：y，形状 %1</translation>
    </message>
    <message>
        <source>Type the shape of ONE sample. TensorFlow fills a batch with 0, 1, 2, ... and flattens it, so you can follow every number.</source>
        <translation>输入单个样本的形状（不含批次维度）。TensorFlow 会用 0, 1, 2, ... 填满一个批次再把它展平，这样你可以跟踪每一个数。</translation>
    </message>
    <message>
        <source>Shape of one sample:</source>
        <translation>单个样本的形状：</translation>
    </message>
    <message>
        <source>Whole numbers separated by commas, such as 3, 4 or 2, 3, 4.</source>
        <translation>用逗号分隔的整数，例如 3, 4 或 2, 3, 4。</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批次大小：</translation>
    </message>
    <message>
        <source>data_format:</source>
        <translation>data_format：</translation>
    </message>
    <message>
        <source>channels_first: the channels come right after the batch; Flatten moves them to the end first, which changes the order of the values when a sample has two or more axes.</source>
        <translation>channels_first：通道紧跟在批次之后；Flatten 会先把通道移到最后，所以当一个样本有两个或更多轴时，数值的顺序会改变。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Computing with TensorFlow...</source>
        <translation>正在用 TensorFlow 计算...</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>之后</translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <source>Glossary</source>
        <translation>术语表</translation>
    </message>
</context>
<context>
    <name>GradientTapePage</name>
    <message>
        <source>%1 is declared twice: give each name one row.</source>
        <extracomment>How a value cell is read: &quot;3&quot;, &quot;2.5&quot;, &quot;[1, 2]&quot; (text that is not a number goes to the engine as is).</extracomment>
        <translation>%1 声明了两次：每个名字只能占一行。</translation>
    </message>
    <message>
        <source>source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Write y with numbers, your names, + - * / ** and sin, cos, exp, log, sqrt, tanh, sigmoid, square, abs, reduce_sum, reduce_mean, matmul. Variables are watched by the tape; constants only when you tick watch.</source>
        <translation>用数字、你定义的名字、+ - * / ** 以及 sin、cos、exp、log、sqrt、tanh、sigmoid、square、abs、reduce_sum、reduce_mean、matmul 写出 y。变量会自动被梯度带监视；常量只有勾选 watch 时才会被监视。</translation>
    </message>
    <message>
        <source>The formula of y, such as w * x ** 2 + c</source>
        <translation>y 的公式，例如 w * x ** 2 + c</translation>
    </message>
    <message>
        <source>Variables: tf.Variable</source>
        <translation>变量：tf.Variable</translation>
    </message>
    <message>
        <source>Constants: tf.constant</source>
        <translation>常量：tf.constant</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>watch</source>
        <translation>watch</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>persistent=True: the tape can answer more than one gradient call</source>
        <translation>persistent=True：梯度带可以多次调用 gradient</translation>
    </message>
    <message>
        <source>Second target z =</source>
        <translation>第二个目标 z =</translation>
    </message>
    <message>
        <source>A formula that may use y, such as y * x</source>
        <translation>可以用到 y 的公式，例如 y * x</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Computing with TensorFlow...</source>
        <translation>正在用 TensorFlow 计算...</translation>
    </message>
</context>
<context>
    <name>GraphView</name>
    <message>
        <source>%1 → %2 (input %3): %4
Click to select it, press Delete to remove it.</source>
        <extracomment>Specs :meth:`node_specs` left as they were (its ``limit``), to be made next time.</extracomment>
        <translation>%1 → %2（输入 %3）：%4
单击选中它，按 Delete 键删除。</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>outputs %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>This is a model output.</source>
        <translation>这是模型的一个输出。</translation>
    </message>
    <message>
        <source>No model outputs are set, so every layer that feeds no other layer is an output. Right-click a box to choose the outputs yourself.</source>
        <translation>没有设置模型输出，所以所有不再连到其他层的层都是输出。右键单击方框可以自己选择输出。</translation>
    </message>
    <message>
        <source>Drag from here to a layer&apos;s input to connect them.</source>
        <translation>从这里拖到某个层的输入，就能把它们连起来。</translation>
    </message>
    <message>
        <source>Output %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Input %1: from &apos;%2&apos;</source>
        <translation>输入 %1：来自“%2”</translation>
    </message>
    <message>
        <source>Free input: drag a wire here from another layer&apos;s output.</source>
        <translation>空闲的输入：从另一个层的输出拖一条连线到这里。</translation>
    </message>
    <message>
        <source>A model input: each sample has the shape %1. The model takes a batch of them, %2: the first axis is the batch size (None: any size).</source>
        <translation>模型输入：每个样本的形状是 %1。模型一次接收一批样本，形状为 %2：第一个轴是批次大小（None：任意大小）。</translation>
    </message>
    <message>
        <source>shared: %1</source>
        <translation>共享：%1</translation>
    </message>
    <message>
        <source>Call %1 of %2 of the layer &apos;%3&apos;: these calls share the same weights (they learn together).</source>
        <translation>层“%3”的第 %1 次调用（共 %2 次）：这些调用共享同一组权重（一起学习）。</translation>
    </message>
    <message>
        <source>%1 layers</source>
        <translation>%1 个层</translation>
    </message>
    <message>
        <source>1 layer</source>
        <extracomment>Below this zoom a box&apos;s texts would be under 4 pixels high: they are not drawn. Size of a node box, in scene units. Extra height of the box of a shared layer&apos;s call (for its &quot;shared&quot; tag). Distance from a port&apos;s centre within which a press or a drop hits it. Colour tags of shared layers (one per shared layer, in turn). The port positions the wire was last routed between (the view routes it again only when they or the boxes in its way change).</extracomment>
        <translation>1 个层</translation>
    </message>
    <message>
        <source>Error:</source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Its output shape is not known until the layers feeding it are fixed.</source>
        <translation>要等给它提供输入的层都修好，才能知道它的输出形状。</translation>
    </message>
    <message>
        <source>waiting for its inputs</source>
        <translation>等待它的输入</translation>
    </message>
    <message>
        <source>(+%1 more)</source>
        <translation>（还有 %1 个）</translation>
    </message>
    <message>
        <source>shared weights</source>
        <translation>共享权重</translation>
    </message>
    <message>
        <source>%1 params</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>Add input</source>
        <extracomment>Spacing of the background grid, in scene units (every fifth line is darker). How far an arrow key moves the selected boxes, in scene units. Room around the boxes that the scroll bars let the user reach. A new project with more boxes than this (old and new together) is drawn without the scene&apos;s index, which is built once afterwards instead of box by box. New boxes are made a batch at a time, the window drawing and answering in between: a model of two thousand layers fills in over a moment instead of freezing the window for half a second (benchmarks/bench_open_big.py). The first batch has this many boxes; each next one as many as the last one&apos;s pace fits in :data:`BUILD_SECONDS`, so a busy machine (shape checking runs beside it) makes fewer at a time, not longer pauses. Boxes made at most by a pass that also visits every box (the first over a newly opened model, which places every node too, or the first after its shapes came). The depth of the scene&apos;s item index (a BSP tree), fixed: Qt picks it by the number of items and builds the whole index again each time that number crosses a power of two, thousands of Python calls in one go while a big model fills in. Items of a model no longer shown taken out of the scene in one event-loop turn. Boxes given their new shapes in one event-loop turn when a shape report comes and nothing else changed. A report changes every box of a model just opened: NASNetMobile&apos;s 770 boxes at once held the window 57-79 ms (a pass over every box and wire, then the painting of every box it changed). The next batch waits while a shape check runs (the window sets it up): made beside it, a batch took two to four times its 20 ms (see ui.core.workers.Hold). NASNetMobile&apos;s check takes 0.3-0.5 s: a hold of 0.25 s ended before it did, and the worst pause while it opened was 93-111 ms instead of 47-88 ms. Whether anything but the making of new boxes may have changed since the last sync (an edit, new shapes, another language): then every box is looked at again. Boxes whose shape result changed with the last reports, given it a batch at a time (:data:`REPORT_BATCH`) while nothing else changed (:meth:`_show_report_some`). The graph changed since the last sync (an edit, undo, redo); what the last full sync saw, to tell an edit of layer settings alone from any other (:meth:`_edited_layers`).</extracomment>
        <translation>添加输入</translation>
    </message>
    <message>
        <source>Add a model input (set its shape in the inspector)</source>
        <translation>添加一个模型输入（在属性面板里设置它的形状）</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>自动排列</translation>
    </message>
    <message>
        <source>Arrange all boxes in rows, from the inputs at the top down</source>
        <translation>把所有方框按行排列，输入在最上面，依次往下</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Fit all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Zoom to show the whole model (a very long one from its top)</source>
        <translation>缩放以显示整个模型（很长的模型从顶部开始显示）</translation>
    </message>
    <message>
        <source>The layer list is still loading; try again in a moment.</source>
        <translation>层列表还在加载，请稍后再试。</translation>
    </message>
    <message>
        <source>Both ends are inputs. Drag from a layer&apos;s output (the dot at the bottom of a box) to an input (a dot at the top).</source>
        <translation>两端都是输入。请从某个层的输出（方框底部的圆点）拖到一个输入（顶部的圆点）。</translation>
    </message>
    <message>
        <source>Both ends are outputs. Drag from a layer&apos;s output (the dot at the bottom of a box) to an input (a dot at the top).</source>
        <translation>两端都是输出。请从某个层的输出（方框底部的圆点）拖到一个输入（顶部的圆点）。</translation>
    </message>
    <message>
        <source>A layer cannot take its own output. Connect it to another layer.</source>
        <translation>一个层不能接收自己的输出。请把它连到另一个层。</translation>
    </message>
    <message>
        <source>This wire has no layer at one of its ends.</source>
        <translation>这条连线有一端没有连到层。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) takes one tensor: its %3 is the number %4. Clear %3 in the inspector to wire a second tensor in, or delete its wire first.</source>
        <translation>“%1”（%2）只接收一个张量：它的 %3 是数字 %4。请在属性面板中清空 %3，才能再连入一个张量；或者先删除它的连线。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) takes one input, and it is already connected. Delete its wire first (click the wire, press Delete).</source>
        <translation>“%1”（%2）只接收一个输入，而且已经连上了。请先删除它的连线（单击连线，按 Delete 键）。</translation>
    </message>
    <message>
        <source>This input of &apos;%1&apos; is already connected. Delete its wire first, or drop on its free input (the dot with a plus).</source>
        <translation>“%1”的这个输入已经连上了。请先删除它的连线，或者拖放到它的空闲输入上（带加号的圆点）。</translation>
    </message>
    <message>
        <source>This input of &apos;%1&apos; is already connected, and it takes no more inputs. Delete its wire first (click the wire, press Delete).</source>
        <translation>“%1”的这个输入已经连上了，而且它不再接收更多输入。请先删除它的连线（单击连线，按 Delete 键）。</translation>
    </message>
    <message>
        <source>Wiring &apos;%1&apos; into &apos;%2&apos; would make a cycle: &apos;%2&apos; already feeds &apos;%1&apos;, and a layer cannot depend on its own output.</source>
        <translation>把“%1”连到“%2”会形成环路：“%2”已经在给“%1”提供输入，而一个层不能依赖自己的输出。</translation>
    </message>
    <message>
        <source>Mark as model output</source>
        <translation>设为模型输出</translation>
    </message>
    <message>
        <source>Remove from outputs</source>
        <translation>从输出中移除</translation>
    </message>
    <message>
        <source>Call this layer again (shared weights)</source>
        <translation>再次调用这个层（共享权重）</translation>
    </message>
    <message>
        <source>Adds a second box for the same layer: both calls use the same weights</source>
        <translation>为同一个层再添加一个方框：两次调用使用同一组权重</translation>
    </message>
    <message>
        <source>Delete wire</source>
        <translation>删除连线</translation>
    </message>
    <message>
        <source>Add input here</source>
        <translation>在这里添加输入</translation>
    </message>
</context>
<context>
    <name>ImageTool</name>
    <message>
        <source>Code copied to the clipboard.</source>
        <translation>代码已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Add pictures…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Add pictures of the same size to the batch</source>
        <translation>把同样大小的图片加入批次</translation>
    </message>
    <message>
        <source>Open a picture (PNG, JPEG, BMP, GIF, WebP, TIFF)</source>
        <translation>打开一张图片（PNG、JPEG、BMP、GIF、WebP、TIFF）</translation>
    </message>
    <message>
        <source>Add sample</source>
        <translation>添加示例图片</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>示例图片</translation>
    </message>
    <message>
        <source>Open one of the sample pictures that come with tflab</source>
        <translation>打开 tflab 自带的一张示例图片</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Batch mode: crop several pictures of the same size at once, as one 4-D tensor</source>
        <translation>批次模式：把几张同样大小的图片作为一个四维张量一次裁剪</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-, or the mouse wheel)</source>
        <translation>缩小（Ctrl+- 或鼠标滚轮）</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++, or the mouse wheel)</source>
        <translation>放大（Ctrl++ 或鼠标滚轮）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>Show the whole picture (Ctrl+9)</source>
        <translation>显示整张图片（Ctrl+9）</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>One screen pixel per picture pixel (Ctrl+0)</source>
        <translation>一个屏幕像素对应一个图片像素（Ctrl+0）</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Crop</source>
        <translation>裁剪</translation>
    </message>
    <message>
        <source>Crop with tf.image.crop_to_bounding_box</source>
        <translation>用 tf.image.crop_to_bounding_box 裁剪</translation>
    </message>
    <message>
        <source>Run the TensorFlow call below on the picture (Ctrl+Enter)</source>
        <translation>在图片上运行下面的 TensorFlow 调用（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Save crop…</source>
        <translation>保存裁剪结果…</translation>
    </message>
    <message>
        <source>Save the cropped picture as PNG or JPEG</source>
        <translation>把裁剪后的图片保存为 PNG 或 JPEG</translation>
    </message>
    <message>
        <source>Copy crop</source>
        <translation>复制裁剪结果</translation>
    </message>
    <message>
        <source>Copy the cropped picture to the clipboard</source>
        <translation>把裁剪后的图片复制到剪贴板</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Open a picture, drop one here, or pick one of the samples.

Then drag a box on it and press Crop.</source>
        <translation>打开一张图片、把图片拖到这里，或者选一张示例图片。

然后在图上拖出一个框，再按“裁剪”。</translation>
    </message>
    <message>
        <source>Drag to select a box, drag its handles to resize it; arrow keys move it by one pixel, Shift+arrows resize it. Wheel: zoom. Middle button: pan.</source>
        <translation>拖动可以框选，拖动框的控制点可以调整大小；方向键每次移动一个像素，Shift+方向键调整大小。滚轮：缩放。中键：平移。</translation>
    </message>
    <message>
        <source>Press Crop to see what TensorFlow returns.</source>
        <translation>按“裁剪”看看 TensorFlow 返回什么。</translation>
    </message>
    <message>
        <source>Add pictures to the batch</source>
        <translation>把图片加入批次</translation>
    </message>
    <message>
        <source>Open a picture</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <source>Pictures (%1);;All files (*)</source>
        <translation>图片 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>dropped picture</source>
        <translation>拖入的图片</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>%1 could not be opened (%2: %3).</source>
        <translation>无法打开 %1（%2：%3）。</translation>
    </message>
    <message>
        <source>Opened %1: %2 × %3 pixels, tensor shape %4.</source>
        <translation>已打开 %1：%2 × %3 像素，张量形状 %4。</translation>
    </message>
    <message>
        <source>Batch mode: pictures you open are added to the batch.</source>
        <translation>批次模式：打开的图片会加入批次。</translation>
    </message>
    <message>
        <source>Batch mode is off.</source>
        <translation>批次模式已关闭。</translation>
    </message>
    <message>
        <source>The box changed: press Crop again to update the result.</source>
        <translation>裁剪框变了：再按一次“裁剪”更新结果。</translation>
    </message>
    <message>
        <source>Cropping… (the first crop loads TensorFlow, which takes a few seconds)</source>
        <translation>正在裁剪…（第一次裁剪要加载 TensorFlow，需要几秒钟）</translation>
    </message>
    <message>
        <source>Cropped: %1 -&gt; %2.</source>
        <translation>已裁剪：%1 -&gt; %2。</translation>
    </message>
    <message>
        <source>PNG picture (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>JPEG picture (*.jpg *.jpeg)</source>
        <translation>JPEG 图片 (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Save crop</source>
        <translation>保存裁剪结果</translation>
    </message>
    <message>
        <source>Replace the original?</source>
        <translation>替换原图？</translation>
    </message>
    <message>
        <source>%1 is the picture you are cropping. Saving the crop there replaces the original picture for good.</source>
        <translation>%1 是你正在裁剪的图片。把裁剪结果保存到那里会永久替换原图。</translation>
    </message>
    <message>
        <source>Crop saved to %1.</source>
        <translation>裁剪结果已保存到 %1。</translation>
    </message>
    <message>
        <source>Crop copied to the clipboard (%1 × %2 pixels).</source>
        <translation>裁剪结果已复制到剪贴板（%1 × %2 像素）。</translation>
    </message>
    <message>
        <source>No picture open.</source>
        <translation>没有打开图片。</translation>
    </message>
    <message>
        <source>%1   %2 × %3 pixels   shape %4   %5</source>
        <translation>%1   %2 × %3 像素   形状 %4   %5</translation>
    </message>
    <message>
        <source>gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>x %1, y %2   image[%2, %1] = %3 (%4)</source>
        <translation>x %1，y %2   image[%2, %1] = %3 (%4)</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <source>Drag to move the box; Ctrl+drag to draw a new one here.</source>
        <extracomment>Zoom steps of the zoom buttons and the wheel (1.0 is 100 %). From this zoom on, a grid shows where each pixel ends.</extracomment>
        <translation>拖动可以移动选框；按住 Ctrl 拖动可以在这里画一个新的选框。</translation>
    </message>
</context>
<context>
    <name>InitializersPage</name>
    <message>
        <source>%1 values: mean %2, standard deviation %3, from %4 to %5</source>
        <extracomment>The colour map of the heat map (pyqtgraph&apos;s bundled copy of matplotlib&apos;s &quot;viridis&quot;).</extracomment>
        <translation>%1 个值：平均值 %2，标准差 %3，范围从 %4 到 %5</translation>
    </message>
    <message>
        <source>The weight %1, shown as %2 rows × %3 columns</source>
        <translation>权重 %1，显示为 %2 行 × %3 列</translation>
    </message>
    <message>
        <source>The weight %1 as a heat map</source>
        <translation>权重 %1 的热力图</translation>
    </message>
    <message>
        <source>Pick an initializer and the shape of a weight (a Dense layer&apos;s kernel is inputs × units). Keras draws the starting values. Each run makes a new initializer: without a seed it picks its own, so the values change from run to run; with a seed they are the same.</source>
        <translation>选择一个初始化器和权重的形状（全连接层 Dense 的核形状是 输入数 × units）。Keras 会生成初始值。每次运行都会新建一个初始化器：不设种子时它自己选一个，所以每次运行的值都不同；设置种子后值就相同。</translation>
    </message>
    <message>
        <source>Initializer:</source>
        <translation>初始化器：</translation>
    </message>
    <message>
        <source>Weight shape:</source>
        <translation>权重形状：</translation>
    </message>
    <message>
        <source>Whole numbers separated by commas, such as 32, 16.</source>
        <translation>用逗号分隔的整数，例如 32, 16。</translation>
    </message>
    <message>
        <source>Histogram bars:</source>
        <translation>直方图柱数：</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Computing with TensorFlow...</source>
        <translation>正在用 TensorFlow 计算...</translation>
    </message>
    <message>
        <source>How many values fall in each range</source>
        <translation>每个区间里有多少个值</translation>
    </message>
    <message>
        <source>The weight as a heat map</source>
        <translation>权重的热力图</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>个数</translation>
    </message>
</context>
<context>
    <name>InsideView</name>
    <message>
        <source>Which sample of the test data goes through the model</source>
        <translation>让测试数据中的哪个样本通过模型</translation>
    </message>
    <message>
        <source>Sample:</source>
        <extracomment>The most feature maps drawn for one layer (the first ones), and per row. The most bars drawn for one layer (the first ones). Feature maps are enlarged (whole pixels) to at least this many screen pixels.</extracomment>
        <translation>样本：</translation>
    </message>
    <message>
        <source>Each layer&apos;s output for one test sample, as the model computes it now: a convolution&apos;s feature maps (one picture per channel, bright where the output is high), a Dense layer&apos;s units as bars (blue above zero, red below). They change as the model learns.</source>
        <translation>一个测试样本在每一层的输出，按模型现在的计算结果显示：卷积层的特征图（每个通道一张图，输出越大越亮），全连接层（Dense）的各个单元用柱形表示（大于零为蓝色，小于零为红色）。它们会随着模型的学习而变化。</translation>
    </message>
    <message>
        <source>Train the model to look inside it.</source>
        <translation>先训练模型，才能查看它的内部。</translation>
    </message>
    <message>
        <source>true label: %1; weights after %2 epoch(s) of this run</source>
        <translation>真实标签：%1；本次运行训练 %2 轮后的权重</translation>
    </message>
    <message>
        <source>one bar per class, the highest: %1</source>
        <translation>每个类别一个柱，最高的是：%1</translation>
    </message>
    <message>
        <source>values from %1 to %2</source>
        <translation>取值从 %1 到 %2</translation>
    </message>
    <message>
        <source>one feature map</source>
        <translation>1 张特征图</translation>
    </message>
    <message>
        <source>%1 feature maps</source>
        <translation>%1 张特征图</translation>
    </message>
    <message>
        <source>the first %1 of %2 feature maps</source>
        <translation>%2 张特征图中的前 %1 张</translation>
    </message>
    <message>
        <source>%1 values</source>
        <translation>%1 个值</translation>
    </message>
    <message>
        <source>the first %1 of %2 values</source>
        <translation>%2 个值中的前 %1 个</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Select a layer in the model to see and change its parameters.</source>
        <extracomment>The form&apos;s own words: (what sets a text, what writes it in the interface&apos;s language), applied again when the language changes (the fields tell their own).</extracomment>
        <translation>在模型中选中一个层，就能查看和修改它的参数。</translation>
    </message>
    <message>
        <source>The parameters of this layer appear once TensorFlow has loaded.</source>
        <translation>TensorFlow 加载好后就会显示这个层的参数。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>More parameters (%1)</source>
        <translation>更多参数（%1）</translation>
    </message>
    <message>
        <source>Layers inside</source>
        <translation>内部的层</translation>
    </message>
    <message>
        <source>Ungroup into its layers</source>
        <translation>拆成它的各个层</translation>
    </message>
    <message>
        <source>Put the model&apos;s layers in its place, to edit them one by one. A model called more than once gives layers called as often: they still share their weights. Undo puts the model back.</source>
        <translation>把模型的各个层放到它的位置上，以便逐个编辑。被调用多次的模型会拆成同样被调用多次的层：它们仍然共享权重。撤销即可恢复这个模型。</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Layer (type)</source>
        <translation>层（类型）</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>shared with its first use</source>
        <translation>和第一次使用时共享</translation>
    </message>
    <message>
        <source>(%1 trainable)</source>
        <translation>（%1 个可训练）</translation>
    </message>
    <message>
        <source>Keras cannot build this layer</source>
        <translation>Keras 无法构建这个层</translation>
    </message>
    <message>
        <source>Check this</source>
        <translation>请检查</translation>
    </message>
    <message>
        <source>Its shapes are not known until the layer above it can be built: select that layer to see what is wrong there.</source>
        <translation>在上面的层能够构建之前，这一层的形状无法得知：选中那一层，查看它出了什么问题。</translation>
    </message>
    <message>
        <source>Hint:</source>
        <translation>提示：</translation>
    </message>
</context>
<context>
    <name>LabsPanel</name>
    <message>
        <source>Teaches:</source>
        <extracomment>The lab page module of each lesson: ``create(context) -&gt; QWidget``. The QSettings key remembering the lesson shown last. The QSettings key remembering how the panel is divided. Pixels above a lesson&apos;s heading (see :func:`space_headings`).</extracomment>
        <translation>本课学习：</translation>
    </message>
    <message>
        <source>Glossary</source>
        <translation>术语表</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>The lab for this lesson is not available in this version of tflab.</source>
        <translation>这个版本的 tflab 还没有这一课的实验。</translation>
    </message>
    <message>
        <source>Missing: %1 (%2)</source>
        <translation>缺少：%1（%2）</translation>
    </message>
    <message>
        <source>The lab for this lesson could not be opened. The lesson text is still here.</source>
        <translation>这一课的实验无法打开。课文还可以正常阅读。</translation>
    </message>
</context>
<context>
    <name>LearnedView</name>
    <message>
        <source>accuracy</source>
        <extracomment>Samples shown in the gallery at once (the first ones of the order chosen). Side of a gallery picture, screen pixels.</extracomment>
        <translation>准确率</translation>
    </message>
    <message>
        <source>%1 samples of class %2 predicted as %3</source>
        <translation>类别 %2 的 %1 个样本被预测为 %3</translation>
    </message>
    <message>
        <source>%1 true %2
predicted %3 (%4)</source>
        <translation>%1 真实 %2
预测 %3（%4）</translation>
    </message>
    <message>
        <source>Test samples, mistakes first (%1 shown of %2)</source>
        <translation>测试样本，错误的在前（显示 %2 个中的 %1 个）</translation>
    </message>
    <message>
        <source>True %1, predicted %2: %3 samples</source>
        <translation>真实 %1，预测 %2：%3 个样本</translation>
    </message>
    <message>
        <source>Train a classifier: its predictions on the test part appear here after each epoch.</source>
        <translation>训练一个分类模型：每轮结束后，它对测试部分的预测会显示在这里。</translation>
    </message>
    <message>
        <source>After epoch %1: %2 of %3 test samples right (accuracy %4). Rows: the true class; columns: the class predicted. Click a cell to see its samples.</source>
        <translation>第 %1 轮之后：%3 个测试样本中有 %2 个预测正确（准确率 %4）。行：真实类别；列：预测的类别。点击一个格子查看其中的样本。</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Editor</source>
        <extracomment>A save still writing after this long shows a dialog that can stop waiting for it. Looks for work an earlier session left (on the file-open lane: the recovery folder sits in the home folder, which may be on the network).</extracomment>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Labs</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new model</source>
        <translation>新建一个模型</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>打开(&amp;O)...</translation>
    </message>
    <message>
        <source>Open a tflab project or a Keras model</source>
        <translation>打开 tflab 项目或 Keras 模型</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation>另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Save the project under another name</source>
        <translation>用另一个名字保存项目</translation>
    </message>
    <message>
        <source>&amp;Import Keras Model...</source>
        <translation>导入 Keras 模型(&amp;I)...</translation>
    </message>
    <message>
        <source>Open a model saved by Keras (.keras) as a new project</source>
        <translation>把 Keras 保存的模型（.keras）作为新项目打开</translation>
    </message>
    <message>
        <source>&amp;Export Code...</source>
        <translation>导出代码(&amp;E)...</translation>
    </message>
    <message>
        <source>Save the model&apos;s Keras code as a Python file</source>
        <translation>把模型的 Keras 代码保存为 Python 文件</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit tflab</source>
        <translation>退出 tflab</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected layer</source>
        <translation>删除选中的层</translation>
    </message>
    <message>
        <source>Custom &amp;Layer Code...</source>
        <translation>自定义层代码(&amp;L)...</translation>
    </message>
    <message>
        <source>Read the Python code of this project&apos;s own layers (and allow it to run)</source>
        <translation>阅读本项目自定义层的 Python 代码（并允许它运行）</translation>
    </message>
    <message>
        <source>&amp;Stack</source>
        <translation>堆叠(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Graph</source>
        <translation>图(&amp;G)</translation>
    </message>
    <message>
        <source>Show the model as a graph of layers and wires</source>
        <translation>把模型显示为由层和连线组成的图</translation>
    </message>
    <message>
        <source>&amp;About tflab</source>
        <translation>关于 tflab(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Glossary</source>
        <translation>术语表(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Training Logs in &amp;TensorBoard</source>
        <translation>在 TensorBoard 中查看训练日志(&amp;T)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Number of parameters (weights) the model learns</source>
        <translation>模型要学习的参数（权重）个数</translation>
    </message>
    <message>
        <source>Loading TensorFlow...</source>
        <translation>正在加载 TensorFlow...</translation>
    </message>
    <message>
        <source>TensorFlow is loading in the background; you can keep working.</source>
        <translation>TensorFlow 正在后台加载，你可以继续操作。</translation>
    </message>
    <message>
        <source>an unsaved model</source>
        <translation>一个未保存的模型</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>tflab did not close normally last time. Recover the unsaved changes to %1 (autosaved %2)?

Yes opens them, Discard deletes them, Cancel asks again next time.</source>
        <translation>tflab 上次没有正常关闭。要恢复对 %1 的未保存修改吗（自动保存于 %2）？

“是”打开这些修改，“放弃”删除它们，“取消”下次启动时再问。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The model “%1” has unsaved changes. Save them?</source>
        <translation>模型“%1”有未保存的修改。要保存吗？</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>tflab projects and Keras models (*.tflab *.keras)</source>
        <translation>tflab 项目和 Keras 模型 (*.tflab *.keras)</translation>
    </message>
    <message>
        <source>tflab projects (*.tflab)</source>
        <translation>tflab 项目 (*.tflab)</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
        <source>Import Keras Model</source>
        <translation>导入 Keras 模型</translation>
    </message>
    <message>
        <source>Still opening the previous file, please wait.</source>
        <translation>还在打开上一个文件，请稍候。</translation>
    </message>
    <message>
        <source>Opening %1...</source>
        <translation>正在打开 %1...</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>正在保存 %1…</translation>
    </message>
    <message>
        <source>Stop Waiting</source>
        <translation>不再等待</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>正在保存</translation>
    </message>
    <message>
        <source>Training settings from the lab</source>
        <translation>来自实验的训练设置</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清空菜单(&amp;C)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Show the model as a stack of layers</source>
        <translation>把模型显示为一叠层</translation>
    </message>
    <message>
        <source>TensorFlow ready</source>
        <translation>TensorFlow 已就绪</translation>
    </message>
    <message>
        <source>TensorFlow %1 is loaded.</source>
        <translation>TensorFlow %1 已加载。</translation>
    </message>
    <message>
        <source>TensorFlow unavailable</source>
        <translation>TensorFlow 不可用</translation>
    </message>
    <message>
        <source>TensorFlow could not be loaded</source>
        <translation>无法加载 TensorFlow</translation>
    </message>
    <message>
        <source>Parameters: –</source>
        <translation>参数：–</translation>
    </message>
    <message>
        <source>Parameters: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>Problems: %1</source>
        <translation>问题：%1</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Training Logs in TensorBoard</source>
        <translation>在 TensorBoard 中查看训练日志</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every training run writes its loss and metrics with tf.summary.scalar into a folder of its own under:&lt;/p&gt;&lt;p&gt;&lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Where TensorBoard is installed (pip install tensorboard), run this in a terminal, then open http://localhost:6006 in a browser:&lt;/p&gt;&lt;p&gt;&lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;The Training tab&apos;s Past runs shows the same runs without TensorBoard.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每次训练都会用 tf.summary.scalar 把损失和评估指标写入下面这个文件夹中属于它自己的子文件夹：&lt;/p&gt;&lt;p&gt;&lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;&lt;p&gt;在装有 TensorBoard 的环境中（pip install tensorboard），在终端里运行下面的命令，然后在浏览器中打开 http://localhost:6006：&lt;/p&gt;&lt;p&gt;&lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;不用 TensorBoard，“训练”页的“以往的运行”也会列出同样的记录。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About tflab</source>
        <translation>关于 tflab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;tflab %1&lt;/h3&gt;&lt;p&gt;An offline lab for learning TensorFlow and Keras: build models from layers, read their code, train them and see what they learn.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;tflab %1&lt;/h3&gt;&lt;p&gt;学习 TensorFlow 和 Keras 的离线实验室：用层搭建模型、阅读它们的代码、训练它们，看看它们学到了什么。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>NameScopePage</name>
    <message>
        <source>Trace the function</source>
        <translation>追踪函数</translation>
    </message>
    <message>
        <source>Operation name</source>
        <translation>操作名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Scope / operation</source>
        <translation>作用域 / 操作</translation>
    </message>
    <message>
        <source>Operations of the graph, in the order they were made:</source>
        <translation>计算图中的操作，按创建顺序排列：</translation>
    </message>
    <message>
        <source>The same names as a tree of scopes:</source>
        <translation>同样的名称，按作用域组成的树：</translation>
    </message>
    <message>
        <source>Tracing…</source>
        <translation>正在追踪…</translation>
    </message>
    <message>
        <source>%1 operations. Every operation made inside tf.name_scope(&quot;hidden&quot;) within tf.name_scope(&quot;model&quot;) is named model/hidden/…</source>
        <translation>共 %1 个操作。在 tf.name_scope(&quot;model&quot;) 里面的 tf.name_scope(&quot;hidden&quot;) 中创建的每个操作，名称都是 model/hidden/…</translation>
    </message>
</context>
<context>
    <name>OperationRow</name>
    <message>
        <source>function</source>
        <translation>函数</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>None: a new order every time the program runs</source>
        <translation>None：每次运行程序都是新的顺序</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>无限次</translation>
    </message>
    <message>
        <source>Remove this operation</source>
        <translation>移除这个操作</translation>
    </message>
</context>
<context>
    <name>OutputsTable</name>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>metrics</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>The loss of this output; automatic suits its labels</source>
        <translation>这个输出的损失函数；“自动”会根据它的标签选择</translation>
    </message>
    <message>
        <source>How much this output&apos;s loss counts in the total loss (loss_weights)</source>
        <translation>这个输出的损失在总损失中所占的分量（loss_weights）</translation>
    </message>
    <message>
        <source>The metrics measured on this output; automatic: accuracy for classes, mae for numbers</source>
        <translation>在这个输出上测量的评估指标；“自动”：类别用 accuracy，数值用 mae</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Search layers (name or description)</source>
        <extracomment>The drag-and-drop type of a layer taken from the palette (its class name, UTF-8). One colour per layer category, shared by the palette and the layer cards. What an item other than a layer is: &quot;group:&lt;category&gt;&quot;, &quot;custom&quot;, &quot;all&quot; or &quot;waiting&quot;.</extracomment>
        <translation>搜索层（名称或说明）</translation>
    </message>
    <message>
        <source>Type to filter; Enter adds the first layer found.</source>
        <translation>输入文字进行筛选；按 Enter 添加找到的第一个层。</translation>
    </message>
    <message>
        <source>Layers this project defines in Python (the custom layers lab).</source>
        <translation>本项目用 Python 定义的层（来自自定义层实验）。</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>Every other layer of tf.keras.layers.</source>
        <translation>tf.keras.layers 中的其他所有层。</translation>
    </message>
    <message>
        <source>Available once TensorFlow has loaded…</source>
        <translation>TensorFlow 加载好后可用…</translation>
    </message>
    <message>
        <source>Key parameters:</source>
        <translation>主要参数：</translation>
    </message>
    <message>
        <source>Drag it onto the model, or double-click to add it at the end.</source>
        <translation>把它拖到模型上，或者双击添加到末尾。</translation>
    </message>
</context>
<context>
    <name>ParamField</name>
    <message>
        <source>Keras default</source>
        <translation>Keras 默认值</translation>
    </message>
    <message>
        <source>Back to the default value: %1</source>
        <translation>恢复默认值：%1</translation>
    </message>
    <message>
        <source>tflab starts new layers with %1; Keras&apos;s own default is %2.</source>
        <translation>tflab 新建这种层时使用 %1；Keras 自己的默认值是 %2。</translation>
    </message>
</context>
<context>
    <name>SequentialVsFunctionalPage</name>
    <message>
        <source>Both models are made of layers. Sequential only stacks them, top to bottom; the Functional API calls each layer on tensors, so a model can have several inputs and use one layer twice. Compare the code of each, then open a model in the editor.</source>
        <translation>两个模型都由层组成。Sequential 只能把层从上到下堆叠起来；函数式 API 在张量上调用每个层，所以一个模型可以有多个输入，一个层也可以用两次。比较一下两者的代码，再把模型在编辑器中打开。</translation>
    </message>
</context>
<context>
    <name>ShapeRow</name>
    <message>
        <source>e.g. 2, 3</source>
        <translation>例如 2, 3</translation>
    </message>
    <message>
        <source>Remove this tensor</source>
        <translation>移除这个张量</translation>
    </message>
</context>
<context>
    <name>StackUnstackPage</name>
    <message>
        <source>Add a tensor</source>
        <translation>添加一个张量</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Tensors to stack (shapes)</source>
        <translation>要堆叠的张量（形状）</translation>
    </message>
    <message>
        <source>axis:</source>
        <translation>axis：</translation>
    </message>
    <message>
        <source>tf.stack gives shape:</source>
        <translation>tf.stack 得到的形状：</translation>
    </message>
    <message>
        <source>tf.unstack gives back:</source>
        <translation>tf.unstack 还原得到：</translation>
    </message>
    <message>
        <source>Inputs (each colour is one tensor):</source>
        <translation>输入（每种颜色是一个张量）：</translation>
    </message>
    <message>
        <source>Stacked (the new axis in bold):</source>
        <translation>堆叠结果（新的轴用粗体表示）：</translation>
    </message>
    <message>
        <source>Dimension %1 is the new axis: one entry per input tensor.</source>
        <translation>第 %1 维是新的轴：每个输入张量占一项。</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) of shape %1</source>
        <translation>
            <numerusform>%n 个形状为 %1 的张量</numerusform>
        </translation>
    </message>
    <message>
        <source>Unstacking along the same axis gives the inputs back: tf.unstack(tf.stack(ts, axis), axis) == ts.</source>
        <translation>沿同一个轴做 unstack 就能还原输入：tf.unstack(tf.stack(ts, axis), axis) == ts。</translation>
    </message>
</context>
<context>
    <name>StackView</name>
    <message>
        <source>%1 units</source>
        <extracomment>The drag-and-drop type of a card being moved within the stack (its index, as text). Vertical space between two cards (the drop line is drawn in its middle).</extracomment>
        <translation>%1 个单元</translation>
    </message>
    <message>
        <source>%1 filters</source>
        <translation>%1 个卷积核</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>pool</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>A stack has exactly one input, at the top: select it to change its shape. Use the graph view for a model with several inputs.</source>
        <translation>堆叠只有一个输入，在最上面：选中它可以修改形状。有多个输入的模型请使用图视图。</translation>
    </message>
    <message>
        <source>Total params: %1</source>
        <translation>参数总数：%1</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>%1 params</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>The inspector says why and what to do.</source>
        <translation>右侧的属性面板中写明了原因和解决办法。</translation>
    </message>
    <message>
        <source>Waiting for the layer above to be fixed.</source>
        <translation>等待上面的层修好。</translation>
    </message>
    <message>
        <source>Drop a layer here to add it at the end.</source>
        <translation>把层拖到这里，就会加到最后。</translation>
    </message>
    <message>
        <source>Drag layers here from the palette, or double-click one to add it.</source>
        <translation>从层面板把层拖到这里，或者双击一个层来添加。</translation>
    </message>
    <message>
        <source>This model is not a simple stack of layers</source>
        <translation>这个模型不是简单的一叠层</translation>
    </message>
    <message>
        <source>Show the graph view</source>
        <translation>显示图视图</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Hint:</source>
        <translation>提示：</translation>
    </message>
</context>
<context>
    <name>SummaryScalarPage</name>
    <message>
        <source>Write</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>Write a new run of event files, then read it back</source>
        <translation>写入一次新运行的事件文件，再把它读回来</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标记 (tag)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Run</source>
        <extracomment>The tags the lab writes, with the colour of their curve.</extracomment>
        <translation>运行</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Random seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>Values read back</source>
        <translation>读回的值</translation>
    </message>
    <message>
        <source>Records of the event file</source>
        <translation>事件文件中的记录</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>The training panel writes its runs as the same kind of event files (one folder per run, with train and validation inside) and reads them back the same way. To see these curves in TensorBoard, run this command in a terminal:</source>
        <translation>训练面板也把每次运行写成同样的事件文件（每次运行一个文件夹，里面有 train 和 validation），并用同样的方式读回。要在 TensorBoard 中查看这些曲线，请在终端中运行下面的命令：</translation>
    </message>
    <message>
        <source>Run folder: %1
Event file(s):
%2</source>
        <translation>运行文件夹：%1
事件文件：
%2</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>The project&apos;s training settings were reset: %1</source>
        <translation>项目的训练设置已重置：%1</translation>
    </message>
    <message>
        <source># loss: automatic, to suit the model&apos;s output</source>
        <translation># loss：自动选择，与模型的输出相配</translation>
    </message>
    <message>
        <source>See every run in TensorBoard: where TensorBoard is installed (pip install tensorboard), run this command in a terminal, then open http://localhost:6006 in a browser:</source>
        <translation>在 TensorBoard 中查看所有训练：在装有 TensorBoard 的环境中（pip install tensorboard），在终端里运行下面这条命令，然后在浏览器中打开 http://localhost:6006：</translation>
    </message>
    <message>
        <source>Folder for Training Logs</source>
        <translation>训练日志文件夹</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Data</source>
        <extracomment>The labels of the form rows, named in _retranslate.</extracomment>
        <translation>数据</translation>
    </message>
    <message>
        <source>SGD (with momentum)</source>
        <translation>SGD（带动量）</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation>Adagrad</translation>
    </message>
    <message>
        <source>How big a step the optimizer takes down the gradient</source>
        <translation>优化器沿梯度下降时每一步迈多大</translation>
    </message>
    <message>
        <source>SGD only: how much of the previous step is kept</source>
        <translation>仅用于 SGD：保留多少上一步的更新</translation>
    </message>
    <message>
        <source>automatic (from the model and the data)</source>
        <translation>自动（根据模型和数据）</translation>
    </message>
    <message>
        <source>Outputs:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>Compile</source>
        <translation>编译 (compile)</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Momentum:</source>
        <translation>动量：</translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation>损失：</translation>
    </message>
    <message>
        <source>Metrics:</source>
        <translation>评估指标：</translation>
    </message>
    <message>
        <source>How many times the training goes through all the training data</source>
        <translation>训练把全部训练数据过几遍</translation>
    </message>
    <message>
        <source>How many samples each training step uses</source>
        <translation>每个训练步使用多少个样本</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>训练 (fit)</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮次：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批次大小：</translation>
    </message>
    <message>
        <source>Change...</source>
        <translation>更改...</translation>
    </message>
    <message>
        <source>Choose the folder where training logs (tf.summary files) are written</source>
        <translation>选择写入训练日志（tf.summary 文件）的文件夹</translation>
    </message>
    <message>
        <source>Training logs</source>
        <translation>训练日志</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Build the model from the editor and train it</source>
        <translation>用编辑器里的模型搭建并训练它</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current steps; Start goes on from there</source>
        <translation>当前这几步完成后停止；再按“开始”会从这里继续</translation>
    </message>
    <message>
        <source>Reset weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <source>Go back to the weights the model started with</source>
        <translation>回到模型最初的权重</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Measure the loss and metrics on the test data</source>
        <translation>在测试数据上计算损失和评估指标</translation>
    </message>
    <message>
        <source>Save model...</source>
        <translation>保存模型……</translation>
    </message>
    <message>
        <source>Save the trained model (architecture and weights) as a .keras file</source>
        <translation>把训练好的模型（结构和权重）保存为 .keras 文件</translation>
    </message>
    <message>
        <source>Tick a run to lay its curves over the current ones</source>
        <translation>勾选一次运行，把它的曲线叠加到当前曲线上</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Ticked runs are drawn in their colour: dotted for training, dash-dotted for validation.</source>
        <translation>勾选的运行用各自的颜色绘制：点线是训练，点划线是验证。</translation>
    </message>
    <message>
        <source>Past runs</source>
        <translation>以往的运行</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation>决策边界</translation>
    </message>
    <message>
        <source>Data pipeline</source>
        <translation>数据管道</translation>
    </message>
    <message>
        <source>Training loop</source>
        <translation>训练循环</translation>
    </message>
    <message>
        <source>What it learned</source>
        <translation>学到了什么</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>试一试</translation>
    </message>
    <message>
        <source>Inside the model</source>
        <translation>模型内部</translation>
    </message>
    <message>
        <source>Change training settings</source>
        <translation>更改训练设置</translation>
    </message>
    <message>
        <source># automatic losses and metrics: chosen to suit each output&apos;s labels</source>
        <translation># 自动选择的损失函数和评估指标：根据每个输出的标签选择</translation>
    </message>
    <message>
        <source># The loss is chosen to suit the model&apos;s output when training starts;
# the loop appears here then.</source>
        <translation># 损失函数会在开始训练时根据模型的输出选择；
# 到时循环代码会显示在这里。</translation>
    </message>
    <message>
        <source># x_train, y_train: dicts of arrays, by input and by output name</source>
        <translation># x_train、y_train：数组字典，分别以输入名称和输出名称为键</translation>
    </message>
    <message>
        <source># The same training with compile, fit and evaluate:</source>
        <translation># 用 compile、fit 和 evaluate 完成同样的训练：</translation>
    </message>
    <message>
        <source>The trained weights kept in the project are loaded (%1 epochs): try the model, evaluate it, or train on from them.</source>
        <translation>已加载项目中保存的训练好的权重（%1 个轮次）：可以试用模型、评估它，或在此基础上继续训练。</translation>
    </message>
    <message>
        <source>The model was changed in the editor: this run goes on training the model as it was when it started. Stop, then Start, to train the changed model.</source>
        <translation>编辑器中的模型已被修改：这次训练会继续训练开始时的模型。先停止，再点“开始”，即可训练修改后的模型。</translation>
    </message>
    <message>
        <source>The model was changed in the editor: the results shown are those of the model before the change. Start trains the changed model afresh.</source>
        <translation>编辑器中的模型已被修改：这里显示的是修改前那个模型的结果。点“开始”会从头训练修改后的模型。</translation>
    </message>
    <message>
        <source>Choose the data to train on first.</source>
        <translation>请先选择用来训练的数据。</translation>
    </message>
    <message>
        <source>Building the model from the editor&apos;s graph...</source>
        <translation>正在根据编辑器中的图搭建模型...</translation>
    </message>
    <message>
        <source>TensorFlow is still loading; training starts when it is ready.</source>
        <translation>TensorFlow 还在加载，加载好后就开始训练。</translation>
    </message>
    <message>
        <source>Stopping...</source>
        <translation>正在停止...</translation>
    </message>
    <message>
        <source>The weights are back to their initial values.</source>
        <translation>权重已恢复为初始值。</translation>
    </message>
    <message>
        <source>Save Trained Model</source>
        <translation>保存训练好的模型</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
        <source>Saved the trained model to %1. Open it with File &gt; Import Keras Model, or in Python with tf.keras.models.load_model.</source>
        <translation>已把训练好的模型保存到 %1。可以用“文件 &gt; 导入 Keras 模型”打开它，或在 Python 中用 tf.keras.models.load_model 加载。</translation>
    </message>
    <message>
        <source>Training cannot start: the data could not be loaded (the reason is written under the data settings).</source>
        <translation>无法开始训练：数据无法加载（原因写在数据设置下方）。</translation>
    </message>
    <message>
        <source>Training cannot start. %1</source>
        <translation>无法开始训练。%1</translation>
    </message>
    <message>
        <source>Paused. Resume to go on, or Stop.</source>
        <translation>已暂停。按“继续”接着训练，或者按“停止”。</translation>
    </message>
    <message>
        <source>Training on %1 devices at once: each takes its share of every batch.</source>
        <translation>正在 %1 个设备上同时训练：每个设备处理每个批次的一部分。</translation>
    </message>
    <message>
        <source>Finished in %1.</source>
        <translation>用时 %1，已完成。</translation>
    </message>
    <message>
        <source>Stopped at epoch %1, step %2. Start goes on from these weights; Reset weights starts over.</source>
        <translation>已在第 %1 轮第 %2 步停止。按“开始”从当前权重继续；按“重置权重”重新开始。</translation>
    </message>
    <message>
        <source>model.evaluate(x_test, y_test)  →  %1   (%2 test samples)</source>
        <translation>model.evaluate(x_test, y_test)  →  %1   （%2 个测试样本）</translation>
    </message>
    <message>
        <source>Epoch %1/%2, step %3/%4</source>
        <translation>第 %1/%2 轮，第 %3/%4 步</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
</context>
<context>
    <name>TryView</name>
    <message>
        <source>Drawing works for a classifier of square grey pictures, such as the MNIST digits (input (28, 28), (28, 28, 1) or (784,)).</source>
        <extracomment>Side of the canvas in screen pixels (ten times MNIST&apos;s 28). Pen width on the canvas: MNIST&apos;s strokes are 2 to 3 pixels wide at 28 x 28. Quiet time after a stroke moves before the model is asked again, in milliseconds.</extracomment>
        <translation>手绘只适用于正方形灰度图片的分类模型，例如 MNIST 数字（输入为 (28, 28)、(28, 28, 1) 或 (784,)）。</translation>
    </message>
    <message>
        <source>Train the model first, then draw a digit: white ink on black, as MNIST&apos;s digits are.</source>
        <translation>请先训练模型，然后画一个数字：黑底白字，和 MNIST 的数字一样。</translation>
    </message>
    <message>
        <source>Draw a digit with the mouse. It is prepared as MNIST&apos;s digits were (fitted in a %2 x %2 box, centred by its mass in %1 x %1) and the model gives the probability of each class.</source>
        <translation>用鼠标画一个数字。它会按 MNIST 数字的方式预处理（缩放到 %2 x %2 的方框内，并按质心放在 %1 x %1 的中央），模型给出每个类别的概率。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>What the model gets:</source>
        <translation>模型得到的输入：</translation>
    </message>
</context>
<context>
    <name>_ExampleColumn</name>
    <message>
        <source>A stack: one input, one layer after another</source>
        <extracomment>The code styles compared, one tab each.</extracomment>
        <translation>堆叠：一个输入，层一个接一个</translation>
    </message>
    <message>
        <source>Two inputs and one shared layer</source>
        <translation>两个输入和一个共享的层</translation>
    </message>
    <message>
        <source>Open in the editor</source>
        <translation>在编辑器中打开</translation>
    </message>
    <message>
        <source>Functional API</source>
        <translation>函数式 API</translation>
    </message>
    <message>
        <source>Sequential can build it.</source>
        <translation>Sequential 可以构建它。</translation>
    </message>
    <message>
        <source>There is one input, and each layer is used once, right after the one before it. The Functional API can build it too.</source>
        <translation>只有一个输入，每个层只用一次，而且紧跟在前一个层之后。函数式 API 也能构建它。</translation>
    </message>
    <message>
        <source>Sequential cannot build it.</source>
        <translation>Sequential 不能构建它。</translation>
    </message>
</context>
</TS>
