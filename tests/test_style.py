"""Figure and table helpers: what a chapter publishes."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aigov import report, style


def test_md_table_is_a_numbered_myst_table():
    out = style.md_table(pd.DataFrame({"a": ["x|y"], "b": [1]}), "A  caption.", "capacity-x")
    assert out.startswith(":::{table} A caption\\.\n:name: tbl-capacity-x\n")
    assert "x\\|y" in out
    assert out.rstrip().endswith(":::")


def test_a_figure_gives_the_same_png_bytes_for_equal_input():
    def draw():
        style.apply_theme()
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        png = report.png_bytes(fig)
        plt.close(fig)
        return png
    assert draw() == draw()
    assert b"Software" not in draw()


def test_categorical_refuses_more_colours_than_it_has():
    assert len(style.categorical(10)) == 10
    with pytest.raises(ValueError, match="at most 10"):
        style.categorical(11)
