"""The import's preview as the API answers it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, UploadFile
from pydantic import BaseModel, Field

from server.imports.service import Action
from shared.errors import RowProblem

# The upload form's fields, one declaration for the import's own route and its job's
# (``POST /imports/households`` and ``POST /jobs/household-imports``).
ListFile = Annotated[UploadFile, File(description="The household list, .xlsx or .csv")]
ClassYear = Annotated[
    int | None, Form(ge=1990, le=2100, description="Year of the class column; default last")
]
CommitFlag = Annotated[bool, Form(description="Write the file; false: preview only")]
HeadingMap = Annotated[
    list[str] | None,
    Form(alias="map", description="'heading in the file=field' pairs (repeat the field)"),
]


class RefusalOut(BaseModel):
    row: int = Field(description="The row as the spreadsheet numbers it")
    column: str = Field(description="The column's heading in the file (and its letter)")
    problem: RowProblem
    detail: dict[str, Any]
    message: str = Field(description="Why, in the language of Accept-Language")


class OutcomeOut(BaseModel):
    code: str
    row: int = Field(description="The household's first row")
    action: Action
    changes: list[str] = Field(description="What an update changes")


class ImportPreview(BaseModel):
    commune_id: int
    year: int = Field(description="The year the class column stands for")
    committed: bool = Field(description="False: a preview, nothing written")
    file_sha256: str
    counts: dict[str, int] = Field(description="Households per action")
    households: list[OutcomeOut]
    refusals: list[RefusalOut]
    ignored_columns: list[str]
