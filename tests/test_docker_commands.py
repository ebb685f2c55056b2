"""What a docker command line means (`generator.docker`): prompts, lines, and each command read as the CLI reads it."""

from __future__ import annotations

import pytest

from generator.docker.cli import docker_cli
from generator.docker.commands import DockerCommand, parse_command, read_shell


def one(text: str, synopsis: bool = False) -> DockerCommand:
    command = parse_command(text, synopsis)
    assert command is not None
    return command


def texts(words) -> tuple[str, ...]:
    return tuple(word.text for word in words)


# --- The prompt rule and the command lines -------------------------------------------------


@pytest.mark.parametrize(
    "session",
    [
        "$ docker ps",
        "# docker ps",
        "% docker ps",
        "root@abc:/# docker ps",
        "ana@portatil:~/app$ docker ps",
        "ana@portatil $ docker ps",
        "(venv) $ docker ps",
        "  $ docker ps",
    ],
)
def test_prompts(session):
    block = read_shell(session + "\nCONTAINER ID   IMAGE\n", console=True)
    assert [line.flat for line in block.lines] == ["docker ps"]
    assert [command.path for command in block.commands] == [("ps",)]


def test_output_is_no_command_line():
    block = read_shell("$ docker run hello-world\nHello from Docker!\ndocker ps is a command\n$ ls\n", console=True)
    assert [line.flat for line in block.lines] == ["docker run hello-world", "ls"]
    assert [line.first_line for line in block.lines] == [1, 4]
    assert [command.name for command in block.commands] == ["docker run"]


def test_a_session_without_prompts_has_its_docker_lines():
    block = read_shell("docker ps\nCONTAINER ID\nsudo docker images\nDOCKER_HOST=ssh://h docker info\nls\n", console=True)
    assert [line.flat for line in block.lines] == ["docker ps", "sudo docker images", "DOCKER_HOST=ssh://h docker info"]
    assert texts(block.commands[2].assignments) == ("DOCKER_HOST=ssh://h",)


def test_continuations_are_one_line_with_block_positions():
    block = read_shell("$ docker run -d \\\n    -p 80:80 \\\n    nginx:1.27\nf00ba4\n$ docker ps\n", console=True)
    first, second = block.lines
    assert (first.first_line, first.last_line, first.flat) == (1, 3, "docker run -d -p 80:80 nginx:1.27")
    assert (second.first_line, second.last_line) == (5, 5)
    run = first.commands[0]
    assert (run.first_line, run.last_line) == (1, 3)
    assert run.position(run.words[0]) == (1, 3)  # after the `$ ` prompt
    assert run.position(run.target) == (3, 5)


def test_an_escaped_backslash_ends_the_line():
    block = read_shell("$ echo a\\\\\n$ docker ps\n", console=True)
    assert [line.flat for line in block.lines] == ["echo a\\\\", "docker ps"]


def test_script_lines():
    text = (
        "#!/bin/sh\n# build it\n\ndocker build -t app . \\\n  --pull\necho done\n"
        "cat <<EOF\ndocker ps\nEOF\nif true; then\n  docker ps -a\nfi\n"
    )
    block = read_shell(text, console=False)
    assert [(line.first_line, line.last_line, line.flat) for line in block.lines] == [
        (4, 5, "docker build -t app . --pull"),
        (6, 6, "echo done"),
        (7, 7, "cat <<EOF"),  # the here-document's body is data, not a command
        (10, 10, "if true; then"),
        (11, 11, "docker ps -a"),
    ]
    assert [command.name for command in block.commands] == ["docker build", "docker ps"]


def test_a_shell_syntax_error_is_reported_where_it_is():
    block = read_shell("$ docker run -e 'A=1 alpine\n", console=True)
    assert [(error.line, error.column, error.message) for error in block.errors] == [(1, 17, "unterminated single quote")]


# --- Wrappers and substitutions --------------------------------------------------------------


