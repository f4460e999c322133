/* Code generation: AST to instructions in basic blocks.

   The instruction sequences, and which source location each instruction
   carries, follow CPython 3.11, because both are visible: the first in
   what the eval loop must implement, the second in tracebacks, co_lines()
   and co_positions().  The location rules: a statement sets the current
   location; an expression sets it for its own instructions and restores
   the previous one after; "artificial" instructions get no location and
   inherit one later (flowgraph.c).  Match statements are in
   codegen_match.c. */

#include <string.h>

#include "Python.h"
#include "pycore_codegen.h"

/* 3.11 switches to building collections piecewise past this many values
   on the stack. */
#define STACK_USE_GUIDELINE 30

#define TRY(x) do { if ((x) < 0) { return -1; } } while (0)

static int visit_expr(_PyCompiler *c, expr_ty e);
static int visit_stmt(_PyCompiler *c, stmt_ty s);
static int visit_stmts(_PyCompiler *c, asdl_stmt_seq *seq);

/* ------------------------------------------------------------------ */
/* Emitting */

/* A fresh basic block in the current unit's CFG (not yet linked into the
   emission order). */
_PyBlock *
_PyCodegen_NewBlock(_PyCompiler *c)
{
    _PyBlock *b = _PyCfg_NewBlock(&c->u->cfg);
    if (b == NULL) {
        _PyCompile_NoMemory(c);
    }
    return b;
}

/* Make B the block that follows the current one in emission order and
   continue emitting into it. */
void
_PyCodegen_UseNextBlock(_PyCompiler *c, _PyBlock *b)
{
    c->u->curblock->next = b;
    c->u->curblock = b;
}

/* _PyCodegen_UseNextBlock returning 0, for use inside TRY chains. */
static int
use_next_block(_PyCompiler *c, _PyBlock *b)
{
    _PyCodegen_UseNextBlock(c, b);
    return 0;
}

/* An instruction after a jump or a return starts a new block. */
static int
ensure_open_block(_PyCompiler *c)
{
    _PyInstr *last = _PyBlock_Last(c->u->curblock);
    if (last != NULL && !_PyInstr_IsBlockPush(last)
        && (_PyInstr_IsJump(last) || _PyInstr_IsUnconditional(last))) {
        _PyBlock *b = _PyCodegen_NewBlock(c);
        if (b == NULL) {
            return -1;
        }
        _PyCodegen_UseNextBlock(c, b);
    }
    return 0;
}

/* Append one instruction to the current block; the single place every
   emitter goes through. */
static int
emit(_PyCompiler *c, int opcode, int oparg, _PyLoc loc, _PyBlock *target)
{
    TRY(ensure_open_block(c));
    if (_PyBlock_AddInstr(c->u->curblock, opcode, oparg, loc, target) < 0) {
        return _PyCompile_NoMemory(c);
    }
    return 0;
}

/* Emit OPCODE with OPARG at an explicit location. */
int
_PyCodegen_AddopLoc(_PyCompiler *c, int opcode, int oparg, _PyLoc loc)
{
    return emit(c, opcode, oparg, loc, NULL);
}

/* Emit OPCODE with OPARG at the current location. */
int
_PyCodegen_Addop(_PyCompiler *c, int opcode, int oparg)
{
    return emit(c, opcode, oparg, c->u->loc, NULL);
}

/* Emit an argument-less OPCODE at the current location. */
static int
addop(_PyCompiler *c, int opcode)
{
    return emit(c, opcode, 0, c->u->loc, NULL);
}

/* Emit OPCODE with OPARG at the current location. */
static int
addop_i(_PyCompiler *c, int opcode, int oparg)
{
    return emit(c, opcode, oparg, c->u->loc, NULL);
}

/* Emit an artificial instruction (no location); line propagation fills it
   in later. */
static int
addop_noline(_PyCompiler *c, int opcode, int oparg)
{
    return emit(c, opcode, oparg, _PyLoc_NONE, NULL);
}

/* Emit a jump to TARGET at the current location. */
int
_PyCodegen_AddJump(_PyCompiler *c, int opcode, _PyBlock *target)
{
    return emit(c, opcode, 0, c->u->loc, target);
}

/* Emit an artificial jump to TARGET (no location). */
int
_PyCodegen_AddJumpNoLine(_PyCompiler *c, int opcode, _PyBlock *target)
{
    return emit(c, opcode, 0, _PyLoc_NONE, target);
}

#define addop_j _PyCodegen_AddJump
#define addop_j_noline _PyCodegen_AddJumpNoLine

/* Emit LOAD_CONST of VALUE; a NULL VALUE means the folder ran out of
   memory. */
int
_PyCodegen_LoadConst(_PyCompiler *c, _PyCompiledConst *value)
{
    if (value == NULL) {
        return _PyCompile_NoMemory(c);
    }
    int k = _PyCompile_AddConst(c, value);
    TRY(k);
    return addop_i(c, LOAD_CONST, k);
}

/* Emit LOAD_CONST None. */
static int
load_none(_PyCompiler *c)
{
    return _PyCodegen_LoadConst(c, _PyFold_MakeSimple(&c->folder,
                                                      _PyCC_NONE));
}

/* Emit LOAD_CONST of the UTF-8 string S. */
static int
load_str(_PyCompiler *c, const char *s)
{
    return _PyCodegen_LoadConst(c, _PyFold_MakeStr(&c->folder, s,
                                                   (Py_ssize_t)strlen(s)));
}

/* Emit LOAD_CONST of a small int (import levels and the like). */
static int
load_int(_PyCompiler *c, int v)
{
    char text[16];
    int n = snprintf(text, sizeof(text), "%d", v < 0 ? -v : v);
    _PyCompiledConst *k = _PyFold_MakeStr(&c->folder, text, n);
    if (k == NULL) {
        return _PyCompile_NoMemory(c);
    }
    k->kind = _PyCC_INT;
    k->base = 10;
    k->negative = v < 0;
    return _PyCodegen_LoadConst(c, k);
}

/* Emit a co_names instruction for NAME, mangled for the current class. */
static int
addop_name(_PyCompiler *c, int opcode, const char *name)
{
    const char *mangled = _PyCompile_Mangle(c, name);
    if (mangled == NULL) {
        return -1;
    }
    int k = _PyCompile_AddName(c, mangled);
    TRY(k);
    return addop_i(c, opcode, k);
}

/* Names that must not be mangled (IMPORT_NAME, IMPORT_FROM). */
static int
addop_name_plain(_PyCompiler *c, int opcode, const char *name)
{
    int k = _PyCompile_AddName(c, name);
    TRY(k);
    return addop_i(c, opcode, k);
}

/* Short name for _PyCodegen_NewBlock. */
static _PyBlock *
new_block(_PyCompiler *c)
{
    return _PyCodegen_NewBlock(c);
}

/* The constant value of E (folded as 3.11's AST optimizer would), or
   NULL.  Sets an error when out of memory. */
static _PyCompiledConst *
const_value(_PyCompiler *c, expr_ty e)
{
    _PyCompiledConst *k = _PyFold_Expr(&c->folder, e);
    if (k == NULL && c->folder.nomem) {
        _PyCompile_NoMemory(c);
    }
    return k;
}

/* True if E is (or folds to) a constant, so it cannot raise when evaluated. */
static int
is_const(_PyCompiler *c, expr_ty e)
{
    return e->kind == Constant_kind || const_value(c, e) != NULL;
}

/* ------------------------------------------------------------------ */
/* Exception-handling helpers and the block stack */

/* Enter a frame block (loop, try, with...) that break/continue/return must
   unwind; bounded at 3.11's limit with its error. */
static int
push_fblock(_PyCompiler *c, _PyFBlockType t, _PyBlock *b, _PyBlock *exit,
            const void *datum)
{
    _PyCompilerUnit *u = c->u;
    if (u->nfblocks >= _PY_MAX_FBLOCKS) {
        return _PyCompile_Error(c, u->loc, "too many statically nested "
                                "blocks");
    }
    _PyFBlock *f = &u->fblocks[u->nfblocks++];
    f->type = t;
    f->block = b;
    f->exit = exit;
    f->datum = datum;
    return 0;
}

/* Leave the innermost frame block. */
static void
pop_fblock(_PyCompiler *c)
{
    c->u->nfblocks--;
}

/* [prev_exc, lasti, exc] -> restore prev_exc and re-raise with lasti. */
static int
pop_except_and_reraise(_PyCompiler *c)
{
    TRY(addop_i(c, COPY, 3));
    TRY(addop(c, POP_EXCEPT));
    return addop_i(c, RERAISE, 1);
}

/* Delegate to the iterator on top of the stack (yield from / await): the
   SEND loop with its exception-table cleanup. */
static int
add_yield_from(_PyCompiler *c, int await)
{
    _PyBlock *send = new_block(c), *resume = new_block(c),
             *exit = new_block(c);
    if (send == NULL || resume == NULL || exit == NULL) {
        return -1;
    }
    use_next_block(c, send);
    TRY(addop_j(c, SEND, exit));
    use_next_block(c, resume);
    TRY(addop(c, YIELD_VALUE));
    TRY(addop_i(c, RESUME, await ? _PyResume_AFTER_AWAIT
                                 : _PyResume_AFTER_YIELD_FROM));
    TRY(addop_j(c, JUMP_NO_INTERRUPT, send));
    use_next_block(c, exit);
    return 0;
}

/* Call __exit__ on a normal exit: exit(None, None, None). */
static int
call_exit_with_nones(_PyCompiler *c)
{
    TRY(load_none(c));
    TRY(load_none(c));
    TRY(load_none(c));
    return addop_i(c, CALL, 2);
}

static int unwind_fblock_stack(_PyCompiler *c, int preserve_tos,
                               _PyFBlock **loop, _PyFBlock *loopcopy);

/* Emit what leaving block INFO early requires (a return, break or
   continue crossing it).  PRESERVE_TOS: a return value is on top of the
   stack and must stay there. */
static int
unwind_fblock(_PyCompiler *c, _PyFBlock *info, int preserve_tos)
{
    switch (info->type) {
    case _PyFB_WHILE_LOOP:
    case _PyFB_EXCEPTION_HANDLER:
    case _PyFB_EXCEPTION_GROUP_HANDLER:
    case _PyFB_ASYNC_COMPREHENSION_GENERATOR:
        return 0;
    case _PyFB_FOR_LOOP:
        /* Pop the iterator */
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        return addop(c, POP_TOP);
    case _PyFB_TRY_EXCEPT:
        return addop(c, POP_BLOCK);
    case _PyFB_FINALLY_TRY:
        /* This POP_BLOCK gets the line number of the unwinding
           statement. */
        TRY(addop(c, POP_BLOCK));
        if (preserve_tos) {
            TRY(push_fblock(c, _PyFB_POP_VALUE, NULL, NULL, NULL));
        }
        /* Emit the finally block */
        TRY(visit_stmts(c, (asdl_stmt_seq *)info->datum));
        if (preserve_tos) {
            pop_fblock(c);
        }
        /* The finally block should appear to execute after the statement
           causing the unwinding, so make the unwinding instruction
           artificial. */
        c->u->loc = _PyLoc_NONE;
        return 0;
    case _PyFB_FINALLY_END:
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        TRY(addop(c, POP_TOP));     /* exc_value */
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        TRY(addop(c, POP_BLOCK));
        return addop(c, POP_EXCEPT);
    case _PyFB_WITH:
    case _PyFB_ASYNC_WITH: {
        stmt_ty s = (stmt_ty)info->datum;
        c->u->loc = _PyLOC(s);
        TRY(addop(c, POP_BLOCK));
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        TRY(call_exit_with_nones(c));
        if (info->type == _PyFB_ASYNC_WITH) {
            TRY(addop_i(c, GET_AWAITABLE, 2));
            TRY(load_none(c));
            TRY(add_yield_from(c, 1));
        }
        TRY(addop(c, POP_TOP));
        /* The exit block should appear to execute after the statement
           causing the unwinding, so make the unwinding instruction
           artificial. */
        c->u->loc = _PyLoc_NONE;
        return 0;
    }
    case _PyFB_HANDLER_CLEANUP: {
        const char *name = (const char *)info->datum;
        if (name != NULL) {
            TRY(addop(c, POP_BLOCK));
        }
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        TRY(addop(c, POP_BLOCK));
        TRY(addop(c, POP_EXCEPT));
        if (name != NULL) {
            TRY(load_none(c));
            TRY(_PyCodegen_NameOp(c, name, Store, c->u->loc));
            TRY(_PyCodegen_NameOp(c, name, Del, c->u->loc));
        }
        return 0;
    }
    case _PyFB_POP_VALUE:
        if (preserve_tos) {
            TRY(addop_i(c, SWAP, 2));
        }
        return addop(c, POP_TOP);
    }
    return 0;
}

/* Unwind every block up to the innermost loop (stored in *LOOP when LOOP
   is not NULL), or all of them. */
static int
unwind_fblock_stack(_PyCompiler *c, int preserve_tos, _PyFBlock **loop,
                    _PyFBlock *loopcopy)
{
    _PyCompilerUnit *u = c->u;
    if (u->nfblocks == 0) {
        return 0;
    }
    _PyFBlock *top = &u->fblocks[u->nfblocks - 1];
    if (top->type == _PyFB_EXCEPTION_GROUP_HANDLER) {
        return _PyCompile_Error(c, u->loc, "'break', 'continue' and "
                                "'return' cannot appear in an except* block");
    }
    if (loop != NULL && (top->type == _PyFB_WHILE_LOOP
                         || top->type == _PyFB_FOR_LOOP)) {
        *loopcopy = *top;
        *loop = loopcopy;
        return 0;
    }
    _PyFBlock copy = *top;
    u->nfblocks--;
    int res = unwind_fblock(c, &copy, preserve_tos);
    if (res == 0) {
        res = unwind_fblock_stack(c, preserve_tos, loop, loopcopy);
    }
    u->fblocks[u->nfblocks++] = copy;
    return res;
}

/* ------------------------------------------------------------------ */
/* Names */

/* Reject assignment to or deletion of __debug__ with 3.11's messages. */
static int
forbidden_name(_PyCompiler *c, const char *name, expr_context_ty ctx)
{
    if (strcmp(name, "__debug__") != 0) {
        return 0;
    }
    if (ctx == Store) {
        return _PyCompile_Error(c, c->u->loc, "cannot assign to __debug__");
    }
    if (ctx == Del) {
        return _PyCompile_Error(c, c->u->loc, "cannot delete __debug__");
    }
    return 0;
}

/* Emit the load/store/delete of NAME chosen by its scope (fast, deref,
   global, name or class-deref), at LOC. */
int
_PyCodegen_NameOp(_PyCompiler *c, const char *name, expr_context_ty ctx,
                  _PyLoc loc)
{
    _PyLoc saved = c->u->loc;
    c->u->loc = loc;
    TRY(forbidden_name(c, name, ctx));
    const char *mangled = _PyCompile_Mangle(c, name);
    if (mangled == NULL) {
        return -1;
    }
    _PySymEntry *ste = c->u->ste;
    int scope = _PySymEntry_GetScope(ste, mangled);
    int is_function = ste->type == _PySym_FunctionBlock;
    enum { OP_NAME, OP_FAST, OP_GLOBAL, OP_DEREF } kind = OP_NAME;
    switch (scope) {
    case FREE:
    case CELL:
        kind = OP_DEREF;
        break;
    case LOCAL:
        if (is_function) {
            kind = OP_FAST;
        }
        break;
    case GLOBAL_IMPLICIT:
        if (is_function) {
            kind = OP_GLOBAL;
        }
        break;
    case GLOBAL_EXPLICIT:
        kind = OP_GLOBAL;
        break;
    default:
        break;
    }
    int op, arg;
    switch (kind) {
    case OP_DEREF:
        op = ctx == Load ? (ste->type == _PySym_ClassBlock ? LOAD_CLASSDEREF
                                                           : LOAD_DEREF)
             : ctx == Store ? STORE_DEREF : DELETE_DEREF;
        arg = _PyCompile_DerefIndex(c, mangled);
        break;
    case OP_FAST:
        op = ctx == Load ? LOAD_FAST : ctx == Store ? STORE_FAST
                                                    : DELETE_FAST;
        arg = _PyCompile_AddVarname(c, mangled);
        break;
    case OP_GLOBAL:
        op = ctx == Load ? LOAD_GLOBAL : ctx == Store ? STORE_GLOBAL
                                                      : DELETE_GLOBAL;
        arg = _PyCompile_AddName(c, mangled);
        if (arg >= 0 && op == LOAD_GLOBAL) {
            arg <<= 1;
        }
        break;
    default:
        op = ctx == Load ? LOAD_NAME : ctx == Store ? STORE_NAME
                                                    : DELETE_NAME;
        arg = _PyCompile_AddName(c, mangled);
        break;
    }
    TRY(arg);
    int res = addop_i(c, op, arg);
    c->u->loc = saved;
    return res;
}

/* _PyCodegen_NameOp at the current location. */
static int
nameop(_PyCompiler *c, const char *name, expr_context_ty ctx)
{
    return _PyCodegen_NameOp(c, name, ctx, c->u->loc);
}

/* ------------------------------------------------------------------ */
/* Warnings 3.11 gives for code that cannot work */

/* Type name of E when it is a literal or display (for the 'x is not
   callable' style warnings), or NULL when unknown. */
