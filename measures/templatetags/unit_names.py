"""``{{ unit|formerly:former }}``: a unit's name with the unit it answers for, where that differs
("人力资源社会保障部（原劳动保障部）"); see measures.selectors.lineage."""

from django import template

from measures.selectors.lineage import formerly as formerly_name

register = template.Library()


@register.filter
def formerly(unit, former=None) -> str:
    return formerly_name(unit, former)
