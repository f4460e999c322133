/* Assembly: the optimized graph laid out as 16-bit code units, with the
   exception table and the location table (formats in pycore_compile.h),
   plus the readers of both tables and a bytecode verifier. */

#include <stdio.h>
#include <string.h>

#include "Python.h"
#include "pycore_flowgraph.h"

/* ------------------------------------------------------------------ */
/* Growable byte buffers */

typedef struct {
    unsigned char *data;
    int len;
    int alloc;
} bytebuf;

/* Append one byte to B, growing it geometrically. */
static int
put_byte(bytebuf *b, int v)
{
    if (b->len == b->alloc) {
        int n = b->alloc ? b->alloc * 2 : 64;
        unsigned char *p = PyMem_RawRealloc(b->data, (size_t)n);
        if (p == NULL) {
            return -1;
        }
        b->data = p;
        b->alloc = n;
    }
    b->data[b->len++] = (unsigned char)v;
    return 0;
}

/* 6-bit groups, least significant first, 0x40 = more follow. */
static int
put_varint(bytebuf *b, unsigned int v)
{
    while (v >= 0x40) {
        if (put_byte(b, 0x40 | (v & 0x3F)) < 0) {
            return -1;
        }
        v >>= 6;
    }
    return put_byte(b, (int)v);
}

/* Signed varint of the location table: sign in the low bit. */
static int
put_svarint(bytebuf *b, int v)
{
    unsigned int u = v < 0 ? (((unsigned int)-v) << 1) | 1
                           : ((unsigned int)v) << 1;
    return put_varint(b, u);
}

/* 6-bit groups, most significant first, 0x40 = more follow; MARK (0x80 or
   0) is or-ed into the first byte. */
static int
put_exc_varint(bytebuf *b, unsigned int v, int mark)
{
    int shift = 0;
    while ((v >> shift) >= 0x40) {
        shift += 6;
    }
    while (shift > 0) {
        if (put_byte(b, mark | 0x40 | ((v >> shift) & 0x3F)) < 0) {
            return -1;
        }
        mark = 0;
        shift -= 6;
    }
    return put_byte(b, mark | (v & 0x3F));
}

/* ------------------------------------------------------------------ */
/* Layout */

typedef struct {
    _PyBlock **blocks;
    int nblocks;
} layout;

/* EXTENDED_ARG prefixes needed for OPARG. */
static int
ext_units(unsigned int oparg)
{
    return oparg > 0xFFFFFF ? 3 : oparg > 0xFFFF ? 2 : oparg > 0xFF ? 1 : 0;
}

/* Code units IN occupies: prefixes, the instruction, its caches. */
static int
instr_size(const _PyInstr *in)
{
    int op = in->opcode;
    return 1 + ext_units((unsigned int)in->oparg) + _PyOpcode_Caches[op];
}

/* Pick the direction of every jump, now that the order is final. */
static int
resolve_jump_opcodes(layout *L)
{
    for (int k = 0; k < L->nblocks; k++) {
        _PyBlock *b = L->blocks[k];
        b->visited = 0;
        b->offset = k;          /* order index for now */
    }
    for (int k = 0; k < L->nblocks; k++) {
        _PyBlock *b = L->blocks[k];
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (in->target == NULL) {
                continue;
            }
            int backward = in->target->offset <= k;
            switch (in->opcode) {
            case JUMP:
                in->opcode = backward ? JUMP_BACKWARD : JUMP_FORWARD;
                break;
            case JUMP_NO_INTERRUPT:
                in->opcode = backward ? JUMP_BACKWARD_NO_INTERRUPT
                                      : JUMP_FORWARD;
                break;
            case POP_JUMP_IF_FALSE:
                in->opcode = backward ? POP_JUMP_BACKWARD_IF_FALSE
                                      : POP_JUMP_FORWARD_IF_FALSE;
                break;
            case POP_JUMP_IF_TRUE:
                in->opcode = backward ? POP_JUMP_BACKWARD_IF_TRUE
                                      : POP_JUMP_FORWARD_IF_TRUE;
                break;
            case POP_JUMP_IF_NONE:
                in->opcode = backward ? POP_JUMP_BACKWARD_IF_NONE
                                      : POP_JUMP_FORWARD_IF_NONE;
                break;
            case POP_JUMP_IF_NOT_NONE:
                in->opcode = backward ? POP_JUMP_BACKWARD_IF_NOT_NONE
                                      : POP_JUMP_FORWARD_IF_NOT_NONE;
                break;
            default:
                if (backward) {
                    /* FOR_ITER, SEND and the *_OR_POP jumps only go
                       forward; the code generator never lays them out
                       otherwise. */
                    return -1;
                }
                break;
            }
        }
    }
    return 0;
}

