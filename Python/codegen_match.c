/* Code generation for match statements.

   The subject is tested against each case's pattern in turn.  While a
   pattern is being matched, the values it captures are kept on the stack
   (under whatever the pattern still needs) and only stored into their
   names once the whole pattern has matched, so a failed match binds
   nothing.  A failing test jumps to one of the case's "fail_pop" blocks:
   fail_pop[n] pops n values and falls into fail_pop[n - 1], down to
   fail_pop[0], which goes on to the next case.  Instruction sequences and
   locations are those of CPython 3.11; as in 3.11, each pattern makes its
   location current for what follows. */

#include <string.h>

#include "Python.h"
#include "pycore_codegen.h"

#define TRY(x) do { if ((x) < 0) { return -1; } } while (0)

typedef struct {
    const char **stores;        /* captured names, in stack order */
    int nstores;
    int allocstores;
    int allow_irrefutable;      /* may this pattern always match? */
    _PyBlock **fail_pop;
    int fail_pop_size;
    int on_top;                 /* values above the captures to keep */
} pattern_ctx;

static int compile_pattern(_PyCompiler *c, pattern_ty p, pattern_ctx *pc);

/* True for the irrefutable `_` pattern. */
static int
is_wildcard(pattern_ty p)
{
    return p->kind == MatchAs_kind && p->v.MatchAs.name == NULL;
}

/* True for `*_` in a sequence pattern. */
static int
is_wildcard_star(pattern_ty p)
{
    return p->kind == MatchStar_kind && p->v.MatchStar.name == NULL;
}

/* Emit OPCODE with OPARG at the current location. */
static int
addop(_PyCompiler *c, int opcode, int oparg)
{
    return _PyCodegen_Addop(c, opcode, oparg);
}

/* Emit LOAD_CONST of a small int (lengths and indexes). */
static int
load_int(_PyCompiler *c, Py_ssize_t v)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%zd", v < 0 ? -v : v);
    _PyCompiledConst *k = _PyFold_MakeStr(&c->folder, text, n);
    if (k == NULL) {
        return _PyCompile_NoMemory(c);
    }
    k->kind = _PyCC_INT;
    k->base = 10;
    k->negative = v < 0;
    return _PyCodegen_LoadConst(c, k);
}

/* Emit LOAD_CONST of None, True, False or Ellipsis. */
static int
load_simple(_PyCompiler *c, _PyCompiledConstKind kind)
{
    return _PyCodegen_LoadConst(c, _PyFold_MakeSimple(&c->folder, kind));
}

/* ------------------------------------------------------------------ */
/* Failure blocks and captures */

/* Make sure there is a failure block for each stack depth up to N, so a
   failed sub-pattern can pop exactly what it pushed. */
static int
ensure_fail_pop(_PyCompiler *c, pattern_ctx *pc, int n)
{
    int size = n + 1;
    if (size <= pc->fail_pop_size) {
        return 0;
    }
    _PyBlock **blocks = PyMem_RawRealloc(pc->fail_pop,
                                         sizeof(*blocks) * (size_t)size);
    if (blocks == NULL) {
        return _PyCompile_NoMemory(c);
    }
    pc->fail_pop = blocks;
    while (pc->fail_pop_size < size) {
        _PyBlock *b = _PyCodegen_NewBlock(c);
        if (b == NULL) {
            return -1;
        }
        pc->fail_pop[pc->fail_pop_size++] = b;
    }
    return 0;
}

/* Jump (with OPCODE) to where everything this pattern has pushed is
   popped. */
static int
jump_to_fail_pop(_PyCompiler *c, pattern_ctx *pc, int opcode)
{
    int pops = pc->on_top + pc->nstores;
    TRY(ensure_fail_pop(c, pc, pops));
    return _PyCodegen_AddJump(c, opcode, pc->fail_pop[pops]);
}

/* Lay out the failure blocks (each pops one value) and continue after
   them. */
