"""The registry of cooperation agreements (2.(3)): the list (filtered, newest first, a page at a
time) with the network of who cooperates with whom, an agreement's page with its document and
history, and the form that records or changes one (no JavaScript needed).

Every user who follows the plan reads the registry (case officers do not: 404); the Office and the
reporting officers of a party province's own office record and change an agreement (anyone else
who sees it: 403).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agencies.models import Province
from core.forms import add_service_errors
from core.models import ChangeRecord
from core.permissions import CHANGE, FOLLOW_THE_PLAN, allows, get_restricted_object, require
from core.workflow import EditConflict
from measures.forms import AgreementForm, AgreementSearchForm
from measures.models import CooperationAgreement, Measure, Plan
from measures.selectors import agreements as selectors
from measures.services.agreements import (
    HISTORY_LABELS,
    MAX_PARTIES,
    AgreementInput,
    PartyInput,
    agreement_save,
    may_record_agreements,
)

PAGE_SIZE = 20
MIN_PARTY_ROWS = 4


def _plan(request, code: str) -> Plan:
    require(request.user, FOLLOW_THE_PLAN)
    return get_restricted_object(Plan.objects, request.user, code=code)


def _filters(form) -> selectors.AgreementFilters:
    data = form.cleaned_data if form.is_bound else {}
    return selectors.AgreementFilters(
        province=data.get("province", ""),
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        year=data.get("year"),
        measure=data.get("measure"),
    )


@login_required
def registry(request, plan):
    """The agreements, filtered, newest first, a page at a time; the network of the same agreements."""
    plan = _plan(request, plan)
    form = AgreementSearchForm(
        request.GET or None,
        provinces=Province.objects.restrict(request.user).order_by("code"),
        measures=Measure.objects.filter(plan=plan).order_by("seq"),
    )
    page = network = None
    if not form.is_bound or form.is_valid():
        filters = _filters(form)
        page = Paginator(selectors.agreement_registry(request.user, filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        network = network_picture(selectors.agreement_network(request.user, filters))
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "plan": plan,
        "form": form,
        "page": page,
        "filtered": bool(query),
        "page_query": urlencode(query),
        "network": network,
        "may_record": may_record_agreements(request.user),
    }
    return render(request, "measures/agreements/registry.html", context, status=400 if page is None else 200)


def _agreement(request, pk) -> CooperationAgreement:
    require(request.user, FOLLOW_THE_PLAN)
    agreement = selectors.agreement_with_details(request.user, pk)
    if agreement is None:
        raise Http404
    return agreement


@login_required
def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    history = [
        (record, record.lines(HISTORY_LABELS)) for record in ChangeRecord.objects.for_object(agreement)
    ]
    context = {
        "plan": selectors.plan_of(request.user, agreement),
        "agreement": agreement,
        "history": history,
        "can_edit": allows(request.user, CHANGE, agreement),
    }
    return render(request, "measures/agreements/detail.html", context)


@login_required
def agreement_document(request, pk):
    """The agreement's document, to those who may see the agreement; 404 to everyone else."""
    require(request.user, FOLLOW_THE_PLAN)
    agreement = get_restricted_object(CooperationAgreement.objects, request.user, pk=pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document_name,
        content_type=agreement.document_type,
    )


def _rows(request, agreement) -> int:
    """How many party rows the form shows: what was sent (two more when asked), else the saved
    parties and two empty rows, at least ``MIN_PARTY_ROWS``, at most ``MAX_PARTIES``."""
    if request.method == "POST":
        try:
            rows = int(request.POST.get("party_rows", MIN_PARTY_ROWS))
        except ValueError:
            rows = MIN_PARTY_ROWS
        if "more_parties" in request.POST:
            rows += 2
    else:
        rows = (len(agreement.parties.all()) + 2) if agreement else MIN_PARTY_ROWS
    return max(MIN_PARTY_ROWS, min(rows, MAX_PARTIES))