/* Compute offsets and jump arguments until the sizes (which depend on
   EXTENDED_ARG prefixes, which depend on the offsets) settle. */
static int
resolve_offsets(layout *L)
{
    for (int round = 0; round < 32; round++) {
        int offset = 0;
        for (int k = 0; k < L->nblocks; k++) {
            _PyBlock *b = L->blocks[k];
            b->offset = offset;
            for (int i = 0; i < b->ninstrs; i++) {
                offset += instr_size(&b->instrs[i]);
            }
        }
        int changed = 0;
        for (int k = 0; k < L->nblocks; k++) {
            _PyBlock *b = L->blocks[k];
            int pos = b->offset;
            for (int i = 0; i < b->ninstrs; i++) {
                _PyInstr *in = &b->instrs[i];
                int size = instr_size(in);
                pos += size;
                if (in->target == NULL) {
                    continue;
                }
                int flags = _PyOpcode_GetFlags(in->opcode);
                int arg = (flags & _PYOP_BACKWARD) ? pos - in->target->offset
                                                   : in->target->offset - pos;
                if (arg < 0) {
                    return -1;
                }
                if (arg != in->oparg) {
                    in->oparg = arg;
                    if (instr_size(in) != size) {
                        changed = 1;
                    }
                }
            }
        }
        if (!changed) {
            return offset;
        }
    }
    return -1;
}

/* Write the final code units (prefixes, instruction, zeroed caches) block
   by block; jump arguments are relative to the unit after the caches. */
static int
emit_code(layout *L, _PyCodeUnitWord *code)
{
    int pos = 0;
    for (int k = 0; k < L->nblocks; k++) {
        _PyBlock *b = L->blocks[k];
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            unsigned int arg = (unsigned int)in->oparg;
            int ext = ext_units(arg);
            for (int e = ext; e > 0; e--) {
                code[pos++] = _PyCode_MAKE_WORD(EXTENDED_ARG,
                                                (arg >> (8 * e)) & 0xFF);
            }
            code[pos++] = _PyCode_MAKE_WORD(in->opcode, arg & 0xFF);
            for (int c = 0; c < _PyOpcode_Caches[in->opcode]; c++) {
                code[pos++] = 0;
            }
        }
    }
    return pos;
}

/* ------------------------------------------------------------------ */
/* Exception table */

/* One exception table entry covering code units [START, END) handled by
   HANDLER: start, length, target, depth<<1|lasti. */
static int
emit_exc_entry(bytebuf *t, int start, int end, _PyBlock *handler)
{
    int depth = handler->startdepth - 1 - handler->preserve_lasti;
    if (put_exc_varint(t, (unsigned int)start, 0x80) < 0
        || put_exc_varint(t, (unsigned int)(end - start), 0) < 0
        || put_exc_varint(t, (unsigned int)handler->offset, 0) < 0
        || put_exc_varint(t, ((unsigned int)depth << 1)
                             | handler->preserve_lasti, 0) < 0) {
        return -1;
    }
    return 0;
}

/* Merge consecutive instructions with the same handler into ranges and
   encode them in code order. */
static int
build_exception_table(layout *L, bytebuf *t)
{
    _PyBlock *cur = NULL;
    int start = 0, pos = 0;
    for (int k = 0; k < L->nblocks; k++) {
        _PyBlock *b = L->blocks[k];
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (in->handler != cur) {
                if (cur != NULL && emit_exc_entry(t, start, pos, cur) < 0) {
                    return -1;
                }
                cur = in->handler;
                start = pos;
            }
            pos += instr_size(in);
        }
    }
    if (cur != NULL && emit_exc_entry(t, start, pos, cur) < 0) {
        return -1;
    }
    return 0;
}

/* Read one MSB-first 6-bit-group varint of the exception table. */
static unsigned int
read_exc_varint(const unsigned char *table, int size, int *pos)
{
    unsigned int v = 0;
    while (*pos < size) {
        unsigned char byte = table[(*pos)++];
        v = (v << 6) | (byte & 0x3F);
        if (!(byte & 0x40)) {
            break;
        }
    }
    return v;
}

