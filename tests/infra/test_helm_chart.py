"""helm/giamsat: what the rendered manifests promise (schemas are checked by .ci/helm-check.sh)."""

from __future__ import annotations

import base64

import yaml

from giamsat.core.config import PROJECT_ROOT
from tests.plugins.infra import CHART, QUEUES

FULL_VALUES = str(CHART / "ci" / "full-values.yaml")
HOOK = "helm.sh/hook"


def values() -> dict:
    return yaml.safe_load((CHART / "values.yaml").read_text())


def pod_specs(docs: dict) -> dict[tuple[str, str], dict]:
    specs = {}
    for key, doc in docs.items():
        if doc["kind"] in {"Deployment", "Job"}:
            specs[key] = doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            specs[key] = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        elif doc["kind"] == "Pod":
            specs[key] = doc["spec"]
    return specs


def only_container(spec: dict) -> dict:
    [container] = spec["containers"]
    return container


def test_chart_metadata_and_no_secret_in_default_values():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    assert all(value == "" for value in values()["secrets"].values())
    assert values()["existingSecret"] == ""


def test_default_render_has_every_component(chart):
    docs = chart.render()
    assert set(docs) == {
        ("Deployment", "giamsat-web"),
        ("Service", "giamsat-web"),
        ("PodDisruptionBudget", "giamsat-web"),
        ("Deployment", "giamsat-worker-default"),
        ("Deployment", "giamsat-worker-heavy"),
        ("Deployment", "giamsat-scheduler"),
        ("ConfigMap", "giamsat"),
        ("Secret", "giamsat"),
        ("ConfigMap", "giamsat-migrate"),
        ("Secret", "giamsat-migrate"),
        ("Job", "giamsat-migrate"),
        ("Pod", "giamsat-test-readyz"),
    }
    api_versions = {doc["kind"]: doc["apiVersion"] for doc in docs.values()}
    assert api_versions["Deployment"] == "apps/v1"
    assert api_versions["PodDisruptionBudget"] == "policy/v1"


def test_full_render_adds_ingress_and_hpa_and_uses_the_existing_secret(chart):
    docs = chart.render("-f", FULL_VALUES)
    assert docs["Ingress", "giamsat-web"]["apiVersion"] == "networking.k8s.io/v1"
    hpa = docs["HorizontalPodAutoscaler", "giamsat-web"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "giamsat-web"
    # The HPA owns the replica count; a fixed one would fight it at every upgrade.
    assert "replicas" not in docs["Deployment", "giamsat-web"]["spec"]
    assert not [key for key in docs if key[0] == "Secret"]
    for key, spec in pod_specs(docs).items():
        if key[0] == "Pod":
            continue
        refs = [e["secretRef"]["name"] for e in only_container(spec)["envFrom"] if "secretRef" in e]
        assert refs == ["giamsat-env"], key


def test_every_pod_is_non_root_with_a_read_only_root_and_tmp(chart):
    for key, spec in pod_specs(chart.render("-f", FULL_VALUES)).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, key
        assert spec["automountServiceAccountToken"] is False, key
        container = only_container(spec)
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, key
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, key
        assert container["resources"].get("requests") or key[1] == "giamsat-worker-ocr", key
        if key[0] != "Pod":
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], key
            [tmp] = [v for v in spec["volumes"] if v["name"] == "tmp"]
            assert "emptyDir" in tmp, key


def test_app_containers_run_entrypoint_roles(chart, roles):
    docs = chart.render()
    for key, spec in pod_specs(docs).items():
        if key[0] != "Pod":
            assert only_container(spec)["args"][0] in roles, key
    assert only_container(pod_specs(docs)["Job", "giamsat-migrate"])["args"] == ["migrate"]


def test_web_probes(chart):
    container = only_container(
        chart.render()["Deployment", "giamsat-web"]["spec"]["template"]["spec"]
    )
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["port"] == "http"


def test_one_worker_deployment_per_queue_group(chart):
    docs = chart.render()
    groups = values()["workers"]
    for group, worker in groups.items():
        deployment = docs["Deployment", f"giamsat-worker-{group}"]
        assert deployment["spec"]["replicas"] == worker["replicas"]
        container = only_container(deployment["spec"]["template"]["spec"])
        assert container["args"] == ["worker", *worker["queues"]]
    served = {q for worker in groups.values() for q in worker["queues"]}
    assert served == QUEUES


def test_worker_groups_come_from_values(chart):
    docs = chart.render(
        "--set", "workers.heavy=null", "--set", "workers.mail.queues={notifications}"
    )
    assert ("Deployment", "giamsat-worker-heavy") not in docs
    mail = docs["Deployment", "giamsat-worker-mail"]["spec"]["template"]["spec"]
    assert only_container(mail)["args"] == ["worker", "notifications"]


def test_bad_worker_group_is_refused_with_a_clear_message(chart):
    result = chart.run("--set", "workers.Heavy_OCR.queues={ocr}")
    assert result.returncode != 0
    assert "workers.Heavy_OCR" in result.stderr
    result = chart.run("--set", "workers.empty.replicas=1")
    assert result.returncode != 0
    assert "workers.empty.queues" in result.stderr


def test_backup_cronjob_writes_every_tenant_to_the_claimed_volume(chart, roles):
    assert ("CronJob", "giamsat-backup") not in chart.render()  # off until a volume is named
    cron = chart.render("-f", FULL_VALUES)["CronJob", "giamsat-backup"]
    assert cron["apiVersion"] == "batch/v1"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert cron["spec"]["timeZone"] == "Asia/Ho_Chi_Minh"
    spec = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never"
    container = only_container(spec)
    assert container["args"] == ["backup", "--output-dir", "/backups", "--keep", "30"]
    assert container["args"][0] in roles
    assert {"name": "backups", "mountPath": "/backups"} in container["volumeMounts"]
    [volume] = [v for v in spec["volumes"] if v["name"] == "backups"]
    assert volume["persistentVolumeClaim"] == {"claimName": "giamsat-backups"}


