"""The forms on disk: load, compile and look them up by id and version.

A directory holds ``<form id>/v<version>.yaml`` and shared choice lists in
``choices/<id>.v<version>.yaml``; the lists of official registers (``people/1``) come from
``shared.people``. File text is normalised to Unicode NFC before it is parsed, so
labels and choice values compare equal however an editor stored the diacritics. ``released.json``
records the SHA-256 of every released file: a released version never changes; a change is a
new version.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms import FORMS_DIR
from shared.errors import ErrorCode, RasoatError
from shared.forms.form import Form, compile_form
from shared.forms.model import Choice, ChoiceListsFile, FormDefinition, Label
from shared.people import ethnic_groups

_FORM_FILE = re.compile(r"v([1-9][0-9]*)\.yaml")
_CHOICES_FILE = re.compile(r"([a-z][a-z0-9_]*)\.v([1-9][0-9]*)\.yaml")
RELEASED_FILE = "released.json"


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a form file, with line endings normalised to LF."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.safe_load(unicodedata.normalize("NFC", text))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RasoatError(
            ErrorCode.INVALID_FORM, source=str(path), problem=str(error).splitlines()[0]
        ) from None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"


def read_choices(path: Path) -> ChoiceListsFile:
    """Return the shared choice lists in ``path``; the file name must match its id and version."""
    try:
        lists = ChoiceListsFile.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise RasoatError(
            ErrorCode.INVALID_FORM, source=str(path), problem=_problem(error)
        ) from None
    if path.name != f"{lists.id}.v{lists.version}.yaml":
        raise RasoatError(
            ErrorCode.INVALID_FORM,
            source=str(path),
            problem=f"declares {lists.id}/{lists.version}; rename the file to match",
        )
    return lists


def read_form(path: Path, shared: dict[str, ChoiceListsFile]) -> Form:
    """Return the compiled form in ``path``; ``shared`` holds choice lists by ``id/version``."""
    try:
        definition = FormDefinition.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise RasoatError(
            ErrorCode.INVALID_FORM, source=str(path), problem=_problem(error)
        ) from None
    return compile_form(definition, shared, str(path))


def people_choices() -> ChoiceListsFile:
    """Return the shared choice lists ``people/1``: ``ethnicity``, Vietnam's ethnic groups by
    their official codes, read from the one list the registry checks against
    (shared/people/ethnic_groups.yaml) rather than copied into a file here. A group's name is
    the same in both languages."""
    return ChoiceListsFile(
        id="people",
        version=1,
        choice_lists={
            "ethnicity": [
                Choice(value=code, label=Label(vi=name, en=name))
                for code, name in ethnic_groups().items()
            ]
        },
    )


class Catalog:
    """Every version of every form in some directories; later directories add to earlier ones
    (a province's own forms next to the shipped ones) but may not redefine a version."""

    def __init__(self, directories: Iterable[Path]) -> None:
        self.directories = tuple(directories)
        self.shared: dict[str, ChoiceListsFile] = {"people/1": people_choices()}
        self._forms: dict[tuple[str, int], Form] = {}
        for directory in self.directories:
            for path in sorted((directory / "choices").glob("*.yaml")):
                lists = read_choices(path)
                self._add_once(self.shared, f"{lists.id}/{lists.version}", lists, path)
        for directory in self.directories:
            for path in sorted(directory.glob("*/v*.yaml")):
                if path.parent.name == "choices" or not _FORM_FILE.fullmatch(path.name):
                    continue
                form = read_form(path, self.shared)
                if (path.parent.name, path.name) != (form.id, f"v{form.version}.yaml"):
                    raise RasoatError(
                        ErrorCode.INVALID_FORM,
                        source=str(path),
                        problem=f"declares {form.key}; store it as {form.id}/v{form.version}.yaml",
                    )
                self._add_once(self._forms, (form.id, form.version), form, path)

    @staticmethod
    def _add_once(into: dict[Any, Any], key: Any, value: Any, path: Path) -> None:
        if key in into:
            raise RasoatError(
                ErrorCode.INVALID_FORM, source=str(path), problem=f"{key} is defined twice"
            )
        into[key] = value

    def get(self, form_id: str, version: int | None = None) -> Form:
        """Return the form, by default its latest version; raise ``UNKNOWN_FORM`` if absent."""
        if version is None:
            versions = [v for (name, v) in self._forms if name == form_id]
            if versions:
                version = max(versions)
        form = self._forms.get((form_id, version or 0))
        if form is None:
            raise RasoatError(
                ErrorCode.UNKNOWN_FORM, form_id=form_id, version="?" if version is None else version
            )
        return form

    def forms(self) -> list[Form]:
        """Return every version of every form, by id then version."""
        return [self._forms[key] for key in sorted(self._forms)]

    def latest(self) -> list[Form]:
        """Return the latest version of each form, by id."""
        newest: dict[str, Form] = {}
        for form in self.forms():
            newest[form.id] = form
        return list(newest.values())


def released_hashes(directory: Path = FORMS_DIR) -> dict[str, str]:
    """Return the recorded hashes of released files, by path relative to ``directory``."""
    recorded: dict[str, str] = json.loads((directory / RELEASED_FILE).read_text(encoding="utf-8"))
    return recorded


@lru_cache(maxsize=1)
def shipped() -> Catalog:
    """Return the catalog of the forms shipped in the ``forms`` package."""
    return Catalog([FORMS_DIR])