/* Decode the entry at *POS and advance past it; returns 0 at the end of the
   table. */
int
_PyExceptionTable_Next(const unsigned char *table, int size, int *pos,
                       _PyExceptionEntry *entry)
{
    if (*pos >= size) {
        return 0;
    }
    unsigned int start = read_exc_varint(table, size, pos);
    unsigned int length = read_exc_varint(table, size, pos);
    unsigned int target = read_exc_varint(table, size, pos);
    unsigned int dl = read_exc_varint(table, size, pos);
    entry->start = (int)start;
    entry->end = (int)(start + length);
    entry->target = (int)target;
    entry->depth = (int)(dl >> 1);
    entry->lasti = (int)(dl & 1);
    return 1;
}

/* The entry covering code unit INDEX (binary search on entry starts);
   returns 1 and fills ENTRY if found, else 0. */
int
_PyExceptionTable_Find(const unsigned char *table, int size, int index,
                       _PyExceptionEntry *entry)
{
    /* Binary search over entry starts (bytes with 0x80 set). */
    int lo = 0, hi = size;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        while (mid > lo && !(table[mid] & 0x80)) {
            mid--;
        }
        if (mid == lo) {
            break;
        }
        int p = mid;
        unsigned int start = read_exc_varint(table, size, &p);
        if ((int)start <= index) {
            lo = mid;
        }
        else {
            hi = mid;
        }
    }
    int pos = lo;
    _PyExceptionEntry e;
    while (_PyExceptionTable_Next(table, size, &pos, &e)) {
        if (e.start > index) {
            return 0;
        }
        if (index < e.end) {
            *entry = e;
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Location table */

/* True if A and B are the same source range. */
static int
same_loc(_PyLoc a, _PyLoc b)
{
    return a.lineno == b.lineno && a.end_lineno == b.end_lineno
           && a.col_offset == b.col_offset
           && a.end_col_offset == b.end_col_offset;
}

/* One location entry for LENGTH (1..8) code units, choosing the shortest
   form that represents LOC exactly; *LINE tracks the previous line for
   deltas. */
static int
emit_loc_entry(bytebuf *t, _PyLoc loc, int length, int *line)
{
    if (loc.lineno < 0) {
        return put_byte(t, 0x80 | (_PyLocKind_NONE << 3) | (length - 1));
    }
    int delta = loc.lineno - *line;
    *line = loc.lineno;
    int end_lineno = loc.end_lineno < loc.lineno ? loc.lineno
                                                 : loc.end_lineno;
    int col = loc.col_offset, end_col = loc.end_col_offset;
    if (col < 0 || end_col < 0) {
        if (end_lineno == loc.lineno) {
            if (put_byte(t, 0x80 | (_PyLocKind_LINE << 3) | (length - 1)) < 0) {
                return -1;
            }
            return put_svarint(t, delta);
        }
        col = -1;
        end_col = -1;
    }
    else if (end_lineno == loc.lineno) {
        if (delta == 0 && col < 128 && end_col < 128) {
            if (put_byte(t, 0x80 | (_PyLocKind_SHORT << 3) | (length - 1)) < 0
                || put_byte(t, col) < 0 || put_byte(t, end_col) < 0) {
                return -1;
            }
            return 0;
        }
        if (put_byte(t, 0x80 | (_PyLocKind_ONELINE << 3) | (length - 1)) < 0
            || put_svarint(t, delta) < 0
            || put_varint(t, (unsigned int)col) < 0) {
            return -1;
        }
        return put_varint(t, (unsigned int)end_col);
    }
    if (put_byte(t, 0x80 | (_PyLocKind_FULL << 3) | (length - 1)) < 0
        || put_svarint(t, delta) < 0
        || put_varint(t, (unsigned int)(end_lineno - loc.lineno)) < 0
        || put_varint(t, (unsigned int)(col + 1)) < 0) {
        return -1;
    }
    return put_varint(t, (unsigned int)(end_col + 1));
}

/* Location entries for a run of LENGTH code units sharing LOC (split in
   pieces of at most 8). */
static int
emit_loc_run(bytebuf *t, _PyLoc loc, int length, int *line)
{
    while (length > 0) {
        int n = length > 8 ? 8 : length;
        if (emit_loc_entry(t, loc, n, line) < 0) {
            return -1;
        }
        length -= n;
    }
    return 0;
}

/* Encode the location of every code unit (caches and prefixes share their
   instruction's location). */
static int
build_location_table(layout *L, bytebuf *t, int firstlineno)
{
    int line = firstlineno;
    _PyLoc cur = _PyLoc_NONE;
    int run = 0;
    for (int k = 0; k < L->nblocks; k++) {
        _PyBlock *b = L->blocks[k];
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (run > 0 && !same_loc(cur, in->loc)) {
                if (emit_loc_run(t, cur, run, &line) < 0) {
                    return -1;
                }
                run = 0;
            }
            cur = in->loc;
            run += instr_size(in);
        }
    }
    if (run > 0) {
        return emit_loc_run(t, cur, run, &line);
    }
    return 0;
}

/* Start iterating over a location table; FIRSTLINENO is the base for the
   first line delta. */
void
_PyLocation_Begin(_PyLocationIter *it, const unsigned char *table, int size,
                  int firstlineno)
{
    it->p = table;
    it->end = table + size;
    it->line = firstlineno;
    it->unit = 0;
}

/* Unsigned LSB-first varint of the location table (6 payload bits per byte,
   0x40 = more). */
static unsigned int
read_varint(_PyLocationIter *it)
{
    unsigned int v = 0;
    int shift = 0;
    while (it->p < it->end) {
        unsigned char byte = *it->p++;
        v |= (unsigned int)(byte & 0x3F) << shift;
        shift += 6;
        if (!(byte & 0x40)) {
            break;
        }
    }
    return v;
}

/* Signed varint of the location table. */
static int
read_svarint(_PyLocationIter *it)
{
    unsigned int u = read_varint(it);
    return (u & 1) ? -(int)(u >> 1) : (int)(u >> 1);
}

/* Decode the next run of code units with one location; returns 0 at the end
   of the table. */
int
_PyLocation_Next(_PyLocationIter *it, _PyLocationRun *run)
{
    if (it->p >= it->end) {
        return 0;
    }
    unsigned char head = *it->p++;
    int kind = (head >> 3) & 0xF;
    int length = (head & 7) + 1;
    run->start = it->unit;
    run->end = it->unit + length;
    it->unit += length;
    run->col = run->end_col = -1;
    switch (kind) {
    case _PyLocKind_NONE:
        run->lineno = run->end_lineno = -1;
        return 1;
    case _PyLocKind_LINE:
        it->line += read_svarint(it);
        run->lineno = run->end_lineno = it->line;
        return 1;
    case _PyLocKind_SHORT:
        run->lineno = run->end_lineno = it->line;
        run->col = it->p < it->end ? *it->p++ : -1;
        run->end_col = it->p < it->end ? *it->p++ : -1;
        return 1;
    case _PyLocKind_ONELINE:
        it->line += read_svarint(it);
        run->lineno = run->end_lineno = it->line;
        run->col = (int)read_varint(it);
        run->end_col = (int)read_varint(it);
        return 1;
    default:
        it->line += read_svarint(it);
        run->lineno = it->line;
        run->end_lineno = it->line + (int)read_varint(it);
        run->col = (int)read_varint(it) - 1;
        run->end_col = (int)read_varint(it) - 1;
        return 1;
    }
}

/* ------------------------------------------------------------------ */

/* Lay out the optimized CFG of a unit: resolve jump directions and
   EXTENDED_ARG sizes to a fixpoint, then write code, exception table and
   location table into UNIT (arena-allocated). */
int
_PyAssemble(_PyCfg *g, _PyCodeUnit *unit, _PyArena *arena)
{
    layout L = {NULL, 0};
    bytebuf exc = {NULL, 0, 0}, loc = {NULL, 0, 0};
    int res = -1;
    int n = 0;
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        n++;
    }
    L.blocks = PyMem_RawMalloc(sizeof(_PyBlock *) * (size_t)(n + 1));
    if (L.blocks == NULL) {
        return -1;
    }
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        if (b->ninstrs > 0) {
            L.blocks[L.nblocks++] = b;
        }
    }
    /* Jumps to empty blocks land on the next non-empty one. */
    for (int k = 0; k < L.nblocks; k++) {
        _PyBlock *b = L.blocks[k];
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            while (in->target != NULL && in->target->ninstrs == 0) {
                in->target = in->target->next;
            }
        }
    }
    if (resolve_jump_opcodes(&L) < 0) {
        goto done;
    }
    int ncode = resolve_offsets(&L);
    if (ncode < 0) {
        goto done;
    }
    unit->code = _PyArena_Malloc(arena, sizeof(_PyCodeUnitWord)
                                 * (size_t)(ncode ? ncode : 1));
    if (unit->code == NULL) {
        goto done;
    }
    unit->ncode = emit_code(&L, unit->code);
    if (build_exception_table(&L, &exc) < 0
        || build_location_table(&L, &loc, unit->firstlineno) < 0) {
        goto done;
    }
    unit->exctable = _PyArena_Malloc(arena, (size_t)exc.len + 1);
    unit->linetable = _PyArena_Malloc(arena, (size_t)loc.len + 1);
    if (unit->exctable == NULL || unit->linetable == NULL) {
        goto done;
    }
    if (exc.len > 0) {
        memcpy(unit->exctable, exc.data, (size_t)exc.len);
    }
    if (loc.len > 0) {
        memcpy(unit->linetable, loc.data, (size_t)loc.len);
    }
    unit->exctable_size = exc.len;
    unit->linetable_size = loc.len;
    res = 0;
