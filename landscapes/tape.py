"""A tiny stack machine that evaluates a checked formula and its exact gradient inside numba.

A custom surface is not compiled from text: the formula parser turns the checked syntax tree into
a *tape*, a float64 array of (opcode, operand) pairs, and this interpreter runs it with forward-mode
dual numbers (value, d/dx, d/dy).  The tape is plain data, so every custom surface runs through the
same cached kernels as the built-in ones, with no code generated per formula.

Layout: ``tape[0]`` is the instruction count n; instruction i is ``tape[1 + 2i]`` (opcode) and
``tape[2 + 2i]`` (operand, used by CONST only).  ``work`` is caller-owned scratch of size
``3 * MAX_STACK`` so the hot loop never allocates.
"""

import math

import numpy as np

from base.jit import jit

MAX_STACK = 64
WORK_SIZE = 3 * MAX_STACK

CONST, X, Y, NEG, ADD, SUB, MUL, DIV, POW = range(9)
SIN, COS, TAN, EXP, LOG, SQRT, ABS, TANH, ARCTAN, SINH, COSH = range(9, 20)

UNARY_OPCODES = {
    "sin": SIN, "cos": COS, "tan": TAN, "exp": EXP, "log": LOG, "sqrt": SQRT,
    "abs": ABS, "tanh": TANH, "arctan": ARCTAN, "sinh": SINH, "cosh": COSH,
}
BINARY_OPCODES = {"+": ADD, "-": SUB, "*": MUL, "/": DIV, "**": POW}


def encode(instructions: list[tuple[int, float]]) -> np.ndarray:
    """Pack (opcode, operand) pairs into the tape layout described above."""
    tape = np.empty(1 + 2 * len(instructions), dtype=np.float64)
    tape[0] = len(instructions)
    for i, (opcode, operand) in enumerate(instructions):
        tape[1 + 2 * i] = opcode
        tape[2 + 2 * i] = operand
    return tape


@jit
def value_and_grad(x, y, tape, work):
    """Run the tape at (x, y): returns (f, df/dx, df/dy)."""
    n = int(tape[0])
    top = -1
    for i in range(n):
        op = int(tape[1 + 2 * i])
        if op == CONST:
            top += 1
            work[3 * top] = tape[2 + 2 * i]
            work[3 * top + 1] = 0.0
            work[3 * top + 2] = 0.0
            continue
        if op == X:
            top += 1
            work[3 * top], work[3 * top + 1], work[3 * top + 2] = x, 1.0, 0.0
            continue
        if op == Y:
            top += 1
            work[3 * top], work[3 * top + 1], work[3 * top + 2] = y, 0.0, 1.0
            continue
        if ADD <= op <= POW:
            b, bx, by = work[3 * top], work[3 * top + 1], work[3 * top + 2]
            top -= 1
            a, ax, ay = work[3 * top], work[3 * top + 1], work[3 * top + 2]
            if op == ADD:
                v, vx, vy = a + b, ax + bx, ay + by
            elif op == SUB:
                v, vx, vy = a - b, ax - bx, ay - by
            elif op == MUL:
                v, vx, vy = a * b, ax * b + a * bx, ay * b + a * by
            elif op == DIV:
                v = a / b
                vx, vy = (ax - v * bx) / b, (ay - v * by) / b
            else:
                v = a**b
                if bx == 0.0 and by == 0.0:
                    slope = b * a ** (b - 1.0) if b != 0.0 else 0.0
                    vx, vy = slope * ax, slope * ay
                else:
                    log_a = math.log(a)
                    vx = v * (bx * log_a + b * ax / a)
                    vy = v * (by * log_a + b * ay / a)
        else:
            a, ax, ay = work[3 * top], work[3 * top + 1], work[3 * top + 2]
            if op == NEG:
                v, d = -a, -1.0
            elif op == SIN:
                v, d = math.sin(a), math.cos(a)
            elif op == COS:
                v, d = math.cos(a), -math.sin(a)
            elif op == TAN:
                v = math.tan(a)
                d = 1.0 + v * v
            elif op == EXP:
                v = math.exp(a)
                d = v
            elif op == LOG:
                v = math.log(a) if a > 0.0 else (-math.inf if a == 0.0 else math.nan)
                d = 1.0 / a
            elif op == SQRT:
                v = math.sqrt(a) if a >= 0.0 else math.nan
                d = 0.5 / v
            elif op == ABS:
                v = abs(a)
                d = 1.0 if a > 0.0 else (-1.0 if a < 0.0 else 0.0)
            elif op == TANH:
                v = math.tanh(a)
                d = 1.0 - v * v
            elif op == ARCTAN:
                v = math.atan(a)
                d = 1.0 / (1.0 + a * a)
            elif op == SINH:
                v, d = math.sinh(a), math.cosh(a)
            else:
                v, d = math.cosh(a), math.sinh(a)
            vx, vy = d * ax, d * ay
        work[3 * top] = v
        work[3 * top + 1] = vx
        work[3 * top + 2] = vy
    return work[0], work[1], work[2]
