#!/usr/bin/env python3.11
"""Compile the stdlib with Programs/_dis and check the bytecode.

Usage: python3.11 Tools/test/host/test_compile_stdlib.py --build-dir DIR
                  [--stdlib DIR] [--jobs N] [--verbose] [--positions]
                  [FILE...]

Plait's bytecode is its own, so there is no CPython output to compare it
with byte for byte.  For every .py file under the system python3.11
directory (the test suite included) this checks, with the file compiled
live by this interpreter as the reference:

  * a file CPython compiles, _dis compiles; a file CPython rejects with a
    SyntaxError, _dis rejects with the same type, message, line, offset,
    end line and end offset;
  * every code unit passes _dis's verifier: each instruction decodes,
    every jump target and exception-table entry (range ends and handler)
    is an instruction start, the stack depth computed along every path
    (exception edges included) never goes below zero, agrees where paths
    meet, and reaches exactly the declared stack size;
  * the code units correspond one to one with CPython's code objects
    (same qualname and first line), with the same co_flags, argument
    counts, co_varnames, co_cellvars and co_freevars;
  * each unit's set of line numbers (from its location table) equals
    {line for _, _, line in code.co_lines() if line}, and its set of
    (line, end line, column, end column) positions equals the set
    co_positions() gives (--lines-only checks lines only);
  * co_consts are equal (values and their order; frozensets as sets,
    nested code objects by name and line);
  * every LOAD_FAST (the form that does not check for an unbound local)
    reads a local that an independent definite-assignment analysis of
    the bytecode, exception edges included, finds bound on every path;
  * with --sequences, also that the instruction sequence equals CPython's
    once PRECALL and EXTENDED_ARG are dropped, LOAD_FAST_CHECK is read as
    LOAD_FAST and jump directions are ignored (reported, never fails).

The same checks run over Lib/test/compiler/cases/*.py, small programs
that exercise what the stdlib rarely does (a first line "# mode: eval" or
"# mode: single" compiles them in that mode).  Files listed in
Lib/test/compiler/compile_known_failures.txt may differ; the run fails only
on an unlisted difference.
"""

import argparse
import bisect
import collections
import json
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import types
import warnings

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DEFAULT_STDLIB = ("/usr/lib/python3.11" if os.path.isdir("/usr/lib/python3.11")
                  else sysconfig.get_paths()["stdlib"])
KNOWN = os.path.join(ROOT, "Lib", "test", "compiler",
                     "compile_known_failures.txt")
CASES = os.path.join(ROOT, "Lib", "test", "compiler", "cases")

# co_flags bits both sides must agree on (CO_NOFREE is never set in 3.11).
FLAG_MASK = 0x3FF | 0x1FE0000


def error_line(e):
    if isinstance(e, SyntaxError):
        return "%s: %s (%s, %s, %s, %s)" % (
            type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno,
            e.end_offset)
    return "%s: %s" % (type(e).__name__, e)


def source_mode(source):
    first = source.split(b"\n", 1)[0].strip()
    if first.startswith(b"# mode:"):
        return first[7:].strip().decode()
    return "exec"


