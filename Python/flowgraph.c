/* The control-flow graph of a unit: optimizations and the analyses that
   assembly needs.

   The passes, in order (the order matters: it decides which instructions
   survive and which line each carries, and both are visible through
   co_lines() and tracebacks; it is the order CPython 3.11 uses):
     1. per block: constant conditions, constant tuples, jump threading
        (only between instructions of the same line), then NOP removal;
        small exit blocks without a line are copied into the jumps that
        reach them; unreachable blocks go; jumps to the next block become
        NOPs;
     2. exit blocks without a line reached by several jumps are duplicated
        so each copy can take its jump's line;
     3. instructions without a line take the line of the instruction
        before them (within a block, into a block with a single
        predecessor);
     4. stack depths, with the SETUP_* pseudo-instructions still there to
        say what each exception handler starts with;
     5. every instruction learns its innermost handler; SETUP_* and
        POP_BLOCK become NOPs and redundant NOPs go;
     6. each LOAD_FAST becomes LOAD_FAST_CHECK unless the local is bound
        on every path to it. */

#include <string.h>

#include "Python.h"
#include "pycore_flowgraph.h"

/* Exit blocks this small (without line numbers) are copied into the
   jumps that reach them. */
#define MAX_COPY_SIZE 4

/* ------------------------------------------------------------------ */
/* Blocks */

/* A new empty block, linked into G's allocation list (which owns it); NULL
   when out of memory. */
_PyBlock *
_PyCfg_NewBlock(_PyCfg *g)
{
    _PyBlock *b = PyMem_RawCalloc(1, sizeof(*b));
    if (b == NULL) {
        return NULL;
    }
    b->alloc_next = g->blocks;
    g->blocks = b;
    b->startdepth = -1;
    b->label = g->nblocks++;
    return b;
}

/* Room for N more instructions in B. */
static int
block_reserve(_PyBlock *b, int n)
{
    if (b->ninstrs + n <= b->allocinstrs) {
        return 0;
    }
    int alloc = b->allocinstrs ? b->allocinstrs * 2 : 16;
    while (alloc < b->ninstrs + n) {
        alloc *= 2;
    }
    _PyInstr *p = PyMem_RawRealloc(b->instrs, sizeof(*p) * (size_t)alloc);
    if (p == NULL) {
        return -1;
    }
    b->instrs = p;
    b->allocinstrs = alloc;
    return 0;
}

/* Append an instruction to B; TARGET is the jump target for jumps and block
   pushes. */
int
_PyBlock_AddInstr(_PyBlock *b, int opcode, int oparg, _PyLoc loc,
                  _PyBlock *target)
{
    if (block_reserve(b, 1) < 0) {
        return -1;
    }
    _PyInstr *in = &b->instrs[b->ninstrs++];
    in->opcode = opcode;
    in->oparg = oparg;
    in->loc = loc;
    in->target = target;
    in->handler = NULL;
    return 0;
}

/* Free every block of G (instructions included). */
void
_PyCfg_Free(_PyCfg *g)
{
    _PyBlock *b = g->blocks;
    while (b != NULL) {
        _PyBlock *next = b->alloc_next;
        PyMem_RawFree(b->instrs);
        PyMem_RawFree(b);
        b = next;
    }
    g->blocks = NULL;
    g->entry = NULL;
}

/* A copy of SRC's instructions in a new block (used to give exit blocks
   their own line numbers). */
static _PyBlock *
copy_block(_PyCfg *g, _PyBlock *src)
{
    _PyBlock *b = _PyCfg_NewBlock(g);
    if (b == NULL || block_reserve(b, src->ninstrs) < 0) {
        return NULL;
    }
    memcpy(b->instrs, src->instrs, sizeof(_PyInstr) * (size_t)src->ninstrs);
    b->ninstrs = src->ninstrs;
    b->exit = src->exit;
    return b;
}

/* A real jump (not an exception-block push). */
static int
is_jump(const _PyInstr *in)
{
    return _PyInstr_IsJump(in) && !_PyInstr_IsBlockPush(in);
}

/* True for the unconditional jump pseudo-instructions. */
static int
is_uncond_jump(const _PyInstr *in)
{
    return in->opcode == JUMP || in->opcode == JUMP_NO_INTERRUPT;
}

/* True if B ends in an instruction that leaves the frame (return, raise,
   reraise). */
static int
block_exits(_PyBlock *b)
{
    _PyInstr *last = _PyBlock_Last(b);
    return last != NULL && _PyInstr_IsExit(last);
}

/* True if any instruction of B has a line number. */
static int
has_lineno(_PyBlock *b)
{
    for (int i = 0; i < b->ninstrs; i++) {
        if (b->instrs[i].loc.lineno >= 0) {
            return 1;
        }
    }
    return 0;
}

/* An exit block all of whose instructions are artificial: it must be copied
   per predecessor so each copy can inherit that predecessor's line. */
static int
is_exit_without_lineno(_PyBlock *b)
{
    return block_exits(b) && !has_lineno(b);
}