static const char *
infer_type_name(_PyCompiler *c, expr_ty e)
{
    _PyCompiledConst *k;
    switch (e->kind) {
    case Tuple_kind:
        return "tuple";
    case List_kind:
    case ListComp_kind:
        return "list";
    case Dict_kind:
    case DictComp_kind:
        return "dict";
    case Set_kind:
    case SetComp_kind:
        return "set";
    case GeneratorExp_kind:
        return "generator";
    case Lambda_kind:
        return "function";
    case JoinedStr_kind:
    case FormattedValue_kind:
        return "str";
    case Constant_kind:
        k = const_value(c, e);
        break;
    default:
        k = const_value(c, e);
        if (k == NULL) {
            return NULL;
        }
    }
    if (k == NULL) {
        return NULL;
    }
    switch (k->kind) {
    case _PyCC_NONE:
        return "NoneType";
    case _PyCC_TRUE:
    case _PyCC_FALSE:
        return "bool";
    case _PyCC_ELLIPSIS:
        return "ellipsis";
    case _PyCC_INT:
        return "int";
    case _PyCC_FLOAT:
        return "float";
    case _PyCC_IMAG:
    case _PyCC_COMPLEX:
        return "complex";
    case _PyCC_STR:
        return "str";
    case _PyCC_BYTES:
        return "bytes";
    case _PyCC_TUPLE:
        return "tuple";
    case _PyCC_FROZENSET:
        return "frozenset";
    case _PyCC_CODE:
        return "code";
    }
    return NULL;
}

/* SyntaxWarning for calling a literal, as 3.11 does ('...' object is not
   callable; perhaps you missed a comma?). */
static int
check_caller(_PyCompiler *c, expr_ty e)
{
    switch (e->kind) {
    case Constant_kind:
    case Tuple_kind:
    case List_kind:
    case ListComp_kind:
    case Dict_kind:
    case DictComp_kind:
    case Set_kind:
    case SetComp_kind:
    case GeneratorExp_kind:
    case JoinedStr_kind:
    case FormattedValue_kind:
        break;
    default:
        if (!is_const(c, e)) {
            return 0;
        }
    }
    return _PyCompile_Warn(c, c->u->loc, "'%.200s' object is not callable; "
                           "perhaps you missed a comma?",
                           infer_type_name(c, e));
}

/* SyntaxWarning for subscripting a literal that is not subscriptable. */
static int
check_subscripter(_PyCompiler *c, expr_ty e)
{
    _PyCompiledConst *k = const_value(c, e);
    if (k != NULL) {
        switch (k->kind) {
        case _PyCC_NONE:
        case _PyCC_ELLIPSIS:
        case _PyCC_INT:
        case _PyCC_TRUE:
        case _PyCC_FALSE:
        case _PyCC_FLOAT:
        case _PyCC_IMAG:
        case _PyCC_COMPLEX:
        case _PyCC_FROZENSET:
            break;
        default:
            return 0;
        }
    }
    else if (e->kind != Set_kind && e->kind != SetComp_kind
             && e->kind != GeneratorExp_kind && e->kind != Lambda_kind) {
        return 0;
    }
    return _PyCompile_Warn(c, c->u->loc, "'%.200s' object is not "
                           "subscriptable; perhaps you missed a comma?",
                           infer_type_name(c, e));
}

/* SyntaxWarning for indexing a literal sequence with a literal of the wrong
   type. */
static int
check_index(_PyCompiler *c, expr_ty e, expr_ty s)
{
    const char *index_type = infer_type_name(c, s);
    if (index_type == NULL || strcmp(index_type, "int") == 0
        || strcmp(index_type, "bool") == 0 || s->kind == Slice_kind) {
        return 0;
    }
    _PyCompiledConst *k = const_value(c, e);
    if (k != NULL) {
        if (k->kind != _PyCC_STR && k->kind != _PyCC_BYTES
            && k->kind != _PyCC_TUPLE) {
            return 0;
        }
    }
    else if (e->kind != Tuple_kind && e->kind != List_kind
             && e->kind != ListComp_kind && e->kind != JoinedStr_kind
             && e->kind != FormattedValue_kind) {
        return 0;
    }
    return _PyCompile_Warn(c, c->u->loc, "%.200s indices must be integers "
                           "or slices, not %.200s; perhaps you missed a "
                           "comma?", infer_type_name(c, e), index_type);
}

/* `is` with a literal other than None, True, False and Ellipsis. */
static int
check_is_arg(_PyCompiler *c, expr_ty e)
{
    _PyCompiledConst *k = const_value(c, e);
    if (k == NULL) {
        return 1;
    }
    return k->kind == _PyCC_NONE || k->kind == _PyCC_TRUE
           || k->kind == _PyCC_FALSE || k->kind == _PyCC_ELLIPSIS;
}

/* SyntaxWarning for `is` / `is not` with a literal operand. */
static int
check_compare(_PyCompiler *c, expr_ty e)
{
    int left = check_is_arg(c, e->v.Compare.left);
    Py_ssize_t n = asdl_seq_LEN(e->v.Compare.ops);
    for (Py_ssize_t i = 0; i < n; i++) {
        cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, i);
        int right = check_is_arg(c, asdl_seq_GET(e->v.Compare.comparators,
                                                 i));
        if ((op == Is || op == IsNot) && (!right || !left)) {
            return _PyCompile_Warn(c, c->u->loc, op == Is
                ? "\"is\" with a literal. Did you mean \"==\"?"
                : "\"is not\" with a literal. Did you mean \"!=\"?");
        }
        left = right;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Functions, lambdas and classes */

/* Reported at the def or lambda, as 3.11 does. */
static int
check_debug_arg(_PyCompiler *c, arg_ty a)
{
    if (strcmp(a->arg, "__debug__") == 0) {
        return _PyCompile_Error(c, c->u->loc, "cannot assign to __debug__");
    }
    return 0;
}

/* Reject parameters named __debug__ in a parameter list. */
static int
check_debug_args_seq(_PyCompiler *c, asdl_arg_seq *args)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        TRY(check_debug_arg(c, asdl_seq_GET(args, i)));
    }
    return 0;
}

/* Reject parameters named __debug__ anywhere in ARGS. */
static int
check_debug_args(_PyCompiler *c, arguments_ty args)
{
    TRY(check_debug_args_seq(c, args->posonlyargs));
    TRY(check_debug_args_seq(c, args->args));
    if (args->vararg != NULL) {
        TRY(check_debug_arg(c, args->vararg));
    }
    TRY(check_debug_args_seq(c, args->kwonlyargs));
    if (args->kwarg != NULL) {
        TRY(check_debug_arg(c, args->kwarg));
    }
    return 0;
}

/* Evaluate each expression of SEQ, in order. */
static int
visit_exprs(_PyCompiler *c, asdl_expr_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        TRY(visit_expr(c, asdl_seq_GET(seq, i)));
    }
    return 0;
}

/* A constant tuple of the strings NAMES (annotation names, keyword names);
   NULL on memory error. */
static _PyCompiledConst *
names_tuple(_PyCompiler *c, const char **names, Py_ssize_t n)
{
    _PyCompiledConst *small[16];
    _PyCompiledConst **items = n <= 16 ? small
        : PyMem_RawMalloc(sizeof(*items) * (size_t)n);
    if (items == NULL) {
        _PyCompile_NoMemory(c);
        return NULL;
    }
    _PyCompiledConst *t = NULL;
    Py_ssize_t k;
    for (k = 0; k < n; k++) {
        items[k] = _PyFold_MakeStr(&c->folder, names[k],
                                   (Py_ssize_t)strlen(names[k]));
        if (items[k] == NULL) {
            break;
        }
    }
    if (k == n) {
        t = _PyFold_MakeTuple(&c->folder, items, n);
    }
    if (items != small) {
        PyMem_RawFree(items);
    }
    if (t == NULL) {
        _PyCompile_NoMemory(c);
    }
    return t;
}

/* Keyword-only defaults: values, then a tuple of names, as a dict. */
static int
visit_kwonly_defaults(_PyCompiler *c, asdl_arg_seq *kwonlyargs,
                      asdl_expr_seq *kw_defaults, int *count)
{
    Py_ssize_t n = asdl_seq_LEN(kwonlyargs);
    const char **names = PyMem_RawMalloc(sizeof(*names) * (size_t)(n + 1));
    if (names == NULL) {
        return _PyCompile_NoMemory(c);
    }
    int k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        arg_ty a = asdl_seq_GET(kwonlyargs, i);
        expr_ty d = asdl_seq_GET(kw_defaults, i);
        if (d == NULL) {
            continue;
        }
        names[k] = _PyCompile_Mangle(c, a->arg);
        if (names[k] == NULL || visit_expr(c, d) < 0) {
            PyMem_RawFree(names);
            return -1;
        }
        k++;
    }
    *count = k;
    int res = 0;
    if (k > 0) {
        _PyCompiledConst *t = names_tuple(c, names, k);
        res = t == NULL ? -1 : _PyCodegen_LoadConst(c, t);
        if (res == 0) {
            res = addop_i(c, BUILD_CONST_KEY_MAP, k);
        }
    }
    PyMem_RawFree(names);
    return res;
}

/* Push the defaults tuple and kw-defaults dict; return MAKE_FUNCTION's
   flags for them, or -1. */
static int
default_arguments(_PyCompiler *c, arguments_ty args)
{
    int flags = 0;
    if (asdl_seq_LEN(args->defaults) > 0) {
        TRY(visit_exprs(c, args->defaults));
        TRY(addop_i(c, BUILD_TUPLE, (int)asdl_seq_LEN(args->defaults)));
        flags |= _PyMakeFunction_DEFAULTS;
    }
    if (asdl_seq_LEN(args->kwonlyargs) > 0) {
        int count = 0;
        TRY(visit_kwonly_defaults(c, args->kwonlyargs, args->kw_defaults,
                                  &count));
        if (count > 0) {
            flags |= _PyMakeFunction_KWDEFAULTS;
        }
    }
    return flags;
}

/* An annotation's value: the expression, or under `from __future__
   import annotations` its source text as 3.11 unparses it. */
static int
visit_annexpr(_PyCompiler *c, expr_ty annotation)
{
    if (c->features & CO_FUTURE_ANNOTATIONS) {
        char *text = _PyAST_Unparse(annotation, c->scratch);
        if (text == NULL) {
            return _PyCompile_NoMemory(c);
        }
        return load_str(c, text);
    }
    return visit_expr(c, annotation);
}

/* Push the (mangled) name and value of one parameter annotation; counts the
   pushed values in *COUNT. */
static int
visit_argannotation(_PyCompiler *c, const char *name, expr_ty annotation,
                    int *count)
{
    if (annotation == NULL) {
        return 0;
    }
    const char *mangled = _PyCompile_Mangle(c, name);
    if (mangled == NULL) {
        return -1;
    }
    TRY(load_str(c, mangled));
    if (annotation->kind == Starred_kind
        && !(c->features & CO_FUTURE_ANNOTATIONS)) {
        /* *args: *Ts (where Ts is a TypeVarTuple): the annotation is the
           one value Ts unpacks to. */
        TRY(visit_expr(c, annotation->v.Starred.value));
        TRY(addop_i(c, UNPACK_SEQUENCE, 1));
    }
    else {
        TRY(visit_annexpr(c, annotation));
    }
    *count += 2;
    return 0;
}

/* visit_argannotation for each parameter of ARGS. */
static int
visit_argannotations(_PyCompiler *c, asdl_arg_seq *args, int *count)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        TRY(visit_argannotation(c, a->arg, a->annotation, count));
    }
    return 0;
}

/* A flat tuple (name, value, ...) of the annotations; return 1 if any was
   pushed, 0 if none, -1 on error. */
static int
visit_annotations(_PyCompiler *c, arguments_ty args, expr_ty returns)
{
    int count = 0;
    TRY(visit_argannotations(c, args->args, &count));
    TRY(visit_argannotations(c, args->posonlyargs, &count));
    if (args->vararg != NULL) {
        TRY(visit_argannotation(c, args->vararg->arg,
                                args->vararg->annotation, &count));
    }
    TRY(visit_argannotations(c, args->kwonlyargs, &count));
    if (args->kwarg != NULL) {
        TRY(visit_argannotation(c, args->kwarg->arg,
                                args->kwarg->annotation, &count));
    }
    TRY(visit_argannotation(c, "return", returns, &count));
    if (count == 0) {
        return 0;
    }
    TRY(addop_i(c, BUILD_TUPLE, count));
    return 1;
}

/* Whether NAME is a cell of the current unit (or __class__ in a class),
   for LOAD_CLOSURE. */
static int
make_closure(_PyCompiler *c, _PyCodeUnit *co, int flags)
{
    if (co->nfreevars > 0) {
        for (int i = 0; i < co->nfreevars; i++) {
            int arg = _PyCompile_DerefIndex(c, co->freevars[i]);
            TRY(arg);
            TRY(addop_i(c, LOAD_CLOSURE, arg));
        }
        flags |= _PyMakeFunction_CLOSURE;
        TRY(addop_i(c, BUILD_TUPLE, co->nfreevars));
    }
    _PyCompiledConst *k = _PyFold_MakeSimple(&c->folder, _PyCC_CODE);
    if (k == NULL) {
        return _PyCompile_NoMemory(c);
    }
    k->code = co;
    TRY(_PyCodegen_LoadConst(c, k));
    return addop_i(c, MAKE_FUNCTION, flags);
}

/* The docstring constant of BODY, or NULL (also under -OO). */
static _PyCompiledConst *
docstring_of(_PyCompiler *c, asdl_stmt_seq *body)
{
    if (c->optimize >= 2 || asdl_seq_LEN(body) == 0) {
        return NULL;
    }
    stmt_ty st = asdl_seq_GET(body, 0);
    if (st->kind != Expr_kind) {
        return NULL;
    }
    _PyCompiledConst *k = const_value(c, st->v.Expr.value);
    return k != NULL && k->kind == _PyCC_STR ? k : NULL;
}

/* Call the decorators (already evaluated) innermost first, each at its own
   location. */
static int
apply_decorators(_PyCompiler *c, asdl_expr_seq *decos)
{
    for (Py_ssize_t i = asdl_seq_LEN(decos) - 1; i >= 0; i--) {
        c->u->loc = _PyLOC(asdl_seq_GET(decos, i));
        TRY(addop_i(c, CALL, 0));
    }
    return 0;
}

/* Compile the body of a def into its own code unit (docstring as
   co_consts[0], parameters as locals). */
static int
function_body(_PyCompiler *c, stmt_ty s, identifier name,
              arguments_ty args, asdl_stmt_seq *body, int is_async,
              int firstlineno, _PyCodeUnit **out)
{
    TRY(_PyCompile_EnterScope(c, name, is_async ? _PyScope_ASYNC_FUNCTION
                                                : _PyScope_FUNCTION,
                              s, firstlineno));
    /* co_consts[0] is the docstring, or None: the function object takes
       its __doc__ from there. */
    _PyCompiledConst *doc = docstring_of(c, body);
    Py_ssize_t start = doc != NULL ? 1 : 0;
    if (doc == NULL) {
        doc = _PyFold_MakeSimple(&c->folder, _PyCC_NONE);
        if (doc == NULL) {
            return _PyCompile_NoMemory(c);
        }
    }
    TRY(_PyCompile_AddConst(c, doc));
    c->u->argcount = (int)(asdl_seq_LEN(args->args)
                           + asdl_seq_LEN(args->posonlyargs));
    c->u->posonlyargcount = (int)asdl_seq_LEN(args->posonlyargs);
    c->u->kwonlyargcount = (int)asdl_seq_LEN(args->kwonlyargs);
    for (Py_ssize_t i = start; i < asdl_seq_LEN(body); i++) {
        TRY(visit_stmt(c, asdl_seq_GET(body, i)));
    }
    *out = _PyCompile_ExitScope(c, 1);
    return *out == NULL ? -1 : 0;
}

/* def / async def: defaults, annotations, the code unit, MAKE_FUNCTION,
   decorators, then the name store. */
static int
visit_function(_PyCompiler *c, stmt_ty s, int is_async)
{
    identifier name;
    arguments_ty args;
    asdl_stmt_seq *body;
    asdl_expr_seq *decos;
    expr_ty returns;
    if (is_async) {
        name = s->v.AsyncFunctionDef.name;
        args = s->v.AsyncFunctionDef.args;
        body = s->v.AsyncFunctionDef.body;
        decos = s->v.AsyncFunctionDef.decorator_list;
        returns = s->v.AsyncFunctionDef.returns;
    }
    else {
        name = s->v.FunctionDef.name;
        args = s->v.FunctionDef.args;
        body = s->v.FunctionDef.body;
        decos = s->v.FunctionDef.decorator_list;
        returns = s->v.FunctionDef.returns;
    }
    TRY(check_debug_args(c, args));
    TRY(visit_exprs(c, decos));
    int firstlineno = s->lineno;
    if (asdl_seq_LEN(decos) > 0) {
        firstlineno = asdl_seq_GET(decos, 0)->lineno;
    }
    int flags = default_arguments(c, args);
    TRY(flags);
    int ann = visit_annotations(c, args, returns);
    TRY(ann);
    if (ann) {
        flags |= _PyMakeFunction_ANNOTATIONS;
    }
    _PyCodeUnit *co = NULL;
    TRY(function_body(c, s, name, args, body, is_async, firstlineno, &co));
    c->u->loc = _PyLOC(s);
    TRY(make_closure(c, co, flags));
    TRY(apply_decorators(c, decos));
    c->u->loc = _PyLOC(s);
    return nameop(c, name, Store);
}

/* Does any statement (not inside a def, class or match) annotate a
   name? */
