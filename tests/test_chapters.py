"""The shape of every chapter template: a text notebook whose code only supplies facts and
figures, which opens with its question, ends with what the data shows, and refers to each of
its figures by number."""
import re
import statistics

import jupytext
import pytest

from aigov.paths import NOTEBOOKS

TEMPLATES = sorted(NOTEBOOKS.glob("*.md"))
# The explorer is a tool page, not a chapter: it asks its question but reports no findings.
CHAPTERS = [t for t in TEMPLATES if re.match(r"0[1-9]_", t.name) and t.stem != "08_explorer"]


def code_cells(template):
    nb = jupytext.read(template)
    return [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]


def test_every_template_is_a_text_notebook():
    assert TEMPLATES and not list(NOTEBOOKS.glob("*.ipynb"))
    assert [t.stem for t in CHAPTERS][:1] == ["01_landscape"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.stem)
def test_code_cells_are_few_and_short(template):
    lines = [len(c.source.strip().splitlines()) for c in code_cells(template)]
    assert len(lines) <= 10, f"{len(lines)} code cells"
    assert max(lines) <= 25, f"a code cell of {max(lines)} lines"
    assert statistics.median(lines) < 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.stem)
def test_code_holds_no_sentences(template):
    """Prose lives in Markdown: no string literal in a code cell reads as a sentence."""
    for cell in code_cells(template):
        for literal in re.findall(r"\"([^\"]*)\"|'([^']*)'", cell.source):
            text = "".join(literal)
            assert len(text.split()) < 6, f"a sentence in code: {text!r}"


@pytest.mark.parametrize("template", CHAPTERS, ids=lambda t: t.stem)
def test_a_chapter_asks_its_question_and_ends_with_what_the_data_shows(template):
    nb = jupytext.read(template)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    opening = markdown[0].split("\n\n")[1] if "\n\n" in markdown[0] else markdown[1]
    assert "?" in opening, f"the opening paragraph asks no question: {opening[:80]!r}"
    headings = re.findall(r"^## (.+)$", "\n".join(markdown), re.M)
    assert headings[-1] == "What the data shows", headings
    findings = re.findall(r"^- \*\*", "\n".join(markdown).split("## What the data shows")[1], re.M)
    assert 3 <= len(findings) <= 5, f"{len(findings)} findings"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.stem)
def test_every_figure_is_referred_to_by_number(template):
    text = template.read_text(encoding="utf-8")
    for name, label in re.findall(r"```\{glue:figure\} (\S+)\n:name: (\S+)", text):
        assert label == f"fig-{name}", label
        assert f"{{numref}}`{label}`" in text, f"{template.stem}: {label} is never referred to"


def test_no_chapter_module_imports_another():
    import ast

    from aigov.paths import ROOT
    folder = ROOT / "src" / "aigov" / "chapters"
    chapters = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {a.name for a in node.names}
                inside = node.level == 1 or (node.module or "").startswith("aigov.chapters")
                assert not (inside and (names | {node.module}) & chapters), f"{path.name} imports a chapter"


def test_the_figures_name_the_focus_countries_where_a_chapter_highlights_them():
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        if '\nfocus = ""' in text:
            assert "{glue:md}`focus_names`" in text, template.name
