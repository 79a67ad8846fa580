"""Drives the real tablet app in its own process (so a test can kill it): ``python
tests/mobile/ui_driver.py SCENARIO DATA_DIR SHOT_DIR [WxH]``. Steps run on Kivy's clock; each
scenario ends by writing ``result.json`` to SHOT_DIR and stopping the app (exit code 0), or
exits 1 on the first failed check."""

from __future__ import annotations

import gc
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_NO_CONFIG", "1")
os.environ.setdefault("KIVY_AUDIO", "")
os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")

STARTED = time.perf_counter()
SCENARIO, DATA_DIR, SHOT_DIR = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
WIDTH, HEIGHT = (int(x) for x in (sys.argv[4] if len(sys.argv) > 4 else "1280x800").split("x"))

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", str(WIDTH))
Config.set("graphics", "height", str(HEIGHT))
Config.set("graphics", "resizable", "0")

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from mobile.app.main import RasoatApp  # noqa: E402
from mobile.context import AppContext, engine_sync  # noqa: E402
from mobile.demo import DEMO_SECRET, DEMO_USER, seed_demo  # noqa: E402
from mobile.facades.camera import FakeCamera  # noqa: E402
from mobile.facades.location import FakeLocator  # noqa: E402
from mobile.review_api import ReviewApi  # noqa: E402
from mobile.sync_port import FakeSync, Outcome  # noqa: E402
from tests.mobile.presenters.filling import (  # noqa: E402
    MEMBERS,
    fill_after_roster,
    fill_member,
)

# The "sync" scenario signs in as a user prepared beforehand and syncs with the real engine
# against the server in RASOAT_UI_SERVER; the others play the demo user and a scripted sync.
USER = os.environ.get("RASOAT_UI_USER", DEMO_USER)
SECRET = os.environ.get("RASOAT_UI_SECRET", DEMO_SECRET)
context = AppContext(
    DATA_DIR,
    camera=FakeCamera(),
    locator=FakeLocator(),
    kdf_cost=2**12,
    sync_factory=engine_sync
    if SCENARIO in ("sync", "day", "support_day")
    else lambda _c: FakeSync(Outcome(ok=True, sent=4, photos=3), pause_s=0.05),
)
if not context.accounts.known():
    seed_demo(context.db, DATA_DIR / "photos", kdf_cost=2**12)
app = RasoatApp(context)
result: dict[str, Any] = {"shots": []}
SHOT_DIR.mkdir(parents=True, exist_ok=True)


def shot(name: str) -> None:
    Window.canvas.ask_update()
    path = SHOT_DIR / f"{name}-{WIDTH}x{HEIGHT}.png"
    Window.screenshot(name=str(path))
    # Kivy appends a counter to the name; keep the plain name.
    made = sorted(SHOT_DIR.glob(f"{name}-{WIDTH}x{HEIGHT}*.png"), key=os.path.getmtime)[-1]
    made.replace(path)
    result["shots"].append(str(path))


def screen(name: str) -> Any:
    return app.root.get_screen(name)


def sign_in() -> Iterator[None]:
    s = screen("signin")
    s.ids.username.text = USER
    s.ids.secret.text = SECRET
    yield
    yield
    shot("signin")
    s.submit()
    yield
    assert app.root.current == "home", app.root.current


def press_back() -> None:
    """The Android back key (Escape on a desktop)."""
    Window.dispatch("on_keyboard", 27, 0, "", [])


def form() -> Any:
    return screen("form").presenter


