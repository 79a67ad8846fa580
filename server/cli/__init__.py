"""The ``rasoat`` command line."""
