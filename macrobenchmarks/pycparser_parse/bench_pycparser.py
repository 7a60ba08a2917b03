"""pycparser 2.21 (a C99 parser on PLY) parsing ring_buffer.c, a 240-line C file of our own, then walking the
AST and regenerating C from it, as code generators and cffi do. Each iteration parses `size` times (one in
every four parses the regenerated source, so both must agree). Checked by counting the declarations,
functions, statements and expressions the file contains."""
import os
import re

from pycparser import c_ast, c_generator, c_parser

DEFAULT_SIZE = 4  # parses per iteration
SOURCE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ring_buffer.c")
EXPECTED = {"FuncDef": 11, "Typedef": 7, "Struct": 16, "Enum": 6, "Decl": 87, "Switch": 1, "Case": 6, "For": 7,
            "While": 3, "If": 22, "FuncCall": 15, "Assignment": 52, "BinaryOp": 97, "StructRef": 76, "ID": 357}


class Census(c_ast.NodeVisitor):
    def __init__(self):
        self.counts = {}

    def generic_visit(self, node):
        name = type(node).__name__
        self.counts[name] = self.counts.get(name, 0) + 1
        for child in node:
            self.visit(child)


def setup(size):
    with open(SOURCE_PATH) as f:
        # pycparser reads preprocessed C; the only preprocessing the file needs is dropping its comments.
        source = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    return {"source": source, "size": size}


def run(state):
    parser = c_parser.CParser()
    generator = c_generator.CGenerator()
    source = state["source"]
    censuses = []
    for i in range(state["size"]):
        ast = parser.parse(source, filename="ring_buffer.c")
        census = Census()
        census.visit(ast)
        censuses.append(census.counts)
        if i % 4 == 3:
            source = generator.visit(ast)  # the next parse reads generated code
        else:
            source = state["source"]
    return censuses


def check(result, state):
    if len(result) != state["size"]:
        raise AssertionError("%d parses, expected %d" % (len(result), state["size"]))
    for counts in result:
        if counts != result[0]:
            raise AssertionError("parsing the regenerated C gave a different tree")
        for node, expected in EXPECTED.items():
            if counts.get(node, 0) != expected:
                raise AssertionError("%s: %d, expected %d" % (node, counts.get(node, 0), expected))


if __name__ == "__main__":
    print(sorted(run(setup(1))[0].items()))
