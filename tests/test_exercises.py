"""Predict, then run: every lesson has exercises; TensorFlow computes each answer; the
right prediction is accepted in both languages, a wrong one explained, bad input refused."""

from __future__ import annotations

import pytest

from tflab import labs
from tflab.labs.exercises import KINDS, Exercise, exercises, parse_shape
from tflab.messages import TflabError

ALL = [exercise for lesson in labs.LESSONS for exercise in exercises(lesson.id)]


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in labs.LESSONS])
def test_every_lesson_has_two_exercises_in_both_languages(lesson_id):
    found = exercises(lesson_id)
    assert len(found) >= 2
    for exercise in found:
        assert exercise.kind in KINDS
        assert exercise.question_en and exercise.question_zh != exercise.question_en
        assert exercise.explain_en and exercise.explain_zh != exercise.explain_en
        if exercise.kind == "choice":
            assert len(exercise.choices_en) == len(exercise.choices_zh) >= 2


def test_exercise_ids_are_unique():
    ids = [exercise.id for exercise in ALL]
    assert len(ids) == len(set(ids))


def _wrong(exercise: Exercise, truth: object, lang: str) -> str:
    if exercise.kind == "shape":
        return exercise.format(tuple((axis or 1) + 1 for axis in truth) or (1,), lang)
    if exercise.kind == "int":
        return str(truth + 1)
    if exercise.kind == "number":
        return str(truth * 2 + 1)
    return exercise.choices(lang)[(truth + 1) % len(exercise.choices(lang))]


@pytest.mark.parametrize("exercise", ALL, ids=[exercise.id for exercise in ALL])
def test_tensorflow_answers_and_the_check_explains(exercise):
    truth = exercise.solve()
    for lang in labs.LANGUAGES:
        right = exercise.check(exercise.format(truth, lang), truth)
        assert right.correct and exercise.format(truth, lang) in right.message(lang)
        wrong = exercise.check(_wrong(exercise, truth, lang), truth)
        assert not wrong.correct
        explanation = exercise.explain_en if lang == "en" else exercise.explain_zh
        assert explanation in wrong.message(lang)


def test_shapes_are_read_as_students_write_them():
    assert parse_shape("(32, 784)") == parse_shape("[32,784]") == parse_shape("32 x 784") == (32, 784)
    assert parse_shape("(None, 10)") == (None, 10)
    assert parse_shape("(5,)") == (5,)
    with pytest.raises(TflabError) as info:
        parse_shape("(thirty-two, 784)")
    assert "(32, 784)" in info.value.en and "(32, 784)" in info.value.zh


def test_bad_predictions_get_a_message_in_both_languages():
    [shape, count] = exercises("flatten")[:2]
    for exercise, text in ((shape, "big"), (count, "many")):
        with pytest.raises(TflabError) as info:
            exercise.check(text, (32, 784) if exercise.kind == "shape" else 78500)
        assert info.value.en and info.value.zh
