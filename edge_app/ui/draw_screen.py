"""Draw screen: a touch canvas read live (top-3), with clear, undo and a character/handwriting switch."""

from __future__ import annotations

import time

from kivy.app import App
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

from ..draw_session import DrawReading, DrawSession
from ..worker import LatestJob
from .widgets import Turning, button, button_row, on_ui

PEN_DP = 6


class DrawCanvas(Widget):
    """White paper, dark ink; every finished stroke asks the screen to read the drawing."""

    def __init__(self, session: DrawSession, on_stroke, **kwargs):
        super().__init__(**kwargs)
        self.session, self.on_stroke = session, on_stroke
        self._lines: list[Line] = []
        self._touch = None
        with self.canvas.before:
            Color(1, 1, 1, 1)
            self._paper = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._relayout, size=self._relayout)

    def _relayout(self, *_):
        self._paper.pos, self._paper.size = self.pos, self.size
        self.redraw()

    def redraw(self) -> None:
        """Draw the session's strokes again (after undo, clear or a resize)."""
        self.canvas.clear()
        self._lines = []
        with self.canvas:
            Color(0.1, 0.1, 0.15, 1)
            for stroke in self.session.strokes:
                pts = [v for x, y, _ in stroke for v in (self.x + x, self.y + y)]
                self._lines.append(Line(points=pts, width=dp(PEN_DP) / 2, cap="round", joint="round"))

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos) or self._touch is not None:
            return super().on_touch_down(touch)
        touch.grab(self)
        self._touch = touch
        self.session.begin(touch.x - self.x, touch.y - self.y)
        with self.canvas:
            Color(0.1, 0.1, 0.15, 1)
            self._lines.append(Line(points=[touch.x, touch.y], width=dp(PEN_DP) / 2, cap="round", joint="round"))
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        x = min(max(touch.x, self.x), self.right)
        y = min(max(touch.y, self.y), self.top)
        self.session.extend(x - self.x, y - self.y)
        self._lines[-1].points += [x, y]
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        self._touch = None
        self.session.end()
        self.on_stroke()
        return True


class DrawScreen(Screen):
    """The canvas, the reading and its alternatives, and the buttons."""

    def __init__(self, **kwargs):
        super().__init__(name="draw", **kwargs)
        app = App.get_running_app()
        self.session = DrawSession(app.models_dir, "char", app.threads)
        self.worker = LatestJob(on_ui, name="draw")
        self.stroke_done_at = 0.0
        self.latency_ms: float | None = None  # last stroke lifted -> the frame showing its reading flipped
        self._model_ms = 0.0
        self._awaiting_flip = False
        from kivy.core.window import Window

        Window.bind(on_flip=self._flipped)
        body = Turning(landscape=(1, 0.38), portrait=(1, 0.4))
        self.canvas_widget = DrawCanvas(self.session, self.read)
        body.add_widget(self.canvas_widget)
        side = BoxLayout(orientation="vertical", spacing=dp(4))
        self.result = Label(text="", font_size=sp(48), bold=True)
        self.alternatives = Label(text="draw a character", font_size=sp(16))
        self.timing = Label(text="", font_size=sp(12), size_hint_y=None, height=dp(20), shorten=True)
        self.timing.bind(size=lambda w, sz: setattr(w, "text_size", sz))
        side.add_widget(self.result)
        side.add_widget(self.alternatives)
        side.add_widget(self.timing)
        self.mode_buttons = {}
        for mode, text in (("char", "Characters"), ("handwriting", "Words")):
            b = ToggleButton(text=text, group="draw-mode", state="down" if mode == "char" else "normal",
                             allow_no_selection=False)
            b.bind(on_release=lambda _b, m=mode: self.set_mode(m))
            self.mode_buttons[mode] = b
        side.add_widget(button_row(*self.mode_buttons.values()))
        side.add_widget(button_row(button("Undo", self.undo), button("Clear", self.clear)))
        body.add_widget(side)
        self.add_widget(body)
        self.worker.submit(self.session.warm_up, lambda _: None, self.failed)  # load now, not at the 1st stroke

    def set_mode(self, mode: str) -> None:
        """Switch model and read the drawing again."""
        self.session.set_mode(mode)
        self.alternatives.text = "draw a character" if mode == "char" else "write a word"
        self.worker.submit(self.session.warm_up, lambda _: self.read(), self.failed)

    def read(self) -> None:
        """Read the canvas in the background; the newest drawing wins."""
        self.stroke_done_at = time.perf_counter()
        strokes = [list(s) for s in self.session.strokes]
        size = (float(self.canvas_widget.width), float(self.canvas_widget.height))
        if not strokes:
            self.show(DrawReading())
            return
        self.worker.submit(lambda: self.session.recognise(strokes, size, y_up=True), self.show, self.failed)

    def show(self, reading: DrawReading) -> None:
        """Put a reading on screen; its latency is taken when the frame showing it is flipped."""
        self.result.text = reading.text
        self.alternatives.text = "   ".join(f"{t} {p:.2f}" for t, p in reading.top3) or (
            "draw a character" if self.session.mode == "char" else "write a word")
        self._model_ms, self._awaiting_flip = reading.ms, True

    def _flipped(self, *_):
        if self._awaiting_flip:
            self._awaiting_flip = False
            self.latency_ms = (time.perf_counter() - self.stroke_done_at) * 1000.0
            self.timing.text = f"read in {self._model_ms:.0f} ms, shown {self.latency_ms:.0f} ms after the stroke"

    def failed(self, message: str) -> None:
        App.get_running_app().show_message(f"Draw: {message}", error=True)

    def undo(self) -> None:
        self.session.undo()
        self.canvas_widget.redraw()
        self.read()

    def clear(self) -> None:
        self.session.clear()
        self.canvas_widget.redraw()
        self.read()

    def reload(self) -> None:
        """A model was replaced: load readers again on the next reading."""
        self.session.reload()
