"""Pure domain code shared by the tablet and the server: the household format and the
standard engine. Standard library, Pydantic, PyYAML and Shapely only."""
