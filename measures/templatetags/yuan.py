"""``{{ amount|yuan }}``: an amount in yuan as people read it, ¥1,200.50 (empty for none)."""

from decimal import Decimal

from django import template

register = template.Library()


def yuan_text(amount: Decimal | None) -> str:
    return "" if amount is None else f"¥{amount:,.2f}"


@register.filter
def yuan(amount) -> str:
    return yuan_text(amount)
