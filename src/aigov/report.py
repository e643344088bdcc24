"""What a chapter notebook hands to its Markdown: facts, figures, tables and notices, glued.

The prose reads them with MyST roles and directives:

- numbers (glued raw): ``{glue:text}`n_members:,.0f``` (the format lives in the prose);
- words, names and lists (glued as escaped Markdown): ``{glue:md}`widest_forum```;
- figures: a ``{glue:figure}`` directive whose caption is Markdown (:func:`figure`);
- tables and section notices: a ``{glue:md}`` directive with ``:format: myst``.
"""
import io
import numbers
from pathlib import Path

import matplotlib.pyplot as plt
import PIL.Image
import pandas as pd
from IPython.display import Image, Markdown
from matplotlib.text import Text
from myst_nb import glue

from . import downloads, interactive, style, text
from .paths import CURATED

MIN_FONT_PT = 8  # at the size the page shows a figure, 8 pt is 11 px


def _markdown(body: str) -> Markdown:
    """IPython's Markdown holding ``body`` as text. (``Markdown(body)`` reads a file when ``body``
    names one: a fact whose value is the word "data" would open the folder ./data.)"""
    out = Markdown(None)
    out.data = body
    return out


def glue_facts(facts: dict) -> dict:
    """Glue every fact: numbers raw (for ``{glue:text}`` with a format), anything else as
    escaped Markdown text (for ``{glue:md}``). Returns ``facts`` for use in the notebook."""
    for key, value in facts.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            glue(key, _markdown(text.escape(value)), display=False)
        elif isinstance(value, numbers.Integral):
            glue(key, int(value), display=False)
        else:
            glue(key, float(value), display=False)
    return facts


def check_figure(fig: plt.Figure, name: str, full_width: bool = False) -> None:
    """A figure must be drawn at the size the page shows it, with text readable at that size."""
    width = fig.get_size_inches()[0]
    limit = style.FULL_WIDTH if full_width else style.COLUMN
    if width > limit + 1e-6:
        raise ValueError(f"figure {name}: {width:.2f} in wide; the page shows at most {limit} in")
    hidden = {t for ax in fig.axes if not ax.axison for axis in (ax.xaxis, ax.yaxis) for t in axis.findobj(Text)}
    small = sorted({t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip() and t not in hidden
                    and t.get_visible() and t.get_fontsize() < MIN_FONT_PT})
    if small:
        raise ValueError(f"figure {name}: text at {small[0]:g} pt; at least {MIN_FONT_PT} pt is readable")


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure as PNG at twice the page's resolution, with no software or date metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=2 * fig.dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def figure(name: str, fig: plt.Figure, data: pd.DataFrame, full_width: bool = False, *,
           columns: dict[str, str] | None = None) -> None:
    """Glue ``fig`` under ``name`` (shown at its drawn size, at most the page's width) and write the data behind it to
    ``figures/<name>.csv`` for the caption's download link, with its metadata beside it
    (``columns`` gives a column's meaning where this figure's differs from the glossary's)."""
    image(name, fig, full_width)
    figure_data(name, data, columns)


def image(name: str, fig: plt.Figure, full_width: bool = False) -> None:
    """Glue ``fig`` under ``name`` as :func:`figure` does, without writing the data behind it."""
    check_figure(fig, name, full_width)
    png = png_bytes(fig)
    plt.close(fig)
    pixels = PIL.Image.open(io.BytesIO(png)).size[0]
    shown = min(pixels // 2, round(100 * (style.FULL_WIDTH if full_width else style.COLUMN)))
    glue(name, Image(data=png, format="png", width=shown), display=False)


def map_figure(name: str, fig: plt.Figure, labels: dict[str, str], data: pd.DataFrame, default: str = "none recorded",
               full_width: bool = False) -> None:
    """Like :func:`figure`, for a world map on the figure's first axes: glued with an HTML
    representation (the PNG under a layer whose hover names each country and its label from
    ``labels``, ``default`` for the others) for the web page, and the PNG for the PDF."""
    check_figure(fig, name, full_width)
    png = png_bytes(fig)
    size = PIL.Image.open(io.BytesIO(png)).size
    layer = interactive.overlay(fig, fig.axes[0], size, labels, default)
    plt.close(fig)
    shown = min(size[0] // 2, round(100 * (style.FULL_WIDTH if full_width else style.COLUMN)))
    alt = interactive.alt_text(labels)
    glue(name, interactive.Bundle(interactive.hover_map(png, shown, layer, alt), png, shown, alt), display=False)
    figure_data(name, data)


def figure_data(name: str, data: pd.DataFrame, columns: dict[str, str] | None = None) -> None:
    """Write the data behind figure ``name`` to ``figures/<name>.csv`` with its metadata beside it
    (``<name>.metadata.json``; ``columns``: a column's meaning where it differs from the glossary's)."""
    csv = style.figures_dir() / f"{name}.csv"
    data.to_csv(csv, index=False, lineterminator="\n")
    downloads.record(csv, data, columns, CURATED)


def table(name: str, df: pd.DataFrame, caption: str, links: dict[str, str] | None = None, label: bool = True) -> None:
    """Glue a numbered table (labelled ``tbl-<name>``, unless not ``label``: a page of which the
    book has many) for a ``{glue:md}`` directive with ``:format: myst``."""
    glue(name, _markdown(style.md_table(df, caption, name if label else None, links)), display=False)


def markdown(name: str, body: str) -> None:
    """Glue Markdown the package wrote (links to files, escaped curation notes) for a
    ``{glue:md}`` directive with ``:format: myst``."""
    glue(name, _markdown(body), display=False)


def notice(name: str, message: str | None) -> None:
    """Glue a note for the top of a section that a parameter can empty (an early ``as_of``, a
    region without members); ``None`` glues nothing visible."""
    body = "" if not message else f":::{{note}}\n{text.escape(message)}\n:::\n"
    glue(name, _markdown(body), display=False)


def download(path: Path, name: str) -> None:
    """Copy a file next to the figures (for a ``{download}`` link in the prose)."""
    (style.figures_dir() / name).write_bytes(Path(path).read_bytes())
