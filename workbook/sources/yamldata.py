"""Safe YAML loading that remembers where every value came from.

Values are plain Python types, but mappings are `Located` dicts that know the line of each key
and lists are `LocatedList`s, so the schema can point at `chapters/x.yaml:12`. Only the safe
tags are accepted; anchors and aliases are refused (they are never needed in a worksheet and
can blow up in size).
"""

from __future__ import annotations

from typing import Any

import yaml

from workbook.errors import Problem, WorkbookError
from workbook.safefiles import invisible_character
from workbook.sources.located import Located, LocatedList

MAX_DEPTH = 40


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases ('*name') are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML text into located values; `first_line` offsets front matter. A syntax error
    stops at once; duplicate keys and refused tags are all collected, then raised together."""
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as error:
        raise _unprintable(error, text, file, first_line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        converter = _Converter(loader, file, first_line - 1)
        value = converter.convert(node, 0)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = (error.problem or error.context or "not valid YAML").strip()
        raise WorkbookError([Problem(file, f"not valid YAML: {problem}", line)]) from None
    except yaml.reader.ReaderError as error:
        raise _unprintable(error, text, file, first_line) from None
    except yaml.YAMLError as error:
        raise WorkbookError([Problem(file, f"not valid YAML: {error}", first_line)]) from None
    except RecursionError:
        raise WorkbookError([Problem(file, "the YAML is nested too deeply", first_line)]) from None
    finally:
        loader.dispose()
    if converter.problems:
        raise WorkbookError(converter.problems)
    return value


def _unprintable(
    error: yaml.reader.ReaderError, text: str, file: str, first_line: int
) -> WorkbookError:
    line = text[: error.position].count("\n") + first_line
    message = f"contains an invisible control character (code {error.character:#06x}); delete it"
    return WorkbookError([Problem(file, message, line)])


class _Converter:
    """Turns composed nodes into located values, noting every problem it meets."""

    def __init__(self, loader: yaml.SafeLoader, file: str, offset: int) -> None:
        self.loader = loader
        self.file = file
        self.offset = offset
        self.problems: list[Problem] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def convert(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WorkbookError(
                [Problem(self.file, "the YAML is nested too deeply", self.line(node))]
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            items = LocatedList((self.convert(n, depth + 1) for n in node.value), self.line(node))
            items.item_lines = [self.line(n) for n in node.value]
            return items
        try:
            value = self.loader.construct_object(node, deep=True)
            invisible = invisible_character(value) if isinstance(value, str) else None
            if invisible:  # written as an escape such as "\x01" in quotes
                self.problems.append(Problem(self.file, invisible, self.line(node)))
                return None
            return value
        except (yaml.constructor.ConstructorError, ValueError, OverflowError):
            message = f"the value '{node.value}' could not be read; write plain text instead"
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a real date; put it in quotes if it is text"
            elif not node.tag.startswith("tag:yaml.org,2002:") or "python" in node.tag:
                message = f"the tag '{node.tag}' is not allowed here; write plain text instead"
            self.problems.append(Problem(self.file, message[:300], self.line(node)))
            return None

    def mapping(self, node: yaml.MappingNode, depth: int) -> Located:
        result = Located(self.line(node))
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            key_line = self.line(key_node)
            if not isinstance(key, str):
                message = f"the key {str(key)[:60]!r} must be a word"
                self.problems.append(Problem(self.file, message, key_line))
            elif key in result:
                message = f"the key '{key}' appears twice; keep only one"
                self.problems.append(Problem(self.file, message, key_line))
            else:
                result[key] = self.convert(value_node, depth + 1)
                result.key_lines[key] = key_line
        return result
