"""The bound on what a finding quotes: long input values are shortened, short texts untouched."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sts_cli.findings import (
    KEEP,
    PATH_CAP,
    QUOTE_MAX,
    TEXT_CAP,
    TOKEN_MAX,
    Finding,
    Location,
    Related,
    Severity,
    bound_list,
    bound_text,
    format_path,
)

X = "x" * 100_000
HERE = Location("a.yaml", 3, 9, 0)


def make(message: str, **fields: object) -> Finding:
    return Finding("sts-name-invalid", Severity.ERROR, message, HERE, **fields)  # type: ignore[arg-type]


# --- the text policy -----------------------------------------------------------------------------


def test_short_and_ordinary_texts_are_the_same_object() -> None:
    for text in ("", "x", "StatefulSet name 'Web' is not a DNS label",
                 "no container has a readiness probe: with OrderedReady the next pod starts as soon as the "
                 "previous one is running, healthy or not (the pod's readiness is not checked) 'x'",
                 "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"
                 "[0].podAffinityTerm.labelSelector.matchExpressions[0].values[0] is required"):
        assert bound_text(text) is text


def test_a_long_quoted_value_keeps_its_start_and_states_its_length() -> None:
    message = f"StatefulSet name {X!r} is not a DNS label: must be no more than 63 characters (it has 100000)"
    assert bound_text(message) == (
        f"StatefulSet name '{'x' * KEEP}…' (100,000 characters) is not a DNS label: "
        "must be no more than 63 characters (it has 100000)")


def test_quoted_runs_at_the_threshold_stay_whole_and_one_past_it_is_cut() -> None:
    at = "v" * QUOTE_MAX
    over = "v" * (QUOTE_MAX + 1)
    assert bound_text(f"value '{at}' is bad") == f"value '{at}' is bad"
    assert bound_text(f"value '{over}' is bad") == f"value '{'v' * KEEP}…' ({QUOTE_MAX + 1} characters) is bad"


def test_double_quotes_and_several_runs_in_one_message() -> None:
    message = f'label value "{X}" of "{"k" * 500}" for \'app\': too long'
    assert bound_text(message) == (f'label value "{"x" * KEEP}…" (100,000 characters) of '
                                   f'"{"k" * KEEP}…" (500 characters) for \'app\': too long')


def test_a_short_value_next_to_a_huge_one_is_quoted_in_full() -> None:
    message = f"container 'web-server': port name {X!r}: must be no more than 15 characters"
    out = bound_text(message)
    assert out.startswith("container 'web-server': port name 'xxxx")
    assert out.endswith("…' (100,000 characters): must be no more than 15 characters")


def test_apostrophes_in_prose_are_not_quotes() -> None:
    # Between the apostrophe of "pod's" and the next quote lie more than QUOTE_MAX characters.
    message = ("the pod's " + "readiness gate " * 12 + "is never checked; set 'web'")
    assert len(message) > QUOTE_MAX + 20
    assert bound_text(message) is message


def test_values_with_spaces_are_cut_by_their_quotes() -> None:
    value = "a b " * 10_000
    out = bound_text(f"image {value!r} is not valid")
    assert out == f"image '{value[:KEEP]}…' ({len(value):,} characters) is not valid"


def test_a_cut_never_ends_inside_an_escape() -> None:
    value = "y" * (KEEP - 1) + "\n" * 200  # repr: 99 y, then \n \n ...: the 100th character is a backslash
    out = bound_text(f"name {value!r} is bad")
    assert out.startswith("name '" + "y" * (KEEP - 1) + "…'")


def test_unquoted_long_runs_are_cut_and_keep_their_punctuation() -> None:
    name = "n" * 5000
    assert bound_text(f"Service default/{name} selects these pods") == \
        f"Service default/{'n' * KEEP}… selects these pods"
    assert bound_text(f"set `selector: {{app: {name}}}`") == f"set `selector: {{app: {'n' * KEEP}…}}`"
    assert bound_text(f"StatefulSets ns/{name}: overlap") == f"StatefulSets ns/{'n' * KEEP}…: overlap"
    token = "t" * TOKEN_MAX
    assert bound_text(f"pod {token} and {token}") == f"pod {token} and {token}"


def test_everything_else_is_cut_at_the_hard_cap() -> None:
    words = "word " * 1000  # no long run, no quote: only the cap applies
    out = bound_text(words)
    assert len(out) == TEXT_CAP and out.endswith("…") and out.startswith("word word")
    many = " ".join(repr("v" * 200) for _ in range(100))
    assert len(bound_text(many)) == TEXT_CAP


def test_bounding_is_linear_on_pathological_texts() -> None:
    started = time.perf_counter()
    for text in ("-'a" * 100_000, "' " * 100_000, '-"a' * 100_000, ("'" + "y" * 130 + "' ") * 2000,
                 ("y" * 150 + " ") * 2000, "\\'" * 100_000, "x" * 300_000):
        assert len(bound_text(text)) <= TEXT_CAP
    assert time.perf_counter() - started < 1.5


_PIECES = st.one_of(st.sampled_from(["'", '"', " ", "\\", "x", "/", ":", "}", "…", "\n", "é", "'s "]),
                    st.integers(1, 300).map(lambda n: "y" * n))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_bound_is_bounded_and_settled(text: str) -> None:
    out = bound_text(text)
    assert len(out) <= TEXT_CAP
    assert bound_text(out) == out
    longest_run = max(len(run) for run in re.split(r"[\s/]", text))
    if len(text) <= TEXT_CAP and "'" not in text and '"' not in text and longest_run <= TOKEN_MAX:
        assert out == text  # nothing long to cut: unchanged


def test_extra_lists_keep_every_item_and_shorten_long_ones() -> None:
    short = ",".join(f"web-{i}" for i in range(5000))
    assert bound_list(short) is short
    assert bound_list(f"{X}-0,{X}-1,ok") == f"{'x' * KEEP}…,{'x' * KEEP}…,ok"


# --- paths ---------------------------------------------------------------------------------------


def test_paths_shorten_huge_keys_the_same_way_every_time() -> None:
    assert format_path(("metadata", "labels", "app")) == "metadata.labels.app"
    assert format_path(("metadata", "labels", "example.com/team")) == "metadata.labels['example.com/team']"
    long_key = "k" * TOKEN_MAX
    assert format_path(("metadata", "labels", long_key)) == f"metadata.labels.{long_key}"
    assert format_path(("metadata", "labels", X)) == f"metadata.labels.{'x' * KEEP}…"
    assert format_path(("metadata", "labels", X + ".io")) == f"metadata.labels['{'x' * KEEP}…']"
    # Checks compare their own paths with those of schema findings: both come from here.
    assert format_path(["spec", "selector", X]) == format_path(("spec", "selector", X))


# --- findings ------------------------------------------------------------------------------------


def test_findings_bound_every_text_they_carry() -> None:
    finding = make(f"StatefulSet name {X!r} is not a DNS label", hint=f"set serviceName: {X}",
                   object=f"StatefulSet default/{X[:252]}…", path="spec." * 1000,
                   template=Location("t" * 50_000, 2, 1), extra={"created": f"{X}-0,{X}-1", "field": "spec"},
                   related=(Related(HERE, f"Service default/{X} selects these pods"),))
    assert finding.message == f"StatefulSet name '{'x' * KEEP}…' (100,000 characters) is not a DNS label"
    assert finding.hint == f"set serviceName: {'x' * KEEP}…"
    assert finding.object == f"StatefulSet default/{'x' * KEEP}…"
    assert len(finding.path) == PATH_CAP and finding.path.endswith("…")
    assert finding.template is not None and finding.template.file == "t" * KEEP + "…"
    assert (finding.template.line, finding.template.column) == (2, 1)
    assert finding.extra == {"created": f"{'x' * KEEP}…,{'x' * KEEP}…", "field": "spec"}
    assert finding.related[0].message == f"Service default/{'x' * KEEP}… selects these pods"
    assert finding.related[0].location == HERE
    # Changing a bounded finding changes nothing else.
    again = finding.with_severity(Severity.WARNING)
    assert replace(again, severity=Severity.ERROR) == finding
    assert again.message == finding.message and again.extra == finding.extra


def test_ordinary_findings_are_unchanged() -> None:
    hint = "use lowercase letters, digits and '-' only, at most 63 characters"
    finding = make("StatefulSet name 'Web' is not a DNS label: a lowercase RFC 1123 label must consist of lower "
                   "case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                   "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                   hint=hint, path="metadata.name", object="StatefulSet default/Web", extra={"k": "v"})
    assert finding.message.endswith("regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
    assert finding.hint is hint
    assert (finding.path, finding.object, finding.extra) == ("metadata.name", "StatefulSet default/Web", {"k": "v"})