def reference(source, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return compile(source, path, source_mode(source),
                           dont_inherit=True), None
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            return None, error_line(e)


def walk_code(co, out):
    out.append(co)
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            walk_code(c, out)
    return out


def const_repr(c):
    if isinstance(c, types.CodeType):
        return "<code %s, line %d>" % (c.co_name, c.co_firstlineno)
    if isinstance(c, frozenset):
        return "frozenset(%s)" % sorted(const_repr(x) for x in c)
    if isinstance(c, tuple):
        return "(%s%s)" % (", ".join(const_repr(x) for x in c),
                           "," if len(c) == 1 else "")
    return repr(c)


def our_const_repr(text):
    """_dis prints repr(); frozensets come in our order: compare sorted."""
    if text.startswith("<code object "):
        return "<code " + text[len("<code object "):]
    if "frozenset" not in text:
        return text
    try:
        value = eval(text, {"__builtins__": {}, "frozenset": frozenset,
                            "Ellipsis": Ellipsis})
    except Exception:
        return text
    return const_repr(value)


def ref_info(co):
    lines = {l for _, _, l in co.co_lines() if l}
    positions = {p for p in co.co_positions() if p[0]}
    return {
        "flags": co.co_flags & FLAG_MASK,
        "argcount": co.co_argcount,
        "posonlyargcount": co.co_posonlyargcount,
        "kwonlyargcount": co.co_kwonlyargcount,
        "varnames": list(co.co_varnames),
        "cellvars": list(co.co_cellvars),
        "freevars": list(co.co_freevars),
        "consts": [const_repr(c) for c in co.co_consts],
        "lines": lines,
        "positions": positions,
    }


def our_info(unit):
    lines = set()
    positions = set()
    for ins in unit["code"]:
        _, _, _, line, end_line, col, end_col, _, _, _ = ins
        if line > 0:
            lines.add(line)
            positions.add((line, end_line, None if col < 0 else col,
                           None if end_col < 0 else end_col))
    return {
        "flags": unit["flags"] & FLAG_MASK,
        "argcount": unit["argcount"],
        "posonlyargcount": unit["posonlyargcount"],
        "kwonlyargcount": unit["kwonlyargcount"],
        "varnames": unit["varnames"],
        "cellvars": unit["cellvars"],
        "freevars": unit["freevars"],
        "consts": [our_const_repr(c) for c in unit["consts"]],
        "lines": lines,
        "positions": positions,
    }


UNCONDITIONAL = {"RETURN_VALUE", "RAISE_VARARGS", "RERAISE", "JUMP_FORWARD",
                 "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}


def check_fast_loads(unit):
    """Problems with LOAD_FAST of a local not bound on every path.

    Forward analysis over the instructions: the set (a bit mask) of locals
    bound before each instruction is the intersection over its
    predecessors: the previous instruction, jumps to it and, for a
    handler, every instruction its exception-table entries cover."""
    code = unit["code"]
    n = len(code)
    if n == 0:
        return []
    offsets = [ins[0] for ins in code]
    index = {off: k for k, off in enumerate(offsets)}
    handler = [None] * n
    for start, end, target, _, _ in unit["exceptiontable"]:
        k = bisect.bisect_left(offsets, start)
        while k < n and offsets[k] < end:
            handler[k] = index[target]
            k += 1
    succs = []
    for k, ins in enumerate(code):
        out = []
        if ins[9].startswith("to "):
            out.append(index[int(ins[9][3:])])
        if ins[1] not in UNCONDITIONAL and k + 1 < n:
            out.append(k + 1)
        if handler[k] is not None:
            out.append(handler[k])
        succs.append(out)
    nparams = (unit["argcount"] + unit["kwonlyargcount"]
               + bool(unit["flags"] & 0x04) + bool(unit["flags"] & 0x08))
    ALL = -1
    state = [None] * n
    state[0] = (1 << nparams) - 1
    work = [0]
    while work:
        k = work.pop()
        cur = state[k]
        ins = code[k]
        # A handler sees the state before the instruction that raised.
        if handler[k] is not None:
            h = handler[k]
            new = cur if state[h] is None else state[h] & cur
            if new != state[h]:
                state[h] = new
                work.append(h)
        op = ins[1]
        if op in ("LOAD_FAST", "LOAD_FAST_CHECK", "STORE_FAST"):
            cur |= 1 << ins[2]
        elif op == "DELETE_FAST":
            cur &= ALL ^ (1 << ins[2])
        for t in succs[k]:
            if t == handler[k]:
                continue
            new = cur if state[t] is None else state[t] & cur
            if new != state[t]:
                state[t] = new
                work.append(t)
    problems = []
    for k, ins in enumerate(code):
        if (ins[1] == "LOAD_FAST" and state[k] is not None
                and not state[k] >> ins[2] & 1):
            problems.append("%s: LOAD_FAST %s at %d may read an unbound "
                            "local" % (unit["qualname"], ins[9], ins[0]))
    return problems


def normalized_ref(co):
    import dis
    pos = list(co.co_positions())
    out = []
    for ins in dis.get_instructions(co):
        if ins.opname in ("PRECALL", "EXTENDED_ARG"):
            continue
        op = ins.opname.replace("_FORWARD", "").replace("_BACKWARD", "")
        out.append((op, pos[ins.offset // 2]))
    return out


def normalized_ours(unit):
    out = []
    for ins in unit["code"]:
        if ins[1] == "EXTENDED_ARG":
            continue
        op = ins[1].replace("_FORWARD", "").replace("_BACKWARD", "")
        if op == "LOAD_FAST_CHECK":
            op = "LOAD_FAST"
        out.append((op, (ins[3] if ins[3] >= 0 else None,
                         ins[4] if ins[4] >= 0 else None,
                         ins[5] if ins[5] >= 0 else None,
                         ins[6] if ins[6] >= 0 else None)))
    return out


def compare(path, source, dis_out, want_positions, sequences):
    """Return (problems, position_mismatches, sequence_mismatches)."""
    ref, err = reference(source, path)
    if err is not None:
        got = dis_out.strip().splitlines()
        got = got[-1] if got else ""
        if got != err:
            return ["error: want %r, got %r" % (err, got[:300])], 0, 0
        return [], 0, 0
    try:
        units = json.loads(dis_out)
    except ValueError:
        return ["no valid output: %r" % dis_out[-300:]], 0, 0
    problems = []
    for u in units:
        if u["verify"] != "ok":
            problems.append("%s: verify: %s" % (u["qualname"], u["verify"]))
        problems.extend(check_fast_loads(u))
    refs = collections.defaultdict(list)
    for co in walk_code(ref, []):
        refs[(co.co_qualname, co.co_firstlineno)].append(co)
    ours = collections.defaultdict(list)
    for u in units:
        ours[(u["qualname"], u["firstlineno"])].append(u)
    if set(refs) != set(ours):
        missing = sorted(set(refs) - set(ours))[:5]
        extra = sorted(set(ours) - set(refs))[:5]
        problems.append("code objects differ: missing %s, extra %s"
                        % (missing, extra))
    npos = nseq = 0
    for key in sorted(set(refs) & set(ours), key=str):
        for co, u in zip(refs[key], ours[key]):
            if sequences and normalized_ref(co) != normalized_ours(u):
                nseq += 1
            a, b = ref_info(co), our_info(u)
            for field in ("flags", "argcount", "posonlyargcount",
                          "kwonlyargcount", "varnames", "cellvars",
                          "freevars", "consts"):
                if a[field] != b[field]:
                    problems.append("%s line %d: %s: want %r, got %r" % (
                        key[0], key[1], field, a[field], b[field]))
            if a["lines"] != b["lines"]:
                problems.append("%s line %d: lines: missing %s, extra %s" % (
                    key[0], key[1], sorted(a["lines"] - b["lines"]),
                    sorted(b["lines"] - a["lines"])))
            if a["positions"] != b["positions"]:
                npos += 1
                if want_positions:
                    problems.append(
                        "%s line %d: positions: missing %s, extra %s" % (
                            key[0], key[1],
                            sorted(a["positions"] - b["positions"],
                                   key=str)[:4],
                            sorted(b["positions"] - a["positions"],
                                   key=str)[:4]))
    return problems, npos, nseq


def check(args):
    dis, path, want_positions, sequences = args
    with open(path, "rb") as f:
        source = f.read()
    try:
        proc = subprocess.run([dis, "--json", "--mode=" + source_mode(source),
                               path], capture_output=True, timeout=120)
        out = proc.stdout.decode("utf-8", "surrogateescape")
        if proc.returncode not in (0, 1):
            return path, ["[exit status %d] %s" % (
                proc.returncode, proc.stderr.decode("utf-8", "replace")[-300:])
            ], 0, 0
    except subprocess.TimeoutExpired:
        return path, ["[timeout]"], 0, 0
    problems, npos, nseq = compare(path, source, out, want_positions,
                                   sequences)
    return path, problems, npos, nseq


def load_known():
    known = set()
    try:
        with open(KNOWN) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    known.add(line)
    except FileNotFoundError:
        pass
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--stdlib", default=DEFAULT_STDLIB)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--lines-only", action="store_true")
    ap.add_argument("--sequences", action="store_true")
    ap.add_argument("files", nargs="*")
    opts = ap.parse_args()
    dis = os.path.join(os.path.abspath(opts.build_dir), "Programs", "_dis")
    if not os.access(dis, os.X_OK):
        sys.exit("no executable %s" % dis)
    stdlib = os.path.realpath(opts.stdlib)
    files = opts.files
    if not files:
        for dirpath, dirnames, filenames in os.walk(stdlib):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in ("__pycache__", "site-packages",
                                              "dist-packages"))
            for name in sorted(filenames):
                if name.endswith(".py"):
                    files.append(os.path.join(dirpath, name))
        if os.path.isdir(CASES):
            files.extend(sorted(os.path.join(CASES, n)
                                for n in os.listdir(CASES)
                                if n.endswith(".py")))
    known = load_known()
    good = bad = known_bad = units_pos = units_seq = 0
    fixed = []
    with multiprocessing.Pool(opts.jobs) as pool:
        for path, problems, npos, nseq in pool.imap_unordered(
                check, [(dis, f, not opts.lines_only, opts.sequences)
                        for f in files], chunksize=4):
            rel = os.path.relpath(path, stdlib)
            if path.startswith(CASES):
                rel = os.path.relpath(path, ROOT)
            units_pos += npos
            units_seq += nseq
            if not problems:
                good += 1
                if rel in known:
                    fixed.append(rel)
            elif rel in known:
                known_bad += 1
            else:
                bad += 1
                print("DIFFERENT: %s" % rel)
                if opts.verbose:
                    for p in problems[:8]:
                        print("    " + p)
    for rel in sorted(fixed):
        print("now passes (remove from compile_known_failures.txt): %s"
              % rel)
    if opts.sequences:
        print("%d code units with another instruction sequence than CPython"
              % units_seq)
    print("%d good, %d different, %d known (of %d files); %d code units "
          "with other positions than CPython"
          % (good, bad, known_bad, len(files), units_pos))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
