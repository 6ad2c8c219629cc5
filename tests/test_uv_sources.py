"""`make` installs with uv from the sources pip is configured with (scripts/uv_sources.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from uv_sources import uv_options  # noqa: E402


def test_pip_sources_become_uv_options(tmp_path):
    wheels, index = tmp_path / "wheels", tmp_path / "simple"
    wheels.mkdir()
    index.mkdir()
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("torch<=2.14.1\n")
    listed = "\n".join([
        "global.cert='/etc/ssl/certs/ca-certificates.crt'",
        f"global.constraint='{constraints}'",
        f"global.extra-index-url='file://{index} file:///no/such/simple'",
        f"global.find-links='{wheels}'",
        f":env:.find-links='{wheels}'",  # the same folder from PIP_FIND_LINKS: once
        "global.index-url='https://pypi.org/simple'",
    ])
    assert uv_options(listed) == [
        "--constraint", str(constraints),
        "--extra-index-url", f"file://{index}",  # the missing folder is left out
        "--find-links", str(wheels),
        "--index-url", "https://pypi.org/simple",
        "--index-strategy", "unsafe-best-match",  # versions across all indexes, as pip
    ]


def test_no_configuration_means_pypi_alone():
    assert uv_options("") == ["--index-strategy", "unsafe-best-match"]
