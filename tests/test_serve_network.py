"""``serve`` makes no SERVICE call for a client unless started with ``--allow-network``: a real
Oxigraph server behind the front, a listener on 127.0.0.1 that counts the requests that reach
it (none may), and the control that the same query does reach it when the network is allowed.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cstograph import stores
from cstograph.stores.server import refused_query, start_server

from .test_query_safety import Listener
from .test_server import SERVE, stop

REFUSED = "would query the network: this server was started without --allow-network\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("front") / "store"
    stores.load_files(f"oxigraph:{location}", [])
    return location


@pytest.fixture(scope="module")
def guarded(store):
    with start_server(store) as running:
        yield running


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def ask(url: str, query: str, how: str = "get") -> tuple[int, str]:
    """Send ``query`` as the SPARQL protocol allows: GET, a form POST or a query POST."""
    headers = {"Accept": "application/sparql-results+json"}
    if how == "get":
        request = urllib.request.Request(
            f"{url}?{urllib.parse.urlencode({'query': query})}", headers=headers
        )
    elif how == "form":
        body = urllib.parse.urlencode({"query": query}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers)
    elif how == "encoded-key":
        body = ("%71uery=" + urllib.parse.quote(query)).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        request = urllib.request.Request(url, data=query.encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x a cst:State {{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "PREFIX cst: <https://w3id.org/cstograph/ontology#>\n"
    "ASK {{ ?x a cst:State FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
]


@pytest.mark.parametrize("how", ["get", "form", "encoded-key", "body"])
@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_the_front_refuses_service(guarded, listener, query, how):
    text = query.format(url=listener.url)
    status, body = ask(guarded.url, text, how)
    assert status == 403
    assert body.startswith("SERVICE ") and body.endswith(REFUSED)
    time.sleep(0.05)
    assert listener.count == 0


def test_the_front_answers_everything_else(guarded, graph):
    status, body = ask(guarded.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(graph)
    # a string or an IRI that says SERVICE is no call
    query = 'ASK { ?s ?p "SERVICE <http://127.0.0.1:1/>" } # SERVICE <http://127.0.0.1:1/>'
    assert ask(guarded.url, query, "body")[0] == 200
    # a whole graph streamed back (CONSTRUCT), through the same front
    remote = stores.open_graph(f"sparql:{guarded.url}", timeout=30)
    assert len(remote) == len(graph)


def test_from_is_read_from_the_store_not_fetched(guarded, listener):
    status, _ = ask(guarded.url, f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert status == 200
    assert listener.count == 0


def test_updates_are_still_refused_and_connections_kept_alive(guarded):
    connection = http.client.HTTPConnection(guarded.host, guarded.port, timeout=10)
    try:
        for _ in range(2):  # two requests on one connection
            connection.request(
                "POST",
                "/update",
                body=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                headers={"Content-Type": "application/sparql-update"},
            )
            response = connection.getresponse()
            response.read()
            assert response.status == 403
    finally:
        connection.close()


def test_with_allow_network_the_call_is_made(store, listener):
    # the control: the listener does see the request when the network is allowed
    with start_server(store, allow_network=True) as open_server:
        assert open_server.front is None
        ask(open_server.url, SERVICE_QUERIES[0].format(url=listener.url))
    assert listener.count >= 1


def test_the_serve_command_refuses_service(store, listener):
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--store", f"oxigraph:{store}", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(f"Serving oxigraph:{store} read-only at http://127.0.0.1:")
        assert process.stdout.readline() == "Ctrl-C to stop.\n"
        url = first.split(" at ", 1)[1].strip()
        status, body = ask(url, SERVICE_QUERIES[0].format(url=listener.url))
        assert (status, body) == (403, f"SERVICE <{listener.url}> {REFUSED}")
    finally:
        code, out, err = stop(process)
    assert (code, out, err) == (0, "Stopped.\n", "")
    assert listener.count == 0


def test_refused_query_reads_every_place_a_query_can_be():
    call = "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    encoded = urllib.parse.quote(call)
    assert refused_query(f"/query?query={encoded}")
    assert refused_query(f"/anything?x=1&query={encoded}")
    assert refused_query("/query", "application/x-www-form-urlencoded", f"query={encoded}".encode())
    assert refused_query("/query", "application/sparql-query; charset=utf-8", call.encode())
    assert refused_query("/query", "text/plain", call.encode())
    assert refused_query("/query?default-graph-uri=http://x/service") is None


def test_a_writable_server_refuses_service_in_updates_and_takes_uploads(tmp_path, listener):
    location = tmp_path / "writable"
    seed = tmp_path / "seed.nt"
    seed.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    stores.load_files(f"oxigraph:{location}", [seed], shipped=False)
    with start_server(location, read_only=False) as writable:
        update = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        form = urllib.parse.urlencode({"update": update}).encode()
        request = urllib.request.Request(
            writable.update_url,
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=20)
        assert info.value.code == 403
        upload = b"".join(b"<urn:x%d> <urn:y> <urn:z> .\n" % i for i in range(50_000))
        request = urllib.request.Request(
            writable.store_url + "?default",
            data=upload,
            headers={"Content-Type": "application/n-triples"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204)
        assert stores.triple_count(f"sparql:{writable.url}") == 50_001
    assert listener.count == 0
