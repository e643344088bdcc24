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


def test_publish_writes_png_and_csv_and_a_captioned_figure(tmp_path, monkeypatch):
    monkeypatch.setenv(style.FIGURES_ENV, str(tmp_path / "figures"))
    monkeypatch.chdir(tmp_path)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    md = style.publish(fig, "demo", pd.DataFrame({"x": [1, 2]}), caption="A  line.", alt="It rises.").data
    assert (tmp_path / "figures" / "demo.png").stat().st_size > 1000
    assert (tmp_path / "figures" / "demo.csv").read_text() == "x\n1\n2\n"
    assert md.startswith("```{figure} figures/demo.png\n:name: fig-demo\n:alt: It rises.\n")
    assert "A line\\. Data: {download}`demo.csv <figures/demo.csv>`." in md


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
