# deltablue: the DeltaBlue incremental one-way constraint solver (Freeman-Benson, Maloney and Borning)
# exercised by a long equality chain and a scale/offset projection, each re-planned after edits.
# Polymorphic method calls over a small class hierarchy. The checks are the constraints themselves: the
# values read back must equal the closed-form solution.
DEFAULT_SIZE = 700  # variables in the chain and in the projection

# Strengths: a smaller number is stronger.
REQUIRED, STRONG_PREFERRED, PREFERRED, STRONG_DEFAULT, NORMAL, WEAK_DEFAULT, WEAKEST = range(7)
NONE, FORWARD, BACKWARD = 0, 1, 2
CHAIN_EDITS = 100
CHANGE_REPEATS = 10


def stronger(a, b):
    return a < b


def weaker(a, b):
    return a > b


class SolverError(Exception):
    pass


class Variable(object):
    def __init__(self, name, value=0):
        self.name = name
        self.value = value
        self.constraints = []
        self.determined_by = None
        self.mark = 0
        self.walk_strength = WEAKEST
        self.stay = True

    def add_constraint(self, c):
        self.constraints.append(c)

    def remove_constraint(self, c):
        self.constraints.remove(c)
        if self.determined_by is c:
            self.determined_by = None


class Constraint(object):
    def __init__(self, planner, strength):
        self.planner = planner
        self.strength = strength

    def install(self):
        self.add_to_graph()
        self.planner.incremental_add(self)

    def uninstall(self):
        if self.is_satisfied():
            self.planner.incremental_remove(self)
        else:
            self.remove_from_graph()

    def is_input(self):
        return False

    def satisfy(self, mark):
        """Satisfies the constraint if it can; returns the constraint it overrode, if any."""
        self.choose_method(mark)
        if not self.is_satisfied():
            if self.strength == REQUIRED:
                raise SolverError("could not satisfy a required constraint")
            return None
        self.mark_inputs(mark)
        out = self.output()
        overridden = out.determined_by
        if overridden is not None:
            overridden.mark_unsatisfied()
        out.determined_by = self
        if not self.planner.add_propagate(self, mark):
            raise SolverError("cycle encountered")
        out.mark = mark
        return overridden


class UnaryConstraint(Constraint):
    def __init__(self, planner, var, strength):
        Constraint.__init__(self, planner, strength)
        self.var = var
        self.satisfied = False
        self.install()

    def add_to_graph(self):
        self.var.add_constraint(self)
        self.satisfied = False

    def remove_from_graph(self):
        self.var.remove_constraint(self)
        self.satisfied = False

    def choose_method(self, mark):
        self.satisfied = self.var.mark != mark and stronger(self.strength, self.var.walk_strength)

    def is_satisfied(self):
        return self.satisfied

    def mark_inputs(self, mark):
        pass

    def output(self):
        return self.var

    def recalculate(self):
        self.var.walk_strength = self.strength
        self.var.stay = not self.is_input()
        if self.var.stay:
            self.execute()

    def mark_unsatisfied(self):
        self.satisfied = False

    def inputs_known(self, mark):
        return True

    def execute(self):
        pass


class StayConstraint(UnaryConstraint):
    """Keeps a variable at its value unless something stronger changes it."""


class EditConstraint(UnaryConstraint):
    """Marks a variable as set from outside the solver."""

    def is_input(self):
        return True


class BinaryConstraint(Constraint):
    def __init__(self, planner, v1, v2, strength):
        Constraint.__init__(self, planner, strength)
        self.v1 = v1
        self.v2 = v2
        self.direction = NONE
        self.install()

    def add_to_graph(self):
        self.v1.add_constraint(self)
        self.v2.add_constraint(self)
        self.direction = NONE

    def remove_from_graph(self):
        self.v1.remove_constraint(self)
        self.v2.remove_constraint(self)
        self.direction = NONE

    def choose_method(self, mark):
        v1, v2 = self.v1, self.v2
        if v1.mark == mark:
            ok = v2.mark != mark and stronger(self.strength, v2.walk_strength)
            self.direction = FORWARD if ok else NONE
        elif v2.mark == mark:
            ok = v1.mark != mark and stronger(self.strength, v1.walk_strength)
            self.direction = BACKWARD if ok else NONE
        elif weaker(v1.walk_strength, v2.walk_strength):
            self.direction = BACKWARD if stronger(self.strength, v1.walk_strength) else NONE
        else:
            self.direction = FORWARD if stronger(self.strength, v2.walk_strength) else NONE

    def is_satisfied(self):
        return self.direction != NONE

    def mark_inputs(self, mark):
        self.input().mark = mark

    def input(self):
        return self.v1 if self.direction == FORWARD else self.v2

    def output(self):
        return self.v2 if self.direction == FORWARD else self.v1

    def recalculate(self):
        source, out = self.input(), self.output()
        out.walk_strength = max(self.strength, source.walk_strength)
        out.stay = source.stay
        if out.stay:
            self.execute()

    def mark_unsatisfied(self):
        self.direction = NONE

    def inputs_known(self, mark):
        source = self.input()
        return source.mark == mark or source.stay or source.determined_by is None