done:
    PyMem_RawFree(L.blocks);
    PyMem_RawFree(exc.data);
    PyMem_RawFree(loc.data);
    return res;
}

/* ------------------------------------------------------------------ */
/* Verification */

typedef struct {
    const _PyCodeUnit *unit;
    int *depth;             /* before each code unit, -1 unknown */
    unsigned char *start;   /* 1 where an instruction starts */
    int *todo;
    int ntodo;
    int maxdepth;
    char *msg;
    size_t msgsize;
} verifier;

/* Record a verification failure at code unit OFFSET. */
static int
vfail(verifier *v, const char *what, int offset)
{
    snprintf(v->msg, v->msgsize, "%s at code unit %d", what, offset);
    return -1;
}

/* Decode the instruction starting at POS (EXTENDED_ARG prefixes
   included); return its total size in code units, or -1. */
static int
decode_at(const _PyCodeUnit *u, int pos, int *op, int *arg)
{
    int size = 0;
    unsigned int a = 0;
    while (pos + size < u->ncode) {
        int o = _PyCode_OPCODE(u->code[pos + size]);
        a = (a << 8) | (unsigned int)_PyCode_OPARG(u->code[pos + size]);
        size++;
        if (o != EXTENDED_ARG) {
            *op = o;
            *arg = (int)a;
            return size + _PyOpcode_Caches[o];
        }
        if (size > 3) {
            return -1;
        }
    }
    return -1;
}

