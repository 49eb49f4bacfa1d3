"""Least privilege in CI, read from the workflows themselves (test_forms.py checks them against
GitHub's schema): read-only tokens unless a job needs more, and only where no pull request
runs; no secrets and no pull_request_target for pull requests; deployment from main only;
issue text never written into a script; no job keeps git credentials it does not need."""
import re

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
READ_ONLY = {"read", "none"}
# The jobs that may write, and what: Pages deployment; a pull request opened from an approved issue.
MAY_WRITE = {("pages.yml", "deploy"): {"pages", "id-token"},
             ("from-issue.yml", "record"): {"contents", "pull-requests", "issues"}}


def load(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    return workflow, triggers if isinstance(triggers, dict) else {name: None for name in ([triggers] if isinstance(triggers, str) else triggers)}


def written(permissions) -> set:
    if permissions in (None, {}, "read-all"):
        return set()
    if permissions == "write-all":
        return {"everything"}
    return {scope for scope, level in permissions.items() if level not in READ_ONLY}


def steps(workflow):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_the_workflows_are_all_here():
    assert {path.name for path in WORKFLOWS} == {"ci.yml", "pages.yml", "from-issue.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_tokens_are_read_only_unless_a_job_needs_more(path):
    workflow, triggers = load(path)
    assert "permissions" in workflow, "every workflow states its token's permissions at the top"
    assert written(workflow["permissions"]) == set(), "the top level is read-only; a job asks for what it needs"
    for name, job in workflow["jobs"].items():
        assert written(job.get("permissions")) <= MAY_WRITE.get((path.name, name), set()), name
        if written(job.get("permissions")):
            assert not {"pull_request", "pull_request_target"} & set(triggers), "no write token where a pull request runs"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_pull_requests_get_no_secrets_and_never_run_with_the_base_repositorys_rights(path):
    workflow, triggers = load(path)
    assert "pull_request_target" not in triggers
    if "pull_request" in triggers:
        assert "secrets." not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_deployment_runs_from_main_only(path):
    workflow, triggers = load(path)
    deploying = {name for name, job, step in steps(workflow) if str(step.get("uses", "")).startswith("actions/deploy-pages")}
    for name in deploying | ({name for name, job in workflow["jobs"].items() if "pages" in written(job.get("permissions"))}):
        assert set(triggers) <= {"push", "workflow_dispatch"}, "deployed only by a push or by hand"
        assert (triggers.get("push") or {}).get("branches") == ["main"]
        needs = workflow["jobs"][name].get("needs", [])
        for job_name in [name, *([needs] if isinstance(needs, str) else needs)]:  # and the build it deploys
            assert re.fullmatch(r"github\.ref == 'refs/heads/main'", workflow["jobs"][job_name].get("if", "")), \
                f"{job_name}: a manual run from another branch must not deploy"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_expression_is_written_into_a_script(path):
    """${{ github.event.issue.body }} in a run: script is the submitter's text run as shell code;
    values reach scripts through env: instead."""
    workflow, _ = load(path)
    for name, job, step in steps(workflow):
        assert "${{" not in str(step.get("run", "")), f"{name}: {step.get('name') or step['run'][:40]}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkout_keeps_no_credentials(path):
    """The job that pushes (from-issue) hands git the token in that step alone (gh auth setup-git)."""
    workflow, _ = load(path)
    checkouts = [(name, step) for name, job, step in steps(workflow) if str(step.get("uses", "")).startswith("actions/checkout")]
    assert checkouts
    for name, step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, name


def test_the_issue_text_reaches_kb_through_the_environment_and_a_file():
    workflow, _ = load(ROOT / ".github" / "workflows" / "from-issue.yml")
    record = [step for step in workflow["jobs"]["record"]["steps"] if ".venv/bin/kb from-issue" in str(step.get("run", ""))]
    assert len(record) == 1 and record[0]["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert '"$BODY" >' in record[0]["run"]
    pushing = [step for step in workflow["jobs"]["record"]["steps"] if "git push" in str(step.get("run", ""))]
    assert len(pushing) == 1 and "gh auth setup-git" in pushing[0]["run"] and "GH_TOKEN" in pushing[0]["env"]
