"""The glue layer: facts glued by type, figures that must fit the page, notices."""
import matplotlib.pyplot as plt
import pytest

from aigov import report, style


@pytest.fixture(autouse=True)
def theme():
    style.apply_theme()
    yield
    plt.close("all")


def test_a_figure_wider_than_the_column_is_refused():
    fig, _ = plt.subplots(figsize=(style.COLUMN + 1, 3))
    with pytest.raises(ValueError, match=r"figure wide: 7.72 in wide; the page shows at most 6.72 in"):
        report.check_figure(fig, "wide")
    report.check_figure(fig, "wide", full_width=True)


def test_text_too_small_to_read_is_refused_but_hidden_axes_are_ignored():
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3))
    ax.set_xlabel("Year")
    ax.set_axis_off()
    ax.xaxis.label.set_fontsize(6)
    report.check_figure(fig, "map")  # the axis is off: its label is not drawn
    ax.text(0.5, 0.5, "tiny", fontsize=7)
    with pytest.raises(ValueError, match="figure map: text at 7 pt"):
        report.check_figure(fig, "map")


def test_a_figure_is_shown_at_the_size_it_is_drawn(tmp_path, monkeypatch):
    monkeypatch.setenv(style.FIGURES_ENV, str(tmp_path))
    glued = {}
    monkeypatch.setattr(report, "glue", lambda name, obj, display: glued.setdefault(name, obj))
    fig, ax = plt.subplots(figsize=(5, 2))
    ax.plot([0, 1], [0, 1])
    import pandas as pd
    report.figure("demo", fig, pd.DataFrame({"x": [1]}))
    image = glued["demo"]
    assert image.width <= 500 and image.width > 400  # 5 in at 100 px per inch, cropped to the drawing
    assert (tmp_path / "demo.csv").read_text() == "x\n1\n"


def test_facts_are_glued_as_numbers_or_escaped_text(monkeypatch):
    glued = {}
    monkeypatch.setattr(report, "glue", lambda name, obj, display: glued.setdefault(name, obj))
    import numpy as np
    report.glue_facts({"n": np.int64(3), "share": np.float64(0.5), "name": "*Côte* <d'Ivoire>", "flag": True})
    assert glued["n"] == 3 and type(glued["n"]) is int
    assert glued["share"] == 0.5 and type(glued["share"]) is float
    assert glued["name"].data == r"\*Côte\* \<d\'Ivoire\>"
    assert glued["flag"].data == "True"


def test_a_notice_is_an_admonition_or_nothing(monkeypatch):
    glued = {}
    monkeypatch.setattr(report, "glue", lambda name, obj, display: glued.setdefault(name, obj))
    report.notice("empty", None)
    report.notice("early", "No event <yet>.")
    assert glued["empty"].data == ""
    assert glued["early"].data == ":::{note}\nNo event \\<yet\\>\\.\n:::\n"


def test_a_fact_that_names_a_file_is_glued_as_text(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()  # IPython's Markdown("data") would try to read this folder
    (tmp_path / "notes").write_text("the file's text")
    monkeypatch.chdir(tmp_path)
    assert report._markdown("data")._repr_markdown_() == "data"
    assert report._markdown("notes")._repr_markdown_() == "notes"
    report.glue_facts({"category": "data", "word": "notes"})