/* B or the first non-empty block after it in layout order. */
static _PyBlock *
next_nonempty(_PyBlock *b)
{
    while (b != NULL && b->ninstrs == 0) {
        b = b->next;
    }
    return b;
}

/* ------------------------------------------------------------------ */
/* NOP removal */

/* Remove NOPs that carry no line, or a line the neighbouring instruction
   already shows. */
static void
clean_block(_PyBlock *b)
{
    int dest = 0;
    int prev_lineno = -1;
    for (int src = 0; src < b->ninstrs; src++) {
        _PyInstr *in = &b->instrs[src];
        int lineno = in->loc.lineno;
        if (in->opcode == NOP) {
            /* Eliminate no-op if it doesn't have a line number */
            if (lineno < 0) {
                continue;
            }
            /* or, if the previous instruction had the same line number. */
            if (prev_lineno == lineno) {
                continue;
            }
            /* or, if the next instruction has same line number or no line
               number */
            if (src < b->ninstrs - 1) {
                _PyInstr *next = &b->instrs[src + 1];
                if (next->loc.lineno < 0 || next->loc.lineno == lineno) {
                    if (next->loc.lineno < 0) {
                        next->loc = in->loc;
                    }
                    continue;
                }
            }
            else {
                _PyBlock *next = next_nonempty(b->next);
                /* or if last instruction in BB and next BB has same line
                   number */
                if (next != NULL && lineno == next->instrs[0].loc.lineno) {
                    continue;
                }
            }
        }
        if (dest != src) {
            b->instrs[dest] = *in;
        }
        dest++;
        prev_lineno = lineno;
    }
    b->ninstrs = dest;
}

/* ------------------------------------------------------------------ */
/* Peephole optimizations within a block */

typedef struct {
    _PyCfgInfo *info;
    _PySyntaxErrorInfo *err;
} optimizer;

/* The constant loaded by the LOAD_CONST IN. */
static _PyCompiledConst *
get_const(optimizer *o, const _PyInstr *in)
{
    return _PyConstTable_Get(o->info->consts, in->oparg);
}

/* LOAD_CONST c1 ... LOAD_CONST cn BUILD_TUPLE n -> LOAD_CONST (c1..cn).
   INSTRS points at the first LOAD_CONST; the tuple is at INSTRS[n]. */
static int
fold_tuple_on_constants(optimizer *o, _PyInstr *instrs, int n)
{
    for (int i = 0; i < n; i++) {
        if (instrs[i].opcode != LOAD_CONST) {
            return 0;
        }
    }
    _PyCompiledConst *small[16];
    _PyCompiledConst **items = n <= 16 ? small
        : PyMem_RawMalloc(sizeof(*items) * (size_t)n);
    if (items == NULL) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        items[i] = get_const(o, &instrs[i]);
    }
    int index = _PyConstTable_AddTuple(o->info->consts, items, n);
    if (items != small) {
        PyMem_RawFree(items);
    }
    if (index < 0) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        instrs[i].opcode = NOP;
    }
    instrs[n].opcode = LOAD_CONST;
    instrs[n].oparg = index;
    return 0;
}

/* First instruction a jump actually lands on (skipping empty blocks). */
static _PyInstr *
target_instr(_PyInstr *in)
{
    _PyBlock *t = next_nonempty(in->target);
    return t != NULL ? &t->instrs[0] : NULL;
}

/* Thread a jump through the jump it lands on, when both report the same
   line (so no line event is lost).  Return 1 if changed. */
static int
jump_thread(_PyInstr *in, _PyInstr *target, int opcode)
{
    if (in->target == target->target) {
        return 0;
    }
    in->target = target->target;
    in->opcode = opcode;
    return 1;
}

/* Jump threading only merges instructions on the same line, so line events
   stay as in 3.11. */
static int
same_line(const _PyInstr *a, const _PyInstr *b)
{
    return a->loc.lineno == b->loc.lineno;
}

