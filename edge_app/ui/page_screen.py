"""Page screen: take a picture with the camera or choose a file, read it, show the text with boxes (and the
outline of the paper found in the photo), copy it."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput

from ..errors import EdgeOCRError
from ..images import IMAGE_SUFFIXES, load_image
from ..results import Result
from ..worker import LatestJob
from .widgets import FrameView, Turning, button, button_row, choose_file, draw_boxes, draw_outline, on_ui

SETTLE_FRAMES = 5  # frames read before the picture, so a camera's exposure has settled


class PageScreen(Screen):
    """One page at a time; reading runs in the background."""

    def __init__(self, **kwargs):
        super().__init__(name="page", **kwargs)
        self.reader = None
        self.worker = LatestJob(on_ui, name="page")
        self.result: Result | None = None
        body = Turning(landscape=(0.5, 0.5), portrait=(0.45, 0.55))
        self.view = FrameView()
        body.add_widget(self.view)
        side = BoxLayout(orientation="vertical", spacing=dp(4))
        self.text = TextInput(text="", readonly=True, font_size=sp(14),
                              hint_text="Take a picture of a page, or choose one")
        side.add_widget(self.text)
        side.add_widget(button_row(button("Take picture", self.take_picture), button("Choose...", self.choose),
                                   button("Copy", self.copy)))
        body.add_widget(side)
        self.add_widget(body)

    def _read(self, image, name: str) -> tuple:
        if self.reader is None:
            from ..page_reader import PageReader

            app = App.get_running_app()
            self.reader = PageReader(app.models_dir, app.threads)
        return image, self.reader.read(image, name)

    def read_file(self, path: str | Path) -> None:
        """Read a picture file (what the chooser calls)."""
        self.text.text = f"reading {Path(path).name} ..."
        self.worker.submit(lambda: self._read(load_image(path), str(path)), self.show, self.failed)

    def take_picture(self) -> None:
        """Grab one frame from the app's camera and read it."""
        app = App.get_running_app()

        def grab():
            with app.make_source() as cam:
                frames = [cam.read() for _ in range(SETTLE_FRAMES if cam.live else 1)]
                frame = next((f for f in reversed(frames) if f is not None), None)
                if frame is None:
                    raise EdgeOCRError(f"{cam.name} gave no picture")
            return self._read(frame, cam.name)

        self.text.text = "taking a picture ..."
        self.worker.submit(grab, self.show, self.failed)

    def choose(self) -> None:
        app = App.get_running_app()
        choose_file("Choose a page photo", [f"*{s}" for s in sorted(IMAGE_SUFFIXES)], Path(app.pictures_dir),
                    self.read_file)

    def show(self, done: tuple) -> None:
        image, result = done
        self.result = result
        img = self.view.fit(image)
        draw_outline(img, result.paper, self.view.scale)  # the paper the reader found and read
        draw_boxes(img, [(it.box, "", it.confidence >= 0.5) for it in result.items], self.view.scale)
        self.view.show(img)
        notes = "".join(f"\n[{n}]" for n in result.notes)
        self.text.text = (result.text or "(no text found)") + notes
        self.text.cursor = (0, 0)  # show the top of the page
        App.get_running_app().show_message(
            f"Page: {len(result.items)} words in {sum(result.timings_ms.values()) / 1000:.2f} s")

    def failed(self, message: str) -> None:
        self.text.text = ""
        App.get_running_app().show_message(f"Page: {message}", error=True)

    def copy(self) -> None:
        """Put the page's text on the clipboard."""
        app = App.get_running_app()
        if not self.result or not self.result.text:
            app.show_message("Page: nothing to copy yet")
            return
        try:
            from kivy.core.clipboard import Clipboard

            Clipboard.copy(self.result.text)
        except Exception as exc:  # no clipboard provider on this system
            app.show_message(f"Page: cannot copy ({exc})", error=True)
            return
        app.show_message(f"Page: {len(self.result.text)} characters copied")

    def reload(self) -> None:
        self.reader = None
