"""The production deployment files, checked statically: no Docker engine, Elasticsearch or
Kibana runs here, so every mistake these tests can see is one an operator would otherwise meet
on the first ``docker compose up`` or the first Kibana import."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.app.cli import _parser
from search.es.schema import DEFAULT_PREFIX, MAPPINGS, IndexNames
from search.files.data_dir import DataDir
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
NDJSON = ROOT / "search" / "es" / "kibana.ndjson"
SCRIPTS = sorted((DEPLOY / "scripts").glob("*.sh"))

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; "$${" is a literal "$".
VARIABLE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")
ONE_SHOT = {"certs", "security", "setup"}
RASSEGNA_SERVICES = ("setup", "crawler", "serve")
"""The services that run the rassegna image, whose entrypoint is ``rassegna``."""
# Short volume syntax SOURCE:TARGET[:MODE], where SOURCE may be ${VAR:-default} with a colon.
MOUNT = re.compile(r"(?P<source>\$\{[^}]*\}|[^:]+):(?P<target>[^:]+)(?::(?P<mode>.+))?")
SECRETS = {
    "ELASTIC_PASSWORD",
    "KIBANA_PASSWORD",
    "RASSEGNA_ES_PASSWORD",
    "KIBANA_ENCRYPTION_KEY",
    "REDIS_PASSWORD",
    "RASSEGNA_SECRET_KEY",
}


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """``depends_on`` in either syntax, as {service: condition}."""
    raw = service.get("depends_on", {})
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in raw.items()}


def volume_mounts(service: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(source, target) of each mount, short or long syntax."""
    for entry in service.get("volumes", []):
        if isinstance(entry, str):
            mount = MOUNT.fullmatch(entry)
            assert mount, entry
            yield mount["source"], mount["target"]
        else:
            yield entry.get("source", ""), entry["target"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment", {})
    if isinstance(raw, list):
        return dict(item.partition("=")[::2] for item in raw)
    return {name: str(value) for name, value in raw.items()}


def interpolated(text: str) -> str:
    """``text`` with each ${VAR...} replaced as Compose would, given the example settings."""
    values = env_example()

    def value(match: re.Match[str]) -> str:
        given = values.get(match["name"])
        if given or (given is not None and match["op"] in ("-", "?")):
            return given
        return match["arg"] if match["op"] in (":-", "-") else ""

    return VARIABLE.sub(value, text)


def command_line(service: dict[str, Any]) -> list[str]:
    """The service's ``command`` as the words Compose passes (a string is split like a shell)."""
    command = service["command"]
    if isinstance(command, str):
        return shlex.split(interpolated(command))
    return [interpolated(word) for word in command]


def parsed(argv: list[str], where: str) -> Any:
    """``argv`` parsed by the real ``rassegna`` parser; a usage error fails the test."""
    try:
        return _parser().parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"{where}: `rassegna {shlex.join(argv)}` does not parse (exit {exc.code})")


def test_the_compose_file_has_the_stack_services_and_no_version_key() -> None:
    assert "version" not in compose()
    assert {"certs", "elasticsearch", "kibana", "setup", "crawler", "serve"} <= set(services())


def test_every_dependency_names_a_service_with_a_valid_condition() -> None:
    for name, service in services().items():
        for target, condition in depends_on(service).items():
            assert target in services(), f"{name} depends on unknown {target}"
            assert condition in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }, (name, target)
            if condition == "service_healthy":
                assert "healthcheck" in services()[target], f"{target} has no healthcheck"
            if condition == "service_completed_successfully":
                assert target in ONE_SHOT, f"{target} is not a one-shot job"


def test_the_start_up_order_ends_with_the_crawler_and_the_desk_after_setup() -> None:
    for name in ("crawler", "serve"):
        assert depends_on(services()[name]) == {"setup": "service_completed_successfully"}, name
    assert depends_on(services()["setup"]) == {
        "elasticsearch": "service_healthy",
        "kibana": "service_healthy",
    }
    assert depends_on(services()["elasticsearch"])["certs"] == "service_completed_successfully"
    # Kibana cannot become healthy before its kibana_system password exists.
    assert depends_on(services()["kibana"])["security"] == "service_completed_successfully"


