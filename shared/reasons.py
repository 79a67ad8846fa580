"""Why an indicator came out as it did, in Vietnamese and English.

The engine records a reason as a key, arguments and member facts; it is rendered to text only
when a result is written out, in the language asked for. Vocabulary values passed as ``Vocab``
are translated; everything else is printed as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from shared.errors import Lang


class Vocab(str):
    """A vocabulary value (``unemployed``, ``thatch`` …) to be shown in the reader's language."""

    __slots__ = ()


Args = tuple[tuple[str, object], ...]


class Fact(NamedTuple):
    """What one member contributes to an indicator, e.g. member 2, aged 34, is unemployed."""

    member_id: str
    age: int | None
    key: str
    args: Args = ()


class Reason(NamedTuple):
    """Hashable, so that rendering the same reason twice costs a cache lookup."""

    key: str
    args: Args = ()
    facts: tuple[Fact, ...] = ()


LABELS: dict[Lang, dict[str, str]] = {
    "vi": {
        "unemployed": "thất nghiệp",
        "wage_without_contract": "làm công không có hợp đồng lao động",
        "none": "chưa đi học / không có bằng cấp",
        "primary": "tiểu học",
        "lower_secondary": "trung học cơ sở",
        "upper_secondary": "trung học phổ thông",
        "vocational": "giáo dục nghề nghiệp",
        "college": "cao đẳng",
        "university": "đại học",
        "preschool": "mầm non",
        "higher": "cao đẳng/đại học",
        "walls": "tường",
        "frame": "khung/cột",
        "roof": "mái",
        "water_source": "nguồn nước",
        "latrine": "nhà tiêu",
        "waste_disposal": "xử lý rác",
        "brick": "gạch",
        "concrete": "bê tông",
        "stone": "đá",
        "hardwood": "gỗ bền chắc",
        "bamboo": "tre, nứa",
        "mud": "đất, vách đất",
        "leaves": "lá",
        "tarpaulin": "bạt",
        "salvaged": "vật liệu tận dụng",
        "other": "khác",
        "reinforced_concrete": "bê tông cốt thép",
        "steel": "sắt thép",
        "tile": "ngói",
        "metal_sheet": "tôn",
        "fibre_cement": "fibro xi măng",
        "thatch": "tranh, rơm rạ",
        "piped": "nước máy",
        "drilled_well": "giếng khoan",
        "protected_dug_well": "giếng đào được bảo vệ",
        "protected_spring": "nước khe, mó được bảo vệ",
        "rainwater": "nước mưa",
        "bottled": "nước đóng bình, nước mua đã xử lý",
        "unprotected_well": "giếng không được bảo vệ",
        "unprotected_spring": "nước khe, mó không được bảo vệ",
        "surface_water": "nước mặt (sông, suối, ao, hồ, kênh)",
        "tanker": "nước chở đến không rõ nguồn",
        "septic_tank": "tự hoại",
        "semi_septic": "bán tự hoại",
        "flush_to_sewer": "dội nước vào cống thải",
        "ventilated_pit": "hố xí thông hơi cải tiến",
        "double_vault": "hai ngăn ủ phân",
        "simple_pit": "hố xí đơn giản không có bệ",
        "hanging": "cầu tiêu treo trên ao/sông",
        "bucket": "thùng, xô",
        "collected": "được thu gom",
        "composted_or_buried": "ủ phân hoặc chôn lấp",
        "burned": "đốt",
        "dumped": "vứt bỏ bừa bãi",
        "tv": "ti vi",
        "radio": "đài",
        "desktop": "máy tính để bàn",
        "laptop": "máy tính xách tay",
        "tablet": "máy tính bảng",
        "smartphone": "điện thoại thông minh",
    },
    "en": {
        "unemployed": "unemployed",
        "wage_without_contract": "a wage worker without a labour contract",
        "none": "no schooling",
        "primary": "primary",
        "lower_secondary": "lower secondary",
        "upper_secondary": "upper secondary",
        "vocational": "vocational",
        "college": "college",
        "university": "university",
        "preschool": "preschool",
        "higher": "higher education",
        "walls": "walls",
        "frame": "frame",
        "roof": "roof",
        "water_source": "water source",
        "latrine": "latrine",
        "waste_disposal": "waste disposal",
        "reinforced_concrete": "reinforced concrete",
        "metal_sheet": "metal sheet",
        "fibre_cement": "fibre cement",
        "drilled_well": "drilled well",
        "protected_dug_well": "protected dug well",
        "protected_spring": "protected spring",
        "bottled": "bottled or purchased treated water",
        "unprotected_well": "unprotected well",
        "unprotected_spring": "unprotected spring",
        "surface_water": "surface water",
        "tanker": "tanker water of unknown origin",
        "septic_tank": "septic tank",
        "semi_septic": "semi-septic tank",
        "flush_to_sewer": "flush to sewer",
        "ventilated_pit": "ventilated improved pit",
        "double_vault": "double-vault composting",
        "simple_pit": "simple pit without slab",
        "hanging": "hanging latrine over water",
        "composted_or_buried": "composted or buried",
        "dumped": "dumped",
    },
}

