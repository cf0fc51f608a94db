"""``edgeocr serve``: read photos over HTTP with any task of the family registry (Flask, the ``[serve]`` extra).

- ``GET /``: an upload page with a task chooser; the result shows the photo with item boxes beside the text.
- ``POST /api/read``: multipart field ``image`` (or the raw image as the body) -> the reader's JSON (task,
  text, confidence, items with boxes, timings, notes) plus the image's width and height. The task is the
  form field or query parameter ``task`` (default ``page``; see :data:`edge_app.families.TASKS`), and
  so are its options: ``dehyphenate`` (page), ``crop`` and ``pattern`` (plate), ``decoder`` (handwriting),
  ``paper`` (page and handwriting: ``auto``, the default, or ``off``). Options of other tasks are ignored. When
  the paper was found in the photo, the JSON's ``paper`` is its corners (TL, TR, BR, BL) on the photo.
- ``GET /api/health``: the page model, and the tasks served.

Each reader is built on first use, once per task and options, and kept (at most ``MAX_READERS``; the
default page reader, loaded at start, always). Uploads stay in memory and are dropped after the reply
unless ``keep_dir`` is set. Requests beyond ``max_bytes`` get 413, non-images 415, an unknown task or a
bad option 400; one image is read at a time and up to ``queue`` more wait their turn; beyond that a
request gets 503 with Retry-After, never silence. Every failure is a JSON (or HTML) answer with one line
of error, never a crash.
"""

from __future__ import annotations

import base64
import html
import io
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import EdgeOCRError
from .families import FAMILIES, TASKS, Family, ReadFn, make_reader
from .families.base import Option
from .images import decode_image, header_size

MAX_UPLOAD_MB = 20
QUEUE = 8
MAX_READERS = 8
DEFAULT_TASK = "page"
SERVED_OPTIONS: dict[str, tuple[str, ...]] = {"page": ("dehyphenate", "paper"), "plate": ("crop", "pattern"),
                                               "handwriting": ("decoder", "paper")}
"""Per family, the read options a request may set (not ``lexicon``: that names a file on the server)."""
ITEM_NOUNS = {"char": "character", "chars": "characters", "plate": "plates", "handwriting": "lines",
              "page": "words"}
