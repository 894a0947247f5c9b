"""Every code block of every lesson runs, in both languages, and prints what the page
says it prints: a lesson's statements about its code are checked by running it."""

from __future__ import annotations

import pytest

from tflab import labs
from tflab.labs.lesson_code import Block, blocks, display_markdown, run_page

LESSON_LANGS = [(lesson.id, lang) for lesson in labs.LESSONS for lang in labs.LANGUAGES]


@pytest.mark.parametrize("lesson_id, lang", LESSON_LANGS)
def test_every_block_runs_and_prints_what_the_page_says(lesson_id, lang, tmp_path, monkeypatch):
    import keras

    monkeypatch.chdir(tmp_path)
    lesson = labs.lesson(lesson_id)
    keras.backend.clear_session()  # as in a new Python process: layer names start again
    try:
        outcomes = run_page(lesson.text(lang), lesson.resource(lang))
    finally:
        keras.backend.clear_session()
    assert len(outcomes) == len(blocks(lesson.text(lang)))
    for outcome in outcomes:
        where = f"{lesson.resource(lang)}:{outcome.block.line}"
        assert outcome.error == "", f"{where} raised {outcome.error}"
        if outcome.block.output is None:
            assert outcome.printed.strip() == "", (
                f"{where} prints something the page does not show: add a ```text block\n{outcome.printed}")
        else:
            assert outcome.ok, f"{where} printed\n{outcome.printed}\nbut the page says\n{outcome.block.output}"


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in labs.LESSONS])
def test_both_languages_run_the_same_code(lesson_id):
    """Comments may be translated; the statements and stated outputs are the same."""
    lesson = labs.lesson(lesson_id)

    def stripped(block: Block) -> tuple[str, str | None]:
        lines = [line.split("#", 1)[0].rstrip() if not line.lstrip().startswith(("'", '"')) else line.rstrip()
                 for line in block.code.splitlines()]
        return "\n".join(line for line in lines if line), block.output

    assert [stripped(b) for b in blocks(lesson.text("en"))] == [stripped(b) for b in blocks(lesson.text("zh"))]


def test_outputs_match_with_ellipsis_and_white_space():
    page = "x\n\n```python\nprint('a   b', 3.14159)\n```\n\n```text\na b 3.14...\n```\n"
    [block] = blocks(page)
    assert block.matches("a b 3.14159\n") and not block.matches("a b 2.7\n")
    [outcome] = run_page(page)
    assert outcome.ok and outcome.printed == "a   b 3.14159\n"


def test_setup_comments_run_but_are_not_shown():
    page = "# T\n\n<!-- setup\nmodel = [1, 2]\n-->\n\n```python\nprint(len(model))\n```\n\n```text\n2\n```\n"
    found = blocks(page)
    assert [b.shown for b in found] == [False, True]
    assert [o.ok for o in run_page(page)] == [True, True]
    assert "setup" not in display_markdown(page) and "print(len(model))" in display_markdown(page)
    assert display_markdown(page, "Output:").count("*Output:*\n\n```text") == 1


def test_a_wrong_statement_is_caught():
    page = "```python\nprint(2 + 2)\n```\n\n```text\n5\n```\n"
    [outcome] = run_page(page)
    assert not outcome.ok and outcome.printed == "4\n"
    [outcome] = run_page("```python\n1 / 0\n```\n")
    assert outcome.error.startswith("ZeroDivisionError")


def test_a_check_comment_proves_a_sentence_and_fails_when_it_is_wrong():
    true = "Dense(100) after 784 inputs has 78,500 parameters.\n\n<!-- check\nassert 784 * 100 + 100 == 78_500\n-->\n"
    wrong = true.replace("78_500", "78_400")
    assert [o.ok for o in run_page(true)] == [True]
    [outcome] = run_page(wrong)
    assert not outcome.ok and outcome.error.startswith("AssertionError")
    assert "check" not in display_markdown(true) and "78,500 parameters" in display_markdown(true)
