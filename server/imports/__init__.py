"""Importing a commune's household list from a spreadsheet (docs/import.md)."""