def test_backup_without_a_volume_is_refused_with_a_clear_message(chart):
    result = chart.run("--set", "backup.enabled=true")
    assert result.returncode != 0
    assert "backup.persistence.existingClaim" in result.stderr


def test_scheduler_is_a_single_recreated_pod(chart):
    spec = chart.render()["Deployment", "giamsat-scheduler"]["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "Recreate"}


def test_migrate_hook_runs_first_on_hook_copies_of_its_settings(chart):
    docs = chart.render()
    job = docs["Job", "giamsat-migrate"]
    assert job["metadata"]["annotations"][HOOK] == "pre-install,pre-upgrade"
    job_weight = int(job["metadata"]["annotations"]["helm.sh/hook-weight"])
    refs = only_container(job["spec"]["template"]["spec"])["envFrom"]
    for kind, name in (
        ("ConfigMap", refs[0]["configMapRef"]["name"]),
        ("Secret", refs[1]["secretRef"]["name"]),
    ):
        # Pre-install hooks run before the release's own resources exist.
        annotations = docs[kind, name]["metadata"]["annotations"]
        assert annotations[HOOK] == "pre-install,pre-upgrade", (kind, name)
        assert int(annotations["helm.sh/hook-weight"]) < job_weight
    assert docs["ConfigMap", "giamsat-migrate"]["data"] == docs["ConfigMap", "giamsat"]["data"]


def test_migrate_applies_manifests_given_with_set_file(chart):
    manifest = PROJECT_ROOT / "tenants" / "ninh-binh.toml"
    docs = chart.render("--set-file", f"tenants.manifests.ninh-binh\\.toml={manifest}")
    tenants = docs["ConfigMap", "giamsat-tenants"]
    assert tenants["metadata"]["annotations"][HOOK] == "pre-install,pre-upgrade"
    assert tenants["data"]["ninh-binh.toml"].strip() == manifest.read_text().strip()
    spec = docs["Job", "giamsat-migrate"]["spec"]["template"]["spec"]
    container = only_container(spec)
    [tenants_dir] = [e["value"] for e in container["env"] if e["name"] == "GIAMSAT_TENANTS_DIR"]
    [mount] = [m for m in container["volumeMounts"] if m["name"] == "tenants"]
    assert mount["mountPath"] == tenants_dir
    [volume] = [v for v in spec["volumes"] if v["name"] == "tenants"]
    assert volume["configMap"]["name"] == "giamsat-tenants"


def test_without_manifests_the_image_ones_are_used(chart):
    docs = chart.render()
    assert ("ConfigMap", "giamsat-tenants") not in docs
    container = only_container(docs["Job", "giamsat-migrate"]["spec"]["template"]["spec"])
    assert "GIAMSAT_TENANTS_DIR" not in {e["name"] for e in container.get("env", [])}


def test_bad_manifest_file_name_is_refused(chart):
    result = chart.run("--set", "tenants.manifests.notes=x")
    assert result.returncode != 0
    assert "must be a file name ending in .toml" in result.stderr


def test_settings_changes_restart_the_pods(chart):
    def checksums(*args):
        template = chart.render(*args)["Deployment", "giamsat-web"]["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        return annotations["checksum/config"], annotations["checksum/secret"]

    config, secret = checksums()
    assert checksums() == (config, secret)
    assert checksums("--set", "config.GIAMSAT_DEFAULT_LOCALE=en")[0] != config
    assert checksums("--set", "secrets.GIAMSAT_MASTER_KEYS=k")[1] != secret


def test_secret_holds_given_values_and_a_generated_session_key(chart):
    def data(*args):
        return {
            k: base64.b64decode(v).decode()
            for k, v in chart.render(*args)["Secret", "giamsat"]["data"].items()
        }

    generated = data()
    assert set(generated) == {"GIAMSAT_SECRET_KEY"}
    assert len(generated["GIAMSAT_SECRET_KEY"]) >= 32
    given = data(
        "--set",
        "secrets.GIAMSAT_SECRET_KEY=s3cr3t",
        "--set",
        "secrets.GIAMSAT_REDIS_URL=redis://r:6379/0",
    )
    assert given == {"GIAMSAT_SECRET_KEY": "s3cr3t", "GIAMSAT_REDIS_URL": "redis://r:6379/0"}


def test_helm_test_pod_checks_readyz_on_the_web_service(chart):
    docs = chart.render()
    pod = docs["Pod", "giamsat-test-readyz"]
    assert pod["metadata"]["annotations"][HOOK] == "test"
    script = " ".join(only_container(pod["spec"])["command"])
    port = docs["Service", "giamsat-web"]["spec"]["ports"][0]["port"]
    assert f"http://giamsat-web:{port}/readyz" in script


def test_ingress_host_set_on_the_command_line_serves_the_whole_site(chart):
    docs = chart.render(
        "--set",
        "web.ingress.enabled=true",
        "--set",
        "web.ingress.hosts[0].host=giamsat.ninhbinh.example",
    )
    [rule] = docs["Ingress", "giamsat-web"]["spec"]["rules"]
    assert rule["host"] == "giamsat.ninhbinh.example"
    [path] = rule["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/", "Prefix")
    assert path["backend"]["service"] == {"name": "giamsat-web", "port": {"name": "http"}}
