"""Lessons: every lesson has a page in both languages that mentions its API, and the
code blocks in the pages are valid Python. The index never imports TensorFlow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tflab import labs
from tflab.messages import TflabError

ROOT = Path(__file__).resolve().parent.parent
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
LESSON_LANGS = [(lesson.id, lang) for lesson in labs.LESSONS for lang in labs.LANGUAGES]


def test_thirteen_lessons_with_unique_ids_and_known_lab_kinds():
    ids = labs.lesson_ids()
    assert len(ids) == 13 and len(set(ids)) == 13
    assert {lesson.lab for lesson in labs.LESSONS} <= set(labs.LAB_KINDS)


@pytest.mark.parametrize("lesson_id, lang", LESSON_LANGS)
def test_page_exists_mentions_its_api_and_its_code_compiles(lesson_id, lang):
    lesson = labs.lesson(lesson_id)
    text = lesson.text(lang)
    assert text.startswith("# ") and len(text) > 300
    missing = [name for name in lesson.api if name not in text]
    assert missing == []
    blocks = CODE_BLOCK.findall(text)
    assert blocks, "every lesson shows code"
    for block in blocks:
        compile(block, f"{lesson.resource(lang)}", "exec")
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", text), "the Chinese page is written in Chinese"


def test_pages_of_both_languages_have_the_same_code_blocks_count():
    for lesson in labs.LESSONS:
        assert len(CODE_BLOCK.findall(lesson.text("en"))) == len(CODE_BLOCK.findall(lesson.text("zh"))), lesson.id


def test_titles_and_summaries_follow_the_language():
    lesson = labs.lesson("flatten")
    assert lesson.title("en") == lesson.title_en and lesson.title("zh") == lesson.title_zh
    assert lesson.summary("zh") == lesson.summary_zh
    assert lesson.resource("zh") == "lessons/zh/flatten.md"


def test_unknown_lesson_is_a_bilingual_error():
    with pytest.raises(TflabError) as info:
        labs.lesson("nope")
    assert "nope" in info.value.en and "nope" in info.value.zh


def test_lab_modules_exist():
    for lesson in labs.LESSONS:
        path = ROOT / (lesson.module.replace(".", "/") + ".py")
        assert path.is_file(), lesson.module


def test_importing_the_labs_does_not_import_tensorflow():
    code = (
        "import sys, importlib, pkgutil, tflab.labs\n"
        "for m in pkgutil.iter_modules(tflab.labs.__path__, 'tflab.labs.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted({k.split('.')[0] for k in sys.modules} & {'tensorflow', 'keras', 'PySide6'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_glossary_has_the_same_terms_in_both_languages():
    english, chinese = labs.glossary_terms("en"), labs.glossary_terms("zh")
    assert len(english) >= 40
    assert [(en, zh) for en, zh, _ in english] == [(en, zh) for en, zh, _ in chinese]
    for _en, _zh, meaning in chinese:
        assert re.search(r"[\u4e00-\u9fff]", meaning), meaning
    terms = {en: zh for en, zh, _ in english}
    assert terms["Dense layer"] == "全连接层" and terms["GradientTape"] == "梯度带"
    assert terms["tag"] == "标记" and terms["label"] == "标签" and terms["source"] == "源"


def test_the_chinese_lessons_use_the_glossary_terms():
    pages = {item.id: item.text("zh") for item in labs.LESSONS}
    everything = "".join(pages.values())
    assert "全连接层" in everything, "the lessons call Dense 全连接层"
    assert "来源" not in pages["gradient_tape"] and "源" in pages["gradient_tape"]
    assert "梯度带" in pages["gradient_tape"] and "磁带" not in everything
    assert "标签" not in pages["summary_scalar"] and "标记" in pages["summary_scalar"]
    used = [zh for _en, zh, _ in labs.glossary_terms("zh") if zh in everything]
    assert len(used) >= 30, "the glossary is the lessons' vocabulary"


def _chinese_interface_texts() -> list[str]:
    """Every Chinese translation of the interface, and the Chinese strings of the engine's
    messages (the ``*_zh=`` and ``tr(en, zh)`` texts)."""
    import html
    import re

    ts = (ROOT / "resources" / "translations" / "tflab_zh_CN.ts").read_text(encoding="utf-8")
    texts = [html.unescape(t) for t in re.findall(r"<translation[^>]*>([^<]*)</translation>", ts)]
    for path in (ROOT / "tflab").rglob("*.py"):
        texts += re.findall(r'"([^"\n]*[\u4e00-\u9fff][^"\n]*)"', path.read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("lesson_pages", [False, True], ids=["interface", "lessons"])
def test_the_interface_and_the_messages_use_the_glossary_terms_too(lesson_pages):
    """The glossary's Chinese terms are the interface's and the engine messages', not only
    the lessons': Dense is 全连接层, a metric 评估指标, GradientTape 梯度带."""
    import re

    texts = [item.text("zh") for item in labs.LESSONS] if lesson_pages else _chinese_interface_texts()
    assert len(texts) > 10
    for text in texts:
        assert "Dense 层" not in text, text
        assert not re.search(r"(?<!评估)指标", text), text
        assert "（tape）" not in text and "磁带" not in text, text
