"""A form ready to use: its definition compiled, every expression parsed and type-checked.

Compiling catches, when the form loads rather than in the field: duplicate question ids,
unknown choice lists, references to missing questions or to a roster's questions from outside
it, type errors (``members > 3``), comparisons with a value that is not a choice
(``relation = 'hed'``), forward references in relevance and calculations, and document
mappings that could not produce a valid ``rasoat.household/1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from shared.errors import ErrorCode, RasoatError
from shared.forms.conditions import (
    BOOL,
    DATE,
    NUMBER,
    TEXT,
    ConditionError,
    Expr,
    Scope,
    Value,
    ValueType,
    check,
    parse,
    references,
)
from shared.forms.mapping import CompiledDocument, compile_mapping
from shared.forms.model import (
    CalculateQuestion,
    Choice,
    ChoiceListsFile,
    Constraint,
    FormDefinition,
    GroupQuestion,
    Label,
    NoteQuestion,
    Question,
    RosterQuestion,
    Rule,
    SelectMultipleQuestion,
    SelectOneQuestion,
)

_TYPES: dict[str, ValueType] = {
    "text": TEXT,
    "integer": NUMBER,
    "decimal": NUMBER,
    "date": DATE,
    "yes_no": BOOL,
    "gps": ValueType("gps"),
    "photo": ValueType("photo"),
}


@dataclass
class Node:
    """One question of a compiled form and everything needed to check its answers."""

    question: Question
    rosters: tuple[str, ...]
    ordinal: int
    end: int = 0
    type: ValueType | None = None
    choices: tuple[Choice, ...] = ()
    relevant: Expr | None = None
    required: Expr | bool = False
    constraints: tuple[tuple[Constraint, Expr], ...] = ()
    expression: Expr | None = None

    @property
    def roster(self) -> str | None:
        """Return the innermost roster holding this question, None at the top level."""
        return self.rosters[-1] if self.rosters else None


@dataclass(frozen=True)
class Form:
    """A compiled form: look questions up by id; ``source`` names the file it came from."""

    definition: FormDefinition
    nodes: Mapping[str, Node]
    rules: tuple[tuple[Rule, Expr], ...]
    document: CompiledDocument | None
    source: str

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> int:
        return self.definition.version

    @property
    def title(self) -> Label:
        return self.definition.title

    @property
    def key(self) -> str:
        """Return ``id/version``, the form's name in answers and hashes."""
        return f"{self.id}/{self.version}"

    @property
    def questions(self) -> Sequence[Question]:
        return self.definition.questions


@dataclass
class _Compiler:
    definition: FormDefinition
    choice_lists: dict[str, tuple[Choice, ...]]
    source: str
    nodes: dict[str, Node] = field(default_factory=dict)
    counter: int = 0

    def fail(self, problem: str) -> RasoatError:
        return RasoatError(ErrorCode.INVALID_FORM, source=self.source, problem=problem)

    # The schema the type checker reads.
    def type_of(self, name: str) -> ValueType | None:
        node = self.nodes.get(name)
        return None if node is None else node.type

    def roster_of(self, name: str) -> str | None:
        node = self.nodes.get(name)
        return None if node is None else node.roster

    def number(self, questions: Sequence[Question], rosters: tuple[str, ...]) -> None:
        for question in questions:
            if question.id in self.nodes:
                raise self.fail(f"question id {question.id!r} is used twice")
            self.counter += 1
            node = Node(question, rosters, self.counter)
            self.nodes[question.id] = node
            if isinstance(question, RosterQuestion):
                node.type = ValueType("rows", roster=question.id)
                self.number(question.questions, (*rosters, question.id))
            elif isinstance(question, GroupQuestion):
                self.number(question.questions, rosters)
            elif isinstance(question, SelectOneQuestion | SelectMultipleQuestion):
                listed = self.choice_lists.get(question.choices)
                if listed is None:
                    raise self.fail(f"question {question.id}: no choice list {question.choices!r}")
                node.choices = listed
                values = frozenset(choice.value for choice in listed)
                one = isinstance(question, SelectOneQuestion)
                node.type = ValueType("text" if one else "choices", values)
            elif question.type in _TYPES:
                node.type = _TYPES[question.type]
            node.end = self.counter

    def expression(self, node: Node, what: str, text: str, *, backward: bool) -> Expr:
        scope = Scope(node.rosters, node.type if what.startswith("constraint") else None)
        try:
            expr = parse(text)
            found = check(expr, self, scope)
        except ConditionError as error:
            raise self.fail(f"question {node.question.id}: {what}: {error}") from None
        if what != "calculate" and found.kind not in ("bool", "null"):
            raise self.fail(f"question {node.question.id}: {what}: needs a condition (yes/no)")
        if backward:
            for name in sorted(references(expr)):
                if self.nodes[name].end >= node.ordinal:
                    raise self.fail(
                        f"question {node.question.id}: {what} refers to {name!r}, which comes "
                        "later; relevance and calculations may only read earlier answers"
                    )
        return expr

    def compile_node(self, node: Node) -> None:
        question = node.question
        if question.relevant is not None:
            node.relevant = self.expression(node, "relevant", question.relevant, backward=True)
        if isinstance(question, CalculateQuestion):
            node.expression = self.expression(node, "calculate", question.expression, backward=True)
            node.type = check(node.expression, self, Scope(node.rosters))
            return
        if isinstance(question, RosterQuestion) and question.count is not None:
            self.check_count(node, question)
        if isinstance(question, NoteQuestion | GroupQuestion | RosterQuestion):
            return
        if isinstance(question.required, str):
            node.required = self.expression(node, "required", question.required, backward=True)
        else:
            node.required = question.required
        seen: set[str] = set()
        compiled: list[tuple[Constraint, Expr]] = []
        for constraint in question.constraints:
            if constraint.id in seen:
                raise self.fail(f"question {question.id}: constraint {constraint.id!r} twice")
            seen.add(constraint.id)
            what = f"constraint {constraint.id}"
            compiled.append(
                (constraint, self.expression(node, what, constraint.check, backward=False))
            )
        node.constraints = tuple(compiled)

    def check_count(self, node: Node, roster: RosterQuestion) -> None:
        counted = self.nodes.get(roster.count or "")
        if (
            counted is None
            or counted.question.type != "integer"
            or counted.rosters != node.rosters
            or counted.ordinal > node.ordinal
        ):
            raise self.fail(
                f"roster {roster.id}: count {roster.count!r} must be an earlier integer question "
                "outside the roster"
            )

    def compile(self) -> Form:
        self.number(self.definition.questions, ())
        # Calculations first, in order, so later expressions know their types.
        ordered = sorted(self.nodes.values(), key=lambda node: node.ordinal)
        for node in ordered:
            if isinstance(node.question, CalculateQuestion):
                self.compile_node(node)
        for node in ordered:
            if not isinstance(node.question, CalculateQuestion):
                self.compile_node(node)
        rules: list[tuple[Rule, Expr]] = []
        for rule in self.definition.rules:
            if rule.path not in self.nodes:
                raise self.fail(f"rule {rule.id}: no question {rule.path!r} to report on")
            try:
                expr = parse(rule.check)
                if check(expr, self, Scope()).kind not in ("bool", "null"):
                    raise ConditionError("needs a condition (yes/no)")
            except ConditionError as error:
                raise self.fail(f"rule {rule.id}: {error}") from None
            rules.append((rule, expr))
        if len({rule.id for rule, _ in rules}) != len(rules):
            raise self.fail("two rules share an id")
        document = None
        if self.definition.document is not None:
            try:
                document = compile_mapping(self.definition.document, self)
            except ConditionError as error:
                raise self.fail(f"document: {error}") from None
        return Form(self.definition, self.nodes, tuple(rules), document, self.source)


