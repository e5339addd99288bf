"""The leadership corner: what the members of "Leadership" posted, their events, and one button to
follow all of them."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.views import action_run, bad_cursor_400
from events import selectors
from feed import selectors as feed_selectors
from feed import services as feed_services
from profiles.selectors import viewer_profile


@bad_cursor_400
@require_GET
def leadership_corner(request):
    viewer = viewer_profile(request)
    team = selectors.leaders()
    leader_ids = [p.pk for p in team]
    page = feed_selectors.authors_feed_page(
        viewer=viewer, author_ids=leader_ids, cursor=request.GET.get("cursor"), memo=True
    )
    if request.headers.get("HX-Request"):
        return render(request, "feed/_post_page.html", {"page": page})
    followed = feed_selectors.followed_among(viewer=viewer, people_ids=leader_ids)
    others = [pk for pk in leader_ids if pk != viewer.pk]
    context = {
        "leaders": team,
        "page": page,
        "upcoming": selectors.events_upcoming(viewer=viewer, host_ids=leader_ids, limit=10),
        "past": selectors.events_past_page(viewer=viewer, cursor=None, size=5, host_ids=leader_ids).items,
        "follows_all": bool(others) and followed >= set(others),
    }
    return render(request, "events/leadership.html", context)


@require_POST
def leadership_follow(request):
    viewer = viewer_profile(request)
    follow = request.POST.get("follow") != "0"
    team = selectors.leaders()
    action_run(
        request,
        lambda: feed_services.follow_people_set(follower=viewer, followees=team, follow=follow),
        success=(
            (lambda n: f"You follow the leadership team: their posts come to your Home feed ({n} new).")
            if follow
            else "You no longer follow the leadership team."
        ),
    )
    return redirect("leadership")
