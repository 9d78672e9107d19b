"""Safe YAML loading that remembers where every value came from.

Values are plain Python types, but mappings are `Located` dicts that know the line of each key,
so the schema can point at `chapters/x.yaml:12`. Only the safe tags are accepted; anchors and
aliases are refused (they are never needed in a worksheet and can blow up in size).
"""

from __future__ import annotations

from typing import Any

import yaml

from workbook.errors import Problem, WorkbookError

MAX_DEPTH = 40


class Located(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence from YAML that knows the line of each item (1-based)."""

    line: int = 1
    item_lines: list[int]


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases ('*name') are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML text into located values; `first_line` offsets front matter."""
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        return _convert(loader, node, file, first_line - 1, 0) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = (error.problem or error.context or "not valid YAML").strip()
        raise WorkbookError([Problem(file, f"not valid YAML: {problem}", line)]) from None
    except yaml.YAMLError as error:
        raise WorkbookError([Problem(file, f"not valid YAML: {error}", first_line)]) from None
    except RecursionError:
        raise WorkbookError([Problem(file, "the YAML is nested too deeply", first_line)]) from None
    finally:
        loader.dispose()


def _convert(loader: yaml.SafeLoader, node: yaml.Node, file: str, offset: int, depth: int) -> Any:
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH:
        raise WorkbookError([Problem(file, "the YAML is nested too deeply", line)])
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(loader, node, file, offset, depth, line)
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(loader, n, file, offset, depth + 1) for n in node.value)
        items.line = line
        items.item_lines = [n.start_mark.line + 1 + offset for n in node.value]
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        message = f"the tag '{node.tag}' is not allowed here; write plain text instead"
        raise WorkbookError([Problem(file, message, line)]) from None


def _convert_mapping(
    loader: yaml.SafeLoader, node: yaml.MappingNode, file: str, offset: int, depth: int, line: int
) -> Located:
    result = Located()
    result.line = line
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = _convert(loader, key_node, file, offset, depth + 1)
        key_line = key_node.start_mark.line + 1 + offset
        if not isinstance(key, str):
            raise WorkbookError([Problem(file, f"the key {key!r} must be a word", key_line)])
        if key in result:
            message = f"the key '{key}' appears twice; keep only one"
            raise WorkbookError([Problem(file, message, key_line)])
        result[key] = _convert(loader, value_node, file, offset, depth + 1)
        result.key_lines[key] = key_line
    return result
