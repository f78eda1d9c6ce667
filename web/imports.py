"""Uploads and the job they start: POST /api/import/upload, GET /api/import/job/<id>."""

from __future__ import annotations

import posixpath
import tempfile
import unicodedata

import flask
from flask import Blueprint, current_app, g, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from db import reads
from importer import analysis, workbook
from importer.errors import InvalidWorkbook, NotFound, WorkbookTooLarge
from web import db, multipart, ratelimit
from web.errors import BadRequest, MacrosRefused
from worker import enqueue

bp = Blueprint("imports", __name__)

# Room for the multipart boundaries and the small fields around the file.
FORM_OVERHEAD = 64 * 1024
MAX_NAME = 255
MAX_AS_OF = 64
VBA_WARNING = "The workbook contains VBA macros; they are ignored."
# Uploads up to this size stay in memory while they stream in; larger ones spill to disk.
SPOOL_BYTES = 2 * 1024 * 1024


class Request(flask.Request):
    """Closes the temporary files uploads stream into, even when parsing stopped half-way
    (an upload cut off at the size limit), and parses forms with web/multipart.py."""

    form_data_parser_class = multipart.FormDataParser

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="rb+")
        self.__dict__.setdefault("_spooled", []).append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self.__dict__.pop("_spooled", ()):
            stream.close()


def _too_large(limit: int, size: int | None = None) -> WorkbookTooLarge:
    what = f"The upload is {size:,} bytes" if size else "The upload is too large"
    return WorkbookTooLarge(
        f"{what}; the limit is {limit:,} bytes (CAPITALLENS_MAX_FILE_BYTES).", limit_bytes=limit
    )


def _bool_field(name: str, default: bool) -> bool:
    raw = request.form.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise BadRequest(f"{name} must be true or false.", field=name, value=raw[:50])
    return value == "true"


def _as_of() -> str | None:
    """The as_of field (importer.analysis.parse_as_of), or None for the file's save time."""
    raw = request.form.get("as_of")
    if raw is None or not raw.strip():
        return None
    if len(raw) > MAX_AS_OF:
        raise BadRequest(f"as_of is at most {MAX_AS_OF} characters.", field="as_of", value=raw[:50])
    try:
        analysis.parse_as_of(raw)
    except ValueError as exc:
        raise BadRequest(str(exc), field="as_of", value=raw[:50]) from exc
    return raw.strip()


def _model_name() -> str:
    name = (request.form.get("model_name") or "").strip()
    if not name or len(name) > MAX_NAME or "\x00" in name:
        raise BadRequest(
            f"model_name is required: the model's name, 1 to {MAX_NAME} characters.",
            field="model_name",
        )
    return name


def _file_name(raw: str | None) -> str:
    """The upload's file name as we store it: its last path segment, with each control,
    formatting or undecodable character (U+FFFD) as "_"."""
    name = posixpath.basename((raw or "").replace("\\", "/"))
    name = "".join("_" if c == "\ufffd" or unicodedata.category(c).startswith("C") else c for c in name)
    return name.strip(" .")[:MAX_NAME] or "upload.xlsx"


def _read_upload(limit: int):
    """The uploaded workbook's bytes, refused early when the request is too large."""
    if request.content_length is not None and request.content_length > limit + FORM_OVERHEAD:
        raise _too_large(limit, request.content_length)
    if request.mimetype != "multipart/form-data":
        raise BadRequest(
            "Send multipart/form-data with the fields file, model_name and validate.",
            content_type=request.mimetype,
        )
    try:
        upload = request.files.get("file")  # streamed to a spooled temporary file
    except RequestEntityTooLarge as exc:
        raise _too_large(limit) from exc
    except multipart.MalformedForm as exc:
        raise BadRequest(
            f"The upload is not a valid multipart/form-data body: {exc}.", content_type=request.mimetype
        ) from exc
    if upload is None:
        raise BadRequest("The file field is missing: the .xlsx or .xlsm workbook.", field="file")
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return upload, data


@bp.post("/api/import/upload")
def upload():
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    ratelimit.take_upload_slot()  # before reading the body
    upload_file, data = _read_upload(limit)
    name = _model_name()
    validate = _bool_field("validate", True)
    force = _bool_field("force", False)
    as_of = _as_of()

    looks_like = workbook.sniff(data)
    if looks_like:
        raise InvalidWorkbook(
            f"This file is {looks_like}, not an Excel workbook (.xlsx or .xlsm). "
            "Save it from Excel as .xlsx and upload it again.",
            looks_like=looks_like,
        )
    warnings = []
    has_vba = workbook.has_vba(data)
    if has_vba:
        if not current_app.config["ALLOW_MACROS"]:
            raise MacrosRefused(has_vba=True)
        warnings.append(VBA_WARNING)

    queued = enqueue.enqueue_import(
        data,
        name,
        file_name=_file_name(upload_file.filename),
        force=force,
        validate=validate,
        as_of=as_of,
    )
    if queued.job_id is None:
        return {
            "job_id": None,
            "created": False,
            "model_id": queued.model_id,
            "model_url": url_for("models.get_model", model_id=queued.model_id),
            "message": f"This file was already imported under this name as model {queued.model_id}; "
            "send force=true to import it again.",
            "has_vba": has_vba,
            "warnings": warnings,
        }, 200
    current_app.logger.info(
        "upload of %d bytes as job %s (key %s)", len(data), queued.job_id, g.get("api_key_id")
    )
    return {
        "job_id": queued.job_id,
        "created": queued.created,
        "message": queued.message,
        "status_url": url_for("imports.get_job", job_id=queued.job_id),
        "has_vba": has_vba,
        "warnings": warnings,
    }, 202


def job_document(conn, job_id: int) -> dict:
    job = reads.job(conn, job_id)
    if job is None:
        raise NotFound(f"There is no job {job_id}.", job_id=job_id)
    job.pop("procrastinate_job_id", None)
    job["progress"] = reads.progress(conn, job_id)
    return job


@bp.get("/api/import/job/<id:job_id>")
def get_job(job_id: int):
    with db.connection() as conn:
        return job_document(conn, job_id)