def fill_household() -> Iterator[None]:
    """Sign in, open the big hamlet, search, open a household, fill a survey of four."""
    yield from sign_in()
    yield
    yield
    shot("home")
    home = screen("home")
    home.open_hamlet(1, "Thôn Khuổi Phầy 2")
    yield
    households = screen("households")
    households.ids.search.text = "hoang duc"
    yield
    yield
    yield
    shot("households")
    rows = households.ids.list.data
    assert rows, "search found nothing"
    household_id = rows[0]["household_id"]
    result["household_id"] = household_id
    result["household_code"] = f"{rows[0]['code']} · {rows[0]['head_name']}"
    app.show("detail", household_id=household_id)
    yield
    yield
    shot("detail")
    press_back()
    yield
    result["back_from_detail"] = [app.root.current, households.ids.summary.text]
    app.show("detail", household_id=household_id)
    yield
    screen("detail").act()
    yield
    p = form()
    result["survey_id"] = p.survey.survey_id
    result["commune"] = p.answers.get("commune")
    p.choose("area", "rural") if p.answers.get("area") != "rural" else None
    p.set_text("phone", "0912 34")
    yield
    p.locate("location")
    yield
    yield
    yield
    shot("form-identification")
    p.set_text("phone", "0912345678")
    p.go(1)
    yield
    yield
    shot("form-roster-preloaded")
    while p.answers_at("members"):  # this test lists the household anew
        p.remove_row("members", 0)
    for index in range(len(MEMBERS)):
        p.add_row("members")
        fill_member(p, index)
        if index == 2:
            yield
            yield
            shot("form-member")
        p.close_row()
    yield
    yield
    shot("form-roster")
    if SCENARIO == "kill":
        result["killed_at"] = "members"
        (SHOT_DIR / "result.json").write_text(json.dumps(result))
        os._exit(9)  # the process dies: no clean shutdown, no final save
    yield from finish_household()


def finish_household() -> Iterator[None]:
    p = form()
    p.go(1)
    p.choose("income_method", "measured")
    p.set_text("income_monthly_per_capita_vnd", "1350000")
    p.go(1)
    for question, value in (("walls", "brick"), ("frame", "bamboo"), ("roof", "thatch")):
        p.choose(question, value)
    p.set_text("floor_area_m2", "36")
    p.go(1)
    p.choose("water_source", "drilled_well")
    p.choose("latrine", "simple_pit")
    p.go(1)
    p.set_yes_no("internet_access", False)
    p.choose("information_devices", "tv")
    p.set_yes_no("hears_loudspeaker", True)
    p.go(1)
    for question in ("photo_house", "photo_latrine", "photo_water"):
        p.take_photo(question)
        yield
    yield
    yield
    shot("form-photos")
    p.go(1)
    p.choose("special_groups", "none")
    p.go(1)
    p.set_text("representative_name", "Hoàng Văn Đức")
    p.set_yes_no("representative_confirms", True)
    yield
    app.show("preview", survey_id=p.survey.survey_id)
    yield
    yield
    shot("preview")
    result["preview_class"] = screen("preview").ids.household_class.text
    app.show("form", survey_id=p.survey.survey_id)
    yield
    errors = p.finish()
    result["errors"] = [(e.path, str(e.code)) for e in errors]
    yield
    app.show("outbox")
    yield
    yield
    shot("outbox")
    result["outbox"] = [
        child.ids.title.text for child in screen("outbox").ids.body.children if "title" in child.ids
    ]
    app.show("detail", household_id=p.survey.household_id)
    yield
    result["finished_action"] = screen("detail").ids.action.text
    app.show("sync")
    yield
    screen("sync").start()
    for _ in range(40):
        yield
        if not screen("sync").presenter.running:
            break
    yield
    yield
    shot("sync")
    result["sync_message"] = screen("sync").ids.message.text
    app.show("settings")
    yield
    yield
    shot("settings")


def sync_for_real() -> Iterator[None]:
    """Sign in offline, sync with the real engine from the sync screen, come back home."""
    yield from sign_in()
    yield
    shot("home-before-sync")
    app.show("sync")
    yield
    sync = screen("sync")
    sync.start()
    for _ in range(500):
        yield
        if not sync.presenter.running:
            break
    yield
    yield
    shot("sync-real")
    result["sync_message"] = sync.ids.message.text
    result["conflicts"] = [c.household_code for c in sync.presenter.view().conflicts]
    app.show("home")
    yield
    yield
    shot("home-after-sync")
    result["last_sync"] = screen("home").ids.last_sync.text


def resume() -> Iterator[None]:
    """Sign in after a kill: the draft is on the home screen and opens where it was left."""
    yield from sign_in()
    yield
    drafts = context.user_store().surveys(["draft"])
    assert len(drafts) == 1, drafts
    survey = drafts[0]
    result["survey_id"] = survey.survey_id
    result["rows"] = len(survey.envelope["answers"].get("members", []))
    result["names"] = [m.get("full_name") for m in survey.envelope["answers"]["members"]]
    result["position"] = survey.position
    yield
    shot("home-with-draft")
    app.show("detail", household_id=survey.household_id)
    yield
    press_back()
    yield
    result["back_to"] = app.root.current
    press_back()
    yield
    yield
    result["asks_to_leave"] = app.leaving is not None and app.leaving.parent is not None
    shot("leave-dialog")
    press_back()
    for _ in range(20):  # the dialog fades out
        yield
    result["stayed"] = app.leaving.parent is None and app.root.current == "home"
    app.show("form", survey_id=survey.survey_id)
    yield
    yield from finish_household()


