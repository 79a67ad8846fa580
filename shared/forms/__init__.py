"""Survey forms as versioned data, validated the same way on the tablet and the server.

``catalog.shipped().get("household_review")`` gives a compiled form; ``validate(form, answers)``
lists the issues; ``check_answers(form, answers).document()`` gives the ``rasoat.household/1``
document a survey form maps to.
"""

from shared.forms.catalog import Catalog, shipped
from shared.forms.form import Form
from shared.forms.validate import Filled, Issue, check_answers, validate

__all__ = ["Catalog", "Filled", "Form", "Issue", "check_answers", "shipped", "validate"]
