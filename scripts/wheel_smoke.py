"""Checks run by scripts/check_wheel.sh inside a fresh venv holding only the installed wheel.

Run from a folder outside the checkout; exits non-zero on the first failed check.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent
EDGEOCR = str(BIN / "edgeocr")


def check(ok: bool, what: str) -> None:
    print(f"check_wheel: {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        sys.exit(1)


def top_level_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        return {n.split("/")[0] for n in z.namelist() if not n.split("/")[0].endswith(".dist-info")}


def read_samples() -> None:
    from edge_app.families import FAMILIES

    for family in FAMILIES.values():
        check(family.samples.is_dir() and (family.samples / "selftest.json").is_file(),
              f"{family.name}: samples and selftest.json installed")
        for task in family.tasks:
            for sample in family.sample_files(task):
                proc = subprocess.run([EDGEOCR, "read", "--task", task, "--json", str(sample)],
                                      capture_output=True, text=True, timeout=120)
                text = json.loads(proc.stdout)["text"] if proc.returncode == 0 else ""
                check(proc.returncode == 0 and text.strip() != "" and "Traceback" not in proc.stderr,
                      f"edgeocr read --task {task} {sample.name} -> {text.splitlines()[0] if text else proc.stderr!r}")


def serve_one_upload() -> None:
    from edge_app.families import FAMILIES

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([EDGEOCR, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        page = FAMILIES["page"].sample_files("page")[0]
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{page.name}\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n").encode() + page.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/read", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            answer = json.loads(r.read())
        check("Reality is nothing but a collective hunch" in answer.get("text", ""),
              "edgeocr serve answered an upload of the bundled page")
    finally:
        server.terminate()
        server.wait(timeout=10)


def model_store_installs() -> None:
    from edge_app.manifest import default_models_dir, read_manifest
    from edge_app.model_store import install_model

    shipped = default_models_dir()
    check(shipped.parts[-2:] == ("edge_app", "models"), f"shipped models inside the package ({shipped})")
    with tempfile.TemporaryDirectory() as tmp:
        new, models = Path(tmp) / "new", Path(tmp) / "models"
        new.mkdir()
        models.mkdir()
        entry = read_manifest(shipped)["models"]["char"]
        shutil.copy(shipped / entry["file"], new / entry["file"])
        (new / "manifest.json").write_text(json.dumps({"format": 1, "models": {"char": entry}}))
        name = install_model(new / entry["file"], models)
        check(name == "char" and "char" in read_manifest(models)["models"], "model store installed a valid model")
        (new / entry["file"]).write_bytes((new / entry["file"]).read_bytes()[:-10])
        try:
            install_model(new / entry["file"], models)
            rejected = False
        except Exception as exc:  # noqa: BLE001 - any refusal counts; its message is shown
            rejected = "sha256" in str(exc)
        check(rejected, "model store refused a corrupt model")


def desktop_commands_need_a_checkout() -> None:
    for command in ("train", "convert", "bench"):
        proc = subprocess.run([EDGEOCR, command, "--help"], capture_output=True, text=True, timeout=60)
        check(proc.returncode == 2 and proc.stderr.count("\n") == 1 and "runs from a checkout" in proc.stderr,
              f"edgeocr {command}: one line saying it needs a checkout")


def main() -> None:
    wheel = Path(sys.argv[1])
    names = top_level_names(wheel)
    check(names == {"edge_app"}, f"the wheel installs one import package: {sorted(names)}")
    import edge_app

    check("site-packages" in Path(edge_app.__file__).parts,
          f"edge_app imported from the installed wheel ({Path(edge_app.__file__).parent})")
    read_samples()
    serve_one_upload()
    model_store_installs()
    desktop_commands_need_a_checkout()
    print("check_wheel: all checks passed")


if __name__ == "__main__":
    main()
