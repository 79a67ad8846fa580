"""The change sequence every domain appends to and devices pull from (docs/sync.md). It sits
below every domain and imports none of them: households, review and support enter their own
changes here, and sync reads the sequence."""
