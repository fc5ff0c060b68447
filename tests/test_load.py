"""`kg load` without a real store: chunking, URLs, credentials and errors, against a small local
HTTP server that answers as the test tells it (the real stores are in test_load_stores.py)."""

from __future__ import annotations

import base64
import http.server
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import StoreError
from kg.stores.http import Credentials, StoreClient, credentials_for
from kg.stores.load import (
    DEFAULT_GRAPH,
    LoadTarget,
    blank_node_units,
    chunked,
    finish_update,
    gsp_url,
    load,
    ntriples_lines,
    update_endpoint_beside,
)
from kg.stores.staging import staging_graph

SECRET = "s3cr3t-Pa55word-never-shown"


@dataclass
class Answer:
    status: int = 204
    body: bytes = b""
    needs_basic: tuple[str, str] | None = None  # (user, password) the server wants


@dataclass
class Recorder:
    answers: list[Answer] = field(default_factory=list)  # one per request; the last repeats
    requests: list[tuple[str, str, bytes, dict[str, str]]] = field(default_factory=list)
    # A small store behind the script: what the accepted requests put in each graph, which
    # the SPARQL queries at /query (not scripted, not in ``requests``) count.
    graphs: dict[str, set[str]] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)
    after_move: set[str] = field(default_factory=set)  # what "another MOVE" adds to the target

    def next_answer(self) -> Answer:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def accepted(self, method: str, path: str, body: bytes) -> None:
        """Apply a request the store said yes to."""
        text = body.decode("utf-8", "replace")
        if "graph=" in path:
            graph = urllib.parse.unquote(path.split("graph=", 1)[1])
            lines = {line for line in text.splitlines() if line.strip()}
            if method == "PUT":
                self.graphs[graph] = lines
            else:
                self.graphs.setdefault(graph, set()).update(lines)
            return
        for statement in text.split(";\n"):
            named = re.findall(r"<(urn:kg:staging:[^>]+|[^>]+)>", statement)
            if statement.startswith("MOVE"):
                moved = self.graphs.pop(named[0], set()) | self.after_move
                self.graphs[named[1] if len(named) > 1 else ""] = moved
            elif statement.startswith("ADD"):
                into = self.graphs.setdefault(named[1] if len(named) > 1 else "", set())
                into.update(self.graphs.get(named[0], set()))
            elif statement.startswith("DROP"):
                self.graphs.pop(named[0], None)
            elif statement.startswith("INSERT"):
                inside = statement.split("{\n", 1)[1].rsplit("} }", 1)[0]
                lines = {line for line in inside.splitlines() if line.strip()}
                self.graphs.setdefault(named[0], set()).update(lines)

    def answer_query(self, query: str) -> bytes:
        self.queries.append(query)
        if query.startswith("SELECT DISTINCT ?g"):
            prefix = re.search(r'STRSTARTS\(STR\(\?g\), "([^"]+)"\)', query)
            assert prefix is not None, query
            found = [g for g in sorted(self.graphs) if g.startswith(prefix.group(1))]
            rows = [{"g": {"type": "uri", "value": g}} for g in found]
        else:
            graph = re.search(r"GRAPH <([^>]+)>", query)
            count = len(self.graphs.get(graph.group(1) if graph else "", set()))
            rows = [{"n": {"type": "literal", "value": str(count)}}]
        return json.dumps({"head": {"vars": []}, "results": {"bindings": rows}}).encode()


