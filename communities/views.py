from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import action_run, bad_cursor_400, form_errors_add
from communities import selectors, services
from communities.forms import CommunityForm, InviteForm, JoinRequestForm
from communities.models import Community, Membership
from communities.page_parts import group_page_parts
from profiles.selectors import viewer_profile


def _community_or_404(slug: str) -> Community:
    community = selectors.community_by_slug(slug=slug)
    if community is None:
        raise Http404("No such group.")
    return community


@bad_cursor_400
@require_GET
def index(request):
    category = request.GET.get("category") or None
    if category not in (None, *Community.Category.values):
        return HttpResponseBadRequest("Unknown category.")
    page = selectors.communities_page(cursor=request.GET.get("cursor"), category=category)
    viewer = viewer_profile(request)
    return render(
        request,
        "communities/index.html",
        {
            "page": page,
            "category": category,
            "mine": selectors.communities_of(profile=viewer),
            "member_ids": selectors.member_community_ids(profile=viewer),
        },
    )


@require_http_methods(["GET", "POST"])
def create(request):
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(creator=viewer_profile(request), **form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, f"{community.name} is ready. Invite colleagues from its page.")
            return redirect(community)
    return render(request, "communities/create.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def detail(request, slug: str):
    """The group: its header here, and what other apps contribute (feed: compose box and posts)."""
    community = _community_or_404(slug)
    viewer = viewer_profile(request)
    membership = selectors.membership_of(community=community, profile=viewer)
    readable = membership is not None or not community.is_private
    parts = group_page_parts(
        request, community=community, membership=membership, viewer=viewer, readable=readable
    )
    if isinstance(parts, HttpResponse):
        return parts
    context: dict[str, object] = {
        "community": community,
        "membership": membership,
        "readable": readable,
        "parts": parts,
        "admins": selectors.community_admins(community=community),
        "requested": membership is None
        and community.is_private
        and selectors.has_pending_request(community=community, profile=viewer),
        "join_form": JoinRequestForm(),
        "invitation": None
        if membership is not None
        else selectors.pending_invitation(community=community, profile=viewer),
        "is_admin": membership is not None and membership.role == Membership.Role.ADMIN,
    }
    if membership is not None and membership.role == Membership.Role.ADMIN and community.is_private:
        context["pending"] = selectors.pending_requests(community=community)
    return render(
        request, "communities/detail.html", context, status=max((p.status for p in parts), default=200)
    )


@require_POST
def join(request, slug: str):
    community = _community_or_404(slug)
    viewer = viewer_profile(request)
    if community.is_private:
        form = JoinRequestForm(request.POST)
        note = form.cleaned_data["message"] if form.is_valid() else ""
        action_run(
            request,
            lambda: services.join_request_create(community=community, profile=viewer, message=note),
            success="Request sent: a group admin will decide.",
        )
    else:
        action_run(
            request,
            lambda: services.community_join(community=community, profile=viewer),
            success=f"Welcome to {community.name}!",
        )
    return redirect(community)


@require_POST
def leave(request, slug: str):
    community = _community_or_404(slug)
    viewer = viewer_profile(request)
    action_run(
        request,
        lambda: services.community_leave(community=community, profile=viewer),
        success=f"You left {community.name}.",
    )
    return redirect(community)


@require_POST
def decide(request, slug: str, request_id: int):
    community = _community_or_404(slug)
    if not selectors.join_request_exists(community=community, request_id=request_id):
        raise Http404("No such request.")
    approve = request.POST.get("decision") == "approve"
    action_run(
        request,
        lambda: services.join_request_decide(
            request_id=request_id, admin=viewer_profile(request), approve=approve
        ),
        success="Approved: they are a member now." if approve else "Declined.",
    )
    return redirect(community)


@bad_cursor_400
@require_GET
def members(request, slug: str):
    community = _community_or_404(slug)
    viewer = viewer_profile(request)
    if community.is_private and community.pk not in selectors.member_community_ids(profile=viewer):
        raise PermissionDenied("The members of a private group are visible to its members only.")
    page = selectors.community_members_page(community=community, cursor=request.GET.get("cursor"))
    return render(request, "communities/members.html", {"community": community, "page": page})


@require_POST
def invite(request, slug: str):
    community = _community_or_404(slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        # The field's ValidationErrors' messages (the stubs type ErrorList items as ValidationError | str).
        errors = form.errors.as_data()["recipient"]
        messages.error(request, " ".join(message for error in errors for message in error.messages))
        return redirect(community)
    invitee = form.cleaned_data["recipient"]
    action_run(
        request,
        lambda: services.invitation_create(
            community=community, inviter=viewer_profile(request), invitee=invitee
        ),
        success=f"Invitation sent to {invitee.display_name}.",
    )
    return redirect(community)


@require_POST
def answer_invitation(request, slug: str, invitation_id: int):
    community = _community_or_404(slug)
    if not selectors.invitation_exists(community=community, invitation_id=invitation_id):
        raise Http404("No such invitation.")
    accept = request.POST.get("decision") == "accept"
    action_run(
        request,
        lambda: services.invitation_answer(
            invitation_id=invitation_id, invitee=viewer_profile(request), accept=accept
        ),
        success=f"Welcome to {community.name}!" if accept else "Invitation declined.",
    )
    return redirect(community)


@require_GET
def similar(request):
    """htmx: on /groups/new/, existing groups like the one being written ("a similar group exists")."""
    found = selectors.similar_groups(
        name=request.GET.get("name", "")[:200], description=request.GET.get("description", "")[:2000]
    )
    return render(request, "communities/_similar.html", {"similar": found})