static int
find_ann(asdl_stmt_seq *stmts)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(stmts); i++) {
        stmt_ty st = asdl_seq_GET(stmts, i);
        int res = 0;
        switch (st->kind) {
        case AnnAssign_kind:
            return 1;
        case For_kind:
            res = find_ann(st->v.For.body) || find_ann(st->v.For.orelse);
            break;
        case AsyncFor_kind:
            res = find_ann(st->v.AsyncFor.body)
                  || find_ann(st->v.AsyncFor.orelse);
            break;
        case While_kind:
            res = find_ann(st->v.While.body) || find_ann(st->v.While.orelse);
            break;
        case If_kind:
            res = find_ann(st->v.If.body) || find_ann(st->v.If.orelse);
            break;
        case With_kind:
            res = find_ann(st->v.With.body);
            break;
        case AsyncWith_kind:
            res = find_ann(st->v.AsyncWith.body);
            break;
        case Try_kind:
        case TryStar_kind: {
            asdl_excepthandler_seq *h = st->kind == Try_kind
                ? st->v.Try.handlers : st->v.TryStar.handlers;
            for (Py_ssize_t j = 0; j < asdl_seq_LEN(h); j++) {
                if (find_ann(asdl_seq_GET(h, j)->v.ExceptHandler.body)) {
                    return 1;
                }
            }
            if (st->kind == Try_kind) {
                res = find_ann(st->v.Try.body) || find_ann(st->v.Try.orelse)
                      || find_ann(st->v.Try.finalbody);
            }
            else {
                res = find_ann(st->v.TryStar.body)
                      || find_ann(st->v.TryStar.orelse)
                      || find_ann(st->v.TryStar.finalbody);
            }
            break;
        }
        /* 3.11 does not look into match statements. */
        default:
            break;
        }
        if (res) {
            return 1;
        }
    }
    return 0;
}

/* Module and class bodies: __annotations__, the docstring, then the
   statements. */
static int
compile_body(_PyCompiler *c, asdl_stmt_seq *stmts)
{
    if (c->u->scope_type == _PyScope_MODULE && asdl_seq_LEN(stmts) > 0) {
        c->u->loc = _PyLOC(asdl_seq_GET(stmts, 0));
    }
    if (find_ann(stmts)) {
        TRY(addop(c, SETUP_ANNOTATIONS));
    }
    if (asdl_seq_LEN(stmts) == 0) {
        return 0;
    }
    Py_ssize_t i = 0;
    if (docstring_of(c, stmts) != NULL) {
        i = 1;
        stmt_ty st = asdl_seq_GET(stmts, 0);
        TRY(visit_expr(c, st->v.Expr.value));
        c->u->loc = _PyLoc_NONE;
        TRY(nameop(c, "__doc__", Store));
    }
    for (; i < asdl_seq_LEN(stmts); i++) {
        TRY(visit_stmt(c, asdl_seq_GET(stmts, i)));
    }
    return 0;
}

static int call_helper(_PyCompiler *c, int n, asdl_expr_seq *args,
                       asdl_keyword_seq *keywords);

/* class: the body as a function called by __build_class__ with the
   __class__ cell returned to type.__new__. */
static int
visit_class(_PyCompiler *c, stmt_ty s)
{
    asdl_expr_seq *decos = s->v.ClassDef.decorator_list;
    TRY(visit_exprs(c, decos));
    int firstlineno = s->lineno;
    if (asdl_seq_LEN(decos) > 0) {
        firstlineno = asdl_seq_GET(decos, 0)->lineno;
    }
    /* 1. compile the class body into a code object */
    TRY(_PyCompile_EnterScope(c, s->v.ClassDef.name, _PyScope_CLASS, s,
                              firstlineno));
    c->u->privname = s->v.ClassDef.name;
    TRY(nameop(c, "__name__", Load));
    TRY(nameop(c, "__module__", Store));
    TRY(load_str(c, c->u->qualname));
    TRY(nameop(c, "__qualname__", Store));
    TRY(compile_body(c, s->v.ClassDef.body));
    /* The following code is artificial */
    c->u->loc = _PyLoc_NONE;
    if (c->u->ste->needs_class_closure) {
        int k = _PyCompile_DerefIndex(c, "__class__");
        TRY(k);
        TRY(addop_i(c, LOAD_CLOSURE, k));
        TRY(addop_i(c, COPY, 1));
        TRY(nameop(c, "__classcell__", Store));
    }
    else {
        TRY(load_none(c));
    }
    TRY(addop(c, RETURN_VALUE));
    _PyCodeUnit *co = _PyCompile_ExitScope(c, 1);
    if (co == NULL) {
        return -1;
    }
    c->u->loc = _PyLOC(s);
    /* 2. load the 'build_class' function */
    TRY(addop(c, PUSH_NULL));
    TRY(addop(c, LOAD_BUILD_CLASS));
    /* 3. load a function (or closure) made from the code object */
    TRY(make_closure(c, co, 0));
    /* 4. load class name */
    TRY(load_str(c, s->v.ClassDef.name));
    /* 5. generate the rest of the code for the call */
    TRY(call_helper(c, 2, s->v.ClassDef.bases, s->v.ClassDef.keywords));
    /* 6. apply decorators */
    TRY(apply_decorators(c, decos));
    /* 7. store into <name> */
    c->u->loc = _PyLOC(s);
    return nameop(c, s->v.ClassDef.name, Store);
}

/* lambda: a code unit whose body is one returned expression. */
static int
visit_lambda(_PyCompiler *c, expr_ty e)
{
    arguments_ty args = e->v.Lambda.args;
    TRY(check_debug_args(c, args));
    int flags = default_arguments(c, args);
    TRY(flags);
    TRY(_PyCompile_EnterScope(c, "<lambda>", _PyScope_LAMBDA, e, e->lineno));
    /* Make None the first constant, so the lambda can't have a
       docstring. */
    _PyCompiledConst *none = _PyFold_MakeSimple(&c->folder, _PyCC_NONE);
    if (none == NULL) {
        return _PyCompile_NoMemory(c);
    }
    TRY(_PyCompile_AddConst(c, none));
    c->u->argcount = (int)(asdl_seq_LEN(args->args)
                           + asdl_seq_LEN(args->posonlyargs));
    c->u->posonlyargcount = (int)asdl_seq_LEN(args->posonlyargs);
    c->u->kwonlyargcount = (int)asdl_seq_LEN(args->kwonlyargs);
    TRY(visit_expr(c, e->v.Lambda.body));
    _PyCodeUnit *co;
    if (c->u->ste->generator) {
        co = _PyCompile_ExitScope(c, 0);
    }
    else {
        TRY(addop(c, RETURN_VALUE));
        co = _PyCompile_ExitScope(c, 1);
    }
    if (co == NULL) {
        return -1;
    }
    return make_closure(c, co, flags);
}

/* ------------------------------------------------------------------ */
/* Simple statements */

/* return: unwind the frame blocks (running finally bodies and __exit__),
   then RETURN_VALUE. */
static int
visit_return(_PyCompiler *c, stmt_ty s)
{
    expr_ty value = s->v.Return.value;
    int preserve_tos = value != NULL && !is_const(c, value);
    _PyScopeType t = c->u->scope_type;
    if (t != _PyScope_FUNCTION && t != _PyScope_ASYNC_FUNCTION
        && t != _PyScope_LAMBDA && t != _PyScope_COMPREHENSION) {
        return _PyCompile_Error(c, c->u->loc, "'return' outside function");
    }
    if (value != NULL && c->u->ste->coroutine && c->u->ste->generator) {
        return _PyCompile_Error(c, c->u->loc, "'return' with value in async "
                                "generator");
    }
    if (preserve_tos) {
        TRY(visit_expr(c, value));
    }
    else if (value != NULL) {
        /* Emit instruction with line number for return value */
        c->u->loc = _PyLOC(value);
        TRY(addop(c, NOP));
    }
    if (value == NULL || value->lineno != s->lineno) {
        c->u->loc = _PyLOC(s);
        TRY(addop(c, NOP));
    }
    TRY(unwind_fblock_stack(c, preserve_tos, NULL, NULL));
    if (value == NULL) {
        TRY(load_none(c));
    }
    else if (!preserve_tos) {
        _PyCompiledConst *k = const_value(c, value);
        if (k == NULL) {
            return -1;
        }
        TRY(_PyCodegen_LoadConst(c, k));
    }
    return addop(c, RETURN_VALUE);
}

/* break: unwind to the innermost loop and jump to its exit. */
static int
visit_break(_PyCompiler *c)
{
    _PyFBlock *loop = NULL, copy;
    _PyLoc loc = c->u->loc;
    /* Emit instruction with line number */
    TRY(addop(c, NOP));
    TRY(unwind_fblock_stack(c, 0, &loop, &copy));
    if (loop == NULL) {
        return _PyCompile_Error(c, loc, "'break' outside loop");
    }
    TRY(unwind_fblock(c, loop, 0));
    return addop_j(c, JUMP, loop->exit);
}

/* continue: unwind to the innermost loop and jump to its start. */
static int
visit_continue(_PyCompiler *c)
{
    _PyFBlock *loop = NULL, copy;
    _PyLoc loc = c->u->loc;
    /* Emit instruction with line number */
    TRY(addop(c, NOP));
    TRY(unwind_fblock_stack(c, 0, &loop, &copy));
    if (loop == NULL) {
        return _PyCompile_Error(c, loc, "'continue' not properly in loop");
    }
    return addop_j(c, JUMP, loop->block);
}

/* assert: omitted under -O; otherwise raise AssertionError(msg) when the
   test is false. */
static int
visit_assert(_PyCompiler *c, stmt_ty s)
{
    expr_ty test = s->v.Assert.test;
    _PyCompiledConst *k = const_value(c, test);
    if ((test->kind == Tuple_kind && asdl_seq_LEN(test->v.Tuple.elts) > 0)
        || (k != NULL && k->kind == _PyCC_TUPLE && k->nitems > 0)) {
        TRY(_PyCompile_Warn(c, c->u->loc, "assertion is always true, "
                            "perhaps remove parentheses?"));
    }
    if (c->optimize) {
        return 0;
    }
    _PyBlock *end = new_block(c);
    if (end == NULL) {
        return -1;
    }
    TRY(_PyCodegen_JumpIf(c, test, end, 1));
    TRY(addop(c, LOAD_ASSERTION_ERROR));
    if (s->v.Assert.msg != NULL) {
        TRY(visit_expr(c, s->v.Assert.msg));
        TRY(addop_i(c, CALL, 0));
    }
    TRY(addop_i(c, RAISE_VARARGS, 1));
    use_next_block(c, end);
    return 0;
}

/* Scratch-arena copy of the first N bytes of S. */
static const char *
substring(_PyCompiler *c, const char *s, size_t n)
{
    char *r = _PyArena_Strndup(c->scratch, s, n);
    if (r == NULL) {
        _PyCompile_NoMemory(c);
    }
    return r;
}

/* `import a.b.c as d`: import the top module then walk the attributes with
   IMPORT_FROM. */
static int
import_as(_PyCompiler *c, const char *name, const char *asname)
{
    const char *dot = strchr(name, '.');
    if (dot != NULL) {
        /* Consume the base module name to get the first attribute */
        while (1) {
            const char *start = dot + 1;
            dot = strchr(start, '.');
            size_t n = dot ? (size_t)(dot - start) : strlen(start);
            const char *attr = substring(c, start, n);
            if (attr == NULL) {
                return -1;
            }
            TRY(addop_name_plain(c, IMPORT_FROM, attr));
            if (dot == NULL) {
                break;
            }
            TRY(addop_i(c, SWAP, 2));
            TRY(addop(c, POP_TOP));
        }
        TRY(nameop(c, asname, Store));
        return addop(c, POP_TOP);
    }
    return nameop(c, asname, Store);
}

/* import statement: one IMPORT_NAME per alias, storing the top-level name
   or the alias. */
static int
visit_import(_PyCompiler *c, stmt_ty s)
{
    asdl_alias_seq *names = s->v.Import.names;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(names); i++) {
        alias_ty a = asdl_seq_GET(names, i);
        TRY(load_int(c, 0));
        TRY(load_none(c));
        TRY(addop_name_plain(c, IMPORT_NAME, a->name));
        if (a->asname != NULL) {
            TRY(import_as(c, a->name, a->asname));
        }
        else {
            const char *dot = strchr(a->name, '.');
            const char *store = dot ? substring(c, a->name,
                                                (size_t)(dot - a->name))
                                    : a->name;
            if (store == NULL) {
                return -1;
            }
            TRY(nameop(c, store, Store));
        }
    }
    return 0;
}

/* from-import: IMPORT_NAME with the fromlist tuple, then IMPORT_FROM or
   IMPORT_STAR. */
static int
visit_from_import(_PyCompiler *c, stmt_ty s)
{
    asdl_alias_seq *names = s->v.ImportFrom.names;
    Py_ssize_t n = asdl_seq_LEN(names);
    TRY(load_int(c, s->v.ImportFrom.level));
    if (s->lineno > c->future_lineno && s->v.ImportFrom.module != NULL
        && strcmp(s->v.ImportFrom.module, "__future__") == 0) {
        return _PyCompile_Error(c, c->u->loc, "from __future__ imports must "
                                "occur at the beginning of the file");
    }
    const char **strs = PyMem_RawMalloc(sizeof(*strs) * (size_t)(n + 1));
    if (strs == NULL) {
        return _PyCompile_NoMemory(c);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        strs[i] = asdl_seq_GET(names, i)->name;
    }
    _PyCompiledConst *t = names_tuple(c, strs, n);
    PyMem_RawFree(strs);
    if (t == NULL) {
        return -1;
    }
    TRY(_PyCodegen_LoadConst(c, t));
    const char *module = s->v.ImportFrom.module ? s->v.ImportFrom.module : "";
    TRY(addop_name_plain(c, IMPORT_NAME, module));
    for (Py_ssize_t i = 0; i < n; i++) {
        alias_ty a = asdl_seq_GET(names, i);
        if (i == 0 && strcmp(a->name, "*") == 0) {
            return addop(c, IMPORT_STAR);
        }
        TRY(addop_name_plain(c, IMPORT_FROM, a->name));
        TRY(nameop(c, a->asname ? a->asname : a->name, Store));
    }
    /* remove imported module */
    return addop(c, POP_TOP);
}

/* Expression statement: value then POP_TOP (PRINT_EXPR in interactive mode;
   constants are dropped). */
static int
visit_stmt_expr(_PyCompiler *c, expr_ty value)
{
    if (c->interactive && c->nestlevel <= 1) {
        TRY(visit_expr(c, value));
        return addop(c, PRINT_EXPR);
    }
    if (is_const(c, value)) {
        /* ignore constant statement */
        return addop(c, NOP);
    }
    if (c->err->type != NULL) {
        return -1;
    }
    TRY(visit_expr(c, value));
    /* Mark POP_TOP as artificial */
    c->u->loc = _PyLoc_NONE;
    return addop(c, POP_TOP);
}

static int assignment_helper(_PyCompiler *c, asdl_expr_seq *elts);

static int
visit_augassign(_PyCompiler *c, stmt_ty s);
static int visit_annassign(_PyCompiler *c, stmt_ty s);

/* ------------------------------------------------------------------ */
/* Compound statements */

/* if/elif/else, with constant tests folded away as 3.11 does. */
static int
visit_if(_PyCompiler *c, stmt_ty s)
{
    _PyBlock *end = new_block(c), *next;
    if (end == NULL) {
        return -1;
    }
    if (asdl_seq_LEN(s->v.If.orelse) > 0) {
        next = new_block(c);
        if (next == NULL) {
            return -1;
        }
    }
    else {
        next = end;
    }
    TRY(_PyCodegen_JumpIf(c, s->v.If.test, next, 0));
    TRY(visit_stmts(c, s->v.If.body));
    if (asdl_seq_LEN(s->v.If.orelse) > 0) {
        TRY(addop_j_noline(c, JUMP, end));
        use_next_block(c, next);
        TRY(visit_stmts(c, s->v.If.orelse));
    }
    use_next_block(c, end);
    return 0;
}

static int visit_iter(_PyCompiler *c, expr_ty e);

/* for loop: GET_ITER / FOR_ITER with the loop frame block for break and
   continue. */
static int
visit_for(_PyCompiler *c, stmt_ty s)
{
    _PyBlock *start = new_block(c), *body = new_block(c),
             *cleanup = new_block(c), *end = new_block(c);
    if (start == NULL || body == NULL || cleanup == NULL || end == NULL) {
        return -1;
    }
    TRY(push_fblock(c, _PyFB_FOR_LOOP, start, end, NULL));
    TRY(visit_iter(c, s->v.For.iter));
    TRY(addop(c, GET_ITER));
    use_next_block(c, start);
    TRY(addop_j(c, FOR_ITER, cleanup));
    use_next_block(c, body);
    TRY(visit_expr(c, s->v.For.target));
    TRY(visit_stmts(c, s->v.For.body));
    /* Mark jump as artificial */
    c->u->loc = _PyLoc_NONE;
    TRY(addop_j(c, JUMP, start));
    use_next_block(c, cleanup);
    pop_fblock(c);
    TRY(visit_stmts(c, s->v.For.orelse));
    use_next_block(c, end);
    return 0;
}

/* Reject async for / async with / async comprehensions outside async
   functions (unless top-level await is allowed). */
static int
check_async_allowed(_PyCompiler *c, const char *what)
{
    if ((c->flags & PyCF_ALLOW_TOP_LEVEL_AWAIT)
        && c->u->ste->type == _PySym_ModuleBlock) {
        c->u->ste->coroutine = 1;
        return 0;
    }
    if (c->u->scope_type != _PyScope_ASYNC_FUNCTION) {
        return _PyCompile_Error(c, c->u->loc, "'%s' outside async function",
                                what);
    }
    return 0;
}

/* async for: __anext__ awaited in a try whose StopAsyncIteration handler
   ends the loop. */
