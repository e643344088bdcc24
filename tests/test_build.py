"""The orchestrator on a small fixture project: what re-runs, what fails, what stays."""
import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from aigov import build as B
from aigov.errors import BuildError, CuratedDataError, ParameterError
from aigov.paths import BOOK, CURATED, ROOT

READS = '''
from pathlib import Path
from aigov import readlog
path = Path({path!r})
readlog.record(path, readlog.sha256_file(path))
print(path.read_text())
'''


def notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('as_of = ""\nfocus = ""')
    params.metadata["tags"] = ["parameters"]
    title = nbformat.v4.new_markdown_cell(f"# Notebook {path.stem}")
    nb.cells = [title, params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path) -> B.Project:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "book").mkdir()
    for name in ("x", "y"):
        (tmp_path / "data" / f"{name}.csv").write_text(f"{name}\n1\n")
    notebook(tmp_path / "notebooks" / "a.ipynb", READS.format(path=str(tmp_path / "data" / "x.csv")))
    notebook(tmp_path / "notebooks" / "b.ipynb", READS.format(path=str(tmp_path / "data" / "y.csv")))
    (tmp_path / "book" / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: sections/a\n- file: sections/b\n")
    (tmp_path / "book" / "intro.md").write_text("# Fixture book\n\nA test.\n")
    (tmp_path / "book" / "references.bib").write_text("")
    shutil.copytree(BOOK / "_extra", tmp_path / "book" / "_extra")  # the site icon the configuration names
    return B.Project(notebooks=tmp_path / "notebooks", book=tmp_path / "book",
                     config=ROOT / "_config.yml", code=ROOT / "src" / "aigov", curated=CURATED, profiles=None)


def run(project, out, **kw):
    return B.build({}, out=out, project=project, render_book=kw.pop("render_book", False), log=lambda *_: None, **kw)


def test_unchanged_tree_executes_nothing(project, tmp_path):
    out = tmp_path / "out"
    assert sorted(run(project, out).executed) == ["a", "b"]
    again = run(project, out)
    assert again.executed == [] and sorted(again.skipped) == ["a", "b"]


def test_changed_data_file_reruns_exactly_the_notebooks_that_read_it(project, tmp_path):
    out = tmp_path / "out"
    run(project, out)
    (tmp_path / "data" / "x.csv").write_text("x\n2\n")
    assert run(project, out).executed == ["a"]
    (tmp_path / "data" / "y.csv").write_text("y\n3\n")
    assert run(project, out).executed == ["b"]


def test_changed_template_or_parameters_rerun(project, tmp_path):
    out = tmp_path / "out"
    run(project, out)
    nb = nbformat.read(project.notebooks / "b.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    nbformat.write(nb, project.notebooks / "b.ipynb")
    assert run(project, out).executed == ["b"]
    assert sorted(B.build({"as_of": "2020-01-01"}, out=out, project=project, render_book=False,
                          log=lambda *_: None).executed) == ["a", "b"]


def test_failing_notebook_fails_the_build_and_keeps_the_last_good_site(project, tmp_path):
    out = tmp_path / "out"
    first = run(project, out, render_book=True)
    assert first.rendered
    index = (out / "html" / "index.html").read_bytes()
    good_b = (out / "source" / "sections" / "b.ipynb").read_bytes()
    notebook(project.notebooks / "b.ipynb", "x = 1", "raise RuntimeError('the data is wrong')")
    with pytest.raises(BuildError) as err:
        run(project, out, render_book=True)
    assert "b.ipynb: cell [4]: RuntimeError: the data is wrong" in str(err.value)
    assert (out / "html" / "index.html").read_bytes() == index
    assert (out / "source" / "sections" / "b.ipynb").read_bytes() == good_b
    # once fixed, only the failed notebook runs
    notebook(project.notebooks / "b.ipynb", "x = 2")
    assert run(project, out, render_book=True).executed == ["b"]


def test_no_change_rebuild_does_not_render_again(project, tmp_path):
    out = tmp_path / "out"
    assert run(project, out, render_book=True).rendered
    assert not run(project, out, render_book=True).rendered


def test_volatile_metadata_is_stripped(project, tmp_path):
    out = tmp_path / "out"
    run(project, out)
    nb = nbformat.read(out / "source" / "sections" / "a.ipynb", as_version=4)
    assert set(nb.metadata["papermill"]) == {"parameters"}
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)


def test_invalid_parameter_stops_before_anything_runs(project, tmp_path):
    with pytest.raises(ParameterError, match="parameter focus: ZZZ"):
        B.build({"focus": "ZZZ"}, out=tmp_path / "out", project=project, render_book=False)
    assert not (tmp_path / "out" / "source").exists()


def test_invalid_curated_data_stops_the_build(project, tmp_path):
    bad = tmp_path / "curated"
    shutil.copytree(CURATED, bad)
    with open(bad / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("2020-02-30,Impossible day,,summit,https://example.org,\n")
    project.curated = bad
    with pytest.raises(CuratedDataError, match=r"events.csv: row \d+, column date: '2020-02-30'"):
        run(project, tmp_path / "out")
    assert not (tmp_path / "out" / "source").exists()


@pytest.mark.parametrize("pair, message", [
    ("as_of=2025-13-01", "error: parameter as_of: '2025-13-01'"),
    ("asof=2015-01-01", "error: unknown parameter 'asof'; the chapters accept: as_of ("),
])
def test_cli_reports_a_bad_parameter_and_exits_non_zero_without_a_traceback(tmp_path, pair, message):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-c", "from aigov.cli import main; main()", "build",
                           "-p", pair, "--output", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "html").exists()


def test_unknown_parameter_is_named_with_the_parameters_the_chapters_accept(project, tmp_path):
    with pytest.raises(ParameterError) as err:
        B.build({"asof": "2015-01-01"}, out=tmp_path / "out", project=project, render_book=False)
    assert "unknown parameter 'asof'" in str(err.value)
    assert "as_of (a, b)" in str(err.value) and "focus (a, b)" in str(err.value)
    assert not (tmp_path / "out" / "source").exists()


TEXT_NOTEBOOK = '''---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A text notebook

```{{code-cell}} python
:tags: [parameters]

as_of = ""
```

```{{code-cell}} python
from myst_nb import glue
glue("n_rows", {n}, display=False)
```

Always shown.

+++ {{"tags": ["when:n_rows"]}}

Shown only with rows.

+++ {{"tags": ["when:{tag}"]}}

Tagged with a name.
'''


def executed_markdown(project, out) -> str:
    nb = nbformat.read(out / "source" / "sections" / "t.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_a_text_notebook_runs_and_drops_the_sections_its_values_leave_empty(project, tmp_path):
    template = project.notebooks / "t.md"
    template.write_text(TEXT_NOTEBOOK.format(n=3, tag="n_rows"))
    run(project, tmp_path / "out")
    assert "Shown only with rows." in executed_markdown(project, tmp_path / "out")
    template.write_text(TEXT_NOTEBOOK.format(n=0, tag="n_rows"))
    run(project, tmp_path / "out")
    text = executed_markdown(project, tmp_path / "out")
    assert "Always shown." in text and "Shown only with rows." not in text


def test_a_when_tag_naming_no_glued_value_fails_the_notebook(project, tmp_path):
    (project.notebooks / "t.md").write_text(TEXT_NOTEBOOK.format(n=3, tag="n_rowz"))
    with pytest.raises(BuildError) as err:
        run(project, tmp_path / "out")
    assert "t.md: a Markdown cell is tagged when:n_rowz, but nothing was glued as 'n_rowz'" in str(err.value)


TABLE_READER = '''
from aigov import governance
print(len(governance.table({table!r})))
'''


@pytest.fixture
def tables_project(project, tmp_path) -> B.Project:
    """Two notebooks over a copy of the curated tables: ``a`` uses events, ``b`` forums."""
    shutil.copytree(CURATED, tmp_path / "curated")
    project.curated = tmp_path / "curated"
    notebook(project.notebooks / "a.ipynb", TABLE_READER.format(table="events"))
    notebook(project.notebooks / "b.ipynb", TABLE_READER.format(table="forums"))
    return project


def test_editing_one_curated_table_reruns_only_the_notebooks_that_use_it(tables_project, tmp_path):
    out = tmp_path / "out"
    assert sorted(run(tables_project, out).executed) == ["a", "b"]
    events = tables_project.curated / "events.csv"
    header, first, *rest = events.read_text(encoding="utf-8").splitlines(keepends=True)
    date, title, tail = first.split(",", 2)
    events.write_text(header + f"{date},{title} (renamed),{tail}" + "".join(rest), encoding="utf-8")
    again = run(tables_project, out)
    assert again.executed == ["a"] and again.skipped == ["b"]


def test_editing_one_package_module_reruns_only_the_notebooks_importing_it(project, tmp_path):
    code = tmp_path / "code" / "aigov"
    shutil.copytree(project.code, code, ignore=shutil.ignore_patterns("__pycache__"))
    project.code = code
    notebook(project.notebooks / "a.ipynb", "from aigov import readlog")
    notebook(project.notebooks / "b.ipynb", "from aigov import text")
    out = tmp_path / "out"
    run(project, out)
    with open(code / "text.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert run(project, out).executed == ["b"]
    with open(code / "readlog.py", "a", encoding="utf-8") as fh:  # text imports nothing that imports readlog
        fh.write("\n# edited\n")
    assert run(project, out).executed == ["a"]


def test_changed_prose_reassembles_the_chapter_without_running_it(project, tmp_path):
    template = project.notebooks / "t.md"
    template.write_text(TEXT_NOTEBOOK.format(n=3, tag="n_rows"))
    out = tmp_path / "out"
    run(project, out)
    template.write_text(TEXT_NOTEBOOK.format(n=3, tag="n_rows").replace("Always shown.", "Reworded."))
    again = run(project, out)
    assert again.executed == []
    text = executed_markdown(project, out)
    assert "Reworded." in text and "Always shown." not in text and "Shown only with rows." in text
    nb = nbformat.read(out / "source" / "sections" / "t.ipynb", as_version=4)
    assert [c.id for c in nb.cells] == [f"cell-{i}" for i in range(len(nb.cells))]
    assert any(o.get("metadata", {}).get("scrapbook", {}).get("name") == "n_rows"
               for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def files(site: Path) -> dict[Path, bytes]:
    """Each file of a site; in its pages, the cache-busting checksum Sphinx appends to a style
    sheet's link only when the sheet exists before the page is written (on a second render)
    is removed."""
    return {p.relative_to(site): re.sub(rb"\.css\?v=[0-9a-f]{8}", b".css", p.read_bytes()) if p.suffix == ".html"
            else p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_render_after_one_change_rereads_that_page_and_equals_a_fresh_render(project, tmp_path):
    out, lines = tmp_path / "out", []
    run(project, out, render_book=True)
    (tmp_path / "data" / "y.csv").write_text("y\nchanged\n")
    B.build({}, out=out, project=project, log=lines.append, verbose=True)
    assert any("0 added, 1 changed, 0 removed" in line for line in lines), "Sphinx read every page again"
    fresh = tmp_path / "fresh"
    run(project, fresh, render_book=True)
    site, clean = files(out / "html"), files(fresh / "html")
    assert site.keys() == clean.keys()
    assert [str(name) for name in site if site[name] != clean[name]] == []
    assert b"changed" in site[Path("sections") / "b.html"]


def test_after_a_failing_notebook_the_next_one_gets_a_working_kernel(project, tmp_path):
    notebook(project.notebooks / "a.ipynb", "raise RuntimeError('broken')")
    with pytest.raises(BuildError) as err:
        run(project, tmp_path / "out", jobs=1)  # one kernel: b runs after a failed in it
    assert "a.ipynb: cell [3]: RuntimeError: broken" in str(err.value) and "b.ipynb" not in str(err.value)
    assert (tmp_path / "out" / "executed" / "b.ipynb").is_file()


QUERY_READER = '''
from aigov import governance
print(list(governance.timeline(categories={categories!r})["title"]))
'''


def test_a_notebook_that_queries_some_events_reruns_only_when_those_events_change(tables_project, tmp_path):
    """``a`` reads the UN's events through a query, ``b`` every event: editing another event
    re-runs ``b`` only; editing a UN event re-runs both."""
    notebook(tables_project.notebooks / "a.ipynb", QUERY_READER.format(categories=["un"]))
    notebook(tables_project.notebooks / "b.ipynb", QUERY_READER.format(categories=None))
    out = tmp_path / "out"
    run(tables_project, out)
    state = json.loads((out / "state.json").read_text())["notebooks"]
    assert not any(p.endswith("events.csv") for p in state["a"]["reads"]) and len(state["a"]["queries"]) == 1
    events = tables_project.curated / "events.csv"
    with open(events, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    def rename(where):
        row = next(r for r in rows if where(r["category"]))
        row["title"] += " (renamed)"
        with open(events, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return row["title"]

    rename(lambda c: c != "un")
    assert run(tables_project, out).executed == ["b"]
    title = rename(lambda c: c == "un")
    assert sorted(run(tables_project, out).executed) == ["a", "b"]
    assert title in executed_markdown_of(out, "a")


def executed_markdown_of(out: Path, name: str) -> str:
    """Every output text of notebook ``name`` as executed."""
    nb = nbformat.read(out / "executed" / f"{name}.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_a_page_is_not_read_again_when_only_a_file_it_offers_for_download_changed(project, tmp_path):
    """Sphinx names a download's folder from its path, so the page need not change with the
    file's bytes (aigov.sphinx_downloads); the site still gets the new file."""
    (project.book / "table.csv").write_text("x\n1\n")
    with open(project.book / "intro.md", "a", encoding="utf-8") as fh:
        fh.write("\nData: {download}`table.csv <table.csv>`.\n")
    out, lines = tmp_path / "out", []
    run(project, out, render_book=True)
    (project.book / "table.csv").write_text("x\n2\n")
    B.build({}, out=out, project=project, log=lines.append, verbose=True)
    assert any("0 added, 0 changed, 0 removed" in line for line in lines), "Sphinx read a page again"
    [copied] = (out / "html" / "_downloads").rglob("table.csv")
    assert copied.read_text() == "x\n2\n"