def test_every_named_volume_is_declared_and_every_bind_mount_exists() -> None:
    declared = set(compose()["volumes"])
    used = set()
    for name, service in services().items():
        for source, target in volume_mounts(service):
            assert target.startswith("/"), (name, target)
            default = VARIABLE.fullmatch(source)
            if default:  # ${VAR:-path}: the default must exist in the checkout
                source = default["arg"]
            if source.startswith((".", "/")):
                assert (DEPLOY / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"
                used.add(source)
    assert used == declared, "declared but unused volumes"


def test_stack_images_are_pinned_by_one_version_variable() -> None:
    for name in ("certs", "elasticsearch", "security", "kibana"):
        image = services()[name]["image"]
        assert image.startswith("docker.elastic.co/"), image
        assert image.endswith(":${STACK_VERSION}"), image
    assert env_example()["STACK_VERSION"].startswith("9."), "current major of the stack"


def test_the_rassegna_services_are_built_from_the_repository_with_the_deploy_dockerfile() -> None:
    for name in RASSEGNA_SERVICES:
        build = services()[name]["build"]
        assert build == {"context": "..", "dockerfile": "deploy/Dockerfile"}, name
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
        assert services()[name]["image"] == "rassegna:local", name


def test_the_rassegna_services_run_commands_the_cli_accepts() -> None:
    commands = {name: command_line(services()[name]) for name in RASSEGNA_SERVICES}
    assert [words[0] for words in commands.values()] == ["es-setup", "run", "serve"]
    for name, words in commands.items():
        parsed(words, f"the command of {name}")
    # The example keeps the PDF of the rassegna current: the image has Chromium for it.
    assert "pdf" in parsed(commands["crawler"], "crawler").formats
    # Without options `rassegna run` keeps its own defaults.
    assert parsed(["run"], "no CRAWLER_RUN_OPTIONS").formats == []


def test_one_shot_jobs_never_restart_and_services_restart_unless_stopped() -> None:
    for name, service in services().items():
        restart = service.get("restart")
        # An unquoted `no` is the YAML boolean false, which Compose rejects.
        assert isinstance(restart, str), f"{name}: restart must be a quoted string"
        assert restart == ("no" if name in ONE_SHOT else "unless-stopped"), name


def test_elasticsearch_is_a_secured_single_node_with_a_snapshot_repository() -> None:
    service = services()["elasticsearch"]
    env = environment(service)
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "true"
    assert env["xpack.security.http.ssl.enabled"] == "true"
    assert re.fullmatch(r"-Xms\$\{ES_HEAP:-\w+\} -Xmx\$\{ES_HEAP:-\w+\}", env["ES_JAVA_OPTS"])
    mounted = {target for _, target in volume_mounts(service)}
    assert env["path.repo"] in mounted
    for setting in ("key", "certificate", "certificate_authorities"):
        path = env[f"xpack.security.http.ssl.{setting}"]
        assert path.startswith("certs/"), path  # relative to config/, where `certs` is mounted
    assert "/usr/share/elasticsearch/config/certs" in mounted


def test_kibana_trusts_the_stack_ca_and_logs_in_as_kibana_system() -> None:
    env = environment(services()["kibana"])
    assert env["ELASTICSEARCH_HOSTS"] == "https://elasticsearch:9200"
    assert env["ELASTICSEARCH_USERNAME"] == "kibana_system"
    assert env["ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES"] == "config/certs/ca/ca.crt"


def test_the_crawler_gets_its_own_user_and_never_the_superuser_password() -> None:
    env = environment(services()["crawler"])
    assert env["ELASTICSEARCH_USERNAME"] == "rassegna"
    assert "ELASTIC_PASSWORD" not in json.dumps(services()["crawler"])
    assert "RASSEGNA_SECRET_KEY" not in json.dumps(services()["crawler"]), "the desk's only"
    assert env["ELASTICSEARCH_URL"].startswith("https://")
    assert env["RASSEGNA_DATA_DIR"] == "/data"
    assert ("rassegna-data", "/data") in set(volume_mounts(services()["crawler"]))
    for name in ("crawler", "setup"):
        ca = environment(services()[name])["ELASTICSEARCH_CA_CERTS"]
        assert any(ca.startswith(target + "/") for _, target in volume_mounts(services()[name]))


def test_the_desk_serves_the_crawlers_data_on_all_interfaces_of_its_container() -> None:
    serve, crawler = services()["serve"], services()["crawler"]
    args = parsed(command_line(serve), "serve")
    assert (args.command, args.host) == ("serve", "0.0.0.0")
    # The same data dir as the crawler: decisions, accounts, editions and snapshots are shared.
    assert ("rassegna-data", "/data") in set(volume_mounts(serve))
    assert ("rassegna-data", "/data") in set(volume_mounts(crawler))
    shared = ("ELASTICSEARCH_URL", "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD",
              "ELASTICSEARCH_CA_CERTS", "RASSEGNA_DATA_DIR", "RASSEGNA_SOURCES")  # fmt: skip
    for name in shared:
        assert environment(serve)[name] == environment(crawler)[name], name
    assert "ELASTIC_PASSWORD" not in json.dumps(serve)
    assert "REDIS" not in json.dumps(serve), "the desk needs no Redis"


def test_the_desk_is_published_on_the_loopback_address_by_default() -> None:
    serve = services()["serve"]
    port = parsed(command_line(serve), "serve").port
    (mapping,) = serve["ports"]
    published, _, container = mapping.rpartition(":")
    assert container == str(port)
    variable = VARIABLE.fullmatch(published)
    assert variable, "the published address comes from .env"
    assert variable["arg"].startswith("127.0.0.1:"), "private without a .env"
    assert env_example()[variable["name"]].startswith("127.0.0.1:"), "private by default"


def test_the_desk_signs_sessions_with_the_secret_from_env_that_the_app_reads() -> None:
    secret = VARIABLE.fullmatch(environment(services()["serve"])["RASSEGNA_SECRET_KEY"])
    assert secret
    assert secret["op"] == ":?", "required: no desk with a guessable key"
    assert 'os.environ.get("RASSEGNA_SECRET_KEY")' in (
        ROOT / "search" / "web" / "app.py"
    ).read_text(encoding="utf-8")


def test_the_desk_healthcheck_asks_python_for_a_login_page_the_app_has(tmp_path: Path) -> None:
    from crawler.sources import load_sources
    from search.web.app import create_app

    serve = services()["serve"]
    port = parsed(command_line(serve), "serve").port
    test = serve["healthcheck"]["test"]
    assert test[0] == "CMD"
    assert test[1] == "python", "the image has Python, not curl"
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/[\w/]*)", " ".join(test))
    assert url, test
    assert int(url[1]) == port
    rules = {rule.rule for rule in create_app(tmp_path, load_sources(None)).url_map.iter_rules()}
    assert url[2] in rules
    assert url[2] == "/accedi", "the one page that answers 200 without a session"


