"""One figure style for the book (palette, fonts, the page's widths) and Markdown tables whose
cells read as literal text. Figures reach the page through :mod:`aigov.report`."""
import os
from pathlib import Path

import matplotlib
import pandas as pd
import seaborn as sns

from . import text

matplotlib.use("Agg")

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Two more from Paul Tol's muted scheme, for charts with up to ten categories.
EXTRA = ["#882255", "#999933"]
FOCUS = "#D55E00"
MUTED = "#bdbdbd"
FIGURES_ENV = "AIGOV_FIGURES_DIR"
# Figure widths in inches at 100 dpi, i.e. in hundreds of CSS pixels: the page's text column
# (672 px) and a full-width figure (class ``full-width``, for the few that need it).
COLUMN = 6.72
FULL_WIDTH = 9.6


def apply_theme() -> None:
    """Seaborn theme with opaque white backgrounds (readable in dark mode) and fixed fonts."""
    sns.set_theme(context="paper", style="whitegrid", palette=PALETTE, font="DejaVu Sans", rc={
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.title_fontsize": 9,
        "figure.figsize": (COLUMN, 4.0),
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.transparent": False,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "svg.hashsalt": "aigov",
        "axes.spines.top": False,
        "axes.spines.right": False,
    })


def categorical(n: int) -> list[str]:
    """``n`` distinguishable colour-blind-safe colours (at most ten; pair with marker styles)."""
    colours = PALETTE + EXTRA
    if n > len(colours):
        raise ValueError(f"{n} categories: at most {len(colours)} colours; group the rest as 'Other'")
    return colours[:n]


def figures_dir() -> Path:
    """Where figures are written: ``$AIGOV_FIGURES_DIR``, else ./figures."""
    path = Path(os.environ.get(FIGURES_ENV, "figures")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def markdown_table(df: pd.DataFrame, links: dict[str, str] | None = None, index: bool = False,
                   raw: bool = False) -> str:
    """A Markdown table of ``df`` whose every cell reads as literal text. ``links`` maps a
    column of URLs to the label its links show, e.g. ``{"source_url": "source"}``. With ``raw``
    the cells are Markdown the caller has escaped already (e.g. with :func:`text.link`)."""
    links = links or {}
    if index:
        df = df.reset_index()
    cells = df.copy().astype(object)
    for col in cells.columns:
        if raw:
            cells[col] = cells[col].map(lambda v: " ".join(str(v).split()))
        elif col in links:
            cells[col] = cells[col].map(lambda u: text.link(links[col], u) if isinstance(u, str) and u else "")
        else:
            cells[col] = cells[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                                        else text.escape(v))
    cells.columns = [text.escape(c) for c in cells.columns]
    return cells.to_markdown(index=False, disable_numparse=True)


def md_table(df: pd.DataFrame, caption: str, name: str | None, links: dict[str, str] | None = None,
             raw: bool = False) -> str:
    """A numbered MyST table (``:name: tbl-<name>``; no label if ``name`` is None) with a caption,
    from a small frame."""
    label = [f":name: tbl-{name}"] if name else []
    return "\n".join([f":::{{table}} {text.escape(caption)}", *label, "",
                      markdown_table(df, links, raw=raw), ":::", ""])