static int
visit_async_for(_PyCompiler *c, stmt_ty s)
{
    TRY(check_async_allowed(c, "async for"));
    _PyBlock *start = new_block(c), *except = new_block(c),
             *end = new_block(c);
    if (start == NULL || except == NULL || end == NULL) {
        return -1;
    }
    TRY(visit_expr(c, s->v.AsyncFor.iter));
    TRY(addop(c, GET_AITER));
    use_next_block(c, start);
    TRY(push_fblock(c, _PyFB_FOR_LOOP, start, end, NULL));
    /* SETUP_FINALLY to guard the __anext__ call */
    TRY(addop_j(c, SETUP_FINALLY, except));
    TRY(addop(c, GET_ANEXT));
    TRY(load_none(c));
    TRY(add_yield_from(c, 1));
    TRY(addop(c, POP_BLOCK));   /* for SETUP_FINALLY */
    /* Success block for __anext__ */
    TRY(visit_expr(c, s->v.AsyncFor.target));
    TRY(visit_stmts(c, s->v.AsyncFor.body));
    /* Mark jump as artificial */
    c->u->loc = _PyLoc_NONE;
    TRY(addop_j(c, JUMP, start));
    pop_fblock(c);
    /* Except block for __anext__ */
    use_next_block(c, except);
    /* Use same line number as the iterator, as the END_ASYNC_FOR succeeds
       the FOR_ITER */
    c->u->loc = _PyLOC(s->v.AsyncFor.iter);
    TRY(addop(c, END_ASYNC_FOR));
    /* `else` block */
    TRY(visit_stmts(c, s->v.AsyncFor.orelse));
    use_next_block(c, end);
    return 0;
}

/* while loop, with constant-true and constant-false tests folded. */
static int
visit_while(_PyCompiler *c, stmt_ty s)
{
    _PyBlock *loop = new_block(c), *body = new_block(c),
             *anchor = new_block(c), *end = new_block(c);
    if (loop == NULL || body == NULL || anchor == NULL || end == NULL) {
        return -1;
    }
    use_next_block(c, loop);
    TRY(push_fblock(c, _PyFB_WHILE_LOOP, loop, end, NULL));
    TRY(_PyCodegen_JumpIf(c, s->v.While.test, anchor, 0));
    use_next_block(c, body);
    TRY(visit_stmts(c, s->v.While.body));
    c->u->loc = _PyLOC(s);
    TRY(_PyCodegen_JumpIf(c, s->v.While.test, body, 1));
    pop_fblock(c);
    use_next_block(c, anchor);
    TRY(visit_stmts(c, s->v.While.orelse));
    use_next_block(c, end);
    return 0;
}

/* try/except[/else]: handlers tested in order, the bound name deleted in a
   finally, and the exception state restored with POP_EXCEPT. */
static int
try_except(_PyCompiler *c, stmt_ty s, asdl_stmt_seq *tbody,
           asdl_excepthandler_seq *handlers, asdl_stmt_seq *orelse)
{
    _PyBlock *body = new_block(c), *except = new_block(c),
             *end = new_block(c), *cleanup = new_block(c);
    if (body == NULL || except == NULL || end == NULL || cleanup == NULL) {
        return -1;
    }
    TRY(addop_j(c, SETUP_FINALLY, except));
    use_next_block(c, body);
    TRY(push_fblock(c, _PyFB_TRY_EXCEPT, body, NULL, NULL));
    TRY(visit_stmts(c, tbody));
    pop_fblock(c);
    TRY(addop_noline(c, POP_BLOCK, 0));
    TRY(visit_stmts(c, orelse));
    TRY(addop_j_noline(c, JUMP, end));
    Py_ssize_t n = asdl_seq_LEN(handlers);
    use_next_block(c, except);
    c->u->loc = _PyLoc_NONE;
    TRY(addop_j(c, SETUP_CLEANUP, cleanup));
    TRY(addop(c, PUSH_EXC_INFO));
    /* Runtime will push a block here, so we need to account for that */
    TRY(push_fblock(c, _PyFB_EXCEPTION_HANDLER, NULL, NULL, NULL));
    for (Py_ssize_t i = 0; i < n; i++) {
        excepthandler_ty h = asdl_seq_GET(handlers, i);
        c->u->loc = _PyLOC(h);
        if (h->v.ExceptHandler.type == NULL && i < n - 1) {
            return _PyCompile_Error(c, c->u->loc, "default 'except:' must "
                                    "be last");
        }
        except = new_block(c);
        if (except == NULL) {
            return -1;
        }
        if (h->v.ExceptHandler.type != NULL) {
            TRY(visit_expr(c, h->v.ExceptHandler.type));
            TRY(addop(c, CHECK_EXC_MATCH));
            TRY(addop_j(c, POP_JUMP_IF_FALSE, except));
        }
        if (h->v.ExceptHandler.name != NULL) {
            const char *name = h->v.ExceptHandler.name;
            _PyBlock *cleanup_end = new_block(c),
                     *cleanup_body = new_block(c);
            if (cleanup_end == NULL || cleanup_body == NULL) {
                return -1;
            }
            TRY(nameop(c, name, Store));
            /* try:
                   # body
               except type as name:
                   try:
                       # body
                   finally:
                       name = None # in case body contains "del name"
                       del name */
            /* second try: */
            TRY(addop_j(c, SETUP_CLEANUP, cleanup_end));
            use_next_block(c, cleanup_body);
            TRY(push_fblock(c, _PyFB_HANDLER_CLEANUP, cleanup_body, NULL,
                            name));
            /* second # body */
            TRY(visit_stmts(c, h->v.ExceptHandler.body));
            pop_fblock(c);
            /* name = None; del name; # Mark as artificial */
            c->u->loc = _PyLoc_NONE;
            TRY(addop(c, POP_BLOCK));
            TRY(addop(c, POP_BLOCK));
            TRY(addop(c, POP_EXCEPT));
            TRY(load_none(c));
            TRY(nameop(c, name, Store));
            TRY(nameop(c, name, Del));
            TRY(addop_j(c, JUMP, end));
            /* except: */
            use_next_block(c, cleanup_end);
            /* name = None; del name; # Mark as artificial */
            c->u->loc = _PyLoc_NONE;
            TRY(load_none(c));
            TRY(nameop(c, name, Store));
            TRY(nameop(c, name, Del));
            TRY(addop_i(c, RERAISE, 1));
        }
        else {
            _PyBlock *cleanup_body = new_block(c);
            if (cleanup_body == NULL) {
                return -1;
            }
            TRY(addop(c, POP_TOP));     /* exc_value */
            use_next_block(c, cleanup_body);
            TRY(push_fblock(c, _PyFB_HANDLER_CLEANUP, cleanup_body, NULL,
                            NULL));
            TRY(visit_stmts(c, h->v.ExceptHandler.body));
            pop_fblock(c);
            c->u->loc = _PyLoc_NONE;
            TRY(addop(c, POP_BLOCK));
            TRY(addop(c, POP_EXCEPT));
            TRY(addop_j(c, JUMP, end));
        }
        use_next_block(c, except);
    }
    /* Mark as artificial */
    c->u->loc = _PyLoc_NONE;
    pop_fblock(c);
    TRY(addop_i(c, RERAISE, 0));
    use_next_block(c, cleanup);
    TRY(pop_except_and_reraise(c));
    use_next_block(c, end);
    return 0;
}

/* try/except*: each handler splits the group with CHECK_EG_MATCH and the
   remainder is re-raised via PREP_RERAISE_STAR. */
static int
try_star_except(_PyCompiler *c, stmt_ty s, asdl_stmt_seq *tbody,
                asdl_excepthandler_seq *handlers, asdl_stmt_seq *orelse)
{
    _PyBlock *body = new_block(c), *except = new_block(c),
             *orelse_block = new_block(c), *end = new_block(c),
             *cleanup = new_block(c), *reraise_star = new_block(c);
    if (body == NULL || except == NULL || orelse_block == NULL || end == NULL
        || cleanup == NULL || reraise_star == NULL) {
        return -1;
    }
    TRY(addop_j(c, SETUP_FINALLY, except));
    use_next_block(c, body);
    TRY(push_fblock(c, _PyFB_TRY_EXCEPT, body, NULL, NULL));
    TRY(visit_stmts(c, tbody));
    pop_fblock(c);
    TRY(addop_noline(c, POP_BLOCK, 0));
    TRY(addop_j_noline(c, JUMP, orelse_block));
    Py_ssize_t n = asdl_seq_LEN(handlers);
    use_next_block(c, except);
    c->u->loc = _PyLoc_NONE;
    TRY(addop_j(c, SETUP_CLEANUP, cleanup));
    TRY(addop(c, PUSH_EXC_INFO));
    /* Runtime will push a block here, so we need to account for that */
    TRY(push_fblock(c, _PyFB_EXCEPTION_GROUP_HANDLER, NULL, NULL,
                    "except handler"));
    for (Py_ssize_t i = 0; i < n; i++) {
        excepthandler_ty h = asdl_seq_GET(handlers, i);
        c->u->loc = _PyLOC(h);
        _PyBlock *next_exc = new_block(c), *handle_match = new_block(c);
        if (next_exc == NULL || handle_match == NULL) {
            return -1;
        }
        except = next_exc;
        if (i == 0) {
            /* Push the original EG into the stack */
            /*
               [exc]            COPY 1
               [orig, exc]
            */
            TRY(addop_i(c, COPY, 1));
            /* create empty list for exceptions raised/reraise in the
               except* blocks */
            /*
               [orig, exc]       BUILD_LIST
               [orig, exc, []]   SWAP 2
               [orig, [], exc]
            */
            TRY(addop_i(c, BUILD_LIST, 0));
            TRY(addop_i(c, SWAP, 2));
        }
        if (h->v.ExceptHandler.type != NULL) {
            TRY(visit_expr(c, h->v.ExceptHandler.type));
            TRY(addop(c, CHECK_EG_MATCH));
            TRY(addop_i(c, COPY, 1));
            TRY(addop_j(c, POP_JUMP_IF_NOT_NONE, handle_match));
            TRY(addop(c, POP_TOP));     /* match */
            TRY(addop_j(c, JUMP, except));
        }
        use_next_block(c, handle_match);
        _PyBlock *cleanup_end = new_block(c), *cleanup_body = new_block(c);
        if (cleanup_end == NULL || cleanup_body == NULL) {
            return -1;
        }
        const char *name = h->v.ExceptHandler.name;
        if (name != NULL) {
            TRY(nameop(c, name, Store));
        }
        else {
            TRY(addop(c, POP_TOP));     /* match */
        }
        /* second try: */
        TRY(addop_j(c, SETUP_CLEANUP, cleanup_end));
        use_next_block(c, cleanup_body);
        TRY(push_fblock(c, _PyFB_HANDLER_CLEANUP, cleanup_body, NULL, name));
        /* second # body */
        TRY(visit_stmts(c, h->v.ExceptHandler.body));
        pop_fblock(c);
        /* name = None; del name; # artificial */
        c->u->loc = _PyLoc_NONE;
        TRY(addop(c, POP_BLOCK));
        if (name != NULL) {
            TRY(load_none(c));
            TRY(nameop(c, name, Store));
            TRY(nameop(c, name, Del));
        }
        TRY(addop_j(c, JUMP, except));
        /* except: */
        use_next_block(c, cleanup_end);
        /* name = None; del name; # artificial */
        c->u->loc = _PyLoc_NONE;
        if (name != NULL) {
            TRY(load_none(c));
            TRY(nameop(c, name, Store));
            TRY(nameop(c, name, Del));
        }
        /* add exception raised to the res list */
        TRY(addop_i(c, LIST_APPEND, 3));    /* exc */
        TRY(addop(c, POP_TOP));             /* lasti */
        TRY(addop_j(c, JUMP, except));
        use_next_block(c, except);
        if (i == n - 1) {
            /* Add exc to the list (if not None it's the unhandled part of
               the EG) */
            TRY(addop_i(c, LIST_APPEND, 1));
            TRY(addop_j(c, JUMP, reraise_star));
        }
    }
    /* Mark as artificial */
    c->u->loc = _PyLoc_NONE;
    pop_fblock(c);
    _PyBlock *reraise = new_block(c);
    if (reraise == NULL) {
        return -1;
    }
    use_next_block(c, reraise_star);
    TRY(addop(c, PREP_RERAISE_STAR));
    TRY(addop_i(c, COPY, 1));
    TRY(addop_j(c, POP_JUMP_IF_NOT_NONE, reraise));
    /* Nothing to reraise */
    TRY(addop(c, POP_TOP));
    TRY(addop(c, POP_BLOCK));
    TRY(addop(c, POP_EXCEPT));
    TRY(addop_j(c, JUMP, end));
    use_next_block(c, reraise);
    TRY(addop(c, POP_BLOCK));
    TRY(addop_i(c, SWAP, 2));
    TRY(addop(c, POP_EXCEPT));
    TRY(addop_i(c, RERAISE, 0));
    use_next_block(c, cleanup);
    TRY(pop_except_and_reraise(c));
    use_next_block(c, orelse_block);
    TRY(visit_stmts(c, orelse));
    use_next_block(c, end);
    return 0;
}

/* try ... finally: the finally body runs inline on the normal path and
   again in a handler for the exceptional one. */
static int
try_finally(_PyCompiler *c, stmt_ty s, int star, asdl_stmt_seq *tbody,
            asdl_excepthandler_seq *handlers, asdl_stmt_seq *orelse,
            asdl_stmt_seq *finalbody)
{
    _PyBlock *body = new_block(c), *end = new_block(c), *exit = new_block(c),
             *cleanup = new_block(c);
    if (body == NULL || end == NULL || exit == NULL || cleanup == NULL) {
        return -1;
    }
    /* `try` block */
    TRY(addop_j(c, SETUP_FINALLY, end));
    use_next_block(c, body);
    TRY(push_fblock(c, _PyFB_FINALLY_TRY, body, end, finalbody));
    if (asdl_seq_LEN(handlers) > 0) {
        if (star) {
            TRY(try_star_except(c, s, tbody, handlers, orelse));
        }
        else {
            TRY(try_except(c, s, tbody, handlers, orelse));
        }
    }
    else {
        TRY(visit_stmts(c, tbody));
    }
    TRY(addop_noline(c, POP_BLOCK, 0));
    pop_fblock(c);
    TRY(visit_stmts(c, finalbody));
    TRY(addop_j_noline(c, JUMP, exit));
    /* `finally` block */
    use_next_block(c, end);
    c->u->loc = _PyLoc_NONE;
    TRY(addop_j(c, SETUP_CLEANUP, cleanup));
    TRY(addop(c, PUSH_EXC_INFO));
    TRY(push_fblock(c, _PyFB_FINALLY_END, end, NULL, NULL));
    TRY(visit_stmts(c, finalbody));
    pop_fblock(c);
    TRY(addop_i(c, RERAISE, 0));
    use_next_block(c, cleanup);
    TRY(pop_except_and_reraise(c));
    use_next_block(c, exit);
    return 0;
}

/* Dispatch try statements: a finally wraps the except part, as in 3.11. */
static int
visit_try(_PyCompiler *c, stmt_ty s)
{
    if (s->kind == Try_kind) {
        if (asdl_seq_LEN(s->v.Try.finalbody) > 0) {
            return try_finally(c, s, 0, s->v.Try.body, s->v.Try.handlers,
                               s->v.Try.orelse, s->v.Try.finalbody);
        }
        return try_except(c, s, s->v.Try.body, s->v.Try.handlers,
                          s->v.Try.orelse);
    }
    if (asdl_seq_LEN(s->v.TryStar.finalbody) > 0) {
        return try_finally(c, s, 1, s->v.TryStar.body, s->v.TryStar.handlers,
                           s->v.TryStar.orelse, s->v.TryStar.finalbody);
    }
    return try_star_except(c, s, s->v.TryStar.body, s->v.TryStar.handlers,
                           s->v.TryStar.orelse);
}

/* [exit, lasti, prev_exc, exc, res] after WITH_EXCEPT_START (and its
   await): swallow the exception if res is true. */
static int
with_except_finish(_PyCompiler *c, _PyBlock *cleanup)
{
    c->u->loc = _PyLoc_NONE;
    _PyBlock *exit = new_block(c);
    if (exit == NULL) {
        return -1;
    }
    TRY(addop_j(c, POP_JUMP_IF_TRUE, exit));
    TRY(addop_i(c, RERAISE, 2));
    use_next_block(c, cleanup);
    TRY(pop_except_and_reraise(c));
    use_next_block(c, exit);
    TRY(addop(c, POP_TOP));     /* exc_value */
    TRY(addop(c, POP_BLOCK));
    TRY(addop(c, POP_EXCEPT));
    TRY(addop(c, POP_TOP));
    return addop(c, POP_TOP);
}

/* with / async with: one nested frame block per item (POS is the item
   index); __exit__ is called on both normal and exceptional exit. */