def support_users() -> None:
    """A hamlet head, a helping officer (with two assigned households pulled) and a commune
    officer on this tablet; the survey API is scripted."""
    from mobile.demo import demo_households
    from mobile.store import Hamlet, Profile, UserStore
    from mobile.sync.bridge import sync_store
    from tests.mobile.presenters.fake_review import FakeReview

    households = demo_households(2, 180)
    poor = [h for h in households if h.household_class == "poor"][:2]
    for username, name, role in (
        ("truongthon", "Hoàng Văn Lực", "hamlet_head"),
        ("phutrach", "Lê Thị Hoa", "helping_officer"),
        ("canboxa", "Đặng Thu Hạnh", "commune_officer"),
    ):
        # A session token already held: sign-in stays offline.
        tokens: dict[str, object] = {"refresh_token": "held"}
        account = context.accounts.remember(Profile(username, name, role, 42), SECRET, tokens)
        store = UserStore(context.db, account, DATA_DIR / "photos")
        store.save_hamlets([Hamlet(2, "Bản Nà Khoang", "Xã Tân Lập")])
        store.save_households(households)
        if role == "helping_officer":
            outbox = sync_store(DATA_DIR, account)
            needs = [{"help_type": "preferential_loan"}, {"help_type": "breeding_stock"}]
            items = [
                {
                    "e": "support",
                    "k": str(index),
                    "v": 1,
                    "d": {
                        "household_id": h.household_id,
                        "hamlet_id": 2,
                        "year": context.today().year,
                        "status": "confirmed",
                        "starting_class": "poor",
                        "target_date": f"{context.today().year}-11-30",
                        "needs": needs,
                        "officers": [{"officer_id": 1, "full_name": name, "user_id": 42}],
                        "plan": [{"id": 1, "status": "done"}, {"id": 2, "status": "planned"}],
                    },
                }
                for index, h in enumerate(poor, start=1)
            ]
            outbox.apply(items, "")
            outbox.close()
    fake = FakeReview()
    for case in fake.accepted:  # the scripted cases of the hamlet head's hamlet
        case["hamlet_id"] = 2
    # The scripted stand-in answers the calls the screens make of ReviewApi.
    context.review_api = lambda: cast(ReviewApi, fake)  # type: ignore[method-assign]


def support_screens() -> Iterator[None]:
    """Each role's new screens: registration and meeting (hamlet head), my households and a
    visit with a photo (helping officer), the survey queue (commune officer)."""
    global USER
    support_users()
    USER = "truongthon"
    yield from sign_in()
    yield
    shot("home-hamlet-head")
    app.show("support", mode="register")
    yield
    yield
    shot("support-register")
    rows = screen("support").ids.rows.children
    result["registrable"] = len(rows)
    rows[-1].ids.act.dispatch("on_release")
    yield
    yield
    shot("form-exit-registration")
    result["registration"] = dict(form().answers)
    app.show("meeting")
    for _ in range(10):
        yield
    meeting = screen("meeting")
    meeting.inputs["front_supervisor"].text = "Lò Thị Hạnh"
    meeting.inputs["households_represented"].text = "18"
    meeting.inputs["others_present"].text = "2"
    yield
    meeting.lines[21].ids.agree.text = "12"
    yield
    yield
    shot("meeting")
    result["verdict"] = meeting.lines[21].ids.verdict.text
    screen("home").sign_out()
    USER = "phutrach"
    yield from sign_in()
    yield
    shot("home-helping-officer")
    app.show("support", mode="visits")
    yield
    yield
    shot("support-visits")
    rows = screen("support").ids.rows.children
    result["mine"] = len(rows)
    rows[-1].ids.act.dispatch("on_release")
    yield
    p = form()
    p.set_yes_no("support_delivered", False)
    p.choose("progress", "in_progress")
    p.go_to_path("photos")
    p.add_row("photos")
    p.take_photo("photo")
    for _ in range(4):
        yield
    shot("form-visit-photo")
    result["visit_photo"] = bool(p.survey.envelope["answers"]["photos"][0].get("photo"))
    screen("home").sign_out()
    USER = "canboxa"
    yield from sign_in()
    app.show("queue")
    for _ in range(10):
        yield
    shot("queue")
    result["queue"] = [c.title for c in screen("queue").presenter.view().cases]


