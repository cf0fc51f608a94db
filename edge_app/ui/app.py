"""The window: a tab bar over the Plate, Draw, Page and Models screens, and a message line.

Start it with ``edgeocr app`` (see :func:`run`). Kivy reads its settings when first imported, so
:func:`configure` must run before any screen module is imported; :func:`run` does that.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

SCREENS = ("plate", "draw", "page", "models")
STARTED = time.perf_counter()


def configure(size: tuple[int, int] | None = None, fullscreen: bool = False) -> None:
    """Kivy settings that must be made before its window exists (no argv parsing, quiet logs)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    from kivy.config import Config

    if size:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    if fullscreen:
        Config.set("graphics", "fullscreen", "auto")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")


def default_source() -> str:
    """``android`` on a phone, ``pi`` where picamera2 is installed, else the first webcam (``0``)."""
    if "ANDROID_ARGUMENT" in os.environ:
        return "android"
    try:
        import picamera2  # noqa: F401

        return "pi"
    except ImportError:
        return "0"


def make_app(source: str = "0", models_dir: str | None = None, threads: int | None = None,
             screen: str = "plate", replay_fps: float = 30.0, export_dir: str = ".",
             source_factory: Callable | None = None):
    """Build the App object (after :func:`configure`); ``source_factory`` overrides ``source`` (tests)."""
    from kivy.app import App
    from kivy.base import ExceptionHandler, ExceptionManager
    from kivy.logger import Logger
    from kivy.metrics import dp, sp
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label
    from kivy.uix.screenmanager import NoTransition, ScreenManager
    from kivy.uix.togglebutton import ToggleButton

    from ..camera import open_source

    class KeepRunning(ExceptionHandler):
        """An unexpected error in a callback goes to the message line; the app keeps running."""

        def handle_exception(self, exception):
            if isinstance(exception, (KeyboardInterrupt, SystemExit)):
                return ExceptionManager.RAISE
            app = App.get_running_app()
            if app is not None and getattr(app, "message", None) is not None:
                app.show_message(f"unexpected {type(exception).__name__}: {exception}", error=True)
            Logger.exception("edgeocr: unexpected error")
            return ExceptionManager.PASS

    class EdgeOCRApp(App):
        title = "edgeocr"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.source_spec, self.models_dir, self.threads = source, models_dir, threads
            self.start_screen, self.replay_fps, self.export_dir = screen, replay_fps, export_dir
            self.source_factory = source_factory
            self.pictures_dir = str(Path.home())
            self.message = None
            self.first_frame_s: float | None = None  # process start -> first camera frame on screen

        def build(self):
            from .draw_screen import DrawScreen
            from .models_screen import ModelsScreen
            from .page_screen import PageScreen
            from .plate_screen import PlateScreen

            ExceptionManager.add_handler(KeepRunning())
            root = BoxLayout(orientation="vertical")
            nav = BoxLayout(size_hint_y=None, height=dp(46))
            self.sm = ScreenManager(transition=NoTransition())
            self.tabs = {}
            for name in SCREENS:
                tab = ToggleButton(text=name.capitalize(), group="screen", allow_no_selection=False,
                                   state="down" if name == self.start_screen else "normal")
                tab.bind(on_release=lambda _t, n=name: self.go(n))
                self.tabs[name] = tab
                nav.add_widget(tab)
            root.add_widget(nav)
            screens = {"plate": PlateScreen, "draw": DrawScreen, "page": PageScreen, "models": ModelsScreen}
            for name in sorted(SCREENS, key=lambda n: n != self.start_screen):  # the first added is shown
                self.sm.add_widget(screens[name]())
            root.add_widget(self.sm)
            self.message = Label(text="", size_hint_y=None, height=dp(26), font_size=sp(13), halign="left",
                                 valign="middle", shorten=True, shorten_from="right")
            self.message.bind(size=lambda w, s: setattr(w, "text_size", s))
            root.add_widget(self.message)
            return root

        def on_start(self):
            if self.source_spec == "android":  # CameraX needs the runtime permission
                from android.permissions import Permission, request_permissions

                request_permissions([Permission.CAMERA])

        def go(self, name: str) -> None:
            """Show a screen (what the tabs do)."""
            self.sm.current = name
            for n, tab in self.tabs.items():
                tab.state = "down" if n == name else "normal"

        def make_source(self):
            """A new, unopened camera source for the configured spec (replays loop)."""
            if self.source_factory is not None:
                return self.source_factory()
            if self.source_spec == "android":
                from .android_camera import AndroidCameraSource

                return AndroidCameraSource()
            return open_source(self.source_spec, loop=True)

        def show_message(self, text: str, error: bool = False) -> None:
            """One line at the bottom of the window: red for errors."""
            if self.message is not None:
                self.message.text = text
                self.message.color = (1, 0.45, 0.4, 1) if error else (0.85, 0.85, 0.85, 1)
            Logger.info(f"edgeocr: {text}")

        def models_changed(self) -> None:
            """A model was installed: every screen loads its models again."""
            for s in self.sm.screens:
                if hasattr(s, "reload"):
                    s.reload()

        def first_frame_shown(self) -> None:
            if self.first_frame_s is None:
                self.first_frame_s = time.perf_counter() - STARTED
                Logger.info(f"edgeocr: first camera frame {self.first_frame_s:.2f} s after start")

        def on_stop(self):
            plate = self.sm.get_screen("plate")
            plate.stop()

    return EdgeOCRApp()


def run(source: str | None = None, models_dir: str | None = None, threads: int | None = None,
        screen: str = "plate", size: tuple[int, int] | None = None, fullscreen: bool = False,
        replay_fps: float = 30.0, export_dir: str = ".") -> int:
    """Open the window and run until it is closed. Returns the exit code."""
    configure(size, fullscreen)
    make_app(source or default_source(), models_dir, threads, screen, replay_fps, export_dir).run()
    return 0