static int
visit_with(_PyCompiler *c, stmt_ty s, int pos, int is_async)
{
    asdl_withitem_seq *items = is_async ? s->v.AsyncWith.items
                                        : s->v.With.items;
    asdl_stmt_seq *body = is_async ? s->v.AsyncWith.body : s->v.With.body;
    withitem_ty item = asdl_seq_GET(items, pos);
    if (is_async && pos == 0) {
        TRY(check_async_allowed(c, "async with"));
    }
    _PyBlock *block = new_block(c), *final = new_block(c),
             *exit = new_block(c), *cleanup = new_block(c);
    if (block == NULL || final == NULL || exit == NULL || cleanup == NULL) {
        return -1;
    }
    /* Evaluate EXPR */
    TRY(visit_expr(c, item->context_expr));
    if (is_async) {
        TRY(addop(c, BEFORE_ASYNC_WITH));
        TRY(addop_i(c, GET_AWAITABLE, 1));
        TRY(load_none(c));
        TRY(add_yield_from(c, 1));
    }
    else {
        /* Will push bound __exit__ */
        TRY(addop(c, BEFORE_WITH));
    }
    TRY(addop_j(c, SETUP_WITH, final));
    /* SETUP_WITH pushes a finally block. */
    use_next_block(c, block);
    TRY(push_fblock(c, is_async ? _PyFB_ASYNC_WITH : _PyFB_WITH, block,
                    final, s));
    if (item->optional_vars != NULL) {
        TRY(visit_expr(c, item->optional_vars));
    }
    else {
        /* Discard result from context.__enter__() */
        TRY(addop(c, POP_TOP));
    }
    pos++;
    if (pos == asdl_seq_LEN(items)) {
        /* BLOCK code */
        TRY(visit_stmts(c, body));
    }
    else {
        TRY(visit_with(c, s, pos, is_async));
    }
    pop_fblock(c);
    /* Mark all following code as artificial (3.11 does not for async
       with: its POP_BLOCK keeps the location of the body's end) */
    if (!is_async) {
        c->u->loc = _PyLoc_NONE;
    }
    TRY(addop(c, POP_BLOCK));
    /* End of body; start the cleanup. */
    /* For successful outcome: call __exit__(None, None, None) */
    c->u->loc = _PyLOC(s);
    TRY(call_exit_with_nones(c));
    if (is_async) {
        TRY(addop_i(c, GET_AWAITABLE, 2));
        TRY(load_none(c));
        TRY(add_yield_from(c, 1));
    }
    TRY(addop(c, POP_TOP));
    TRY(addop_j(c, JUMP, exit));
    /* For exceptional outcome: */
    use_next_block(c, final);
    TRY(addop_j(c, SETUP_CLEANUP, cleanup));
    TRY(addop(c, PUSH_EXC_INFO));
    TRY(addop(c, WITH_EXCEPT_START));
    if (is_async) {
        TRY(addop_i(c, GET_AWAITABLE, 2));
        TRY(load_none(c));
        TRY(add_yield_from(c, 1));
    }
    TRY(with_except_finish(c, cleanup));
    use_next_block(c, exit);
    return 0;
}

/* Assignment: evaluate once, COPY for every extra target. */
static int
visit_assign(_PyCompiler *c, stmt_ty s)
{
    Py_ssize_t n = asdl_seq_LEN(s->v.Assign.targets);
    TRY(visit_expr(c, s->v.Assign.value));
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i < n - 1) {
            TRY(addop_i(c, COPY, 1));
        }
        TRY(visit_expr(c, asdl_seq_GET(s->v.Assign.targets, i)));
    }
    return 0;
}

/* Dispatch on statement kind. */
static int
visit_stmt_kind(_PyCompiler *c, stmt_ty s)
{
    switch (s->kind) {
    case FunctionDef_kind:
        return visit_function(c, s, 0);
    case AsyncFunctionDef_kind:
        return visit_function(c, s, 1);
    case ClassDef_kind:
        return visit_class(c, s);
    case Return_kind:
        return visit_return(c, s);
    case Delete_kind:
        return visit_exprs(c, s->v.Delete.targets);
    case Assign_kind:
        return visit_assign(c, s);
    case AugAssign_kind:
        return visit_augassign(c, s);
    case AnnAssign_kind:
        return visit_annassign(c, s);
    case For_kind:
        return visit_for(c, s);
    case While_kind:
        return visit_while(c, s);
    case If_kind:
        return visit_if(c, s);
    case Match_kind:
        return _PyCodegen_Match(c, s);
    case Raise_kind: {
        int n = 0;
        if (s->v.Raise.exc != NULL) {
            TRY(visit_expr(c, s->v.Raise.exc));
            n++;
            if (s->v.Raise.cause != NULL) {
                TRY(visit_expr(c, s->v.Raise.cause));
                n++;
            }
        }
        return addop_i(c, RAISE_VARARGS, n);
    }
    case Try_kind:
    case TryStar_kind:
        return visit_try(c, s);
    case Assert_kind:
        return visit_assert(c, s);
    case Import_kind:
        return visit_import(c, s);
    case ImportFrom_kind:
        return visit_from_import(c, s);
    case Global_kind:
    case Nonlocal_kind:
        return 0;
    case Expr_kind:
        return visit_stmt_expr(c, s->v.Expr.value);
    case Pass_kind:
        return addop(c, NOP);
    case Break_kind:
        return visit_break(c);
    case Continue_kind:
        return visit_continue(c);
    case With_kind:
        return visit_with(c, s, 0, 0);
    case AsyncWith_kind:
        return visit_with(c, s, 0, 1);
    case AsyncFor_kind:
        return visit_async_for(c, s);
    }
    return 0;
}

/* Compile one statement at its own location. */
static int
visit_stmt(_PyCompiler *c, stmt_ty s)
{
    c->u->loc = _PyLOC(s);
    return visit_stmt_kind(c, s);
}

/* Compile a statement list in order. */
static int
visit_stmts(_PyCompiler *c, asdl_stmt_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        TRY(visit_stmt(c, asdl_seq_GET(seq, i)));
    }
    return 0;
}

/* Exported statement-list visitor (used by the match compiler for case
   bodies). */
int
_PyCodegen_VisitStmts(_PyCompiler *c, asdl_stmt_seq *stmts)
{
    return visit_stmts(c, stmts);
}

/* ------------------------------------------------------------------ */
/* Conditional jumps */

/* A `not` of a single is/in comparison is that comparison inverted (3.11's
   AST optimizer rewrites it, and then the `not` around that, and so on).
   Return the comparison E amounts to, with *INVERT telling whether it is
   inverted, or NULL. */
static expr_ty
not_compare(expr_ty e, int *invert)
{
    if (e->kind == UnaryOp_kind && e->v.UnaryOp.op == Not) {
        int inner;
        expr_ty cmp = not_compare(e->v.UnaryOp.operand, &inner);
        if (cmp != NULL) {
            *invert = !inner;
            return cmp;
        }
        return NULL;
    }
    if (e->kind != Compare_kind || asdl_seq_LEN(e->v.Compare.ops) != 1) {
        return NULL;
    }
    cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, 0);
    if (op != Is && op != IsNot && op != In && op != NotIn) {
        return NULL;
    }
    *invert = 0;
    return e;
}

static int visit_compare_op(_PyCompiler *c, cmpop_ty op);
static int visit_comparator(_PyCompiler *c, expr_ty e, cmpop_ty op,
                            int last);

/* The comparison operator whose result is the negation of OP. */
static cmpop_ty
invert_cmpop(cmpop_ty op)
{
    switch (op) {
    case Is:
        return IsNot;
    case IsNot:
        return Is;
    case In:
        return NotIn;
    default:
        return In;
    }
}

/* Jump to NEXT if the truth value of E equals COND, short-circuiting `not`,
   `and`, `or`, conditional expressions and chained comparisons without
   materializing booleans. */
int
_PyCodegen_JumpIf(_PyCompiler *c, expr_ty e, _PyBlock *next, int cond)
{
    if (is_const(c, e)) {
        goto plain;
    }
    if (c->err->type != NULL) {
        return -1;
    }
    switch (e->kind) {
    case UnaryOp_kind:
        if (e->v.UnaryOp.op == Not) {
            int invert;
            expr_ty cmp = not_compare(e, &invert);
            if (cmp != NULL) {
                /* The (inverted) comparison, as a Compare would be. */
                c->u->loc = _PyLOC(cmp);
                goto plain;
            }
            return _PyCodegen_JumpIf(c, e->v.UnaryOp.operand, next, !cond);
        }
        break;
    case BoolOp_kind: {
        asdl_expr_seq *s = e->v.BoolOp.values;
        Py_ssize_t n = asdl_seq_LEN(s) - 1;
        int cond2 = e->v.BoolOp.op == Or;
        _PyBlock *next2 = next;
        if (!cond2 != !cond) {
            next2 = new_block(c);
            if (next2 == NULL) {
                return -1;
            }
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            TRY(_PyCodegen_JumpIf(c, asdl_seq_GET(s, i), next2, cond2));
        }
        TRY(_PyCodegen_JumpIf(c, asdl_seq_GET(s, n), next, cond));
        if (next2 != next) {
            use_next_block(c, next2);
        }
        return 0;
    }
    case IfExp_kind: {
        _PyBlock *end = new_block(c), *next2 = new_block(c);
        if (end == NULL || next2 == NULL) {
            return -1;
        }
        TRY(_PyCodegen_JumpIf(c, e->v.IfExp.test, next2, 0));
        TRY(_PyCodegen_JumpIf(c, e->v.IfExp.body, next, cond));
        TRY(addop_j_noline(c, JUMP, end));
        use_next_block(c, next2);
        TRY(_PyCodegen_JumpIf(c, e->v.IfExp.orelse, next, cond));
        use_next_block(c, end);
        return 0;
    }
    case Compare_kind: {
        /* 3.11 leaves the comparison's location current afterwards (the
           jump and what follows carry it). */
        c->u->loc = _PyLOC(e);
        Py_ssize_t n = asdl_seq_LEN(e->v.Compare.ops) - 1;
        if (n > 0) {
            TRY(check_compare(c, e));
            _PyBlock *cleanup = new_block(c);
            if (cleanup == NULL) {
                return -1;
            }
            TRY(visit_expr(c, e->v.Compare.left));
            for (Py_ssize_t i = 0; i < n; i++) {
                cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, i);
                TRY(visit_comparator(c, asdl_seq_GET(e->v.Compare.comparators,
                                                     i), op, 0));
                TRY(addop_i(c, SWAP, 2));
                TRY(addop_i(c, COPY, 2));
                TRY(visit_compare_op(c, op));
                TRY(addop_j(c, POP_JUMP_IF_FALSE, cleanup));
            }
            cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, n);
            TRY(visit_comparator(c, asdl_seq_GET(e->v.Compare.comparators, n),
                                 op, 1));
            TRY(visit_compare_op(c, op));
            TRY(addop_j(c, cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE,
                        next));
            _PyBlock *end = new_block(c);
            if (end == NULL) {
                return -1;
            }
            TRY(addop_j_noline(c, JUMP, end));
            use_next_block(c, cleanup);
            TRY(addop(c, POP_TOP));
            if (!cond) {
                TRY(addop_j_noline(c, JUMP, next));
            }
            use_next_block(c, end);
            return 0;
        }
        break;
    }
    default:
        break;
    }
plain:
    /* general implementation */
    TRY(visit_expr(c, e));
    return addop_j(c, cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, next);
}

/* ------------------------------------------------------------------ */
/* Expressions */

/* Emit the instruction for one comparison operator. */
static int
visit_compare_op(_PyCompiler *c, cmpop_ty op)
{
    switch (op) {
    case Eq:
        return addop_i(c, COMPARE_OP, 2);
    case NotEq:
        return addop_i(c, COMPARE_OP, 3);
    case Lt:
        return addop_i(c, COMPARE_OP, 0);
    case LtE:
        return addop_i(c, COMPARE_OP, 1);
    case Gt:
        return addop_i(c, COMPARE_OP, 4);
    case GtE:
        return addop_i(c, COMPARE_OP, 5);
    case Is:
        return addop_i(c, IS_OP, 0);
    case IsNot:
        return addop_i(c, IS_OP, 1);
    case In:
        return addop_i(c, CONTAINS_OP, 0);
    case NotIn:
        return addop_i(c, CONTAINS_OP, 1);
    }
    return 0;
}

static int starunpack_helper(_PyCompiler *c, asdl_expr_seq *elts, int pushed,
                             int build, int add, int extend, int tuple);

/* `x in [a, b]`, `for x in [a, b]`: 3.11 builds a tuple (or a constant
   tuple or frozenset) instead of a list or set. */
static int
visit_iter(_PyCompiler *c, expr_ty e)
{
    if (e->kind == List_kind || e->kind == Set_kind) {
        _PyCompiledConst *k = _PyFold_Iterable(&c->folder, e);
        if (k == NULL && c->folder.nomem) {
            return _PyCompile_NoMemory(c);
        }
        if (k != NULL) {
            _PyLoc saved = c->u->loc;
            c->u->loc = _PyLOC(e);
            int res = _PyCodegen_LoadConst(c, k);
            c->u->loc = saved;
            return res;
        }
        if (e->kind == List_kind) {
            asdl_expr_seq *elts = e->v.List.elts;
            for (Py_ssize_t i = 0; i < asdl_seq_LEN(elts); i++) {
                if (asdl_seq_GET(elts, i)->kind == Starred_kind) {
                    return visit_expr(c, e);
                }
            }
            _PyLoc saved = c->u->loc;
            c->u->loc = _PyLOC(e);
            int res = starunpack_helper(c, elts, 0, BUILD_LIST, LIST_APPEND,
                                        LIST_EXTEND, 1);
            c->u->loc = saved;
            return res;
        }
    }
    return visit_expr(c, e);
}

/* Evaluate a comparison operand; a constant list/set right of the last `in`
   becomes a tuple/frozenset. */
static int
visit_comparator(_PyCompiler *c, expr_ty e, cmpop_ty op, int last)
{
    if (last && (op == In || op == NotIn)) {
        return visit_iter(c, e);
    }
    return visit_expr(c, e);
}

/* Comparison chain: each intermediate operand is copied and the chain stops
   at the first false result. */
static int
visit_compare(_PyCompiler *c, expr_ty e, int invert)
{
    TRY(check_compare(c, e));
    Py_ssize_t n = asdl_seq_LEN(e->v.Compare.ops) - 1;
    TRY(visit_expr(c, e->v.Compare.left));
    if (n == 0) {
        cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, 0);
        if (invert) {
            op = invert_cmpop(op);
        }
        TRY(visit_comparator(c, asdl_seq_GET(e->v.Compare.comparators, 0), op,
                             1));
        return visit_compare_op(c, op);
    }
    _PyBlock *cleanup = new_block(c);
    if (cleanup == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, i);
        TRY(visit_comparator(c, asdl_seq_GET(e->v.Compare.comparators, i), op,
                             0));
        TRY(addop_i(c, SWAP, 2));
        TRY(addop_i(c, COPY, 2));
        TRY(visit_compare_op(c, op));
        TRY(addop_j(c, JUMP_IF_FALSE_OR_POP, cleanup));
    }
    cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, n);
    TRY(visit_comparator(c, asdl_seq_GET(e->v.Compare.comparators, n), op, 1));
    TRY(visit_compare_op(c, op));
    _PyBlock *end = new_block(c);
    if (end == NULL) {
        return -1;
    }
    TRY(addop_j_noline(c, JUMP, end));
    use_next_block(c, cleanup);
    TRY(addop_i(c, SWAP, 2));
    TRY(addop(c, POP_TOP));
    use_next_block(c, end);
    return 0;
}

/* and / or as JUMP_IF_*_OR_POP chains that leave the deciding operand on
   the stack. */
static int
visit_boolop(_PyCompiler *c, expr_ty e)
{
    int jump = e->v.BoolOp.op == And ? JUMP_IF_FALSE_OR_POP
                                     : JUMP_IF_TRUE_OR_POP;
    _PyBlock *end = new_block(c);
    if (end == NULL) {
        return -1;
    }
    asdl_expr_seq *s = e->v.BoolOp.values;
    Py_ssize_t n = asdl_seq_LEN(s) - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        TRY(visit_expr(c, asdl_seq_GET(s, i)));
        TRY(addop_j(c, jump, end));
        _PyBlock *next = new_block(c);
        if (next == NULL) {
            return -1;
        }
        use_next_block(c, next);
    }
    TRY(visit_expr(c, asdl_seq_GET(s, n)));
    use_next_block(c, end);
    return 0;
}

/* Conditional expression. */
static int
visit_ifexp(_PyCompiler *c, expr_ty e)
{
    _PyBlock *end = new_block(c), *next = new_block(c);
    if (end == NULL || next == NULL) {
        return -1;
    }
    TRY(_PyCodegen_JumpIf(c, e->v.IfExp.test, next, 0));
    TRY(visit_expr(c, e->v.IfExp.body));
    TRY(addop_j_noline(c, JUMP, end));
    use_next_block(c, next);
    TRY(visit_expr(c, e->v.IfExp.orelse));
    use_next_block(c, end);
    return 0;
}

/* Are all of SEQ[begin:end] constants?  (NULL entries never are.) */
static int
all_items_const(_PyCompiler *c, asdl_expr_seq *seq, Py_ssize_t begin,
                Py_ssize_t end)
{
    for (Py_ssize_t i = begin; i < end; i++) {
        expr_ty e = asdl_seq_GET(seq, i);
        if (e == NULL || !is_const(c, e)) {
            return 0;
        }
    }
    return 1;
}

/* A constant tuple (or frozenset) of the already-constant expressions
   SEQ[BEGIN:END]; NULL on memory error. */
static _PyCompiledConst *
consts_tuple(_PyCompiler *c, asdl_expr_seq *seq, Py_ssize_t begin,
             Py_ssize_t end, int frozenset)
{
    Py_ssize_t n = end - begin;
    _PyCompiledConst **items = PyMem_RawMalloc(sizeof(*items)
                                               * (size_t)(n + 1));
    if (items == NULL) {
        _PyCompile_NoMemory(c);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        items[i] = const_value(c, asdl_seq_GET(seq, begin + i));
    }
    _PyCompiledConst *t;
    if (frozenset) {
        /* Same as a set display's folded value. */
        _PyCompiledConst *tup = _PyFold_MakeTuple(&c->folder, items, n);
        t = NULL;
        if (tup != NULL) {
            struct _expr fake;
            memset(&fake, 0, sizeof(fake));
            fake.kind = Set_kind;
            fake.v.Set.elts = seq;
            t = _PyFold_Iterable(&c->folder, &fake);
        }
    }
    else {
        t = _PyFold_MakeTuple(&c->folder, items, n);
    }
    PyMem_RawFree(items);
    if (t == NULL) {
        _PyCompile_NoMemory(c);
    }
    return t;
}