def test_the_crawler_reads_the_inbox_read_only() -> None:
    mounts = [m for m in services()["crawler"]["volumes"] if ":/inbox" in m]
    assert len(mounts) == 1
    mount = MOUNT.fullmatch(mounts[0])
    assert mount
    assert mount["mode"] == "ro"


def rassegna_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("crawler", "search", "enrichment")
        for path in sorted((ROOT / folder).rglob("*.py"))
    )


def test_every_variable_given_to_the_rassegna_image_is_one_the_code_reads() -> None:
    given = {name for service in RASSEGNA_SERVICES for name in environment(services()[service])}
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    given |= set(re.findall(r"\b(RASSEGNA_\w+)=", dockerfile))
    given -= {"TZ"}  # read by the C library and zoneinfo, not by name in our code
    code = rassegna_sources()
    unread = sorted(name for name in given if f'"{name}"' not in code)
    assert not unread, f"set for the container but read by no code: {unread}"


def compose_variables() -> list[re.Match[str]]:
    return list(VARIABLE.finditer(COMPOSE.read_text(encoding="utf-8")))


def test_env_example_defines_every_variable_without_a_default() -> None:
    defined = env_example()
    for match in compose_variables():
        if match["op"] in (None, ":?", "?"):
            assert match["name"] in defined, match[0]


def test_redis_requires_its_password_keeps_its_queue_and_is_what_the_workers_reach() -> None:
    redis = services()["redis"]
    command = redis["command"]
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    password = command[command.index("--requirepass") + 1]
    assert VARIABLE.fullmatch(password)["name"] == "REDIS_PASSWORD"
    assert environment(redis)["REDISCLI_AUTH"] == password  # for the healthcheck's redis-cli
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])
    assert ("redisdata", "/data") in set(volume_mounts(redis))
    assert [port.split(":")[-1] for port in redis["ports"]] == ["6379"]
    assert env_example()["REDIS_PORT"].startswith("127.0.0.1:"), "private by default"
    url = environment(services()["crawler"])["RASSEGNA_REDIS_URL"]
    assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD:\?[^}]+\}@redis:6379/0", url), url


