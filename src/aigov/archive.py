"""Archived country profiles as light HTML pages, rendered with myst-nb's docutils renderer.

The latest profile of each country is a page of the book (Sphinx); its profiles on earlier
dates, a thousand or more, are standalone pages beside it (``countries/<code>/<date>.html``):
the same executed notebook, its cells kept or dropped by the same ``when:`` tags, rendered without
Sphinx, the book's sidebar or a figure, with one shared stylesheet
(``book/_extra/countries/archive.css``: not in ``_static``, whose every stylesheet Jupyter Book
adds to every page).
They are rendered where the profile ran (on a sweep's worker). The template must use no
Sphinx-only role (``numref``, ``doc``, ``cite``): docutils would reject it, and the page fails.
"""
import functools
import re

import nbformat
import yaml

from .paths import ROOT

STYLESHEET = "../archive.css"  # from countries/<code>/<date>.html: book/_extra/countries/archive.css
SETTINGS = {
    "nb_execution_mode": "off", "nb_output_folder": "", "nb_append_css": False,
    "nb_render_markdown_format": "myst", "myst_enable_extensions": ["colon_fence"],
    "embed_stylesheet": False, "stylesheet_path": [], "stylesheet": [STYLESHEET],
    "output_encoding": "utf-8", "report_level": 2, "halt_level": 2,  # a warning fails the page
    "doctitle_xform": True, "traceback": True,
}


@functools.cache
def book_title() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]


def page(nb: nbformat.NotebookNode, name: str, footer: str) -> str:
    """The HTML page of an executed and assembled profile ``nb`` (``name`` names it in errors),
    titled '<country> on <date> | <the book's title>', with the book's ``footer``. Its code cells (all hidden, holding the
    glued values) go first: docutils resolves a glued value only after the cell that glued it."""
    from docutils.core import publish_string
    from docutils.utils import SystemMessage
    from myst_nb.docutils_ import Parser

    from .downloads import glued
    values = {k: re.sub(r"\\(.)", r"\1", str(v)) for k, v in glued(nb).items()}
    title = f"{values.get('country_name', name)} on {values.get('as_of_label', '')} | {book_title()}"
    cells = [c for c in nb.cells if c.cell_type == "code"] + [c for c in nb.cells if c.cell_type != "code"]
    source = nbformat.writes(nbformat.from_dict({**nb, "cells": cells}))
    try:
        page = publish_string(source, source_path=name, parser=Parser(), writer_name="html5",
                              settings_overrides={**SETTINGS, "title": title})  # bytes: the page names its encoding
    except SystemMessage as exc:
        raise ValueError(f"{name}: the archived page could not be rendered: {exc}") from None
    return page.decode("utf-8").replace("</main>", f"</main>\n<footer>{footer}</footer>", 1)
