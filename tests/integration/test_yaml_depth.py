"""Deeply nested YAML (issue 18, item 17): `content check` and `content load` name the file and
line and exit 1, instead of a RecursionError traceback from PyYAML's recursive composer."""

from __future__ import annotations

import shutil

import pytest

from course_app.content.yamlfile import MAX_DEPTH, YamlError, load

from ..conftest import CONTENT

DEEP = "title: x\nsummary: " + "[" * 3000 + "]" * 3000 + "\n"


def test_a_deep_value_is_a_yaml_error_with_its_line():
    with pytest.raises(YamlError) as raised:
        load(DEEP, offset=10)
    assert raised.value.line == 12 and str(MAX_DEPTH) in raised.value.message


@pytest.mark.parametrize("command", ["check", "load"])
def test_content_commands_name_file_and_line(runner, tmp_path, command):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    (root / "lessons" / "demo" / "01-gioi-thieu" / "module.yaml").write_text(DEEP,
                                                                             encoding="utf-8")
    result = runner.invoke(args=["content", command, "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert "lessons/demo/01-gioi-thieu/module.yaml:2:" in result.output
    assert "too deeply nested" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, RecursionError)
