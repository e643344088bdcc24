"""From an executed notebook to a page of the book: the glued values, the Markdown cells that
the parameters leave empty (tagged ``when:<name>``), the template's current prose around the
executed code, and no volatile metadata."""
import ast
from pathlib import Path

import nbformat

from .errors import BuildError
from .readlog import sha256_file


WHEN = "when:"  # a Markdown cell tagged when:<key> is kept only if the value glued as <key> is not 0


def glued_values(nb) -> dict:
    """Each value a notebook glued, as the Python literal of its plain-text form (or the text)."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            plain = o.get("data", {}).get("application/papermill.record/text/plain")
            if name and plain is not None:
                try:
                    out[name] = ast.literal_eval(plain)
                except (ValueError, SyntaxError):
                    out[name] = plain
    return out


def drop_conditional_cells(nb, name: str) -> None:
    """Remove the Markdown cells whose ``when:<key>`` tag names a glued value of 0 (a section the
    chosen parameters leave empty); a tag naming no glued value is an error."""
    values, keep = glued_values(nb), []
    for cell in nb.cells:
        keys = [t[len(WHEN):] for t in cell.metadata.get("tags", []) if t.startswith(WHEN)]
        missing = [k for k in keys if k not in values]
        if missing:
            raise BuildError(f"{name}: a Markdown cell is tagged {WHEN}{missing[0]}, but nothing was glued as {missing[0]!r}")
        if all(values[k] for k in keys):
            keep.append(cell)
    nb.cells = keep


def assemble(template, executed, name: str):
    """The chapter as the book shows it: the template's current cells, each code cell carrying
    the outputs of its executed twin (the code is the same: it is part of the key), and
    papermill's injected-parameters cell after the parameters cell."""
    def injected(cell):
        return "injected-parameters" in cell.metadata.get("tags", [])
    ran = [c for c in executed.cells if c.cell_type == "code"]
    outputs, extra = [c for c in ran if not injected(c)], [c for c in ran if injected(c)]
    if len(outputs) != sum(c.cell_type == "code" for c in template.cells):
        raise BuildError(f"{name}: the executed notebook's code cells do not match its template's")
    cells = []
    for cell in template.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        cells.append(outputs.pop(0))
        if "parameters" in cell.metadata.get("tags", []):
            cells += extra
            extra = []
    nb = nbformat.from_dict({**executed, "cells": cells})
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def strip_volatile(nb, name: str) -> None:
    """Drop timestamps and durations nbclient writes into a notebook, the Markdown cells the
    parameters leave empty, and hide papermill's injected-parameters cell from the book (the
    prose states the parameters)."""
    drop_conditional_cells(nb, name)
    pm_meta = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {"parameters": pm_meta.get("parameters", {})}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]


def as_ipynb(template: Path, dest: Path) -> Path:
    """Write ``template`` as an .ipynb to ``dest`` (a text notebook is converted with jupytext),
    unless ``dest`` was converted from the same bytes (its source's hash beside it)."""
    stamp, key = dest.with_suffix(".source-sha256"), sha256_file(template)
    if dest.is_file() and stamp.is_file() and stamp.read_text() == key:
        return dest
    import jupytext  # here: a build whose templates have not changed does not need it
    nb = jupytext.read(template) if template.suffix == ".md" else nbformat.read(template, as_version=4)
    for i, cell in enumerate(nb.cells):  # ids by position: jupytext draws random ones
        cell.id = f"cell-{i}"
    nbformat.write(nb, dest)
    stamp.write_text(key)
    return dest