@pytest.mark.parametrize(
    "line, wrappers",
    [
        ("sudo docker ps", ("sudo",)),
        ("sudo -u ana docker ps", ("sudo", "-u", "ana")),
        ("sudo -E docker ps", ("sudo", "-E")),
        ("env A=1 docker ps", ("env", "A=1")),
        ("nohup docker ps", ("nohup",)),
        ("time docker ps", ()),  # a shell keyword: the lexer drops it
    ],
)
def test_wrappers_are_stripped(line, wrappers):
    command = one(line)
    assert command.name == "docker ps" and texts(command.wrappers) == wrappers


def test_a_substitution_is_a_command_of_its_own():
    block = read_shell("$ docker rm -f $(docker ps -aq)\n", console=True)
    outer, inner = block.commands
    assert outer.canonical == ("container", "rm") and outer.substitutes and not outer.nested
    assert inner.canonical == ("container", "ls") and inner.nested and inner.has_option("-a", "--all")
    assert outer.substitutions == (inner,)
    assert texts(outer.arguments) == ("$(docker ps -aq)",)


def test_backquotes_and_assignments():
    block = read_shell("ID=`docker run -d nginx`\ndocker logs $ID\n", console=False)
    run, logs = block.commands
    assert run.nested and run.image == "nginx" and not logs.substitutes
    assert [line.commands for line in block.lines] == [(run,), (logs,)]


def test_pipelines():
    login = one("cat token.txt | docker login -u ana --password-stdin")
    assert login.in_pipeline and login.option_values("-u") == ("ana",)


def test_docker_needs_to_be_the_program():
    assert parse_command("echo docker run nginx") is None
    assert parse_command("newgrp docker") is None
    assert one("/usr/bin/docker ps").program == "docker"


# --- Options -------------------------------------------------------------------------------------


def test_option_values_written_both_ways():
    command = one("docker run --name=web -p 8080:80 -p8443:443 --env A=1 -eB=2 nginx")
    assert command.option_values("--name") == ("web",)
    assert command.option_values("-p", "--publish") == ("8080:80", "8443:443")
    assert command.option_values("-e", "--env") == ("A=1", "B=2")
    assert [option.flag for option in command.options] == ["--name", "-p", "-p", "--env", "-e"]
    separate = command.options_named("-p")[0]
    assert separate.value_word is not None and separate.value_word.text == "8080:80"
    assert command.options_named("-p")[1].value_word is None


def test_combined_short_flags():
    command = one("docker run -dit -dp 80:80 alpine sh")
    assert [(o.name, o.value, o.flag) for o in command.options] == [
        ("-d", None, "-dit"), ("-i", None, "-dit"), ("-t", None, "-dit"),
        ("-d", None, "-dp"), ("-p", "80:80", "-dp"),
    ]
    assert command.has_option("-t", "--tty") and command.image == "alpine"


def test_a_missing_value_and_an_unknown_flag():
    command = one("docker run --detatch -d --name")
    detatch, detach, name = command.options
    assert not detatch.known and detatch.value is None  # read on as a switch
    assert detach.known and not detach.takes_value
    assert name.missing_value and command.arguments == ()


def test_help_is_known_everywhere():
    command = one("docker ps -h")
    assert [(o.name, o.known) for o in command.options] == [("-h", True)]
    assert one("docker run -h web nginx").option_values("-h") == ("web",)  # here it is --hostname


def test_global_options():
    command = one("docker -H ssh://ana@servidor --context prod --tls ps -a")
    assert command.option_values("-H") == ("ssh://ana@servidor",)
    assert [option.name for option in command.global_options] == ["-H", "--context", "--tls"]
    assert [(option.name, option.scope) for option in command.options] == [("-a", ("ps",))]


def test_a_value_the_hand_lists_did_not_know():
    command = one("docker --tlscacert ca.pem run --cpus 2 --shm-size 1g nginx")
    assert command.canonical == ("container", "run")
    assert command.image == "nginx" and command.inner == ()


