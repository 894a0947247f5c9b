"""The code the labs show speaks the interface's language in its comments and docstrings,
and only there: the Chinese code runs exactly as the English."""

from __future__ import annotations

import ast
import io
import tokenize

import pytest

from tflab.labs import custom, custom_loop
from tflab.labs.flatten import flatten_code


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _code_only(source: str) -> str:
    """The syntax tree without docstrings (comments are not in it)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[0] = ast.Pass()
    return ast.dump(tree)


def _comments(source: str) -> list[str]:
    return [tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT]


@pytest.mark.parametrize("kind", custom.KINDS)
def test_the_custom_templates_comment_in_chinese_and_run_the_same(kind):
    english, chinese = custom.template(kind, "en"), custom.template(kind, "zh")
    assert english == custom.TEMPLATES[kind] and not _chinese(english)
    assert _code_only(english) == _code_only(chinese)
    assert all(_chinese(comment) for comment in _comments(chinese))
    assert _chinese(ast.get_docstring(ast.parse(chinese).body[-1]) or "")


def test_every_chinese_comment_of_the_labs_belongs_to_a_comment_they_write():
    """A table entry that no longer matches its English text would leave English behind."""
    sources = "".join(custom.TEMPLATES.values()) + custom.check_code("", "metric", (3,), "M") \
        + custom.check_code("", "layer", (3,), "L")
    for english in custom.COMMENTS_ZH:
        assert f"# {english}" in sources, english
    for english in custom.DOCSTRINGS_ZH:
        assert f'"""{english}"""' in sources, english
    program = custom_loop.program(2, 320, comments="en")
    for english in custom_loop.COMMENTS_ZH:
        assert f"# {english}" in program, english


def test_the_check_keeps_the_students_code_as_written():
    student = "# my own note, in English\nx = 1\n"
    shown = custom.shown_check(custom.check_code(student, "loss", (3,), "my_loss"), "zh")
    assert shown.startswith(student)
    assert "# ---- tflab 运行的检查 ----" in shown


def test_the_capstone_program_comments_in_chinese_and_runs_the_same():
    english, chinese = custom_loop.program(2, 320, comments="en"), custom_loop.program(2, 320, comments="zh")
    assert not _chinese(english)
    assert _code_only(english) == _code_only(chinese)
    assert all(_chinese(comment) for comment in _comments(chinese))


def test_the_flatten_code_comments_in_chinese():
    assert _chinese(flatten_code((2, 3, 4), comments="zh"))
    assert not _chinese(flatten_code((2, 3, 4), comments="en"))
    assert _code_only(flatten_code((2, 3, 4), comments="zh")) == _code_only(flatten_code((2, 3, 4), comments="en"))
