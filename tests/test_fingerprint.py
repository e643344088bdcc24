"""The no-change fast path: a build's fingerprint matches until any input changes."""
import json

from aigov import fingerprint
from aigov import build as B
from aigov.paths import ROOT
from test_build import project, run  # noqa: F401 - project is a fixture


def last_build(tmp_path, roots, reads, parameters=None):
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True, exist_ok=True)
    (out / "html" / "index.html").write_text("site")
    state = {"notebooks": {"a": {"reads": {str(p): "" for p in reads}}}, "sources": [str(p) for p in reads],
             "fingerprint": fingerprint.compute(roots, out, parameters or {}, [str(p) for p in reads])}
    (out / "state.json").write_text(json.dumps(state))
    return out


def test_any_changed_input_setting_or_parameter_is_seen(tmp_path, monkeypatch):
    monkeypatch.delenv("AIGOV_DATA_MIRROR", raising=False)
    repo, dataset = tmp_path / "repo", tmp_path / "mirror" / "data.json"
    (repo / "book").mkdir(parents=True)
    (repo / "book" / "page.md").write_text("# Page\n")
    dataset.parent.mkdir()
    dataset.write_text("{}")
    out = last_build(tmp_path, [repo], [dataset])
    assert fingerprint.unchanged([repo], out, {})
    assert not fingerprint.unchanged([repo], out, {"as_of": "2020-01-01"})
    (repo / "book" / "page.md").write_text("# Page, edited\n")
    assert not fingerprint.unchanged([repo], out, {})
    out = last_build(tmp_path, [repo], [dataset])
    dataset.write_text('{"x": 1}')  # a file a notebook read, outside the repository
    assert not fingerprint.unchanged([repo], out, {})
    out = last_build(tmp_path, [repo], [dataset])
    monkeypatch.setenv("AIGOV_DATA_MIRROR", str(tmp_path))
    assert not fingerprint.unchanged([repo], out, {})


def test_the_build_folder_and_a_missing_site_are_not_unchanged(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text("a")
    out = last_build(tmp_path, [repo], [])
    (repo / "_build").mkdir()
    (repo / "_build" / "noise").write_text("a build's own files do not count")
    assert fingerprint.unchanged([repo], out, {})
    (out / "html" / "index.html").unlink()
    assert not fingerprint.unchanged([repo], out, {})


def test_a_build_stores_the_fingerprint_the_command_line_checks(project, tmp_path):
    out = tmp_path / "out"
    run(project, out, render_book=True)
    roots = [ROOT, project.notebooks, project.book, project.config, project.code, project.curated]
    assert fingerprint.unchanged(roots, out, {})
    (tmp_path / "data" / "x.csv").write_text("x\n5\n")  # read by notebook a, outside every root
    assert not fingerprint.unchanged(roots, out, {})
    assert B.build({}, out=out, project=project, log=lambda *_: None).executed == ["a"]
    assert fingerprint.unchanged(roots, out, {})
