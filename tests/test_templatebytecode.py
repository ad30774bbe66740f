"""Compiled templates kept between builds (templatecache.SignedBytecode): a template is
compiled once, its bytecode loaded by later builds, and bytecode another hand wrote is
never run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.templatecache import SignedBytecode

TEMPLATES = {"page.html": "{% for n in items %}<li>{{ n }}</li>{% endfor %}"}


def environment(folder: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES))
    env.bytecode_cache = SignedBytecode(folder).cache
    original = env.compile

    def compile(source: Any, name: Any = None, filename: Any = None, *a: Any, **k: Any) -> Any:
        compiled.append(str(name))
        return original(source, name, filename, *a, **k)

    monkeypatch.setattr(env, "compile", compile)
    return env


def test_a_template_is_compiled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    first = environment(tmp_path, compiled, monkeypatch).get_template("page.html")
    assert compiled == ["page.html"]
    later = environment(tmp_path, compiled, monkeypatch).get_template("page.html")
    assert compiled == ["page.html"]  # the second build loaded it
    assert later.render(items=[1, 2]) == first.render(items=[1, 2]) == "<li>1</li><li>2</li>"


def test_bytecode_another_hand_wrote_is_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    environment(tmp_path, compiled, monkeypatch).get_template("page.html")
    (kept,) = tmp_path.glob("*.bc")
    data = bytearray(kept.read_bytes())
    data[-5] ^= 1
    kept.write_bytes(bytes(data))
    again = environment(tmp_path, compiled, monkeypatch).get_template("page.html")
    assert compiled == ["page.html", "page.html"]  # compiled again from its source
    assert again.render(items=[3]) == "<li>3</li>"
