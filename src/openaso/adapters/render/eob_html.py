"""The EOB as one self-contained HTML page (inline CSS, no external assets, prints well)."""

from jinja2 import Environment, PackageLoader, StrictUndefined

from openaso.adapters.render.text import KIND, STATUS, dollars
from openaso.services.eob import Eob

# The amount columns of a line, in order; the same names index `Amounts` in the template.
FIELDS = (
    "billed",
    "adjusted",
    "allowed",
    "plan_paid",
    "copay",
    "deductible",
    "coinsurance",
    "not_covered",
    "member_owes",
)


def render_eob_html(eob: Eob) -> str:
    template = _environment().get_template("eob.html.j2")
    return template.render(eob=eob, fields=FIELDS, status=STATUS, kind=KIND)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("openaso.adapters.render", "templates"),
        autoescape=True,  # names and notes are data: never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dollars"] = dollars
    return env
