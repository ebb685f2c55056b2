"""The docker CLI plugins and retired commands, by hand from each vendor's own CLI reference.

`docker_cli_data.py` adds these to what `docker --help` says, since a bare
docker client has no plugins: Compose, Buildx and Scout, `docker init` and
`docker debug`, and the retired `docker scan` and `docker sbom`. Each table
maps a command under the plugin ("" is the plugin itself) to:

- `usage`, from which the positional arguments are counted, unless `args`
  (`[min, max]`, max None for any) gives them from the plugin's source;
- `flags`, written `-f|--file=stringArray --dry-run`: a `=type` takes a
  value; the flags a subcommand inherits are in its list;
- `group` for a command with subcommands, `runnable` when it also runs by
  itself (`docker buildx history inspect [REF]`), and `stop_at_first_arg` when
  the options end at the first argument (what follows is a command to run).

A command whose flags are unknown has `"flags": None`: the linter then checks
its name only. Sources, at the commits read:

- Compose: docker/compose@f72979427042 `docs/reference/docker_compose*.yaml`
  (`usage`, `options`, `inherited_options`, hidden ones included; the subcommands
  listed under `cname`, plus the hidden `alpha` group, whose stale `dry-run`,
  `scale` and `watch` files are left out), `args` from `cmd/compose/*.go` (`Args:`).
- Buildx: docker/buildx@461836ba0fcb `docs/reference/buildx*.md` (usage block,
  options table), `args` and the hidden flags and commands from `commands/*.go`.
- Scout: docker/scout-cli@c7ac4ce317ea, every `docs/docker_scout*.yaml` (the
  root file's `cname` leaves out `sbom` and `stream`, which `docs/scout.md`
  lists); `compare`'s `args` by hand (its usage line starts with the `--to` flag).
- `docker init`: docker/docs@422713453c97 `data/cli/init/docker_init.yaml`;
  `docker debug`: docker/docs@21cf9336f1b0 `data/debug-cli/docker_debug.yaml`.
- Retired: `docker scan` was removed in April 2023 for `docker scout`
  (docker/scan-cli-plugin v0.26.0 release notes); the experimental `docker sbom`
  plugin's page, docs.docker.com/engine/sbom/, is now Docker Scout's SBOM page
  (an alias in docker/docs `content/manuals/scout/how-tos/view-create-sboms.md`).
"""

from __future__ import annotations

SOURCES = [
    "`docker compose`: docker/compose@f72979427042 docs/reference/docker_compose*.yaml and cmd/compose/*.go (by hand)",
    "`docker buildx` and BuildKit's `docker build` flags: docker/buildx@461836ba0fcb docs/reference/buildx*.md and "
    "commands/*.go (by hand)",
    "`docker scout`: docker/scout-cli@c7ac4ce317ea docs/docker_scout*.yaml (by hand)",
    "`docker init`, `docker debug`: docker/docs data/cli/init/docker_init.yaml@422713453c97 and "
    "data/debug-cli/docker_debug.yaml@21cf9336f1b0 (by hand)",
    "retired `docker scan` and `docker sbom`: docker/scan-cli-plugin v0.26.0 release notes; docker/docs "
    "content/manuals/scout/how-tos/view-create-sboms.md (alias /engine/sbom/) (by hand)",
]

