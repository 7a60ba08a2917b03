# A known call structure for the stack outputs: main calls heavy() and light(); both call the same work(),
# heavy three times as much as light. work's loop is the only hot code, so ~75% of the samples must be
# <module>;main;heavy;work and ~25% <module>;main;light;work. Argument: rounds (default 40).
import sys


def work(n):
    total = 0
    for i in range(n):  # LINE_LOOP
        total += i * i  # LINE_BODY
    return total


def heavy(n):
    return work(3 * n)  # LINE_HEAVY_CALL


def light(n):
    return work(n)  # LINE_LIGHT_CALL


def main(rounds):
    for _ in range(rounds):
        heavy(20000)  # LINE_MAIN_HEAVY
        light(20000)  # LINE_MAIN_LIGHT


main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
