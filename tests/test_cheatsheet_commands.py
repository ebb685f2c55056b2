"""Collecting the cheat sheet's commands, from model objects built by hand (no parsing, no PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.model import (
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    CourseInfo,
    InlineCode,
    ListBlock,
    ListItem,
    Location,
    Paragraph,
    Section,
    Text,
)
from generator.render.cheatsheet.commands import GROUPS, collect_commands, inline_command
from generator.render.cheatsheet.descriptions import clauses, introduction, shorten

HERE = Location(Path("01-a.md"), 1)


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),), HERE)


def console(text: str, *classes: str, **attributes: str) -> CodeBlock:
    return CodeBlock(text, "console", CodeKind.CONSOLE, HERE, classes=classes, attributes=attributes)


def course(*blocks, language: str = "es", chapters: int = 1) -> Course:
    """A course whose every chapter holds `blocks` (each chapter its own file)."""
    made = tuple(
        Chapter(
            Path(f"{n:02d}-a.md"), n, (Text("A"),), "a",
            (Section((Text("S"),), "s", tuple(blocks), HERE),), HERE,
        )
        for n in range(1, chapters + 1)
    )
    return Course(CourseInfo("Curso", "curso", language=language), Path("."), made)


def entries(sheet) -> list[tuple[str, tuple[str, ...], str]]:
    return [(group.key, entry.commands, entry.description) for group in sheet.groups for entry in group.entries]


# --- One command line: what the sheet shows of it ----------------------------------------


@pytest.mark.parametrize(
    "line, text, path, flags",
    [
        ("sudo docker info", "docker info", ("info",), ()),
        ("docker volume create datos", "docker volume create datos", ("volume", "create"), ()),
        ("docker run -it --rm -e A=1 --name x ubuntu:24.04 bash -l", None, ("run",), ("-it", "--rm", "-e", "--name")),
        ("docker exec -it bd mariadb -u wp -p db", None, ("exec",), ("-it",)),
        ("docker compose -f prod.yaml up -d", None, ("compose", "up"), ("-f", "-d")),
        ("cat token.txt | docker login -u ana --password-stdin", None, ("login",), ("-u", "--password-stdin")),
        ("docker stop $(docker ps -q)", None, ("stop",), ()),
        ("docker  inspect   x", "docker inspect x", ("inspect",), ()),
    ],
)
def test_inline_command(line, text, path, flags):
    command = inline_command(line)
    assert command is not None
    assert command.text == (text or line)
    assert command.path == path
    assert command.flags == flags


@pytest.mark.parametrize("line", ["curl -fsSL https://get.docker.com -o get-docker.sh", "echo docker run", "newgrp docker", "docker"])
def test_lines_without_a_docker_command(line):
    assert inline_command(line) is None


def test_global_options_put_a_command_in_system():
    command = inline_command("docker -H ssh://ana@servidor ps")
    assert command.path == ("ps",) and command.global_flags == ("-H",) and command.group == "system"


@pytest.mark.parametrize(
    "line, group",
    [
        ("docker run -d nginx", "containers"),
        ("docker run -v datos:/data alpine", "volumes"),
        ("docker run --network red alpine", "networks"),
        ("docker image prune", "images"),
        ("docker commit c ana/img", "building"),
        ("docker tag a b", "registry"),
        ("docker compose up", "compose"),
        ("docker service ls", "swarm"),
        ("docker version", "system"),
    ],
)
def test_groups(line, group):
    assert inline_command(line).group == group


# --- Descriptions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, synopsis, expected",
    [
        ("Para ver solo las últimas cinco líneas:", False, "Ver solo las últimas cinco líneas"),
        ("Listamos los nodos, su estado y su papel:", False, "Listar los nodos, su estado y su papel"),
        ("Construimos desde la carpeta actual (el punto es el contexto) y etiquetamos el resultado:", False,
         "Construir desde la carpeta actual y etiquetar el resultado"),
        ("Si la versión nueva da problemas, volvemos a la configuración anterior:", False, "Volver a la configuración anterior"),
        ("Como la lista puede ser larga, la pasamos por less:", False, "Pasarla por less"),
        ("Para detener todos a la vez, pasamos a docker stop la lista:", False, "Detener todos a la vez"),
        ("Si perdemos el token, lo vuelve a mostrar. Para unir otro gestor se pide el token de gestor:", False, "Unir otro gestor"),
        ("Para ver los procesos que se ejecutan dentro:", False, "Ver los procesos que se ejecutan dentro"),
        ("Borramos también los volúmenes con nombre: se pierden los datos.", False, "Borrar también los volúmenes con nombre"),
        ("No repetimos EXPOSE ni CMD: se heredan de la imagen base.", False, ""),
        ("Veremos qué pasa.", False, ""),
        ("Con el tiempo interesa saberlo. docker diff lista su capa de escritura:", True, "Lista su capa de escritura"),
        ("Con la sesión iniciada, docker diff envía la imagen. Solo viajan capas nuevas.", True, "Envía la imagen"),
        ("Los últimos pasos son estos:", False, "Los últimos pasos son estos"),
    ],
)
def test_spanish_introductions(paragraph, synopsis, expected):
    assert introduction(paragraph, "es", "docker diff", synopsis) == expected


def test_english_introduction_keeps_the_sentence():
    assert introduction("First, to list the volumes:", "en", "docker volume ls", False) == "List the volumes"


def test_clauses_give_one_description_per_step():
    assert clauses("Crear el reloj, leer sus líneas y borrarlo", "es") == ["Crear el reloj", "Leer sus líneas", "Borrarlo"]


def test_shorten_cuts_at_a_comma_or_a_word():
    assert shorten("Uno dos tres cuatro cinco seis siete ocho, nueve diez once doce", 50) == "Uno dos tres cuatro cinco seis siete ocho"
    assert shorten("palabra " * 20, 30).endswith("…") and len(shorten("palabra " * 20, 30)) <= 31


# --- Collecting ------------------------------------------------------------------------


def test_a_command_gets_the_sentence_that_introduces_it():
    sheet = collect_commands(course(para("Para ver todos los contenedores:"), console("$ docker ps -a\nCONTAINER ID\n")))
    assert entries(sheet) == [("containers", ("docker ps -a",), "Ver todos los contenedores")]


def test_bad_examples_and_no_cheatsheet_blocks_are_left_out():
    sheet = collect_commands(course(
        para("Así no:"), console("$ docker run nginx --rm", "bad-example"),
        para("Demostración:"), console("$ docker run -v /:/host alpine", "no-cheatsheet"),
        para("Para listar:"), console("$ docker ps"),
    ))
    assert [commands for _, commands, _ in entries(sheet)] == [("docker ps",)]


def test_an_explicit_description_wins():
    block = console("$ docker system df", cheatsheet="  Ver  cuánto ocupa Docker ")
    sheet = collect_commands(course(para("Para nada:"), block))
    assert entries(sheet) == [("system", ("docker system df",), "Ver cuánto ocupa Docker")]


def test_one_entry_per_command_form():
    sheet = collect_commands(course(
        para("Para verlos todos:"), console("$ docker ps -a"),
        para("Otra vez, para verlos todos:"), console("$ docker ps -a"),
        para("Con otro nombre:"), console("$ docker logs -f web"),
        para("Con otro nombre más:"), console("$ docker logs -f bd"),
    ))
    assert [commands for _, commands, _ in entries(sheet)] == [("docker ps -a",), ("docker logs -f web",)]


def test_a_synopsis_keeps_one_example_the_one_after_it():
    sheet = collect_commands(course(
        para("Para arrancar un servidor:"), console("$ docker run -d nginx"),
        para("docker run crea un contenedor nuevo y lo arranca:"), console("$ docker run [opciones] <imagen>", "synopsis"),
        para("Para entrar en un Ubuntu:"), console("$ docker run -it ubuntu bash"),
        para("Para probar y borrar:"), console("$ docker run --rm hello-world"),
    ))
    assert entries(sheet) == [
        ("containers", ("docker run [opciones] <imagen>",), "Crea un contenedor nuevo y lo arranca"),
        ("containers", ("docker run -it ubuntu bash",), "Entrar en un Ubuntu"),
    ]


def test_a_synopsis_without_description_takes_its_example_along():
    sheet = collect_commands(course(
        para("Se abren puertos."), console("$ docker swarm init --advertise-addr <ip>", "synopsis"),
        para("En el gestor activamos el modo Swarm:"), console("$ docker swarm init --advertise-addr 10.0.0.1"),
    ))
    assert entries(sheet) == [
        ("swarm", ("docker swarm init --advertise-addr <ip>", "docker swarm init --advertise-addr 10.0.0.1"), "Activar el modo Swarm"),
    ]


def test_a_bare_command_is_no_example_of_its_synopsis():
    sheet = collect_commands(course(
        para("Estas dos órdenes listan las imágenes:"), console("$ docker image ls\n$ docker images"),
        para("docker images muestra las imágenes:"), console("$ docker images [<imagen>]", "synopsis"),
        para("Para ver solo las de Python:"), console("$ docker images python"),
    ))
    # `docker images python` has the form of the bare `docker images`, shown already
    assert [commands for _, commands, _ in entries(sheet)] == [("docker images [<imagen>]",), ("docker image ls", "docker images")]


def test_solutions_are_read_and_teacher_notes_are_not():
    solution = Callout("solution", (para("Para borrar la red:"), console("$ docker network rm red")), HERE)
    exercise = Callout("exercise", (para("Borra la red."),), HERE, solution=solution)
    teacher = Callout("teacher", (para("Para enseñar el truco:"), console("$ docker system prune -af")), HERE)
    summary = ListBlock((ListItem((Paragraph((InlineCode("docker ps"), Text(" lista.")), HERE),), HERE),), False, HERE)
    keypoints = Callout("keypoints", (summary,), HERE)
    sheet = collect_commands(course(exercise, teacher, keypoints))
    assert entries(sheet) == [("networks", ("docker network rm red",), "Borrar la red")]


def test_a_list_item_starting_with_a_command():
    item = ListItem((Paragraph((InlineCode("docker image prune"), Text(": borra las imágenes sin uso.")), HERE),), HERE)
    other = ListItem((Paragraph((Text("Usa "), InlineCode("docker ps")), HERE),), HERE)
    sheet = collect_commands(course(ListBlock((item, other), False, HERE)))
    assert entries(sheet) == [("images", ("docker image prune",), "Borra las imágenes sin uso")]


def test_a_block_kept_in_part_gives_each_step_its_own_words():
    sheet = collect_commands(course(
        para("Para listar:"), console("$ docker ps"),
        para("Creamos el volumen, lo listamos y arrancamos un contenedor:"),
        console("$ docker volume create datos\n$ docker ps\n$ docker run -d -v datos:/d alpine"),
    ))
    assert entries(sheet) == [
        ("containers", ("docker ps",), "Listar"),
        ("volumes", ("docker volume create datos",), "Crear el volumen"),
        ("volumes", ("docker run -d -v datos:/d alpine",), "Arrancar un contenedor"),
    ]


def test_commands_shown_together_stay_together():
    sheet = collect_commands(course(para("Paramos y volvemos a arrancar:"), console("$ docker compose stop\n$ docker compose start")))
    assert entries(sheet) == [("compose", ("docker compose stop", "docker compose start"), "Parar y volver a arrancar")]


def test_group_order_default_and_from_course_yml():
    blocks = (console("$ docker swarm init"), console("$ docker ps"), console("$ docker compose up"))
    assert [g.key for g in collect_commands(course(*blocks)).groups] == ["containers", "compose", "swarm"]
    reordered = collect_commands(course(*blocks), ("swarm", "compose"))
    assert [g.key for g in reordered.groups] == ["swarm", "compose", "containers"]


def test_unknown_group_in_course_yml_is_a_user_error():
    with pytest.raises(ConfigError, match=r"course.yml: unknown cheat sheet group `pods`"):
        collect_commands(course(), ("pods",), Path("course.yml"))


def test_the_flags_box_lists_the_common_flags_the_course_uses():
    sheet = collect_commands(course(console("$ docker run --rm -it -p 80:80 --name web nginx\n$ docker compose down -v")))
    assert sheet.flags == ("-it", "-p", "--rm", "--name")  # `-v` of `docker compose down` is another option


def test_every_group_has_a_label_in_both_languages():
    from generator.themes import Theme

    theme = Theme.load()
    for language in ("es", "en"):
        labels = theme.messages(language)
        assert all(f"group_{key}" in labels for key in GROUPS)
    assert theme.messages("es")["group_volumes"] != theme.messages("en")["group_volumes"]


# --- The sheet reads commands as the linter does (generator.docker) ---------------------------
# Each of these failed when the sheet had its own prompt rule, word splitter and option lists.


def script(text: str) -> CodeBlock:
    return CodeBlock(text, "sh", CodeKind.SCRIPT, HERE)


def commands_of(*blocks) -> list[tuple[str, ...]]:
    return [commands for _, commands, _ in entries(collect_commands(course(*blocks)))]


@pytest.mark.parametrize(
    "session",
    [
        "root@host:~# docker network ls\nNETWORK ID   NAME\n",
        "# docker network ls\n",
        "ana@portatil:~/app$ docker network ls\n",
        "(venv) $ docker network ls\n",
        "docker network ls\nNETWORK ID   NAME\n",  # no prompt at all: the lines that start with `docker`
    ],
)
def test_every_prompt_the_linter_knows(session):
    assert commands_of(para("Para listar las redes:"), console(session)) == [("docker network ls",)]


@pytest.mark.parametrize("value_option", ["--shm-size 1g", "--gpus all", "--pid host", "--cpus 2"])
def test_value_options_come_from_the_cli_data(value_option):
    # the value is not the image: the options after it still count (`--cpus` was the one the hand list knew)
    sheet = collect_commands(course(console(f"$ docker run {value_option} -p 80:80 nginx")))
    assert sheet.flags == ("-p",)


def test_a_short_option_with_its_value_attached_is_the_option():
    assert collect_commands(course(console("$ docker run -p8080:80 nginx"))).flags == ("-p",)


def test_compose_options_with_a_value_before_the_subcommand():
    # `plain` is the value of `--progress`, so this is an example of `docker compose up`, the one kept
    sheet = collect_commands(course(
        para("docker compose up arranca los servicios:"), console("$ docker compose up [opciones]", "synopsis"),
        para("Para verlo en texto plano:"), console("$ docker compose --progress plain up -d"),
        para("Para reconstruir antes:"), console("$ docker compose up -d --build"),
    ))
    assert entries(sheet) == [
        ("compose", ("docker compose up [opciones]",), "Arranca los servicios"),
        ("compose", ("docker compose --progress plain up -d",), "Verlo en texto plano"),
    ]


def test_docker_global_options_with_a_value():
    sheet = collect_commands(course(console("$ docker --tlscacert ca.pem ps")))
    assert entries(sheet) == [("system", ("docker --tlscacert ca.pem ps",), "")]


def test_wrappers_with_options_are_stripped():
    assert commands_of(console("$ sudo -E docker ps")) == [("docker ps",)]


def test_three_word_commands_are_one_path():
    # `imagetools create` is no example of the `imagetools inspect` synopsis
    sheet = collect_commands(course(
        para("Inspecciona una imagen:"), console("$ docker buildx imagetools inspect <imagen>", "synopsis"),
        para("Para crear una lista:"), console("$ docker buildx imagetools create -t a b"),
        para("Para inspeccionar alpine:"), console("$ docker buildx imagetools inspect alpine"),
    ))
    assert entries(sheet) == [
        ("building", ("docker buildx imagetools inspect <imagen>",), "Inspecciona una imagen"),
        ("building", ("docker buildx imagetools inspect alpine",), "Inspeccionar alpine"),
        ("building", ("docker buildx imagetools create -t a b",), "Crear una lista"),
    ]


def test_a_script_line_may_hold_several_commands():
    # the sheet's old splitter saw `for` and `do` as the line's only words
    assert commands_of(script("for n in 1 2; do docker rm -f web$n; done\nID=$(docker run -d nginx)\n")) == [
        ("for n in 1 2; do docker rm -f web$n; done",)
    ]  # a command inside `$(…)` fills in a word; it is not the line's command


def test_an_unknown_command_is_not_on_the_sheet():
    # `aula lint` reports it (AU301); the sheet does not teach it
    assert commands_of(console("$ docker network list-all\n$ docker contaner ls")) == []