/* Thread the jump IN through the jump it lands on; returns 1 if it changed. */
static int
optimize_jump(_PyInstr *in)
{
    _PyInstr *t = target_instr(in);
    if (t == NULL || t == in || !same_line(in, t)) {
        return 0;
    }
    switch (in->opcode) {
    case JUMP_IF_FALSE_OR_POP:
        switch (t->opcode) {
        case POP_JUMP_IF_FALSE:
            return jump_thread(in, t, POP_JUMP_IF_FALSE);
        case JUMP:
        case JUMP_IF_FALSE_OR_POP:
            return jump_thread(in, t, JUMP_IF_FALSE_OR_POP);
        case JUMP_IF_TRUE_OR_POP:
        case POP_JUMP_IF_TRUE:
            if (in->target->next != NULL && in->target->ninstrs == 1) {
                in->opcode = POP_JUMP_IF_FALSE;
                in->target = in->target->next;
                return 1;
            }
            return 0;
        }
        return 0;
    case JUMP_IF_TRUE_OR_POP:
        switch (t->opcode) {
        case POP_JUMP_IF_TRUE:
            return jump_thread(in, t, POP_JUMP_IF_TRUE);
        case JUMP:
        case JUMP_IF_TRUE_OR_POP:
            return jump_thread(in, t, JUMP_IF_TRUE_OR_POP);
        case JUMP_IF_FALSE_OR_POP:
        case POP_JUMP_IF_FALSE:
            if (in->target->next != NULL && in->target->ninstrs == 1) {
                in->opcode = POP_JUMP_IF_TRUE;
                in->target = in->target->next;
                return 1;
            }
            return 0;
        }
        return 0;
    case POP_JUMP_IF_FALSE:
    case POP_JUMP_IF_TRUE:
    case POP_JUMP_IF_NONE:
    case POP_JUMP_IF_NOT_NONE:
        if (t->opcode == JUMP) {
            return jump_thread(in, t, in->opcode);
        }
        return 0;
    case JUMP:
        if (t->opcode == JUMP) {
            return jump_thread(in, t, JUMP);
        }
        return 0;
    case JUMP_NO_INTERRUPT:
        if (t->opcode == JUMP || t->opcode == JUMP_NO_INTERRUPT) {
            return jump_thread(in, t, t->opcode);
        }
        return 0;
    }
    return 0;
}

/* Peepholes on a LOAD_CONST at B[I]: a constant condition decides its
   jump, and `x is None` tests become POP_JUMP_IF_(NOT_)NONE. */
static int
optimize_load_const(optimizer *o, _PyBlock *b, int i)
{
    _PyInstr *in = &b->instrs[i];
    if (i + 1 >= b->ninstrs) {
        return 0;
    }
    _PyInstr *next = &b->instrs[i + 1];
    _PyCompiledConst *k = get_const(o, in);
    if (k == NULL) {
        return 0;
    }
    int is_true = _PyConst_IsTrue(k);
    switch (next->opcode) {
    case POP_JUMP_IF_FALSE:
    case POP_JUMP_IF_TRUE:
        in->opcode = NOP;
        if (is_true == (next->opcode == POP_JUMP_IF_TRUE)) {
            next->opcode = JUMP;
        }
        else {
            next->opcode = NOP;
            next->target = NULL;
        }
        return 0;
    case JUMP_IF_FALSE_OR_POP:
    case JUMP_IF_TRUE_OR_POP:
        if (is_true == (next->opcode == JUMP_IF_TRUE_OR_POP)) {
            next->opcode = JUMP;
        }
        else {
            in->opcode = NOP;
            next->opcode = NOP;
            next->target = NULL;
        }
        return 0;
    case IS_OP:
        if (k->kind == _PyCC_NONE && i + 2 < b->ninstrs) {
            _PyInstr *jump = &b->instrs[i + 2];
            if (jump->opcode == POP_JUMP_IF_FALSE
                || jump->opcode == POP_JUMP_IF_TRUE) {
                int invert = next->oparg;
                in->opcode = NOP;
                next->opcode = NOP;
                jump->opcode = (invert ^ (jump->opcode == POP_JUMP_IF_FALSE))
                               ? POP_JUMP_IF_NOT_NONE : POP_JUMP_IF_NONE;
            }
        }
        return 0;
    }
    return 0;
}

/* SWAPs followed by the stores that consume the swapped values can swap
   the stores instead: SWAP 2, STORE_FAST a, STORE_FAST b becomes
   STORE_FAST b, STORE_FAST a (3.11 does this, so the same instructions
   remain and no store moves to another line). */
static int
swappable(const _PyInstr *in)
{
    return in->opcode == STORE_FAST || in->opcode == POP_TOP;
}

/* Index of the next instruction after B[I] that a static swap may be
   applied to, or -1 (a line change or anything that is not a store/pop ends
   the search). */
static int
next_swappable(_PyBlock *b, int i, int lineno)
{
    while (++i < b->ninstrs) {
        _PyInstr *in = &b->instrs[i];
        if (lineno >= 0 && in->loc.lineno != lineno) {
            return -1;
        }
        if (in->opcode == NOP) {
            continue;
        }
        return swappable(in) ? i : -1;
    }
    return -1;
}

/* Replace SWAPs just before stores/pops with reordered stores (3.11's
   apply_static_swaps), walking back from B[I]. */
static void
apply_static_swaps(_PyBlock *b, int i)
{
    for (; i >= 0; i--) {
        _PyInstr *swap = &b->instrs[i];
        if (swap->opcode != SWAP) {
            if (swap->opcode == NOP || swappable(swap)) {
                continue;
            }
            return;
        }
        int j = next_swappable(b, i, -1);
        if (j < 0) {
            return;
        }
        int k = j, lineno = b->instrs[j].loc.lineno;
        for (int count = swap->oparg - 1; count > 0; count--) {
            k = next_swappable(b, k, lineno);
            if (k < 0) {
                return;
            }
        }
        /* Storing twice into one name: the order matters. */
        if (b->instrs[j].opcode == STORE_FAST
            && b->instrs[k].opcode == STORE_FAST
            && b->instrs[j].oparg == b->instrs[k].oparg) {
            return;
        }
        swap->opcode = NOP;
        _PyInstr tmp = b->instrs[j];
        b->instrs[j] = b->instrs[k];
        b->instrs[k] = tmp;
    }
}

