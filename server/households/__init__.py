"""Households, their members and their class per year."""

from server.households import tracking

tracking.install()
