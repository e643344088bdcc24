"""The package modules a notebook runs: what its code cells import, and what those import.

A notebook's key includes these files only, so editing one chapter's module re-runs that
chapter and the notebooks that import it, not every notebook.
"""
import ast
import hashlib
from functools import lru_cache
from pathlib import Path


def _imported(tree: ast.AST, module: str, package: str) -> set[str]:
    """Dotted names of the modules of ``package`` that ``tree`` (the code of ``module``) imports."""
    names = set()
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative to the importing module's package (a package is "<name>.__init__")
                base = module.split(".")[:-node.level]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names.add(stem)
            names |= {f"{stem}.{a.name}" for a in node.names}  # `from pkg import module`
    return {n for n in names if n == package or n.startswith(package + ".")}


def _statements(tree: ast.AST):
    """Every statement of ``tree``, in blocks at any depth (an import is a statement: the
    expressions, most of the tree, need not be visited)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                todo.extend(block)


@lru_cache(maxsize=1024)
def _imports_of(path: Path, source: bytes, module: str, package: str) -> frozenset[str]:
    """:func:`_imported` for one file, parsed once per content."""
    return frozenset(_imported(ast.parse(source, filename=str(path)), module, package))


def _file(name: str, root: Path) -> Path | None:
    """The file of module ``name`` below ``root`` (the folder holding the package), if any."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def closure(sources: list[str], package_dir: Path, memo: dict[str, list[str]] | None = None,
            known: dict[str, list[str]] | None = None) -> list[Path]:
    """Every module file of the package at ``package_dir`` that code ``sources`` import, directly
    or through other modules of the package, with the ``__init__.py`` of each package on the way.
    What each module imports is put in ``memo`` (module and SHA-256 of its file -> the modules),
    taken from ``known`` (a memo of an earlier build) when there: a module is parsed only when
    its file changed."""
    memo = {} if memo is None else memo
    known = known or {}
    package, root = package_dir.name, package_dir.parent
    todo = set().union(*(_imported(ast.parse(s), "__main__", package) for s in sources)) if sources else set()
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
            prefix = ".".join(parts[:i])
            path = _file(prefix, root)
            if path is None or prefix in seen:
                continue
            seen[prefix] = path
            module = prefix + (".__init__" if path.name == "__init__.py" else "")
            source = path.read_bytes()
            key = f"{module} {hashlib.sha256(source).hexdigest()}"
            if key not in memo:
                memo[key] = known[key] if key in known else sorted(_imports_of(path, source, module, package))
            todo |= set(memo[key]) - set(seen)
    return sorted(set(seen.values()))