/* Build a list/tuple/set display with starred items: constant runs folded
   into one constant, short displays built at once, long ones extended
   incrementally. */
static int
starunpack_helper(_PyCompiler *c, asdl_expr_seq *elts, int pushed, int build,
                  int add, int extend, int tuple)
{
    Py_ssize_t n = asdl_seq_LEN(elts);
    if (n > 2 && all_items_const(c, elts, 0, n)) {
        _PyCompiledConst *folded = consts_tuple(c, elts, 0, n,
                                                add == SET_ADD);
        if (folded == NULL) {
            return -1;
        }
        if (tuple && !pushed) {
            return _PyCodegen_LoadConst(c, folded);
        }
        TRY(addop_i(c, build, pushed));
        TRY(_PyCodegen_LoadConst(c, folded));
        TRY(addop_i(c, extend, 1));
        if (tuple) {
            TRY(addop(c, LIST_TO_TUPLE));
        }
        return 0;
    }
    if (c->err->type != NULL) {
        return -1;
    }
    int big = n + pushed > STACK_USE_GUIDELINE;
    int seen_star = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (asdl_seq_GET(elts, i)->kind == Starred_kind) {
            seen_star = 1;
        }
    }
    if (!seen_star && !big) {
        for (Py_ssize_t i = 0; i < n; i++) {
            TRY(visit_expr(c, asdl_seq_GET(elts, i)));
        }
        if (tuple) {
            return addop_i(c, BUILD_TUPLE, (int)(n + pushed));
        }
        return addop_i(c, build, (int)(n + pushed));
    }
    int sequence_built = 0;
    if (big) {
        TRY(addop_i(c, build, pushed));
        sequence_built = 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        if (elt->kind == Starred_kind) {
            if (!sequence_built) {
                TRY(addop_i(c, build, (int)(i + pushed)));
                sequence_built = 1;
            }
            TRY(visit_expr(c, elt->v.Starred.value));
            TRY(addop_i(c, extend, 1));
        }
        else {
            TRY(visit_expr(c, elt));
            if (sequence_built) {
                TRY(addop_i(c, add, 1));
            }
        }
    }
    if (tuple) {
        TRY(addop(c, LIST_TO_TUPLE));
    }
    return 0;
}

/* Emit UNPACK_SEQUENCE or UNPACK_EX for an assignment target list, with
   3.11's errors for misplaced or repeated stars. */
static int
unpack_helper(_PyCompiler *c, asdl_expr_seq *elts)
{
    Py_ssize_t n = asdl_seq_LEN(elts);
    int seen_star = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        if (elt->kind == Starred_kind && !seen_star) {
            if (i >= (1 << 8) || n - i - 1 >= (0x7FFFFFFF >> 8)) {
                return _PyCompile_Error(c, c->u->loc, "too many expressions "
                                        "in star-unpacking assignment");
            }
            TRY(addop_i(c, UNPACK_EX, (int)(i + ((n - i - 1) << 8))));
            seen_star = 1;
        }
        else if (elt->kind == Starred_kind) {
            return _PyCompile_Error(c, c->u->loc, "multiple starred "
                                    "expressions in assignment");
        }
    }
    if (!seen_star) {
        TRY(addop_i(c, UNPACK_SEQUENCE, (int)n));
    }
    return 0;
}

/* Unpack and store into each element of a target list. */
static int
assignment_helper(_PyCompiler *c, asdl_expr_seq *elts)
{
    TRY(unpack_helper(c, elts));
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(elts); i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        TRY(visit_expr(c, elt->kind == Starred_kind ? elt->v.Starred.value
                                                    : elt));
    }
    return 0;
}

/* List or tuple display, or its use as an assignment target. */
static int
visit_list_or_tuple(_PyCompiler *c, asdl_expr_seq *elts,
                    expr_context_ty ctx, int tuple)
{
    if (ctx == Store) {
        return assignment_helper(c, elts);
    }
    if (ctx == Load) {
        return starunpack_helper(c, elts, 0, BUILD_LIST, LIST_APPEND,
                                 LIST_EXTEND, tuple);
    }
    return visit_exprs(c, elts);
}

/* Build a dict from the items KEYS/VALUES[BEGIN:END] (BUILD_CONST_KEY_MAP
   when all keys are constant). */
static int
subdict(_PyCompiler *c, expr_ty e, Py_ssize_t begin, Py_ssize_t end)
{
    asdl_expr_seq *keys = e->v.Dict.keys, *values = e->v.Dict.values;
    Py_ssize_t n = end - begin;
    int big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big && all_items_const(c, keys, begin, end)) {
        for (Py_ssize_t i = begin; i < end; i++) {
            TRY(visit_expr(c, asdl_seq_GET(values, i)));
        }
        _PyCompiledConst *t = consts_tuple(c, keys, begin, end, 0);
        if (t == NULL) {
            return -1;
        }
        TRY(_PyCodegen_LoadConst(c, t));
        return addop_i(c, BUILD_CONST_KEY_MAP, (int)n);
    }
    if (c->err->type != NULL) {
        return -1;
    }
    if (big) {
        TRY(addop_i(c, BUILD_MAP, 0));
    }
    for (Py_ssize_t i = begin; i < end; i++) {
        TRY(visit_expr(c, asdl_seq_GET(keys, i)));
        TRY(visit_expr(c, asdl_seq_GET(values, i)));
        if (big) {
            TRY(addop_i(c, MAP_ADD, 1));
        }
    }
    if (!big) {
        TRY(addop_i(c, BUILD_MAP, (int)n));
    }
    return 0;
}

/* Dict display: runs of plain items as subdicts merged with DICT_UPDATE
   around ** items. */
static int
visit_dict(_PyCompiler *c, expr_ty e)
{
    Py_ssize_t n = asdl_seq_LEN(e->v.Dict.values);
    int have_dict = 0;
    Py_ssize_t elements = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int is_unpacking = asdl_seq_GET(e->v.Dict.keys, i) == NULL;
        if (is_unpacking) {
            if (elements) {
                TRY(subdict(c, e, i - elements, i));
                if (have_dict) {
                    TRY(addop_i(c, DICT_UPDATE, 1));
                }
                have_dict = 1;
                elements = 0;
            }
            if (!have_dict) {
                TRY(addop_i(c, BUILD_MAP, 0));
                have_dict = 1;
            }
            TRY(visit_expr(c, asdl_seq_GET(e->v.Dict.values, i)));
            TRY(addop_i(c, DICT_UPDATE, 1));
        }
        else {
            if (elements * 2 > STACK_USE_GUIDELINE) {
                TRY(subdict(c, e, i - elements, i + 1));
                if (have_dict) {
                    TRY(addop_i(c, DICT_UPDATE, 1));
                }
                have_dict = 1;
                elements = 0;
            }
            else {
                elements++;
            }
        }
    }
    if (elements) {
        TRY(subdict(c, e, n - elements, n));
        if (have_dict) {
            TRY(addop_i(c, DICT_UPDATE, 1));
        }
        have_dict = 1;
    }
    if (!have_dict) {
        TRY(addop_i(c, BUILD_MAP, 0));
    }
    return 0;
}

/* Reject repeated keyword arguments and keywords named __debug__ with
   3.11's messages. */
static int
validate_keywords(_PyCompiler *c, asdl_keyword_seq *keywords)
{
    Py_ssize_t n = asdl_seq_LEN(keywords);
    for (Py_ssize_t i = 0; i < n; i++) {
        keyword_ty key = asdl_seq_GET(keywords, i);
        if (key->arg == NULL) {
            continue;
        }
        if (strcmp(key->arg, "__debug__") == 0) {
            return _PyCompile_Error(c, c->u->loc, "cannot assign to "
                                    "__debug__");
        }
        for (Py_ssize_t j = i + 1; j < n; j++) {
            keyword_ty other = asdl_seq_GET(keywords, j);
            if (other->arg != NULL && strcmp(key->arg, other->arg) == 0) {
                return _PyCompile_Error(c, _PyLOC(other), "keyword argument "
                                        "repeated: %s", key->arg);
            }
        }
    }
    return 0;
}

/* Emit KW_NAMES with the keyword names of a call that needs no dict. */
static int
call_simple_kw_helper(_PyCompiler *c, asdl_keyword_seq *keywords,
                      Py_ssize_t nkwelts)
{
    const char **names = PyMem_RawMalloc(sizeof(*names)
                                         * (size_t)(nkwelts + 1));
    if (names == NULL) {
        return _PyCompile_NoMemory(c);
    }
    for (Py_ssize_t i = 0; i < nkwelts; i++) {
        names[i] = asdl_seq_GET(keywords, i)->arg;
    }
    _PyCompiledConst *t = names_tuple(c, names, nkwelts);
    PyMem_RawFree(names);
    if (t == NULL) {
        return -1;
    }
    int k = _PyCompile_AddConst(c, t);
    TRY(k);
    return addop_i(c, KW_NAMES, k);
}

/* Keyword arguments KEYWORDS[begin:end] (none unpacked) as a dict. */
static int
subkwargs(_PyCompiler *c, asdl_keyword_seq *keywords, Py_ssize_t begin,
          Py_ssize_t end)
{
    Py_ssize_t n = end - begin;
    int big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
        const char **names = PyMem_RawMalloc(sizeof(*names) * (size_t)n);
        if (names == NULL) {
            return _PyCompile_NoMemory(c);
        }
        for (Py_ssize_t i = begin; i < end; i++) {
            keyword_ty kw = asdl_seq_GET(keywords, i);
            names[i - begin] = kw->arg;
            if (visit_expr(c, kw->value) < 0) {
                PyMem_RawFree(names);
                return -1;
            }
        }
        _PyCompiledConst *t = names_tuple(c, names, n);
        PyMem_RawFree(names);
        if (t == NULL) {
            return -1;
        }
        TRY(_PyCodegen_LoadConst(c, t));
        return addop_i(c, BUILD_CONST_KEY_MAP, (int)n);
    }
    if (big) {
        TRY(addop_noline(c, BUILD_MAP, 0));
    }
    for (Py_ssize_t i = begin; i < end; i++) {
        keyword_ty kw = asdl_seq_GET(keywords, i);
        TRY(load_str(c, kw->arg));
        TRY(visit_expr(c, kw->value));
        if (big) {
            TRY(addop_noline(c, MAP_ADD, 1));
        }
    }
    if (!big) {
        TRY(addop_i(c, BUILD_MAP, (int)n));
    }
    return 0;
}

/* Arguments of a call whose callable (and N more values) are already on
   the stack. */
static int
call_helper(_PyCompiler *c, int n, asdl_expr_seq *args,
            asdl_keyword_seq *keywords)
{
    TRY(validate_keywords(c, keywords));
    Py_ssize_t nelts = asdl_seq_LEN(args), nkwelts = asdl_seq_LEN(keywords);
    if (nelts + nkwelts * 2 > STACK_USE_GUIDELINE) {
        goto ex_call;
    }
    for (Py_ssize_t i = 0; i < nelts; i++) {
        if (asdl_seq_GET(args, i)->kind == Starred_kind) {
            goto ex_call;
        }
    }
    for (Py_ssize_t i = 0; i < nkwelts; i++) {
        if (asdl_seq_GET(keywords, i)->arg == NULL) {
            goto ex_call;
        }
    }
    /* No * or ** args, so can use faster calling sequence */
    TRY(visit_exprs(c, args));
    if (nkwelts) {
        for (Py_ssize_t i = 0; i < nkwelts; i++) {
            TRY(visit_expr(c, asdl_seq_GET(keywords, i)->value));
        }
        TRY(call_simple_kw_helper(c, keywords, nkwelts));
    }
    return addop_i(c, CALL, (int)(n + nelts + nkwelts));
ex_call:
    /* Do positional arguments. */
    if (n == 0 && nelts == 1 && asdl_seq_GET(args, 0)->kind == Starred_kind) {
        TRY(visit_expr(c, asdl_seq_GET(args, 0)->v.Starred.value));
    }
    else {
        TRY(starunpack_helper(c, args, n, BUILD_LIST, LIST_APPEND,
                              LIST_EXTEND, 1));
    }
    /* Then keyword arguments */
    if (nkwelts) {
        /* Has a new dict been pushed */
        int have_dict = 0;
        /* the number of keyword arguments on the stack following the last
           splatted mapping */
        Py_ssize_t nseen = 0;
        for (Py_ssize_t i = 0; i < nkwelts; i++) {
            keyword_ty kw = asdl_seq_GET(keywords, i);
            if (kw->arg == NULL) {
                /* A keyword argument unpacking. */
                if (nseen) {
                    TRY(subkwargs(c, keywords, i - nseen, i));
                    if (have_dict) {
                        TRY(addop_i(c, DICT_MERGE, 1));
                    }
                    have_dict = 1;
                    nseen = 0;
                }
                if (!have_dict) {
                    TRY(addop_i(c, BUILD_MAP, 0));
                    have_dict = 1;
                }
                TRY(visit_expr(c, kw->value));
                TRY(addop_i(c, DICT_MERGE, 1));
            }
            else {
                nseen++;
            }
        }
        if (nseen) {
            /* Pack up any trailing keyword arguments. */
            TRY(subkwargs(c, keywords, nkwelts - nseen, nkwelts));
            if (have_dict) {
                TRY(addop_i(c, DICT_MERGE, 1));
            }
            have_dict = 1;
        }
    }
    return addop_i(c, CALL_FUNCTION_EX, nkwelts > 0);
}

/* The start of a method call or attribute access spanning lines is where
   the attribute name is. */
static void
update_start_location_to_match_attr(_PyCompiler *c, expr_ty attr)
{
    _PyLoc *loc = &c->u->loc;
    if (loc->lineno == attr->end_lineno) {
        return;
    }
    loc->lineno = attr->end_lineno;
    int len = (int)_PyFold_CodePoints(attr->v.Attribute.attr);
    if (len <= attr->end_col_offset) {
        loc->col_offset = attr->end_col_offset - len;
    }
    else {
        loc->col_offset = -1;
        loc->end_col_offset = -1;
    }
    if (loc->end_lineno < loc->lineno) {
        loc->end_lineno = loc->lineno;
    }
    if (loc->lineno == loc->end_lineno
        && loc->end_col_offset < loc->col_offset) {
        loc->end_col_offset = loc->col_offset;
    }
}

/* obj.meth(args) as LOAD_METHOD and CALL, when nothing is unpacked. */
static int
maybe_optimize_method_call(_PyCompiler *c, expr_ty e)
{
    expr_ty meth = e->v.Call.func;
    asdl_expr_seq *args = e->v.Call.args;
    asdl_keyword_seq *kwds = e->v.Call.keywords;
    /* Check that the call node is an attribute access */
    if (meth->kind != Attribute_kind || meth->v.Attribute.ctx != Load) {
        return 0;
    }
    /* Calls of functions of modules imported at the top level (os.getcwd())
       are plain attribute loads and calls, as in 3.11. */
    expr_ty owner = meth->v.Attribute.value;
    if (owner->kind == Name_kind
        && (_PySymEntry_GetSymbol(c->st->top, owner->v.Name.id)
            & DEF_IMPORT)) {
        return 0;
    }
    /* Check that there aren't too many arguments */
    Py_ssize_t argsl = asdl_seq_LEN(args), kwdsl = asdl_seq_LEN(kwds);
    if (argsl + kwdsl + (kwdsl != 0) >= STACK_USE_GUIDELINE) {
        return 0;
    }
    /* Check that there are no *varargs types of arguments. */
    for (Py_ssize_t i = 0; i < argsl; i++) {
        if (asdl_seq_GET(args, i)->kind == Starred_kind) {
            return 0;
        }
    }
    for (Py_ssize_t i = 0; i < kwdsl; i++) {
        if (asdl_seq_GET(kwds, i)->arg == NULL) {
            return 0;
        }
    }
    /* Alright, we can optimize the code. */
    TRY(visit_expr(c, meth->v.Attribute.value));
    _PyLoc saved = c->u->loc;
    c->u->loc = _PyLOC(meth);
    update_start_location_to_match_attr(c, meth);
    TRY(addop_name(c, LOAD_METHOD, meth->v.Attribute.attr));
    TRY(visit_exprs(c, args));
    if (kwdsl) {
        TRY(validate_keywords(c, kwds));
        for (Py_ssize_t i = 0; i < kwdsl; i++) {
            TRY(visit_expr(c, asdl_seq_GET(kwds, i)->value));
        }
        TRY(call_simple_kw_helper(c, kwds, kwdsl));
    }
    c->u->loc = saved;
    update_start_location_to_match_attr(c, meth);
    TRY(addop_i(c, CALL, (int)(argsl + kwdsl)));
    c->u->loc = saved;
    return 1;
}

/* Function call: method calls via LOAD_METHOD; otherwise NULL + callable +
   args, or CALL_FUNCTION_EX when starred/double-starred arguments are
   present. */
static int
visit_call(_PyCompiler *c, expr_ty e)
{
    int res = maybe_optimize_method_call(c, e);
    if (res != 0) {
        return res < 0 ? -1 : 0;
    }
    TRY(check_caller(c, e->v.Call.func));
    c->u->loc = _PyLOC(e->v.Call.func);
    TRY(addop(c, PUSH_NULL));
    c->u->loc = _PyLOC(e);
    TRY(visit_expr(c, e->v.Call.func));
    return call_helper(c, 0, e->v.Call.args, e->v.Call.keywords);
}

/* f-string: the parts then BUILD_STRING (or incremental concatenation when
   very long). */