COMPOSE: dict[str, dict] = {
    "": {"group": True, "flags": (
        "--all-resources --ansi=string --compatibility --dry-run --env-file=stringArray -f|--file=stringArray "
        "--insecure-registry=stringArray --no-ansi --parallel=int --profile=stringArray --progress=string --project-directory=string "
        "-p|--project-name=string --verbose -v|--version --workdir=string"
    )},
    "attach": {"usage": "docker compose attach [OPTIONS] SERVICE", "args": [1, None], "flags": (
        "--detach-keys=string --dry-run --index=int --no-stdin --sig-proxy"
    )},
    "bridge": {"group": True, "flags": "--dry-run"},
    "bridge convert": {"usage": "docker compose bridge convert", "args": [0, 0], "flags": (
        "--dry-run -o|--output=string --templates=string -t|--transformation=stringArray"
    )},
    "bridge transformations": {"group": True, "flags": "--dry-run"},
    "bridge transformations create": {"usage": "docker compose bridge transformations create [OPTION] PATH", "args": [1, 1], "flags": (
        "--dry-run -f|--from=string"
    )},
    "bridge transformations list": {"usage": "docker compose bridge transformations list", "args": [0, 0], "flags": (
        "--dry-run --format=string -q|--quiet"
    )},
    "build": {"usage": "docker compose build [OPTIONS] [SERVICE...]", "flags": (
        "--build-arg=stringArray --builder=string --check --compress --dry-run --force-rm -m|--memory=bytes --no-cache --no-rm "
        "--parallel --print --progress=string --provenance=string --pull --push -q|--quiet --sbom=string --ssh=string "
        "--with-dependencies"
    )},
    "commit": {"usage": "docker compose commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]", "args": [1, 2], "flags": (
        "-a|--author=string -c|--change=list --dry-run --index=int -m|--message=string -p|--pause"
    )},
    "config": {"usage": "docker compose config [OPTIONS] [SERVICE...]", "flags": (
        "--dry-run --environment --format=string --hash=string --images --lock-image-digests --models --networks --no-consistency "
        "--no-env-resolution --no-interpolate --no-normalize --no-path-resolution -o|--output=string --profiles -q|--quiet "
        "--resolve-image-digests --services --variables --volumes"
    )},
    "cp": {"usage": "docker compose cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH|-", "args": [2, 2], "flags": (
        "--all -a|--archive --dry-run -L|--follow-link --index=int"
    )},
    "create": {"usage": "docker compose create [OPTIONS] [SERVICE...]", "flags": (
        "--build --dry-run --force-recreate --no-build --no-recreate --pull=string --quiet-pull --remove-orphans --scale=stringArray "
        "-y|--yes"
    )},
    "down": {"usage": "docker compose down [OPTIONS] [SERVICES]", "args": [0, None], "flags": (
        "--dry-run --remove-orphans --rmi=string -t|--timeout=int -v|--volumes"
    )},
    "events": {"usage": "docker compose events [OPTIONS] [SERVICE...]", "flags": "--dry-run --json --since=string --until=string"},
    "exec": {"usage": "docker compose exec [OPTIONS] SERVICE COMMAND [ARGS...]", "args": [2, None], "stop_at_first_arg": True, "flags": (
        "-d|--detach --dry-run -e|--env=stringArray --index=int -i|--interactive -T|--no-tty --privileged -t|--tty -u|--user=string "
        "-w|--workdir=string"
    )},
    "export": {"usage": "docker compose export [OPTIONS] SERVICE", "args": [1, None], "flags": "--dry-run --index=int -o|--output=string"},
    "images": {"usage": "docker compose images [OPTIONS] [SERVICE...]", "flags": "--dry-run --format=string -q|--quiet"},
    "kill": {"usage": "docker compose kill [OPTIONS] [SERVICE...]", "flags": "--dry-run --remove-orphans -s|--signal=string"},
    "logs": {"usage": "docker compose logs [OPTIONS] [SERVICE...]", "flags": (
        "--dry-run -f|--follow --index=int --no-color --no-log-prefix --since=string -n|--tail=string -t|--timestamps --until=string"
    )},
    "ls": {"usage": "docker compose ls [OPTIONS]", "args": [0, 0], "flags": (
        "-a|--all --dry-run --filter=filter --format=string -q|--quiet"
    )},
    "pause": {"usage": "docker compose pause [SERVICE...]", "flags": "--dry-run"},
    "port": {"usage": "docker compose port [OPTIONS] SERVICE PRIVATE_PORT", "args": [2, None], "flags": (
        "--dry-run --index=int --protocol=string"
    )},
    "ps": {"usage": "docker compose ps [OPTIONS] [SERVICE...]", "flags": (
        "-a|--all --dry-run --filter=string --format=string --no-trunc --orphans -q|--quiet --services --status=stringArray"
    )},
    "publish": {"usage": "docker compose publish [OPTIONS] REPOSITORY[:TAG]", "args": [1, 1], "flags": (
        "--app --dry-run --insecure-registry --oci-version=string --resolve-image-digests --with-env -y|--yes"
    )},
    "pull": {"usage": "docker compose pull [OPTIONS] [SERVICE...]", "flags": (
        "--dry-run --ignore-buildable --ignore-pull-failures --include-deps --no-parallel --parallel --policy=string -q|--quiet"
    )},
    "push": {"usage": "docker compose push [OPTIONS] [SERVICE...]", "flags": "--dry-run --ignore-push-failures --include-deps -q|--quiet"},
    "restart": {"usage": "docker compose restart [OPTIONS] [SERVICE...]", "flags": "--dry-run --no-deps -t|--timeout=int"},
    "rm": {"usage": "docker compose rm [OPTIONS] [SERVICE...]", "flags": "-a|--all --dry-run -f|--force -s|--stop -v|--volumes"},
    "run": {"usage": "docker compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]", "args": [1, None], "stop_at_first_arg": True, "flags": (
        "--build --cap-add=list --cap-drop=list -d|--detach --dry-run --entrypoint=string -e|--env=stringArray "
        "--env-from-file=stringArray -i|--interactive -l|--label=stringArray --name=string --no-deps -T|--no-tty "
        "-p|--publish=stringArray --pull=string -q|--quiet --quiet-build --quiet-pull --remove-orphans --rm -P|--service-ports "
        "-t|--tty --use-aliases -u|--user=string -v|--volume=stringArray -w|--workdir=string"
    )},
    "scale": {"usage": "docker compose scale [SERVICE=REPLICAS...]", "args": [1, None], "flags": "--dry-run --no-deps"},
    "start": {"usage": "docker compose start [SERVICE...]", "flags": "--dry-run --wait --wait-timeout=int"},
    "stats": {"usage": "docker compose stats [OPTIONS] [SERVICE]", "args": [0, 1], "flags": (
        "-a|--all --dry-run --format=string --no-stream --no-trunc"
    )},
    "stop": {"usage": "docker compose stop [OPTIONS] [SERVICE...]", "flags": "--dry-run -t|--timeout=int"},
    "top": {"usage": "docker compose top [SERVICES...]", "flags": "--dry-run"},
    "unpause": {"usage": "docker compose unpause [SERVICE...]", "flags": "--dry-run"},
    "up": {"usage": "docker compose up [OPTIONS] [SERVICE...]", "flags": (
        "--abort-on-container-exit --abort-on-container-failure --always-recreate-deps --attach=stringArray --attach-dependencies "
        "--build -d|--detach --dry-run --exit-code-from=string --force-recreate --menu --no-attach=stringArray --no-build --no-color "
        "--no-deps --no-log-prefix --no-recreate --no-start --pull=string --quiet-build --quiet-pull --remove-orphans "
        "-V|--renew-anon-volumes --scale=stringArray -t|--timeout=int --timestamps --wait --wait-timeout=int -w|--watch -y|--yes"
    )},
    "version": {"usage": "docker compose version [OPTIONS]", "args": [0, 0], "flags": "--dry-run -f|--format=string --short"},
    "volumes": {"usage": "docker compose volumes [OPTIONS] [SERVICE...]", "flags": "--dry-run --format=string -q|--quiet"},
    "wait": {"usage": "docker compose wait SERVICE [SERVICE...] [OPTIONS]", "args": [1, None], "flags": "--down-project --dry-run"},
    "watch": {"usage": "docker compose watch [SERVICE...]", "flags": "--dry-run --no-up --prune --quiet"},
    "alpha": {"group": True, "flags": "--dry-run"},
    "alpha generate": {"usage": "docker compose alpha generate [OPTIONS] [CONTAINERS...]", "flags": (
        "--dry-run --format=string --name=string --project-dir=string"
    )},
    "alpha publish": {"usage": "docker compose alpha publish [OPTIONS] REPOSITORY[:TAG]", "args": [1, 1], "flags": (
        "--app --dry-run --insecure-registry --oci-version=string --resolve-image-digests --with-env -y|--yes"
    )},
    "alpha viz": {"usage": "docker compose alpha viz [OPTIONS]", "flags": (
        "--dry-run --image --indentation-size=int --networks --ports --spaces"
    )},
}

