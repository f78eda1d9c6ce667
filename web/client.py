"""A small client of the CapitalLens HTTP API, for `capitallens import --api-url`.

Standard library only (urllib), so the CLI needs nothing more to talk to a remote server.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from importer.errors import CapitalLensError

FINISHED = ("success", "failed", "cancelled")


class ApiError(CapitalLensError):
    """The CapitalLens server refused the request."""

    code = "api_error"


class Client:
    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 300):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        if content_type:
            headers["Content-Type"] = content_type
        url = urllib.parse.urljoin(self.base_url + "/", path.lstrip("/"))
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            payload = exc.read()
            try:
                error = json.loads(payload)["error"]
            except (ValueError, KeyError, TypeError):
                error = {"code": "http_error", "message": payload[:200].decode("utf-8", "replace")}
            raise ApiError(
                f"{exc.code} {error.get('message', '')}".strip(), status=exc.code, api_code=error.get("code")
            ) from exc
        except urllib.error.URLError as exc:
            raise ApiError(f"Cannot reach {self.base_url}: {exc.reason}") from exc

    def upload(
        self,
        data: bytes,
        name: str,
        file_name: str,
        *,
        force: bool = False,
        validate: bool = True,
        as_of: str | None = None,
    ) -> dict[str, Any]:
        boundary = uuid.uuid4().hex
        fields = {"model_name": name, "validate": str(validate).lower(), "force": str(force).lower()}
        if as_of:
            fields["as_of"] = as_of
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        safe_name = file_name.replace('"', "_").replace("\r", "_").replace("\n", "_")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        _, body = self._request(
            "POST", "/api/import/upload", b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        return body

    def job(self, job_id: int) -> dict[str, Any]:
        return self._request("GET", f"/api/import/job/{int(job_id)}")[1]

    def follow(
        self,
        job_id: int,
        on_progress: Callable[[str, float, str], None] | None = None,
        poll_interval: float = 0.25,
    ) -> dict[str, Any]:
        """Poll the job, replaying its new progress rows, until it ends."""
        last_id = 0
        while True:
            job = self.job(job_id)
            for row in job.get("progress") or []:
                if row["id"] > last_id:
                    last_id = row["id"]
                    if on_progress is not None:
                        on_progress(row["stage"], float(row["percent"]), row.get("message") or "")
            if job["status"] in FINISHED:
                return job
            time.sleep(poll_interval)