# What may not show in a screen people read: a field path (members[0].employment,
# housing.walls), a code or key in snake_case, a regex, a raw validator message; and in the
# Vietnamese screens, English words.
_PATHS = re.compile(r"\w+\[\d+\]|\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+\.[a-z_]+\b|\(\w+\|")
_ENGLISH = re.compile(
    r"\b(the|and|of|is|not|off|on|yes|back|next|save|sync|home|settings|error|expected|"
    r"array|length|household|households|member|members|photo|search|sign|none|null|true|"
    r"false|position|receiver|computer|type|draft|waiting|sent|returned|survey|finish|"
    r"previous|cancel|close|add|edit|split|map|outbox)\b",
    re.IGNORECASE,
)
_ALLOWED = ("English",)  # the language chooser names the other language in its own words


def visible_texts(widget: Any) -> list[str]:
    """Return the texts a person sees in ``widget`` and below (hidden widgets skipped)."""
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    if getattr(widget, "opacity", 1) == 0:
        return []
    found = []
    if isinstance(widget, Label) and widget.text:
        found.append(re.sub(r"\[/?[a-z]+(=[^\]]*)?\]", "", widget.text))
    elif isinstance(widget, TextInput) and widget.hint_text and not widget.text:
        found.append(str(widget.hint_text))
    for child in widget.children:
        found.extend(visible_texts(child))
    return found


def inspect(name: str, lang: str) -> None:
    """Screenshot what shows and note every text that breaks the rules above."""
    shot(f"{name}-{lang}")
    texts = [t for w in Window.children for t in visible_texts(w)]
    for text in texts:
        if text in _ALLOWED:
            continue
        if _PATHS.search(text):
            result["problems"].append(f"{name}/{lang}: code or path in {text!r}")
        if lang == "vi" and _ENGLISH.search(text):
            result["problems"].append(f"{name}/{lang}: English in {text!r}")
    result["screens"].append(f"{name}-{lang}")
    print(f"{time.perf_counter() - STARTED:7.2f} {name}-{lang}", file=sys.stderr, flush=True)


def settle(frames: int = 2) -> Iterator[None]:
    for _ in range(frames):
        yield


def walk_enumerator(lang: str) -> Iterator[None]:
    home = screen("home")
    home.refresh()
    yield from settle()
    inspect("enumerator-home", lang)
    home.open_hamlet(2, "Bản Nà Khoang")
    yield from settle()
    inspect("enumerator-households", lang)
    households = screen("households")
    households.ids.search.text = "khong co ai ten nay"
    yield from settle()
    inspect("enumerator-households-nobody", lang)
    households.add_household()
    yield from settle()
    inspect("enumerator-household-new", lang)
    press_back()
    households.ids.search.text = ""
    yield from settle()
    app.show("hamlet_map", hamlet_id=2, name="Bản Nà Khoang")
    yield from settle()
    inspect("enumerator-map", lang)
    household_id = households.ids.list.data[0]["household_id"]
    app.show("detail", household_id=household_id)
    yield from settle()
    inspect("enumerator-detail", lang)
    app.show("member", household_id=household_id, member_no="1")
    yield from settle()
    inspect("enumerator-member", lang)
    press_back()
    yield from settle()
    app.show("household_edit", mode="split", household_id=household_id)
    yield from settle()
    inspect("enumerator-household-split", lang)
    press_back()
    yield from settle()
    screen("detail").act()
    yield from settle()
    inspect("enumerator-form", lang)
    form_screen = screen("form")
    p = form()
    p.set_text("reference_date", "31/02/2026")
    p.locate("location")
    yield from settle()
    inspect("enumerator-form-date-gps", lang)
    dialog = form_screen.show_index()
    yield from settle(4)
    inspect("enumerator-form-index", lang)
    dialog.dismiss()
    yield from settle(4)
    p.go(1)
    yield from settle()
    inspect("enumerator-form-roster", lang)
    p.open_row("members", 0)
    yield from settle()
    inspect("enumerator-form-member", lang)
    p.close_row()
    p.go_to_path("floor_area_m2")
    p.set_text("floor_area_m2", "9,5")
    yield from settle()
    inspect("enumerator-form-housing", lang)
    dialog = form_screen.show_errors() if p.finish() else None
    yield from settle(4)
    inspect("enumerator-form-errors", lang)
    if dialog is not None:
        dialog.dismiss()
    yield from settle(4)
    app.show("preview", survey_id=p.survey.survey_id)
    yield from settle()
    inspect("enumerator-preview", lang)
    app.show("outbox")
    yield from settle()
    inspect("enumerator-outbox", lang)
    app.show("sync")
    yield from settle()
    inspect("enumerator-sync", lang)
    app.show("settings")
    yield from settle()
    inspect("enumerator-settings", lang)
    context.user_store().delete_survey(p.survey.survey_id)