BUILDX_BUILD = (
        "--add-host=stringSlice --allow=stringArray --annotation=stringArray --attest=stringArray --build-arg=stringArray "
        "--build-context=stringArray --builder=string --cache-from=stringArray --cache-to=stringArray --call=string "
        "--cgroup-parent=string --check -D|--debug -f|--file=string --iidfile=string --label=stringArray --load "
        "--metadata-file=string --network=string --no-cache --no-cache-filter=stringArray -o|--output=stringArray "
        "--platform=stringArray --policy=stringArray --progress=string --provenance=string --pull --push -q|--quiet "
        "--resource=stringArray --sbom=string --secret=stringArray --shm-size=bytes --ssh=stringArray -t|--tag=stringArray "
        "--target=string --ulimit=ulimit"
)

BUILDX: dict[str, dict] = {
    "": {"group": True, "flags": "--builder=string -D|--debug"},
    "bake": {"usage": "docker buildx bake [OPTIONS] [TARGET...]", "args": [0, None], "flags": (
        "--allow=stringArray --builder=string --call=string --check -D|--debug -f|--file=stringArray --list=string --load "
        "--metadata-file=string --no-cache --policy=stringArray --print --progress=string --provenance=string --pull --push "
        "--sbom=string --set=stringArray --var=stringArray"
    )},
    "build": {"usage": "docker buildx build [OPTIONS] PATH | URL | -", "args": [1, 1], "flags": BUILDX_BUILD},
    "create": {"usage": "docker buildx create [OPTIONS] [CONTEXT|ENDPOINT]", "args": [0, 1], "flags": (
        "--append --bootstrap --buildkitd-config=string --buildkitd-flags=string -D|--debug --driver=string --driver-opt=stringArray "
        "--leave --name=string --node=string --platform=stringArray --timeout=duration --use"
    )},
    "dap": {"group": True, "flags": "--builder=string -D|--debug"},
    "dap build": {"args": [0, 1], "flags": BUILDX_BUILD},
    "debug": {"group": True, "flags": "--builder=string -D|--debug --invoke=string --on=string"},
    "debug build": {"args": [1, 1], "flags": BUILDX_BUILD},
    "dial-stdio": {"usage": "docker buildx dial-stdio [OPTIONS] < in.fifo > out.fifo &", "args": [0, 0], "flags": (
        "--builder=string -D|--debug --platform=string --progress=string"
    )},
    "du": {"usage": "docker buildx du [OPTIONS]", "args": [0, 0], "flags": (
        "--builder=string -D|--debug --filter=filter --format=string --timeout=duration --verbose"
    )},
    "history": {"group": True, "flags": "--builder=string -D|--debug"},
    "history export": {"args": [0, None], "flags": "--all --builder=string -D|--debug --finalize -o|--output=string"},
    "history import": {"usage": "docker buildx history import [OPTIONS] -", "args": [0, 0], "flags": (
        "--builder=string -D|--debug -f|--file=stringArray"
    )},
    "history inspect": {"group": True, "runnable": True, "usage": "docker buildx history inspect [OPTIONS] [REF]", "args": [0, 1],
                        "flags": "--builder=string -D|--debug --format=string"},
    "history inspect attachment": {"usage": "docker buildx history inspect attachment [OPTIONS] [REF [DIGEST]]", "args": [0, 2], "flags": (
        "--builder=string -D|--debug --platform=string --type=string"
    )},
    "history logs": {"usage": "docker buildx history logs [OPTIONS] [REF]", "args": [0, 1], "flags": (
        "--builder=string -D|--debug --progress=string"
    )},
    "history ls": {"usage": "docker buildx history ls [OPTIONS]", "args": [0, 0], "flags": (
        "--builder=string -D|--debug --filter=stringArray --format=string --local --no-trunc"
    )},
    "history open": {"usage": "docker buildx history open [OPTIONS] [REF]", "args": [0, 1], "flags": "--builder=string -D|--debug"},
    "history rm": {"usage": "docker buildx history rm [OPTIONS] [REF...]", "args": [0, None], "flags": "--all --builder=string -D|--debug"},
    "history trace": {"usage": "docker buildx history trace [OPTIONS] [REF]", "args": [0, 1], "flags": (
        "--addr=string --builder=string --compare=string -D|--debug"
    )},
    "imagetools": {"group": True, "flags": "--builder=string -D|--debug"},
    "imagetools create": {"usage": "docker buildx imagetools create [OPTIONS] [SOURCE...]", "args": [0, None], "flags": (
        "--annotation=stringArray --append --builder=string -D|--debug --dry-run -f|--file=stringArray --metadata-file=string "
        "-p|--platform=stringArray --prefer-index --progress=string -t|--tag=stringArray"
    )},
    "imagetools inspect": {"usage": "docker buildx imagetools inspect [OPTIONS] NAME", "args": [1, 1], "flags": (
        "--builder=string -D|--debug --format=string --raw"
    )},
    "inspect": {"usage": "docker buildx inspect [NAME]", "args": [0, 1], "flags": (
        "--bootstrap --builder=string -D|--debug --timeout=duration"
    )},
    "ls": {"usage": "docker buildx ls [OPTIONS]", "args": [0, 0], "flags": "-D|--debug --format=string --no-trunc --timeout=duration"},
    "policy": {"group": True, "flags": "--builder=string -D|--debug"},
    "policy eval": {"args": [1, 1], "flags": "--builder=string -D|--debug --fields=stringSlice -f|--file=string --platform=string --print"},
    "policy test": {"args": [1, 1], "flags": "--builder=string -D|--debug --filename=string --run=string"},
    "prune": {"usage": "docker buildx prune [OPTIONS]", "args": [0, 0], "flags": (
        "-a|--all --builder=string -D|--debug --filter=filter -f|--force --max-used-space=bytes --min-free-space=bytes "
        "--reserved-space=bytes --timeout=duration --verbose"
    )},
    "rm": {"usage": "docker buildx rm [OPTIONS] [NAME...]", "args": [0, None], "flags": (
        "--all-inactive --builder=string -D|--debug -f|--force --keep-daemon --keep-state --timeout=duration"
    )},
    "stop": {"usage": "docker buildx stop [NAME]", "args": [0, 1], "flags": "--builder=string -D|--debug"},
    "use": {"usage": "docker buildx use [OPTIONS] NAME", "args": [0, 1], "flags": "--builder=string -D|--debug --default --global"},
    "version": {"usage": "docker buildx version", "args": [0, 0], "flags": "-D|--debug"},
}

