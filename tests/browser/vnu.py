"""The W3C Nu HTML checker (npm `vnu-jar`, run with Java). Found through $COURSE_APP_VNU_JAR or
node_modules/, otherwise installed once with npm into test-artifacts/tools/ (gitignored)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import ROOT

VNU_PACKAGE = "vnu-jar@26.9.27"
JAR_IN_PACKAGE = Path("node_modules/vnu-jar/build/dist/vnu.jar")
TOOLS = ROOT / "test-artifacts" / "tools"


def _install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    # --ignore-scripts: the package's postinstall would try to download a Java runtime.
    subprocess.run([npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund",  # noqa: S603
                    "--ignore-scripts", "--no-save", VNU_PACKAGE],
                   check=False, capture_output=True, timeout=600)


def vnu_jar() -> Path:
    if shutil.which("java") is None:
        pytest.skip("no Java: the W3C Nu checker (vnu.jar) needs it (apt-get install default-jre)")
    configured = os.environ.get("COURSE_APP_VNU_JAR")
    candidates = [Path(configured)] if configured else []
    candidates += [ROOT / JAR_IN_PACKAGE, TOOLS / JAR_IN_PACKAGE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    _install()
    if (TOOLS / JAR_IN_PACKAGE).is_file():
        return TOOLS / JAR_IN_PACKAGE
    pytest.skip(f"no vnu.jar: set COURSE_APP_VNU_JAR, or let `npm install {VNU_PACKAGE}` reach "
                "the npm registry")
    raise AssertionError("unreachable")


def validate(paths: list[Path]) -> list[str]:
    """Errors of every file, one call (the JVM takes seconds to start)."""
    java = shutil.which("java") or "java"
    result = subprocess.run(  # noqa: S603
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
         *[str(p) for p in paths]], capture_output=True, text=True, timeout=300, check=False)
    # The checker always writes its JSON report, even with nothing to report ("messages": []):
    # no report means it did not run (no memory, a broken jar), which must not pass as valid.
    assert result.stderr.strip(), f"vnu.jar gave no report (exit {result.returncode}): " \
        f"{result.stdout[-2000:]}"
    messages = json.loads(result.stderr)["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
            for m in messages]