/* Check that TARGET starts an instruction and queue it with stack DEPTH,
   insisting on one depth per instruction. */
static int
vpush(verifier *v, int target, int depth, int from)
{
    if (target < 0 || target >= v->unit->ncode || !v->start[target]) {
        return vfail(v, "jump or handler target is not an instruction",
                     from);
    }
    if (depth < 0) {
        return vfail(v, "stack underflow", from);
    }
    if (depth > v->maxdepth) {
        v->maxdepth = depth;
    }
    if (v->depth[target] < 0) {
        v->depth[target] = depth;
        v->todo[v->ntodo++] = target;
        return 0;
    }
    if (v->depth[target] != depth) {
        return vfail(v, "inconsistent stack depth", target);
    }
    return 0;
}

/* Follow straight-line code from POS, checking opcodes, argument ranges and
   stack depths, and queueing jump targets. */
static int
verify_from(verifier *v, int pos)
{
    const _PyCodeUnit *u = v->unit;
    int depth = v->depth[pos];
    while (pos < u->ncode) {
        int op, arg;
        int size = decode_at(u, pos, &op, &arg);
        if (size < 0 || op >= _PYOP_NUM_REAL || op == CACHE) {
            return vfail(v, "bad instruction", pos);
        }
        int flags = _PyOpcode_Flags[op];
        _PyExceptionEntry e;
        if (_PyExceptionTable_Find(u->exctable, u->exctable_size, pos, &e)) {
            if (e.depth > depth) {
                return vfail(v, "handler depth above the stack", pos);
            }
            if (vpush(v, e.target, e.depth + e.lasti + 1, pos) < 0) {
                return -1;
            }
        }
        int pops = _PyOpcode_NumPopped(op, arg);
        if (pops > depth) {
            return vfail(v, "stack underflow", pos);
        }
        int next = pos + size;
        if (flags & _PYOP_JUMP) {
            int target = (flags & _PYOP_BACKWARD) ? next - arg : next + arg;
            if (vpush(v, target, depth - pops
                      + _PyOpcode_NumPushed(op, arg, 1), pos) < 0) {
                return -1;
            }
        }
        depth = depth - pops + _PyOpcode_NumPushed(op, arg, 0);
        if (depth > v->maxdepth) {
            v->maxdepth = depth;
        }
        if (flags & _PYOP_UNCOND) {
            return 0;
        }
        if (next >= u->ncode) {
            return vfail(v, "falls off the end", pos);
        }
        if (v->depth[next] >= 0) {
            if (v->depth[next] != depth) {
                return vfail(v, "inconsistent stack depth", next);
            }
            return 0;
        }
        v->depth[next] = depth;
        pos = next;
    }
    return 0;
}

