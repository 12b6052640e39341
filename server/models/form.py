"""Forms, their versions (draft or published) and the media files of each version."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.types import Json, UTCDateTime, utcnow

FORM_STATES = ("open", "closing", "closed")  # listed / not listed but accepting / accepting nothing


def reaches(audience, team):
    """Whether a form with this `audience` (None: every enumerator; else team names) goes to an enumerator
    of `team` (None: in no team). The one reading of Form.audience: OpenRosa and the domain ask it."""
    return audience is None or (team is not None and team in audience)


class Form(db.Model):
    __tablename__ = "form"
    __table_args__ = (UniqueConstraint("evaluation_id", "xml_form_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    xml_form_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    # Canonical contract key -> field path, overriding the naming convention.
    field_map: Mapped[dict] = mapped_column(Json, default=dict)
    # Who gets the form on their phone: None = every enumerator; else the teams named (Enumerator.team).
    # The back-check questionnaire goes to the back-checkers' team only.
    audience: Mapped[Optional[list]] = mapped_column(Json)
    current_version_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("form_version.id", use_alter=True, name="fk_form_current_version"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    versions: Mapped[list["FormVersion"]] = relationship(
        back_populates="form", foreign_keys="FormVersion.form_id", order_by="FormVersion.id")
    current_version: Mapped[Optional["FormVersion"]] = relationship(foreign_keys=[current_version_id],
                                                                    post_update=True)


class FormVersion(db.Model):
    """One compiled XLSForm. A published version is immutable and keeps accepting submissions."""

    __tablename__ = "form_version"
    __table_args__ = (
        # Two published versions of one form never share a version string.
        Index("uq_form_version_published", "form_id", "version", unique=True,
              postgresql_where=text("published_at IS NOT NULL"),
              sqlite_where=text("published_at IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    xml: Mapped[str] = mapped_column(Text)
    md5: Mapped[str] = mapped_column(String(32))
    languages: Mapped[list] = mapped_column(Json, default=list)
    fields: Mapped[list] = mapped_column(Json, default=list)
    media_names: Mapped[list] = mapped_column(Json, default=list)
    warnings: Mapped[list] = mapped_column(Json, default=list)
    # The same warnings located ({code, sheet, row, column, text: {zh, en}}), for pages in either language.
    warning_details: Mapped[Optional[list]] = mapped_column(Json, default=list)
    contract: Mapped[dict] = mapped_column(Json, default=dict)
    public_key: Mapped[Optional[str]] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    source_path: Mapped[Optional[str]] = mapped_column(String(500))
    source_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    form: Mapped[Form] = relationship(back_populates="versions", foreign_keys=[form_id])
    media: Mapped[list["FormMedia"]] = relationship(back_populates="form_version",
                                                    order_by="FormMedia.filename")


class FormMedia(db.Model):
    """A media file (image, CSV lookup) uploaded for one form version, stored in the media store."""

    __tablename__ = "form_media"
    __table_args__ = (UniqueConstraint("form_version_id", "filename"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0)
    md5: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    form_version: Mapped[FormVersion] = relationship(back_populates="media")