# --- Commands and their arguments ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line, path, canonical",
    [
        ("docker run nginx", ("run",), ("container", "run")),
        ("docker container run nginx", ("container", "run"), ("container", "run")),
        ("docker ps", ("ps",), ("container", "ls")),
        ("docker container ls", ("container", "ls"), ("container", "ls")),
        ("docker container ps", ("container", "ps"), ("container", "ls")),
        ("docker images", ("images",), ("image", "ls")),
        ("docker rmi a", ("rmi",), ("image", "rm")),
        ("docker build .", ("build",), ("image", "build")),
        ("docker attach web", ("attach",), ("container", "attach")),
        ("docker network ls", ("network", "ls"), ("network", "ls")),
        ("docker compose up", ("compose", "up"), ("compose", "up")),
        ("docker buildx imagetools inspect alpine", ("buildx", "imagetools", "inspect"), ("buildx", "imagetools", "inspect")),
        ("docker-compose up -d", ("up",), ("compose", "up")),
    ],
)
def test_path_and_canonical_name(line, path, canonical):
    command = one(line)
    assert (command.path, command.canonical, command.is_command) == (path, canonical, True)


def test_run_splits_the_image_from_its_command():
    command = one("docker run -it --rm -e A=1 --name x ubuntu:24.04 bash -l --rm")
    assert command.image == "ubuntu:24.04"
    assert texts(command.inner) == ("bash", "-l", "--rm")  # options of the command inside, not of docker
    assert [option.name for option in command.options] == ["-i", "-t", "--rm", "-e", "--name"]


def test_exec_has_a_container_not_an_image():
    command = one("docker exec -it -u root web sh -c 'id -u'")
    assert command.target is not None and command.target.text == "web"
    assert command.image is None and texts(command.inner) == ("sh", "-c", "id -u")


def test_a_double_dash_ends_the_options():
    command = one("docker run -- nginx --rm")
    assert command.separator is not None and texts(command.arguments) == ("nginx", "--rm")


def test_other_commands_take_options_anywhere():
    command = one("docker logs web --tail 5 -f")
    assert texts(command.arguments) == ("web",) and command.option_values("--tail") == ("5",)
    assert command.target is None and command.inner == ()


def test_compose_options_before_and_after_the_subcommand():
    command = one("docker compose -f base.yaml -f prod.yaml -p tienda up -d --build")
    assert command.option_values("-f", "--file") == ("base.yaml", "prod.yaml")
    assert command.option_values("-p", "--project-name") == ("tienda",)
    assert [(o.name, o.scope) for o in command.options][-2:] == [("-d", ("compose", "up")), ("--build", ("compose", "up"))]
    assert command.global_options == ()


def test_compose_v1_reads_like_compose():
    command = one("docker-compose -f x.yml up -d")
    assert command.program == "docker-compose" and command.option_values("-f") == ("x.yml",)
    assert command.has_option("-d") and command.name == "docker-compose up"


def test_a_course_state_reads_commands_without_parsing_again():
    run = one("docker run -d --rm --name web -p 8080:80 --network red -v datos:/data nginx:1.27")
    assert (run.canonical, run.image, run.option_values("--name"), run.option_values("-p", "--publish")) == (
        ("container", "run"), "nginx:1.27", ("web",), ("8080:80",)
    )
    assert run.has_option("-d", "--detach") and run.has_option("--rm") and run.option_values("-v") == ("datos:/data",)
    service = one("docker service create --replicas 3 --name web -p 80:80 nginx")
    assert service.image == "nginx" and service.option_values("--replicas") == ("3",)
    stack = one("docker stack deploy -c compose.yaml tienda")
    assert texts(stack.arguments) == ("tienda",) and stack.option_values("-c") == ("compose.yaml",)
    network = one("docker network create --driver overlay red")
    assert network.canonical == ("network", "create") and texts(network.arguments) == ("red",)


# --- Unknown commands and synopses -------------------------------------------------------------


