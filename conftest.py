"""Test-session defaults (also seen by the nbval kernels, which inherit the environment)."""
import os
import tempfile

# nbval runs the templates in notebooks/: keep their figures out of the tree.
os.environ.setdefault("AIGOV_FIGURES_DIR", tempfile.mkdtemp(prefix="aigov-nbval-figures-"))
os.environ.setdefault("MPLBACKEND", "Agg")
