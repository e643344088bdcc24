"""Figure and table helpers: what a chapter publishes."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aigov import style


def test_md_table_is_a_numbered_myst_table():
    out = style.md_table(pd.DataFrame({"a": ["x|y"], "b": [1]}), "A  caption.", "capacity-x")
    assert out.startswith(":::{table} A caption\\.\n:name: tbl-capacity-x\n")
    assert "x\\|y" in out
    assert out.rstrip().endswith(":::")


def test_saved_png_is_byte_identical_for_equal_input(tmp_path):
    def draw(path):
        style.apply_theme()
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        style.save(fig, path)
        plt.close(fig)
        return path.read_bytes()
    assert draw(tmp_path / "one.png") == draw(tmp_path / "two.png")


def test_categorical_refuses_more_colours_than_it_has():
    assert len(style.categorical(10)) == 10
    with pytest.raises(ValueError, match="at most 10"):
        style.categorical(11)
