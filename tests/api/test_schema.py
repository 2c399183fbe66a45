"""The OpenAPI description: committed (docs/openapi.yaml, `make schema`), valid, complete, and served with local
assets only."""

from pathlib import Path

import yaml
from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_committed_schema_is_current(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--urlconf", "config.urls_tenant", "--file", str(fresh), "--validate")
    assert fresh.read_text() == COMMITTED.read_text(), "docs/openapi.yaml is stale: run `make schema` and commit it"


def test_every_operation_is_documented():
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), f"{where} has no summary"
            codes = set(operation["responses"])
            assert "401" in codes or path.startswith("/api/v1/schema") or "docs" in path, f"{where}: no 401"
            if "{id}" in path:
                assert "404" in codes, f"{where}: no 404"
            if method in {"post", "patch"} and not path.endswith("/archive/") and not path.endswith("/unarchive/"):
                assert "400" in codes, f"{where}: no 400"
            examples = [
                content.get("examples")
                for response in operation["responses"].values()
                for content in response.get("content", {}).values()
            ]
            assert any(examples), f"{where} has no example"


def test_the_docs_pages_load_nothing_from_a_cdn(client_a):
    for path in ("/api/v1/docs/", "/api/v1/docs/redoc/"):
        page = client_a.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn" not in html.lower() and "unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html
