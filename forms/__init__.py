"""The survey forms shipped with Rà Soát, as data: ``<id>/v<version>.yaml`` and shared choice
lists in ``choices/<id>.v<version>.yaml``. Read them with ``shared.forms.catalog``."""

from pathlib import Path

FORMS_DIR = Path(__file__).resolve().parent
