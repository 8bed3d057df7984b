"""Pages of signing in and out: signing out, the password change (counted like a sign-in), and the
second factor (enrolling an authenticator, the code step after the password)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView, PasswordChangeView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agencies import lockout, two_factor
from agencies.forms import LockedPasswordChangeForm, TwoFactorCodeForm


class SignOutView(LogoutView):
    """Sign out, and say so on the sign-in page that follows."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


class LockedPasswordChangeView(PasswordChangeView):
    """Django's password change, its current password counted like a sign-in (see the form); a
    locked account gets the form again with the wait, as 429 (axes' middleware keeps a 429)."""

    form_class = LockedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "axes_locked_out", False) or form.has_error("old_password", "locked"):
            response.status_code = 429
        return response


def _qr_svg(data: str) -> str:
    # qrcode is loaded only by the one page that draws a code (enrolling an authenticator).
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _after_second_factor(request):
    request.session[two_factor.SESSION_KEY] = True
    request.session.cycle_key()
    target = request.GET.get("next", "")
    return redirect(target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "home")


@login_required
def two_factor_setup(request):
    """Enrol an authenticator: scan the code (or type the key), confirm with a code from it."""
    if not two_factor.required(request.user) and request.method == "GET" and not request.GET.get("optional"):
        return redirect("home")
    if hasattr(request.user, "two_factor") and not request.session.get(two_factor.SESSION_KEY):
        return redirect("two_factor_verify")  # replacing a device needs the current one first
    secret = request.session.get("two_factor_new_secret") or two_factor.new_secret()
    request.session["two_factor_new_secret"] = secret
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.enrol(request.user, secret, form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code", _("This code is not right: check the time on your phone and try the new code.")
            )
        else:
            del request.session["two_factor_new_secret"]
            request.session[two_factor.SESSION_KEY] = True
            return render(request, "agencies/two_factor_backup_codes.html", {"codes": codes})
    uri = two_factor.provisioning_uri(request.user, secret)
    context = {"form": form, "secret": secret, "qr": mark_safe(_qr_svg(uri))}  # noqa: S308 - our own SVG
    return render(request, "agencies/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator, or a backup code."""
    if not hasattr(request.user, "two_factor"):
        return redirect("two_factor_setup")
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, request.user, form.cleaned_data["code"]):
            return _after_second_factor(request)
        # Wrong codes count with wrong passwords (django-axes): the same lockout, the same wait.
        if (seconds := lockout.locked_wait(request, request.user.get_username())) is not None:
            form.add_error("code", lockout.wait_message(seconds))
            status = 429
        else:
            form.add_error("code", _("This code is not right, or was already used."))
    return render(request, "agencies/two_factor_verify.html", {"form": form}, status=status)
