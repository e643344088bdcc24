"""The whole book as one PDF: the assembled book rendered with Jupyter Book's single-page HTML
builder, printed by headless Chromium.

Why not LaTeX: a TeX installation able to typeset the book needs several gigabytes of packages,
while the HTML route renders the glued numbers, figures, captions, admonitions and bibliography
exactly as the site does, from the same source. For the single-page builder the figures are taken
as PNG rather than interactive HTML (``nb_mime_priority_overrides`` in ``_config.yml``); the print
rules of ``book/_static/custom.css`` hide the navigation and keep figures and tables whole.
"""
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from . import build as B
from . import countries_part
from .errors import AigovError
from .paths import BUILD
from .render import render

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class PdfError(AigovError):
    """The PDF could not be made."""


def browser() -> str:
    """The Chromium executable, or a PdfError saying how to install it."""
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    raise PdfError("the PDF is printed by Chromium, which is not installed "
                   "(on Debian or Ubuntu: apt-get install chromium)")


def print_to_pdf(html: Path, pdf: Path, timeout: int = 600) -> Path:
    """Print ``html`` to ``pdf`` with headless Chromium (no header or footer lines, no network)."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf.with_suffix(".pdf.tmp")
    with tempfile.TemporaryDirectory(prefix="aigov-chromium-") as profile:
        cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", "--no-first-run", "--proxy-server=127.0.0.1:9",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000",
               "--no-pdf-header-footer", f"--print-to-pdf={tmp}", html.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
        raise PdfError(f"Chromium could not print {html}:\n{proc.stderr.strip()[-2000:]}")
    tmp.replace(pdf)
    return pdf


def build_pdf(out: Path = BUILD, parameters: dict | None = None, jobs: int = 2, log=print) -> Path:
    """Build the book into ``out`` (executing what changed), render it as a single HTML page
    into ``out/pdf`` and print that to ``out/pdf/book.pdf``. The PDF holds the report without
    its Countries part: a profile for each of some 160 states is for the site."""
    B.build(parameters, out=out, jobs=jobs, log=log)
    log("rendering the book as one page")
    toc = out / "pdf" / "_toc.yml"
    toc.parent.mkdir(parents=True, exist_ok=True)
    toc.write_text(countries_part.toc((out / "source" / "_toc.yml").read_text(encoding="utf-8"), None), encoding="utf-8")
    render(B.book_config(B.Project()), out / "source", out / "pdf", builder="singlehtml", toc=toc)
    shutil.rmtree(out / "pdf" / "tmp", ignore_errors=True)
    log("printing it with Chromium")
    root = yaml.safe_load((out / "source" / "_toc.yml").read_text(encoding="utf-8"))["root"]
    return print_to_pdf(out / "pdf" / "html" / f"{root}.html", out / "pdf" / "book.pdf")
