"""Rules whose findings come from reading the input and from schema validation.

Their checks live in `yamlparse`, `documents`, `kinds` and `schema_check`; this module gives
them their catalog entries (summary, explanation, examples) like every other rule.
"""

from __future__ import annotations

from sts_cli.findings import Severity
from sts_cli.rules.base import describe

E = Severity.ERROR
YAML_SPEC = "YAML 1.1/1.2 specifications; go-yaml v2 as used by sigs.k8s.io/yaml"
API_CONV = "Kubernetes API conventions; kubectl --validate=strict"

describe("yaml-syntax", E, "The file is not valid YAML.", "input", """
    The YAML parser stopped here. Documents before this point are checked; nothing after it is.
    Tabs used for indentation are the most common cause.

    Bad:
        spec:
        \treplicas: 3
    Good:
        spec:
          replicas: 3
    """, YAML_SPEC)
describe("yaml-duplicate-key", E, "A mapping has the same key twice.", "input", """
    YAML forbids duplicate keys. Some tools keep the last value silently; kubectl's strict
    decoding rejects the object ("already defined"). Both lines are named.

    Bad:
        spec:
          replicas: 3
          replicas: 5
    Good:
        spec:
          replicas: 5
    """, YAML_SPEC)
describe("yaml-unsafe-tag", E, "A YAML tag asks for a Python object.", "input", """
    Tags such as `!!python/object` construct objects in unsafe loaders. `sts` never constructs
    them; the value is reported and read as plain text. Kubernetes has no such values.

    Bad:
        image: !!python/object/apply:os.system ["id"]
    Good:
        image: nginx:1.27
    """, YAML_SPEC)
describe("yaml-unsupported-tag", E, "A YAML tag that Kubernetes' decoder does not understand.", "input", """
    Only the standard scalar, mapping and sequence tags mean something to the API server's
    decoder; custom tags (`!Ref`, `!!set`...) are template-language leftovers.

    Bad:
        replicas: !Ref Replicas
    Good:
        replicas: 3
    """, YAML_SPEC)
describe("yaml-complex-key", E, "A mapping or sequence is used as a mapping key.", "input", """
    JSON object keys are strings; complex YAML keys cannot be sent to the API server.

    Bad:
        ? [a, b]
        : value
    Good:
        a-b: value
    """, YAML_SPEC)
describe("yaml-limit", E, "A resource limit was hit (aliases, nesting, size, documents).", "input", """
    Protects CI from hostile input such as alias bombs (CVE-2019-11253). The document that hit
    the limit is not checked; other documents and files are. Limits can be raised with
    `--max-depth`, `--max-aliases`, `--max-nodes`, `--max-documents` and `--max-file-size`.

    Bad:
        a: &a [x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        # ... nine more levels
    Good:
        # plain manifests never need more than a handful of aliases
    """, "kubernetes/kubernetes#83253")
describe("file-unreadable", E, "An input file could not be read.", "input", """
    Permission denied, a file removed while running, a FIFO or device, or a file over the size
    limit. The run exits with code 2 when an input could not be read.

    Bad:
        sts validate secret/ (mode 000)
    Good:
        sts validate readable/
    """)
describe("file-not-text", E, "An input file is not UTF-8 text.", "input", """
    YAML and JSON manifests must be UTF-8 (a byte order mark is allowed). Binary files, NUL
    bytes, invalid UTF-8 and UTF-16 files are reported with the position of the first bad byte.

    Bad:
        a file saved as UTF-16, or a .yaml that is really a tarball
    Good:
        a UTF-8 text file
    """)
describe("not-an-object", E, "A document is not a mapping.", "input", """
    Each YAML document (and each item of a `kind: List`) must be a Kubernetes object: a mapping
    with apiVersion, kind and metadata. A top-level list or plain value is not.

    Bad:
        - apiVersion: v1
          kind: Service
    Good:
        apiVersion: v1
        kind: Service
    """, API_CONV)
describe("no-objects", E, "The input holds no Kubernetes objects at all.", "input", """
    An empty input usually means a broken pipeline (`helm template` printed nothing), so it fails
    the run unless `--allow-empty` is given.

    Bad:
        helm template broken/ | sts validate -    # helm failed, stdin is empty
    Good:
        set -o pipefail; helm template chart/ | sts validate -
    """)
describe("missing-kind", E, "An object has no `kind`.", "input", """
    Without a kind the API server cannot decode the object (kubeconform: "missing 'kind' key").

    Bad:
        apiVersion: apps/v1
        metadata: {name: web}
    Good:
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
    """, API_CONV)
