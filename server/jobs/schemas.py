"""Request and response bodies of the job queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.ids import BodyId
from server.jobs.models import Job
from server.jobs.vocabulary import JobKind, JobState, stage_label
from shared.errors import ErrorCode, Lang, render


class BundleJobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    commune_id: BodyId
    year: int = Field(ge=2021, le=2100)
    kind: Literal["six_monthly", "annual", "sector"]
    format: Literal["pdf", "xlsx"] = "pdf"


class PaperBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    round_id: BodyId
    hamlet_id: BodyId | None = Field(
        default=None, description="One hamlet's papers; none: the whole round (commune users)"
    )


class JobError(BaseModel):
    error: str = Field(description="The catalog code the job failed with")
    message: str = Field(description="Why, in the language of Accept-Language")
    detail: dict[str, Any]


class JobOut(BaseModel):
    id: int
    kind: JobKind
    state: JobState
    stage: str = Field(description="The step it is at (a key)")
    stage_text: str = Field(description="The step in words, Vietnamese unless asked otherwise")
    done: int = Field(description="Steps done of ``total`` (0 of 0 while waiting)")
    total: int
    attempts: int = Field(description="Times a worker took it (more than 1: a worker died)")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None = Field(
        description="What it gave back besides a file: an import's preview (ImportPreview, "
        "each refusal's message in both languages)"
    )
    error: JobError | None
    download: str | None = Field(description="Where to fetch its file once done")

    @classmethod
    def of(cls, job: Job, has_file: bool, lang: Lang) -> JobOut:
        """Return the job as the API shows it."""
        error = None
        if job.error_code is not None:
            code = ErrorCode(job.error_code)
            detail = job.error_detail or {}
            error = JobError(error=code.value, message=render(code, detail, lang), detail=detail)
        return cls(
            id=job.id,
            kind=JobKind(job.kind),
            state=JobState(job.state),
            stage=job.stage,
            stage_text=stage_label(job.stage, lang),
            done=job.done,
            total=job.total,
            attempts=job.attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            result=job.result,
            error=error,
            download=f"/api/v1/jobs/{job.id}/result" if has_file else None,
        )
