"""What the pickers ask as one types (static/js/picker.js): the divisions and the agencies that
match a text, as JSON, for signed-in users (it is reference data). Each answer is one query (two
with ``division=``) whatever the size of the tables, at most ``SEARCH_LIMIT`` results, and a text
longer than ``SEARCH_MAX_CHARS`` is refused (400, naming ``q``)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from agencies.choices import DivisionLevel
from agencies.forms import (
    PATH_SEPARATOR,
    SEARCH_LIMIT,
    SEARCH_MAX_CHARS,
    agency_place,
    agency_search,
    division_path,
    division_search,
)
from agencies.models import Agency, Division, Province


def _refused(field: str, message: str) -> JsonResponse:
    """A 400 answer naming the parameter, as the API names a field: {"q": ["…"]}."""
    return JsonResponse({field: [message]}, status=400)


def _query(request) -> tuple[str, JsonResponse | None]:
    text = request.GET.get("q", "").strip()
    if len(text) > SEARCH_MAX_CHARS:
        return text, _refused("q", _("Type at most %(max)s characters.") % {"max": SEARCH_MAX_CHARS})
    if "\x00" in text:
        return text, _refused("q", _("Null characters are not allowed."))
    return text, None


def _answer(results: list[dict]) -> JsonResponse:
    """The first ``SEARCH_LIMIT`` results (one more was asked for, to know whether there are more),
    and the sentence the picker's live region announces."""
    more = len(results) > SEARCH_LIMIT
    results = results[:SEARCH_LIMIT]
    if more:
        status = _("More than %(count)s results: type more to narrow them.") % {"count": SEARCH_LIMIT}
    elif results:
        status = ngettext("%(count)s result", "%(count)s results", len(results)) % {"count": len(results)}
    else:
        status = _("No results")
    return JsonResponse({"results": results, "more": more, "status": status})


@login_required
@require_GET
def division_search_view(request):
    """Current divisions by code, name or pinyin (``level=`` one or more levels, ``in_province=`` the
    id of a province, to narrow them: the case form's county follows its province select)."""
    text, refused = _query(request)
    if refused:
        return refused
    levels = request.GET.getlist("level")
    unknown = [level for level in levels if level not in DivisionLevel.values]
    if unknown:
        return _refused("level", _("Unknown level: %(level)s.") % {"level": ", ".join(unknown)})
    divisions = Division.objects.restrict(request.user).current()
    if levels:
        divisions = divisions.filter(level__in=levels)
    province_id = request.GET.get("in_province", "")
    if province_id:
        province = Province.objects.filter(pk=province_id).first() if province_id.isdigit() else None
        if province is None:
            return _refused("in_province", _("Give the id of a province."))
        divisions = divisions.filter(code__startswith=province.code[:2])
    found = division_search(divisions, text)[: SEARCH_LIMIT + 1] if text else []
    results = []
    for division in found:
        above = division_path(division.parent)
        results.append(
            {
                "id": division.pk,
                "code": division.code,
                "name": division.name,
                "level": division.get_level_display(),
                "path": above,
                "label": PATH_SEPARATOR.join([*above, division.name]),
                "detail": PATH_SEPARATOR.join(above) + (" · " if above else "") + division.code,
            }
        )
    return _answer(results)


@login_required
@require_GET
def agency_search_view(request):
    """Active agencies that keep case files, by name, code or place (``division=<code>``: only those
    at that division and below; ``exclude=<id>``: without that one, such as one's own)."""
    text, refused = _query(request)
    if refused:
        return refused
    agencies = Agency.objects.restrict(request.user).case_keepers()
    exclude = request.GET.get("exclude", "")
    if exclude:
        if not exclude.isdigit():
            return _refused("exclude", _("Give the id of an agency."))
        agencies = agencies.exclude(pk=int(exclude))
    within = None
    code = request.GET.get("division", "").strip()
    if code:
        within = Division.objects.restrict(request.user).filter(code=code).first()
        if within is None:
            return _refused("division", _("No division has the code %(code)s.") % {"code": code[:6]})
    found = agency_search(agencies, text, within=within)[: SEARCH_LIMIT + 1] if text else []
    results = [
        {
            "id": agency.pk,
            "code": agency.code,
            "name": agency.name,
            "place": agency_place(agency),
            "label": agency.name,
            "detail": f"{agency_place(agency)} · {agency.code}",
        }
        for agency in found
    ]
    return _answer(results)
