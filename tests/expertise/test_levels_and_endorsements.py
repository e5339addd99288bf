"""Through the browser: levels on /skills/mine/, endorsing on a profile, what the profile shows."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from expertise.models import Endorsement, ProfileInterest, ProfileSkill
from tests.factories import ProfileFactory
from tests.helpers import client_for, endorse, lists, skill_item

pytestmark = pytest.mark.django_db

Level = ProfileSkill.Level
# The partial on someone's profile: skills and interests in one query, plus the latest endorsers.
PROFILE_PARTIAL_MAX_QUERIES = 2


def _levels(profile) -> dict[str, int]:
    return dict(ProfileSkill.objects.filter(content_object=profile).values_list("tag__name", "level"))


def _form(profile, **data) -> dict:
    """The edit form as the page submits it: current skills, levels, interests; then `data`."""
    items = ProfileSkill.objects.filter(content_object=profile).select_related("tag")
    form = {
        "skills": ", ".join(i.tag.name for i in items),
        "new_level": str(Level.PRACTISED),
        "interests": ", ".join(
            ProfileInterest.objects.filter(content_object=profile).values_list("tag__name", flat=True)
        ),
    }
    form.update({f"level_{i.tag_id}": str(i.level) for i in items})
    form.update(data)
    return form


# --- /skills/mine/: levels, removal, interests ----------------------------------------------------


def test_edit_page_shows_a_level_for_each_skill_and_the_interests(author_client, author):
    lists(author, "Python", level=Level.EXPERT, interests=("Running", "Chess"))
    python = skill_item(author, "Python")

    page = author_client.get("/skills/mine/").content.decode()

    assert f'<label for="id_level_{python.tag_id}">Python</label>' in page
    assert re.search(rf'name="level_{python.tag_id}"[^>]*>.*?<option value="4" selected>Expert', page, re.S)
    assert 'name="interests" value="Chess, Running"' in page


def test_person_sets_levels_adds_and_removes_skills_in_one_save(author_client, author):
    lists(author, "Python", "Go", "Rust")
    python, go, rust = (skill_item(author, n) for n in ("Python", "Go", "Rust"))

    response = author_client.post(
        "/skills/mine/",
        _form(
            author,
            skills="Python, Go, Rust, Kubernetes",
            new_level=str(Level.LEARNING),
            **{f"level_{python.tag_id}": "4", f"level_{go.tag_id}": "3", f"remove_{rust.tag_id}": "on"},
        ),
    )

    assert response.status_code == 302
    assert _levels(author) == {"Python": Level.EXPERT, "Go": Level.ADVANCED, "Kubernetes": Level.LEARNING}


def test_levels_are_shown_on_the_profile(client, author, colleague):
    lists(author, "Python", level=Level.EXPERT)
    lists(author, "Python", "Excel", level=Level.LEARNING)

    page = client_for(client, colleague).get(f"/people/{author.pk}/").content.decode()

    assert re.search(r">Python</a></span>\s*<span class=\"muted\">Expert</span>", page)
    assert re.search(r">Excel</a></span>\s*<span class=\"muted\">Learning</span>", page)


def test_a_level_outside_the_scale_is_a_clear_error_and_nothing_is_saved(author_client, author):
    lists(author, "Python")
    python = skill_item(author, "Python")

    response = author_client.post(
        "/skills/mine/", _form(author, skills="Python, Go", **{f"level_{python.tag_id}": "9"})
    )

    assert response.status_code == 200
    assert "Choose a level: Learning, Practised, Advanced or Expert." in response.content.decode()
    assert _levels(author) == {"Python": Level.PRACTISED}


def test_a_bad_interest_list_saves_no_skills_either(author_client, author):
    lists(author, "Python")

    response = author_client.post("/skills/mine/", _form(author, skills="Python, Go", interests="y" * 51))

    assert response.status_code == 200
    assert "an interest is at most 50 characters" in response.content.decode()
    assert _levels(author) == {"Python": Level.PRACTISED}


def test_interests_are_saved_and_shown_on_the_profile(client, author, colleague):
    client_for(client, author).post(
        "/skills/mine/", _form(author, skills="Python", interests="Running, board games")
    )

    page = client_for(client, colleague).get(f"/people/{author.pk}/").content.decode()

    assert re.findall(r'margin:\.15rem;font-size:\.9rem">([^<]+)</a>', page) == ["board games", "Running"]


# --- Endorsing from a profile ---------------------------------------------------------------------


def test_colleague_sees_an_endorse_button_and_the_owner_does_not(author_client, author, colleague):
    lists(author, "Python")
    lists(colleague, "Python")

    own = author_client.get(f"/people/{author.pk}/").content.decode()
    theirs = author_client.get(f"/people/{colleague.pk}/").content.decode()

    assert ">Endorse</button>" not in own
    assert ">Endorse</button>" in theirs
    assert 'aria-label="Endorse Colin Colleague for Python"' in theirs


def test_endorsing_without_javascript_goes_back_with_a_message(author_client, colleague):
    lists(colleague, "Python")
    item = skill_item(colleague, "Python")

    response = author_client.post(
        f"/skills/endorsements/{item.pk}/", {"next": f"/people/{colleague.pk}/"}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain == [(f"/people/{colleague.pk}/", 302)]
    assert "You endorsed Colin Colleague for Python." in page
    assert "Endorsed ✓ (undo)" in page
    assert skill_item(colleague, "Python").endorsement_count == 1


def test_endorsing_with_htmx_returns_the_skills_row_to_swap_in(author_client, colleague):
    lists(colleague, "Python")
    item = skill_item(colleague, "Python")

    response = author_client.post(f"/skills/endorsements/{item.pk}/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li id="skill-item-{item.pk}"')
    assert "1 endorsement<" in html
    assert "Endorsed ✓ (undo)" in html
    assert "Endorsed by <a" in html and ">you</a>" in html


def test_a_second_endorsement_gets_a_message_and_still_one_row(author_client, author, colleague):
    lists(colleague, "Python")
    endorse(author, colleague, "Python")
    item = skill_item(colleague, "Python")

    plain = author_client.post(f"/skills/endorsements/{item.pk}/", follow=True).content.decode()
    swapped = author_client.post(f"/skills/endorsements/{item.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert "You have already endorsed Colin Colleague for Python." in plain
    assert "You have already endorsed Colin Colleague for Python." in swapped
    assert Endorsement.objects.count() == 1
    assert skill_item(colleague, "Python").endorsement_count == 1


def test_endorsing_your_own_skill_through_the_endpoint_is_refused(author_client, author):
    lists(author, "Python")
    item = skill_item(author, "Python")

    response = author_client.post(f"/skills/endorsements/{item.pk}/", follow=True)

    assert "You can&#x27;t endorse your own skill." in response.content.decode()
    assert not Endorsement.objects.exists()


def test_withdrawing_from_the_profile_undoes_the_endorsement(author_client, author, colleague):
    lists(colleague, "Python")
    endorse(author, colleague, "Python")
    item = skill_item(colleague, "Python")

    response = author_client.post(f"/skills/endorsements/{item.pk}/withdraw/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert ">Endorse</button>" in html
    assert "0 endorsements" in html
    assert not Endorsement.objects.exists()
    assert skill_item(colleague, "Python").endorsement_count == 0


def test_endorsing_needs_a_post(author_client, colleague):
    lists(colleague, "Python")

    assert author_client.get(f"/skills/endorsements/{skill_item(colleague, 'Python').pk}/").status_code == 405
    assert not Endorsement.objects.exists()


def test_endorsing_a_skill_that_does_not_exist_says_so(author_client):
    response = author_client.post("/skills/endorsements/999999/", HTTP_HX_REQUEST="true")

    assert "That skill is no longer listed." in response.content.decode()


def test_next_pointing_at_another_site_is_ignored(author_client, colleague):
    lists(colleague, "Python")

    response = author_client.post(
        f"/skills/endorsements/{skill_item(colleague, 'Python').pk}/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == f"/people/{colleague.pk}/"


def test_no_endorse_button_on_the_skills_of_someone_who_left(author_client, colleague):
    lists(colleague, "Python")
    colleague.user.is_active = False
    colleague.user.save()

    page = author_client.get(f"/people/{colleague.pk}/").content.decode()

    assert ">Python</a>" in page
    assert ">Endorse</button>" not in page


def test_profile_names_the_latest_endorsers_and_counts_the_rest(author_client, colleague):
    lists(colleague, "Python")
    people = [ProfileFactory(display_name=f"Fan {n}") for n in range(5)]
    for person in people:
        endorse(person, colleague, "Python")

    page = author_client.get(f"/people/{colleague.pk}/").content.decode()

    assert "5 endorsements" in page
    shown = re.search(r"Endorsed by (.*?)</div>", page).group(1)
    assert re.findall(r">([^<]+)</a>", shown) == ["Fan 4", "Fan 3", "Fan 2"]
    assert shown.endswith(" and 2 more")


def test_two_endorsers_are_joined_with_and(author_client, colleague):
    lists(colleague, "Python")
    for name in ("Fan A", "Fan B"):
        endorse(ProfileFactory(display_name=name), colleague, "Python")

    page = author_client.get(f"/people/{colleague.pk}/").content.decode()

    shown = re.search(r"Endorsed by (.*?)</div>", page).group(1)
    assert re.sub(r"<[^>]+>", "", shown) == "Fan B and Fan A"


def test_profile_lists_skills_by_level_then_endorsements(author_client, colleague, outsider):
    lists(colleague, "Go", "Rust", level=Level.ADVANCED)
    lists(colleague, "Go", "Rust", "Excel", level=Level.LEARNING)
    endorse(outsider, colleague, "Rust")

    page = author_client.get(f"/people/{colleague.pk}/").content.decode()

    assert re.findall(r'<span class="tags"><a href="[^"]+">([^<]+)</a>', page) == ["Rust", "Go", "Excel"]


@pytest.mark.parametrize("amount", [1, 25])
def test_profile_partial_query_count_does_not_grow_with_skills_interests_or_endorsements(
    author, colleague, django_assert_max_num_queries, amount
):
    lists(
        colleague,
        *(f"Skill {n}" for n in range(amount)),
        interests=tuple(f"Hobby {n}" for n in range(amount)),
    )
    fans = [ProfileFactory() for _ in range(amount)]
    for item in ProfileSkill.objects.filter(content_object=colleague):
        Endorsement.objects.bulk_create([Endorsement(profile_skill=item, endorser=f) for f in fans])
        ProfileSkill.objects.filter(pk=item.pk).update(endorsement_count=amount)
    endorse(author, colleague, "Skill 0")
    request = RequestFactory().get(f"/people/{colleague.pk}/")
    template = Template("{% load expertise_tags %}{% profile_skills profile %}")

    with django_assert_max_num_queries(PROFILE_PARTIAL_MAX_QUERIES):
        html = template.render(Context({"profile": colleague, "viewer": author, "request": request}))

    assert html.count('<li id="skill-item-') == amount
    assert "Endorsed ✓ (undo)" in html