def walk_role(role: str, lang: str) -> Iterator[None]:
    home = screen("home")
    home.refresh()
    yield from settle()
    inspect(f"{role}-home", lang)
    if role == "hamlet-head":
        app.show("support", mode="register")
        yield from settle()
        inspect("hamlet-head-registrations", lang)
        screen("support").ids.rows.children[-1].ids.act.dispatch("on_release")
        yield from settle()
        inspect("hamlet-head-registration-form", lang)
        context.user_store().delete_survey(form().survey.survey_id)
        app.show("meeting")
        yield from settle(6)
        inspect("hamlet-head-meeting", lang)
    elif role == "helping-officer":
        app.show("support", mode="visits")
        yield from settle()
        inspect("helping-officer-households", lang)
        screen("support").ids.rows.children[-1].ids.act.dispatch("on_release")
        yield from settle()
        inspect("helping-officer-visit-form", lang)
        context.user_store().delete_survey(form().survey.survey_id)
    else:
        app.show("queue")
        yield from settle(6)
        inspect("commune-officer-queue", lang)


def walk() -> Iterator[None]:
    """Every screen of every role, in Vietnamese and in English: screenshots, and any field
    path, code or (in Vietnamese) English word that shows is noted in ``problems``."""
    global USER
    result["problems"] = []
    result["screens"] = []
    support_users()
    for lang in os.environ.get("RASOAT_UI_LANGS", "vi,en").split(","):
        context.settings.set("language", lang)
        app.apply_settings()
        app.show("signin")
        yield from settle()
        inspect("signin", lang)
        for user, role in (
            (DEMO_USER, "enumerator"),
            ("truongthon", "hamlet-head"),
            ("phutrach", "helping-officer"),
            ("canboxa", "commune-officer"),
        ):
            USER = user
            yield from sign_in()
            if role == "enumerator":
                yield from walk_enumerator(lang)
            else:
                yield from walk_role(role, lang)
            screen("home").sign_out()
            yield


def sync_now() -> Iterator[None]:
    """Run a sync from the sync screen and wait for its end; note its message."""
    app.show("sync")
    yield
    sync = screen("sync")
    sync.start()
    for _ in range(600):
        yield
        if not sync.presenter.running:
            break
    yield
    result.setdefault("syncs", []).append(sync.ids.message.text)


def answer_member(p: Any, born: str, adult: bool) -> None:
    """The questions a member still in the household is asked (not the name and status)."""
    if not p._raw_container().get("birth_date"):
        p.set_text("birth_date", born)
    p.choose("disability", "none")
    p.set_yes_no("health_insurance", True)
    if adult:
        p.choose("employment", "self_employed")
        p.choose("education", "primary")
        p.set_yes_no("in_school", False)
        p.set_yes_no("phone_subscription", True)
        p.set_yes_no("uses_internet", False)
    else:
        p.set_yes_no("stunted", False)
        p.set_yes_no("underweight", False)
    if "ethnicity" in p.form.nodes:  # household_review 3's facts of each member
        p.pick("ethnicity", "01")
        p.pick("activity", "working" if adult else "not_working")
        if adult:
            p.set_yes_no("no_labour_capacity", False)
        p.set_text("monthly_social_allowance_vnd", "0")
        p.set_yes_no("revolutionary_merit", False)