SCOUT: dict[str, dict] = {
    "": {"group": True, "flags": "--debug --verbose-debug"},
    "attestation": {"group": True, "flags": "--debug --verbose-debug"},
    "attestation add": {"usage": "docker scout attestation add OPTIONS IMAGE [IMAGE...]", "flags": (
        "--debug --file=stringSlice --org=string --predicate-type=string --referrer --referrer-repository=string --verbose-debug"
    )},
    "attestation get": {"usage": "docker scout attestation get OPTIONS IMAGE [DIGEST]", "flags": (
        "--debug --key=string --org=string -o|--output=string --platform=string --predicate --predicate-type=string --ref=string "
        "--skip-tlog --verbose-debug --verify"
    )},
    "attestation list": {"usage": "docker scout attestation list OPTIONS IMAGE", "flags": (
        "--debug --format=string --org=string -o|--output=string --platform=string --predicate-type=string --ref=string "
        "--verbose-debug"
    )},
    "cache": {"group": True, "flags": "--debug --verbose-debug"},
    "cache df": {"usage": "docker scout cache df", "flags": "--debug --verbose-debug"},
    "cache prune": {"usage": "docker scout cache prune", "flags": "--debug -f|--force --sboms --verbose-debug"},
    "compare": {"usage": "docker scout compare --to IMAGE|DIRECTORY|ARCHIVE [IMAGE|DIRECTORY|ARCHIVE]", "args": [0, 1], "flags": (
        "--debug -e|--exit-code -x|--exit-on=stringSlice --format=string --hide-policies --ignore-base --ignore-suppressed "
        "--ignore-unchanged --multi-stage --only-fixed --only-package-type=stringSlice --only-policy=stringSlice "
        "--only-severity=stringSlice --only-stage=stringSlice --only-unfixed --only-vex-affected --org=string -o|--output=string "
        "--platform=string --policy-bundle=stringArray --policy-config=string --policy-dir=stringArray --policy-file=stringArray "
        "--ref=string --to=string --to-env=string --to-latest --to-ref=string --to-stream=string --verbose-debug --vex "
        "--vex-author=stringSlice --vex-location=stringSlice"
    )},
    "config": {"usage": "docker scout config [KEY] [VALUE]", "flags": "--debug --verbose-debug"},
    "cves": {"usage": "docker scout cves [OPTIONS] [IMAGE|DIRECTORY|ARCHIVE]", "flags": (
        "--debug --details --env=string --epss --epss-percentile=float32 --epss-score=float32 -e|--exit-code --format=string "
        "--ignore-base --ignore-suppressed --local --local-vulndb=string --locations --multi-stage --only-base --only-cisa-kev "
        "--only-cve-id=stringSlice --only-fixed --only-metric=stringSlice --only-package=stringSlice --only-package-type=stringSlice "
        "--only-severity=stringSlice --only-stage=stringSlice --only-unfixed --only-vex-affected --only-vuln-packages --org=string "
        "-o|--output=string --platform=string --ref=string --stream=string --verbose-debug --vex --vex-author=stringSlice "
        "--vex-location=stringSlice"
    )},
    "docker-cli-plugin-hooks": {"usage": "docker scout docker-cli-plugin-hooks", "flags": "--debug --verbose-debug"},
    "enroll": {"usage": "docker scout enroll ORG", "flags": "--debug --verbose-debug"},
    "environment": {"usage": "docker scout environment [ENVIRONMENT] [IMAGE]", "flags": (
        "--debug --org=string -o|--output=string --platform=string --verbose-debug"
    )},
    "help": {"usage": "docker scout help", "flags": "--debug --verbose-debug"},
    "integration": {"group": True, "flags": "--debug --verbose-debug"},
    "integration configure": {"usage": "docker scout integration configure INTEGRATION", "flags": (
        "--debug --name=string --org=string --parameter=stringSlice --verbose-debug"
    )},
    "integration delete": {"usage": "docker scout integration delete INTEGRATION", "flags": (
        "--debug --name=string --org=string --verbose-debug"
    )},
    "integration list": {"usage": "docker scout integration list [INTEGRATION]", "flags": (
        "--debug --name=string --org=string --verbose-debug"
    )},
    "policy": {"group": True, "runnable": True, "usage": "docker scout policy [IMAGE | REPO]", "flags": (
        "--debug -e|--exit-code --only-policy=stringSlice --org=string -o|--output=string --platform=string "
        "--policy-bundle=stringArray --policy-config=string --policy-dir=stringArray --policy-file=stringArray --result-file=string "
        "--verbose-debug"
    )},
    "policy publish": {"usage": "docker scout policy publish [OPTIONS] REFERENCE", "flags": (
        "--debug --policy-dir=stringArray --policy-file=stringArray --verbose-debug"
    )},
    "push": {"usage": "docker scout push IMAGE", "flags": (
        "--author=string --debug --dry-run --org=string -o|--output=string --platform=string --sbom --secrets --timestamp=string "
        "--verbose-debug"
    )},
    "quickview": {"usage": "docker scout quickview [IMAGE|DIRECTORY|ARCHIVE]", "flags": (
        "--debug --env=string --ignore-suppressed --latest --only-policy=stringSlice --only-vex-affected --org=string "
        "-o|--output=string --platform=string --policy-bundle=stringArray --policy-config=string --policy-dir=stringArray "
        "--policy-file=stringArray --ref=string --stream=string --verbose-debug --vex --vex-author=stringSlice "
        "--vex-location=stringSlice"
    )},
    "recommendations": {"usage": "docker scout recommendations [IMAGE|DIRECTORY|ARCHIVE]", "flags": (
        "--debug --only-refresh --only-update --org=string -o|--output=string --platform=string --ref=string --tag=string "
        "--verbose-debug"
    )},
    "repo": {"group": True, "flags": "--debug --verbose-debug"},
    "repo disable": {"usage": "docker scout repo disable [REPOSITORY]", "flags": (
        "--all --debug --filter=string --integration=string --org=string --registry=string --verbose-debug"
    )},
    "repo enable": {"usage": "docker scout repo enable [REPOSITORY]", "flags": (
        "--all --debug --filter=string --integration=string --org=string --registry=string --verbose-debug"
    )},
    "repo list": {"usage": "docker scout repo list", "flags": (
        "--debug --filter=string --only-disabled --only-enabled --only-registry=string --org=string --verbose-debug"
    )},
    "sbom": {"usage": "docker scout sbom [IMAGE|DIRECTORY|ARCHIVE]", "flags": (
        "--debug --format=string --only-package-type=stringSlice -o|--output=string --platform=string --ref=string --secrets "
        "--verbose-debug"
    )},
    "stream": {"usage": "docker scout stream [STREAM] [IMAGE]", "flags": (
        "--debug --org=string -o|--output=string --platform=string --verbose-debug"
    )},
    "version": {"usage": "docker scout version", "flags": "--debug --verbose-debug"},
    "vex": {"group": True, "flags": "--debug --verbose-debug"},
    "vex get": {"usage": "docker scout vex get OPTIONS IMAGE", "flags": (
        "--debug --key=string --org=string -o|--output=string --platform=string --ref=string --skip-tlog --verbose-debug --verify"
    )},
    "watch": {"usage": "docker scout watch", "flags": (
        "--all-images --debug --dry-run --interval=int64 --org=string --refresh-registry --registry=string --repository=stringSlice "
        "--sbom --tag=stringSlice --verbose-debug --workers=int"
    )},
}

