"""Paths under /api/v1/ that no view answers still answer in the API's JSON error shape."""


def test_an_unknown_api_path_is_json_404(client_a, people, api_as):
    api = api_as(people["trainer"])
    for path in ("clients/-1.5e-72/", "clients/abc/", "no-such-thing/"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    assert "text/html" in client_a.get("/no-such-page/")["Content-Type"]
