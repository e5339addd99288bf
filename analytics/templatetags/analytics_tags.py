"""Formatting for the dashboard's tables: a figure of a row, and a share of its headcount."""

from django import template

register = template.Library()


@register.filter
def figure(values: dict, name: str) -> str:
    value = values.get(name)
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@register.filter
def share(row, name: str) -> str:
    """`name` as a percentage of the row's headcount ("—" when there is no one)."""
    value = row.share(name)
    return "—" if value is None else f"{100 * value:.0f}%"
