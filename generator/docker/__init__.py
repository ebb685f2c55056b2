"""What a `docker` command line means: one answer for the linter and the cheat sheet.

`shell` splits shell text into commands and words, `cli` reads the docker CLI
data (commands, flags, arguments) and `commands` finds the command lines of a
block and parses each `docker …` into a `DockerCommand`; `ports` reads port
mappings as Docker does, for `docker run -p` and Compose's `ports:` alike.
Nothing here imports from `lint/` or `render/`.
"""