def compile_form(
    definition: FormDefinition, shared: Mapping[str, ChoiceListsFile], source: str
) -> Form:
    """Return the compiled form; ``shared`` holds the shared choice-list files by ``id/version``.

    Raises ``RasoatError(INVALID_FORM)`` naming the first problem.
    """
    lists: dict[str, tuple[Choice, ...]] = {}
    available: list[tuple[str, Mapping[str, list[Choice]]]] = []
    for key in definition.shared_choices:
        if key not in shared:
            raise RasoatError(
                ErrorCode.INVALID_FORM, source=source, problem=f"no shared choice lists {key!r}"
            )
        available.append((key, shared[key].choice_lists))
    available.append(("the form", definition.choice_lists))
    for origin, choice_lists in available:
        for name, choices in choice_lists.items():
            if name in lists:
                raise RasoatError(
                    ErrorCode.INVALID_FORM,
                    source=source,
                    problem=f"choice list {name!r} from {origin} is defined twice",
                )
            if len({choice.value for choice in choices}) != len(choices):
                raise RasoatError(
                    ErrorCode.INVALID_FORM,
                    source=source,
                    problem=f"choice list {name!r} repeats a value",
                )
            lists[name] = tuple(choices)
    return _Compiler(definition, lists, source).compile()


@dataclass(frozen=True)
class AnswerEnv:
    """The clean answers seen from one place: the top level or a row of nested rosters."""

    form: Form
    top: Mapping[str, object]
    stack: tuple[tuple[str, Mapping[str, object], int], ...] = ()
    this: Value = None

    def _container(self, rosters: tuple[str, ...]) -> Mapping[str, object]:
        if not rosters:
            return self.top
        for roster, row, _ in reversed(self.stack):
            if roster == rosters[-1]:
                return row
        return {}

    def value(self, name: str) -> Value:
        node = self.form.nodes.get(name)
        if node is None:
            return None
        return cast(Value, self._container(node.rosters).get(name))

    def rows(self, roster: str) -> list[AnswerEnv]:
        node = self.form.nodes.get(roster)
        if node is None:
            return []
        rows = self._container(node.rosters).get(roster)
        if not isinstance(rows, list):
            return []
        return [
            AnswerEnv(self.form, self.top, (*self.stack, (roster, row, index)))
            for index, row in enumerate(rows)
        ]

    def position(self) -> int | None:
        return self.stack[-1][2] + 1 if self.stack else None

    def current(self) -> Value:
        return self.this

    def at(self, value: Value) -> AnswerEnv:
        """Return this environment with ``.`` bound to ``value``."""
        return AnswerEnv(self.form, self.top, self.stack, value)
