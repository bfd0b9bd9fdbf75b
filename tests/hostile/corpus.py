"""A deterministic corpus of hostile and broken inputs: `hostile_files()` -> {name: bytes}.

Used by the hostile tests and by `scripts/fuzz.py` as seeds. Every file is small (a few KB,
a few MB for the long-line and size cases), and none needs more than the default limits to be
refused quickly.
"""

from __future__ import annotations

import random
from collections.abc import Callable

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels:
    app: nginx
  annotations:
    note: plain
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        env:
        - name: MODE
          value: "on"
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    name: web
"""

PAIR = STATEFULSET + "---\n" + SERVICE


def _nest_flow(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + close * depth


def _nest_block_map(depth: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + f"{'  ' * depth}leaf\n"


def _in_statefulset(place: str, value: str) -> str:
    """The valid StatefulSet with `value` (one line of flow YAML) put at `place`."""
    anchors = {
        "annotations": ("    note: plain\n", f"    note: plain\n    deep: {value}\n"),
        "labels": ("    app: nginx\n  annotations", f"    app: nginx\n    deep: {value}\n  annotations"),
        "env-value": ('          value: "on"\n', f"          value: {value}\n"),
        "unknown-field": ("      containers:\n", f"      unknownField: {value}\n      containers:\n"),
        "replicas": ("  replicas: 3\n", f"  replicas: {value}\n"),
        "matchLabels": ("      app: nginx\n  template", f"      app: nginx\n      deep: {value}\n  template"),
        "storage": ("          storage: 1Gi\n", f"          storage: {value}\n"),
        "container": ("      - name: nginx\n", f"      - name: nginx\n        args: {value}\n"),
    }
    old, new = anchors[place]
    assert old in STATEFULSET, place
    return STATEFULSET.replace(old, new, 1) + "---\n" + SERVICE


PLACES = ("annotations", "labels", "env-value", "unknown-field", "replicas", "matchLabels", "storage", "container")


def _billion_laughs(levels: int, width: int, as_map: bool = False) -> str:
    if as_map:
        lines = ["a0: &a0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
        for level in range(1, levels):
            lines.append(f"a{level}: &a{level} {{" + ", ".join(f"k{i}: *a{level - 1}" for i in range(width)) + "}")
    else:
        lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
        for level in range(1, levels):
            lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int, width: int) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(width)) + "}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * width) + f"], x{level}: 1}}")
    return "\n".join(lines) + "\n"


def _template_bomb() -> str:
    """Under every parse limit (about 450,000 nodes), but the pod template repeated per pod is huge."""
    anchors = ["x-a: &a [" + ", ".join(["x"] * 10) + "]"]
    for previous, name in zip("abcd", "bcde", strict=True):
        anchors.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = STATEFULSET.replace("    note: plain\n", "    note: plain\n" + "".join(f"    {a}\n" for a in anchors))
    return text.replace("      - name: nginx\n", "      - name: nginx\n        args: [*e, *e, *e]\n", 1)


def _bombs() -> dict[str, str]:
    big = "x" * 200_000
    return {
        "bomb-lists.yaml": _billion_laughs(10, 10),
        "bomb-maps.yaml": _billion_laughs(9, 9, as_map=True),
        "bomb-merge.yaml": _merge_bomb(12, 10),
        "bomb-in-statefulset.yaml": _in_statefulset("annotations", "x") + "---\n" + _billion_laughs(10, 10)
        + "apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {a: *a9}}\n",
        "bomb-string.yaml": f"s: &s {big}\nl: [" + ", ".join(["*s"] * 200) + "]\n",
        "bomb-key-alias.yaml": "k: &k key\n*k : 1\n" + "".join(f"? *k\n: {i}\n" for i in range(50)),
        "bomb-many-aliases.yaml": "a: &a 1\nl: [" + ", ".join(["*a"] * 5000) + "]\n",
        "bomb-pod-template.yaml": _template_bomb(),
        "bomb-replicas.yaml": _in_statefulset("replicas", "50000"),
        "alias-self.yaml": "a: &a [*a]\n",
        "alias-unknown.yaml": "a: *nowhere\n",
        "alias-forward.yaml": "a: *b\nb: &b 1\n",
        "alias-redefined.yaml": "a: &x 1\nb: &x 2\nc: *x\n",
        "alias-as-document.yaml": "--- &d {a: 1}\n--- *d\n",
    }


def _depth() -> dict[str, str]:
    files = {
        "deep-flow-100.yaml": "a: " + _nest_flow(99) + "\n",
        "deep-flow-101.yaml": "a: " + _nest_flow(100) + "\n",
        "deep-flow-999.yaml": "a: " + _nest_flow(999) + "\n",
        "deep-flow-5000.yaml": "a: " + _nest_flow(5000) + "\n",
        "deep-flow-unclosed.yaml": "a: " + "[" * 3000 + "\n",
        "deep-flow-maps.yaml": "a: " + "{a: " * 500 + "1" + "}" * 500 + "\n",
        "deep-block-150.yaml": _nest_block_map(150),
        "deep-block-seq.yaml": "".join(f"{'  ' * i}- \n" for i in range(200)),
        "deep-top-level-list.yaml": _nest_flow(2000) + "\n",
    }
    for place in PLACES:
        files[f"deep-{place}-at-limit.yaml"] = _in_statefulset(place, _nest_flow(90))
        files[f"deep-{place}-over-limit.yaml"] = _in_statefulset(place, _nest_flow(200))
        files[f"deep-{place}-maps.yaml"] = _in_statefulset(place, "{a: " * 85 + "1" + "}" * 85)
    return files


def _tags() -> dict[str, str]:
    return {
        "python-apply.yaml": "a: !!python/object/apply:os.system ['touch /tmp/sts-pwned']\n",
        "python-object.yaml": "a: !!python/object:subprocess.Popen {args: ['touch', '/tmp/sts-pwned']}\n",
        "python-new.yaml": "a: !!python/object/new:os.system [touch /tmp/sts-pwned]\n",
        "python-name.yaml": "a: !!python/name:os.system\n",
        "python-module.yaml": "a: !!python/module:os\n",
        "python-tuple-key.yaml": "? !!python/tuple [a, b]\n: 1\n",
        "python-in-statefulset.yaml": _in_statefulset("env-value", "!!python/object/apply:os.system [id]"),
        "python-document.yaml": "--- !!python/object:os._wrap_close\nstream: x\n",
        "python-long-tag.yaml": "a: !<tag:yaml.org,2002:python/object/apply:os.system> [id]\n",
        "tag-directive.yaml": "%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object/apply:os.system [id]\n",
        "tag-ref.yaml": _in_statefulset("replicas", "!Ref Replicas"),
        "tag-set.yaml": "s: !!set {a, b}\n",
        "tag-omap.yaml": "o: !!omap [a: 1, b: 2]\n",
        "tag-binary.yaml": "b: !!binary aGVsbG8=\nc: !!binary '@@'\n",
        "tag-str-on-map.yaml": "m: !!str {a: 1}\n",
        "tag-int-bad.yaml": _in_statefulset("replicas", "!!int three"),
        "tag-null-bad.yaml": "n: !!null nope\n",
        "tag-merge.yaml": "!!merge <<: {a: 1}\n",
        "tag-nonspecific.yaml": _in_statefulset("replicas", "! 3"),
    }


def _binary(rng: random.Random) -> dict[str, bytes]:
    files: dict[str, bytes] = {
        "bin-png.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "bin-gzip.yaml": b"\x1f\x8b\x08\x00" + bytes(rng.randrange(256) for _ in range(500)),
        "bin-elf.yaml": b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
        "bin-nul-middle.yaml": PAIR.encode()[:300] + b"\x00" + PAIR.encode()[300:],
        "bin-ff.yaml": b"a: \xff\xfe\n",
        "bin-invalid-utf8-late.yaml": PAIR.encode() + b"# \xc3\x28\n",
        "bin-overlong.yaml": b"a: \xc0\xaf\n",
        "bin-utf16-le-bom.yaml": b"\xff\xfe" + PAIR.encode("utf-16-le"),
        "bin-utf16-be-bom.yaml": b"\xfe\xff" + PAIR.encode("utf-16-be"),
        "bin-utf16-no-bom.yaml": PAIR.encode("utf-16-le"),
        "bin-utf16-odd.yaml": b"\xff\xfe" + PAIR.encode("utf-16-le") + b"\x00",
        "bin-utf32-bom.yaml": b"\xff\xfe\x00\x00" + PAIR.encode("utf-32-le"),
        "bin-bom-twice.yaml": b"\xef\xbb\xbf\xef\xbb\xbf" + PAIR.encode(),
        "bin-control-chars.yaml": b"a: \x07\x08\x1b[31m\n",
        "bin-surrogate-escape.yaml": b'a: "\\ud800"\nb: "\\udfff\\ud800"\n',
        "bin-del-and-c1.yaml": "a: \x7f\x85\x9f\n".encode(),
        "bin-bidi.yaml": "metadata:\n  name: \u202eweb\u2066\n".encode(),
        "bin-empty.yaml": b"",
        "bin-only-bom.yaml": b"\xef\xbb\xbf",
        "bin-whitespace.yaml": b"   \n\t\n  \r\n",
    }
    for index in range(25):
        size = rng.choice([1, 7, 64, 512, 4096])
        files[f"bin-random-{index:02d}.yaml"] = bytes(rng.randrange(256) for _ in range(size))
    for index in range(15):  # printable garbage: reaches the YAML parser
        size = rng.choice([10, 100, 1000])
        alphabet = "{}[]:-?&*!|>'\"%@`#,\n \t" + "abcxyz019"
        files[f"text-random-{index:02d}.yaml"] = "".join(rng.choice(alphabet) for _ in range(size)).encode()
    return files


def _truncated(rng: random.Random) -> dict[str, bytes]:
    data = PAIR.encode()
    cuts = sorted(rng.sample(range(1, len(data)), 40))
    files = {f"truncated-{cut:04d}.yaml": data[:cut] for cut in cuts}
    json_text = (b'{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "j"}, '
                 b'"spec": {"serviceName": "s", "selector": {"matchLabels": {"a": "b"}}, '
                 b'"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": '
                 b'[{"name": "c", "image": "i"}]}}}}')
    for cut in (1, 20, 60, 100, len(json_text) - 2):
        files[f"truncated-json-{cut:03d}.json"] = json_text[:cut]
    return files


def _structure() -> dict[str, str]:
    long_key = "k" * 100_000
    return {
        "top-scalar.yaml": "just text\n",
        "top-number.yaml": "42\n",
        "top-list.yaml": "- " + SERVICE.replace("\n", "\n  ")[:-2],
        "top-null.yaml": "~\n",
        "only-comments.yaml": "# a\n# b\n",
        "only-separators.yaml": "---\n---\n...\n---\n",
        "many-documents.yaml": "---\na: 1\n" * 3000,
        "many-empty-documents.yaml": "---\n" * 5000,
        "list-items-null.yaml": "apiVersion: v1\nkind: List\nitems:\n",
        "list-of-scalars.yaml": "apiVersion: v1\nkind: List\nitems: [1, two, null, [3]]\n",
        "list-nested.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n"
                            + "  - " + SERVICE.replace("\n", "\n    ")[:-4],
        "list-typed.yaml": "apiVersion: apps/v1\nkind: StatefulSetList\nitems:\n- metadata: {name: x}\n- 3\n",
        "metadata-list.yaml": STATEFULSET.replace("metadata:\n  name: web", "metadata:\n- name: web", 1),
        "metadata-string.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: web\nspec: {}\n",
        "spec-string.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: nope\n",
        "spec-list.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: [1, 2]\n",
        "containers-map.yaml": STATEFULSET.replace("      - name: nginx\n", "        name: nginx\n", 1),
        "kind-number.yaml": "apiVersion: apps/v1\nkind: 7\nmetadata: {name: a}\n",
        "kind-map.yaml": "apiVersion: {a: 1}\nkind: {b: 2}\nmetadata: {name: a}\n",
        "name-bool.yaml": SERVICE.replace("name: nginx\n  labels", "name: yes\n  labels", 1),
        "replicas-huge.yaml": _in_statefulset("replicas", "99999999999999999999999"),
        "replicas-negative.yaml": _in_statefulset("replicas", "-5"),
        "replicas-float.yaml": _in_statefulset("replicas", "2.5"),
        "replicas-inf.yaml": _in_statefulset("replicas", ".inf"),
        "replicas-nan.yaml": _in_statefulset("replicas", ".nan"),
        "replicas-octal.yaml": _in_statefulset("replicas", "010"),
        "replicas-hex.yaml": _in_statefulset("replicas", "0x10"),
        "replicas-string.yaml": _in_statefulset("replicas", '"3"'),
        "replicas-null.yaml": _in_statefulset("replicas", "~"),
        "replicas-bool.yaml": _in_statefulset("replicas", "on"),
        "storage-number.yaml": _in_statefulset("storage", "1e3"),
        "yaml11-values.yaml": _in_statefulset("labels", "yes").replace("app: nginx\n    deep", "app: 0755\n    deep"),
        "null-key.yaml": "~: a\nnull: b\nok: c\n",
        "complex-key.yaml": "? [a, b]\n: 1\n? {c: d}\n: 2\n",
        "huge-int-key.yaml": "18446744073709551615: a\n",
        "float-keys.yaml": "1.5: a\n1e6: b\n.inf: c\n",
        "bool-keys.yaml": "yes: a\nno: b\non: c\n",
        "duplicate-keys.yaml": STATEFULSET.replace("  replicas: 3\n", "  replicas: 3\n  replicas: 4\n", 1),
        "duplicate-many.yaml": "".join("a: 1\n" for _ in range(2000)),
        "merge-list-alias.yaml": "l: &l [{a: 1}]\nm:\n  <<: *l\n",
        "merge-scalar.yaml": "<<: 1\n",
        "merge-quoted.yaml": "'<<': {a: 1}\n",
        "merge-order.yaml": "a: 1\n<<: {a: 2}\n<<: [{a: 3}, {a: 4}]\n",
        "merge-into-statefulset.yaml": "x: &defaults {replicas: 2, serviceName: nginx}\n---\n"
                                       + STATEFULSET.replace("  serviceName: nginx\n  replicas: 3\n",
                                                             "  <<: {replicas: 2, serviceName: nginx}\n", 1),
        "long-key.yaml": f"{long_key}: 1\n",
        "long-line.yaml": "a: " + "x" * 2_000_000 + "\n",
        "long-line-in-field.yaml": _in_statefulset("env-value", "y" * 1_000_000),
        "long-quoted-line.yaml": 'a: "' + "\\t" * 300_000 + '"\n',
        "crlf.yaml": PAIR.replace("\n", "\r\n"),
        "lone-cr.yaml": PAIR.replace("\n", "\r"),
        "mixed-newlines.yaml": PAIR.replace("\n", "\u2028", 5),
        "tabs-indent.yaml": PAIR.replace("  replicas", "\treplicas", 1),
        "tabs-flow.yaml": '{\n\t"apiVersion":\t"v1",\n\t"kind": "Service"}\n',
        "directive-yaml-2.yaml": "%YAML 2.0\n---\n" + SERVICE,
        "directive-bad.yaml": "%FOO bar\n---\na: 1\n",
        "document-end-garbage.yaml": SERVICE + "... garbage\n",
        "anchors-everywhere.yaml": PAIR.replace("app: nginx", "app: &a nginx", 1).replace("app: nginx", "app: *a"),
        "block-scalar-weird.yaml": "a: |-9\n  x\nb: >+\n\n",
        "json-duplicate.json": '{"apiVersion": "v1", "apiVersion": "v1", "kind": "Service"}',
        "json-big-number.json": '{"a": 1e400, "b": -1e400, "c": 123456789012345678901234567890}',
        "json-deep.json": '{"a": ' + _nest_flow(120) + "}",
        "json-escapes.json": '{"a": "\\u0000\\ud83d\\ude00\\u00e9", "kind": "\\u0053ervice"}',
        "helm-sources.yaml": "".join(f"---\n# Source: chart/templates/t{i}.yaml\na: {i}\n" for i in range(3000)),
        "helm-source-weird.yaml": "# Source: \n# Source:    \n# Source: ../../etc/passwd\n" + SERVICE,
        "unicode-names.yaml": SERVICE.replace("name: nginx\n  labels", "name: ngïnx-☃\n  labels", 1),
        "selector-weird.yaml": SERVICE.replace("  selector:\n    app: nginx", "  selector: [app]", 1),
        "ports-weird.yaml": SERVICE.replace("  - port: 80", "  - port: '80'\n  - 99999\n  - port: -1", 1),
        "annotations-suppress.yaml": STATEFULSET.replace(
            "    note: plain\n", "    note: plain\n    ignore-check.sts.io/: ''\n    ignore-check.sts.io/x: 1\n", 1),
        "claim-templates-weird.yaml": STATEFULSET.replace("  volumeClaimTemplates:", "  volumeClaimTemplates: 5\n  x:"),
        "ordinals-weird.yaml": STATEFULSET.replace("  replicas: 3\n", "  replicas: 3\n  ordinals: {start: -1}\n"),
        "pvc-policy-weird.yaml": STATEFULSET.replace(
            "  replicas: 3\n", "  replicas: 3\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: delete}\n"),
        "update-strategy-weird.yaml": STATEFULSET.replace(
            "  replicas: 3\n", "  replicas: 3\n  updateStrategy: {type: RollingUpdate, rollingUpdate: "
            "{partition: 99999999999, maxUnavailable: '200%'}}\n"),
        "replicas-max.yaml": _in_statefulset("replicas", "2147483647"),
        "two-statefulsets-same-name.yaml": STATEFULSET + "---\n" + STATEFULSET,
    }


def hostile_files(seed: int = 20240501) -> dict[str, bytes]:
    """Every hostile file by name. Deterministic for a given seed."""
    rng = random.Random(seed)
    files: dict[str, bytes] = {}
    text_groups: list[Callable[[], dict[str, str]]] = [_bombs, _depth, _tags, _structure]
    for group in text_groups:
        for name, text in group().items():
            files[name] = text.encode("utf-8")
    files.update(_binary(rng))
    files.update(_truncated(rng))
    return files


__all__ = ["PAIR", "SERVICE", "STATEFULSET", "hostile_files"]
