"""Generated demo data: realistic households with no real personal data."""
