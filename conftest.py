"""Test-session defaults (also seen by the nbval kernels, which inherit the environment), and
nbval for the chapter and country-profile templates, which are text notebooks (MyST Markdown
read by jupytext)."""
import os
import tempfile
from unittest import mock

import jupytext
from nbval import plugin

# nbval runs the templates in notebooks/: keep their figures out of the tree.
os.environ.setdefault("AIGOV_FIGURES_DIR", tempfile.mkdtemp(prefix="aigov-nbval-figures-"))
os.environ.setdefault("MPLBACKEND", "Agg")


class TextNotebook(plugin.IPyNbFile):
    """A chapter template run cell by cell, as nbval runs an .ipynb."""

    def collect(self):
        with mock.patch.object(plugin.nbformat, "read", lambda path, as_version: jupytext.read(path)):
            yield from super().collect()


def pytest_collect_file(file_path, parent):
    in_notebooks = file_path.parent.name == "notebooks" or file_path.parent.parent.name == "notebooks"
    if file_path.suffix == ".md" and in_notebooks and parent.config.option.nbval_lax:
        return TextNotebook.from_parent(parent, path=file_path)