/* Check that exception table entries are in order, non-overlapping, inside
   the code, and point at instructions. */
static int
verify_exception_table(verifier *v)
{
    const _PyCodeUnit *u = v->unit;
    int pos = 0, prev_end = 0;
    _PyExceptionEntry e;
    while (_PyExceptionTable_Next(u->exctable, u->exctable_size, &pos, &e)) {
        if (e.start < prev_end || e.end <= e.start || e.end > u->ncode
            || !v->start[e.start]
            || (e.end < u->ncode && !v->start[e.end])) {
            return vfail(v, "bad exception table range", e.start);
        }
        if (e.target >= u->ncode || !v->start[e.target]) {
            return vfail(v, "exception handler is not an instruction",
                         e.start);
        }
        prev_end = e.end;
    }
    return 0;
}

/* Verify the bytecode of UNIT (for tests and as a debug check before
   execution): valid opcodes, arguments and targets, a consistent stack
   depth at every instruction that never goes negative and whose maximum
   is exactly the declared co_stacksize.  DEPTHS, if not NULL, receives
   each code unit's entry depth (-1 if unreachable).  Returns 0, or -1 with
   MSG filled. */
int
_PyCode_VerifyUnit(const _PyCodeUnit *unit, int *depths, char *msg,
                   size_t msgsize)
{
    verifier v = {unit, NULL, NULL, NULL, 0, 0, msg, msgsize};
    int n = unit->ncode, res = -1;
    msg[0] = '\0';
    v.depth = PyMem_RawMalloc(sizeof(int) * (size_t)(n + 1));
    v.start = PyMem_RawCalloc((size_t)n + 1, 1);
    v.todo = PyMem_RawMalloc(sizeof(int) * (size_t)(n + 1));
    if (v.depth == NULL || v.start == NULL || v.todo == NULL) {
        snprintf(msg, msgsize, "out of memory");
        goto done;
    }
    for (int pos = 0; pos < n;) {
        int op, arg;
        int size = decode_at(unit, pos, &op, &arg);
        if (size < 0 || pos + size > n) {
            vfail(&v, "truncated instruction", pos);
            goto done;
        }
        v.start[pos] = 1;
        for (int k = 0; k < size; k++) {
            v.depth[pos + k] = -1;
        }
        pos += size;
    }
    if (n == 0) {
        snprintf(msg, msgsize, "no code");
        goto done;
    }
    if (verify_exception_table(&v) < 0) {
        goto done;
    }
    v.depth[0] = 0;
    v.todo[v.ntodo++] = 0;
    while (v.ntodo > 0) {
        if (verify_from(&v, v.todo[--v.ntodo]) < 0) {
            goto done;
        }
    }
    if (v.maxdepth != unit->stacksize) {
        snprintf(msg, msgsize, "maximum depth %d, declared %d", v.maxdepth,
                 unit->stacksize);
        goto done;
    }
    res = 0;
done:
    if (depths != NULL && v.depth != NULL) {
        memcpy(depths, v.depth, sizeof(int) * (size_t)n);
    }
    PyMem_RawFree(v.depth);
    PyMem_RawFree(v.start);
    PyMem_RawFree(v.todo);
    return res;
}