MEMBER: dict[Lang, str] = {
    "vi": "thành viên {member_id} ({age} tuổi) {fact}",
    "en": "member {member_id} (aged {age}) {fact}",
}
MEMBER_NO_AGE: dict[Lang, str] = {
    "vi": "thành viên {member_id} {fact}",
    "en": "member {member_id} {fact}",
}

FACTS: dict[str, dict[Lang, str]] = {
    "employment": {"vi": "{status}", "en": "is {status}"},
    "stunted": {"vi": "suy dinh dưỡng thể thấp còi", "en": "is stunted"},
    "underweight": {"vi": "suy dinh dưỡng thể nhẹ cân", "en": "is underweight"},
    "uninsured": {"vi": "không có bảo hiểm y tế", "en": "has no health insurance"},
    "lacks_education": {
        "vi": "không đi học, trình độ cao nhất là {education}",
        "en": "is not in school and has only {education}",
    },
    "not_attending": {"vi": "không đi học", "en": "does not attend school"},
    "behind": {
        "vi": "đang học {level}, thấp hơn cấp học theo độ tuổi",
        "en": "attends {level}, below the level for their age",
    },
}

TEMPLATES: dict[str, dict[Lang, str]] = {
    "unknown": {
        "vi": "Thiếu thông tin để đánh giá: {missing}",
        "en": "Not enough information to assess: {missing}",
    },
    "members_deprived": {"vi": "{facts}", "en": "{facts}"},
    "employment.ok": {
        "vi": "Không có thành viên trong độ tuổi lao động thất nghiệp hoặc làm công không có "
        "hợp đồng",
        "en": "No working-age member is unemployed or a wage worker without a contract",
    },
    "dependents.deprived": {
        "vi": "{dependents}/{members} thành viên là người phụ thuộc, trên {share} %",
        "en": "{dependents} of {members} members are dependents, more than {share} %",
    },
    "dependents.ok": {
        "vi": "{dependents}/{members} thành viên là người phụ thuộc, không quá {share} %",
        "en": "{dependents} of {members} members are dependents, not more than {share} %",
    },
    "nutrition.ok": {
        "vi": "Không có trẻ dưới {under} tuổi bị suy dinh dưỡng",
        "en": "No child under {under} is stunted or underweight",
    },
    "health_insurance.ok": {
        "vi": "Mọi thành viên từ {min_age} tuổi trở lên có bảo hiểm y tế",
        "en": "Every member aged {min_age} or over has health insurance",
    },
    "adult_education.ok": {
        "vi": "Mọi thành viên 16–30 tuổi đang đi học hoặc đạt trình độ theo độ tuổi",
        "en": "Every member aged 16–30 is in school or has the education required for their age",
    },
    "child_schooling.ok": {
        "vi": "Mọi trẻ 3–15 tuổi đi học đúng cấp học theo độ tuổi",
        "en": "Every child aged 3–15 attends school at the level for their age",
    },
    "housing_quality.deprived": {
        "vi": "{count}/3 kết cấu chính không bền chắc ({parts})",
        "en": "{count} of 3 main parts are not durable ({parts})",
    },
    "housing_quality.ok": {
        "vi": "{count}/3 kết cấu chính không bền chắc (cần từ {limit} trở lên mới thiếu hụt)",
        "en": "{count} of 3 main parts are not durable (deprived from {limit})",
    },
    "housing_area.deprived": {
        "vi": "{area} m² cho {members} người: {per_member} m²/người, dưới {limit} m²",
        "en": "{area} m² for {members} people: {per_member} m² per person, below {limit} m²",
    },
    "housing_area.ok": {
        "vi": "{area} m² cho {members} người: {per_member} m²/người, từ {limit} m² trở lên",
        "en": "{area} m² for {members} people: {per_member} m² per person, at least {limit} m²",
    },
    "choice.deprived": {
        "vi": "{field}: {value} không thuộc loại đạt chuẩn",
        "en": "{field}: {value} is not an adequate type",
    },
    "choice.ok": {
        "vi": "{field}: {value} thuộc loại đạt chuẩn",
        "en": "{field}: {value} is an adequate type",
    },
    "telecom.deprived": {
        "vi": "Không thành viên nào có thuê bao điện thoại và hộ không có Internet",
        "en": "No member has a telephone subscription and the household has no internet",
    },
    "telecom.phone": {
        "vi": "Thành viên {member_id} có thuê bao điện thoại",
        "en": "Member {member_id} has a telephone subscription",
    },
    "telecom.internet": {"vi": "Hộ có truy cập Internet", "en": "The household has internet"},
    "information_access.deprived": {
        "vi": "Hộ không có TV, radio, máy tính, máy tính bảng, điện thoại thông minh và không "
        "nghe được loa truyền thanh",
        "en": "The household has no TV, radio, computer, tablet or smartphone and cannot hear "
        "the loudspeaker",
    },
    "information_access.device": {
        "vi": "Hộ có phương tiện tiếp cận thông tin ({devices})",
        "en": "The household has means of access to information ({devices})",
    },
    "information_access.loudspeaker": {
        "vi": "Hộ nghe được loa truyền thanh của xã/thôn",
        "en": "The household hears the commune/hamlet loudspeaker",
    },
    "digital_services.deprived": {
        "vi": "Không thành viên nào sử dụng Internet hoặc dịch vụ công trực tuyến",
        "en": "No member uses the internet or digital public services",
    },
    "digital_services.ok": {
        "vi": "Thành viên {member_id} sử dụng Internet",
        "en": "Member {member_id} uses the internet",
    },
}