class EqualityConstraint(BinaryConstraint):
    def execute(self):
        self.output().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    """dest = src * scale + offset, solvable in either direction."""

    def __init__(self, planner, src, scale, offset, dest, strength):
        self.scale = scale
        self.offset = offset
        BinaryConstraint.__init__(self, planner, src, dest, strength)

    def add_to_graph(self):
        BinaryConstraint.add_to_graph(self)
        self.scale.add_constraint(self)
        self.offset.add_constraint(self)

    def remove_from_graph(self):
        BinaryConstraint.remove_from_graph(self)
        self.scale.remove_constraint(self)
        self.offset.remove_constraint(self)

    def mark_inputs(self, mark):
        BinaryConstraint.mark_inputs(self, mark)
        self.scale.mark = self.offset.mark = mark

    def execute(self):
        if self.direction == FORWARD:
            self.v2.value = self.v1.value * self.scale.value + self.offset.value
        else:
            self.v1.value = (self.v2.value - self.offset.value) // self.scale.value

    def recalculate(self):
        source, out = self.input(), self.output()
        out.walk_strength = max(self.strength, source.walk_strength)
        out.stay = source.stay and self.scale.stay and self.offset.stay
        if out.stay:
            self.execute()


class Planner(object):
    def __init__(self):
        self.current_mark = 0

    def new_mark(self):
        self.current_mark += 1
        return self.current_mark

    def incremental_add(self, c):
        mark = self.new_mark()
        overridden = c.satisfy(mark)
        while overridden is not None:
            overridden = overridden.satisfy(mark)

    def incremental_remove(self, c):
        out = c.output()
        c.mark_unsatisfied()
        c.remove_from_graph()
        unsatisfied = self.remove_propagate_from(out)
        # Re-satisfy what the removal released, strongest first.
        for strength in range(REQUIRED, WEAKEST):
            for u in unsatisfied:
                if u.strength == strength:
                    self.incremental_add(u)

    def make_plan(self, sources):
        mark = self.new_mark()
        plan = []
        todo = list(sources)
        while todo:
            c = todo.pop()
            out = c.output()
            if out.mark != mark and c.inputs_known(mark):
                plan.append(c)
                out.mark = mark
                self.add_constraints_consuming_to(out, todo)
        return plan

    def extract_plan(self, constraints):
        return self.make_plan([c for c in constraints if c.is_input() and c.is_satisfied()])

    def add_propagate(self, c, mark):
        todo = [c]
        while todo:
            d = todo.pop()
            if d.output().mark == mark:
                self.incremental_remove(c)
                return False
            d.recalculate()
            self.add_constraints_consuming_to(d.output(), todo)
        return True

    def remove_propagate_from(self, out):
        out.determined_by = None
        out.walk_strength = WEAKEST
        out.stay = True
        unsatisfied = []
        todo = [out]
        while todo:
            v = todo.pop()
            determining = v.determined_by
            for c in v.constraints:
                if not c.is_satisfied():
                    unsatisfied.append(c)
                elif c is not determining:
                    c.recalculate()
                    todo.append(c.output())
        return unsatisfied

    def add_constraints_consuming_to(self, v, todo):
        determining = v.determined_by
        for c in v.constraints:
            if c is not determining and c.is_satisfied():
                todo.append(c)


def execute(plan):
    for c in plan:
        c.execute()


def change(planner, var, value):
    edit = EditConstraint(planner, var, PREFERRED)
    plan = planner.extract_plan([edit])
    for _ in range(CHANGE_REPEATS):
        var.value = value
        execute(plan)
    edit.uninstall()


def chain(n):
    """Returns the value at the far end of an n-long equality chain after each edit of its start."""
    planner = Planner()
    variables = [Variable("v%d" % i) for i in range(n + 1)]
    for a, b in zip(variables, variables[1:]):
        EqualityConstraint(planner, a, b, REQUIRED)
    StayConstraint(planner, variables[-1], STRONG_DEFAULT)
    edit = EditConstraint(planner, variables[0], PREFERRED)
    plan = planner.extract_plan([edit])
    seen = []
    for i in range(CHAIN_EDITS):
        variables[0].value = i
        execute(plan)
        seen.append(variables[-1].value)
    edit.uninstall()
    return seen


def projection(n):
    """Returns the values observed after changing each end of n scale constraints dst = src * 10 + 1000."""
    planner = Planner()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    sources, dests = [], []
    for i in range(n):
        src = Variable("src%d" % i, i)
        dst = Variable("dst%d" % i, i)
        sources.append(src)
        dests.append(dst)
        StayConstraint(planner, src, NORMAL)
        ScaleConstraint(planner, src, scale, offset, dst, REQUIRED)
    change(planner, sources[-1], 17)
    after_src = dests[-1].value
    change(planner, dests[-1], 1050)
    after_dst = sources[-1].value
    change(planner, scale, 5)
    after_scale = [d.value for d in dests[:-1]]
    change(planner, offset, 2000)
    after_offset = [d.value for d in dests[:-1]]
    return after_src, after_dst, after_scale, after_offset


def run(n):
    return chain(n), projection(n)


def check(result, n):
    seen, (after_src, after_dst, after_scale, after_offset) = result
    if seen != list(range(CHAIN_EDITS)):
        raise AssertionError("equality chain did not propagate edits: %r..." % (seen[:5],))
    if after_src != 17 * 10 + 1000:
        raise AssertionError("projection forward gave %r, expected 1170" % (after_src,))
    if after_dst != (1050 - 1000) // 10:
        raise AssertionError("projection backward gave %r, expected 5" % (after_dst,))
    if after_scale != [i * 5 + 1000 for i in range(n - 1)]:
        raise AssertionError("projection after scale change is wrong")
    if after_offset != [i * 5 + 2000 for i in range(n - 1)]:
        raise AssertionError("projection after offset change is wrong")
