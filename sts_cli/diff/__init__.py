"""`sts diff`: will a change to StatefulSets and Services be accepted, and what will it do.

Modules: `normalize` (API defaults, quantities), `compare` (field-by-field comparison and the
mutable fields per Kubernetes version), `explain` (rollout, scale, PVC fate, using
`sts_cli.ordering`), `services` (governing Service pairing), `gitsource` (`--against REF`),
`engine` (matching objects, building findings and the result), `text` (the readable report),
`rules` (catalog entries).
"""