def _initial(agreement, rows: int) -> dict:
    if agreement is None:
        return {"status": "in_force", "party_rows": rows}
    initial = {
        name: getattr(agreement, name)
        for name in ("title_zh", "title_en", "kind", "signed_on", "status", "summary")
    }
    initial.update(
        version=agreement.version, party_rows=rows, measures=[m.pk for m in agreement.measures.all()]
    )
    for n, party in enumerate(agreement.parties.all()):
        initial[f"parties_{n}_province"] = party.province_id
        initial[f"parties_{n}_foreign_kind"] = party.foreign_kind
        initial[f"parties_{n}_foreign_name_zh"] = party.foreign_name_zh
        initial[f"parties_{n}_foreign_name_en"] = party.foreign_name_en
    return initial


def _input(form) -> AgreementInput:
    data = form.cleaned_data
    return AgreementInput(
        title_zh=data["title_zh"],
        title_en=data["title_en"],
        kind=data["kind"],
        signed_on=data["signed_on"],
        status=data["status"],
        summary=data["summary"],
        measures=form.chosen_measures(),
        parties=[
            PartyInput(
                province=data.get(f"parties_{n}_province"),
                foreign_kind=data.get(f"parties_{n}_foreign_kind", ""),
                foreign_name_zh=data.get(f"parties_{n}_foreign_name_zh", ""),
                foreign_name_en=data.get(f"parties_{n}_foreign_name_en", ""),
                ref=f"parties_{n}",
            )
            for n in range(form.rows)
        ],
    )


def _form_errors(form, error: ValidationError) -> None:
    """The service names a party's field ``parties_2.province``; the form, ``parties_2_province``."""
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {key.replace(".", "_"): messages for key, messages in error.message_dict.items()}
        )
    add_service_errors(form, error)


def _agreement_form(request, plan: Plan, agreement=None):
    """Record an agreement (``agreement`` None) or change one; what was typed comes back with the errors."""
    rows = _rows(request, agreement)
    kwargs = {
        "measures": list(Measure.objects.filter(plan=plan).select_related("area").order_by("seq")),
        "provinces": Province.objects.restrict(request.user).order_by("code"),
        "rows": rows,
        "max_size_label": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        "has_document": bool(agreement and agreement.document),
    }
    conflict, status = None, 200
    if request.method == "POST":
        data = request.POST.copy()
        data["party_rows"] = rows  # more rows asked for: the next post sends them all
        form = AgreementForm(data, request.FILES, **kwargs)
        if "more_parties" in request.POST:
            context = {"plan": plan, "agreement": agreement, "form": _unchecked(form), "conflict": None}
            return render(request, "measures/agreements/form.html", context)
        if form.is_valid():
            try:
                saved = agreement_save(
                    actor=request.user,
                    agreement_id=agreement.pk if agreement else None,
                    version=form.cleaned_data["version"] if agreement else None,
                    data=_input(form),
                    document=form.cleaned_data.get("document"),
                    remove_document=form.cleaned_data.get("remove_document", False),
                )
            except ValidationError as error:
                _form_errors(form, error)
            except EditConflict as error:
                data["version"] = error.record.version
                form = AgreementForm(data, **kwargs)
                form.is_valid()
                conflict, agreement = error, _agreement(request, agreement.pk)
            else:
                messages.success(request, _("The agreement was saved."))
                return redirect("measures:agreement", pk=saved.pk)
        status = 409 if conflict else 400
        if request.FILES.get("document"):
            form.add_error(
                "document", _("Nothing was saved, so the file you chose was not kept: choose it again.")
            )
    else:
        form = AgreementForm(initial=_initial(agreement, rows), **kwargs)
    context = {"plan": plan, "agreement": agreement, "form": form, "conflict": conflict}
    return render(request, "measures/agreements/form.html", context, status=status)


def _unchecked(form):
    """A bound form shown again as typed (more party rows asked for), without its errors."""
    form.is_valid()
    form._errors = {}
    return form


@login_required
def agreement_record(request, plan):
    plan = _plan(request, plan)
    if not may_record_agreements(request.user):
        raise PermissionDenied  # reads the registry, records none
    return _agreement_form(request, plan)