/* Replace a run of SWAPs (and NOPs) starting at *IX by the fewest SWAPs
   with the same effect: follow each cycle of the permutation through the
   top of the stack.  The new SWAPs go at the end of the run, NOPs before
   them; *IX moves to the end of the run. */
static int
swaptimize(_PyBlock *b, int *ix)
{
    _PyInstr *ins = &b->instrs[*ix];
    int depth = ins[0].oparg, len = 0, more = 0;
    int limit = b->ninstrs - *ix;
    while (++len < limit) {
        int op = ins[len].opcode;
        if (op == SWAP) {
            if (ins[len].oparg > depth) {
                depth = ins[len].oparg;
            }
            more = 1;
        }
        else if (op != NOP) {
            break;
        }
    }
    if (!more) {
        return 0;
    }
    int *stack = PyMem_RawMalloc(sizeof(int) * (size_t)depth);
    if (stack == NULL) {
        return -1;
    }
    for (int i = 0; i < depth; i++) {
        stack[i] = i;
    }
    for (int i = 0; i < len; i++) {
        if (ins[i].opcode == SWAP) {
            int k = ins[i].oparg - 1, top = stack[0];
            stack[0] = stack[k];
            stack[k] = top;
        }
    }
    const int visited = -1;
    int current = len - 1;
    for (int i = 0; i < depth; i++) {
        if (stack[i] == visited || stack[i] == i) {
            continue;
        }
        int j = i;
        for (;;) {
            if (j != 0) {
                ins[current].opcode = SWAP;
                ins[current--].oparg = j + 1;
            }
            if (stack[j] == visited) {
                break;
            }
            int next = stack[j];
            stack[j] = visited;
            j = next;
        }
    }
    while (current >= 0) {
        ins[current--].opcode = NOP;
    }
    PyMem_RawFree(stack);
    *ix += len - 1;
    return 0;
}

/* Run the peephole rules over one block. */
static int
optimize_block(optimizer *o, _PyBlock *b)
{
    for (int i = 0; i < b->ninstrs; i++) {
        _PyInstr *in = &b->instrs[i];
        int nextop = i + 1 < b->ninstrs ? b->instrs[i + 1].opcode : -1;
        switch (in->opcode) {
        case LOAD_CONST:
            if (optimize_load_const(o, b, i) < 0) {
                return -1;
            }
            break;
        case BUILD_TUPLE:
            if (nextop == UNPACK_SEQUENCE
                && in->oparg == b->instrs[i + 1].oparg) {
                if (in->oparg == 1) {
                    in->opcode = NOP;
                    b->instrs[i + 1].opcode = NOP;
                    break;
                }
                if (in->oparg == 2 || in->oparg == 3) {
                    in->opcode = NOP;
                    b->instrs[i + 1].opcode = SWAP;
                    break;      /* the SWAP is looked at next */
                }
            }
            if (i >= in->oparg
                && fold_tuple_on_constants(o, b->instrs + i - in->oparg,
                                           in->oparg) < 0) {
                return -1;
            }
            break;
        case SWAP:
            if (in->oparg == 1) {
                in->opcode = NOP;
                break;
            }
            if (swaptimize(b, &i) < 0) {
                return -1;
            }
            apply_static_swaps(b, i);
            break;
        case PUSH_NULL:
            if (nextop == LOAD_GLOBAL && !(b->instrs[i + 1].oparg & 1)) {
                in->opcode = NOP;
                in->oparg = 0;
                b->instrs[i + 1].oparg |= 1;
            }
            break;
        default:
            if (is_jump(in)) {
                /* Re-examine after threading, a bounded number of times
                   (cycles of jumps do occur: `while 1: pass`). */
                for (int k = 0; k < 100 && optimize_jump(in); k++) {
                }
            }
            break;
        }
    }
    return 0;
}

/* A jump to a small exit block without line numbers (an implicit `return
   None`) becomes a copy of that block, so that it can take the line of
   the code that jumps. */
static int
extend_block(_PyCfg *g, _PyBlock *b)
{
    _PyInstr *last = _PyBlock_Last(b);
    if (last == NULL || last->opcode != JUMP) {
        return 0;
    }
    _PyBlock *to_copy = last->target;
    if (!block_exits(to_copy) || to_copy->ninstrs > MAX_COPY_SIZE
        || has_lineno(to_copy)) {
        return 0;
    }
    last->opcode = NOP;
    last->target = NULL;
    if (last->loc.lineno < 0) {
        b->ninstrs--;
    }
    if (block_reserve(b, to_copy->ninstrs) < 0) {
        return -1;
    }
    for (int i = 0; i < to_copy->ninstrs; i++) {
        _PyInstr *in = &to_copy->instrs[i];
        if (in->opcode != NOP || in->loc.lineno >= 0) {
            b->instrs[b->ninstrs++] = *in;
        }
    }
    b->exit = 1;
    (void)g;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Reachability */

/* Clear the reachability marks and predecessor counts of every block. */
static void
reset_marks(_PyCfg *g)
{
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        b->predecessors = 0;
        b->visited = 0;
    }
}

