"""Form filling screen: draws the presenter's page, sends every change back to it.

Widgets are rebuilt only when the page's set of questions changes (navigation, relevance);
otherwise messages and selections are updated in place so typing keeps its focus.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import partial
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.spinner import Spinner
from kivy.uix.widget import Widget

from mobile.app.base import BaseScreen
from mobile.app.ui_thread import on_ui_thread
from mobile.i18n import tr
from mobile.presenters.clock import clock_text
from mobile.presenters.form import ChoiceView, FormPresenter, ItemView, PageView

# A select one with more choices than this is a picker, not a wall of buttons (the 54 ethnic
# groups of household_review 3).
_LONG_LIST = 12


class QuestionItem(BoxLayout):
    """A question's frame: label, hint, the input (in the subclass's kv) and messages."""

    label = StringProperty("")
    hint = StringProperty("")
    path = StringProperty("")
    required = BooleanProperty(False)

    def show_messages(self, item: ItemView) -> None:
        box = self.ids.messages
        box.clear_widgets()
        for message in item.messages:
            kind = {"error": Factory.ErrorText, "comment": Factory.NoteBox}.get(
                message.severity, Factory.WarningText
            )
            # Roboto has no warning-sign glyph; the text's colour marks errors and warnings.
            box.add_widget(kind(text=f"• {message.text}"))


class TextItem(QuestionItem):
    unit = StringProperty("")
    multiline = BooleanProperty(False)
    input_filter = StringProperty("", allownone=True)


class ChoiceItem(QuestionItem):
    pass


class GpsItem(QuestionItem):
    value_text = StringProperty("")
    manual = BooleanProperty(False)


class PhotoItem(QuestionItem):
    value_text = StringProperty("")


class RosterItem(QuestionItem):
    row_label = StringProperty("")


class FormScreen(BaseScreen):
    presenter: FormPresenter | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widgets: dict[str, Widget] = {}
        self.keys: tuple[tuple[str, str], ...] = ()
        self.drawing = False
        # ``ids`` holds weak proxies; once the preview button is taken out of its bar (forms
        # without a household document) nothing else would keep it alive, and the next garbage
        # collection would leave ``ids.preview`` pointing at nothing.
        self.preview_button: Widget = self.ids.preview.__self__

    def refresh(self) -> None:
        store = self.context.user_store()
        survey = store.survey(str(self.arguments["survey_id"]))
        assert survey is not None
        if self.presenter is None or self.presenter.survey.survey_id != survey.survey_id:
            self.presenter = FormPresenter(
                self.context.survey_form(survey),
                survey,
                store,
                self.context.camera,
                self.context.locator,
                self.context.lang,
                dispatch=on_ui_thread,
            )
            self.presenter.changed = self.update
        self.presenter.lang = self.context.lang
        self.presenter.notice = ""
        self.keys = ()
        self.update()

    # Drawing.
    def update(self) -> None:
        assert self.presenter is not None
        view = self.presenter.view()
        keys = tuple((item.kind, item.path) for item in view.items)
        self.drawing = True
        try:
            if keys != self.keys:
                self.rebuild(view)
                self.keys = keys
            for item in view.items:
                self.update_item(self.widgets[item.path], item)
            self.ids.title.text = view.title
            self.ids.subtitle.text = view.subtitle
            self.ids.previous.disabled = view.first or view.in_row
            self.ids.next.text = self.app.t("finish" if view.last else "next")
            self.ids.next.disabled = view.in_row
            self.ids.notice.text = self.presenter.notice
            self.show_preview(self.presenter.form.document is not None)
        finally:
            self.drawing = False

    def show_preview(self, shown: bool) -> None:
        """The class preview is for forms that describe a household (``document`` mapping)."""
        button = self.preview_button
        bar = self.ids.next.parent
        if shown and button.parent is None:
            bar.add_widget(button, index=1)
        elif not shown and button.parent is not None:
            bar.remove_widget(button)

    def rebuild(self, view: PageView) -> None:
        focused = next(
            (
                path
                for path, w in self.widgets.items()
                if isinstance(w, TextItem) and w.ids.input.focus
            ),
            None,
        )
        box = self.ids.page_items
        box.clear_widgets()
        self.widgets = {}
        if view.in_row:
            done = Factory.Secondary(text=self.app.t("done_row"))
            done.bind(on_release=self.close_row)
            box.add_widget(done)
        for item in view.items:
            widget = self.make(item)
            self.widgets[item.path] = widget
            box.add_widget(widget)
        again = self.widgets.get(focused or "")
        if isinstance(again, TextItem):
            again.ids.input.focus = True
        self.ids.scroll.scroll_y = 1 if not focused else self.ids.scroll.scroll_y

    def make(self, item: ItemView) -> Widget:
        common = {"label": item.label, "hint": item.hint, "path": item.path}
        if item.kind == "heading":
            return Factory.Heading(text=item.label)
        if item.kind == "note":
            return Factory.NoteBox(text=item.label)
        if item.kind == "calculate":
            return Factory.Text(text=f"{item.label}: [b]{item.text}[/b]", markup=True)
        if item.kind in ("text", "integer", "decimal", "date"):
            widget = TextItem(
                **common,
                unit=item.unit,
                multiline=item.multiline,
                input_filter={"integer": "int", "decimal": "float"}.get(item.kind),
            )
            if item.kind == "date":
                widget.ids.input.hint_text = self.app.t("date_hint")
            widget.ids.input.text = item.text
            widget.ids.input.bind(text=partial(self.typed, item.id))
            return widget
        if item.kind in ("select_one", "select_multiple", "yes_no"):
            widget = ChoiceItem(**common)
            if item.kind == "yes_no":
                for answer, key in ((True, "yes"), (False, "no")):
                    button = Factory.Choice(text=self.app.t(key))
                    button.bind(on_release=partial(self.yes_no, item.id, answer))
                    button.answer = answer
                    widget.ids.choices.add_widget(button)
                return widget
            if item.kind == "select_one" and len(item.choices) > _LONG_LIST:
                picker = Factory.ThemedSpinner(
                    text=self.app.t("pick_one"),
                    values=[c.label for c in item.choices],
                    size_hint=(1, None),
                    height=dp(46) * self.app.font_scale,
                )
                picker.bind(text=partial(self.picked, item.id, item.choices))
                widget.ids.choices.add_widget(picker)
                return widget
            for choice in item.choices:
                button = Factory.Choice(text=choice.label)
                button.value = choice.value
                button.bind(on_release=partial(self.choose, item.id, choice.value))
                widget.ids.choices.add_widget(button)
            return widget
        if item.kind == "gps":
            widget = GpsItem(**common, manual=self.context.locator.manual)
            widget.ids.locate.bind(on_release=partial(self.device, "locate", item.id))
            widget.ids.use_manual.bind(on_release=partial(self.manual_location, item.id, widget))
            return widget
        if item.kind == "photo":
            widget = PhotoItem(**common)
            widget.ids.take.bind(on_release=partial(self.device, "take_photo", item.id))
            return widget
        if item.kind == "roster":
            widget = RosterItem(**common, row_label=item.text)
            widget.ids.add.bind(on_release=partial(self.device, "add_row", item.id))
            return widget
        return Factory.Text(text=item.label)

    def update_item(self, widget: Widget, item: ItemView) -> None:
        if isinstance(widget, QuestionItem):
            widget.required = item.required
            widget.show_messages(item)
        if isinstance(widget, TextItem):
            field = widget.ids.input
            if not field.focus and field.text != item.text:
                field.text = item.text
        elif isinstance(widget, ChoiceItem):
            for button in widget.ids.choices.children:
                if isinstance(button, Spinner):
                    chosen = [c.label for c in item.choices if c.selected]
                    button.text = chosen[0] if chosen else self.app.t("pick_one")
                    continue
                if hasattr(button, "answer"):
                    down = item.value is button.answer
                else:
                    down = any(c.value == button.value and c.selected for c in item.choices)
                button.state = "down" if down else "normal"
        elif isinstance(widget, GpsItem):
            widget.value_text = item.text
        elif isinstance(widget, PhotoItem):
            widget.value_text = item.text
            self.thumbnail(widget, item)
        elif isinstance(widget, RosterItem):
            rows = widget.ids.rows
            rows.clear_widgets()
            for row in item.rows:
                line = Factory.RosterRow()
                problems = tr("row_problems", self.context.lang, n=row.problems)
                line.ids.open_row.text = row.title + (f"  ({problems})" if row.problems else "")
                line.ids.open_row.bind(on_release=partial(self.open_row, item.id, row.index))
                line.ids.remove_row.bind(on_release=partial(self.remove_row, item.id, row.index))
                rows.add_widget(line)

    def thumbnail(self, widget: PhotoItem, item: ItemView) -> None:
        image = widget.ids.image
        sha = item.value.get("sha256") if isinstance(item.value, dict) else None
        jpeg = self.context.user_store().photo(sha) if sha else None
        if jpeg is None:
            image.texture = None
            image.opacity = 0
            return
        image.texture = CoreImage(io.BytesIO(jpeg), ext="jpg").texture
        image.opacity = 1

    # Input.
    def device(self, action: str, question_id: str, *_: object) -> None:
        """Run a presenter action named ``action`` on a question (camera, GPS, add a row)."""
        if self.presenter is not None:
            getattr(self.presenter, action)(question_id)

    def picked(
        self, question_id: str, choices: Sequence[ChoiceView], _picker: Widget, text: str
    ) -> None:
        """A choice picked from a long list (the ethnic groups): chosen unless it already is."""
        found = next((c for c in choices if c.label == text), None)
        if self.drawing or self.presenter is None or found is None:
            return
        self.presenter.pick(question_id, found.value)

    def close_row(self, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.close_row()

    def typed(self, question_id: str, _widget: Widget, text: str) -> None:
        if not self.drawing and self.presenter is not None:
            self.presenter.set_text(question_id, text)

    def choose(self, question_id: str, value: str, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.choose(question_id, value)

    def yes_no(self, question_id: str, answer: bool, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.set_yes_no(question_id, answer)

    def manual_location(self, question_id: str, widget: GpsItem, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.set_location(
                question_id, widget.ids.lat.text, widget.ids.lon.text, widget.ids.acc.text
            )

    def open_row(self, roster_id: str, row: int, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.open_row(roster_id, row)

    def remove_row(self, roster_id: str, row: int, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.remove_row(roster_id, row)

    def step(self, direction: int) -> None:
        assert self.presenter is not None
        if direction > 0 and self.presenter.view().last:
            if self.presenter.finish():
                self.show_errors()
            return
        self.presenter.go(direction)

    def _jump_list(self, title: str, lines: list[tuple[str, str, bool]]) -> Widget:
        """Open a dialog of buttons (text, path, is a heading) that jump to their question."""
        dialog = Factory.JumpDialog()
        dialog.ids.title.text = title
        box = dialog.ids.lines
        for text, path, heading in lines:
            if heading:
                box.add_widget(Factory.Heading(text=text))
                continue
            button = Factory.JumpLine(text=text)
            button.bind(on_release=partial(self.jump, dialog, path))
            box.add_widget(button)
        dialog.open()
        return dialog

    def show_errors(self) -> Widget:
        """List what keeps the survey from being finished; a tap goes to the question."""
        assert self.presenter is not None
        lines = [(line.text, line.path, False) for line in self.presenter.error_lines()]
        return self._jump_list(self.app.t("errors_title"), lines)

    def show_index(self) -> Widget:
        """The form's sections with their counts and questions; a tap goes to the question."""
        assert self.presenter is not None
        lines: list[tuple[str, str, bool]] = []
        for section in self.presenter.question_index():
            counts = self.app.t(
                "section_counts",
                answered=section.answered,
                required=section.required,
                errors=section.errors,
            )
            lines.append((f"{section.title}\n{counts}", "", True))
            for entry in section.entries:
                # Roboto has no check mark: the colour of the dot says answered or required.
                mark = (
                    "[color=27994d]•[/color]"
                    if entry.answered
                    else (
                        "[color=c0392b]•[/color]" if entry.required else "[color=9aa3ad]•[/color]"
                    )
                )
                problems = (
                    f"  ({self.app.t('row_problems', n=entry.errors)})" if entry.errors else ""
                )
                lines.append((f"{mark} {entry.label}{problems}", entry.path, False))
        return self._jump_list(self.app.t("question_index"), lines)

    def jump(self, dialog: Widget, path: str, *_: object) -> None:
        dialog.dismiss()
        if self.presenter is not None and path:
            self.presenter.go_to_path(path)

    def save(self) -> None:
        assert self.presenter is not None
        self.presenter.sink.save_survey(self.presenter.survey)
        saved = clock_text(self.presenter.survey.updated_at, self.context.zone)
        self.presenter.notice = self.app.t("saved_at", time=saved)
        self.update()

    def preview(self) -> None:
        assert self.presenter is not None
        self.app.show("preview", survey_id=self.presenter.survey.survey_id)

    def step_back(self) -> bool:
        """Back closes an open roster row first; return whether it did."""
        if self.presenter is not None and self.presenter.stack:
            self.presenter.close_row()
            return True
        return False

    def leave(self) -> None:
        self.app.show("home")