static int
visit_joined_str(_PyCompiler *c, expr_ty e)
{
    Py_ssize_t n = asdl_seq_LEN(e->v.JoinedStr.values);
    if (n > STACK_USE_GUIDELINE) {
        TRY(load_str(c, ""));
        TRY(addop_name(c, LOAD_METHOD, "join"));
        TRY(addop_i(c, BUILD_LIST, 0));
        for (Py_ssize_t i = 0; i < n; i++) {
            TRY(visit_expr(c, asdl_seq_GET(e->v.JoinedStr.values, i)));
            TRY(addop_i(c, LIST_APPEND, 1));
        }
        return addop_i(c, CALL, 1);
    }
    TRY(visit_exprs(c, e->v.JoinedStr.values));
    if (n != 1) {
        TRY(addop_i(c, BUILD_STRING, (int)n));
    }
    return 0;
}

/* One {value!conv:spec} replacement field: FORMAT_VALUE with the conversion
   and a spec flag. */
static int
visit_formatted_value(_PyCompiler *c, expr_ty e)
{
    TRY(visit_expr(c, e->v.FormattedValue.value));
    int oparg;
    switch (e->v.FormattedValue.conversion) {
    case 's':
        oparg = _PyFormat_CONV_STR;
        break;
    case 'r':
        oparg = _PyFormat_CONV_REPR;
        break;
    case 'a':
        oparg = _PyFormat_CONV_ASCII;
        break;
    case -1:
        oparg = _PyFormat_CONV_NONE;
        break;
    default:
        _PyCompile_SetError(c->err, "SystemError", "Unrecognized conversion "
                            "character", 0, -1, 0, -1);
        return -1;
    }
    if (e->v.FormattedValue.format_spec != NULL) {
        TRY(visit_expr(c, e->v.FormattedValue.format_spec));
        oparg |= _PyFormat_HAVE_SPEC;
    }
    return addop_i(c, FORMAT_VALUE, oparg);
}

/* Push the slice bounds and BUILD_SLICE. */
static int
visit_slice(_PyCompiler *c, expr_ty s)
{
    int n = 2;
    if (s->v.Slice.lower != NULL) {
        TRY(visit_expr(c, s->v.Slice.lower));
    }
    else {
        TRY(load_none(c));
    }
    if (s->v.Slice.upper != NULL) {
        TRY(visit_expr(c, s->v.Slice.upper));
    }
    else {
        TRY(load_none(c));
    }
    if (s->v.Slice.step != NULL) {
        n++;
        TRY(visit_expr(c, s->v.Slice.step));
    }
    return addop_i(c, BUILD_SLICE, n);
}

/* Subscript load/store/delete, with the literal-subscript warnings. */
static int
visit_subscript(_PyCompiler *c, expr_ty e)
{
    expr_context_ty ctx = e->v.Subscript.ctx;
    if (ctx == Load) {
        TRY(check_subscripter(c, e->v.Subscript.value));
        TRY(check_index(c, e->v.Subscript.value, e->v.Subscript.slice));
    }
    TRY(visit_expr(c, e->v.Subscript.value));
    TRY(visit_expr(c, e->v.Subscript.slice));
    int op = ctx == Load ? BINARY_SUBSCR : ctx == Store ? STORE_SUBSCR
                                                        : DELETE_SUBSCR;
    return addop(c, op);
}

/* Attribute load/store/delete (the location of a multi-line access is its
   attribute name, as in 3.11). */
static int
visit_attribute(_PyCompiler *c, expr_ty e)
{
    expr_context_ty ctx = e->v.Attribute.ctx;
    if (ctx == Store) {
        TRY(forbidden_name(c, e->v.Attribute.attr, ctx));
    }
    TRY(visit_expr(c, e->v.Attribute.value));
    update_start_location_to_match_attr(c, e);
    int op = ctx == Load ? LOAD_ATTR : ctx == Store ? STORE_ATTR
                                                    : DELETE_ATTR;
    return addop_name(c, op, e->v.Attribute.attr);
}

/* ------------------------------------------------------------------ */
/* Comprehensions */

typedef enum { COMP_GENEXP, COMP_LISTCOMP, COMP_SETCOMP, COMP_DICTCOMP }
    comp_type;

static int comprehension_generator(_PyCompiler *c,
                                   asdl_comprehension_seq *generators,
                                   Py_ssize_t gen_index, int depth,
                                   expr_ty elt, expr_ty val, comp_type type);

/* Add one element to the comprehension result (yield for generator
   expressions). */
static int
comprehension_element(_PyCompiler *c, expr_ty elt, expr_ty val,
                      comp_type type, int depth)
{
    switch (type) {
    case COMP_GENEXP:
        TRY(visit_expr(c, elt));
        if (c->u->ste->coroutine) {
            TRY(addop(c, ASYNC_GEN_WRAP));
        }
        TRY(addop(c, YIELD_VALUE));
        TRY(addop_i(c, RESUME, _PyResume_AFTER_YIELD));
        return addop(c, POP_TOP);
    case COMP_LISTCOMP:
        TRY(visit_expr(c, elt));
        return addop_i(c, LIST_APPEND, depth + 1);
    case COMP_SETCOMP:
        TRY(visit_expr(c, elt));
        return addop_i(c, SET_ADD, depth + 1);
    case COMP_DICTCOMP:
        /* With '{k: v}', k is evaluated before v, so we do the same. */
        TRY(visit_expr(c, elt));
        TRY(visit_expr(c, val));
        return addop_i(c, MAP_ADD, depth + 1);
    }
    return 0;
}

/* Skip to IF_CLEANUP when any `if` clause of GEN is false. */
static int
comprehension_ifs(_PyCompiler *c, comprehension_ty gen, _PyBlock *if_cleanup)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(gen->ifs); i++) {
        TRY(_PyCodegen_JumpIf(c, asdl_seq_GET(gen->ifs, i), if_cleanup, 0));
    }
    return 0;
}

/* One `for` clause: FOR_ITER loop (the outermost iterator comes in as the
   .0 argument), then the next clause or the element. */
static int
sync_comprehension_generator(_PyCompiler *c,
                             asdl_comprehension_seq *generators,
                             Py_ssize_t gen_index, int depth, expr_ty elt,
                             expr_ty val, comp_type type)
{
    /* generate code for the iterator, then each of the ifs, and then
       write to the element */
    _PyBlock *start = new_block(c), *if_cleanup = new_block(c),
             *anchor = new_block(c);
    if (start == NULL || if_cleanup == NULL || anchor == NULL) {
        return -1;
    }
    comprehension_ty gen = asdl_seq_GET(generators, gen_index);
    if (gen_index == 0) {
        /* Receive outermost iter as an implicit argument */
        c->u->argcount = 1;
        TRY(addop_i(c, LOAD_FAST, 0));
    }
    else {
        /* Sub-iter - calculate on the fly */
        /* Fast path for the temporary variable assignment idiom:
             for y in [f(x)]
         */
        asdl_expr_seq *elts = NULL;
        if (gen->iter->kind == List_kind) {
            elts = gen->iter->v.List.elts;
        }
        else if (gen->iter->kind == Tuple_kind) {
            elts = gen->iter->v.Tuple.elts;
        }
        if (asdl_seq_LEN(elts) == 1
            && asdl_seq_GET(elts, 0)->kind != Starred_kind) {
            TRY(visit_expr(c, asdl_seq_GET(elts, 0)));
            start = NULL;
        }
        else {
            TRY(visit_iter(c, gen->iter));
            TRY(addop(c, GET_ITER));
        }
    }
    if (start != NULL) {
        depth++;
        use_next_block(c, start);
        TRY(addop_j(c, FOR_ITER, anchor));
    }
    TRY(visit_expr(c, gen->target));
    /* XXX this needs to be cleaned up...a lot! */
    TRY(comprehension_ifs(c, gen, if_cleanup));
    if (++gen_index < asdl_seq_LEN(generators)) {
        TRY(comprehension_generator(c, generators, gen_index, depth, elt, val,
                                    type));
    }
    /* only append after the last for generator */
    if (gen_index >= asdl_seq_LEN(generators)) {
        TRY(comprehension_element(c, elt, val, type, depth));
    }
    use_next_block(c, if_cleanup);
    if (start != NULL) {
        TRY(addop_j(c, JUMP, start));
        use_next_block(c, anchor);
    }
    return 0;
}

/* One `async for` clause: awaited __anext__ in a try that ends the loop on
   StopAsyncIteration. */
static int
async_comprehension_generator(_PyCompiler *c,
                              asdl_comprehension_seq *generators,
                              Py_ssize_t gen_index, int depth, expr_ty elt,
                              expr_ty val, comp_type type)
{
    _PyBlock *start = new_block(c), *except = new_block(c),
             *if_cleanup = new_block(c);
    if (start == NULL || except == NULL || if_cleanup == NULL) {
        return -1;
    }
    comprehension_ty gen = asdl_seq_GET(generators, gen_index);
    if (gen_index == 0) {
        /* Receive outermost iter as an implicit argument */
        c->u->argcount = 1;
        TRY(addop_i(c, LOAD_FAST, 0));
    }
    else {
        /* Sub-iter - calculate on the fly */
        TRY(visit_expr(c, gen->iter));
        TRY(addop(c, GET_AITER));
    }
    use_next_block(c, start);
    /* Runtime will push a block here, so we need to account for that */
    TRY(push_fblock(c, _PyFB_ASYNC_COMPREHENSION_GENERATOR, start, NULL,
                    NULL));
    TRY(addop_j(c, SETUP_FINALLY, except));
    TRY(addop(c, GET_ANEXT));
    TRY(load_none(c));
    TRY(add_yield_from(c, 1));
    TRY(addop(c, POP_BLOCK));
    TRY(visit_expr(c, gen->target));
    TRY(comprehension_ifs(c, gen, if_cleanup));
    depth++;
    if (++gen_index < asdl_seq_LEN(generators)) {
        TRY(comprehension_generator(c, generators, gen_index, depth, elt, val,
                                    type));
    }
    /* only append after the last for generator */
    if (gen_index >= asdl_seq_LEN(generators)) {
        TRY(comprehension_element(c, elt, val, type, depth));
    }
    use_next_block(c, if_cleanup);
    TRY(addop_j(c, JUMP, start));
    pop_fblock(c);
    use_next_block(c, except);
    TRY(addop(c, END_ASYNC_FOR));
    return 0;
}

/* Dispatch a `for` clause on whether it is async. */
static int
comprehension_generator(_PyCompiler *c, asdl_comprehension_seq *generators,
                        Py_ssize_t gen_index, int depth, expr_ty elt,
                        expr_ty val, comp_type type)
{
    comprehension_ty gen = asdl_seq_GET(generators, gen_index);
    if (gen->is_async) {
        return async_comprehension_generator(c, generators, gen_index, depth,
                                             elt, val, type);
    }
    return sync_comprehension_generator(c, generators, gen_index, depth, elt,
                                        val, type);
}

/* Comprehension or generator expression: its own code unit called with the
   outermost iterator. */
