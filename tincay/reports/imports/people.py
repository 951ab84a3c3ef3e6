"""Users and their roles as a spreadsheet: one row per membership (a username, a unit and a role), read and written.

Columns (Vietnamese headers, the same in every language: the file is a format) are defined once here, so the
export writes exactly what the import reads and an exported file re-imports as "unchanged" for every row. A person
spans as many rows as they hold roles; their account's details (name, e-mail, position, phone) may be written on
every row or on one, an empty cell keeping what is stored, but two rows of one person may not disagree.

A row about a username not yet known creates the account (without a password, as the people page does when the
password is left empty) with its first role, through ``orgunits.services.person_create``; the person's later rows
grant their other roles. For a known person, changed details go through ``accounts.services.user_update``, and a
new role, or a role whose subtree or department changed, through ``orgunits.services.membership_grant``. Those
services check every value and the importer's permission (a coordinator grants no administrator or coordinator
role, and only on units inside their scope; changes the details only of people entirely inside it); their
refusals become the row's. A row that changes nothing writes nothing, but is refused when its role is not one the
importer manages. Each row is written inside its own savepoint, so a row refused halfway leaves nothing.

An empty cell for a subtree means no, for a department none; a file without those columns keeps what is stored.

The import never removes a role or an account: a role left out of the file stays. Roles are removed, and accounts
deactivated, on the person's page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.common.errors import InvalidInput
from tincay.common.tabular import Column, Row, Table, header_key
from tincay.common.text import fold
from tincay.orgunits import services as unit_services
from tincay.orgunits.access import can_manage_people, memberships_manageable_by
from tincay.orgunits.models import AdminUnit, Department, Membership
from tincay.reports.imports.base import Report, RowOutcome, imported_headers, shorten

# The columns of the file, in order; the import reads all but the unit's name.
USERNAME = "Tên đăng nhập"
FULL_NAME = "Họ và tên"
EMAIL = "Email"
POSITION = "Chức vụ"
PHONE = "Điện thoại"
UNIT_KEY = "Mã đơn vị"
UNIT_NAME = "Tên đơn vị"  # for people; the import ignores it
ROLE = "Vai trò"
SUBTREE = "Cả đơn vị cấp dưới"
DEPARTMENT = "Phòng ban"
HEADER = (USERNAME, FULL_NAME, EMAIL, POSITION, PHONE, UNIT_KEY, UNIT_NAME, ROLE, SUBTREE, DEPARTMENT)

WHOLE_COUNTRY = "Toàn quốc"  # the unit's name written for a role over the whole country
YES, NO = "Có", "Không"
_YES = {"co", "c", "x", "yes", "y", "true", "1"}
_NO = {"khong", "k", "no", "n", "false", "0"}
ACCOUNT_FIELDS = ("full_name", "email", "position", "phone")

# a field of the file or of the services' errors -> its column ("" for the row as a whole)
COLUMN_OF = {
    "username": USERNAME,
    "full_name": FULL_NAME,
    "email": EMAIL,
    "position": POSITION,
    "phone": PHONE,
    "unit": UNIT_KEY,
    "unit_key": UNIT_KEY,
    "role": ROLE,
    "subtree": SUBTREE,
    "department": DEPARTMENT,
}


class Kind:
    """Users and their roles (``base.ImportKind``), imported outside any campaign."""

    code = "people"
    label: Any = gettext_lazy("Users and their roles")
    needs_campaign = False
    key_names = ("username", "unit", "role")
    key_headers: tuple[Any, ...] = (gettext_lazy("Username"), gettext_lazy("Unit"), gettext_lazy("Role"))

    def columns(self) -> list[Column]:
        return [
            Column("username", USERNAME, ("Tài khoản", "username", "user name", "login"), required=True),
            Column("full_name", FULL_NAME, ("Họ tên", "full name", "name")),
            Column("email", EMAIL, ("E-mail", "Thư điện tử", "e-mail address")),
            Column("position", POSITION, ("Chức danh", "position", "job title")),
            Column("phone", PHONE, ("Số điện thoại", "phone", "telephone")),
            Column("unit", UNIT_KEY, ("Mã ĐV", "unit key", "unit code", "unit"), required=True),
            Column("role", ROLE, ("role",), required=True),
            Column("subtree", SUBTREE, ("Cả cấp dưới", "subtree", "whole subtree", "also every unit below it")),
            Column("department", DEPARTMENT, ("department",)),
            # for people: recognised so that it is not reported as unknown, never imported
            Column("info_unit", UNIT_NAME, ("unit name",)),
        ]

    def check_columns(self, table: Table) -> None:
        """The reader already refuses a file without the username, the unit and the role: nothing more needed."""

    def may_import(self, user: Any, campaign: Any) -> bool:
        return can_manage_people(user)

    def refused_message(self) -> str:
        return _("Only administrators and coordinators import users and their roles.")

    def import_rows(self, *, user: Any, campaign: Any, table: Table) -> Report:
        return import_rows(user=user, kind=self, table=table)

    def export(self, user: Any) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
        return HEADER, export_rows(user)


PEOPLE = Kind()
KINDS = {"people": PEOPLE}


# ------------------------------------------------------------------------------------------------- cells


def role_words() -> dict[str, str]:
    """Every way a role may be written (its Vietnamese and English labels, its code), compared as headers are
    (without diacritics, case or punctuation) → its code."""
    words: dict[str, str] = {}
    for role in Role:
        words[header_key(role.value)] = role.value
        for language in ("en", "vi"):
            with translation.override(language):
                words[header_key(str(role.label))] = role.value
    return words


def role_labels_vi() -> dict[str, str]:
    """Each role's label as the app shows it in Vietnamese: what the file writes."""
    with translation.override("vi"):
        return {role.value: str(role.label) for role in Role}


