"""The layers point one way: kb (core) <- ingest (documents) <- evals (measuring) <- web (HTTP, no
Gradio) <- ui (Gradio) <- kbcli (command line).

Read from the source with ``ast`` (imports inside functions count too), so an arrow that turns
fails here before it becomes a tangle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

LAYERS = ["kb", "ingest", "evals", "web", "ui", "kbcli"]  # each may import only itself and the layers before it


def _imports(path: Path, package: str) -> set[str]:
    """Fully qualified modules imported by one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = [package, *path.relative_to(REPO / package).with_suffix("").parts]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level]
                mod = ".".join([*base, node.module] if node.module else base)
                out.add(mod)
                out.update(f"{mod}.{alias.name}" for alias in node.names)
            elif node.module:
                out.add(node.module)
    return out


def _modules() -> dict[str, set[str]]:
    graph = {}
    for package in LAYERS:
        for path in sorted((REPO / package).rglob("*.py")):
            name = ".".join([package, *path.relative_to(REPO / package).with_suffix("").parts])
            graph[name.removesuffix(".__init__")] = _imports(path, package)
    return graph


def test_layers_point_one_way() -> None:
    wrong = []
    for module, imports in _modules().items():
        allowed = set(LAYERS[: LAYERS.index(module.split(".")[0]) + 1])
        wrong += [f"{module} imports {imp}" for imp in imports
                  if imp.split(".")[0] in LAYERS and imp.split(".")[0] not in allowed]
    assert not wrong, wrong


def test_no_module_imports_a_module_that_imports_it() -> None:
    graph = _modules()
    edges = {m: {i for i in imps if i in graph and i != m and not m.startswith(i + ".")} for m, imps in graph.items()}
    cycles = sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets
                     if a in edges.get(b, set()) and not a.endswith(b) and not b.endswith(a)})
    assert not cycles, cycles


def test_no_private_name_is_imported_across_modules() -> None:
    wrong = []
    for package in LAYERS:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in LAYERS):
                    wrong += [f"{path.relative_to(REPO)}: {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert not wrong, wrong


def test_no_module_binds_a_top_level_name_twice() -> None:
    """A second constant of the same name silently replaces the first for every function of the
    module: ``kb.text`` had two ``_SOFT_BREAK_RE``, and the line-end one made ``hard_split`` cut
    over-long sentences inside a word. Neither ruff nor mypy reports a rebound constant."""
    wrong = []
    for package in LAYERS:
        for path in (REPO / package).rglob("*.py"):
            seen: set[str] = set()
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign):
                    names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names = [node.target.id]
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names = [node.name]
                else:
                    continue
                wrong += [f"{path.relative_to(REPO)}:{node.lineno} {n}" for n in names if n in seen]
                seen.update(names)
    assert not wrong, wrong


def test_benchmarks_do_not_import_the_tests() -> None:
    for path in (REPO / "benchmarks").glob("*.py"):
        assert "from tests" not in path.read_text(encoding="utf-8"), path


def test_ingest_ui_and_the_cli_write_through_the_knowledge_base() -> None:
    """Only ``kb`` touches the Chroma store: ``KnowledgeBase`` holds the write lock and the caches."""
    wrong = []
    for package in ("ingest", "evals", "web", "ui", "kbcli"):
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "store":
                    wrong.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not wrong, wrong


def test_only_ui_imports_gradio() -> None:
    """The APIs and citation pages run without Gradio; the CLI reaches it only through ``ui``."""
    wrong = [f"{module} imports {imp}" for module, imports in _modules().items() if not module.startswith("ui")
             for imp in imports if imp.split(".")[0] in ("gradio", "gradio_client")]
    assert not wrong, wrong


def test_importing_web_pulls_in_no_gradio() -> None:
    modules = [p.stem for p in (REPO / "web").glob("*.py") if p.stem != "__init__"]
    assert {"server", "openai_api", "rest_api", "views"} <= set(modules)
    code = (f"import sys, web, {', '.join('web.' + m for m in modules)}; "
            "print([m for m in sys.modules if m.split('.')[0] in ('gradio', 'gradio_client', 'ui')])")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert res.stdout.strip() == "[]", res.stdout


def test_only_the_store_package_talks_to_chroma() -> None:
    """Every other part of ``kb`` reads the library through ``kb.store`` (``ChunkStore``, ``LibraryView``)."""
    wrong = [f"{module} imports {imp}" for module, imports in _modules().items()
             if module.startswith("kb.") and not module.startswith("kb.store")
             for imp in imports if imp.split(".")[0] == "chromadb"]
    assert not wrong, wrong
    assert any(imp.split(".")[0] == "chromadb" for imp in _modules()["kb.store.client"])


def test_runtime_code_carries_no_fitting_or_test_harness() -> None:
    graph = _modules()
    assert not [m for m in graph if m.startswith(("kb.", "web.", "ui.")) and any(
        imp.startswith(("evals", "tests", "benchmarks")) for imp in graph[m])]
    assert "fit_logistic" not in (REPO / "kb" / "fitted.py").read_text(encoding="utf-8")


def test_a_question_is_analysed_once(seeded_kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Search, answer type, evidence and the answer all read the one ``Query``: its terms are
    analysed once per question (a follow-up's combined reading is a second text, analysed once more)."""
    import kb.search.query as query_module
    from kb.records import Turn

    calls: list[str] = []
    analyse = query_module.analyse

    def counted(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(text)
        return analyse(text, *args, **kwargs)

    monkeypatch.setattr(query_module, "analyse", counted)
    seeded_kb.answer("2023年7月的罢工有多少演艺人员参加？")
    assert calls == ["2023年7月的罢工有多少演艺人员参加？"]
    calls.clear()
    seeded_kb.answer("What about the unions?", history=[Turn("2023年7月的罢工有多少演艺人员参加？", "…")])
    assert len(calls) == len(set(calls)) <= 2, calls