# Accepted but left out of the references. Buildx: commands/build.go (the legacy `docker build`
# flags it ignores or maps), bake.go, create.go and policy/eval.go (MarkHidden). Compose: the old
# spellings its flag normalizers still take, in cmd/compose/run.go, exec.go, create.go, up.go,
# publish.go and down.go (SetNormalizeFunc).
HIDDEN_FLAGS = {
    "buildx": {
        "build": "--compress -c|--cpu-shares=int --cpu-period=int --cpu-quota=int --cpuset-cpus=string --cpuset-mems=string "
                 "--force-rm --isolation=string -m|--memory=bytes --memory-swap=bytes --print=string --rm "
                 "--security-opt=stringSlice --squash",
        "bake": "--list-targets --list-variables",
        "create": "--config=string",
        "policy eval": "--filename=string",
    },
    "compose": {
        "run": "--labels=stringArray --no-TTY --volumes=stringArray",
        "exec": "--no-TTY",
        "create": "--y",
        "up": "--y",
        "publish": "--y",
        "down": "--volume",
    },
}
BUILDX["install"] = {"args": [0, 0], "flags": "-D|--debug"}
BUILDX["uninstall"] = {"args": [0, 0], "flags": "-D|--debug"}

# Single commands, at docker's top level.
TOP_LEVEL: dict[str, dict] = {
    "init": {"usage": "docker init [OPTIONS]", "flags": "--version"},
    "debug": {"usage": "docker debug [OPTIONS] {CONTAINER|IMAGE}", "args": [1, 1],
              "flags": "-c|--command=string --host=string --shell=shell"},
}

