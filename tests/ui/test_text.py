"""Translated texts filled with values: Qt's %1, %2... placeholders."""

from ui.core.text import fill


def test_values_fill_their_placeholders_wherever_they_stand():
    assert fill("%2 of %1, %2 again", "ten", "three") == "three of ten, three again"


def test_a_value_that_holds_a_placeholder_is_shown_as_it_is():
    # Replaced one placeholder after the other, "report%2.csv" would take the second value.
    assert fill("Saved %1 in %2.", "report%2.csv", "/tmp") == "Saved report%2.csv in /tmp."


def test_a_placeholder_without_a_value_stays_and_plural_forms_are_left_to_qt():
    assert fill("%1 of %3", "one") == "one of %3"
    assert fill("%n file(s) in %1", "a folder") == "%n file(s) in a folder"