/* Count predecessors of every block reachable from the entry (through
   fall-through, jumps and exception-block pushes). */
static int
mark_reachable(_PyCfg *g)
{
    reset_marks(g);
    _PyBlock **stack = PyMem_RawMalloc(sizeof(*stack)
                                       * (size_t)(g->nblocks + 1));
    if (stack == NULL) {
        return -1;
    }
    int sp = 0;
    stack[sp++] = g->entry;
    g->entry->predecessors = 1;
    g->entry->visited = 1;
    while (sp > 0) {
        _PyBlock *b = stack[--sp];
        if (_PyBlock_HasFallthrough(b) && b->next != NULL) {
            if (!b->next->visited) {
                b->next->visited = 1;
                stack[sp++] = b->next;
            }
            b->next->predecessors++;
        }
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (_PyInstr_IsJump(in)) {
                _PyBlock *t = in->target;
                if (!t->visited) {
                    t->visited = 1;
                    stack[sp++] = t;
                }
                t->predecessors++;
            }
        }
    }
    PyMem_RawFree(stack);
    return 0;
}

/* Skip empty blocks both in the layout and as jump targets. */
static void
eliminate_empty_blocks(_PyCfg *g)
{
    /* Skip over empty blocks in the layout and in jump targets. */
    while (g->entry->ninstrs == 0 && g->entry->next != NULL) {
        g->entry = g->entry->next;
    }
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        while (b->next != NULL && b->next->ninstrs == 0) {
            b->next = b->next->next;
        }
    }
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (in->target != NULL) {
                _PyBlock *t = next_nonempty(in->target);
                if (t != NULL) {
                    in->target = t;
                }
            }
        }
    }
}

/* The CFG optimization pipeline: peepholes, jump threading, block
   extension, dead code removal, redundant jump removal. */
static int
optimize_cfg(optimizer *o, _PyCfg *g)
{
    eliminate_empty_blocks(g);
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        if (optimize_block(o, b) < 0) {
            return -1;
        }
        clean_block(b);
    }
    /* Newest blocks first (as 3.11 walks them): an exit block that itself
       ends in a jump to a copyable exit gets extended before the jumps to
       it are looked at. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
            int r = extend_block(g, b);
            if (r < 0) {
                return -1;
            }
            changed |= r;
        }
    }
    if (mark_reachable(g) < 0) {
        return -1;
    }
    /* Delete unreachable instructions */
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        if (b->predecessors == 0) {
            b->ninstrs = 0;
        }
    }
    eliminate_empty_blocks(g);
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        clean_block(b);
    }
    /* Delete jump instructions made redundant by previous step.  If a
       non-empty block ends with a jump instruction, check if the next
       non-empty block reached through normal flow control is the target
       of that jump.  If it is, then the jump instruction is redundant and
       can be deleted. */
    int maybe_empty = 0;
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        _PyInstr *last = _PyBlock_Last(b);
        if (last != NULL && is_uncond_jump(last)
            && last->target == next_nonempty(b->next)) {
            last->opcode = NOP;
            last->target = NULL;
            maybe_empty = 1;
        }
    }
    if (maybe_empty) {
        eliminate_empty_blocks(g);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Line numbers of artificial instructions */

/* Give every artificial exit block reached by more than one edge its own
   copy per jump, then let fall-through exits inherit the preceding line. */
static int
duplicate_exits_without_lineno(_PyCfg *g)
{
    if (mark_reachable(g) < 0) {
        return -1;
    }
    /* Copy all exit blocks without line number that are targets of a
       jump (newest jumps first, as 3.11 does: that decides where the
       copies go). */
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        if (b->predecessors == 0) {
            continue;
        }
        _PyInstr *last = _PyBlock_Last(b);
        if (last == NULL || !is_jump(last)) {
            continue;
        }
        _PyBlock *target = last->target;
        if (is_exit_without_lineno(target) && target->predecessors > 1) {
            _PyBlock *copy = copy_block(g, target);
            if (copy == NULL) {
                return -1;
            }
            copy->instrs[0].loc = last->loc;
            last->target = copy;
            target->predecessors--;
            copy->predecessors = 1;
            copy->next = target->next;
            target->next = copy;
        }
    }
    /* Any remaining reachable exit blocks without line number can only be
       reached by fall through, and thus can only have a single
       predecessor */
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        if (_PyBlock_HasFallthrough(b) && b->next != NULL && b->ninstrs > 0
            && is_exit_without_lineno(b->next)) {
            b->next->instrs[0].loc = b->instrs[b->ninstrs - 1].loc;
        }
    }
    return 0;
}

/* Artificial instructions take the previous instruction's location; a
   block with a single predecessor whose first instruction is artificial
   takes the location of the edge into it. */
