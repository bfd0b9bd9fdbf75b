"""The first, straightforward formatters (rich tables, ruamel.yaml documents, `json.dumps` of the
whole document), kept as the reference the fast formatters in `sts_cli.render` must match byte
for byte. The pieces that build values (names, labels, owner references, cell texts) are imported
from the fast formatters, not copied: what the reference checks is how the text is written. Slow
on large sets: tests use them on a few hundred pods at most."""
