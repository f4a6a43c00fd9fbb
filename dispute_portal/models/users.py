"""People who sign in: buyers, sellers and reviewers."""

import enum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import enum_column


class Role(enum.StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    REVIEWER = "reviewer"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at sign-out so that a copied session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # The language they chose ("es", "pt_BR"); None until they choose one.
    locale: Mapped[str | None] = mapped_column(String(10))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} ({self.role})>"
