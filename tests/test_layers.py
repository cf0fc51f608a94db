"""The layering rules, checked on the source and on a running process.

- ``edge_app`` never imports ``train``, ``convert``, ``bench`` or TensorFlow (only ``runtime.py``
  may fall back to ``tf.lite`` when no LiteRT is installed);
- only ``edge_app/ui`` imports Kivy;
- the families import neither the UI nor the services (CLI, web service, app logic);
- ``read``, ``serve``, ``app`` and ``demo`` leave no training module in ``sys.modules``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, handwriting

EDGE = ROOT / "edge_app"
DESKTOP = {"train", "convert", "bench", "tensorflow", "keras"}
SERVICES = {"cli", "server", "live", "draw_session", "model_store", "worker", "ui", "annotate", "camera"}


def _imports(path: Path, package: str | None = None) -> set[str]:
    """Every module an import statement in ``path`` names, absolute (relative ones resolved against
    ``package``, by default the one ``path`` lies in)."""
    package = package or ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                found.add(mod)
                found.update(f"{mod}.{a.name}" for a in node.names)
            else:
                found.add(node.module or "")
    return found


def _sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_contract_checker_sees_lazy_and_relative_imports(tmp_path):
    mod = tmp_path / "probe.py"
    mod.write_text("def f():\n    import tensorflow\n    from ...ui import app\n")
    found = _imports(mod, "edge_app.families.char")
    assert "tensorflow" in found and "edge_app.ui.app" in found


@pytest.mark.parametrize("path", _sources(EDGE), ids=lambda p: str(p.relative_to(ROOT)))
def test_edge_app_never_imports_desktop_code(path):
    bad = {m for m in _imports(path) if m.split(".")[0] in DESKTOP}
    if path.name == "runtime.py":
        bad -= {"tensorflow"}  # the interpreter's last fallback, tf.lite, when LiteRT is absent
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _sources(EDGE), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_ui_package_imports_kivy(path):
    if (EDGE / "ui") in path.parents:
        return
    assert not {m for m in _imports(path) if m.split(".")[0] == "kivy"}, path


@pytest.mark.parametrize("path", _sources(EDGE / "families"), ids=lambda p: str(p.relative_to(ROOT)))
def test_families_import_neither_the_ui_nor_the_services(path):
    bad = {m for m in _imports(path) if m.startswith("edge_app.") and m.split(".")[1] in SERVICES}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_device_commands_load_no_training_code(tmp_path):
    """read (and its --help), demo, serve's app answering a request, and app's option checks, in one
    process run from the checkout (where train/, convert/ and bench/ are importable)."""
    img = tmp_path / "t.png"
    import cv2

    cv2.imwrite(str(img), handwriting("t"))
    page = EDGE / "families" / "page" / "samples" / "page_0.jpg"
    code = f"""
import contextlib, io, sys
from edge_app.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(['read', '--help'])
assert main(['read', '--task', 'char', {str(img)!r}]) == 0
assert main(['demo', '--out', {str(tmp_path / 'demo')!r}]) == 0
assert main(['app', '--size', 'big']) == 2
from edge_app.server import PageService, create_app
client = create_app(PageService()).test_client()
with open({str(page)!r}, 'rb') as f:
    assert client.post('/api/read', data={{'image': (f, 'page.jpg')}}).status_code == 200
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(DESKTOP)!r}))
assert not loaded, loaded
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
