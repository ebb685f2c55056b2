"""The state a course builds up on a student's machine, followed command by command.

`walk.py` gives the course in reading order; `simulate.py` runs its docker
commands on a model of the machine (`machine.py`, `session.py`, with a handler
module per family of commands) for `aula lint`; `kit.py` lists what a
classroom needs before the course starts (images, ports, network, tools).
Nothing here runs docker: it reads the commands as the course writes them.
"""
