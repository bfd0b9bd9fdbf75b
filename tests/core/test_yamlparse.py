"""The YAML reader: go-yaml v2 scalar resolution, keys, merges, tags, positions and limits."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sts_cli.documents import load_source
from sts_cli.limits import Limits
from sts_cli.sources import Source
from sts_cli.yamlparse import ParseIssue, RawDocument, go_float_key, parse_stream, resolve_plain


def one(text: str, limits: Limits | None = None) -> Any:
    docs, issues = parse_stream(text, limits)
    assert issues == [], issues
    assert len(docs) == 1
    return docs[0].data


def issues_of(text: str, limits: Limits | None = None) -> list[tuple[str, int, int]]:
    """(rule, 1-based line, 1-based column) of each issue."""
    _docs, issues = parse_stream(text, limits)
    return [(i.rule, i.pos[0] + 1, i.pos[1] + 1) for i in issues]


def parsed(text: str, limits: Limits | None = None) -> tuple[list[RawDocument], list[ParseIssue]]:
    return parse_stream(text, limits)


# --- plain scalars: go-yaml v2 resolve.go, as sigs.k8s.io/yaml uses it ------------------------

RESOLUTION = [
    # YAML 1.1 booleans, exact spellings only
    *[(word, True) for word in ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE")],
    *[(word, False) for word in ("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE")],
    ("oN", "oN"), ("yES", "yES"), ("tRUE", "tRUE"), ("Y2", "Y2"), ("nope", "nope"),
    # nulls
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("nULL", "nULL"),
    # integers: ParseInt(s, 0, 64) after removing underscores; a leading 0 is octal
    ("0", 0), ("00", 0), ("7", 7), ("-7", -7), ("+12", 12), ("0755", 493), ("-0755", -493),
    ("0o17", 15), ("0O17", 15), ("0x1F", 31), ("0X1f", 31), ("-0x10", -16), ("0b101", 5), ("0B11", 3),
    ("-0b11", -3), ("1_000", 1000), ("0x_1F", 31), ("1__0", 10),
    ("9223372036854775807", 9223372036854775807), ("-9223372036854775808", -9223372036854775808),
    ("18446744073709551615", 18446744073709551615),  # ParseUint
    # floats: invalid octal 08 and 09 fall through to ParseFloat; big values too
    ("08", 8.0), ("09", 9.0), ("0789", 789.0), ("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-.5", -0.5),
    ("1e3", 1000.0), ("1E3", 1000.0), ("+1.5e-3", 0.0015), ("1_000.5", 1000.5), (".5_5", 0.55),
    ("+18446744073709551615", 1.8446744073709552e19),  # a sign means ParseInt only, which overflows
    ("18446744073709551616", 1.8446744073709552e19),
    ("-9223372036854775809", -9.223372036854776e18),
    (".inf", math.inf), (".Inf", math.inf), ("+.INF", math.inf), ("-.inf", -math.inf),
    # strings
    ("1e400", "1e400"),  # ParseFloat overflow is an error: the value stays a string
    ("0x", "0x"), ("0o", "0o"), ("0b2", "0b2"), ("0o8", "0o8"), ("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"),
    ("1:20", "1:20"),  # no base 60
    ("inf", "inf"), ("NaN", "NaN"), ("nan", "nan"), (".", "."), ("-", "-"), ("+", "+"), ("._5", "._5"),
    ("1e", "1e"), ("e3", "e3"), ("12abc", "12abc"), ("1.2.3", "1.2.3"), ("3Gi", "3Gi"), ("500m", "500m"),
    ("<<", "<<"), ("2001-12-14", "2001-12-14"), ("2001-12-14t21:59:43.10Z", "2001-12-14t21:59:43.10Z"),
    ("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"),
]


@pytest.mark.parametrize(("text", "expected"), RESOLUTION)
def test_plain_scalar_resolution(text: str, expected: Any) -> None:
    value = resolve_plain(text)
    assert value == expected and type(value) is type(expected)
    if text != "-":  # `v: -` is a block sequence entry, not a scalar
        assert one(f"v: {text}\n") == {"v": expected}


def test_nan_and_empty() -> None:
    assert math.isnan(resolve_plain(".nan")) and math.isnan(resolve_plain(".NaN"))
    assert resolve_plain("") is None
    assert one("a:\nb: ''\nc: \"\"\n") == {"a": None, "b": "", "c": ""}


@pytest.mark.parametrize("text", ["'on'", '"on"', "'0755'", '"08"', "'~'", "'null'", '"1e3"', "|\n  on\n",
                                  ">\n  yes\n"])
def test_quoted_and_block_scalars_stay_strings(text: str) -> None:
    value = one(f"v: {text}")["v"]
    assert isinstance(value, str)


def test_non_specific_tag_keeps_a_string() -> None:
    assert one("v: ! 123\nw: ! on\n") == {"v": "123", "w": "on"}


# --- tags --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("!!str 0755", "0755"), ("!!str on", "on"), ("!!int '0x10'", 16), ("!!int 1_0", 10), ("!!float 3", 3.0),
    ("!!float '1e3'", 1000.0), ("!!bool yes", True), ("!!bool 'off'", False), ("!!null ~", None),
    ("!!null ''", None), ("!!timestamp 2001-12-14", "2001-12-14"), ("!!binary aGVsbG8=", "hello"),
    ("!<tag:yaml.org,2002:str> 12", "12"),
])
def test_standard_tags(text: str, expected: Any) -> None:
    value = one(f"v: {text}\n")["v"]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["!!int 1.5", "!!int 08", "!!int abc", "!!float abc", "!!bool 1", "!!null x",
                                  "!!timestamp soon", "!!binary '@@@'"])
def test_standard_tags_with_wrong_values_are_findings(text: str) -> None:
    assert issues_of(f"v: {text}\n") == [("yaml-unsupported-tag", 1, 4)]


@pytest.mark.parametrize(("text", "rule"), [
    ("!!python/object/apply:os.system [echo pwned]", "yaml-unsafe-tag"),
    ("!!python/name:os.system ''", "yaml-unsafe-tag"),
    ("!<tag:yaml.org,2002:python/object:os.Popen> {args: [id]}", "yaml-unsafe-tag"),
    ("!Ref Replicas", "yaml-unsupported-tag"),
    ("!!set {a, b}", "yaml-unsupported-tag"),
    ("!!omap [a: 1]", "yaml-unsupported-tag"),
    ("!custom {a: 1}", "yaml-unsupported-tag"),
])
def test_python_and_unknown_tags_are_findings_and_construct_nothing(text: str, rule: str) -> None:
    docs, issues = parsed(f"v: {text}\n")
    assert [(i.rule, i.pos) for i in issues] == [(rule, (0, 3))]
    value = docs[0].data["v"]
    assert isinstance(value, (str, list, dict))  # plain data only, never an object


def test_python_tag_on_a_key_and_in_a_sequence() -> None:
    assert issues_of("!!python/str k: v\nl:\n- !!python/tuple [1, 2]\n") == [
        ("yaml-unsafe-tag", 1, 1), ("yaml-unsafe-tag", 3, 3)]


# --- keys: sigs.k8s.io/yaml turns resolved keys into JSON object keys ---------------------------


@pytest.mark.parametrize(("key", "expected"), [
    ("yes", "true"), ("on", "true"), ("y", "true"), ("no", "false"), ("Off", "false"), ("true", "true"),
    ("1", "1"), ("0x10", "16"), ("0755", "493"), ("-3", "-3"), ("1.5", "1.5"), ("1.0", "1"), ("1e3", "1000"),
    ("1e6", "1e+06"), ("123456789.0", "1.2345679e+08"), ("0.0001", "0.0001"), ("0.00001", "1e-05"),
    ("3.14159265358979", "3.1415927"), (".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"),
    ("08", "8"), ("'yes'", "yes"), ("2001-12-14", "2001-12-14"), ("9223372036854775807", "9223372036854775807"),
])
def test_keys_are_strings_as_sigs_yaml_makes_them(key: str, expected: str) -> None:
    assert one(f"{key}: v\n") == {expected: "v"}


def test_go_float_key_formatting() -> None:
    assert go_float_key(0.0) == "0" and go_float_key(-0.0) == "-0"
    assert go_float_key(100.0) == "100" and go_float_key(-2.5) == "-2.5"
    assert go_float_key(1e39) == ".inf" and go_float_key(-1e39) == "-.inf"


@pytest.mark.parametrize("key", ["~", "null", "''", "9223372036854775808", "18446744073709551615"])
def test_keys_that_cannot_be_json_keys_are_findings(key: str) -> None:
    if key == "''":  # an empty quoted key is the empty string: fine
        assert one("'': v\n") == {"": "v"}
        return
    docs, issues = parsed(f"{key}: v\nok: 1\n")
    assert [(i.rule, i.pos) for i in issues] == [("yaml-complex-key", (0, 0))]
    assert docs[0].data == {"ok": 1}


def test_complex_keys() -> None:
    docs, issues = parsed("? [a, b]\n: 1\n? {c: d}\n: 2\nok: 3\n")
    assert [(i.rule, i.pos) for i in issues] == [("yaml-complex-key", (0, 2)), ("yaml-complex-key", (2, 2))]
    assert docs[0].data == {"ok": 3}


def test_duplicate_keys_name_both_lines() -> None:
    docs, issues = parsed("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [(i.rule, i.pos) for i in issues] == [("yaml-duplicate-key", (3, 2)), ("yaml-duplicate-key", (4, 0))]
    assert "already defined at line 3, column 3" in issues[0].message
    assert "already defined at line 1, column 1" in issues[1].message
    assert docs[0].data == {"a": 3, "b": {"c": 2}}  # the last one wins, as in go-yaml v2


def test_keys_that_resolve_alike_are_duplicates() -> None:
    assert issues_of("yes: 1\ntrue: 2\n") == [("yaml-duplicate-key", 2, 1)]
    assert issues_of("0x10: a\n16: b\n") == [("yaml-duplicate-key", 2, 1)]
    assert issues_of("'yes': 1\ntrue: 2\n") == []


# --- merge keys: go-yaml v2 decode.go ----------------------------------------------------------


def test_merge_in_order_a_later_merge_overrides_earlier_keys() -> None:
    assert one("a: 1\n<<: {a: 2, b: 2}\n") == {"a": 2, "b": 2}
    assert one("<<: {a: 2, b: 2}\na: 1\n") == {"a": 1, "b": 2}


def test_merge_list_earlier_maps_win() -> None:
    assert one("<<: [{a: 1}, {a: 2, b: 2}]\n") == {"a": 1, "b": 2}
    text = "base: &base {a: 1, b: 1}\nmore: &more {b: 2, c: 2}\nx:\n  <<: [*base, *more]\n  c: 3\n"
    assert one(text)["x"] == {"a": 1, "b": 1, "c": 3}


def test_merged_keys_are_located_where_the_anchor_wrote_them() -> None:
    docs, _ = parsed("base: &base\n  a: 1\nx:\n  <<: *base\n  b: 2\n")
    data = docs[0].data
    assert docs[0].positions.key_and_value(data["x"], "a") == ((1, 2), (1, 5))
    assert docs[0].positions.key_and_value(data["x"], "b") == ((4, 2), (4, 5))


def test_merged_key_then_explicit_key_is_not_a_duplicate() -> None:
    assert issues_of("<<: {a: 1}\na: 2\n") == []


@pytest.mark.parametrize("text", [
    "<<: 1\n", "<<: [1, 2]\n", "<<:\n", "l: &l [{a: 1}]\nx:\n  <<: *l\n", "s: &s x\nx:\n  <<: *s\n",
])
def test_merge_needs_mappings(text: str) -> None:
    assert [rule for rule, _l, _c in issues_of(text)] == ["yaml-syntax"]


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert one("'<<': {a: 1}\nb: 2\n") == {"<<": {"a": 1}, "b": 2}
    assert one("!!merge <<: {a: 1}\n") == {"a": 1}


# --- aliases -----------------------------------------------------------------------------------


def test_alias_shares_the_anchored_value_and_its_positions() -> None:
    text = "env: &env\n- name: A\n  value: x\nc1:\n  env: *env\nc2:\n  env: *env\n"
    docs, issues = parsed(text)
    assert issues == []
    data = docs[0].data
    assert data["c1"]["env"] is data["c2"]["env"] is data["env"]
    positions = docs[0].positions
    assert positions.key_and_value(data["c1"], "env") == ((4, 2), (4, 7))  # the alias itself
    assert positions.key_and_value(data["c2"], "env") == ((6, 2), (6, 7))
    assert positions.item(data["c2"]["env"], 0) == (1, 2)  # inside: where the anchor wrote it


def test_scalar_anchor_on_a_key() -> None:
    assert one("&k name: *k\n") == {"name": "name"}


def test_alias_to_an_unknown_or_open_anchor() -> None:
    assert issues_of("a: *nope\n") == [("yaml-syntax", 1, 4)]
    assert issues_of("a: &a [*a]\n") == [("yaml-syntax", 1, 8)]


# --- documents and positions -------------------------------------------------------------------


def test_positions_in_the_third_document_count_from_the_file_start() -> None:
    text = "a: 1\n---\nb: 2\n---\n# c\nkind: X\nspec:\n  items:\n  - x\n  - {z: 1}\n"
    docs, issues = parsed(text)
    assert issues == []
    third = docs[2]
    assert third.index == 2 and third.start == (5, 0)
    data = third.data
    assert third.positions.key_and_value(data, "kind") == ((5, 0), (5, 6))
    items = data["spec"]["items"]
    assert third.positions.item(items, 0) == (8, 4)
    assert third.positions.item(items, 1) == (9, 4)
    assert third.positions.key_and_value(items[1], "z") == ((9, 5), (9, 8))


def test_empty_and_comment_only_documents() -> None:
    docs, issues = parsed("---\n---\n# only a comment\n---\na: 1\n...\n---\n")
    assert issues == []
    assert [(d.index, d.data) for d in docs] == [(0, None), (1, None), (2, {"a": 1}), (3, None)]
    assert parsed("") == ([], [])
    assert parsed("# nothing\n") == ([], [])


def test_top_level_scalars_and_sequences() -> None:
    docs, _ = parsed("just a string\n---\n- a\n- b\n---\n42\n")
    assert [d.data for d in docs] == ["just a string", ["a", "b"], 42]


def test_crlf_positions() -> None:
    docs, issues = parsed("a: 1\r\nb:\r\n  c: on\r\n")
    assert issues == []
    assert docs[0].data == {"a": 1, "b": {"c": True}}
    assert docs[0].positions.key_and_value(docs[0].data["b"], "c") == ((2, 2), (2, 5))


def test_json_documents() -> None:
    text = '{\n\t"kind": "StatefulSet",\n\t"spec": {"replicas": "3", "n": 1e3, "m": -0, "x": null}\n}\n'
    docs, issues = parsed(text)
    assert issues == []
    data = docs[0].data
    assert data == {"kind": "StatefulSet", "spec": {"replicas": "3", "n": 1000.0, "m": 0, "x": None}}
    assert docs[0].positions.key_and_value(data["spec"], "replicas") == ((2, 10), (2, 22))


def test_json_duplicate_keys() -> None:
    assert issues_of('{"a": 1,\n "a": 2}\n') == [("yaml-duplicate-key", 2, 2)]


def test_tabs_for_indentation_are_a_syntax_error_with_a_hint() -> None:
    docs, issues = parsed("a: 1\nb:\n\tc: 2\n")
    assert [(i.rule, i.pos, i.fatal) for i in issues] == [("yaml-syntax", (2, 0), True)]
    assert "tabs" in issues[0].hint
    assert docs == []


@pytest.mark.parametrize(("text", "line", "column"), [
    ("a: [1, 2\n", 2, 1),
    ("a: b: c\n", 1, 5),
    ("a: 'x\n", 2, 1),
    ("- a\nb: 1\n", 2, 1),
    ("a:\n  b: 1\n c: 2\n", 3, 2),
    ("ok: 1\nbad: \x07\n", 2, 6),
    ("%YAML 2.0\n---\na: 1\n", 1, 1),
])
def test_syntax_errors_have_line_and_column(text: str, line: int, column: int) -> None:
    found = issues_of(text)
    assert found == [("yaml-syntax", line, column)]


def test_documents_before_a_syntax_error_are_kept() -> None:
    docs, issues = parsed("a: 1\n---\nb: [\n")
    assert [d.data for d in docs] == [{"a": 1}]
    assert issues[0].document == 1 and issues[0].fatal


def test_list_items_keep_their_positions() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n"
            "- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata:\n    name: b\n")
    loaded = load_source(Source("list.yaml", text.encode()))
    assert [(o.kind, o.name, o.item, o.start) for o in loaded.objects] == [
        ("Service", "a", 0, (3, 2)), ("StatefulSet", "b", 1, (6, 2))]
    assert loaded.objects[1].location(("metadata", "name"), at_value=True).line == 10
    assert loaded.objects[1].location(("metadata", "name"), at_value=True).column == 11


def test_typed_list_names_the_kind_once() -> None:
    text = "apiVersion: apps/v1\nkind: StatefulSetList\nitems:\n- metadata: {name: a}\n  spec: {}\n"
    loaded = load_source(Source("l.yaml", text.encode()))
    [obj] = loaded.objects
    assert (obj.kind, obj.api_version, obj.name) == ("StatefulSet", "apps/v1", "a")
    assert obj.location(("spec",)).line == 5


def test_bom_file_positions() -> None:
    loaded = load_source(Source("bom.yaml", b"\xef\xbb\xbfa: 1\nkind: X\n"))
    [obj] = loaded.objects
    assert obj.location(("kind",)).line == 2 and obj.location(("kind",)).column == 1


# --- limits ------------------------------------------------------------------------------------


def test_nesting_limit_is_a_finding_and_other_documents_are_kept() -> None:
    deep = "a: " + "[" * 10 + "]" * 10 + "\n"
    docs, issues = parsed("ok: 1\n---\n" + deep + "---\nfine: 2\n", Limits(max_depth=5))
    assert [(i.rule, i.pos, i.document) for i in issues] == [("yaml-limit", (2, 7), 1)]
    assert "--max-depth" in issues[0].message
    assert [d.data for d in docs] == [{"ok": 1}, {"fine": 2}]


def test_nesting_at_the_limit_is_fine() -> None:
    text = "a: " + "[" * 4 + "]" * 4 + "\n"  # the mapping and 4 lists: 5 levels
    assert parsed(text, Limits(max_depth=5))[1] == []


def test_the_parsers_own_depth_limit_is_a_limit_finding() -> None:
    text = "a: " + "[" * 20000 + "]" * 20000 + "\n"
    _docs, issues = parsed(text, Limits(max_depth=100_000))
    assert [i.rule for i in issues] == ["yaml-limit"]
    assert "1000 levels" in issues[0].message


def billion_laughs(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_stopped_by_the_node_limit() -> None:
    docs, issues = parsed(billion_laughs(9) + "---\nnext: 1\n")
    assert [(i.rule, i.document) for i in issues] == [("yaml-limit", 0)]
    assert "--max-nodes" in issues[0].message
    assert [d.data for d in docs] == [{"next": 1}]


def test_alias_count_limit() -> None:
    text = "a: &a x\nl: [" + ", ".join(["*a"] * 20) + "]\n"
    issues = parsed(text, Limits(max_aliases=10))[1]
    assert [(i.rule, i.pos) for i in issues] == [("yaml-limit", (1, 4 + 10 * 4))]
    assert "--max-aliases" in issues[0].message
    assert parsed(text, Limits(max_aliases=20))[1] == []


def test_alias_expanded_characters_are_bounded() -> None:
    big = "x" * 10_000
    text = f"a: &a {big}\nl: [" + ", ".join(["*a"] * 40) + "]\n"
    limits = Limits(max_nodes=10_000)  # 320,000 characters through aliases
    issues = parsed(text, limits)[1]
    assert [i.rule for i in issues] == ["yaml-limit"]
    assert "320000 characters" in issues[0].message
    assert parsed(text, Limits(max_nodes=20_000))[1] == []


def test_node_limit_without_aliases() -> None:
    text = "l: [" + ", ".join(["1"] * 100) + "]\n"
    assert [i.rule for i in parsed(text, Limits(max_nodes=50))[1]] == ["yaml-limit"]


def test_document_count_limit_keeps_the_first_documents() -> None:
    docs, issues = parsed("---\na: 1\n" * 10, Limits(max_documents=4))
    assert len(docs) == 4
    assert [(i.rule, i.pos) for i in issues] == [("yaml-limit", (8, 0))]
    assert "--max-documents" in issues[0].message


def test_limits_scale_linearly() -> None:
    import time

    # A bomb of 20 levels would be 9**20 nodes: refused after a bounded amount of work.
    start = time.perf_counter()
    issues = parsed(billion_laughs(20))[1]
    assert [i.rule for i in issues] == ["yaml-limit"]
    assert time.perf_counter() - start < 1.0


# --- JSON specifics ----------------------------------------------------------------------------


def test_json_surrogate_pair_escapes_are_read_as_kubernetes_json_decoder_does() -> None:
    assert one('{"note": "\\ud83d\\ude00 ok", "b": 1}') == {"note": "\U0001F600 ok", "b": 1}
    # YAML (not JSON) text keeps libyaml's and go-yaml's verdict; lone surrogates are errors everywhere.
    assert [r for r, _l, _c in issues_of('note: "\\ud83d\\ude00"\n')] == ["yaml-syntax"]
    assert [r for r, _l, _c in issues_of('["\\ud800"]')] == ["yaml-syntax"]
    assert [r for r, _l, _c in issues_of('["\\\\ud83d\\ude00"]')] == ["yaml-syntax"]  # an escaped backslash


def test_long_names_are_cut_in_finding_object_names() -> None:
    loaded = load_source(Source("n.yaml", f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {'n' * 5000}\n".encode()))
    display = loaded.objects[0].display_name()
    assert len(display) < 300 and display.startswith("Service default/nnn") and display.endswith("…")