def day_morning() -> Iterator[None]:
    """Sync, open a household of four: two still there, the grandfather died, a child born;
    the app is killed with the form half done."""
    yield from sign_in()
    yield from sync_now()
    hamlet = context.user_store().hamlets()[0]
    screen("home").open_hamlet(hamlet.hamlet_id, hamlet.name)
    yield
    households = screen("households")
    households.ids.search.text = "dinh van tam"
    yield
    yield
    rows = households.ids.list.data
    app.show("detail", household_id=rows[0]["household_id"])
    yield
    screen("detail").act()
    yield
    p = form()
    p.locate("location")
    yield
    yield
    p.go(1)
    yield
    shot("day-roster-preloaded")
    result["preloaded"] = [row.get("full_name") for row in p.answers_at("members")]
    for row, status in ((0, "present"), (1, "present"), (2, "died"), (3, "present")):
        p.open_row("members", row)
        p.choose("member_status", status)
        if status == "present":
            answer_member(p, "", adult=row < 2)
            if row == 3:
                p.set_yes_no("in_school", True)
                p.choose("school_level", "primary")
                p.set_yes_no("phone_subscription", False)
                p.set_yes_no("uses_internet", False)
        p.close_row()
    p.add_row("members")
    p.set_text("full_name", "Đinh Thị Na")
    p.choose("member_status", "born")
    p.choose("sex", "female")
    p.choose("relation", "child")
    answer_member(p, f"03/03/{context.today().year}", adult=False)
    p.close_row()
    yield
    yield
    shot("day-roster-confirmed")
    result["survey_id"] = p.survey.survey_id
    (SHOT_DIR / "result.json").write_text(json.dumps(result, ensure_ascii=False))
    os._exit(9)  # killed in the middle of the form


def day_afternoon() -> Iterator[None]:
    """Take the form back where it was, finish it; register a new household and split one;
    sync everything."""
    yield from sign_in()
    drafts = context.user_store().surveys(["draft"])
    survey = drafts[0]
    app.show("form", survey_id=survey.survey_id)
    yield
    p = form()
    result["resumed_page"] = p.view().title
    result["roster"] = [
        [row.get("full_name"), row.get("member_status")] for row in p.answers_at("members")
    ]
    p.go(1)
    fill_after_roster(p)
    yield
    yield
    app.show("preview", survey_id=p.survey.survey_id)
    yield
    yield
    shot("day-preview")
    result["preview_class"] = screen("preview").ids.household_class.text
    app.show("form", survey_id=p.survey.survey_id)
    yield
    result["errors"] = [line.text for line in p.error_lines()] if p.finish() else []
    hamlet = context.user_store().hamlets()[0]
    screen("home").open_hamlet(hamlet.hamlet_id, hamlet.name)
    yield
    households = screen("households")
    households.ids.search.text = "Vừ Thị Ly"
    yield
    yield
    households.add_household()
    yield
    editor = screen("household_edit")
    editor.ids.address.text = "Xóm Bó Mạ, nhà mới"
    shot("day-new-household")
    editor.save()
    yield
    yield
    shot("day-new-household-detail")
    result["new_household"] = screen("detail").ids.title.text
    households.ids.search.text = "dinh van hung"
    yield
    yield
    split_from = households.ids.list.data[0]["household_id"]
    app.show("household_edit", mode="split", household_id=split_from)
    yield
    editor = screen("household_edit")
    editor.presenter.draft.members[1].moving = True
    editor.draw_members()
    yield
    shot("day-split")
    editor.save()
    yield
    result["split_household"] = screen("detail").ids.title.text
    corrected = next(
        h for h in context.user_store().households(hamlet.hamlet_id) if h.code == "VL-KP2-0005"
    )
    app.show("household_edit", mode="edit", household_id=corrected.household_id)
    yield
    editor = screen("household_edit")
    relation, sex, born, _name = editor.ids.members.children[-1].children
    born.text = "15/06/1970"
    sex.text = "Nam"
    editor.ids.new_member.text = "Lò Thị Mai"
    editor.add_member()
    yield
    relation, sex, born, _name = editor.ids.members.children[0].children
    born.text = "01/02/1975"
    sex.text = "Nữ"
    relation.text = "Vợ/chồng"
    yield
    yield
    shot("day-household-corrected")
    editor.save()
    yield
    held = context.user_store().household(corrected.household_id)
    result["corrected_members"] = [m["full_name"] for m in held.members] if held else []
    result["corrected_on"] = app.root.current
    yield from sync_now()
    yield from sync_now()
    app.show("outbox")
    yield
    yield
    shot("day-outbox")