def test_env_example_documents_every_variable_the_compose_file_reads() -> None:
    assert {m["name"] for m in compose_variables()} == set(env_example())
    text = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\$)\$(?![{$])\w", text), "use ${VAR}, or $$ for a literal $"


def test_env_example_holds_no_secret_and_the_stack_refuses_to_start_without_them() -> None:
    values = env_example()
    for name in SECRETS:
        assert values[name] == "", f"{name} must be empty in the example"
    required = {m["name"] for m in compose_variables() if m["op"] == ":?"}
    assert required == SECRETS


def test_the_dockerfile_runs_rassegna_as_a_non_root_user() -> None:
    lines = [
        line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    instructions = [line.split()[0] for line in lines if not line.startswith("#")]
    assert "FROM" in instructions
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    entrypoint = next(line for line in lines if line.startswith("ENTRYPOINT "))
    assert json.loads(entrypoint.removeprefix("ENTRYPOINT ")) == ["rassegna"]
    cmd = next(line for line in lines if line.startswith("CMD "))
    assert json.loads(cmd.removeprefix("CMD ")) == ["run"]


def test_the_image_installs_chromium_and_fonts_for_the_pdf_and_tells_the_code_where() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    runtime = text.rsplit("\nFROM ", 1)[1]  # the last stage: what the image ships
    installs = [line for line in runtime.splitlines() if "apt-get install" in line]
    assert len(installs) == 1
    (install,) = installs
    packages = set(install.split("apt-get install", 1)[1].split("&&")[0].split())
    assert {"chromium", "fonts-dejavu-core", "fonts-liberation", "--no-install-recommends"} <= (
        packages
    )
    assert "rm -rf /var/lib/apt/lists/*" in install, "no apt lists left in the layer"
    assert re.search(r"\bRASSEGNA_CHROMIUM=/usr/bin/chromium\b", runtime)
    assert 'os.environ.get("RASSEGNA_CHROMIUM")' in (
        ROOT / "search" / "render" / "pdf.py"
    ).read_text(encoding="utf-8")
    # Chromium needs more shared memory than Docker's default 64 MB wherever it prints.
    for name in ("crawler", "serve"):
        assert services()[name]["shm_size"], name


def test_the_dockerfile_copies_every_source_folder_the_package_is_built_from() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    copied = {
        source.rstrip("/")
        for line in text.splitlines()
        if line.startswith("COPY ") and "--from" not in line
        for source in line.split()[1:-1]
    }
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    package_dirs = setuptools.get("package-dir", {})
    for package in setuptools["packages"]:
        top = package.split(".")[0]
        folder = package_dirs.get(top, top)
        assert folder in copied, f"{package} is built from {folder}, not copied"
    assert {"pyproject.toml", "README.md"} <= copied
    # The Kibana objects ship inside the package: the image needs no copy of deploy/.
    assert "*.ndjson" in setuptools["package-data"]["search.es"]
    assert "RASSEGNA_KIBANA_OBJECTS" not in text


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_job_scripts_are_valid_bash(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_crawler_role_covers_the_product_index_names() -> None:
    script = (DEPLOY / "scripts" / "security.sh").read_text(encoding="utf-8")
    assert f"${{RASSEGNA_ES_PREFIX:-{DEFAULT_PREFIX}}}*" in script


# --- Kibana saved objects ---------------------------------------------------------------------

JSON_STRING_ATTRIBUTES = {
    "visState",
    "uiStateJSON",
    "panelsJSON",
    "optionsJSON",
    "mapStateJSON",
    "layerListJSON",
    "fields",
    "fieldAttrs",
    "fieldFormatMap",
    "runtimeFieldMap",
    "sourceFilters",
    "typeMeta",
}


@cache
def saved_objects() -> list[dict[str, Any]]:
    lines = NDJSON.read_text(encoding="utf-8").splitlines()
    assert lines
    assert all(line.strip() for line in lines), "one JSON object per line, no blank line"
    return [json.loads(line) for line in lines]


def by_id(object_id: str) -> dict[str, Any]:
    return next(o for o in saved_objects() if o["id"] == object_id)


def by_title(title: str) -> dict[str, Any]:
    return next(o for o in saved_objects() if o["attributes"]["title"] == title)


def search_source(saved: dict[str, Any]) -> dict[str, Any]:
    return json.loads(saved["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])


def field_mapping(name: str) -> dict[str, Any]:
    """The mapping of a field such as ``outlet.keyword``; KeyError when it does not exist."""
    head, _, sub = name.partition(".")
    mapping = MAPPINGS["properties"][head]
    return mapping["fields"][sub] if sub else mapping


def reference_names(saved: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {ref["name"]: ref for ref in saved["references"]}


def test_every_line_is_a_saved_object_with_a_unique_id_and_migration_versions() -> None:
    ids = [o["id"] for o in saved_objects()]
    assert len(ids) == len(set(ids))
    for saved in saved_objects():
        assert {"id", "type", "attributes", "references"} <= set(saved), saved["id"]
        # Declared versions make Kibana run only later migrations on import, not every one.
        assert re.fullmatch(r"\d+\.\d+\.\d+", saved["coreMigrationVersion"])
        assert re.fullmatch(r"\d+\.\d+\.\d+", saved["typeMigrationVersion"])


def test_every_reference_points_to_an_object_of_the_right_type_in_the_file() -> None:
    present = {(o["type"], o["id"]) for o in saved_objects()}
    for saved in saved_objects():
        names = [ref["name"] for ref in saved["references"]]
        assert len(names) == len(set(names)), saved["id"]
        for ref in saved["references"]:
            assert (ref["type"], ref["id"]) in present, (saved["id"], ref)


def test_json_string_attributes_parse() -> None:
    for saved in saved_objects():
        attributes = saved["attributes"]
        for name in JSON_STRING_ATTRIBUTES & set(attributes):
            assert isinstance(attributes[name], str), (saved["id"], name)
            json.loads(attributes[name])
        if "kibanaSavedObjectMeta" in attributes:
            search_source(saved)


def test_search_sources_name_their_data_view_through_a_reference() -> None:
    for saved in saved_objects():
        if "kibanaSavedObjectMeta" not in saved["attributes"] or saved["type"] == "dashboard":
            continue
        ref_name = search_source(saved)["indexRefName"]
        assert reference_names(saved)[ref_name]["type"] == "index-pattern", saved["id"]


def test_the_data_view_is_the_read_alias_with_the_publication_date_as_time_field() -> None:
    view = by_id("rassegna-items")
    assert view["type"] == "index-pattern"
    assert view["attributes"]["title"] == IndexNames().read_alias == "rassegna-items"
    assert view["attributes"]["timeFieldName"] == "date"
    assert field_mapping("date")["type"] == "date"
    for attribute in ("fieldAttrs", "fieldFormatMap"):
        for name in json.loads(view["attributes"][attribute]):
            field_mapping(name)


def test_the_saved_search_lists_topic_mentions_and_imports_newest_first() -> None:
    saved = by_title("menzioni LgNet2")
    assert saved["type"] == "search"
    query = search_source(saved)["query"]
    assert query["language"] == "kuery"
    assert "mentions" in query["query"]
    assert '"import"' in query["query"]
    assert field_mapping("mentions")["type"] == "integer"
    assert saved["attributes"]["columns"] == [
        "outlet",
        "title",
        "city",
        "category_label",
        "journalist",
        "audience",
    ]
    for column in saved["attributes"]["columns"]:
        field_mapping(column)
    assert saved["attributes"]["sort"] == [["date", "desc"]]


AGG_FIELD_TYPES = {
    "date_histogram": {"date"},
    "terms": {"keyword"},
    "sum": {"long", "integer"},
}


def test_visualizations_aggregate_existing_fields_of_the_right_type() -> None:
    visualizations = [o for o in saved_objects() if o["type"] == "visualization"]
    assert len(visualizations) == 3
    for saved in visualizations:
        state = json.loads(saved["attributes"]["visState"])
        assert state["title"] == saved["attributes"]["title"]
        metric_ids = {agg["id"] for agg in state["aggs"] if agg["schema"] == "metric"}
        for agg in state["aggs"]:
            field = agg["params"].get("field")
            if field is not None:
                assert field_mapping(field)["type"] in AGG_FIELD_TYPES[agg["type"]], agg
            if "orderBy" in agg["params"]:
                assert agg["params"]["orderBy"] in metric_ids
        for series in state["params"].get("seriesParams", []):
            assert series["data"]["id"] in metric_ids


def test_the_map_clusters_items_on_the_city_location() -> None:
    saved = by_id("rassegna-mappa-uscite")
    assert saved["type"] == "map"
    layers = json.loads(saved["attributes"]["layerListJSON"])
    data_layers = [layer for layer in layers if "indexPatternRefName" in layer["sourceDescriptor"]]
    assert data_layers
    for layer in data_layers:
        source = layer["sourceDescriptor"]
        assert field_mapping(source["geoField"])["type"] == "geo_point"
        assert source["geoField"] == "city_location"
        ref = reference_names(saved)[source["indexPatternRefName"]]
        assert ref == {"id": "rassegna-items", "name": ref["name"], "type": "index-pattern"}


def test_the_dashboard_shows_every_panel_through_a_reference() -> None:
    dashboard = by_title("Rassegna LgNet2")
    assert dashboard["type"] == "dashboard"
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    refs = reference_names(dashboard)
    shown = []
    for panel in panels:
        assert panel["gridData"]["i"] == panel["panelIndex"]
        assert panel["gridData"]["x"] + panel["gridData"]["w"] <= 48
        ref = refs[f"{panel['panelIndex']}:{panel['panelRefName']}"]
        assert ref["type"] == panel["type"]
        shown.append(by_id(ref["id"])["attributes"]["title"])
    assert sorted(shown) == sorted(
        [
            "Uscite nel tempo",
            "Uscite per città",
            "Uscite per categoria",
            "Audience per categoria",
            "menzioni LgNet2",
        ]
    )
    assert len(refs) == len(panels)


# --- The operator's guide --------------------------------------------------------------------

README = DEPLOY / "README.md"
COMPOSE_VERBS = ("exec", "run", "logs", "restart", "stop", "start", "cp")
# Options of those verbs that take a value (the next word), so it is not read as the service.
VALUED_OPTIONS = {"-e", "--env", "-v", "--volume", "-u", "--user", "-w", "--workdir",
                  "--entrypoint", "--name", "--index", "-p", "--publish"}  # fmt: skip
SHELL_OPERATORS = {"|", "||", "&", "&&", ";", ">", ">>", "<", "(", ")", "$("}


def code_lines(text: str) -> Iterator[str]:
    """The command lines of the ``sh`` blocks (continuations joined), then the inline code."""
    fences = re.MULTILINE | re.DOTALL  # fenced blocks, also indented under a list item
    for block in re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, flags=fences):
        yield from block.replace("\\\n", " ").splitlines()
    prose = re.sub(r"^[ \t]*```.*?^[ \t]*```", "", text, flags=fences)
    yield from re.findall(r"`([^`\n]+)`", prose)


def words(line: str) -> list[str]:
    """The words of a shell line, operators apart, each $VAR or $(...) replaced by ``1``."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return [re.sub(r"\$\(.*?\)|\$\{?\w+\}?", "1", word) for word in lexer]


@dataclass(frozen=True)
class ComposeCall:
    line: str
    verb: str
    options: dict[str, str | None]
    service: str
    args: list[str]


def compose_calls() -> Iterator[ComposeCall]:
    """Every ``docker compose VERB [OPTIONS] SERVICE[:PATH] [ARGS]`` in the README."""
    for line in code_lines(README.read_text(encoding="utf-8")):
        if "docker compose" not in line:
            continue
        try:
            tokens = words(line)
        except ValueError as exc:  # an unbalanced quote: the line would not run either
            pytest.fail(f"deploy/README.md: {line.strip()}: {exc}")
        for at in range(len(tokens) - 2):
            if tokens[at : at + 2] != ["docker", "compose"] or tokens[at + 2] not in COMPOSE_VERBS:
                continue
            rest = tokens[at + 3 :]
            options: dict[str, str | None] = {}
            while rest and rest[0].startswith("-"):
                option = rest.pop(0)
                options[option] = rest.pop(0) if option in VALUED_OPTIONS and rest else None
            if not rest:
                continue  # `docker compose logs -f`: every service
            args = []
            for word in rest[1:]:
                if word in SHELL_OPERATORS:
                    break
                args.append(word)
            yield ComposeCall(line, tokens[at + 2], options, rest[0], args)


def documented_rassegna_commands() -> list[tuple[str, list[str]]]:
    """(line, argv) of each ``rassegna`` command the README runs in a container."""
    found = []
    for call in compose_calls():
        if call.service not in RASSEGNA_SERVICES:
            continue
        if call.verb == "exec" and call.args[:1] == ["rassegna"]:
            found.append((call.line, call.args[1:]))
        elif (
            call.verb == "run"
            and call.options.get("--entrypoint", "rassegna") == "rassegna"
            and call.args  # no arguments: the service's own command, checked above
        ):
            found.append((call.line, call.args))
    return found


def test_the_readme_names_only_real_services_and_volumes_and_describes_each_service() -> None:
    text = README.read_text(encoding="utf-8")
    calls = list(compose_calls())
    assert len(calls) > 20
    for call in calls:
        service = call.service.partition(":")[0] if call.verb == "cp" else call.service
        if call.verb == "cp" and ":" not in call.service:
            continue  # `docker compose cp ./local SERVICE:PATH`
        assert service in services(), call.line
    for call in calls:
        for service in call.args if call.verb in ("restart", "stop", "start") else ():
            assert service in services(), call.line
    for volume in re.findall(rf"\b{compose()['name']}_([a-z-]+):", text):
        assert volume in compose()["volumes"], volume
    for service in services():
        assert f"| `{service}` |" in text, f"{service} missing from the services table"
    assert "python -m pytest -m elasticsearch" in text


def test_every_rassegna_command_in_the_readme_parses_with_the_real_command_line() -> None:
    commands = documented_rassegna_commands()
    for line, argv in commands:
        parsed(argv, f"deploy/README.md: {line.strip()}")
    shown = {" ".join(argv[:2]) if argv[0] in ("users", "review", "edition") else argv[0]
             for _, argv in commands}  # fmt: skip
    assert {
        "import",
        "status",
        "users add",
        "users list",
        "review list",
        "edition new",
        "edition approve",
        "edition send",
        "edition list",
        "edition show",
        "snapshot",
        "crawl",
    } <= shown


def test_the_readme_runs_the_commands_of_the_guide_in_a_container_that_has_their_files() -> None:
    """Imports read /inbox, editions and snapshots are under /data: the crawler mounts both."""
    crawler = {target for _, target in volume_mounts(services()["crawler"])}
    for line, argv in documented_rassegna_commands():
        for word in argv:
            if word.startswith("/inbox/") or word.startswith("/data/"):
                assert "/" + word.split("/")[1] in crawler, line
    for call in compose_calls():
        if call.verb == "cp" and ":" in call.service:
            service, _, path = call.service.partition(":")
            mounted = {target for _, target in volume_mounts(services()[service])}
            assert (
                path.startswith("/tmp/")
                or "/" + path.split("/")[1] in mounted
                or (service == "elasticsearch")
            ), call.line


def test_the_readme_describes_every_file_of_the_data_dir() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### The data volume\n", 1)[1].split("\n#", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    data_dir = DataDir(Path("/data"))
    names = [
        getattr(data_dir, name).name
        for name, value in vars(DataDir).items()
        if isinstance(value, property)
    ]
    assert len(names) >= 12
    for name in names:
        assert f"`{name}" in table, f"{name} missing from the data volume table"


# --- Backups of the data volume ----------------------------------------------------------------

ARCHIVE = DEPLOY / "scripts" / "data_archive.py"


def archive(
    action: str, data_dir: Path, *, stdin: bytes = b"", options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    """data_archive.py run the way the scripts run it: ``python -c CODE ACTION``."""
    return subprocess.run(
        [sys.executable, "-c", ARCHIVE.read_text(encoding="utf-8"), action, *options],
        input=stdin,
        capture_output=True,
        env={**os.environ, "RASSEGNA_DATA_DIR": str(data_dir)},
        check=False,
    )


@pytest.fixture
def live_data_dir(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A data dir whose desk database is in WAL mode with a writer still connected."""
    root = tmp_path / "data"
    data_dir = DataDir(root)
    data_dir.edition_files.joinpath("1").mkdir(parents=True)
    data_dir.edition_files.joinpath("1", "rassegna.pdf").write_bytes(b"%PDF-1.7 edizione")
    data_dir.archive.mkdir()
    data_dir.archive.joinpath("pages.warc.gz").write_bytes(b"WARC")
    accounts = sqlite3.connect(data_dir.accounts)
    accounts.execute("CREATE TABLE accounts (name TEXT)")
    accounts.execute("INSERT INTO accounts VALUES ('anna')")
    accounts.commit()
    accounts.close()
    data_dir.accounts.chmod(0o600)
    writer = sqlite3.connect(data_dir.desk)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE decisions (n INTEGER)")
    writer.executemany("INSERT INTO decisions VALUES (?)", [(n,) for n in range(500)])
    writer.commit()
    assert Path(f"{data_dir.desk}-wal").stat().st_size > 0, "the rows are still in the WAL"
    yield root, writer
    writer.close()


def test_the_backup_copies_live_databases_whole_and_skips_their_wal(
    live_data_dir: tuple[Path, sqlite3.Connection], tmp_path: Path
) -> None:
    root, _writer = live_data_dir
    done = archive("backup", root)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "unpacked"
    with tarfile.open(fileobj=io.BytesIO(done.stdout), mode="r:gz") as tar:
        names = tar.getnames()
        tar.extractall(target, filter="data")
    assert not [name for name in names if name.endswith(("-wal", "-shm"))]
    assert {"desk.sqlite", "accounts.sqlite", "editions/1/rassegna.pdf", "warc"} <= set(names)
    copy = sqlite3.connect(target / "desk.sqlite")
    assert copy.execute("SELECT count(*) FROM decisions").fetchone() == (500,)
    copy.close()
    assert (target / "accounts.sqlite").stat().st_mode & 0o777 == 0o600
    without = archive("backup", root, options=("--no-warc",))
    with tarfile.open(fileobj=io.BytesIO(without.stdout), mode="r:gz") as tar:
        assert not [name for name in tar.getnames() if name.startswith("warc")]


def test_the_restore_puts_the_archive_in_place_and_keeps_the_previous_data_aside(
    live_data_dir: tuple[Path, sqlite3.Connection], tmp_path: Path
) -> None:
    root, writer = live_data_dir
    backup = archive("backup", root).stdout
    writer.execute("INSERT INTO decisions VALUES (-1)")
    writer.commit()
    writer.close()
    (root / "newer.txt").write_text("after the backup")
    done = archive("restore", root, stdin=backup)
    assert done.returncode == 0, done.stderr
    assert not (root / "newer.txt").exists()
    assert not Path(f"{DataDir(root).desk}-wal").exists(), "no stale WAL beside the restored db"
    restored = sqlite3.connect(DataDir(root).desk)
    assert restored.execute("SELECT count(*) FROM decisions").fetchone() == (500,)
    restored.close()
    (aside,) = root.glob(".before-restore-*")
    assert (aside / "newer.txt").read_text() == "after the backup"
    # The next backup leaves the set-aside data out.
    again = archive("backup", root)
    with tarfile.open(fileobj=io.BytesIO(again.stdout), mode="r:gz") as tar:
        assert not [name for name in tar.getnames() if name.startswith(".before-restore")]


def test_the_restore_refuses_an_archive_that_writes_outside_the_data_dir(tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 0
        tar.addfile(info, io.BytesIO(b""))
    root = tmp_path / "data"
    root.mkdir()
    (root / "desk.sqlite").write_bytes(b"kept")
    done = archive("restore", root, stdin=evil.read_bytes())
    assert done.returncode != 0
    assert b"refusing" in done.stderr
    assert not (tmp_path / "outside.txt").exists()
    assert (root / "desk.sqlite").read_bytes() == b"kept", "nothing moved before the check"


def test_the_backup_scripts_are_documented_and_use_the_archive_helper() -> None:
    text = README.read_text(encoding="utf-8")
    for script in ("data-backup.sh", "data-restore.sh"):
        body = (DEPLOY / "scripts" / script).read_text(encoding="utf-8")
        assert "data_archive.py" in body, script
        assert f"scripts/{script}" in text, script
        assert (DEPLOY / "scripts" / script).stat().st_mode & 0o111, f"{script} not executable"
    assert "backups/" in (DEPLOY / ".gitignore").read_text(encoding="utf-8")
