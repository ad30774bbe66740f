"""YAML reading that keeps the line of every key and item and reports duplicate keys.

PyYAML silently keeps the last of two equal keys and forgets where anything was.
A checker needs both: this loader builds ``LineDict`` / ``LineList`` objects that
remember the (1-based, file-relative) line of each key and item, and collects
every duplicate key instead of dropping it. It uses the C parser when present.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is ~8x faster on front matter
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

#: Most values that aliases in one document may stand for; a "billion laughs" needs far more.
MAX_EXPANSION = 10_000


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each of its keys.

    ``valid`` remembers which schemas it was found valid against (generator.schema):
    parsed metadata is never changed after, and a check kept in memory (``serve``)
    validates the same objects again. A cache on disk keeps each answer with a digest
    of its schema's text: an answer about another schema is not taken back."""

    __slots__ = ("line", "key_lines", "_valid")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self._valid: tuple[tuple[str, bool], ...] = ()

    def answer(self, schema: str) -> bool | None:
        """Whether it was found valid against ``schema``; None: not asked yet."""
        for name, ok in self._valid:
            if name == schema:
                return ok
        return None

    def remember(self, schema: str, ok: bool) -> None:
        pairs = tuple(p for p in self._valid if p[0] != schema) + ((schema, ok),)
        # the same few answers for 100,000 records: one tuple for all of them
        self._valid = _ANSWERS.setdefault(pairs, pairs)

    @property
    def valid(self) -> dict[str, bool]:
        """The schemas it was found valid (True) or not (False) against."""
        return dict(self._valid)

    def __getstate__(self) -> Any:
        digests = schema_digests()
        valid = {name: (ok, digests.get(name)) for name, ok in self._valid}
        return None, {"line": self.line, "key_lines": self.key_lines, "valid": valid}

    def __setstate__(self, state: Any) -> None:
        _, slots = state
        self.line, self.key_lines = slots["line"], slots["key_lines"]
        digests, kept = schema_digests(), slots.get("valid")
        self._valid = ()
        if isinstance(kept, dict):
            for name, answer in kept.items():
                if isinstance(answer, tuple) and len(answer) == 2:
                    ok, digest = answer
                    if digest is not None and digest == digests.get(name) and ok in (True, False):
                        self.remember(name, ok)


#: every distinct set of schema answers, held once (LineDict.remember)
_ANSWERS: dict[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]] = {}


@functools.cache
def schema_digests() -> dict[str, str]:
    """The digest of each schema's text (generator/schemas/NAME.schema.json) by name."""
    folder = Path(__file__).parent / "schemas"
    return {
        p.name.split(".", 1)[0]: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob("*.schema.json"))
    }


class LineList(list[Any]):
    """A sequence that knows the line of itself and of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    first_line: int
    line: int
    column: int


class YamlError(Exception):
    """Front matter that does not parse: a message, a line and a column (1-based)."""

    def __init__(self, problem: str, line: int, column: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    line_offset = 0
    merges = True  # a text without "<<" has no merge keys to flatten

    def __init__(self, stream: str, line_offset: int) -> None:
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicates: list[DuplicateKey] = []
        self.expanded = 0
        self.sizes: dict[int, int] = {}


class _GuardedLoader(_LineLoader):
    """For a text with anchors (&name): aliases are counted as they are expanded."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met again is an alias (*name). A "billion laughs" builds a few
        # objects that every later walk would expand exponentially: count what
        # each alias stands for and refuse the document past a bound.
        if node in self.constructed_objects:
            self.expanded += self._size(node)
            if self.expanded > MAX_EXPANSION:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"aliases (*name) expand to more than {MAX_EXPANSION} values: refusing",
                    node.start_mark,
                )
        return super().construct_object(node, deep=deep)

    def _size(self, node: yaml.Node) -> int:
        key = id(node)
        size = self.sizes.get(key)
        if size is None:
            if isinstance(node, yaml.MappingNode):
                size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._size(v) for v in node.value)
            else:
                size = 1
            self.sizes[key] = size
        return size


_STR = "tag:yaml.org,2002:str"
_Scalar = yaml.ScalarNode


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    offset = loader.line_offset + 1
    data = LineDict(node.start_mark.line + offset)
    yield data
    if loader.merges:
        loader.flatten_mapping(node)
    key_lines = data.key_lines
    for key_node, value_node in node.value:
        # Plain strings (most keys and values) need no constructor: take the text.
        if key_node.tag == _STR and key_node.__class__ is _Scalar:
            key = key_node.value
        else:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found an unhashable key",
                    key_node.start_mark,
                ) from None
        line = key_node.start_mark.line + offset
        if key in data:
            loader.duplicates.append(
                DuplicateKey(str(key), key_lines[key], line, key_node.start_mark.column + 1)
            )
        if value_node.tag == _STR and value_node.__class__ is _Scalar:
            data[key] = value_node.value
        else:
            data[key] = loader.construct_object(value_node, deep=True)
        key_lines[key] = line


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    offset = loader.line_offset + 1
    data = LineList(node.start_mark.line + offset)
    yield data
    lines = data.item_lines
    for child in node.value:
        if child.tag == _STR and child.__class__ is _Scalar:
            data.append(child.value)
        else:
            data.append(loader.construct_object(child, deep=True))
        lines.append(child.start_mark.line + offset)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # Dates stay the text that was written (2026-03-15): the schema checks that it
    # is a real date (2026-02-30 is not), the model reads it; no value of another
    # type (datetime) slips in, and a quoted date means the same as an unquoted one.
    return str(node.value)


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # Python refuses to read an integer of more than 4,300 digits: such a value stays
    # the text that was written (the schema says what is wrong with it).
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        return str(node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class Parsed:
    data: Any
    duplicates: list[DuplicateKey]


def parse(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document; lines in the result are ``line_offset`` + 1-based.

    Raises ``YamlError`` (never anything else) for text that is not YAML.
    """
    # Anchors and merge keys are rare in front matter: pay for them only when present.
    loader = (_GuardedLoader if "&" in text else _LineLoader)(text, line_offset)
    loader.merges = "<<" in text
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        column = (mark.column + 1) if mark else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise YamlError(problem, line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), line_offset + 1, 1) from None
    except RecursionError:
        raise YamlError("nesting too deep", line_offset + 1, 1) from None
    finally:
        loader.dispose()
    return Parsed(data, loader.duplicates)


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose tags (!ENV, !!python/name:...) are not ours to run."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def parse_config(text: str) -> Any:
    """Parse a settings file (mkdocs.yml) without executing its tags."""
    try:
        return yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise YamlError(
            str(exc.problem or exc),
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), 1, 1) from None


def salvage(text: str, line_offset: int = 0) -> LineDict:
    """What can still be read from front matter that does not parse: each top-level
    key's block parsed on its own, the blocks that fail left out. Used only so that a
    broken file still claims its id (its own ``yaml-syntax`` finding says what is wrong)."""
    out = LineDict(line_offset + 1)
    lines = text.split("\n")
    starts = [
        i
        for i, line in enumerate(lines)
        if line[:1] not in ("", " ", "\t", "#", "-") and ":" in line
    ]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        try:
            data = parse("\n".join(lines[start:end]), line_offset + start).data
        except YamlError:
            continue
        if isinstance(data, LineDict):
            for key, value in data.items():
                if key not in out:
                    out[key] = value
                    out.key_lines[key] = data.key_lines.get(key, line_offset + start + 1)
    return out
