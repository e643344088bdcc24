"""Text from the data reaches the page as the literal text it is: rendered through MyST,
no value becomes markup (HTML tags, emphasis, links, roles, table cells, headings)."""
import html
import re

import pandas as pd
import pytest
from docutils.core import publish_string
from myst_parser.parsers.docutils_ import Parser

from aigov import datapage, report, style, text
from aigov.errors import CuratedDataError

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "*bold* and _under_ and **strong**",
    "[x](https://example.org) and <https://example.org>",
    "a | b | c",
    "`code` and {glue:md}`key` and {raw}`html`",
    "&lt;script&gt; &amp; &copy;",
    "# not a heading",
    "1. not a list",
    "back\\slash $x$ ~strike~",
    "Côte d'Ivoire (\"CIV\")",
]


def render(markdown: str) -> str:
    """The HTML body docutils writes for MyST ``markdown`` (the parser the book uses)."""
    out = publish_string(markdown, parser=Parser(), writer_name="html5",
                         settings_overrides={"output_encoding": "unicode", "report_level": 5,
                                             "myst_enable_extensions": {"colon_fence"}})
    return out.split('<main>', 1)[-1].split('</main>', 1)[0] if '<main>' in out else out


def cell_texts(body: str, tag: str) -> list[str]:
    """Text of each ``tag`` element, refusing any markup inside it."""
    texts = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", body, flags=re.S)
    for t in texts:
        inner = re.sub(r"^<p>|</p>$", "", t.strip())
        assert "<" not in inner, f"markup inside <{tag}>: {inner!r}"
    return [html.unescape(re.sub(r"^<p>|</p>$", "", t.strip())) for t in texts]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_value_renders_as_its_own_text(payload):
    body = render(f"Before {text.escape(payload)} after.\n")
    assert cell_texts(body, "p") == [f"Before {payload} after."]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_table_cells_and_caption_render_as_their_own_text(payload):
    df = pd.DataFrame({"name": [payload], "n": [1]})
    body = render(style.md_table(df, f"Caption {payload}", "x"))
    assert cell_texts(body, "td") == [payload, "1"]
    caption = re.search(r"<caption>(.*?)</caption>", body, flags=re.S).group(1)
    assert html.unescape(re.sub(r"<span[^>]*>|</span>", "", caption)).strip() == f"Caption {payload}"


def test_link_keeps_label_and_address_literal():
    body = render(text.link("source *x*", "https://example.org/a_(b)?q=<x>") + "\n")
    anchor = re.search(r'<a class="reference external" href="([^"]+)">(.*?)</a>', body)
    assert anchor.group(2) == "source *x*"
    assert html.unescape(anchor.group(1)) == "https://example.org/a_%28b%29?q=%3Cx%3E"


def test_glued_values_are_escaped(monkeypatch):
    glued = {}
    monkeypatch.setattr(report, "glue", lambda key, value, display: glued.__setitem__(key, value))
    report.glue_facts({"title": "<b>x</b>", "n": 3})
    assert cell_texts(render(glued["title"].data + "\n"), "p") == ["<b>x</b>"]
    assert glued["n"] == 3


def test_notes_show_tags_as_text_and_refuse_raw_output(tmp_path):
    (tmp_path / "a.md").write_text("# Notes\n\nA <script>x</script> tag and <https://example.org>.\n")
    body = render(datapage.notes_markdown(tmp_path))
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert 'href="https://example.org"' in body
    (tmp_path / "b.md").write_text("Text\n\n```{raw} html\n<script>x</script>\n```\n")
    with pytest.raises(CuratedDataError, match=r"b.md: line 3: raw output"):
        datapage.notes_markdown(tmp_path)


@pytest.mark.build
def test_markup_in_the_data_reaches_the_built_page_as_text(tmp_path):
    """An event title with a script tag, emphasis and a table pipe, built into the landscape
    chapter from an edited copy of the curated tables: the page shows it literally."""
    import csv
    import shutil

    from aigov import build as B
    from aigov.paths import BOOK, CURATED, NOTEBOOKS, ROOT

    payload = "<script>alert(1)</script> *bold* | [x](https://example.org)"
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    with open(curated / "events.csv", "a", newline="", encoding="utf-8") as fh:
        header = next(csv.reader(open(CURATED / "events.csv", encoding="utf-8")))
        row = {"date": "2020-01-15", "title": payload, "category": "summit",
               "source_url": "https://example.org/a_(b)", "evidence": "secondary"}
        csv.writer(fh, lineterminator="\n").writerow([row.get(c, "") for c in header])
    (tmp_path / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / "01_landscape.md", tmp_path / "notebooks")
    book = tmp_path / "book"
    book.mkdir()
    for name in ("references.bib", "references.md"):
        shutil.copy(BOOK / name, book)
    shutil.copytree(BOOK / "_extra", book / "_extra")
    (book / "intro.md").write_text("# Fixture\n\nThe landscape chapter alone.\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: sections/01_landscape\n"
                                   "- file: references\n")
    project = B.Project(notebooks=tmp_path / "notebooks", book=book, config=ROOT / "_config.yml",
                        code=ROOT / "src" / "aigov", curated=curated, profiles=None)
    B.build({}, out=tmp_path / "out", project=project, log=lambda *_: None)
    page = (tmp_path / "out" / "html" / "sections" / "01_landscape.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", page, flags=re.S)]
    assert payload in cells
