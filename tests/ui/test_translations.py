"""The Chinese translation: complete, compiled, faithful to the code's placeholders, loaded.

``resources/translations/tflab_zh_CN.ts`` holds the translations and
``tflab_zh_CN.qm`` is what the app loads; ``packaging/translations.sh`` updates both.
These tests re-run the extraction over the code, so a string added without its
translation fails here, with its file, line, context and text.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase, QTextLayout

from tflab import messages
from ui.app import language
from ui.app.fonts import CJK_FONT_FILES, ensure_cjk_font, find_cjk_font_files
from ui.app.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "tflab_zh_CN.ts"
QM = TS.with_suffix(".qm")
UPDATE = "run packaging/translations.sh (make translations), translate, run it again"


@dataclass
class Message:
    """One entry of a .ts file."""

    context: str
    source: str
    comment: str
    translations: list[str]  # one, or the numerus forms
    finished: bool
    where: str  # "file:line" when the file records it

    @property
    def key(self) -> tuple[str, str, str]:
        return self.context, self.source, self.comment

    def describe(self) -> str:
        return f"{self.where} [{self.context}] {self.source!r}"


def read_ts(path: Path) -> dict[tuple[str, str, str], Message]:
    """The messages of a .ts file, by (context, source, disambiguation)."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for element in context.iter("message"):
            translation = element.find("translation")
            forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
            location = element.find("location")
            where = "" if location is None else f"{location.get('filename')}:{location.get('line')}"
            message = Message(name, element.findtext("source"), element.findtext("comment") or "", forms,
                              translation.get("type") is None, where)
            found[message.key] = message
    return found


def tool(name: str) -> str:
    """A Qt tool installed with PySide6, beside this Python."""
    return str(Path(sys.executable).with_name(name))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str, str], Message]:
    """The strings in the code now: the extraction of packaging/translations.sh, into a new .ts."""
    folder = tmp_path_factory.mktemp("extraction")
    sources = folder / "sources.lst"
    sources.write_text("\n".join(str(p) for p in sorted((ROOT / "ui").rglob("*.py"))), encoding="utf-8")
    ts = folder / "extracted.ts"
    subprocess.run([tool("pyside6-lupdate"), f"@{sources}", "-locations", "absolute", "-no-obsolete",
                    "-target-language", "zh_CN", "-ts", str(ts)], check=True, capture_output=True)
    messages = read_ts(ts)
    for message in messages.values():  # shown relative to the project
        message.where = re.sub(r"^.*?(ui/)", r"\1", message.where)
    return messages


@pytest.fixture(scope="module")
def committed() -> dict[tuple[str, str, str], Message]:
    return read_ts(TS)


# ---------------------------------------------------------------------------- complete
def test_every_string_of_the_interface_has_a_chinese_translation(extracted, committed):
    missing = [message.describe() for key, message in extracted.items()
               if key not in committed or not committed[key].finished
               or not all(text.strip() for text in committed[key].translations)]
    assert not missing, f"{len(missing)} string(s) without a Chinese translation ({UPDATE}):\n" + "\n".join(missing)


def test_the_translation_holds_no_string_the_code_no_longer_has(extracted, committed):
    stale = [message.describe() for key, message in committed.items() if key not in extracted]
    assert not stale, f"strings the code no longer has ({UPDATE}):\n" + "\n".join(stale)


def _tr_calls(path: Path) -> list[tuple[str, str, str, int]]:
    """(context at run time, source, disambiguation, line) of the literal tr()/translate() calls in ``path``.

    ``self.tr(...)`` is looked up in the context of the class it is written in."""
    found = []

    def text(node: ast.expr | None) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                name = getattr(child.func, "attr", getattr(child.func, "id", ""))
                args = [text(arg) for arg in child.args[:3]] + [None, None, None]
                if name == "tr" and args[0] is not None:
                    found.append((cls, args[0], args[1] or "", child.lineno))
                elif name == "translate" and args[0] is not None and args[1] is not None:
                    found.append((args[0], args[1], args[2] or "", child.lineno))
            visit(child, cls)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_every_tr_call_in_the_code_is_extracted_in_its_own_context(extracted):
    """The extraction cannot see a tr() inside an f-string, and files ``tr = self.tr; tr("...")``
    under no context: such strings are never translated, whatever the .ts says."""
    unseen = [f"{path.relative_to(ROOT)}:{line} [{context}] {source!r}"
              for path in sorted((ROOT / "ui").rglob("*.py"))
              for context, source, comment, line in _tr_calls(path)
              if (context, source, comment) not in extracted]
    assert not unseen, ("these strings never reach the translation: call self.tr(\"...\") directly, "
                        "outside f-strings:\n" + "\n".join(unseen))


