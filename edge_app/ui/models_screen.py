"""Models screen: the manifest's models (size, quantisation, accuracy), and loading a new one safely."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView

from ..errors import EdgeOCRError
from ..model_store import install_model, model_rows
from ..worker import LatestJob
from .widgets import button, button_row, choose_file, on_ui

COLUMNS = ("name", "task", "quantization", "size", "accuracy", "created")


class ModelsScreen(Screen):
    """A table of models and a Load button (validate, then replace)."""

    def __init__(self, **kwargs):
        super().__init__(name="models", **kwargs)
        self.worker = LatestJob(on_ui, name="models")
        box = BoxLayout(orientation="vertical", padding=dp(4), spacing=dp(4))
        self.table = GridLayout(cols=len(COLUMNS), size_hint_y=None, row_default_height=dp(30),
                                row_force_default=True, spacing=(dp(6), 0))
        self.table.bind(minimum_height=self.table.setter("height"))
        scroll = ScrollView()
        scroll.add_widget(self.table)
        box.add_widget(scroll)
        box.add_widget(button_row(button("Load model...", self.choose), button("Refresh", self.refresh)))
        self.add_widget(box)
        self.rows: list[dict[str, str]] = []

    def on_pre_enter(self, *_):
        self.refresh()

    def refresh(self) -> None:
        """Read the manifest again and redraw the table."""
        app = App.get_running_app()
        self.table.clear_widgets()
        try:
            self.rows = model_rows(app.models_dir)
        except EdgeOCRError as exc:
            self.rows = []
            app.show_message(f"Models: {exc}", error=True)
        for col in COLUMNS:
            self.table.add_widget(Label(text=f"[b]{col}[/b]", markup=True, font_size=sp(13)))
        for r in self.rows:
            for col in COLUMNS:
                self.table.add_widget(Label(text=r[col], font_size=sp(13)))

    def choose(self) -> None:
        app = App.get_running_app()
        choose_file("Choose a .tflite made by 'edgeocr convert'", ["*.tflite"], Path(app.pictures_dir), self.load)

    def load(self, path: str | Path) -> None:
        """Validate ``path`` (hash, shapes, self-test) in the background and install it if it passes."""
        app = App.get_running_app()
        app.show_message(f"Models: checking {Path(path).name} ...")
        self.worker.submit(lambda: install_model(path, app.models_dir), self.installed,
                           lambda m: app.show_message(f"Models: rejected {Path(path).name}: {m}", error=True))

    def installed(self, name: str) -> None:
        app = App.get_running_app()
        app.models_changed()
        self.refresh()
        app.show_message(f"Models: installed '{name}' (sha256, shapes and self-test passed)")
