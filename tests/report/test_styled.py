"""Text output: the plain and the coloured writer print the same characters; controls are escaped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sts_cli.engine import Summary, ValidationResult
from sts_cli.findings import Finding, Location, Severity
from sts_cli.report import ReportContext
from sts_cli.report.styled import StyledLines, printable
from sts_cli.report.text_report import render

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_control_characters_are_escaped() -> None:
    assert printable("web\tapp\r\n\x1b[2J\x7f\x85é") == "web\\tapp\\r\\n\\x1b[2J\\x7f\\x85é"
    assert printable("plain text, ünïcode ✓") == "plain text, ünïcode ✓"


@given(st.lists(st.lists(st.tuples(st.text(), st.sampled_from(["", "bold", "dim", "bold red", "green"])),
                         max_size=4), max_size=5))
def test_plain_and_coloured_output_have_the_same_characters(lines: list[list[tuple[str, str]]]) -> None:
    out = StyledLines()
    for parts in lines:
        if parts:
            out.add(*parts)
        else:
            out.blank()
    plain = out.render(color=False)
    assert ANSI.sub("", out.render(color=True)) == plain
    assert plain.count("\n") == len(lines)  # one output line per line, whatever the text holds


def test_a_hostile_name_cannot_split_a_finding_or_reach_the_terminal() -> None:
    finding = Finding("service-missing", Severity.ERROR, "no Service default/a\nb\x1b[31m in the input",
                      Location("x\ty.yaml", 3, 5), hint="add it\r")
    result = ValidationResult([finding], Summary(), ["x\ty.yaml"], [], [], [])
    context = ReportContext("0", "1.33", Severity.ERROR, color=False, quiet=False, show_summary=False)
    text = render(result, context)
    assert text == ("x\\ty.yaml:3:5: error service-missing no Service default/a\\nb\\x1b[31m in the input\n"
                    "    hint: add it\\r\n")