# ---------------------------------------------------------------------------- compiled
def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(fresh)], check=True, capture_output=True)
    assert QM.read_bytes() == fresh.read_bytes(), f"{QM.name} is older than {TS.name}: {UPDATE}"


# ---------------------------------------------------------------------------- faithful
PLACEHOLDER = re.compile(r"%(?:\d|n)")
ACCELERATOR = re.compile(r"&(?!&|\s|#?\w+;)(\w)")  # "&F", not "&&" or "&nbsp;"
TAG = re.compile(r"</?([a-zA-Z]\w*)[^>]*>")


def _mismatches(message: Message) -> list[str]:
    problems = []
    for translation in message.translations:
        if Counter(PLACEHOLDER.findall(translation)) != Counter(PLACEHOLDER.findall(message.source)):
            problems.append(f"placeholders differ: {translation!r}")
        keys = [key.upper() for key in ACCELERATOR.findall(translation)]
        if keys != [key.upper() for key in ACCELERATOR.findall(message.source)]:
            problems.append(f"accelerator differs: {translation!r}")
        if Counter(TAG.findall(translation)) != Counter(TAG.findall(message.source)):
            problems.append(f"markup differs: {translation!r}")
    return problems


def test_translations_keep_placeholders_accelerators_and_markup(committed):
    problems = [f"[{m.context}] {m.source!r}: {problem}" for m in committed.values() for problem in _mismatches(m)]
    assert not problems, "\n".join(problems)


def test_plural_strings_have_their_chinese_form(committed):
    plurals = [m for m in committed.values() if "%n" in m.source]
    assert plurals
    for message in plurals:
        assert len(message.translations) == 1 and "%n" in message.translations[0], message.describe()


def test_a_chinese_accelerator_follows_the_text_in_brackets(committed):
    """Chinese menus show "文件(&F)": the letter of the English accelerator, after the word."""
    for message in committed.values():
        if ACCELERATOR.search(message.source):
            assert re.search(r"\(&\w\)(\.\.\.|…)?$", message.translations[0]), message.describe()


# ---------------------------------------------------------------------------- loaded
@pytest.fixture
def chinese(qapp):
    """The interface in Chinese, as View > Language > 中文 sets it; English again afterwards."""
    assert language.apply_choice(qapp, language.CHINESE)
    yield
    language.apply_choice(qapp, language.ENGLISH)


def test_the_window_is_in_chinese_once_the_translation_is_loaded(qtbot, chinese):
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
        assert window.tabs.tabText(0) == "编辑器"
        assert window.action_save.text() == "保存(&S)"
        assert messages.language() == "zh"  # the engine's messages follow
        assert QCoreApplication.translate("QPlatformTheme", "Save") == "保存"  # Qt's own buttons
    finally:
        window.shutdown()


def test_english_has_no_translation_loaded(qtbot, qapp, chinese):
    assert not language.apply_choice(qapp, language.ENGLISH)
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.menuBar().actions()[0].text() == "&File"
        assert messages.language() == "en"
    finally:
        window.shutdown()


# ---------------------------------------------------------------------------- drawn
def _glyphs_cover(font, text: str) -> bool:
    """Whether every character of ``text`` is drawn from a font that has it (no empty boxes)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    return bool(runs) and all(run.rawFont().supportsCharacter(ord(character))
                              for run in runs for character in text)


def test_chinese_text_is_drawn_with_a_font_that_has_its_characters(qtbot, chinese):
    assert ensure_cjk_font()
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert _glyphs_cover(window.menuBar().font(), "文件编辑视图帮助")
        assert _glyphs_cover(window.font(), "模型训练损失优化器")
    finally:
        window.shutdown()


def test_a_cjk_font_file_on_the_system_can_be_registered(tmp_path):
    """What ensure_cjk_font falls back to where Qt finds no Chinese font by itself."""
    system = find_cjk_font_files()
    assert system, f"no CJK font found (install fonts-noto-cjk: make system-deps); looked for {CJK_FONT_FILES}"
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / system[0].name).symlink_to(system[0])
    assert find_cjk_font_files([tmp_path / "fonts", tmp_path / "absent"]) == [tmp_path / "fonts" / system[0].name]
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(system[0])))
    assert any(QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
               for family in families)