class _Cell(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _yes_no(text: str) -> bool:
    word = fold(text)
    if not word or word in _NO:
        return False
    if word in _YES:
        return True
    raise _Cell(_("“%(text)s” is not yes or no: write Có or Không (or leave it empty for no).") % {"text": text[:40]})


def _unit_keys(text: str) -> list[str]:
    """The keys a unit code may stand for: itself, then, when a spreadsheet turned it into a number and dropped
    its leading zeros ("1" for "01"), the 2-digit province, 3-digit district or 5-digit commune code."""
    if not text:
        return []
    padded = [text.zfill(width) for width in (2, 3, 5) if text.isdigit() and len(text) < width]
    return [text, *padded]


def _normal_email(text: str) -> str:
    return get_user_model().objects.normalize_email(text) if text else ""


def _same(name: str, stored: str, given: str) -> bool:
    """Does a cell say what is stored (or what another row said)? E-mail addresses compare as the account
    service stores them."""
    return stored == given or (name == "email" and _normal_email(stored) == _normal_email(given))


# ------------------------------------------------------------------------------------------------ import


class _Held(NamedTuple):
    """A membership as stored: what a row may change of it, and whether the importer manages it."""

    subtree: bool
    department: Department | None
    manageable: bool


@dataclass(slots=True)
class _Planned:
    """One row read: what to write if nothing in it is refused."""

    username: str
    account: dict[str, str]  # the account fields the row fills in
    unit: AdminUnit | None
    role: str
    subtree: bool | None  # None: the file has no such column (a stored membership keeps its own)
    department: Department | None
    department_given: bool


@dataclass
class _Context:
    actor: Any
    units: dict[str, AdminUnit]  # by key
    departments: dict[int, list[Department]]  # by unit id
    users: dict[str, Any]  # by lower-case username
    held: dict[tuple[int, int | None, str], _Held]  # (user id, unit id, role) -> the stored membership
    roles: dict[str, str]  # role_words()
    labels: dict[str, str]  # role code -> Vietnamese label
    columns: frozenset[str]  # keys of the columns the file has
    seen: dict[tuple[str, int | None, str], int] = field(default_factory=dict)  # (user, unit, role) -> first row
    given: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)  # user -> field -> (value, row)