@pytest.fixture
def store() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(answers=[Answer()])

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path.split("?")[0].endswith("/query"):
                form = urllib.parse.parse_qs(body.decode())
                answered = recorder.answer_query(form["query"][0])
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(answered)))
                self.end_headers()
                self.wfile.write(answered)
                return
            answer = recorder.next_answer()
            if answer.status == 599:  # answer too slowly for the client's timeout
                time.sleep(1.5)
                answer = Answer(204)
            if answer.needs_basic:
                user, password = answer.needs_basic
                token = base64.b64encode(f"{user}:{password}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {token}":
                    recorder.requests.append((self.command, self.path, body, dict(self.headers)))
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="store"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            recorder.requests.append((self.command, self.path, body, dict(self.headers)))
            if answer.status < 300:
                recorder.accepted(self.command, self.path, body)
            self.send_response(answer.status)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_PUT = do_POST = do_GET = _handle  # noqa: N815

        def do_HEAD(self) -> None:
            if recorder.answers[0].status == 599:  # "too slow" for the timeout test
                time.sleep(1.5)
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()


def client(**credentials: str) -> StoreClient:
    return StoreClient(Credentials(**credentials), timeout=5, sleep=lambda seconds: None)


def write_graph(tmp_path: Path, text: str, name: str = "g.nt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LIST_GRAPH = f"""\
<http://x/w> <http://purl.org/ontology/bibo/authorList> _:c1 .
_:c1 <{RDF}first> <http://x/a> .
_:c1 <{RDF}rest> _:c2 .
<http://x/w> <http://schema.org/name> "_:not a blank node" .
_:c2 <{RDF}first> <http://x/b> .
_:c2 <{RDF}rest> <{RDF}nil> .
"""


def test_triples_sharing_a_blank_node_are_one_unit_and_never_split(tmp_path: Path) -> None:
    lines = list(ntriples_lines([write_graph(tmp_path, LIST_GRAPH)]))
    units = blank_node_units(lines)
    assert [len(unit) for unit in units] == [5, 1]  # the list with its owner; the name alone
    chunks = list(chunked(lines, 2))
    # lines without blank nodes stream first; a unit larger than a chunk stays whole
    assert [len(chunk) for chunk in chunks] == [1, 5]
    assert sorted(line for chunk in chunks for line in chunk) == sorted(lines)


@pytest.mark.parametrize(
    ("line", "labels"),
    [
        ('<http://s> <http://p> "x _:y"@en .\n', []),
        ('<http://s> <http://p> "x _:y"^^<http://d> .\n', []),
        ('<http://s> <http://p> "x \\" _:y" .\n', []),
        ("<http://s> <http://p> <http://o/_:x> .\n", []),
        ('_:a <http://p> "_:b" .\n', ["_:a"]),
        ("_:a <http://p> _:b .\n", ["_:a", "_:b"]),
    ],
)
def test_blank_node_labels_are_never_read_out_of_literals_or_iris(
    line: str, labels: list[str]
) -> None:
    from kg.stores.load import _blank_labels

    assert _blank_labels(line) == labels


def test_blank_nodes_of_two_files_stay_two_nodes(tmp_path: Path) -> None:
    one = write_graph(tmp_path, "_:b <http://p> <http://o1> .\n", "one.nt")
    two = write_graph(tmp_path, "_:b <http://p> <http://o2> .\n", "two.nt")
    lines = list(ntriples_lines([one, two]))
    assert {line.split(" ")[0] for line in lines} == {"_:f1xb", "_:f2xb"}


def test_graph_store_urls_and_the_final_update() -> None:
    graph = "https://example.org/kg/dataset"
    assert (
        gsp_url("http://h/store", graph)
        == "http://h/store?graph=https%3A%2F%2Fexample.org%2Fkg%2Fdataset"
    )
    assert gsp_url("http://h/store", DEFAULT_GRAPH) == "http://h/store?default"
    assert (
        finish_update("urn:s", LoadTarget("http://h/store", graph)) == f"MOVE <urn:s> TO <{graph}>"
    )
    appended = finish_update("urn:s", LoadTarget("http://h/store", DEFAULT_GRAPH, append=True))
    assert appended == "ADD <urn:s> TO DEFAULT ;\nDROP SILENT GRAPH <urn:s>"
    beside = {
        "http://h:7878/store": "http://h:7878/update",
        "http://h:8890/sparql-graph-crud-auth": "http://h:8890/sparql-auth",
        "http://h:3030/kg/data": "http://h:3030/kg/update",
        "http://h:7200/repositories/kg/rdf-graphs/service": "http://h:7200/repositories/kg/statements",
    }
    for gsp, update in beside.items():
        assert update_endpoint_beside(LoadTarget(gsp, graph)) == update
    with pytest.raises(StoreError, match="name it with --update-endpoint"):
        update_endpoint_beside(LoadTarget("http://h/unknown", graph))


def test_without_an_update_endpoint_a_small_graph_is_one_put(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    result = load([graph_file], LoadTarget(f"{url}/gsp", "http://g"), client())
    assert [(m, p) for m, p, _, _ in recorder.requests] == [("PUT", "/gsp?graph=http%3A%2F%2Fg")]
    assert recorder.requests[0][3]["Content-Type"] == "application/n-triples"
    assert not result.staged
    with pytest.raises(StoreError, match="name it with --update-endpoint"):
        load([graph_file], LoadTarget(f"{url}/gsp", "http://g", chunk_triples=5), client())


def test_with_an_update_endpoint_every_load_is_staged_then_moved(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    single = load([graph_file], LoadTarget(f"{url}/store", "http://g"), client())
    assert single.staged and single.chunks == 1
    assert [m for m, _, _, _ in recorder.requests] == ["PUT", "POST"]
    recorder.requests.clear()
    result = load([graph_file], LoadTarget(f"{url}/store", "http://g", chunk_triples=5), client())
    assert result.staged and result.chunks == 2 and result.triples == 6
    methods = [(m, p.split("?")[0]) for m, p, _, _ in recorder.requests]
    assert methods == [("PUT", "/store"), ("POST", "/store"), ("POST", "/update")]
    staging = recorder.requests[0][1].split("graph=")[1]
    assert staging.startswith("urn%3Akg%3Astaging%3A")
    assert recorder.requests[1][1].split("graph=")[1] == staging  # both chunks into staging
    assert recorder.requests[2][2].decode().startswith("MOVE <urn:kg:staging:")
    assert recorder.requests[2][3]["Content-Type"] == "application/sparql-update"


def test_a_load_refuses_while_staging_graphs_of_earlier_loads_remain(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    """A killed load's staging graph (its MOVE may still be running on the store): no load into
    the same graph until `kg load --clean-staging`, which removes every kg staging graph."""
    url, recorder = store
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    killed = staging_graph("http://g")
    recorder.graphs[killed] = {"<http://x/s> <http://x/p> <http://x/o> ."}
    recorder.graphs[staging_graph("http://other")] = {"<http://x/s> <http://x/p> 1 ."}
    code, output = run_cli(
        ["load", str(graph_file), "--endpoint", f"{url}/store", "--graph", "http://g"], {}
    )
    assert code == 2
    assert (
        "Error: the store holds 1 staging graph(s) of earlier loads into this graph "
        f"(<{killed}>): one is still running, or was killed and the store may still be moving "
        "its graph into place; once no load is running, `kg load --clean-staging` removes them\n"
    ) in output
    assert recorder.requests == []  # nothing sent
    other = load([graph_file], LoadTarget(f"{url}/store", "http://elsewhere"), client())
    assert other.triples == 6  # loads into other graphs are not held up
    code, output = run_cli(["load", "--clean-staging", "--endpoint", f"{url}/store"], {})
    assert code == 0 and f"removed 2 staging graph(s) from {url}/store\n" in output
    assert not [g for g in recorder.graphs if g.startswith("urn:kg:staging:")]
    assert load([graph_file], LoadTarget(f"{url}/store", "http://g"), client()).triples == 6


def test_success_only_when_the_target_holds_what_was_loaded(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    """Something else (a killed load's MOVE the store finished late) changed the target."""
    url, recorder = store
    recorder.after_move = {"<http://x/late> <http://x/p> <http://x/o> ."}
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    with pytest.raises(StoreError) as raised:
        load([graph_file], LoadTarget(f"{url}/store", "http://g"), client())
    assert str(raised.value) == (
        "after the final MOVE <http://g> holds 7 triples, not the 6 loaded: something else "
        "changed it meanwhile (another load, or a killed one's MOVE the store was still "
        "running); load again once no other load is running"
    )


def test_a_failure_midway_drops_the_staging_graph_and_leaves_the_target(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    recorder.answers = [Answer(204), Answer(400, b"bad chunk"), Answer(204)]
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    with pytest.raises(StoreError, match="400 Bad Request: bad chunk"):
        load([graph_file], LoadTarget(f"{url}/store", "http://g", chunk_triples=5), client())
    sent = [(m, p.split("?")[0], b.decode()) for m, p, b, _ in recorder.requests]
    assert [s[:2] for s in sent] == [("PUT", "/store"), ("POST", "/store"), ("POST", "/update")]
    assert sent[2][2].startswith("DROP SILENT GRAPH <urn:kg:staging:")  # never MOVE


def test_update_protocol_sends_insert_data_chunks(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    target = LoadTarget(f"{url}/update", "http://g", protocol="update", chunk_triples=5)
    load([write_graph(tmp_path, LIST_GRAPH)], target, client())
    bodies = [b.decode() for _, _, b, _ in recorder.requests]
    assert bodies[0].startswith("DROP SILENT GRAPH <urn:kg:staging:")
    assert "INSERT { GRAPH <urn:kg:staging:" in bodies[0] and "_:f1xc1" in bodies[1]
    assert bodies[0].endswith("} } WHERE {}")
    assert bodies[1].startswith("INSERT {") and bodies[2].startswith("MOVE <urn:kg:staging:")


def test_server_errors_are_retried_then_reported(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    recorder.answers = [Answer(503), Answer(502), Answer(204)]
    load([write_graph(tmp_path, LIST_GRAPH)], LoadTarget(f"{url}/gsp", "http://g"), client())
    assert len(recorder.requests) == 3
    recorder.requests.clear()
    recorder.answers = [Answer(500, b"out of memory")]
    with pytest.raises(StoreError, match=r"failed 5 times: the store answered 500 .*out of memory"):
        load([write_graph(tmp_path, LIST_GRAPH)], LoadTarget(f"{url}/gsp", "http://g"), client())
    assert len(recorder.requests) == 5


def test_too_large_names_the_option(store: tuple[str, Recorder], tmp_path: Path) -> None:
    url, recorder = store
    recorder.answers = [Answer(413)]
    with pytest.raises(StoreError, match=r"413 the request is too large .* --chunk-triples"):
        load([write_graph(tmp_path, LIST_GRAPH)], LoadTarget(f"{url}/store", "http://g"), client())


def test_credentials_from_the_environment_or_netrc(tmp_path: Path) -> None:
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine store.example login alice password wonder\n", encoding="utf-8")
    netrc_file.chmod(0o600)
    env = {"NETRC": str(netrc_file)}
    assert credentials_for("http://store.example:8890/x", env) == Credentials("alice", "wonder")
    assert credentials_for("http://other.example/x", env) == Credentials()
    env_user = {**env, "KG_STORE_USER": "bob", "KG_STORE_PASSWORD": "pw"}
    assert credentials_for("http://store.example/x", env_user) == Credentials("bob", "pw")
    assert credentials_for("http://x/", {"KG_STORE_TOKEN": "t"}) == Credentials(token="t")


def run_cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.output + result.stderr


def test_basic_credentials_are_sent_and_never_shown(
    store: tuple[str, Recorder], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, recorder = store
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    recorder.answers = [Answer(needs_basic=("kg", SECRET))]
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    args = ["load", str(graph_file), "--endpoint", f"{url}/store", "--graph", "http://g"]
    code, output = run_cli(args, {"KG_STORE_USER": "kg", "KG_STORE_PASSWORD": SECRET})
    assert code == 0, output
    assert "6 triples loaded into <http://g> (1 chunk(s))" in output
    assert [status for status in recorder.requests[-1][3] if status == "Authorization"]
    assert SECRET not in output

    code, output = run_cli(args, {"KG_STORE_USER": "kg", "KG_STORE_PASSWORD": "wrong-" + SECRET})
    assert code == 2
    assert "401 Unauthorized: the credentials were refused" in output
    assert SECRET not in output

    code, output = run_cli(args, {})
    assert code == 2 and "no credentials were found: set KG_STORE_USER" in output


def test_bearer_token_is_sent_as_a_header(store: tuple[str, Recorder], tmp_path: Path) -> None:
    url, recorder = store
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    args = ["load", str(graph_file), "--endpoint", f"{url}/store", "--graph", "http://g"]
    code, output = run_cli(args, {"KG_STORE_TOKEN": SECRET})
    assert code == 0 and SECRET not in output
    assert recorder.requests[0][3]["Authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://kg:secret@127.0.0.1:1/store", "credentials in the endpoint URL are not accepted"),
        ("ftp://127.0.0.1/store", "not an http(s) endpoint address"),
        # The first request asks for staging graphs left by earlier loads, at the query endpoint.
        ("http://127.0.0.1:1/store", "cannot reach http://127.0.0.1:1/query: connection refused"),
    ],
)
def test_clear_errors_for_bad_endpoints(tmp_path: Path, endpoint: str, message: str) -> None:
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    code, output = run_cli(
        ["load", str(graph_file), "--endpoint", endpoint, "--graph", "http://g"], {}
    )
    assert code == 2
    assert f"Error: {message}" in output
    assert "secret" not in output and "Traceback" not in output


def test_the_target_graph_defaults_to_the_exported_dataset(
    store: tuple[str, Recorder], example_export: Path
) -> None:
    url, recorder = store
    code, output = run_cli(
        ["load", str(example_export / "graph.nt"), "--endpoint", f"{url}/store"], {}
    )
    assert code == 0, output
    # The export's own dataset: named after its first input, with a hash of all of them.
    found = re.search(r"loaded into <(https://example\.org/kg/dataset/peer-support-search-txt-"
                      r"[0-9a-f]{8})>", output)  # fmt: skip
    assert found, output
    move = recorder.requests[-1][2].decode()
    assert move.startswith("MOVE <urn:kg:staging:")
    assert move.endswith(f"TO <{found.group(1)}>")


def test_a_slow_store_is_a_timeout_and_a_wrong_path_a_404(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    recorder.answers = [Answer(599)]
    slow = StoreClient(Credentials(), timeout=0.5, sleep=lambda seconds: None)
    with pytest.raises(
        StoreError, match=r"no answer from http://127\.0\.0\.1:\d+/gsp within 0\.5 s"
    ):
        load([graph_file], LoadTarget(f"{url}/gsp", "http://g"), slow)
    recorder.answers = [Answer(404)]
    with pytest.raises(StoreError, match=r"PUT .*/gsp: 404 Not Found: check the endpoint address"):
        load([graph_file], LoadTarget(f"{url}/gsp", "http://g"), client())


def test_progress_line_shows_triples_and_rate(capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli._shared import progress_line

    show = progress_line()
    show(2_500)
    assert re.fullmatch(r"\rsent 2,500 triples \([\d,]+ triples/s\)", capsys.readouterr().err)


def test_load_into_a_local_store_replaces_and_kg_query_reads_it(
    example_export: Path, tmp_path: Path
) -> None:
    store_dir = tmp_path / "store"
    graph = str(example_export / "graph.nt")
    triples = sum(1 for _ in (example_export / "graph.nt").open(encoding="utf-8"))
    for _ in range(2):  # a reload replaces: the same count, not twice the author lists
        code, output = run_cli(["load", graph, "--store", str(store_dir)], {})
        assert code == 0, output
        assert re.search(
            rf"<https://example\.org/kg/dataset/[\w.-]+> in {re.escape(str(store_dir))} now "
            rf"holds {triples} triples",
            output,
        ), output
    code, output = run_cli(
        ["query", "--store", str(store_dir), "--example", "works-per-journal", "--format", "csv"],
        {},
    )
    assert code == 0, output
    assert "Mental Health Review Journal,1361-9322,1" in output
    code, output = run_cli(
        ["load", graph, "--store", str(store_dir), "--endpoint", "http://x/"], {}
    )
    assert code == 2 and "Error: name one store" in output


def test_a_redirect_is_refused_rather_than_followed_without_the_data(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    recorder.answers = [Answer(302)]  # urllib would re-send a POST as a GET with no body
    target = LoadTarget(f"{url}/update", "http://g", protocol="update")
    with pytest.raises(StoreError, match=r"answered 302 \(a redirect\); kg does not follow"):
        load([write_graph(tmp_path, LIST_GRAPH)], target, client(token=SECRET))
    assert [m for m, _, _, _ in recorder.requests] == ["POST", "POST"]  # the chunk, the DROP


def test_a_chunk_with_blank_nodes_is_not_sent_twice(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    """The store may have taken the chunk before failing to answer: sending it again would add
    its blank nodes a second time."""
    url, recorder = store
    recorder.answers = [Answer(204), Answer(502), Answer(204)]
    target = LoadTarget(f"{url}/store", "http://g", chunk_triples=1)
    with pytest.raises(StoreError, match="it is not retried, as the store may have done part"):
        load([write_graph(tmp_path, LIST_GRAPH)], target, client())
    sent = [(m, b.decode()) for m, _, b, _ in recorder.requests]
    # PUT (the name), POST (the list's five lines: 502), then only the DROP of the staging graph
    assert [m for m, _ in sent] == ["PUT", "POST", "POST"]
    assert sent[1][1].count("\n") == 5 and sent[2][1].startswith("DROP SILENT GRAPH")


def test_credentials_hidden_in_a_malformed_url_are_still_refused(tmp_path: Path) -> None:
    graph_file = write_graph(tmp_path, LIST_GRAPH)
    endpoint = f"http://bob:{SECRET}?@127.0.0.1:1/store"
    code, output = run_cli(
        ["load", str(graph_file), "--endpoint", endpoint, "--graph", "http://g"], {}
    )
    assert code == 2 and "Error: credentials in the endpoint URL are not accepted" in output
    assert SECRET not in output and "Traceback" not in output


def test_control_characters_in_a_store_error_are_not_echoed(
    store: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = store
    recorder.answers = [Answer(400, b"bad \x1b[31mred\x1b[0m request")]
    with pytest.raises(StoreError) as raised:
        load([write_graph(tmp_path, LIST_GRAPH)], LoadTarget(f"{url}/gsp", "http://g"), client())
    assert "\x1b" not in str(raised.value) and "bad [31mred [0m request" in str(raised.value)
