"""The README's runnable examples (code blocks starting ``# runnable example:``) run as
written, in a fresh namespace each."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(# runnable example: ([^\n]+)\n.*?)```", README.read_text(),
                    flags=re.S)


def test_the_readme_has_the_sample_weight_and_frozen_examples():
    assert {name for _, name in BLOCKS} >= {"sample_weight", "frozen"}


@pytest.mark.parametrize("code", [code for code, _ in BLOCKS],
                         ids=[name for _, name in BLOCKS])
def test_readme_example_runs(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102
    assert out.getvalue().strip()