def import_rows(*, user: Any, kind: Kind, table: Table) -> Report:
    """Check every row of ``table`` and write the good ones through the account and unit services, row by row,
    each in its own savepoint. The caller holds the transaction and decides what stays: the dry run always rolls
    back, the real import rolls back unless every row is good."""
    context = _context(user, table)
    outcomes: list[RowOutcome] = []
    for row in table.rows:
        outcome = RowOutcome(row.number, (row.values["username"], row.values["unit"], row.values["role"]))
        planned = _read(context, row, outcome)
        if outcome.outcome != "refused":
            _write(context, planned, outcome)
        outcomes.append(outcome)
    headers = imported_headers(table, kind.columns())
    return Report(kind.code, outcomes, headers, list(table.ignored), kind.key_names)


def _context(actor: Any, table: Table) -> _Context:
    """What the file names, loaded in a few queries: its units and their departments, its people and their
    memberships (those the importer manages marked)."""
    keys = {key for row in table.rows for key in _unit_keys(row.values["unit"])}
    units = {unit.key: unit for unit in AdminUnit.objects.filter(key__in=keys)}
    departments: dict[int, list[Department]] = {}
    for department in Department.objects.filter(unit__in=list(units.values())).order_by("pk"):
        departments.setdefault(department.unit_id, []).append(department)
    names = {row.values["username"] for row in table.rows if row.values["username"]}
    found = get_user_model().objects.annotate(lower=Lower("username"))
    found = found.filter(Q(username__in=names) | Q(lower__in={name.lower() for name in names}))
    users = {person.username.lower(): person for person in found}
    stored = Membership.objects.filter(user__in=list(users.values())).select_related("department")
    manageable = set(memberships_manageable_by(actor).filter(pk__in=stored.values("pk")).values_list("pk", flat=True))
    held = {(m.user_id, m.unit_id, m.role): _Held(m.subtree, m.department, m.pk in manageable) for m in stored}
    return _Context(actor, units, departments, users, held, role_words(), role_labels_vi(), frozenset(table.columns))


def _read(context: _Context, row: Row, outcome: RowOutcome) -> _Planned:
    """The row's cells as the services take them; every unreadable cell refuses the row under its column."""
    values = row.values
    username = values["username"]
    if not username:
        outcome.refuse(USERNAME, _("Write the username."))
    person = context.users.get(username.lower())
    role = _role(context, values["role"], outcome)
    unit = _unit(context, values["unit"], outcome)
    try:
        subtree = _yes_no(values["subtree"]) if "subtree" in context.columns else None
    except _Cell as bad:
        outcome.refuse(SUBTREE, bad.message)
        subtree = None
    department = _department(context, unit, values, outcome)
    account = {name: values[name] for name in ACCOUNT_FIELDS if values.get(name)}
    outcome.keys = (
        person.username if person is not None else username,
        unit.key if unit is not None else values["unit"],
        context.labels[role] if role else values["role"],
    )
    if username:
        _check_repeats(context, row.number, username.lower(), account, outcome)
        if role and (unit is not None or not values["unit"]):
            first = context.seen.setdefault((username.lower(), getattr(unit, "pk", None), role), row.number)
            if first != row.number:
                message = _("Row %(row)s already gives this person this role in this unit: keep one of the two rows.")
                outcome.refuse(ROLE, message % {"row": first})
    return _Planned(username, account, unit, role, subtree, department, "department" in context.columns)


def _role(context: _Context, text: str, outcome: RowOutcome) -> str:
    names = ", ".join(context.labels.values())
    if not text:
        outcome.refuse(ROLE, _("Write the role: one of %(roles)s.") % {"roles": names})
        return ""
    role = context.roles.get(header_key(text), "")
    if not role:
        message = _("“%(text)s” is not a role: write one of %(roles)s.") % {"text": text[:60], "roles": names}
        outcome.refuse(ROLE, message)
    return role


def _unit(context: _Context, text: str, outcome: RowOutcome) -> AdminUnit | None:
    """The unit of a code (None when empty: the whole country)."""
    found = [context.units[key] for key in _unit_keys(text) if key in context.units]
    if text and not found:
        message = _(
            "No unit with the code “%(code)s”: check the code in the unit browser, or leave the cell empty for "
            "a role over the whole country."
        )
        outcome.refuse(UNIT_KEY, message % {"code": text[:40]})
    return found[0] if found else None


