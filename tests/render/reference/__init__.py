"""The first, straightforward formatters (rich tables, ruamel.yaml documents, `json.dumps` of the
whole document), kept unchanged as the reference the fast formatters in `sts_cli.render` must
match byte for byte. Slow on large sets: tests use them on a few hundred pods at most."""
