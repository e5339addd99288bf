"""A SCIM client as the identity provider drives Hive: a token, and requests with it."""

import json

import pytest

from provisioning import services


@pytest.fixture
def key(db):
    _, key = services.token_create(name="Entra ID", created_by=None)
    return key


@pytest.fixture
def scim(client, key):
    def call(method, path, body=None, *, token=None):
        return client.generic(
            method,
            f"/scim/v2/{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {token or key}",
        )

    return call
