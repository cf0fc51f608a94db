"""scripts/android/buildozer.spec: what Google Play asks of an app today, checked without building one."""

from __future__ import annotations

import configparser

from tests.conftest import ROOT


def _spec() -> configparser.SectionProxy:
    spec = configparser.ConfigParser()
    spec.read(ROOT / "scripts" / "android" / "buildozer.spec", encoding="utf-8")
    return spec["app"]


def test_targets_api_35_with_an_ndk_that_aligns_to_16_kb_pages():
    app = _spec()
    assert int(app["android.api"]) >= 35
    assert int(app["android.ndk"].rstrip("abcdefgh")) >= 28


def test_models_run_on_litert_and_the_camera_needs_no_extra_native_library():
    app = _spec()
    deps = [d.strip() for d in app["android.gradle_dependencies"].split(",")]
    litert = [d for d in deps if d.startswith("com.google.ai.edge.litert:litert:")]
    assert len(litert) == 1 and tuple(int(v) for v in litert[0].rsplit(":", 1)[1].split(".")[:2]) >= (1, 4)
    assert not any(d.startswith("org.tensorflow:tensorflow-lite") for d in deps)
    requirements = [r.strip() for r in app["requirements"].split(",")]
    assert "pyjnius" in requirements and "camera4kivy" not in requirements
    assert "p4a.hook" not in app  # camera4kivy's CameraX provider hook is gone
