"""The wheel carries the default workbook: installed anywhere, `workbook build` just works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(dist.glob("workbook_press-*.whl"))


def test_wheel_holds_chapters_templates_and_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        "workbook/_default/workbook.toml",
        "workbook/_default/chapters/welcome.md",
        "workbook/_default/chapters/signs-checklist.yaml",
        "workbook/_default/templates/book.html",
        "workbook/_default/styles/print.css",
        "workbook/_default/helplines.yaml",
        "workbook/scaffold/workbook.toml",
        "workbook/scaffold/chapters/check-in.yaml",
        "workbook/scaffold/brand.example.toml",
        "workbook/_default/templates/site-page.html",
        "workbook/_default/styles/site.css",
        "workbook/writers/site_assets/site.js",
        "workbook/commands/serve_assets/live.js",
    ]
    assert all(name in names for name in expected)


def test_installed_wheel_builds_the_default_workbook_in_an_empty_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from workbook.resources import bundled_root; print(bundled_root())",
        ],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(site))
    result = subprocess.run(
        [sys.executable, "-m", "workbook", "build", "--edition", "epub", "--edition", "html"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (empty / "output" / "alliance-workbook.epub").is_file()
    site_folder = empty / "output" / "alliance-workbook-site"
    assert (site_folder / "assets" / "site.js").is_file()
    assert (site_folder / "downloads" / "alliance-workbook.epub").is_file()