def _localise(value: object, lang: Lang) -> object:
    if isinstance(value, float):
        # Areas and areas per person, to one decimal, the decimal comma in Vietnamese
        # ("21,8 m²/người"; "109 m²", not "109.0").
        text = f"{value:.1f}".removesuffix(".0")
        return text.replace(".", ",") if lang == "vi" else text
    if isinstance(value, Vocab):
        return LABELS[lang].get(value, value)
    if isinstance(value, tuple):
        # A list of words, or of pairs such as (part of the house, its material); labels may
        # hold commas themselves, so pairs are separated by semicolons.
        separator = "; " if any(isinstance(item, tuple) for item in value) else ", "
        return separator.join(
            f"{_localise(item[0], lang)}: {_localise(item[1], lang)}"
            if isinstance(item, tuple)
            else str(_localise(item, lang))
            for item in value
        )
    return value


def _fact(fact: Fact, lang: Lang) -> str:
    args = {name: _localise(value, lang) for name, value in fact.args}
    text = FACTS[fact.key][lang].format(**args)
    frame = MEMBER_NO_AGE if fact.age is None else MEMBER
    return frame[lang].format(member_id=fact.member_id, age=fact.age, fact=text)


@lru_cache(maxsize=1 << 16)
def render(reason: Reason, lang: Lang) -> str:
    """Return the reason as one sentence in ``lang``."""
    args = {name: _localise(value, lang) for name, value in reason.args}
    if reason.facts:
        args["facts"] = "; ".join(_fact(fact, lang) for fact in reason.facts)
    text = TEMPLATES[reason.key][lang].format(**args)
    return text[:1].upper() + text[1:]


# A reason as language-free JSON, so the engine's result is stored once and rendered in the
# reader's language when read (``render_result``). A vocabulary word is {"vocab": word} and a
# list of words or pairs {"list": [...]}: JSON has no tuples or marked strings, and rendering
# translates the one and joins the other. Numbers and text stay as they are.


def _value_json(value: object) -> object:
    if isinstance(value, Vocab):
        return {"vocab": str(value)}
    if isinstance(value, tuple):
        return {"list": [_value_json(item) for item in value]}
    return value


def _value_of(stored: object) -> object:
    if isinstance(stored, dict):
        if "vocab" in stored:
            return Vocab(stored["vocab"])
        return tuple(_value_of(item) for item in stored["list"])
    if isinstance(stored, list):
        return tuple(_value_of(item) for item in stored)
    return stored


def _args_json(args: Args) -> list[list[object]]:
    return [[name, _value_json(value)] for name, value in args]


def _args_of(stored: list[list[Any]]) -> Args:
    return tuple((str(name), _value_of(value)) for name, value in stored)


def reason_json(reason: Reason) -> dict[str, Any]:
    """Return the reason as language-free JSON (``reason_of`` reads it back)."""
    stored: dict[str, Any] = {"key": reason.key}
    if reason.args:
        stored["args"] = _args_json(reason.args)
    if reason.facts:
        stored["facts"] = [
            [fact.member_id, fact.age, fact.key, _args_json(fact.args)] for fact in reason.facts
        ]
    return stored


def reason_of(stored: Mapping[str, Any]) -> Reason:
    """Return the reason ``reason_json`` wrote."""
    facts = tuple(
        Fact(str(member_id), age, str(key), _args_of(args))
        for member_id, age, key, args in stored.get("facts", ())
    )
    return Reason(str(stored["key"]), _args_of(stored.get("args", [])), facts)


def _reason_text(stored: Mapping[str, Any], lang: Lang) -> str:
    if "key" in stored:
        return render(reason_of(stored), lang)
    # A result stored before the facts were (revision 0028) keeps its reasons as the texts
    # rendered then, one per language: its reason keys were never kept.
    text: str = stored.get(lang) or stored["vi"]
    return text


def render_result(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """Return the result document of the ``rasoat.household/1`` contract, reasons in ``lang``,
    from the engine's language-free facts (``shared.engine.Classification.facts``): the same
    document ``Classification.to_dict(lang)`` gives."""
    result = dict(facts)
    indicators = facts.get("indicators")
    if indicators is not None:
        rendered = {}
        for indicator, stored in indicators.items():
            entry = {"status": stored["status"], "reason": _reason_text(stored["reason"], lang)}
            if "missing" in stored:
                entry["missing"] = list(stored["missing"])
            rendered[indicator] = entry
        result["indicators"] = rendered
    return result
