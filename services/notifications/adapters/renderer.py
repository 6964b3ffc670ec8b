"""Renders the customer emails from the Jinja2 templates in ``templates/``.

Each kind has ``<kind>.html`` (autoescaped, extends ``base.html``) and ``<kind>.txt``. The
templates get the event's data as ``order``; money and dates go through the filters below so
every email shows them the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from events.models import LineItem, OrderSummary
from services.notifications.models import EmailKind, RenderedEmail

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

SUBJECTS: dict[EmailKind, str] = {
    EmailKind.ORDER_RECEIVED: "We received your order {order_id}",
    EmailKind.SHIPMENT_CONFIRMED: "Your order {order_id} has shipped",
    EmailKind.ORDER_CANCELLED: "Your order {order_id} was cancelled",
    EmailKind.FEEDBACK_REQUEST: "How was your order {order_id}?",
}


def money(amount: str | Decimal, currency: str) -> str:
    """``1234.5`` and ``EUR`` -> ``EUR 1,234.50``."""
    return f"{currency} {Decimal(amount):,.2f}"


def line_total(item: LineItem) -> Decimal:
    return Decimal(item.unit_price) * item.quantity


def long_date(moment: datetime) -> str:
    """``2026-03-01T14:05:00Z`` -> ``1 March 2026, 14:05 UTC``."""
    utc = moment.astimezone(UTC)
    return f"{utc.day} {utc:%B %Y, %H:%M} UTC"


class JinjaRenderer:
    def __init__(self, templates_dir: Path = TEMPLATES_DIR) -> None:
        self._env = Environment(
            loader=FileSystemLoader(templates_dir),
            # Customer names and item names come from people: escape everything in HTML.
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.filters.update(money=money, long_date=long_date)
        self._env.globals.update(line_total=line_total)

    def render(
        self, kind: EmailKind, order: OrderSummary, *, unsubscribe_url: str | None = None
    ) -> RenderedEmail:
        context = {"order": order, "kind": kind.value, "unsubscribe_url": unsubscribe_url}
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        headers = (
            (
                ("List-Unsubscribe", f"<{unsubscribe_url}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            )
            if unsubscribe_url
            else ()
        )
        return RenderedEmail(
            subject=SUBJECTS[kind].format(order_id=order.order_id),
            html=self._env.get_template(f"{kind.value}.html").render(context),
            text=self._env.get_template(f"{kind.value}.txt").render(context),
            headers=headers,
        )