def day_evening() -> Iterator[None]:
    """The commune returned the survey with a comment on the floor area: it opens there, is
    corrected and sent again."""
    yield from sign_in()
    yield from sync_now()
    store = context.user_store()
    returned = store.surveys(["returned"])
    result["returned"] = len(returned)
    screen("home").refresh()
    yield
    shot("day-home-returned")
    app.show("detail", household_id=returned[0].household_id)
    yield
    yield
    shot("day-detail-returned")
    result["detail_comments"] = screen("detail").presenter().view().comments
    screen("detail").act()
    yield
    yield
    p = form()
    view = p.view()
    result["opened_at"] = view.title
    result["comment_at_question"] = [
        m.text for item in view.items if item.path == "floor_area_m2" for m in item.messages
    ]
    shot("day-form-returned")
    p.set_text("floor_area_m2", "42")
    result["errors_again"] = [line.text for line in p.error_lines()] if p.finish() else []
    yield from sync_now()
    result["states"] = sorted(r.state for r in store.surveys())


def day() -> Iterator[None]:
    phase = os.environ["RASOAT_UI_PHASE"]
    return {"morning": day_morning, "afternoon": day_afternoon, "evening": day_evening}[phase]()


def wait_online(presenter: Any) -> Iterator[None]:
    """Let a screen's call to the server run off the UI thread and come back."""
    for _ in range(300):
        yield
        if not presenter.busy:
            return


def head_day() -> Iterator[None]:
    """The hamlet head registers the poor household to exit poverty with the help it needs,
    syncs, then records the hamlet meeting's attendance and vote on the accepted case."""
    yield from sign_in()
    yield from sync_now()
    app.show("support", mode="register")
    yield
    yield
    support = screen("support")
    result["registrable"] = [row.status for row in support.presenter().view().rows]
    shot("support-day-register")
    support.ids.rows.children[-1].ids.act.dispatch("on_release")
    yield
    p = form()
    result["registration_prefilled"] = [
        p.answers.get("household_id"),
        p.answers.get("current_status"),
    ]
    p.choose("causes", "lack_capital")
    p.add_row("needs")
    p.choose("help_type", "preferential_loan")
    p.set_text("need_detail", "Vay 50 triệu đồng")
    p.close_row()
    p.set_text("helping_officer", "Lê Thị Hoa")
    p.set_yes_no("commitment", True)
    p.set_text("target_date", f"31/12/{context.today().year}")
    yield
    shot("support-day-registration")
    result["registration_errors"] = [line.text for line in p.error_lines()] if p.finish() else []
    yield from sync_now()
    app.show("support", mode="register")
    yield
    result["registered"] = [row.status for row in screen("support").presenter().view().rows]
    app.show("meeting")
    yield
    meeting = screen("meeting")
    yield from wait_online(meeting.presenter)
    yield
    meeting.inputs["front_supervisor"].text = "Lò Thị Hạnh"
    meeting.inputs["households_represented"].text = "30"
    meeting.inputs["others_present"].text = "2"
    yield
    (line,) = meeting.lines.values()
    line.ids.agree.text = "25"
    yield
    result["verdict"] = line.ids.verdict.text
    shot("support-day-meeting")
    meeting.record()
    yield from wait_online(meeting.presenter)
    yield
    shot("support-day-meeting-recorded")
    result["meeting_message"] = meeting.ids.message.text


def helper_day() -> Iterator[None]:
    """The helping officer finds the assigned household, records a visit with the support
    delivered and a photo, and syncs."""
    yield from sign_in()
    yield from sync_now()
    app.show("support", mode="visits")
    yield
    yield
    support = screen("support")
    result["mine"] = [row.detail for row in support.presenter().view().rows]
    shot("support-day-mine")
    support.ids.rows.children[-1].ids.act.dispatch("on_release")
    yield
    p = form()
    p.set_yes_no("support_delivered", True)
    p.add_row("support_items")
    p.choose("support_type", "breeding_stock")
    p.set_text("description", "2 con bò cái giống")
    p.set_text("quantity", "2")
    p.set_text("unit", "con")
    p.set_text("value_vnd", "30000000")
    p.choose("funding_source", "social_policy_bank")
    p.close_row()
    p.choose("progress", "in_progress")
    p.go_to_path("photos")
    p.add_row("photos")
    p.take_photo("photo")
    p.set_text("caption", "Bò giống")
    p.close_row()
    yield
    yield
    shot("support-day-visit")
    result["visit_errors"] = [line.text for line in p.error_lines()] if p.finish() else []
    result["photo"] = [ph["sha256"] for ph in context.user_store().photos(p.survey.survey_id)]
    yield from sync_now()
    result["states"] = [r.state for r in context.user_store().surveys()]