def _department(context: _Context, unit: AdminUnit | None, values: dict[str, str], outcome: RowOutcome) -> Any:
    """The department named within the unit, matched exactly or, when that is unique, without diacritics or
    case; None for none."""
    name = values.get("department", "")
    if not name:
        return None
    if unit is None:
        if not values["unit"]:
            outcome.refuse(
                DEPARTMENT, _("A role over the whole country belongs to no department: leave the cell empty.")
            )
        return None
    departments = context.departments.get(unit.pk, [])
    exact = [d for d in departments if d.name == name]
    alike = [d for d in departments if fold(d.name) == fold(name)]
    if exact or len(alike) == 1:
        return (exact or alike)[0]
    message = _(
        "%(unit)s has no department named “%(name)s”: add the department on the unit's page first, then import "
        "the file again (or leave the cell empty)."
    )
    outcome.refuse(DEPARTMENT, message % {"unit": unit.name, "name": name[:80]})
    return None


def _check_repeats(context: _Context, number: int, person: str, account: dict[str, str], outcome: RowOutcome) -> None:
    """Rows of one person must not disagree on their account's details (an empty cell agrees with anything)."""
    given = context.given.setdefault(person, {})
    for name, value in account.items():
        first, row = given.setdefault(name, (value, number))
        if row != number and not _same(name, first, value):
            message = _(
                "Row %(row)s gives this person another value (“%(value)s”): write the same on every row of a "
                "person, or leave the cell empty."
            )
            outcome.refuse(COLUMN_OF[name], message % {"row": row, "value": shorten(first)})


class _Undo(Exception):
    """Leaves a row's savepoint so that what the row wrote before it was refused is rolled back."""


@dataclass(slots=True)
class _Done:
    """What a row wrote, remembered once its savepoint is kept."""

    person: Any
    held: tuple[tuple[int, int | None, str], _Held] | None = None


def _write(context: _Context, planned: _Planned, outcome: RowOutcome) -> None:
    person = context.users.get(planned.username.lower())
    before = {name: getattr(person, name) for name in ACCOUNT_FIELDS} if person is not None else {}
    try:
        with transaction.atomic():
            done = _create(context, planned, outcome) if person is None else _update(context, person, planned, outcome)
            if outcome.outcome == "refused" or done is None:
                raise _Undo
    except _Undo:
        for name, value in before.items():  # the services set what they wrote on the object: take it back
            setattr(person, name, value)
        return
    context.users[done.person.username.lower()] = done.person
    if done.held is not None:
        context.held[done.held[0]] = done.held[1]


def _refuse(outcome: RowOutcome, error: InvalidInput, fallback: str = "") -> None:
    for name, messages in error.errors.items():
        for message in messages:
            outcome.refuse(COLUMN_OF.get(name, fallback), message)


def _create(context: _Context, planned: _Planned, outcome: RowOutcome) -> _Done | None:
    """A new account with the row's details and role."""
    subtree = bool(planned.subtree)
    try:
        person, _membership = unit_services.person_create(
            actor=context.actor,
            username=planned.username,
            role=planned.role,
            unit=planned.unit,
            subtree=subtree,
            department=planned.department,
            **planned.account,
        )
    except InvalidInput as error:
        _refuse(outcome, error)
        return None
    outcome.outcome = "new"
    filled = [(USERNAME, person.username), *((COLUMN_OF[n], getattr(person, n)) for n in planned.account)]
    granted = _granted(context, planned.unit, planned.role, subtree, planned.department)
    outcome.changes = tuple((column, "", shorten(value)) for column, value in filled) + granted
    key = (person.pk, getattr(planned.unit, "pk", None), planned.role)
    return _Done(person, (key, _Held(subtree, planned.department, True)))