static void
propagate_line_numbers(_PyCfg *g)
{
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        if (b->ninstrs == 0) {
            continue;
        }
        _PyLoc prev = _PyLoc_NONE;
        for (int i = 0; i < b->ninstrs; i++) {
            if (b->instrs[i].loc.lineno < 0) {
                b->instrs[i].loc = prev;
            }
            else {
                prev = b->instrs[i].loc;
            }
        }
        if (_PyBlock_HasFallthrough(b) && b->next != NULL
            && b->next->predecessors == 1 && b->next->ninstrs > 0
            && b->next->instrs[0].loc.lineno < 0) {
            b->next->instrs[0].loc = prev;
        }
        _PyInstr *last = _PyBlock_Last(b);
        if (is_jump(last)) {
            _PyBlock *t = last->target;
            if (t->predecessors == 1 && t->ninstrs > 0
                && t->instrs[0].loc.lineno < 0) {
                t->instrs[0].loc = prev;
            }
        }
    }
}

/* Give a line to exit blocks that still have none: the last line seen
   before them in the layout. */
static void
guarantee_lineno_for_exits(_PyCfg *g, int firstlineno)
{
    int lineno = firstlineno;
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        _PyInstr *last = _PyBlock_Last(b);
        if (last == NULL) {
            continue;
        }
        if (last->loc.lineno < 0) {
            if (last->opcode == RETURN_VALUE) {
                for (int i = 0; i < b->ninstrs; i++) {
                    b->instrs[i].loc = _PyLoc_Of(lineno, lineno, -1, -1);
                }
            }
        }
        else {
            lineno = last->loc.lineno;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Stack depth */

typedef struct {
    _PyBlock **stack;
    int sp;
    int maxdepth;
    _PySyntaxErrorInfo *err;
} depth_state;

/* Record DEPTH as B's entry depth (queueing it the first time); disagreeing
   depths are an internal error. */
static int
set_depth(depth_state *s, _PyBlock *b, int depth)
{
    if (b->startdepth < 0) {
        b->startdepth = depth;
        s->stack[s->sp++] = b;
    }
    else if (b->startdepth != depth) {
        _PyCompile_SetError(s->err, "SystemError", "Invalid CFG, "
                            "inconsistent stackdepth", 0, -1, 0, -1);
        return -1;
    }
    if (depth > s->maxdepth) {
        s->maxdepth = depth;
    }
    return 0;
}

/* SystemError for a CFG whose instructions pop more than the stack holds (a
   compiler bug, never user input). */
static int
underflow(depth_state *s)
{
    _PyCompile_SetError(s->err, "SystemError", "Invalid CFG, stack "
                        "underflow", 0, -1, 0, -1);
    return -1;
}

/* Walk B from its entry depth, propagating depths to jump and handler
   targets; returns the block's maximum depth. */
static int
depth_of_block(depth_state *s, _PyBlock *b)
{
    int depth = b->startdepth;
    for (int i = 0; i < b->ninstrs; i++) {
        _PyInstr *in = &b->instrs[i];
        int pops = _PyOpcode_NumPopped(in->opcode, in->oparg);
        if (pops < 0 || depth < pops) {
            return underflow(s);
        }
        if (in->target != NULL) {
            int jdepth = depth - pops
                         + _PyOpcode_NumPushed(in->opcode, in->oparg, 1);
            if (jdepth < 0 || set_depth(s, in->target, jdepth) < 0) {
                return jdepth < 0 ? underflow(s) : -1;
            }
        }
        depth = depth - pops + _PyOpcode_NumPushed(in->opcode, in->oparg, 0);
        if (depth > s->maxdepth) {
            s->maxdepth = depth;
        }
        if (_PyInstr_IsUnconditional(in)) {
            return 0;
        }
    }
    if (b->next != NULL) {
        return set_depth(s, b->next, depth);
    }
    return 0;
}

/* Maximum stack depth over all reachable blocks (the unit's co_stacksize),
   or -1 on internal error. */
static int
stackdepth(_PyCfg *g, _PySyntaxErrorInfo *err)
{
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        b->startdepth = -1;
    }
    depth_state s = {NULL, 0, 0, err};
    s.stack = PyMem_RawMalloc(sizeof(_PyBlock *) * (size_t)(g->nblocks + 1));
    if (s.stack == NULL) {
        return -2;
    }
    int res = set_depth(&s, g->entry, 0);
    while (res == 0 && s.sp > 0) {
        res = depth_of_block(&s, s.stack[--s.sp]);
    }
    PyMem_RawFree(s.stack);
    return res < 0 ? -1 : s.maxdepth;
}

/* The largest depth reached by code that can run: reachable from the
   entry through jumps, fall-through and exception handlers (handlers whose
   protected code all went away stay in the bytecode, as in 3.11, for
   their line numbers, but never run).  Start depths are the ones the
   first pass computed. */
static int
live_stackdepth(_PyCfg *g)
{
    _PyBlock **stack = PyMem_RawMalloc(sizeof(_PyBlock *)
                                       * (size_t)(g->nblocks + 1));
    if (stack == NULL) {
        return -1;
    }
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        b->visited = 0;
    }
    int sp = 0, maxdepth = 0;
    stack[sp++] = g->entry;
    g->entry->visited = 1;
    while (sp > 0) {
        _PyBlock *b = stack[--sp];
        int depth = b->startdepth;
        if (depth > maxdepth) {
            maxdepth = depth;
        }
        int falls = 1;
        for (int i = 0; i < b->ninstrs && falls; i++) {
            _PyInstr *in = &b->instrs[i];
            _PyBlock *succ[2] = {in->target, in->handler};
            for (int k = 0; k < 2; k++) {
                if (succ[k] != NULL && !succ[k]->visited) {
                    succ[k]->visited = 1;
                    stack[sp++] = succ[k];
                }
            }
            if (in->target != NULL) {
                int jdepth = depth - _PyOpcode_NumPopped(in->opcode,
                                                         in->oparg)
                             + _PyOpcode_NumPushed(in->opcode, in->oparg, 1);
                if (jdepth > maxdepth) {
                    maxdepth = jdepth;
                }
            }
            depth += _PyOpcode_StackEffect(in->opcode, in->oparg, 0);
            if (depth > maxdepth) {
                maxdepth = depth;
            }
            falls = !_PyInstr_IsUnconditional(in);
        }
        if (falls && b->next != NULL && !b->next->visited) {
            b->next->visited = 1;
            stack[sp++] = b->next;
        }
    }
    PyMem_RawFree(stack);
    return maxdepth;
}