def support_day() -> Iterator[None]:
    return {"head": head_day, "helper": helper_day}[os.environ["RASOAT_UI_PHASE"]]()


def member_page() -> Iterator[None]:
    """A member's page: opened from the household's detail, the facts of Decision 24's forms
    typed in, saved as an edit of the sync outbox; screenshots of the page before and after,
    and any code, path or English word it shows noted in ``problems``."""
    result["problems"] = []
    result["screens"] = []
    yield from sign_in()
    store = context.user_store()
    household = store.households(store.hamlets()[0].hamlet_id)[0]
    # As a sync would have brought it: a household is corrected once the server knows it.
    outbox = context.outbox()
    try:
        data = {
            "code": household.code,
            "hamlet_id": household.hamlet_id,
            "head_name": household.head_name,
            "address": household.address,
            "members": household.members,
        }
        outbox.apply([{"e": "household", "k": str(household.household_id), "v": 1, "d": data}], "")
    finally:
        outbox.close()
    app.show("detail", household_id=household.household_id)
    yield from settle()
    shot("member-detail")
    lines = [w for w in screen("detail").ids.body.children if "›" in str(getattr(w, "text", ""))]
    lines[-1].dispatch("on_release")  # children run bottom up: the last is the head
    yield from settle()
    assert app.root.current == "member", app.root.current
    page = screen("member")
    p = page.presenter
    born = int(str(household.members[0].get("birth_date", "1979"))[:4])
    p.choose("ethnicity", "02")
    p.type_text("national_id", f"002{2 * (born // 100 - 19)}{born % 100:02d}001234")
    p.type_text("national_id_issued_on", "10/06/2021")
    p.type_text("national_id_issued_by", "Cục Cảnh sát QLHC về TTXH")
    p.type_text("permanent_residence", "Xóm Nà Khoang, xã Tân Lập")
    p.choose("activity", "working")
    p.choose("no_labour_capacity", False)
    p.type_text("monthly_social_allowance_vnd", "540.000")
    p.choose("revolutionary_merit", True)
    page.draw()
    yield from settle()
    inspect("member-page", "vi")
    result["labels"] = [f.label for f in p.view().facts]
    page.save()
    yield from settle()
    inspect("member-saved", "vi")
    result["message"] = page.ids.message.text
    outbox = context.outbox()
    try:
        result["edits"] = [r.body["set"] for r in outbox.outbox() if r.kind == "household.edit"]
    finally:
        outbox.close()


SCENARIOS: dict[str, Callable[[], Iterator[None]]] = {
    "member": member_page,
    "day": day,
    "support_day": support_day,
    "walk": walk,
    "support": support_screens,
    "fill": fill_household,
    "kill": fill_household,
    "resume": resume,
    "sync": sync_for_real,
}


def drive(steps: Iterator[None]) -> None:
    def tick(_dt: float) -> None:
        try:
            # Kivy keeps many references weak (ids, bindings); a collection between steps makes
            # a widget kept alive only by one fail here, not on a tablet hours later.
            gc.collect()
            next(steps)
        except StopIteration:
            (SHOT_DIR / "result.json").write_text(json.dumps(result, ensure_ascii=False))
            app.stop()
            return
        except Exception:
            traceback.print_exc()
            (SHOT_DIR / "error.txt").write_text(traceback.format_exc())
            os._exit(1)
        Clock.schedule_once(tick, 0.02)

    Clock.schedule_once(tick, 0.3)


drive(SCENARIOS[SCENARIO]())
# What exists before the app builds its screens (modules, Kivy's core, the seeded data) is left
# out of the collections between steps, which then take milliseconds; every widget is still in.
gc.collect()
gc.freeze()
app.run()
