"""``edgeocr serve``: read page photos over HTTP (Flask, the ``[serve]`` extra).

- ``GET /``: an upload page; the result shows the photo with word boxes beside the text.
- ``POST /api/read``: multipart field ``image`` (or the raw image as the body) -> the reader's
  JSON (text, confidence, words with boxes, timings, notes) plus the image's width and height.
- ``GET /api/health``: the model in use.

Uploads stay in memory and are dropped after the reply unless ``keep_dir`` is set. Requests
beyond ``max_bytes`` get 413, non-images 415; one page is read at a time and up to ``queue``
more wait their turn; beyond that a request gets 503 with Retry-After, never silence. Every
failure is a JSON (or HTML) answer with one line of error, never a crash.
"""

from __future__ import annotations

import base64
import html
import io
import threading
import time
from pathlib import Path

from .errors import EdgeOCRError
from .images import decode_image, header_size

MAX_UPLOAD_MB = 20
QUEUE = 8
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF", b"P5", b"P6", b"P4")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgeocr: read a page</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
form {{ margin-bottom: 1rem; }} .err {{ color: #b00; }} .note {{ color: #555; }}
.result {{ display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }}
.result > div {{ flex: 1 1 420px; min-width: 300px; }}
svg {{ width: 100%; height: auto; border: 1px solid #ccc; }}
pre {{ white-space: pre-wrap; font-family: Georgia, serif; font-size: 1rem; background: #fafafa; padding: .8rem;
       border: 1px solid #ddd; }}
</style></head><body>
<h1>edgeocr: read a page</h1>
<form method="post" action="/" enctype="multipart/form-data">
<input type="file" name="image" accept="image/*" required>
<label><input type="checkbox" name="dehyphenate" value="1"{dehyph}> join hyphenated words</label>
<button type="submit">Read</button></form>
<p class="note">Images up to {limit} MB; JSON for programs: <code>curl -F image=@page.jpg http://HOST/api/read</code></p>
{body}
</body></html>
"""


class Busy(Exception):
    """The wait line is full."""


class PageService:
    """The reader behind the web service: one read at a time, a bounded wait line."""

    def __init__(self, models_dir: str | Path | None = None, threads: int | None = None, queue: int = QUEUE,
                 keep_dir: str | Path | None = None):
        from .families.page.reader import PageReader

        self.reader = PageReader(models_dir, threads)
        self.entry = self.reader.entry
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(queue + 1)
        self.keep_dir = Path(keep_dir) if keep_dir else None

    def read(self, data: bytes, name: str, dehyphenate: bool = False) -> dict:
        """Decode and read one upload; :class:`EdgeOCRError` for a bad image, :class:`Busy` when full."""
        check_upload(data)
        image = decode_image(data)
        if not self.slots.acquire(blocking=False):
            raise Busy("the server is busy: too many pages waiting; try again shortly")
        try:
            with self.lock:
                t0 = time.perf_counter()
                result = self.reader.read(image, name, dehyphenate)
                result.timings_ms["total"] = round((time.perf_counter() - t0) * 1000.0, 3)
        finally:
            self.slots.release()
        if self.keep_dir is not None:
            self._keep(data, name)
        d = result.to_dict()
        d["height"], d["width"] = (int(v) for v in image.shape[:2])
        return d

    def _keep(self, data: bytes, name: str) -> None:
        from .files import atomic_write_bytes

        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(name).stem)[:40] or "upload"
        atomic_write_bytes(self.keep_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{stem}{Path(name).suffix[:6]}", data)


def check_upload(data: bytes) -> None:
    """Reject what is not an image we decode before decoding it (empty, wrong type, huge)."""
    if not data:
        raise EdgeOCRError("the upload is empty")
    if not data.startswith(_MAGIC) or (data.startswith(b"RIFF") and data[8:12] != b"WEBP"):
        raise UnsupportedType("not an image this server reads (PNG, JPEG, BMP, GIF, TIFF, WebP, PNM)")
    size = header_size(data[: 64 * 1024])
    if size is not None:
        from .images import check_size

        check_size(*size)


class UnsupportedType(EdgeOCRError):
    """The upload is not an image type we read."""


def create_app(service: PageService, max_bytes: int = MAX_UPLOAD_MB * 1024 * 1024):
    """The Flask application around ``service``."""
    from flask import Flask, Request, jsonify, request
    from werkzeug.exceptions import HTTPException

    class MemoryRequest(Request):
        """Uploads are kept in memory, never spooled to a temporary file."""

        max_content_length = max_bytes
        max_form_memory_size = max_bytes

        def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
            return io.BytesIO()

    app = Flask("edgeocr")
    app.request_class = MemoryRequest
    app.config["MAX_CONTENT_LENGTH"] = max_bytes
    limit_mb = round(max_bytes / 1024 / 1024, 1)

    def upload() -> tuple[bytes, str]:
        f = request.files.get("image")
        if f is not None:
            return f.read(), f.filename or "upload"
        if request.files or request.form:
            raise EdgeOCRError("no 'image' field in the form")
        return request.get_data(cache=False), "upload"

    def answer(data: bytes, name: str, dehyph: bool) -> tuple[dict, int]:
        try:
            return service.read(data, name, dehyph), 200
        except UnsupportedType as exc:
            return {"error": str(exc)}, 415
        except Busy as exc:
            return {"error": str(exc)}, 503
        except EdgeOCRError as exc:
            return {"error": str(exc)}, 400

    @app.get("/api/health")
    def health():
        e = service.entry
        return jsonify({"status": "ok", "model": e.get("file"), "sha256": e.get("sha256"),
                        "quantization": e.get("quantization")})

    @app.post("/api/read")
    def api_read():
        data, name = upload()
        body, code = answer(data, name, request.args.get("dehyphenate", "0") in ("1", "true", "yes"))
        resp = jsonify(body)
        resp.status_code = code
        if code == 503:
            resp.headers["Retry-After"] = "2"
        return resp

    @app.get("/")
    def index():
        return PAGE.format(body="", limit=limit_mb, dehyph="")

    @app.post("/")
    def index_read():
        try:
            data, name = upload()
        except EdgeOCRError as exc:
            return PAGE.format(body=f'<p class="err">{html.escape(str(exc))}</p>', limit=limit_mb, dehyph=""), 400
        dehyph = request.form.get("dehyphenate") == "1"
        body, code = answer(data, name, dehyph)
        page = (f'<p class="err">{html.escape(body["error"])}</p>' if code != 200
                else result_html(data, body))
        return PAGE.format(body=page, limit=limit_mb, dehyph=" checked" if dehyph else ""), code

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        msg = f"the upload is larger than {limit_mb} MB" if exc.code == 413 else (exc.description or exc.name)
        if request.path.startswith("/api/"):
            resp = jsonify({"error": msg})
            resp.status_code = exc.code or 500
            return resp
        return PAGE.format(body=f'<p class="err">{html.escape(msg)}</p>', limit=limit_mb, dehyph=""), exc.code

    @app.errorhandler(Exception)
    def crash(exc: Exception):  # the service keeps running; the client gets one line
        msg = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        if request.path.startswith("/api/"):
            resp = jsonify({"error": msg})
            resp.status_code = 500
            return resp
        return PAGE.format(body=f'<p class="err">{html.escape(msg)}</p>', limit=limit_mb, dehyph=""), 500

    return app


def result_html(data: bytes, body: dict) -> str:
    """The photo (inline) with its word boxes as SVG, beside the text."""
    w, h = body["width"], body["height"]
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data.startswith(b"\xff\xd8") else ""
    if mime:
        src = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    else:  # BMP, TIFF, ...: browsers may not show them; send a JPEG copy
        import cv2

        ok, buf = cv2.imencode(".jpg", decode_image(data))
        src = f"data:image/jpeg;base64,{base64.b64encode(buf.tobytes()).decode()}"
    rects = "".join(
        f'<rect x="{it["box"][0]}" y="{it["box"][1]}" width="{it["box"][2]}" height="{it["box"][3]}" '
        f'fill="none" stroke="{"#0a0" if it["confidence"] >= 0.5 else "#f80"}" stroke-width="{max(1, w // 600)}">'
        f'<title>{html.escape(it["text"])} ({it["confidence"]:.2f})</title></rect>'
        for it in body["items"])
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in body.get("notes", []))
    ms = body["timings_ms"].get("total", 0)
    return (f'<div class="result"><div><svg viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
            f'<image href="{src}" width="{w}" height="{h}"/>{rects}</svg></div>'
            f'<div><p>{len(body["items"])} words, confidence {body["confidence"]:.2f}, {ms:.0f} ms</p>{notes}'
            f'<pre id="text">{html.escape(body["text"])}</pre></div></div>')


def serve(host: str, port: int, service: PageService, max_bytes: int) -> None:
    """Run the service until interrupted (threaded: a request arriving mid-read waits its turn)."""
    from werkzeug.serving import make_server

    server = make_server(host, port, create_app(service, max_bytes), threaded=True)
    print(f"edgeocr serve: http://{host}:{server.port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