PLUGINS = {"compose": COMPOSE, "buildx": BUILDX, "scout": SCOUT}

# Retired commands: what replaces them, and since when. `compose convert` was an alias of
# `compose config` until Compose v2.36.1 (docker/compose 009a23951, "remove convert alias").
RETIRED = {
    "scan": {"retired": "docker scout cves", "since": "April 2023"},
    "sbom": {"retired": "docker scout sbom", "since": "2023"},
    "compose convert": {"retired": "docker compose config", "since": "Compose v2.36.1 (May 2025)"},
}
ALIASES = {"compose bridge transformations ls": "compose bridge transformations list"}


def flag_table(spec: str | None) -> dict[str, str] | None:
    """Return `{flag: type}` ("" for a switch) for a compact spec such as `-f|--file=stringArray --dry-run`."""
    if spec is None:
        return None
    table: dict[str, str] = {}
    for word in spec.split():
        names, _, kind = word.partition("=")
        for name in names.split("|"):
            table[name] = kind
    return table


def plugin_commands() -> dict[str, dict]:
    """Return the data file's entries for every plugin command, keyed by command path (`compose up`)."""
    entries: dict[str, dict] = {}
    for plugin, table in PLUGINS.items():
        for key, entry in table.items():
            path = f"{plugin} {key}".strip()
            record = dict(entry)
            flags = record.pop("flags", "")
            hidden = HIDDEN_FLAGS.get(plugin, {}).get(key, "")
            record["flags"] = flag_table(f"{flags} {hidden}" if flags is not None else None)
            if record.get("group"):
                children = sorted({k[len(key):].split()[0] for k in table if k.startswith(key) and k != key
                                   and (not key or k[len(key)] == " ")})
                record["subcommands"] = children
            entries[path] = record
    for name, entry in TOP_LEVEL.items():
        entries[name] = {**entry, "flags": flag_table(entry["flags"])}
    entries.update(RETIRED)
    entries.update({alias: {"alias_of": target} for alias, target in ALIASES.items()})
    return entries