/* ------------------------------------------------------------------ */
/* Exception targets */

typedef struct except_stack {
    _PyBlock *handlers[128];
    int depth;
} except_stack;

/* Innermost handler on the simulated block stack, or NULL. */
static _PyBlock *
except_top(except_stack *s)
{
    return s->depth > 0 ? s->handlers[s->depth - 1] : NULL;
}

/* Give every instruction the handler that is innermost where it runs. */
static int
label_exception_targets(_PyCfg *g)
{
    int n = g->nblocks + 1;
    _PyBlock **todo = PyMem_RawMalloc(sizeof(*todo) * (size_t)n);
    except_stack **stacks = PyMem_RawCalloc((size_t)n, sizeof(*stacks));
    if (todo == NULL || stacks == NULL) {
        PyMem_RawFree(todo);
        PyMem_RawFree(stacks);
        return -1;
    }
    int res = -1, sp = 0;
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        b->visited = 0;
    }
    except_stack *s = PyMem_RawCalloc(1, sizeof(*s));
    if (s == NULL) {
        goto done;
    }
    stacks[g->entry->label] = s;
    g->entry->visited = 1;
    todo[sp++] = g->entry;
    while (sp > 0) {
        _PyBlock *b = todo[--sp];
        except_stack cur = *stacks[b->label];
        _PyBlock *handler = except_top(&cur);
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            _PyBlock *t = in->target;
            if (_PyInstr_IsBlockPush(in)) {
                if (!t->visited) {
                    except_stack *copy = PyMem_RawMalloc(sizeof(*copy));
                    if (copy == NULL) {
                        goto done;
                    }
                    *copy = cur;
                    stacks[t->label] = copy;
                    t->visited = 1;
                    todo[sp++] = t;
                }
                if (cur.depth == (int)(sizeof(cur.handlers)
                                       / sizeof(cur.handlers[0]))) {
                    goto done;
                }
                cur.handlers[cur.depth++] = t;
                handler = t;
                in->handler = NULL;
            }
            else if (in->opcode == POP_BLOCK) {
                if (cur.depth > 0) {
                    cur.depth--;
                }
                handler = except_top(&cur);
                in->handler = NULL;
            }
            else {
                in->handler = handler;
                if (t != NULL && !t->visited) {
                    except_stack *copy = PyMem_RawMalloc(sizeof(*copy));
                    if (copy == NULL) {
                        goto done;
                    }
                    *copy = cur;
                    stacks[t->label] = copy;
                    t->visited = 1;
                    todo[sp++] = t;
                }
            }
        }
        _PyBlock *next = b->next;
        if (_PyBlock_HasFallthrough(b) && next != NULL && !next->visited) {
            except_stack *copy = PyMem_RawMalloc(sizeof(*copy));
            if (copy == NULL) {
                goto done;
            }
            *copy = cur;
            stacks[next->label] = copy;
            next->visited = 1;
            todo[sp++] = next;
        }
    }
    res = 0;
done:
    for (int i = 0; i < n; i++) {
        PyMem_RawFree(stacks[i]);
    }
    PyMem_RawFree(stacks);
    PyMem_RawFree(todo);
    return res;
}

/* Mark the targets of SETUP_* pseudo-instructions as exception handlers. */
static void
mark_handlers(_PyCfg *g)
{
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (_PyInstr_IsBlockPush(in)) {
                in->target->except_handler = 1;
                if (in->opcode != SETUP_FINALLY) {
                    in->target->preserve_lasti = 1;
                }
            }
        }
    }
}

