"""``edgeocr serve`` through a real HTTP server and client: pages in, text and boxes out, bad uploads refused."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

pytest.importorskip("flask")

from edge_app.server import PageService, create_app  # noqa: E402


def _page_png() -> bytes:
    from tests.conftest import page_photo

    image, _ = page_photo(seed=7)
    return cv2.imencode(".png", image)[1].tobytes()


class Server:
    """The Flask app on a free loopback port, served by werkzeug's threaded server in a thread."""

    def __init__(self, service: PageService, max_bytes: int = 4 * 1024 * 1024):
        from werkzeug.serving import make_server

        self.service = service
        self.httpd = make_server("127.0.0.1", 0, create_app(service, max_bytes), threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def post(self, path: str, data: bytes, filename: str = "page.png", field: str = "image",
             extra: dict | None = None) -> tuple[int, bytes, dict]:
        boundary = uuid.uuid4().hex
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"]
        for k, v in (extra or {}).items():
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._send(req)

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self._send(urllib.request.Request(self.url + path))

    @staticmethod
    def _send(req) -> tuple[int, bytes, dict]:
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)


@pytest.fixture(scope="module")
def service():
    return PageService(queue=4)


@pytest.fixture(scope="module")
def server(service):
    s = Server(service)
    yield s
    s.close()


@pytest.fixture(scope="module")
def page_png():
    return _page_png()


def test_the_json_endpoint_reads_a_page_with_word_boxes(server, page_png):
    code, body, headers = server.post("/api/read", page_png)
    assert code == 200 and headers["Content-Type"].startswith("application/json")
    d = json.loads(body)
    assert d["width"] == 900 and d["text"].count("\n") >= 20
    assert len(d["items"]) > 150
    for item in d["items"]:
        x, y, w, h = item["box"]
        assert x >= 0 and y >= 0 and x + w <= d["width"] + 2 and y + h <= d["height"] + 2 and w > 0 and h > 0
        assert 0 <= item["confidence"] <= 1


def test_the_upload_page_shows_the_image_with_boxes_beside_the_text(server, page_png):
    code, body, _ = server.get("/")
    assert code == 200 and b'type="file"' in body
    code, body, _ = server.post("/", page_png, extra={"dehyphenate": "1"})
    html = body.decode()
    assert code == 200 and html.count("<rect") > 150 and '<pre id="text">' in html and "data:image/png" in html


def test_health_names_the_model(server):
    code, body, _ = server.get("/api/health")
    assert code == 200 and json.loads(body)["model"] == "page.tflite"


@pytest.mark.parametrize("data, code, fragment", [
    (b"", 400, "empty"),
    (b"%PDF-1.4 not an image", 415, "not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, 400, ""),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 50, 400, ""),
])
def test_bad_uploads_get_a_one_line_json_error(server, data, code, fragment):
    got, body, _ = server.post("/api/read", data)
    d = json.loads(body)
    assert got == code and fragment in d["error"] and "\n" not in d["error"]


def test_an_upload_over_the_size_limit_is_refused_with_413(server):
    code, body, _ = server.post("/api/read", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))
    assert code == 413 and "larger than" in json.loads(body)["error"]


def _png_header(width: int, height: int) -> bytes:
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + chunk
            + zlib.crc32(chunk).to_bytes(4, "big"))


def test_a_decompression_bomb_is_refused_before_decoding(server):
    code, body, _ = server.post("/api/read", _png_header(60000, 60000) + b"\0" * 100)
    assert code == 400 and "MP limit" in json.loads(body)["error"]


def test_blank_and_upside_down_pages_get_clear_answers(server, page_png):
    blank = cv2.imencode(".png", np.full((1200, 900, 3), 235, np.uint8))[1].tobytes()
    d = json.loads(server.post("/api/read", blank)[1])
    assert d["text"] == "" and d["notes"]
    flipped = cv2.imencode(".png", cv2.rotate(cv2.imdecode(np.frombuffer(page_png, np.uint8), 1),
                                              cv2.ROTATE_180))[1].tobytes()
    d = json.loads(server.post("/api/read", flipped)[1])
    assert any("upside down" in n for n in d["notes"]) and d["text"].count("\n") >= 20


def test_requests_arriving_together_are_all_served(server, page_png):
    results: list[int] = []

    def go():
        results.append(server.post("/api/read", page_png)[0])

    threads = [threading.Thread(target=go) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200, 200, 200]


def test_a_full_wait_line_gets_503_not_silence(page_png):
    service = PageService(queue=0)
    s = Server(service)
    try:
        with service.slots:  # one page "being read": no room left
            code, body, headers = s.post("/api/read", page_png)
        assert code == 503 and "busy" in json.loads(body)["error"] and headers["Retry-After"]
        assert s.post("/api/read", page_png)[0] == 200  # and the service goes on
    finally:
        s.close()


def test_uploads_are_kept_only_when_configured(tmp_path: Path, server, page_png):
    assert server.post("/api/read", page_png)[0] == 200
    assert server.service.keep_dir is None
    keep = tmp_path / "kept"
    s = Server(PageService(keep_dir=keep))
    try:
        assert s.post("/api/read", page_png, filename="my page.png")[0] == 200
        kept = list(keep.iterdir())
        assert len(kept) == 1 and kept[0].read_bytes() == page_png and kept[0].suffix == ".png"
    finally:
        s.close()
