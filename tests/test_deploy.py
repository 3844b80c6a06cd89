"""The production deployment files, checked statically: no Docker engine, Elasticsearch or
Kibana runs here, so every mistake these tests can see is one an operator would otherwise meet
on the first ``docker compose up`` or the first Kibana import."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from search.es.schema import DEFAULT_PREFIX, MAPPINGS, IndexNames
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
# Short volume syntax SOURCE:TARGET[:MODE], where SOURCE may be ${VAR:-default} with a colon.
MOUNT = re.compile(r"(?P<source>\$\{[^}]*\}|[^:]+):(?P<target>[^:]+)(?::(?P<mode>.+))?")
SECRETS = {
    "ELASTIC_PASSWORD",
    "KIBANA_PASSWORD",
    "RASSEGNA_ES_PASSWORD",
    "KIBANA_ENCRYPTION_KEY",
    "REDIS_PASSWORD",
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


def test_the_compose_file_has_the_stack_services_and_no_version_key() -> None:
    assert "version" not in compose()
    assert {"certs", "elasticsearch", "kibana", "setup", "crawler"} <= set(services())


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


def test_the_start_up_order_ends_with_the_crawler_after_setup() -> None:
    order = depends_on(services()["crawler"])
    assert order == {"setup": "service_completed_successfully"}
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


def test_crawler_and_setup_are_built_from_the_repository_with_the_deploy_dockerfile() -> None:
    for name in ("crawler", "setup"):
        build = services()[name]["build"]
        assert build == {"context": "..", "dockerfile": "deploy/Dockerfile"}, name
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    assert services()["crawler"]["command"] == ["run"]
    assert services()["setup"]["command"] == ["es-setup"]


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
    assert env["ELASTICSEARCH_URL"].startswith("https://")
    assert env["RASSEGNA_DATA_DIR"] == "/data"
    assert ("rassegna-data", "/data") in set(volume_mounts(services()["crawler"]))
    for name in ("crawler", "setup"):
        ca = environment(services()[name])["ELASTICSEARCH_CA_CERTS"]
        assert any(ca.startswith(target + "/") for _, target in volume_mounts(services()[name]))


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


def test_the_readme_names_only_real_services_and_volumes_and_describes_each_service() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(
        r"docker compose (?:logs(?: -f)?|restart|stop|start|run --rm|cp) ([a-z-]+)", text
    )
    assert commands
    for service in commands:
        assert service in services(), service
    for volume in re.findall(rf"\b{compose()['name']}_([a-z-]+):", text):
        assert volume in compose()["volumes"], volume
    for service in services():
        assert f"| `{service}` |" in text, f"{service} missing from the services table"
    assert "python -m pytest -m elasticsearch" in text
