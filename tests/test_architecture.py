"""The one-way structure: a pure core (`tjv_clusters`) that the Streamlit front end
(`app.py`, `views/`, `components/`) uses, never the other way round.

- the core imports neither streamlit nor the front end, checked in the source and by
  importing every core module in a fresh interpreter where streamlit cannot be imported;
- pages and UI helpers never read files: the dataset reaches them through the core;
- `pip install .` gives an importable core outside the checkout.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "tjv_clusters"
FRONT_END = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")),
             *sorted((ROOT / "components").glob("*.py"))]
UI_ONLY = ("streamlit", "streamlit_folium", "components", "views", "app")
# calls that read a file or a directory
FILE_READS = {"open", "read_csv", "read_json", "read_text", "read_bytes", "load",
              "iterdir", "glob", "rglob", "scandir", "listdir"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def test_core_source_never_imports_the_front_end():
    offenders = [f"{path.relative_to(ROOT)}:{line}: imports {name}"
                 for path in sorted(CORE.glob("*.py"))
                 for line, name in _imports(path)
                 if name.split(".")[0] in UI_ONLY]
    assert offenders == []


def test_every_core_module_imports_without_streamlit():
    modules = sorted(f"tjv_clusters.{p.stem}" for p in CORE.glob("*.py")
                     if p.stem != "__init__")
    assert len(modules) >= 15
    program = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('streamlit', 'streamlit_folium'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in "
        "('streamlit', 'streamlit_folium', 'components', 'views')))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_pages_and_ui_helpers_never_read_files():
    offenders = []
    for path in FRONT_END:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FILE_READS:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}()")
    assert offenders == []


def test_pip_install_gives_an_importable_core(tmp_path: Path):
    """Build the wheel, install it outside the checkout, load the real dataset from it."""
    wheel_dir, target, source = tmp_path / "wheel", tmp_path / "site", tmp_path / "source"
    # build from a copy: an in-tree build would leave build/ and *.egg-info in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(CORE, source / "tjv_clusters",
                    ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheel_dir),
         str(source)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    wheels = list(wheel_dir.glob("tjv_clusters-*.whl"))
    assert len(wheels) == 1
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(wheels[0])], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    assert "absent from the `packages` configuration" not in build.stderr, build.stderr
    # the static copy's templates and the catalogues come with the core
    installed = target / "tjv_clusters"
    for name in ("index.html", "page.html", "static.js", "static.css"):
        assert (installed / "export_templates" / name).is_file(), name
    assert {p.stem for p in (installed / "locales").glob("*.json")} >= {"en", "ja", "vi"}
    program = (
        "import tjv_clusters, tjv_clusters.dataset as d, tjv_clusters.i18n as i\n"
        f"assert tjv_clusters.__file__.startswith({str(target)!r}), tjv_clusters.__file__\n"
        "ds = d.read_dataset()\n"
        "print(len(ds.sites), i.t('ja', 'app.title'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "TJV_CLUSTERS_DATA": str(ROOT / "data")}
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    count, title = run.stdout.split(maxsplit=1)
    assert int(count) >= 350
    assert title.strip() and title.strip() != "app.title"