/* After handlers are assigned, SETUP_* and POP_BLOCK have no runtime
   meaning: make them NOPs for the final cleanup pass. */
static void
convert_block_ops_to_nops(_PyCfg *g)
{
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (_PyInstr_IsBlockPush(in) || in->opcode == POP_BLOCK) {
                in->opcode = NOP;
                in->oparg = 0;
                in->target = NULL;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Definite assignment of fast locals */

typedef uint64_t bitset;
#define MAX_TRACKED 64

/* Which tracked locals are bound after each instruction of B, starting
   from IN; loads of locals not known to be bound become checked ones
   when REWRITE is set.  Exception handlers reached from B get the
   intersection of the states they are entered from. */
static bitset
scan_locals(_PyBlock *b, bitset in, bitset *state, int nblocks, int rewrite,
            int *changed)
{
    bitset cur = in;
    for (int i = 0; i < b->ninstrs; i++) {
        _PyInstr *ins = &b->instrs[i];
        if (ins->handler != NULL) {
            bitset *h = &state[ins->handler->label];
            bitset v = *h & cur;
            if (v != *h) {
                *h = v;
                *changed = 1;
            }
        }
        int arg = ins->oparg;
        bitset bit = arg < MAX_TRACKED ? (bitset)1 << arg : 0;
        switch (ins->opcode) {
        case LOAD_FAST:
        case LOAD_FAST_CHECK:
            if (rewrite) {
                ins->opcode = (bit && (cur & bit)) ? LOAD_FAST
                                                   : LOAD_FAST_CHECK;
            }
            cur |= bit;
            break;
        case STORE_FAST:
            cur |= bit;
            break;
        case DELETE_FAST:
            cur &= ~bit;
            break;
        default:
            break;
        }
        if (ins->target != NULL && ins->opcode != NOP) {
            bitset *t = &state[ins->target->label];
            bitset v = *t & cur;
            if (v != *t) {
                *t = v;
                *changed = 1;
            }
        }
    }
    (void)nblocks;
    return cur;
}

/* Definite-assignment analysis of the first 64 locals: a LOAD_FAST that may
   see an unbound variable becomes LOAD_FAST_CHECK (others stay unchecked).
   Exception handlers start from the intersection of every state inside
   their range. */
static int
analyze_locals(_PyCfg *g, _PyCfgInfo *info)
{
    if (info->nlocals == 0) {
        return 0;
    }
    int n = g->nblocks + 1;
    bitset *state = PyMem_RawMalloc(sizeof(bitset) * (size_t)n);
    if (state == NULL) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        state[i] = ~(bitset)0;
    }
    bitset params = 0;
    for (int i = 0; i < info->nparams && i < MAX_TRACKED; i++) {
        params |= (bitset)1 << i;
    }
    state[g->entry->label] = params;
    int changed = 1;
    for (int rounds = 0; changed && rounds < 1000; rounds++) {
        changed = 0;
        for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
            bitset out = scan_locals(b, state[b->label], state, n, 0,
                                     &changed);
            if (_PyBlock_HasFallthrough(b) && b->next != NULL) {
                bitset v = state[b->next->label] & out;
                if (v != state[b->next->label]) {
                    state[b->next->label] = v;
                    changed = 1;
                }
            }
        }
        /* The entry's state never grows beyond the parameters. */
        state[g->entry->label] &= params;
    }
    int dummy = 0;
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        scan_locals(b, changed ? 0 : state[b->label], state, n, 1, &dummy);
    }
    PyMem_RawFree(state);
    return 0;
}

/* ------------------------------------------------------------------ */

/* Optimize G, compute its stack depth and exception handlers; the CFG is
   then ready for _PyAssemble.  Errors go to ERR. */
int
_PyCfg_Optimize(_PyCfg *g, _PyCfgInfo *info, _PySyntaxErrorInfo *err)
{
    optimizer o = {info, err};
    if (optimize_cfg(&o, g) < 0 || duplicate_exits_without_lineno(g) < 0) {
        goto nomem;
    }
    if (mark_reachable(g) < 0) {
        goto nomem;
    }
    propagate_line_numbers(g);
    guarantee_lineno_for_exits(g, info->firstlineno);
    mark_handlers(g);
    int maxdepth = stackdepth(g, err);
    if (maxdepth == -2) {
        goto nomem;
    }
    if (maxdepth < 0) {
        return -1;
    }
    if (label_exception_targets(g) < 0) {
        goto nomem;
    }
    convert_block_ops_to_nops(g);
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        clean_block(b);
    }
    maxdepth = live_stackdepth(g);
    if (maxdepth < 0) {
        goto nomem;
    }
    if (analyze_locals(g, info) < 0) {
        goto nomem;
    }
    return maxdepth;
nomem:
    if (err->type == NULL) {
        _PyCompile_SetError(err, "MemoryError", "", 0, -1, 0, -1);
    }
    return -1;
}
