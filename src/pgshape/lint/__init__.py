"""Reviewing table structures: rules over the IR, findings, fixes and reporters."""
