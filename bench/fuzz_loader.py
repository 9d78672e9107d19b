"""Fuzz the loader: the property tests in tests/test_properties.py with many more examples.

    .venv/bin/python bench/fuzz_loader.py [EXAMPLES]     (default 5000 per property)

Every generated workbook, worksheet, YAML text and Markdown body must load or raise
`WorkbookError`; any other exception is printed with the input that caused it, and the exit
code is 1.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
os.environ["WORKBOOK_FUZZ_EXAMPLES"] = str(EXAMPLES)  # read when the properties are defined

from tests import test_properties as properties  # noqa: E402

PROPERTIES = (  # (property, share of EXAMPLES it runs)
    (properties.test_loader_never_fails_another_way, 1),
    (properties.test_worksheet_schema_never_fails_another_way, 1),
    (properties.test_brand_and_helplines_never_fail_another_way, 1),
    (properties.test_yaml_loader_never_fails_another_way, 1),
    (properties.test_markdown_extension_never_fails_another_way, 1),
    (properties.test_any_text_that_loads_also_renders_and_packages, 1 / 5),
    (properties.test_any_stylesheet_renders_safely_or_says_why, 1 / 5),
    (properties.test_any_template_renders_safely_or_says_why, 1 / 5),
)


def main() -> int:
    failed = 0
    for prop, share in PROPERTIES:
        started = time.perf_counter()
        try:
            prop()
            status = "ok"
        except Exception:
            failed += 1
            status = "FAILED"
            traceback.print_exc()
        seconds = time.perf_counter() - started
        count = max(10, int(EXAMPLES * share))
        print(f"{prop.__name__}: {count} examples, {status}, {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
