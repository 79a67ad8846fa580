"""What it takes to leave poverty: each household's exit path (``path``), the forms of help
ranked by what a commune can act on (``actions``) and a commune's gap to its targets
(``gap``)."""