def test_an_unknown_command():
    command = one("docker contaner ls -a")
    assert command.unknown is not None and command.unknown.names == ("contaner",) and command.unknown.parent == ()
    assert not command.is_command and command.path == () and texts(command.unparsed) == ("contaner", "ls", "-a")
    sub = one("docker network list-all")
    assert sub.unknown is not None and sub.unknown.parent == ("network",) and sub.path == ("network",)


def test_alternatives():
    assert one("docker stop/strat web").unknown.names == ("strat",)
    known = one("docker stop/start web")
    assert known.unknown is None and not known.is_command and known.path == ()


@pytest.mark.parametrize("line", ["docker", "docker --version", "docker network", "docker network --help", "docker $CMD ps"])
def test_no_command_to_read(line):
    command = one(line)
    assert not command.is_command and command.unknown is None and command.arguments == ()


@pytest.mark.parametrize(
    "line",
    ["docker run [opciones] <imagen> [comando]", "docker rm <contenedor>...", "docker run IMAGE", "docker exec … web ls"],
)
def test_placeholders_make_a_synopsis(line):
    command = one(line)
    assert command.synopsis
    assert all(not word.text.startswith("[") and word.text not in ("...", "…") for word in command.arguments)


def test_placeholders_are_written_back():
    command = one("docker run --name <nombre> -p <anfitrión>:<contenedor> <imagen>")
    assert command.option_values("--name") == ("<nombre>",)
    assert command.option_values("-p") == ("<anfitrión>:<contenedor>",)
    assert command.image == "<imagen>" and command.synopsis


def test_a_synopsis_block():
    assert one("docker volume create datos", synopsis=True).synopsis
    assert not one("docker volume create datos").synopsis


# --- The CLI data ---------------------------------------------------------------------------------


def test_cli_data_view():
    cli = docker_cli()
    run = cli.command(("container", "run"))
    assert run is not None and run is cli.command(("run",))
    assert run.stops_at_first_argument and run.takes_value("--cpus") and not run.takes_value("--rm")
    assert run.arguments == (1, None) and run.usage.startswith("docker run ")
    assert "ls" in cli.names_under(("network",)) and "run" in cli.names_under(())
    assert cli.command(("compose",)).group and cli.command(("compose",)).takes_value("-f")
    assert cli.command(("nope",)) is None and "IMAGE" in cli.usage_words()


def test_a_group_that_runs_by_itself_takes_arguments_or_a_subcommand():
    record = one("docker buildx history inspect --format json abc123")
    assert record.is_command and record.path == ("buildx", "history", "inspect") and texts(record.arguments) == ("abc123",)
    assert record.option_values("--format") == ("json",)
    attachment = one("docker buildx history inspect attachment abc123 sha256:0f")
    assert attachment.path == ("buildx", "history", "inspect", "attachment") and len(attachment.arguments) == 2
    assert one("docker scout policy").is_command and not one("docker buildx history").is_command


def test_retired_commands_name_their_replacement():
    scan = one("docker scan --accept-license nginx:1.27")
    assert scan.is_command and scan.spec is not None and scan.spec.retired == "docker scout cves"
    assert all(option.known for option in scan.options)  # its flags are not checked


def test_a_command_whose_flags_the_data_lacks_takes_any(monkeypatch):
    from generator.docker import commands
    from generator.docker.cli import DockerCLI, cli_data

    data = dict(cli_data())
    data["commands"] = {**data["commands"], "model": {"group": True}, "model run": {"usage": "docker model run MODEL",
                                                                                    "args": [1, 1], "flags": None}}
    monkeypatch.setattr(commands, "docker_cli", lambda: DockerCLI(data))
    command = one("docker model run --detach --port 8080 ai/smollm2 hola")
    assert command.is_command and command.spec is not None and command.spec.open_flags
    assert all(option.known for option in command.options)
    from generator.lint.commands import check_commands

    assert check_commands("$ docker model run --detach --port 8080 ai/smollm2 hola\n", console=True) == []