describe("missing-api-version", E, "An object has no `apiVersion`.", "input", """
    Without an apiVersion the API server cannot decode the object.

    Bad:
        kind: StatefulSet
    Good:
        apiVersion: apps/v1
        kind: StatefulSet
    """, API_CONV)
describe("removed-api-version", E, "The apiVersion of this kind was removed from Kubernetes.", "input", """
    StatefulSet `apps/v1beta1` and `apps/v1beta2` were removed in Kubernetes 1.16; the cluster
    answers "no matches for kind".

    Bad:
        apiVersion: apps/v1beta2
        kind: StatefulSet
    Good:
        apiVersion: apps/v1
        kind: StatefulSet
    """, "Kubernetes 1.16 deprecated API migration guide")
describe("unknown-api-version", E, "A StatefulSet or Service with an apiVersion that does not serve it.", "input", """
    StatefulSet is served as `apps/v1`, Service as `v1`.

    Bad:
        apiVersion: v1
        kind: StatefulSet
    Good:
        apiVersion: apps/v1
        kind: StatefulSet
    """, API_CONV)
describe("unknown-kind", E, "A kind that is a near miss of StatefulSet or Service.", "input", """
    Kinds are case-sensitive. A misspelt kind would otherwise be skipped silently as an unknown
    resource, and the manifest never checked.

    Bad:
        kind: Statefulset
    Good:
        kind: StatefulSet
    """, API_CONV)
describe("schema-unknown-field", E, "A field that the Kubernetes API does not have.", "schema", """
    Like `kubectl --validate=strict`, unknown fields are errors, with a "did you mean" for near
    misses. Without strict validation they are dropped silently and the setting has no effect.

    Bad:
        spec:
          replica: 3
    Good:
        spec:
          replicas: 3
    """, "Kubernetes OpenAPI schema of the chosen version")
describe("schema-missing-field", E, "A required field is missing.", "schema", """
    The position is the mapping that lacks the field.

    Bad:
        containers:
        - image: nginx
    Good:
        containers:
        - name: nginx
          image: nginx
    """, "Kubernetes OpenAPI schema of the chosen version")
describe("schema-type", E, "A value has the wrong type.", "schema", """
    Values are read as the API server's YAML decoder reads them: unquoted `on`, `yes`, `y`, `off`,
    `no` are booleans and `0755` is an octal number. A boolean where a string is expected is
    rejected by the API server ("cannot unmarshal bool into ... of type string").

    Bad:
        env:
        - name: FEATURE
          value: on
    Good:
        env:
        - name: FEATURE
          value: "on"
    """, "Kubernetes OpenAPI schema of the chosen version")
describe("schema-enum", E, "A value is not one of the allowed values.", "schema", """
    Enumerated values are case-sensitive.

    Bad:
        type: clusterip
    Good:
        type: ClusterIP
    """, "Kubernetes OpenAPI schema of the chosen version")
describe("schema-range", E, "A number is outside the range of its integer format.", "schema", """
    int32 fields (replicas, ports, partition...) hold -2147483648..2147483647; the API server's
    JSON decoder rejects anything larger.

    Bad:
        replicas: 4294967296
    Good:
        replicas: 3
    """, "Kubernetes OpenAPI schema of the chosen version (format int32/int64)")
describe("schema-invalid", E, "Any other schema violation.", "schema", """
    A value breaks another constraint of the API schema.

    Bad:
        (see the message)
    Good:
        a value the API reference allows
    """, "Kubernetes OpenAPI schema of the chosen version")
describe("suppression-without-reason", E, "A suppression annotation gives no reason.", "input", """
    Findings are suppressed per object with `ignore-check.sts.io/<rule-id>: "<reason>"` on the
    object or its pod template. The reason is required so the manifest says why.

    Bad:
        annotations:
          ignore-check.sts.io/service-not-headless: ""
    Good:
        annotations:
          ignore-check.sts.io/service-not-headless: "peers use the ClusterIP; no per-pod DNS needed"
    """)
describe("suppression-unknown-rule", Severity.WARNING, "A suppression annotation names a rule that does not exist.",
         "input", """
    `ignore-check.sts.io/<rule-id>` silences only the rule it names; with a typo in the id it
    silences nothing, and the finding it was meant for is still reported. The message suggests the
    closest rule id.

    Bad:
        annotations:
          ignore-check.sts.io/service-not-headles: "peers use the ClusterIP"
    Good:
        annotations:
          ignore-check.sts.io/service-not-headless: "peers use the ClusterIP"
    """)
