"""The whole book as one PDF (``aigov pdf``): chapters, captions, glued numbers and the
bibliography are all in it."""
import re
import shutil
import unicodedata

import nbformat
import pytest

from aigov import downloads as D
from aigov import pdf as P
from aigov.countries_part import INDEX
from aigov.curated import data_as_of
from aigov.paths import CURATED

pypdf = pytest.importorskip("pypdf")

pytestmark = [
    pytest.mark.build,
    pytest.mark.skipif(not any(shutil.which(b) for b in P.BROWSERS),
                       reason="Chromium is not installed (.ci/run installs it)"),
]


def words(s: str) -> str:
    """Text with ligatures spelled out, typographic quotes straightened (as Sphinx curls them),
    hyphenation at line ends undone and whitespace collapsed."""
    s = unicodedata.normalize("NFKC", s).translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(re.sub(r"-\n", "", s).split())


@pytest.fixture(scope="module")
def book_pdf(site):
    path = P.build_pdf(site, log=lambda *_: None)
    reader = pypdf.PdfReader(path)
    return len(reader.pages), words("\n".join(page.extract_text() for page in reader.pages))


def test_the_pdf_holds_every_chapter_title(site, book_pdf):
    pages, text = book_pdf
    sections = [p for p in sorted((site / "source" / "sections").glob("*.ipynb")) if p.stem != INDEX]
    assert pages > len(sections)
    for path in sections:
        nb = nbformat.read(path, as_version=4)
        title = next(line[2:] for c in nb.cells if c.cell_type == "markdown"
                     for line in c.source.splitlines() if line.startswith("# "))
        assert words(title) in text, f"chapter title missing: {title}"
    for title in ("Reproduce this report", "Downloads", "Changelog of data releases", "References"):
        assert title in text


def test_the_pdf_holds_figure_captions_and_glued_numbers(site, book_pdf):
    _, text = book_pdf
    captions = {name: c for name, c in D.chapters(site / "source" / "sections").items()
                if c["chapter"]["page"] != f"sections/{INDEX}.html"}
    assert len(captions) >= 30
    missing = [name for name, c in captions.items() if words(c["title"]) not in text]
    assert not missing, f"figure captions missing from the PDF: {missing}"
    nb = nbformat.read(site / "source" / "sections" / "01_landscape.ipynb", as_version=4)
    n_compute = D.glued(nb)["n_compute"]
    day = data_as_of(CURATED)
    assert f"{n_compute:,.0f} models published up to {day:%-d %B %Y}" in text


def test_the_pdf_holds_the_bibliography_and_no_navigation(book_pdf):
    _, text = book_pdf
    assert "Network architecture for global AI policy" in text
    assert "Worldwide AI ethics: A review of 200 guidelines" in text
    assert "Search" not in text.split("Networks of AI Governance")[0]  # no navigation bar before the title


def test_the_pdf_leaves_out_the_countries_part(book_pdf):
    """The report without its Countries part: a profile of each of some 160 states is for the site."""
    pages, text = book_pdf
    assert words("Where does Kenya sit in the international governance of AI") not in text
    assert "Find a country" not in text
    assert pages < 300
