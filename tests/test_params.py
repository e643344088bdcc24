import pandas as pd
import pytest

from aigov import params
from aigov.errors import ParameterError


def test_as_of_parses_and_blank_means_no_cutoff():
    assert params.as_of("2015-01-01") == pd.Timestamp("2015-01-01")
    assert params.as_of("") is None and params.as_of(None) is None


@pytest.mark.parametrize("value", ["2025-13-01", "2024-02-30", "01/02/2024", "2024-1-1", "yesterday"])
def test_bad_as_of_names_parameter_and_value(value):
    with pytest.raises(ParameterError, match=rf"parameter as_of: '{value}'"):
        params.as_of(value)


def test_future_as_of_is_rejected():
    with pytest.raises(ParameterError, match="in the future"):
        params.as_of("2999-01-01")


def test_focus_accepts_list_or_comma_string():
    assert params.focus("ken, nga,EUU") == ["KEN", "NGA", "EUU"]
    assert params.focus(["USA"]) == ["USA"]
    assert params.focus("") == params.FOCUS  # the book's focus countries
    assert params.focus("none") == params.focus(" None ") == []


def test_every_chapter_uses_the_books_focus_countries_by_default():
    from aigov.paths import NOTEBOOKS
    for template in NOTEBOOKS.glob("*.md"):
        text = template.read_text(encoding="utf-8")
        if "\nfocus = " in text:
            assert '\nfocus = ""' in text, template.name


def test_unknown_focus_code_is_named():
    with pytest.raises(ParameterError, match=r"parameter focus: XYZ in 'KEN,XYZ'"):
        params.focus("KEN,XYZ")
