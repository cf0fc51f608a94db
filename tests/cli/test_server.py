"""``edgeocr serve`` through a real HTTP server and client: photos of every task in, text and boxes out, bad uploads
refused."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
import uuid
import warnings
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

pytest.importorskip("flask")

from edge_app.families import FAMILIES, TASKS, make_reader  # noqa: E402
from edge_app.server import ReadService, create_app  # noqa: E402
from tests.conftest import assert_clean_error, run_cli  # noqa: E402

SAMPLES = {name: f.samples for name, f in FAMILIES.items()}


def _page_png() -> bytes:
    from tests.conftest import page_photo

    image, _ = page_photo(seed=7)
    return cv2.imencode(".png", image)[1].tobytes()


class Server:
    """The Flask app on a free loopback port, served by werkzeug's threaded server in a thread."""

    def __init__(self, service: ReadService, max_bytes: int = 4 * 1024 * 1024):
        from werkzeug.serving import make_server

        self.service = service
        self.httpd = make_server("127.0.0.1", 0, create_app(service, max_bytes), threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def post(self, path: str, data: bytes | None, filename: str = "page.png", field: str = "image",
             extra: dict | None = None) -> tuple[int, bytes, dict]:
        """A multipart form: ``data`` as the file field ``field`` (none when ``data`` is None), and ``extra``."""
        boundary = uuid.uuid4().hex
        parts = [] if data is None else [
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"]
        for k, v in (extra or {}).items():
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._send(req)

    def post_raw(self, path: str, data: bytes, content_type: str | None = None) -> tuple[int, bytes, dict]:
        """The image as the whole body (urllib, like ``curl --data-binary``, labels it urlencoded by default)."""
        headers = {"Content-Type": content_type} if content_type else {}
        return self._send(urllib.request.Request(self.url + path, data=data, method="POST", headers=headers))

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
    return ReadService(queue=4)


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
    service = ReadService(queue=0)
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
    s = Server(ReadService(keep_dir=keep))
    try:
        assert s.post("/api/read", page_png, filename="my page.png")[0] == 200
        kept = list(keep.iterdir())
        assert len(kept) == 1 and kept[0].read_bytes() == page_png and kept[0].suffix == ".png"
    finally:
        s.close()


def test_a_plate_photo_is_read_with_task_plate(server):
    photo = (SAMPLES["plate"] / "plate_1.jpg").read_bytes()
    code, body, _ = server.post("/api/read", photo, filename="car.jpg", extra={"task": "plate"})
    d = json.loads(body)
    assert code == 200 and d["task"] == "plate" and "KQ812YH" in d["text"].split("\n")
    assert d["items"] and all(len(item["box"]) == 4 for item in d["items"])
    code, body, _ = server.post("/api/read?task=plate&pattern=digits5", photo)  # the option reaches the reader
    assert code == 200 and "KQ812YH" not in json.loads(body)["text"]


def test_a_raw_body_is_read_with_the_task_in_the_query(server):
    image = (SAMPLES["char"] / "char_0_7.png").read_bytes()
    for content_type in (None, "image/png"):  # None: urllib's default, urlencoded, as curl --data-binary sends it
        code, body, _ = server.post_raw("/api/read?task=char", image, content_type)
        d = json.loads(body)
        assert code == 200 and d["task"] == "char" and d["text"] == "7"


def test_health_names_the_page_model_and_every_task(server):
    d = json.loads(server.get("/api/health")[1])
    assert d["model"] == "page.tflite" and d["tasks"] == list(TASKS)


def test_an_unknown_task_is_a_400_naming_the_known_ones(server, page_png):
    for code, body, _ in (server.post("/api/read", page_png, extra={"task": "poem"}),
                          server.post_raw("/api/read?task=poem", page_png, "image/png")):
        error = json.loads(body)["error"]
        assert code == 400 and "poem" in error and "\n" not in error
        assert all(task in error for task in TASKS)
    code, body, _ = server.post("/", page_png, extra={"task": "poem"})
    assert code == 400 and "unknown task" in body.decode()


def test_a_form_without_an_image_is_a_400_on_both_routes(server):
    code, body, _ = server.post("/api/read", None, extra={"task": "char"})
    assert code == 400 and json.loads(body) == {"error": "no 'image' field in the form"}
    code, body, _ = server.post("/", None, extra={"task": "char"})
    assert code == 400 and "no &#x27;image&#x27; field in the form" in body.decode()
    code, body, _ = server.post("/api/read", (SAMPLES["char"] / "char_0_7.png").read_bytes(), field="photo")
    assert code == 400 and json.loads(body)["error"] == "no 'image' field in the form"


def _task_select(page: str) -> tuple[list[str], list[str]]:
    """The options of the page's task chooser, and the selected ones."""
    select = re.search(r'<select name="task">(.*?)</select>', page, re.S).group(1)
    return (re.findall(r'<option value="([^"]+)"', select),
            re.findall(r'<option value="([^"]+)" selected', select))


def test_the_upload_page_offers_every_task_and_keeps_the_chosen_one(server):
    code, body, _ = server.get("/")
    offered, selected = _task_select(body.decode())
    assert code == 200 and offered == list(TASKS) and selected == ["page"]
    for family in FAMILIES.values():
        for task, help_text in family.tasks.items():
            assert f"{task}: {help_text}" in body.decode()
    assert 'name="dehyphenate"' in body.decode()
    photo = (SAMPLES["plate"] / "plate_1.jpg").read_bytes()
    code, body, _ = server.post("/", photo, filename="car.jpg", extra={"task": "plate"})
    page = body.decode()
    assert code == 200 and _task_select(page)[1] == ["plate"]
    assert "KQ812YH" in page and "<rect" in page and "data:image/jpeg" in page


def test_handwriting_reads_with_the_greedy_decoder(server):
    path = SAMPLES["handwriting"] / "handwriting_0.png"
    code, body, _ = server.post("/api/read", path.read_bytes(), extra={"task": "handwriting", "decoder": "greedy"})
    d = json.loads(body)
    expected = make_reader("handwriting", decoder="greedy")(cv2.imread(str(path), cv2.IMREAD_UNCHANGED), "x")
    assert code == 200 and d["task"] == "handwriting" and d["text"] == expected.text and d["text"]
    assert ("handwriting", (("decoder", "greedy"), ("paper", None))) in server.service.readers
    code, body, _ = server.post("/api/read?task=handwriting&decoder=psychic", path.read_bytes())
    assert code == 400 and "greedy, beam, lexicon" in json.loads(body)["error"]


def test_readers_are_built_on_first_use_and_kept():
    service = ReadService()
    assert list(service.readers) == [("page", (("dehyphenate", False), ("paper", None)))]
    image = (SAMPLES["char"] / "char_0_7.png").read_bytes()
    assert service.read(image, "7.png", "char")["text"] == "7"
    run = service.readers[("char", ())]
    assert service.read(image, "7.png", task="char")["text"] == "7" and service.readers[("char", ())] is run
    assert len(service.readers) == 2


def test_page_service_is_the_old_name_of_read_service(page_png):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from edge_app.server import PageService
    assert PageService is ReadService and any(w.category is DeprecationWarning for w in caught)
    service = PageService()
    joined = service.read(page_png, "page.png", True)  # dehyphenate, positional as before
    assert joined["task"] == "page" and joined["text"]
    assert service.read(page_png, "page.png", dehyphenate=False)["text"].count("\n") >= 20


def test_serve_with_a_missing_models_folder_is_a_one_line_usage_error(tmp_path: Path):
    missing = tmp_path / "nowhere"
    proc = run_cli("serve", "--port", "0", "--models", str(missing))
    assert_clean_error(proc, f"models folder {missing} does not exist", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_paper_found_in_a_photo_is_in_the_json_and_can_be_turned_off(server):
    from tests.conftest import card_photo

    image, quad, _ = card_photo(1, -20, "clutter")
    png = cv2.imencode(".png", image)[1].tobytes()
    for task in ("page", "handwriting"):
        code, body, _ = server.post("/api/read", png, extra={"task": task})
        d = json.loads(body)
        assert code == 200 and np.abs(np.float32(d["paper"]) - quad).max() < 20, (task, d)
        assert any("paper found" in n for n in d["notes"])
    code, body, _ = server.post("/api/read?paper=off", png)
    assert code == 200 and "paper" not in json.loads(body)
    code, body, _ = server.post("/api/read?paper=sideways", png)
    assert code == 400 and "auto, off" in json.loads(body)["error"]
    code, body, _ = server.get("/")
    assert body.decode().count('name="paper"') == 1
