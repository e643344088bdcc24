"""One figure style for the book, deterministic saving, and captioned figures.

Every published figure is a PNG plus the CSV behind it, shown through a MyST
``figure`` directive with a numbered caption and alt text stating the finding.
"""
import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Markdown

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


def save(fig: plt.Figure, path: Path) -> Path:
    """Save a PNG with no software/date metadata, so equal input gives equal bytes."""
    fig.savefig(path, format="png", bbox_inches="tight", metadata={"Software": None})
    return path


def _one_line(value: str) -> str:
    return " ".join(value.split())


def publish(fig: plt.Figure, name: str, data: pd.DataFrame, caption: str, alt: str) -> Markdown:
    """Save ``fig`` and ``data`` as ``name``.png/.csv and return a captioned MyST figure."""
    out = figures_dir()
    png = save(fig, out / f"{name}.png")
    csv = out / f"{name}.csv"
    data.to_csv(csv, index=False, lineterminator="\n")
    plt.close(fig)
    rel = lambda p: os.path.relpath(p, Path.cwd()).replace(os.sep, "/")  # noqa: E731
    return Markdown(
        f"```{{figure}} {rel(png)}\n:name: fig-{name}\n:alt: {_one_line(alt)}\n:width: 100%\n\n"
        f"{text.escape(caption)} Data: {{download}}`{name}.csv <{rel(csv)}>`.\n```\n"
    )


def publish_file(path: Path, name: str) -> str:
    """Copy a file next to the figures and return a MyST download link to it."""
    target = figures_dir() / name
    target.write_bytes(Path(path).read_bytes())
    rel = os.path.relpath(target, Path.cwd()).replace(os.sep, "/")
    return f"{{download}}`{name} <{rel}>`"


def markdown_table(df: pd.DataFrame, links: dict[str, str] | None = None, index: bool = False) -> str:
    """A Markdown table of ``df`` whose every cell reads as literal text. ``links`` maps a
    column of URLs to the label its links show, e.g. ``{"source_url": "source"}``."""
    links = links or {}
    if index:
        df = df.reset_index()
    cells = df.copy().astype(object)
    for col in cells.columns:
        if col in links:
            cells[col] = cells[col].map(lambda u: text.link(links[col], u) if isinstance(u, str) and u else "")
        else:
            cells[col] = cells[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                                        else text.escape(v))
    cells.columns = [text.escape(c) for c in cells.columns]
    return cells.to_markdown(index=False, disable_numparse=True)


def md_table(df: pd.DataFrame, caption: str, name: str, links: dict[str, str] | None = None) -> str:
    """A numbered MyST table (``:name: tbl-<name>``) with a caption, from a small frame."""
    return "\n".join([f":::{{table}} {text.escape(caption)}", f":name: tbl-{name}", "",
                      markdown_table(df, links), ":::", ""])
