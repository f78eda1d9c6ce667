"""werkzeug's multipart/form-data parser with two changes for uploads:

- a part header that is not UTF-8 (a file name in a legacy code page, or raw bytes) decodes with
  U+FFFD in place of the bad bytes; werkzeug's own decoder fails on it, and the whole form then
  silently parses as empty ("The file field is missing");
- a body werkzeug cannot parse raises ``MalformedForm`` instead of parsing as an empty form, so
  the upload can say what is wrong with it (a 400).
"""

from __future__ import annotations

import types

from werkzeug import formparser
from werkzeug.sansio import multipart


class MalformedForm(ValueError):
    """The multipart/form-data body could not be parsed."""


class _Decoder(multipart.MultipartDecoder):
    def _parse_headers(self, data):
        return super()._parse_headers(bytes(data).decode("utf-8", "replace").encode())


class _MultiPartParser(formparser.MultiPartParser):
    # werkzeug's own parse() (the streaming, the size limits), reading our decoder where it
    # names MultipartDecoder; tests/hostile/test_upload.py fails if werkzeug moves it.
    parse = types.FunctionType(
        formparser.MultiPartParser.parse.__code__,
        {**vars(formparser), "MultipartDecoder": _Decoder},
        "parse",
        formparser.MultiPartParser.parse.__defaults__,
    )


class FormDataParser(formparser.FormDataParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "silent": False})

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "")
        if not boundary or not boundary.isascii():
            raise MalformedForm("the Content-Type has no boundary")
        try:
            form, files = parser.parse(stream, boundary.encode("ascii"), content_length)
        except ValueError as exc:
            raise MalformedForm(str(exc) or type(exc).__name__) from exc
        return stream, form, files

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            return super()._parse_urlencoded(stream, mimetype, content_length, options)
        except ValueError as exc:
            raise MalformedForm(str(exc)) from exc
