import pytest

from feed.models import Post


@pytest.mark.django_db
def test_author_posts_and_sees_it_in_feed(author_client):
    response = author_client.post("/", {"body": "Hello Hive"})
    assert response.status_code == 302
    page = author_client.get("/")
    assert page.status_code == 200
    assert "Hello Hive" in page.content.decode()
    assert Post.objects.count() == 1