def _granted(
    context: _Context, unit: AdminUnit | None, role: str, subtree: bool, department: Department | None
) -> tuple[tuple[str, str, str], ...]:
    """The cells of a new role, as the report shows them: "" → what the row gives."""
    cells = (
        (UNIT_KEY, getattr(unit, "key", "")),
        (ROLE, context.labels[role]),
        (SUBTREE, YES if subtree else ""),
        (DEPARTMENT, getattr(department, "name", "")),
    )
    return tuple((column, "", value) for column, value in cells if value)


def _update(context: _Context, person: Any, planned: _Planned, outcome: RowOutcome) -> _Done | None:
    """A known person: their changed details, then their role when it is new or its subtree or department
    changed."""
    changes = _update_account(context, person, planned, outcome)
    key = (person.pk, getattr(planned.unit, "pk", None), planned.role)
    held = context.held.get(key)
    subtree = planned.subtree if planned.subtree is not None else bool(held and held.subtree)
    department = planned.department if planned.department_given else (held.department if held else None)
    if held is not None and (held.subtree, held.department) == (subtree, department):
        if not held.manageable:
            message = _("Not yours: this role lies outside your scope. Remove the row, or ask an administrator.")
            outcome.refuse(UNIT_KEY, message)
        if outcome.outcome == "refused":
            return None
        outcome.outcome, outcome.changes = ("changed" if changes else "unchanged"), tuple(changes)
        return _Done(person)
    try:
        unit_services.membership_grant(
            actor=context.actor,
            user=person,
            role=planned.role,
            unit=planned.unit,
            subtree=subtree,
            department=department,
        )
    except InvalidInput as error:
        _refuse(outcome, error)
    if outcome.outcome == "refused":
        return None
    if held is None:
        outcome.outcome = "new"
        changes.extend(_granted(context, planned.unit, planned.role, subtree, department))
    else:
        outcome.outcome = "changed"
        changes.extend(_membership_changes(held, subtree, department))
    outcome.changes = tuple(changes)
    return _Done(person, (key, _Held(subtree, department, True)))


def _membership_changes(held: _Held, subtree: bool, department: Any) -> list[tuple[str, str, str]]:
    changes = []
    if held.subtree != subtree:
        changes.append((SUBTREE, YES if held.subtree else NO, YES if subtree else NO))
    if held.department != department:
        changes.append((DEPARTMENT, getattr(held.department, "name", ""), getattr(department, "name", "")))
    return changes


def _update_account(context: _Context, person: Any, planned: _Planned, outcome: RowOutcome) -> list[Any]:
    """The details the row gives that differ from the stored ones, through the account service (which lets a
    coordinator change only people entirely inside their scope). Returns the changes (column, before, after)."""
    changed = {name: value for name, value in planned.account.items() if not _same(name, getattr(person, name), value)}
    if not changed:
        return []
    before = {name: getattr(person, name) for name in changed}
    try:
        account_services.user_update(actor=context.actor, user=person, **changed)
    except InvalidInput as error:
        _refuse(outcome, error, fallback=COLUMN_OF[next(iter(changed))])  # a refusal is about what changes
        return []
    return [(COLUMN_OF[name], shorten(before[name]), shorten(getattr(person, name))) for name in changed]


# ------------------------------------------------------------------------------------------------ export


def export_rows(user: Any) -> Iterator[list[Any]]:
    """One row per membership ``user`` manages, by username then unit, in the columns ``HEADER``."""
    labels = role_labels_vi()
    memberships = (
        memberships_manageable_by(user)
        .order_by("user__username", F("unit__key").asc(nulls_first=True), "role")
        .values_list(
            "user__username",
            "user__full_name",
            "user__email",
            "user__position",
            "user__phone",
            "unit__key",
            "unit__name",
            "role",
            "subtree",
            "department__name",
        )
    )
    for username, full_name, email, position, phone, key, name, role, subtree, department in memberships.iterator(
        chunk_size=2000
    ):
        yield [
            username,
            full_name,
            email,
            position,
            phone,
            key or "",
            name or WHOLE_COUNTRY,
            labels.get(role, role),
            YES if subtree else NO,
            department or "",
        ]
