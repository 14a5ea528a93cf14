"""Production static files (inclusion/staticfiles.py): our scripts and stylesheets minified by collectstatic, the
vendored scripts and Django's admin files as shipped, and the minified scripts still valid JavaScript."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from inclusion.staticfiles import minify, should_minify

SOURCE = Path(settings.BASE_DIR) / "static"
PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "inclusion.staticfiles.MinifiedCompressedManifestStaticFilesStorage"},
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("js/map.js", True),
        ("js/map.0dc2f82e60a0.js", True),
        ("css/site.css", True),
        ("vendor/leaflet/leaflet.css", True),
        ("vendor/leaflet/leaflet.f18ae622e307.css", True),
        ("vendor/leaflet/leaflet.js", False),  # shipped minified
        ("vendor/htmx/htmx.min.js", False),
        ("admin/js/core.js", False),  # Django's files as Django ships them
        ("favicon.svg", False),
    ],
)
def test_which_files_are_minified(name, expected):
    assert should_minify(name) is expected


def test_minify_drops_comments_and_blanks_but_keeps_licences():
    script = "/*! Licence */\n// a comment\nfunction add(a, b) {\n  return a + b; // sum\n}\n"
    assert minify("x.js", script) == "/*! Licence */function add(a,b){return a+b;}"
    style = "/* comment */\n.a {\n  color: #1e1e1e;\n}\n"
    assert minify("x.css", style) == ".a{color:#1e1e1e}"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_collectstatic_minifies_our_files_and_leaves_the_vendored_ones(collected):
    source_map = (SOURCE / "js" / "map.js").read_text()
    served = sorted(collected.glob("js/map.*.js"))
    assert served, "no hashed copy of js/map.js"
    text = served[0].read_text()
    assert "// " not in text and text.count("\n") < source_map.count("\n") / 5
    assert len(text) < 0.6 * len(source_map)
    assert "inclusionMap" in text  # the public name the pages call
    assert (collected / "js" / "map.js.br").exists()  # compressed after minification
    assert len((collected / "css" / "site.css").read_text()) < len((SOURCE / "css" / "site.css").read_text())
    assert (collected / "vendor" / "leaflet" / "leaflet.js").read_bytes() == (
        SOURCE / "vendor" / "leaflet" / "leaflet.js"
    ).read_bytes()
    assert (collected / "vendor" / "htmx" / "htmx.min.js").read_bytes() == (
        SOURCE / "vendor" / "htmx" / "htmx.min.js"
    ).read_bytes()


def test_minified_scripts_are_valid_javascript(collected):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js absent: `node --check` cannot read the minified scripts (the e2e tests run them).")
    for path in sorted(collected.glob("js/*.js")):
        result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{path.name}: {result.stderr}"
