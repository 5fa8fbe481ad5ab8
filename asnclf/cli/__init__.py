"""The `asnclf` command line."""