@login_required
def agreement_edit(request, pk):
    agreement = _agreement(request, pk)
    if not allows(request.user, CHANGE, agreement):
        raise PermissionDenied  # sees it, is not a party's office
    return _agreement_form(request, selectors.plan_of(request.user, agreement), agreement)


# --- The network picture -----------------------------------------------------------------------

SIZE = 640
CENTRE = SIZE / 2
RADIUS = 215
ABROAD_RADIUS = 290


def _n(value: float) -> str:
    """A coordinate as SVG takes it, whatever the language's number format."""
    return f"{value:.1f}"


@dataclass
class Node:
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str
    kind: str  # origin, destination, both, other, abroad
    title: str

    @property
    def svg(self) -> dict:
        """What the template writes: the centre, a square's corner, a triangle's points, the label."""
        x, y = self.x, self.y
        return {
            "cx": _n(x),
            "cy": _n(y),
            "corner_x": _n(x - 5),
            "corner_y": _n(y - 5),
            "triangle": f"{_n(x)},{_n(y - 7)} {_n(x + 6)},{_n(y + 5)} {_n(x - 6)},{_n(y + 5)}",
            "label_x": _n(self.label_x),
            "label_y": _n(self.label_y),
        }


def short_name(province: Province) -> str:
    """The name the picture writes beside its dot: 云南 for 云南省, Yunnan for Yunnan Province."""
    name = province.name
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    english = (
        " Zhuang Autonomous Region", " Hui Autonomous Region", " Uygur Autonomous Region",
        " Autonomous Region", " Special Administrative Region", " Province", " Municipality",
    )  # fmt: skip
    for suffix in english:
        if name.endswith(suffix):
            return name[: -len(suffix)]  # Inner Mongolia, Guangxi, Hong Kong
    return name


def _kind(province: Province) -> str:
    if province.is_origin and province.is_destination:
        return "both"
    return "origin" if province.is_origin else "destination" if province.is_destination else "other"


def _at(angle: float, radius: float) -> tuple[float, float]:
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def network_picture(network: selectors.Network) -> dict:
    """Where the picture draws each province (a circle, in code order from the top), each party
    abroad (outside the circle, beside its first province) and each link; its table is the same
    data for screen readers and phones."""
    nodes: dict = {}
    count = len(network.provinces) or 1
    angles = {}
    for index, province in enumerate(network.provinces):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        angles[province.pk] = angle
        x, y = _at(angle, RADIUS)
        lx, ly = _at(angle, RADIUS + 12)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        nodes[province.pk] = Node(
            x, y, short_name(province), lx, ly + 4, anchor, _kind(province), province.name
        )
    placed: dict = {}
    for n, (name, kind) in enumerate(network.abroad):
        first = next(link.a for link in network.links if link.b is None and link.abroad == name)
        shift = sum(1 for a in placed.values() if a == first.pk)
        placed[(name, kind)] = first.pk
        angle = angles[first.pk] + 0.12 * shift
        x, y = _at(angle, ABROAD_RADIUS)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        ly = y + (16 if math.sin(angle) > 0 else -8)
        nodes[("abroad", n)] = Node(x, y, name, x, ly, anchor, "abroad", name)
    abroad_index = {key: n for n, key in enumerate(network.abroad)}
    lines = []
    for link in network.links:
        a = nodes[link.a.pk]
        b = nodes[link.b.pk] if link.b else nodes[("abroad", abroad_index[(link.abroad, link.abroad_kind)])]
        lines.append(
            {
                "x1": _n(a.x),
                "y1": _n(a.y),
                "x2": _n(b.x),
                "y2": _n(b.y),
                "width": min(1.5 + link.count, 6),
                "terminated": link.in_force == 0,
                "abroad": link.b is None,
                "title": f"{link.a.name} – {link.b.name if link.b else link.abroad} ({link.count})",
            }
        )
    return {
        "view_box": f"-170 -40 {SIZE + 340} {SIZE + 80}",
        "nodes": list(nodes.values()),
        "lines": lines,
        "links": network.links,
        "empty": not network.links,
    }