static int
emit_and_reset_fail_pop(_PyCompiler *c, pattern_ctx *pc)
{
    if (pc->fail_pop_size == 0) {
        return 0;
    }
    while (--pc->fail_pop_size) {
        _PyCodegen_UseNextBlock(c, pc->fail_pop[pc->fail_pop_size]);
        TRY(addop(c, POP_TOP, 0));
    }
    _PyCodegen_UseNextBlock(c, pc->fail_pop[0]);
    PyMem_RawFree(pc->fail_pop);
    pc->fail_pop = NULL;
    return 0;
}

/* Release a pattern context's arrays. */
static void
reset_ctx(pattern_ctx *pc)
{
    PyMem_RawFree(pc->stores);
    PyMem_RawFree(pc->fail_pop);
    memset(pc, 0, sizeof(*pc));
}

/* Move the value on top COUNT - 1 places down. */
static int
rotate(_PyCompiler *c, Py_ssize_t count)
{
    while (count > 1) {
        TRY(addop(c, SWAP, (int)count--));
    }
    return 0;
}

/* Position of NAME among the names the pattern binds, or -1. */
static int
stores_index(pattern_ctx *pc, const char *name)
{
    for (int i = 0; i < pc->nstores; i++) {
        if (strcmp(pc->stores[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

/* Record that the pattern binds NAME; the values stay on the stack until
   the whole pattern matched. */
static int
append_store(_PyCompiler *c, pattern_ctx *pc, const char *name)
{
    if (pc->nstores == pc->allocstores) {
        int n = pc->allocstores ? pc->allocstores * 2 : 8;
        const char **p = PyMem_RawRealloc(pc->stores,
                                          sizeof(*p) * (size_t)n);
        if (p == NULL) {
            return _PyCompile_NoMemory(c);
        }
        pc->stores = p;
        pc->allocstores = n;
    }
    pc->stores[pc->nstores++] = name;
    return 0;
}

/* 3.11's error for binding the same name twice in one pattern. */
static int
duplicate_store(_PyCompiler *c, const char *name)
{
    return _PyCompile_Error(c, c->u->loc, "multiple assignments to name "
                            "'%s' in pattern", name);
}

/* Capture the value on top as NAME (or drop it, for a wildcard): tuck it
   under what the pattern still needs and remember the name. */
static int
store_name(_PyCompiler *c, const char *name, pattern_ctx *pc)
{
    if (name == NULL) {
        return addop(c, POP_TOP, 0);
    }
    if (strcmp(name, "__debug__") == 0) {
        return _PyCompile_Error(c, c->u->loc, "cannot assign to __debug__");
    }
    if (stores_index(pc, name) >= 0) {
        return duplicate_store(c, name);
    }
    TRY(rotate(c, pc->on_top + pc->nstores + 1));
    return append_store(c, pc, name);
}

/* A sub-pattern may be irrefutable even where its parent may not. */
static int
compile_subpattern(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    int allow = pc->allow_irrefutable;
    pc->allow_irrefutable = 1;
    int res = compile_pattern(c, p, pc);
    pc->allow_irrefutable = allow;
    return res;
}

/* ------------------------------------------------------------------ */
/* Patterns */

/* Value pattern (literal or dotted name): compare with ==, rejecting other
   expressions as 3.11 does. */
static int
pattern_value(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    expr_ty value = p->v.MatchValue.value;
    if (value->kind != Attribute_kind && value->kind != Constant_kind
        && _PyFold_Expr(&c->folder, value) == NULL) {
        return _PyCompile_Error(c, c->u->loc, "patterns may only match "
                                "literals and attribute lookups");
    }
    TRY(_PyCodegen_VisitExpr(c, value));
    TRY(addop(c, COMPARE_OP, 2));
    return jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE);
}

/* None/True/False pattern: compare with `is`. */
static int
pattern_singleton(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    TRY(_PyCodegen_LoadConst(c, _PyFold_Literal(&c->folder,
                                                p->v.MatchSingleton.value)));
    TRY(addop(c, IS_OP, 0));
    return jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE);
}

/* Capture pattern, wildcard, or `P as name`; irrefutable ones are only
   allowed where 3.11 allows them. */
static int
pattern_as(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    const char *name = p->v.MatchAs.name;
    if (p->v.MatchAs.pattern == NULL) {
        /* An irrefutable match: */
        if (!pc->allow_irrefutable) {
            if (name != NULL) {
                return _PyCompile_Error(c, c->u->loc, "name capture '%s' "
                                        "makes remaining patterns "
                                        "unreachable", name);
            }
            return _PyCompile_Error(c, c->u->loc, "wildcard makes remaining "
                                    "patterns unreachable");
        }
        return store_name(c, name, pc);
    }
    /* Need to make a copy for (possibly) storing later: */
    pc->on_top++;
    TRY(addop(c, COPY, 1));
    TRY(compile_pattern(c, p->v.MatchAs.pattern, pc));
    /* Success!  Store it: */
    pc->on_top--;
    return store_name(c, name, pc);
}

/* Unpack the subject for a sequence pattern (UNPACK_EX when it has a star). */
static int
unpack_sequence(_PyCompiler *c, asdl_pattern_seq *patterns)
{
    Py_ssize_t n = asdl_seq_LEN(patterns);
    int seen_star = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        pattern_ty p = asdl_seq_GET(patterns, i);
        if (p->kind != MatchStar_kind) {
            continue;
        }
        if (seen_star) {
            return _PyCompile_Error(c, c->u->loc, "multiple starred "
                                    "expressions in sequence pattern");
        }
        if (i >= (1 << 8) || n - i - 1 >= (0x7FFFFFFF >> 8)) {
            return _PyCompile_Error(c, c->u->loc, "too many expressions in "
                                    "star-unpacking sequence pattern");
        }
        TRY(addop(c, UNPACK_EX, (int)(i + ((n - i - 1) << 8))));
        seen_star = 1;
    }
    if (!seen_star) {
        TRY(addop(c, UNPACK_SEQUENCE, (int)n));
    }
    return 0;
}

/* Unpack the subject and match each item, keeping the rest on the
   stack. */
static int
sequence_unpack(_PyCompiler *c, asdl_pattern_seq *patterns, pattern_ctx *pc)
{
    TRY(unpack_sequence(c, patterns));
    Py_ssize_t size = asdl_seq_LEN(patterns);
    pc->on_top += (int)size;
    for (Py_ssize_t i = 0; i < size; i++) {
        /* One less item to keep track of each time we loop through: */
        pc->on_top--;
        TRY(compile_subpattern(c, asdl_seq_GET(patterns, i), pc));
    }
    return 0;
}

/* With a `*_` in the pattern nothing needs unpacking: index the items
   that are checked (from the end for those after the star, since the
   subject need not support negative indexes). */
static int
sequence_subscr(_PyCompiler *c, asdl_pattern_seq *patterns, Py_ssize_t star,
                pattern_ctx *pc)
{
    pc->on_top++;
    Py_ssize_t size = asdl_seq_LEN(patterns);
    for (Py_ssize_t i = 0; i < size; i++) {
        pattern_ty p = asdl_seq_GET(patterns, i);
        if (is_wildcard(p) || i == star) {
            continue;
        }
        TRY(addop(c, COPY, 1));
        if (i < star) {
            TRY(load_int(c, i));
        }
        else {
            TRY(addop(c, GET_LEN, 0));
            TRY(load_int(c, size - i));
            TRY(addop(c, BINARY_OP, _PyBinOp_SUBTRACT));
        }
        TRY(addop(c, BINARY_SUBSCR, 0));
        TRY(compile_subpattern(c, p, pc));
    }
    /* Pop the subject, we're done with it: */
    pc->on_top--;
    return addop(c, POP_TOP, 0);
}

/* Sequence pattern: MATCH_SEQUENCE, a length check, then the sub-patterns
   by unpacking or by subscripting (when a `*_` makes unpacking wasteful). */
static int
pattern_sequence(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    asdl_pattern_seq *patterns = p->v.MatchSequence.patterns;
    Py_ssize_t size = asdl_seq_LEN(patterns), star = -1;
    int only_wildcard = 1, star_wildcard = 0;
    /* Find a starred name, if it exists.  There may be at most one: */
    for (Py_ssize_t i = 0; i < size; i++) {
        pattern_ty sub = asdl_seq_GET(patterns, i);
        if (sub->kind == MatchStar_kind) {
            if (star >= 0) {
                return _PyCompile_Error(c, c->u->loc, "multiple starred "
                                        "names in sequence pattern");
            }
            star_wildcard = is_wildcard_star(sub);
            only_wildcard &= star_wildcard;
            star = i;
            continue;
        }
        only_wildcard &= is_wildcard(sub);
    }
    /* We need to keep the subject on top during the sequence and length
       checks: */
    pc->on_top++;
    TRY(addop(c, MATCH_SEQUENCE, 0));
    TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    if (star < 0) {
        /* No star: len(subject) == size */
        TRY(addop(c, GET_LEN, 0));
        TRY(load_int(c, size));
        TRY(addop(c, COMPARE_OP, 2));
        TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    }
    else if (size > 1) {
        /* Star: len(subject) >= size - 1 */
        TRY(addop(c, GET_LEN, 0));
        TRY(load_int(c, size - 1));
        TRY(addop(c, COMPARE_OP, 5));
        TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    }
    /* Whatever comes next should consume the subject: */
    pc->on_top--;
    if (only_wildcard) {
        /* Patterns like: [] / [_] / [_, _] / [*_] / [_, *_] / ... */
        return addop(c, POP_TOP, 0);
    }
    if (star_wildcard) {
        return sequence_subscr(c, patterns, star, pc);
    }
    return sequence_unpack(c, patterns, pc);
}

/* Evaluate the keys of a mapping pattern, rejecting non-literal keys and
   duplicate literal keys with 3.11's messages. */
static int
check_mapping_keys(_PyCompiler *c, asdl_expr_seq *keys,
                   asdl_pattern_seq *patterns)
{
    Py_ssize_t size = asdl_seq_LEN(keys);
    _PyCompiledConst **seen = PyMem_RawMalloc(sizeof(*seen)
                                              * (size_t)(size + 1));
    if (seen == NULL) {
        return _PyCompile_NoMemory(c);
    }
    int nseen = 0, res = -1;
    for (Py_ssize_t i = 0; i < size; i++) {
        expr_ty key = asdl_seq_GET(keys, i);
        if (key == NULL) {
            _PyCompile_Error(c, _PyLOC(asdl_seq_GET(patterns, i)),
                             "can't use NULL keys in MatchMapping (set "
                             "'rest' parameter instead)");
            goto done;
        }
        _PyCompiledConst *k = _PyFold_Expr(&c->folder, key);
        if (k != NULL) {
            for (int j = 0; j < nseen; j++) {
                if (_PyConst_SameValue(seen[j], k)) {
                    _PyStrBuf r = {0};
                    if (_PyConst_Repr(&r, k) < 0) {
                        _PyCompile_NoMemory(c);
                    }
                    else {
                        _PyCompile_Error(c, c->u->loc, "mapping pattern "
                                         "checks duplicate key (%s)", r.data);
                    }
                    _PyStrBuf_Clear(&r);
                    goto done;
                }
            }
            seen[nseen++] = k;
        }
        else if (c->folder.nomem) {
            _PyCompile_NoMemory(c);
            goto done;
        }
        else if (key->kind != Attribute_kind) {
            _PyCompile_Error(c, c->u->loc, "mapping pattern keys may only "
                             "match literals and attribute lookups");
            goto done;
        }
        if (_PyCodegen_VisitExpr(c, key) < 0) {
            goto done;
        }
    }
    res = 0;
done:
    PyMem_RawFree(seen);
    return res;
}

/* Mapping pattern: MATCH_MAPPING, a length check, MATCH_KEYS, the value
   sub-patterns, and the **rest dict built by copying and deleting keys. */
static int
pattern_mapping(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    asdl_expr_seq *keys = p->v.MatchMapping.keys;
    asdl_pattern_seq *patterns = p->v.MatchMapping.patterns;
    Py_ssize_t size = asdl_seq_LEN(keys);
    if (size != asdl_seq_LEN(patterns)) {
        return _PyCompile_Error(c, c->u->loc, "keys (%zd) / patterns (%zd) "
                                "length mismatch in mapping pattern", size,
                                asdl_seq_LEN(patterns));
    }
    /* We have a double-star target if "rest" is set */
    const char *star_target = p->v.MatchMapping.rest;
    /* We need to keep the subject on top during the mapping and length
       checks: */
    pc->on_top++;
    TRY(addop(c, MATCH_MAPPING, 0));
    TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    if (size == 0 && star_target == NULL) {
        /* If the pattern is just "{}", we're done!  Pop the subject: */
        pc->on_top--;
        return addop(c, POP_TOP, 0);
    }
    if (size > 0) {
        /* If the pattern has any keys in it, perform a length check: */
        TRY(addop(c, GET_LEN, 0));
        TRY(load_int(c, size));
        TRY(addop(c, COMPARE_OP, 5));
        TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    }
    /* Collect all of the keys into a tuple for MATCH_KEYS and **rest. */
    TRY(check_mapping_keys(c, keys, patterns));
    TRY(addop(c, BUILD_TUPLE, (int)size));
    TRY(addop(c, MATCH_KEYS, 0));
    /* There's now a tuple of keys and a tuple of values on top of the
       subject: */
    pc->on_top += 2;
    TRY(addop(c, COPY, 1));
    TRY(load_simple(c, _PyCC_NONE));
    TRY(addop(c, IS_OP, 1));
    TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    /* So far so good.  Use that tuple of values on the stack to match
       sub-patterns against: */
    TRY(addop(c, UNPACK_SEQUENCE, (int)size));
    pc->on_top += (int)size - 1;
    for (Py_ssize_t i = 0; i < size; i++) {
        pc->on_top--;
        TRY(compile_subpattern(c, asdl_seq_GET(patterns, i), pc));
    }
    /* If we get this far, it's a match!  Whatever happens next should
       consume the tuple of keys and the subject: */
    pc->on_top -= 2;
    if (star_target == NULL) {
        TRY(addop(c, POP_TOP, 0));      /* Tuple of keys. */
        return addop(c, POP_TOP, 0);    /* Subject. */
    }
    /* rest = dict(subject); for key in keys: del rest[key] */
    TRY(addop(c, BUILD_MAP, 0));            /* [subject, keys, empty] */
    TRY(addop(c, SWAP, 3));                 /* [empty, keys, subject] */
    TRY(addop(c, DICT_UPDATE, 2));          /* [copy, keys] */
    TRY(addop(c, UNPACK_SEQUENCE, (int)size));  /* [copy, keys...] */
    while (size > 0) {
        TRY(addop(c, COPY, (int)(1 + size--)));  /* [copy, keys..., copy] */
        TRY(addop(c, SWAP, 2));             /* [copy, keys..., copy, key] */
        TRY(addop(c, DELETE_SUBSCR, 0));    /* [copy, keys...] */
    }
    return store_name(c, star_target, pc);
}

/* Reject forbidden or repeated keyword attribute names in a class pattern. */
static int
validate_kwd_attrs(_PyCompiler *c, asdl_identifier_seq *attrs,
                   asdl_pattern_seq *patterns)
{
    Py_ssize_t n = asdl_seq_LEN(attrs);
    for (Py_ssize_t i = 0; i < n; i++) {
        const char *attr = asdl_seq_GET(attrs, i);
        c->u->loc = _PyLOC(asdl_seq_GET(patterns, i));
        if (strcmp(attr, "__debug__") == 0) {
            return _PyCompile_Error(c, c->u->loc, "cannot assign to "
                                    "__debug__");
        }
        for (Py_ssize_t j = i + 1; j < n; j++) {
            if (strcmp(attr, asdl_seq_GET(attrs, j)) == 0) {
                return _PyCompile_Error(c, _PyLOC(asdl_seq_GET(patterns, j)),
                                        "attribute name repeated in class "
                                        "pattern: %s", attr);
            }
        }
    }
    return 0;
}

/* Class pattern: MATCH_CLASS with the positional count and keyword names
   tuple, then each sub-pattern on the extracted attributes. */
static int
pattern_class(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    asdl_pattern_seq *patterns = p->v.MatchClass.patterns;
    asdl_identifier_seq *kwd_attrs = p->v.MatchClass.kwd_attrs;
    asdl_pattern_seq *kwd_patterns = p->v.MatchClass.kwd_patterns;
    Py_ssize_t nargs = asdl_seq_LEN(patterns);
    Py_ssize_t nattrs = asdl_seq_LEN(kwd_attrs);
    if (nattrs != asdl_seq_LEN(kwd_patterns)) {
        return _PyCompile_Error(c, c->u->loc, "kwd_attrs (%zd) / "
                                "kwd_patterns (%zd) length mismatch in class "
                                "pattern", nattrs,
                                asdl_seq_LEN(kwd_patterns));
    }
    if (nattrs > 0) {
        TRY(validate_kwd_attrs(c, kwd_attrs, kwd_patterns));
        c->u->loc = _PyLOC(p);
    }
    TRY(_PyCodegen_VisitExpr(c, p->v.MatchClass.cls));
    const char **names = PyMem_RawMalloc(sizeof(*names)
                                         * (size_t)(nattrs + 1));
    _PyCompiledConst **items = PyMem_RawMalloc(sizeof(*items)
                                               * (size_t)(nattrs + 1));
    if (names == NULL || items == NULL) {
        PyMem_RawFree(names);
        PyMem_RawFree(items);
        return _PyCompile_NoMemory(c);
    }
    int ok = 1;
    for (Py_ssize_t i = 0; i < nattrs; i++) {
        const char *a = asdl_seq_GET(kwd_attrs, i);
        items[i] = _PyFold_MakeStr(&c->folder, a, (Py_ssize_t)strlen(a));
        ok &= items[i] != NULL;
    }
    _PyCompiledConst *t = ok ? _PyFold_MakeTuple(&c->folder, items, nattrs)
                             : NULL;
    PyMem_RawFree(names);
    PyMem_RawFree(items);
    TRY(_PyCodegen_LoadConst(c, t));
    TRY(addop(c, MATCH_CLASS, (int)nargs));
    TRY(addop(c, COPY, 1));
    TRY(load_simple(c, _PyCC_NONE));
    TRY(addop(c, IS_OP, 1));
    /* TOS is now a tuple of (nargs + nattrs) attributes (or None): */
    pc->on_top++;
    TRY(jump_to_fail_pop(c, pc, POP_JUMP_IF_FALSE));
    TRY(addop(c, UNPACK_SEQUENCE, (int)(nargs + nattrs)));
    pc->on_top += (int)(nargs + nattrs) - 1;
    for (Py_ssize_t i = 0; i < nargs + nattrs; i++) {
        pc->on_top--;
        pattern_ty sub = i < nargs ? asdl_seq_GET(patterns, i)
                                   : asdl_seq_GET(kwd_patterns, i - nargs);
        if (is_wildcard(sub)) {
            TRY(addop(c, POP_TOP, 0));
            continue;
        }
        TRY(compile_subpattern(c, sub, pc));
    }
    /* Success!  Pop the tuple of attributes: */
    return 0;
}

/* Reorder the captures of an alternative to the order of the first
   alternative's (CONTROL), on the stack and in PC->stores. */
static int
reorder_captures(_PyCompiler *c, pattern_ctx *pc, const char **control,
                 int ncontrol)
{
    for (int icontrol = ncontrol - 1; icontrol >= 0; icontrol--) {
        int istores = stores_index(pc, control[icontrol]);
        if (istores < 0) {
            return 1;
        }
        if (istores == icontrol) {
            continue;
        }
        /* rotated = stores[:istores + 1]; del stores[:istores + 1];
           stores[icontrol - istores:icontrol - istores] = rotated */
        int rotations = istores + 1;
        const char *rotated[256];
        const char **rot = rotated;
        if (rotations > 256) {
            rot = PyMem_RawMalloc(sizeof(*rot) * (size_t)rotations);
            if (rot == NULL) {
                return _PyCompile_NoMemory(c);
            }
        }
        memcpy(rot, pc->stores, sizeof(*rot) * (size_t)rotations);
        memmove(pc->stores, pc->stores + rotations,
                sizeof(*rot) * (size_t)(pc->nstores - rotations));
        int at = icontrol - istores;
        memmove(pc->stores + at + rotations, pc->stores + at,
                sizeof(*rot) * (size_t)(pc->nstores - rotations - at));
        memcpy(pc->stores + at, rot, sizeof(*rot) * (size_t)rotations);
        if (rot != rotated) {
            PyMem_RawFree(rot);
        }
        while (rotations--) {
            TRY(rotate(c, icontrol + 1));
        }
    }
    return 0;
}

/* Or-pattern: each alternative must bind the same names; the bound values
   are rotated into one common order before joining. */
static int
pattern_or(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    _PyBlock *end = _PyCodegen_NewBlock(c);
    if (end == NULL) {
        return -1;
    }
    asdl_pattern_seq *alts = p->v.MatchOr.patterns;
    Py_ssize_t size = asdl_seq_LEN(alts);
    /* We're going to be messing with pc.  Keep the original info handy: */
    pattern_ctx old = *pc;
    const char **control = NULL;
    int ncontrol = 0, res = -1;
    pattern_ctx alt_pc = {0};
    for (Py_ssize_t i = 0; i < size; i++) {
        pattern_ty alt = asdl_seq_GET(alts, i);
        c->u->loc = _PyLOC(alt);
        PyMem_RawFree(alt_pc.stores);
        memset(&alt_pc, 0, sizeof(alt_pc));
        /* An irrefutable sub-pattern must be last, if it is allowed at
           all: */
        alt_pc.allow_irrefutable = (i == size - 1) && old.allow_irrefutable;
        if (addop(c, COPY, 1) < 0 || compile_pattern(c, alt, &alt_pc) < 0) {
            goto done;
        }
        /* Success! */
        if (i == 0) {
            /* This is the first alternative, so save its stores as a
               "control" for the others (they can't bind a different set
               of names, and might need to be reordered): */
            control = alt_pc.stores;
            ncontrol = alt_pc.nstores;
            alt_pc.stores = NULL;
            alt_pc.nstores = alt_pc.allocstores = 0;
        }
        else if (alt_pc.nstores != ncontrol) {
            goto diff;
        }
        else if (ncontrol > 0) {
            int r = reorder_captures(c, &alt_pc, control, ncontrol);
            if (r < 0) {
                goto done;
            }
            if (r > 0) {
                goto diff;
            }
        }
        if (_PyCodegen_AddJump(c, JUMP, end) < 0
            || emit_and_reset_fail_pop(c, &alt_pc) < 0) {
            goto done;
        }
    }
    /* No match.  Pop the remaining copy of the subject and fail: */
    if (addop(c, POP_TOP, 0) < 0 || jump_to_fail_pop(c, pc, JUMP) < 0) {
        goto done;
    }
    _PyCodegen_UseNextBlock(c, end);
    /* There's a bunch of stuff on the stack between where the new stores
       are and where they need to be: the other stores, a copy of the
       subject, anything else that may be on top of the stack, and any
       previous stores we've already stashed away on the stack. */
    int nrots = ncontrol + 1 + pc->on_top + pc->nstores;
    for (int i = 0; i < ncontrol; i++) {
        /* Rotate this capture to its proper place on the stack: */
        if (rotate(c, nrots) < 0) {
            goto done;
        }
        /* Update the list of previous stores with this new name, checking
           for duplicates: */
        if (stores_index(pc, control[i]) >= 0) {
            duplicate_store(c, control[i]);
            goto done;
        }
        if (append_store(c, pc, control[i]) < 0) {
            goto done;
        }
    }
    /* Pop the copy of the subject: */
    res = addop(c, POP_TOP, 0);
    goto done;
diff:
    _PyCompile_Error(c, c->u->loc, "alternative patterns bind different "
                     "names");
done:
    PyMem_RawFree(control);
    PyMem_RawFree(alt_pc.stores);
    PyMem_RawFree(alt_pc.fail_pop);
    return res;
}

/* Dispatch on pattern kind at the pattern's location. */
static int
compile_pattern(_PyCompiler *c, pattern_ty p, pattern_ctx *pc)
{
    c->u->loc = _PyLOC(p);
    switch (p->kind) {
    case MatchValue_kind:
        return pattern_value(c, p, pc);
    case MatchSingleton_kind:
        return pattern_singleton(c, p, pc);
    case MatchSequence_kind:
        return pattern_sequence(c, p, pc);
    case MatchMapping_kind:
        return pattern_mapping(c, p, pc);
    case MatchClass_kind:
        return pattern_class(c, p, pc);
    case MatchStar_kind:
        return store_name(c, p->v.MatchStar.name, pc);
    case MatchAs_kind:
        return pattern_as(c, p, pc);
    case MatchOr_kind:
        return pattern_or(c, p, pc);
    }
    return 0;
}

/* ------------------------------------------------------------------ */

/* One case: the pattern, the bound-name stores, the guard, then the body;
   failure falls through to the next case. */
static int
match_case(_PyCompiler *c, match_case_ty m, int copy_subject, int last,
           _PyBlock *end)
{
    pattern_ctx pc = {0};
    c->u->loc = _PyLOC(m->pattern);
    /* Only copy the subject if we're *not* on the last case: */
    if (copy_subject && addop(c, COPY, 1) < 0) {
        return -1;
    }
    /* Irrefutable cases must be either guarded, last, or both: */
    pc.allow_irrefutable = m->guard != NULL || last;
    int res = compile_pattern(c, m->pattern, &pc);
    /* It's a match!  Store all of the captured names (they're on the
       stack). */
    for (int n = 0; res == 0 && n < pc.nstores; n++) {
        res = _PyCodegen_NameOp(c, pc.stores[n], Store, c->u->loc);
    }
    if (res == 0 && m->guard != NULL) {
        res = ensure_fail_pop(c, &pc, 0);
        if (res == 0) {
            res = _PyCodegen_JumpIf(c, m->guard, pc.fail_pop[0], 0);
        }
    }
    /* Success!  Pop the subject off, we're done with it: */
    if (res == 0 && copy_subject) {
        res = addop(c, POP_TOP, 0);
    }
    if (res == 0) {
        res = _PyCodegen_VisitStmts(c, m->body);
    }
    if (res == 0) {
        res = _PyCodegen_AddJump(c, JUMP, end);
    }
    /* If the pattern fails to match, we want the line number of the
       cleanup to be associated with the failed pattern, not the last line
       of the body */
    c->u->loc = _PyLOC(m->pattern);
    if (res == 0) {
        res = emit_and_reset_fail_pop(c, &pc);
    }
    reset_ctx(&pc);
    return res;
}

/* match statement: the subject stays on the stack while the cases are tried
   in order. */
int
_PyCodegen_Match(_PyCompiler *c, stmt_ty s)
{
    TRY(_PyCodegen_VisitExpr(c, s->v.Match.subject));
    _PyBlock *end = _PyCodegen_NewBlock(c);
    if (end == NULL) {
        return -1;
    }
    asdl_match_case_seq *cases = s->v.Match.cases;
    Py_ssize_t n = asdl_seq_LEN(cases);
    match_case_ty lastcase = asdl_seq_GET(cases, n - 1);
    int has_default = is_wildcard(lastcase->pattern) && n > 1;
    for (Py_ssize_t i = 0; i < n - has_default; i++) {
        TRY(match_case(c, asdl_seq_GET(cases, i), i != n - has_default - 1,
                       i == n - 1, end));
    }
    if (has_default) {
        /* A trailing "case _" is common, and lets us save a bit of
           redundant pushing and popping in the loop above: */
        c->u->loc = _PyLOC(lastcase->pattern);
        if (n == 1) {
            /* No matches.  Done with the subject: */
            TRY(addop(c, POP_TOP, 0));
        }
        else {
            /* Show line coverage for default case (it doesn't create
               bytecode) */
            TRY(addop(c, NOP, 0));
        }
        if (lastcase->guard != NULL) {
            TRY(_PyCodegen_JumpIf(c, lastcase->guard, end, 0));
        }
        TRY(_PyCodegen_VisitStmts(c, lastcase->body));
    }
    _PyCodegen_UseNextBlock(c, end);
    return 0;
}