_TRUE = ("1", "true", "yes", "on")
_MAX_OPTION_CHARS = 200
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF", b"P5", b"P6", b"P4")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgeocr: read a photo</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
form {{ margin-bottom: 1rem; }} form p {{ margin: .4rem 0; }} label {{ margin-right: 1rem; }}
.err {{ color: #b00; }} .note {{ color: #555; }}
.result {{ display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }}
.result > div {{ flex: 1 1 420px; min-width: 300px; }}
svg {{ width: 100%; height: auto; border: 1px solid #ccc; }}
pre {{ white-space: pre-wrap; font-family: Georgia, serif; font-size: 1rem; background: #fafafa; padding: .8rem;
       border: 1px solid #ddd; }}
</style></head><body>
<h1>edgeocr: read a photo</h1>
<form method="post" action="/" enctype="multipart/form-data">
<p><input type="file" name="image" accept="image/*" required>
<label>Task <select name="task">{tasks}</select></label>
<button type="submit">Read</button></p>
<p>{options}</p></form>
<p class="note">Images up to {limit} MB; JSON for programs:
<code>curl -F image=@page.jpg -F task=page http://HOST/api/read</code></p>
{body}
</body></html>
"""


class Busy(Exception):
    """The wait line is full."""


class UnsupportedType(EdgeOCRError):
    """The upload is not an image type we read."""


def check_task(task: Any) -> str:
    """``task`` if the registry knows it; else an :class:`EdgeOCRError` naming the known tasks (one line)."""
    if not isinstance(task, str) or task not in TASKS:
        raise EdgeOCRError(f"unknown task {str(task)[:40]!r} (choose from {', '.join(TASKS)})")
    return task


def family_options(family: Family) -> tuple[Option, ...]:
    """The options of ``family`` a request may set (see :data:`SERVED_OPTIONS`)."""
    return tuple(o for o in family.options if o.dest in SERVED_OPTIONS.get(family.name, ()))


def served_options(task: str) -> tuple[Option, ...]:
    """The family options a request for ``task`` may set; none for an unknown task."""
    family = TASKS.get(task)
    return family_options(family) if family is not None else ()


def option_value(opt: Option, value: Any) -> bool | str | None:
    """One option's value, from a request (text) or a caller (Python): a flag is a bool ('1', 'true',
    'yes', 'on' are true), a choice must be one of its choices, other text is stripped (empty: None)."""
    if opt.kwargs.get("action") == "store_true":
        return value.strip().lower() in _TRUE if isinstance(value, str) else bool(value)
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if len(text) > _MAX_OPTION_CHARS:
        raise EdgeOCRError(f"{opt.dest} is longer than {_MAX_OPTION_CHARS} characters")
    choices = opt.kwargs.get("choices")
    if choices and text not in choices:
        raise EdgeOCRError(f"{opt.dest} must be one of {', '.join(choices)}, not {text[:40]!r}")
    return text


class ReadService:
    """The readers behind the web service: one read at a time, a bounded wait line, and a reader per
    task and options, built on first use and kept."""

    def __init__(self, models_dir: str | Path | None = None, threads: int | None = None, queue: int = QUEUE,
                 keep_dir: str | Path | None = None):
        self.models_dir = models_dir
        self.threads = threads
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(queue + 1)
        self.keep_dir = Path(keep_dir) if keep_dir else None
        self.readers: dict[tuple[str, tuple[tuple[str, Any], ...]], ReadFn] = {}
        options = self.options_for(DEFAULT_TASK, {})
        self.default_key = self._key(DEFAULT_TASK, options)
        run = self._reader(DEFAULT_TASK, options)  # loaded now: a broken models folder fails at start
        self.reader = getattr(run, "__self__", None)  # the default page reader
        self.entry: dict[str, Any] = getattr(self.reader, "entry", None) or {}

    @staticmethod
    def options_for(task: str, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every option the service takes for ``task``, from ``given`` (text or values) or its default;
        an unknown task or an option the service does not take for it is an :class:`EdgeOCRError`."""
        served = {o.dest: o for o in served_options(check_task(task))}
        extra = sorted(set(given) - set(served))
        if extra:
            takes = f"; it takes {', '.join(served)}" if served else ""
            raise EdgeOCRError(f"task '{task}' takes no option {', '.join(extra)} here{takes}")
        return {dest: option_value(opt, given.get(dest)) for dest, opt in served.items()}

    @staticmethod
    def _key(task: str, options: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, Any], ...]]:
        return task, tuple(sorted(options.items()))

    def _reader(self, task: str, options: dict[str, Any]) -> ReadFn:
        """The read function for ``task`` and ``options``, built on first use (called with the lock held,
        or before the service is shared); beyond ``MAX_READERS`` the oldest but the default is dropped."""
        key = self._key(task, options)
        run = self.readers.get(key)
        if run is None:
            run = make_reader(task, self.models_dir, self.threads, **options)
            if len(self.readers) >= MAX_READERS:
                del self.readers[next(k for k in self.readers if k != self.default_key)]
            self.readers[key] = run
        return run

    def read(self, data: bytes, name: str, task: str | bool = DEFAULT_TASK, **options: Any) -> dict:
        """Decode and read one upload with ``task`` and its ``options``; :class:`EdgeOCRError` for a bad
        image, task or option, :class:`Busy` when the wait line is full. ``read(data, name, True)``
        (PageService's ``dehyphenate``, positional) still reads a page."""
        if isinstance(task, bool):
            options.setdefault("dehyphenate", task)
            task = DEFAULT_TASK
        opts = self.options_for(task, options)
        check_upload(data)
        image = decode_image(data)
        if not self.slots.acquire(blocking=False):
            raise Busy("the server is busy: too many reads waiting; try again shortly")
        try:
            with self.lock:
                run = self._reader(task, opts)
                t0 = time.perf_counter()
                result = run(image, name)
                result.timings_ms["total"] = round((time.perf_counter() - t0) * 1000.0, 3)
        finally:
            self.slots.release()
        if self.keep_dir is not None:
            self._keep(data, name)
        d = {"task": task, **result.to_dict()}
        d["height"], d["width"] = (int(v) for v in image.shape[:2])
        return d

    def _keep(self, data: bytes, name: str) -> None:
        from .files import atomic_write_bytes

        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(name).stem)[:40] or "upload"
        atomic_write_bytes(self.keep_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{stem}{Path(name).suffix[:6]}", data)


def __getattr__(name: str) -> Any:
    """``PageService``, the old name of :class:`ReadService`, with a DeprecationWarning."""
    if name == "PageService":
        import warnings

        warnings.warn("edge_app.server.PageService is now ReadService", DeprecationWarning, stacklevel=2)
        return ReadService
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def form_html(task: str = DEFAULT_TASK, values: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The upload form's task chooser (``task`` selected) and option fields (``values`` kept), for :data:`PAGE`."""
    values = values or {}
    tasks = "".join(f'<option value="{html.escape(t)}"{" selected" if t == task else ""}>'
                    f'{html.escape(t)}: {html.escape(f.tasks[t])}</option>' for t, f in TASKS.items())
    fields, shown = [], set()
    for family in FAMILIES.values():
        for opt in family_options(family):
            if opt.dest in shown:  # shared by several families (paper): one field
                continue
            shown.add(opt.dest)
            owners = "/".join(t for f in FAMILIES.values() for t in f.tasks
                              if any(o.dest == opt.dest for o in family_options(f)))
            only = f'<small class="note">({owners} only)</small>'
            dest, given = opt.dest, values.get(opt.dest)
            title = html.escape(opt.kwargs.get("help", dest))
            if opt.kwargs.get("action") == "store_true":
                checked = " checked" if option_value(opt, given) else ""
                fields.append(f'<label><input type="checkbox" name="{dest}" value="1"{checked}> {title} {only}</label>')
            elif opt.kwargs.get("choices"):
                choices = "".join(f'<option value="{c}"{" selected" if c == given else ""}>{c}</option>'
                                  for c in ("", *opt.kwargs["choices"]))
                fields.append(f'<label title="{title}">{dest} <select name="{dest}">{choices}</select> {only}</label>')
            else:
                value = html.escape(given or "")
                hint = html.escape(opt.kwargs.get("metavar", ""))
                fields.append(f'<label title="{title}">{dest} <input type="text" name="{dest}" value="{value}" '
                              f'placeholder="{hint}" maxlength="{_MAX_OPTION_CHARS}"> {only}</label>')
    return {"tasks": tasks, "options": "\n".join(fields)}


def create_app(service: ReadService, max_bytes: int = MAX_UPLOAD_MB * 1024 * 1024):
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
    served = tuple(o.dest for family in FAMILIES.values() for o in family_options(family))

    def render(body: str, task: str = DEFAULT_TASK, values: Mapping[str, str | None] | None = None) -> str:
        return PAGE.format(body=body, limit=limit_mb, **form_html(task, values))

    def error_html(msg: str) -> str:
        return f'<p class="err">{html.escape(msg)}</p>'

    def upload() -> tuple[bytes, str]:
        """The image and its name: the multipart field ``image``, or else the whole body (read before
        anything parses it as a form: ``curl --data-binary`` labels it urlencoded)."""
        if request.mimetype != "multipart/form-data":
            data = request.get_data(cache=False)
            if request.mimetype == "application/x-www-form-urlencoded" and not data.startswith(_MAGIC):
                raise EdgeOCRError("no 'image' field in the form")  # a form without a file (no multipart)
            return data, "upload"
        f = request.files.get("image")
        if f is None:
            raise EdgeOCRError("no 'image' field in the form")
        return f.read(), f.filename or "upload"

    def field(name: str) -> str | None:
        """A form field, else the query parameter of that name (call after :func:`upload`)."""
        value = request.form.get(name)
        return value if value is not None else request.args.get(name)

    def chosen() -> tuple[str, dict[str, str]]:
        """The task the request names (default page) and the options it gives for it, as text."""
        task = field("task") or DEFAULT_TASK
        return task, {o.dest: v for o in served_options(task) if (v := field(o.dest)) is not None}

    def answer(data: bytes, name: str, task: str, options: dict[str, str]) -> tuple[dict, int]:
        try:
            return service.read(data, name, task, **options), 200
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
                        "quantization": e.get("quantization"), "tasks": list(TASKS)})

    @app.post("/api/read")
    def api_read():
        try:
            data, name = upload()
        except EdgeOCRError as exc:
            body, code = {"error": str(exc)}, 400
        else:
            body, code = answer(data, name, *chosen())
        resp = jsonify(body)
        resp.status_code = code
        if code == 503:
            resp.headers["Retry-After"] = "2"
        return resp

    @app.get("/")
    def index():
        return render("", request.args.get("task") or DEFAULT_TASK, {d: request.args.get(d) for d in served})

    @app.post("/")
    def index_read():
        try:
            data, name = upload()
        except EdgeOCRError as exc:
            data, name, failed = b"", "", str(exc)
        else:
            failed = ""
        task, options = chosen()
        values = {d: field(d) for d in served}
        if failed:
            return render(error_html(failed), task, values), 400
        body, code = answer(data, name, task, options)
        page = error_html(body["error"]) if code != 200 else result_html(data, body)
        headers = {"Retry-After": "2"} if code == 503 else {}
        return render(page, task, values), code, headers

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        msg = f"the upload is larger than {limit_mb} MB" if exc.code == 413 else (exc.description or exc.name)
        if request.path.startswith("/api/"):
            resp = jsonify({"error": msg})
            resp.status_code = exc.code or 500
            return resp
        return render(error_html(msg)), exc.code

    @app.errorhandler(Exception)
    def crash(exc: Exception):  # the service keeps running; the client gets one line
        msg = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        if request.path.startswith("/api/"):
            resp = jsonify({"error": msg})
            resp.status_code = 500
            return resp
        return render(error_html(msg)), 500

    return app


def result_html(data: bytes, body: dict) -> str:
    """The photo (inline) with its item boxes as SVG, beside the text."""
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
    noun = ITEM_NOUNS.get(body.get("task", DEFAULT_TASK), "items")
    return (f'<div class="result"><div><svg viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
            f'<image href="{src}" width="{w}" height="{h}"/>{rects}</svg></div>'
            f'<div><p>{len(body["items"])} {noun}, confidence {body["confidence"]:.2f}, {ms:.0f} ms</p>{notes}'
            f'<pre id="text">{html.escape(body["text"])}</pre></div></div>')


def serve(host: str, port: int, service: ReadService, max_bytes: int) -> None:
    """Run the service until interrupted (threaded: a request arriving mid-read waits its turn)."""
    from werkzeug.serving import make_server

    server = make_server(host, port, create_app(service, max_bytes), threaded=True)
    print(f"edgeocr serve: http://{host}:{server.port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
