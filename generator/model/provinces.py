"""Model: the provinces and cities, as they are today and as they were before 01/7/2025 (the «Tỉnh, thành phố»
page). Drawn from every unit of the portal and from the list of the 34 provinces and cities; units the content
does not have are named, never made up.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from generator.content import schema
from generator.model.views import Portal, UnitView, vietnamese_order

# The day local government became two levels (province, commune): districts ended, provinces were merged.
REFORM_DATE = dt.date(2025, 7, 1)

# The 34 provinces and centrally-run cities from 12/6/2025 (Nghị quyết 202/2025/QH15), with the folder a portal
# would give each (the benchmark's corpus uses the same list).
PROVINCES_2025 = (
    ("ha-noi", "Thành phố Hà Nội"),
    ("hue", "Thành phố Huế"),
    ("hai-phong", "Thành phố Hải Phòng"),
    ("da-nang", "Thành phố Đà Nẵng"),
    ("ho-chi-minh", "Thành phố Hồ Chí Minh"),
    ("can-tho", "Thành phố Cần Thơ"),
    ("lai-chau", "Tỉnh Lai Châu"),
    ("dien-bien", "Tỉnh Điện Biên"),
    ("son-la", "Tỉnh Sơn La"),
    ("lang-son", "Tỉnh Lạng Sơn"),
    ("quang-ninh", "Tỉnh Quảng Ninh"),
    ("thanh-hoa", "Tỉnh Thanh Hóa"),
    ("nghe-an", "Tỉnh Nghệ An"),
    ("ha-tinh", "Tỉnh Hà Tĩnh"),
    ("cao-bang", "Tỉnh Cao Bằng"),
    ("tuyen-quang", "Tỉnh Tuyên Quang"),
    ("lao-cai", "Tỉnh Lào Cai"),
    ("thai-nguyen", "Tỉnh Thái Nguyên"),
    ("phu-tho", "Tỉnh Phú Thọ"),
    ("bac-ninh", "Tỉnh Bắc Ninh"),
    ("hung-yen", "Tỉnh Hưng Yên"),
    ("ninh-binh", "Tỉnh Ninh Bình"),
    ("quang-tri", "Tỉnh Quảng Trị"),
    ("quang-ngai", "Tỉnh Quảng Ngãi"),
    ("gia-lai", "Tỉnh Gia Lai"),
    ("khanh-hoa", "Tỉnh Khánh Hòa"),
    ("lam-dong", "Tỉnh Lâm Đồng"),
    ("dak-lak", "Tỉnh Đắk Lắk"),
    ("dong-nai", "Tỉnh Đồng Nai"),
    ("tay-ninh", "Tỉnh Tây Ninh"),
    ("vinh-long", "Tỉnh Vĩnh Long"),
    ("dong-thap", "Tỉnh Đồng Tháp"),
    ("ca-mau", "Tỉnh Cà Mau"),
    ("an-giang", "Tỉnh An Giang"),
)


@dataclass
class Province:
    """One of today's provinces and cities: its unit on the portal, or None (the portal has none of its plans)."""

    name: str
    unit: UnitView | None

    @property
    def plan_count(self) -> int:
        return len(self.unit.all_plans) if self.unit else 0


@dataclass
class FormerUnit:
    """A province or district as it was before 01/7/2025: whether it still exists, and where it went."""

    unit: UnitView
    # Who took it over: (official name, its unit on the portal or None), as the content names them (succeeded_by,
    # or a unit naming it among its predecessors); for a district that names none, the province its area is in.
    successors: list[tuple[str, UnitView | None]]
    successors_named: bool  # True: the content names them; False: the area's province, from the units above
    districts: list[FormerUnit]

    @property
    def ended(self) -> dt.date | None:
        return self.unit.unit.valid_to


@dataclass
class ProvincesView:
    today: list[Province]  # the 34, by name
    others: list[UnitView]  # the portal's current province-level units that are not among the 34 by name
    before: list[FormerUnit]  # the provinces as they were before 01/7/2025, by name, with their districts

    @property
    def total(self) -> int:
        return len(PROVINCES_2025)

    @property
    def covered(self) -> int:
        """How many of the 34 have a plan on the portal."""
        return sum(1 for p in self.today if p.plan_count)


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _existed_before(unit: UnitView) -> bool:
    return unit.unit.valid_from is None or unit.unit.valid_from < REFORM_DATE


def _exists_after(unit: UnitView) -> bool:
    return unit.unit.valid_to is None or unit.unit.valid_to >= REFORM_DATE


def provinces_view(portal: Portal) -> ProvincesView:
    by_name: dict[str, UnitView] = {}
    for unit in portal.units.values():
        by_name.setdefault(_name_key(unit.unit.name), unit)
    taken_from: dict[str, list[UnitView]] = {}  # a unit's name → the units naming it among their predecessors
    for unit in portal.units.values():
        for name in unit.unit.predecessors:
            taken_from.setdefault(_name_key(name), []).append(unit)
    current = [u for u in portal.provinces if _exists_after(u)]
    matched: dict[str, UnitView] = {}
    for slug, name in PROVINCES_2025:
        unit = next((u for u in current if _name_key(u.unit.name) == _name_key(name)), None) or next(
            (u for u in current if u.id == slug and _name_key(u.unit.name) not in _KNOWN), None
        )
        if unit:
            matched[name] = unit
    today = sorted(
        (Province(name, matched.get(name)) for _, name in PROVINCES_2025), key=lambda p: vietnamese_order(p.name)
    )
    used = {u.id for u in matched.values()}
    others = [u for u in current if u.id not in used]  # Portal.provinces: in Vietnamese alphabetical order

    def successors(unit: UnitView) -> tuple[list[tuple[str, UnitView | None]], bool]:
        named = [(n, by_name.get(_name_key(n))) for n in unit.unit.succeeded_by]
        seen = {_name_key(n) for n, _ in named}
        for later in taken_from.get(_name_key(unit.unit.name), []):
            if later is not unit and _name_key(later.unit.name) not in seen:
                named.append((later.unit.name, later))
                seen.add(_name_key(later.unit.name))
        if named or _exists_after(unit) or unit.parent is None:
            return named, True
        parent = unit.parent
        if _exists_after(parent):
            return [(parent.unit.name, parent)], False
        return successors(parent)[0], False

    def former(unit: UnitView) -> FormerUnit:
        found, named = successors(unit)
        districts = [
            former(c)
            for c in unit.children  # in Vietnamese alphabetical order (build_portal)
            if c.unit.level is schema.UnitLevel.district and _existed_before(c)
        ]
        return FormerUnit(unit, found, named, districts)

    before = [former(u) for u in portal.provinces if _existed_before(u)]
    return ProvincesView(today, others, before)


_KNOWN = {_name_key(name) for _, name in PROVINCES_2025}