static int
visit_comprehension(_PyCompiler *c, expr_ty e, comp_type type,
                    const char *name, asdl_comprehension_seq *generators,
                    expr_ty elt, expr_ty val)
{
    int is_top_level_await = (c->flags & PyCF_ALLOW_TOP_LEVEL_AWAIT)
                             && c->u->ste->type == _PySym_ModuleBlock;
    comprehension_ty outermost = asdl_seq_GET(generators, 0);
    _PyScopeType scope_type = c->u->scope_type;
    TRY(_PyCompile_EnterScope(c, name, _PyScope_COMPREHENSION, e,
                              e->lineno));
    c->u->loc = _PyLOC(e);
    int is_async_generator = c->u->ste->coroutine;
    if (is_async_generator && type != COMP_GENEXP
        && scope_type != _PyScope_ASYNC_FUNCTION
        && scope_type != _PyScope_COMPREHENSION && !is_top_level_await) {
        return _PyCompile_Error(c, c->u->loc, "asynchronous comprehension "
                                "outside of an asynchronous function");
    }
    if (type != COMP_GENEXP) {
        int op = type == COMP_LISTCOMP ? BUILD_LIST
                 : type == COMP_SETCOMP ? BUILD_SET : BUILD_MAP;
        TRY(addop_i(c, op, 0));
    }
    TRY(comprehension_generator(c, generators, 0, 0, elt, val, type));
    if (type != COMP_GENEXP) {
        TRY(addop(c, RETURN_VALUE));
    }
    _PyCodeUnit *co = _PyCompile_ExitScope(c, 1);
    if (co == NULL) {
        return -1;
    }
    if (is_top_level_await && is_async_generator) {
        c->u->ste->coroutine = 1;
    }
    TRY(make_closure(c, co, 0));
    TRY(visit_iter(c, outermost->iter));
    TRY(addop(c, outermost->is_async ? GET_AITER : GET_ITER));
    TRY(addop_i(c, CALL, 0));
    if (is_async_generator && type != COMP_GENEXP) {
        TRY(addop_i(c, GET_AWAITABLE, 0));
        TRY(load_none(c));
        TRY(add_yield_from(c, 1));
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* 'format' % (a, b): 3.11 compiles it as an f-string when every
   conversion is a plain %s, %r or %a (width and precision allowed). */

#define FMT_MAXDIGITS 3

typedef struct {
    int is_literal;
    const char *text;           /* literal, '%%' already halved */
    Py_ssize_t len;
    expr_ty arg;
    int conversion;
    char spec[2 + 2 * FMT_MAXDIGITS + 2];
} fmt_part;

/* Parse one conversion after '%' at S[*pos]; 0 if it is not simple. */
static int
parse_simple_conversion(const char *s, Py_ssize_t n, Py_ssize_t *pos,
                        fmt_part *part)
{
    Py_ssize_t p = *pos;
    int ljust = 0, width = -1, prec = -1;
    char ch;
#define NEXTC do { if (p >= n) { return 0; } ch = s[p++]; } while (0)
    for (;;) {
        NEXTC;
        if (ch == '-') {
            ljust = 1;
        }
        else if (ch != '+' && ch != ' ' && ch != '#' && ch != '0') {
            break;
        }
    }
    if (ch >= '0' && ch <= '9') {
        int digits = 0;
        width = 0;
        while (ch >= '0' && ch <= '9') {
            width = width * 10 + (ch - '0');
            NEXTC;
            if (++digits >= FMT_MAXDIGITS) {
                return 0;
            }
        }
    }
    if (ch == '.') {
        NEXTC;
        prec = 0;
        int digits = 0;
        while (ch >= '0' && ch <= '9') {
            prec = prec * 10 + (ch - '0');
            NEXTC;
            if (++digits >= FMT_MAXDIGITS) {
                return 0;
            }
        }
    }
#undef NEXTC
    if (ch != 's' && ch != 'r' && ch != 'a') {
        return 0;
    }
    part->conversion = ch;
    char *q = part->spec;
    if (!ljust && width > 0) {
        *q++ = '>';
    }
    if (width >= 0) {
        q += sprintf(q, "%d", width);
    }
    if (prec >= 0) {
        q += sprintf(q, ".%d", prec);
    }
    *q = '\0';
    *pos = p;
    return 1;
}

/* Split FMT into parts; return the count, 0 if the format is not simple
   or does not use exactly the NARGS arguments, -1 when out of memory. */
static int
split_format(_PyCompiler *c, _PyCompiledConst *fmt, asdl_expr_seq *args,
             fmt_part **out)
{
    const char *s = fmt->data;
    Py_ssize_t n = fmt->size, nargs = asdl_seq_LEN(args), used = 0;
    fmt_part *parts = PyMem_RawCalloc((size_t)(2 * nargs + 2),
                                      sizeof(*parts));
    if (parts == NULL) {
        return _PyCompile_NoMemory(c);
    }
    int count = 0;
    Py_ssize_t pos = 0;
    for (;;) {
        Py_ssize_t start = pos;
        int has_percents = 0;
        while (pos < n) {
            if (s[pos] != '%') {
                pos++;
            }
            else if (pos + 1 < n && s[pos + 1] == '%') {
                has_percents = 1;
                pos += 2;
            }
            else {
                break;
            }
        }
        if (pos > start) {
            char *text = _PyArena_Malloc(c->arena, (size_t)(pos - start) + 1);
            if (text == NULL) {
                PyMem_RawFree(parts);
                return _PyCompile_NoMemory(c);
            }
            Py_ssize_t k = 0;
            for (Py_ssize_t i = start; i < pos; i++) {
                text[k++] = s[i];
                if (has_percents && s[i] == '%') {
                    i++;
                }
            }
            text[k] = '\0';
            parts[count].is_literal = 1;
            parts[count].text = text;
            parts[count].len = k;
            count++;
        }
        if (pos >= n) {
            break;
        }
        if (used >= nargs) {
            goto unsupported;
        }
        pos++;
        if (!parse_simple_conversion(s, n, &pos, &parts[count])) {
            goto unsupported;
        }
        parts[count].arg = asdl_seq_GET(args, used++);
        count++;
    }
    if (used < nargs) {
        goto unsupported;
    }
    *out = parts;
    return count;
unsupported:
    PyMem_RawFree(parts);
    return 0;
}

/* Emit one piece of a %-format rewritten as an f-string: a literal string
   or a FORMAT_VALUE. */
static int
emit_format_part(_PyCompiler *c, fmt_part *part)
{
    if (part->is_literal) {
        c->u->loc = _PyLoc_NONE;
        return _PyCodegen_LoadConst(c, _PyFold_MakeStr(&c->folder, part->text,
                                                       part->len));
    }
    c->u->loc = _PyLOC(part->arg);
    TRY(visit_expr(c, part->arg));
    int oparg = part->conversion == 's' ? _PyFormat_CONV_STR
                : part->conversion == 'r' ? _PyFormat_CONV_REPR
                                          : _PyFormat_CONV_ASCII;
    if (part->spec[0] != '\0') {
        c->u->loc = _PyLoc_NONE;
        TRY(load_str(c, part->spec));
        c->u->loc = _PyLOC(part->arg);
        oparg |= _PyFormat_HAVE_SPEC;
    }
    return addop_i(c, FORMAT_VALUE, oparg);
}

/* 3.11's optimization of `'...' % (a, b)` with only %s/%r/%a into an
   f-string; returns 1 if done, 0 if not applicable. */
static int
try_format_as_fstring(_PyCompiler *c, expr_ty e)
{
    expr_ty right = e->v.BinOp.right;
    if (e->v.BinOp.op != Mod || right->kind != Tuple_kind) {
        return 0;
    }
    _PyCompiledConst *fmt = const_value(c, e->v.BinOp.left);
    if (fmt == NULL || fmt->kind != _PyCC_STR || is_const(c, right)) {
        return c->err->type != NULL ? -1 : 0;
    }
    asdl_expr_seq *args = right->v.Tuple.elts;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        if (asdl_seq_GET(args, i)->kind == Starred_kind) {
            return 0;
        }
    }
    fmt_part *parts = NULL;
    int n = split_format(c, fmt, args, &parts);
    if (n <= 0) {
        return n;
    }
    _PyLoc loc = c->u->loc;
    int res = 0;
    if (n > STACK_USE_GUIDELINE) {
        res = load_str(c, "");
        if (res == 0) {
            res = addop_name(c, LOAD_METHOD, "join");
        }
        if (res == 0) {
            res = addop_i(c, BUILD_LIST, 0);
        }
        for (int i = 0; res == 0 && i < n; i++) {
            res = emit_format_part(c, &parts[i]);
            c->u->loc = loc;
            if (res == 0) {
                res = addop_i(c, LIST_APPEND, 1);
            }
        }
        if (res == 0) {
            res = addop_i(c, CALL, 1);
        }
    }
    else {
        for (int i = 0; res == 0 && i < n; i++) {
            res = emit_format_part(c, &parts[i]);
        }
        c->u->loc = loc;
        if (res == 0 && n != 1) {
            res = addop_i(c, BUILD_STRING, n);
        }
    }
    PyMem_RawFree(parts);
    return res < 0 ? -1 : 1;
}

/* ------------------------------------------------------------------ */
/* Expressions: dispatch */

/* await: outside async functions it is an error ('await' outside (async)
   function); otherwise GET_AWAITABLE and the SEND loop. */
static int
visit_await(_PyCompiler *c, expr_ty e)
{
    if (!((c->flags & PyCF_ALLOW_TOP_LEVEL_AWAIT)
          && c->u->ste->type == _PySym_ModuleBlock)) {
        if (c->u->ste->type != _PySym_FunctionBlock) {
            return _PyCompile_Error(c, c->u->loc, "'await' outside "
                                    "function");
        }
        if (c->u->scope_type != _PyScope_ASYNC_FUNCTION
            && c->u->scope_type != _PyScope_COMPREHENSION) {
            return _PyCompile_Error(c, c->u->loc, "'await' outside async "
                                    "function");
        }
    }
    TRY(visit_expr(c, e->v.Await.value));
    TRY(addop_i(c, GET_AWAITABLE, 0));
    TRY(load_none(c));
    return add_yield_from(c, 1);
}

/* Dispatch on expression kind. */
static int
visit_expr_kind(_PyCompiler *c, expr_ty e)
{
    switch (e->kind) {
    case NamedExpr_kind:
        TRY(visit_expr(c, e->v.NamedExpr.value));
        TRY(addop_i(c, COPY, 1));
        return visit_expr(c, e->v.NamedExpr.target);
    case BoolOp_kind:
        return visit_boolop(c, e);
    case BinOp_kind: {
        static const int ops[] = {
            [Add] = _PyBinOp_ADD, [Sub] = _PyBinOp_SUBTRACT,
            [Mult] = _PyBinOp_MULTIPLY, [MatMult] = _PyBinOp_MATRIX_MULTIPLY,
            [Div] = _PyBinOp_TRUE_DIVIDE, [Mod] = _PyBinOp_REMAINDER,
            [Pow] = _PyBinOp_POWER, [LShift] = _PyBinOp_LSHIFT,
            [RShift] = _PyBinOp_RSHIFT, [BitOr] = _PyBinOp_OR,
            [BitXor] = _PyBinOp_XOR, [BitAnd] = _PyBinOp_AND,
            [FloorDiv] = _PyBinOp_FLOOR_DIVIDE,
        };
        int res = try_format_as_fstring(c, e);
        if (res != 0) {
            return res < 0 ? -1 : 0;
        }
        TRY(visit_expr(c, e->v.BinOp.left));
        TRY(visit_expr(c, e->v.BinOp.right));
        return addop_i(c, BINARY_OP, ops[e->v.BinOp.op]);
    }
    case UnaryOp_kind: {
        int invert;
        expr_ty cmp = e->v.UnaryOp.op == Not ? not_compare(e, &invert)
                                             : NULL;
        if (cmp != NULL) {
            /* 3.11 replaces the node by the comparison, location and
               all. */
            c->u->loc = _PyLOC(cmp);
            return visit_compare(c, cmp, invert);
        }
        TRY(visit_expr(c, e->v.UnaryOp.operand));
        switch (e->v.UnaryOp.op) {
        case UAdd:
            return addop(c, UNARY_POSITIVE);
        case USub:
            return addop(c, UNARY_NEGATIVE);
        case Not:
            return addop(c, UNARY_NOT);
        default:
            return addop(c, UNARY_INVERT);
        }
    }
    case Lambda_kind:
        return visit_lambda(c, e);
    case IfExp_kind:
        return visit_ifexp(c, e);
    case Dict_kind:
        return visit_dict(c, e);
    case Set_kind:
        return starunpack_helper(c, e->v.Set.elts, 0, BUILD_SET, SET_ADD,
                                 SET_UPDATE, 0);
    case GeneratorExp_kind:
        return visit_comprehension(c, e, COMP_GENEXP, "<genexpr>",
                                   e->v.GeneratorExp.generators,
                                   e->v.GeneratorExp.elt, NULL);
    case ListComp_kind:
        return visit_comprehension(c, e, COMP_LISTCOMP, "<listcomp>",
                                   e->v.ListComp.generators,
                                   e->v.ListComp.elt, NULL);
    case SetComp_kind:
        return visit_comprehension(c, e, COMP_SETCOMP, "<setcomp>",
                                   e->v.SetComp.generators,
                                   e->v.SetComp.elt, NULL);
    case DictComp_kind:
        return visit_comprehension(c, e, COMP_DICTCOMP, "<dictcomp>",
                                   e->v.DictComp.generators,
                                   e->v.DictComp.key, e->v.DictComp.value);
    case Yield_kind:
        if (c->u->ste->type != _PySym_FunctionBlock) {
            return _PyCompile_Error(c, c->u->loc, "'yield' outside "
                                    "function");
        }
        if (e->v.Yield.value != NULL) {
            TRY(visit_expr(c, e->v.Yield.value));
        }
        else {
            TRY(load_none(c));
        }
        if (c->u->ste->coroutine) {
            TRY(addop(c, ASYNC_GEN_WRAP));
        }
        TRY(addop(c, YIELD_VALUE));
        return addop_i(c, RESUME, _PyResume_AFTER_YIELD);
    case YieldFrom_kind:
        if (c->u->ste->type != _PySym_FunctionBlock) {
            return _PyCompile_Error(c, c->u->loc, "'yield' outside "
                                    "function");
        }
        if (c->u->scope_type == _PyScope_ASYNC_FUNCTION) {
            return _PyCompile_Error(c, c->u->loc, "'yield from' inside async "
                                    "function");
        }
        TRY(visit_expr(c, e->v.YieldFrom.value));
        TRY(addop(c, GET_YIELD_FROM_ITER));
        TRY(load_none(c));
        return add_yield_from(c, 0);
    case Await_kind:
        return visit_await(c, e);
    case Compare_kind:
        return visit_compare(c, e, 0);
    case Call_kind:
        return visit_call(c, e);
    case Constant_kind:
        return _PyCodegen_LoadConst(c, _PyFold_Literal(&c->folder,
                                                       e->v.Constant.value));
    case JoinedStr_kind:
        return visit_joined_str(c, e);
    case FormattedValue_kind:
        return visit_formatted_value(c, e);
    case Attribute_kind:
        return visit_attribute(c, e);
    case Subscript_kind:
        return visit_subscript(c, e);
    case Starred_kind:
        if (e->v.Starred.ctx == Store) {
            /* In all legitimate cases, the Starred node was already
               replaced by compiler_list/compiler_tuple. XXX: is that
               okay? */
            return _PyCompile_Error(c, c->u->loc, "starred assignment "
                                    "target must be in a list or tuple");
        }
        return _PyCompile_Error(c, c->u->loc, "can't use starred "
                                "expression here");
    case Slice_kind:
        return visit_slice(c, e);
    case Name_kind:
        return nameop(c, e->v.Name.id, e->v.Name.ctx);
    case List_kind:
        return visit_list_or_tuple(c, e->v.List.elts, e->v.List.ctx, 0);
    case Tuple_kind:
        return visit_list_or_tuple(c, e->v.Tuple.elts, e->v.Tuple.ctx, 1);
    }
    return 0;
}

/* Compile one expression at its own location, restoring the enclosing
   location afterwards; an expression that folds to a constant becomes one
   LOAD_CONST.  Recursion depth is bounded by the symtable pass, which has
   already rejected deeper trees. */
static int
visit_expr(_PyCompiler *c, expr_ty e)
{
    _PyLoc saved = c->u->loc;
    c->u->loc = _PyLOC(e);
    int res;
    _PyCompiledConst *k = e->kind == Constant_kind ? NULL
                                                   : const_value(c, e);
    if (k != NULL) {
        res = _PyCodegen_LoadConst(c, k);
    }
    else if (c->err->type != NULL) {
        res = -1;
    }
    else {
        res = visit_expr_kind(c, e);
    }
    c->u->loc = saved;
    return res;
}

/* Exported expression visitor (used by the match compiler). */
int
_PyCodegen_VisitExpr(_PyCompiler *c, expr_ty e)
{
    return visit_expr(c, e);
}

/* ------------------------------------------------------------------ */
/* Augmented and annotated assignment */

/* Augmented assignment: load target, in-place BINARY_OP, store back without
   evaluating the target's parts twice. */
static int
visit_augassign(_PyCompiler *c, stmt_ty s)
{
    static const int ops[] = {
        [Add] = _PyBinOp_ADD, [Sub] = _PyBinOp_SUBTRACT,
        [Mult] = _PyBinOp_MULTIPLY, [MatMult] = _PyBinOp_MATRIX_MULTIPLY,
        [Div] = _PyBinOp_TRUE_DIVIDE, [Mod] = _PyBinOp_REMAINDER,
        [Pow] = _PyBinOp_POWER, [LShift] = _PyBinOp_LSHIFT,
        [RShift] = _PyBinOp_RSHIFT, [BitOr] = _PyBinOp_OR,
        [BitXor] = _PyBinOp_XOR, [BitAnd] = _PyBinOp_AND,
        [FloorDiv] = _PyBinOp_FLOOR_DIVIDE,
    };
    expr_ty e = s->v.AugAssign.target;
    c->u->loc = _PyLOC(e);
    switch (e->kind) {
    case Attribute_kind:
        TRY(visit_expr(c, e->v.Attribute.value));
        TRY(addop_i(c, COPY, 1));
        update_start_location_to_match_attr(c, e);
        TRY(addop_name(c, LOAD_ATTR, e->v.Attribute.attr));
        break;
    case Subscript_kind:
        TRY(visit_expr(c, e->v.Subscript.value));
        TRY(visit_expr(c, e->v.Subscript.slice));
        TRY(addop_i(c, COPY, 2));
        TRY(addop_i(c, COPY, 2));
        TRY(addop(c, BINARY_SUBSCR));
        break;
    case Name_kind:
        TRY(nameop(c, e->v.Name.id, Load));
        break;
    default:
        _PyCompile_SetError(c->err, "SystemError", "invalid node type for "
                            "augmented assignment", 0, -1, 0, -1);
        return -1;
    }
    c->u->loc = _PyLOC(s);
    TRY(visit_expr(c, s->v.AugAssign.value));
    TRY(addop_i(c, BINARY_OP, ops[s->v.AugAssign.op] + _PyBinOp_INPLACE));
    c->u->loc = _PyLOC(e);
    switch (e->kind) {
    case Attribute_kind:
        update_start_location_to_match_attr(c, e);
        TRY(addop_i(c, SWAP, 2));
        return addop_name(c, STORE_ATTR, e->v.Attribute.attr);
    case Subscript_kind:
        TRY(addop_i(c, SWAP, 3));
        TRY(addop_i(c, SWAP, 2));
        return addop(c, STORE_SUBSCR);
    default:
        return nameop(c, e->v.Name.id, Store);
    }
}

/* Evaluate and discard an annotation-only target's part so its errors still
   happen at run time. */
static int
check_ann_expr(_PyCompiler *c, expr_ty e)
{
    TRY(visit_expr(c, e));
    return addop(c, POP_TOP);
}

/* check_ann_expr over the index of an annotated subscript target (slices
   and tuples part by part). */
static int
check_ann_subscr(_PyCompiler *c, expr_ty e)
{
    /* We check that everything in a subscript is defined at runtime. */
    switch (e->kind) {
    case Slice_kind:
        if (e->v.Slice.lower != NULL) {
            TRY(check_ann_expr(c, e->v.Slice.lower));
        }
        if (e->v.Slice.upper != NULL) {
            TRY(check_ann_expr(c, e->v.Slice.upper));
        }
        if (e->v.Slice.step != NULL) {
            TRY(check_ann_expr(c, e->v.Slice.step));
        }
        return 0;
    case Tuple_kind: {
        /* extended slice */
        asdl_expr_seq *elts = e->v.Tuple.elts;
        for (Py_ssize_t i = 0; i < asdl_seq_LEN(elts); i++) {
            TRY(check_ann_subscr(c, asdl_seq_GET(elts, i)));
        }
        return 0;
    }
    default:
        return check_ann_expr(c, e);
    }
}

/* Annotated assignment: assign, then store the annotation in
   __annotations__ for simple names in module/class scope. */
static int
visit_annassign(_PyCompiler *c, stmt_ty s)
{
    expr_ty targ = s->v.AnnAssign.target;
    /* We perform the actual assignment first. */
    if (s->v.AnnAssign.value != NULL) {
        TRY(visit_expr(c, s->v.AnnAssign.value));
        TRY(visit_expr(c, targ));
    }
    switch (targ->kind) {
    case Name_kind:
        TRY(forbidden_name(c, targ->v.Name.id, Store));
        /* If we have a simple name in a module or class, store annotation. */
        if (s->v.AnnAssign.simple
            && (c->u->scope_type == _PyScope_MODULE
                || c->u->scope_type == _PyScope_CLASS)) {
            TRY(visit_annexpr(c, s->v.AnnAssign.annotation));
            TRY(addop_name(c, LOAD_NAME, "__annotations__"));
            const char *mangled = _PyCompile_Mangle(c, targ->v.Name.id);
            if (mangled == NULL) {
                return -1;
            }
            TRY(load_str(c, mangled));
            TRY(addop(c, STORE_SUBSCR));
        }
        break;
    case Attribute_kind:
        TRY(forbidden_name(c, targ->v.Attribute.attr, Store));
        if (s->v.AnnAssign.value == NULL) {
            TRY(check_ann_expr(c, targ->v.Attribute.value));
        }
        break;
    case Subscript_kind:
        if (s->v.AnnAssign.value == NULL) {
            TRY(check_ann_expr(c, targ->v.Subscript.value));
            TRY(check_ann_subscr(c, targ->v.Subscript.slice));
        }
        break;
    default:
        _PyCompile_SetError(c->err, "SystemError", "invalid node type for "
                            "annotated assignment", 0, -1, 0, -1);
        return -1;
    }
    /* Annotation is evaluated last. */
    if (!s->v.AnnAssign.simple && !(c->features & CO_FUTURE_ANNOTATIONS)
        && (c->u->scope_type == _PyScope_MODULE
            || c->u->scope_type == _PyScope_CLASS)) {
        TRY(check_ann_expr(c, s->v.AnnAssign.annotation));
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Modules */

/* Compile a module/interactive/expression tree into the top-level code
   unit. */
_PyCodeUnit *
_PyCodegen_Module(_PyCompiler *c, mod_ty mod)
{
    int add_none = 1;
    if (_PyCompile_EnterScope(c, "<module>", _PyScope_MODULE, mod, 1) < 0) {
        return NULL;
    }
    switch (mod->kind) {
    case Module_kind:
        if (compile_body(c, mod->v.Module.body) < 0) {
            return NULL;
        }
        break;
    case Interactive_kind:
        if (find_ann(mod->v.Interactive.body)
            && addop(c, SETUP_ANNOTATIONS) < 0) {
            return NULL;
        }
        c->interactive = 1;
        if (visit_stmts(c, mod->v.Interactive.body) < 0) {
            return NULL;
        }
        break;
    case Expression_kind:
        if (visit_expr(c, mod->v.Expression.body) < 0) {
            return NULL;
        }
        add_none = 0;
        break;
    default:
        _PyCompile_SetError(c->err, "SystemError", "module kind is not "
                            "supported", 0, -1, 0, -1);
        return NULL;
    }
    return _PyCompile_ExitScope(c, add_none);
}
