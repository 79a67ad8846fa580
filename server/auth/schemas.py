"""Sign-in, tokens, users and devices as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from server.auth.policy import Permission, Role, ScopeKind
from server.ids import BodyId

Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]


class LoginIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    device_id: Annotated[
        str,
        Field(
            min_length=8,
            max_length=64,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="A stable id the app generates once per installation",
        ),
    ]
    device_name: Annotated[str, Field(max_length=120)] = ""


class RefreshIn(BaseModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class ScopeOut(BaseModel):
    kind: ScopeKind
    province_id: int | None
    commune_id: int | None
    hamlet_ids: list[int]


class Me(BaseModel):
    id: int
    username: str
    full_name: str
    role: Role
    scope: ScopeOut
    permissions: list[Permission]
    device_id: int


class TokensOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str
    device_id: int


class UserIn(BaseModel):
    username: Username
    full_name: Annotated[str, Field(min_length=1, max_length=120)]
    password: Annotated[str, Field(min_length=8, max_length=256)]
    role: Role
    scope_kind: ScopeKind
    province_id: BodyId | None = None
    commune_id: BodyId | None = None
    hamlet_ids: Annotated[list[BodyId], Field(max_length=500)] = []


class PasswordIn(BaseModel):
    password: Annotated[str, Field(min_length=8, max_length=256)]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    role: Role
    scope_kind: ScopeKind
    province_id: int | None
    commune_id: int | None
    hamlet_ids: list[int]
    active: bool


class DeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
