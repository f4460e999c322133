/* Expressions back to source text, for `from __future__ import
   annotations`: the annotation is stored as the string CPython 3.11 would
   produce (its own spacing and parenthesization, not the source's). */

#include <string.h>

#include "Python.h"
#include "pycore_codegen.h"

/* Precedence levels, lowest first. */
enum {
    PR_TUPLE,
    PR_TEST,            /* 'if'-'else', 'lambda' */
    PR_OR,              /* 'or' */
    PR_AND,             /* 'and' */
    PR_NOT,             /* 'not' */
    PR_CMP,             /* '<', '>', '==', '>=', '<=', '!=', 'in', 'not in',
                           'is', 'is not' */
    PR_EXPR,
    PR_BOR = PR_EXPR,   /* '|' */
    PR_BXOR,            /* '^' */
    PR_BAND,            /* '&' */
    PR_SHIFT,           /* '<<', '>>' */
    PR_ARITH,           /* '+', '-' */
    PR_TERM,            /* '*', '@', '/', '%', '//' */
    PR_FACTOR,          /* unary '+', '-', '~' */
    PR_POWER,           /* '**' */
    PR_AWAIT,           /* 'await' */
    PR_ATOM
};

typedef struct {
    _PyStrBuf buf;
    _PyFolder folder;
    int failed;
} unparser;

static void expr(unparser *u, expr_ty e, int level);

/* Append S to the output, remembering a memory failure. */
static void
put(unparser *u, const char *s)
{
    if (!u->failed && _PyStrBuf_Append(&u->buf, s, strlen(s)) < 0) {
        u->failed = 1;
    }
}

/* put(S) when COND holds. */
static void
put_if(unparser *u, int cond, const char *s)
{
    if (cond) {
        put(u, s);
    }
}

/* Float and complex infinities are written so they read back. */
static void
put_const(unparser *u, const _PyCompiledConst *k)
{
    if (k->kind == _PyCC_ELLIPSIS) {
        put(u, "...");
        return;
    }
    _PyStrBuf tmp = {0};
    if (_PyConst_Repr(&tmp, k) < 0) {
        u->failed = 1;
        return;
    }
    if (k->kind == _PyCC_FLOAT || k->kind == _PyCC_IMAG
        || k->kind == _PyCC_COMPLEX) {
        for (size_t i = 0; i < tmp.len; i++) {
            if (strncmp(tmp.data + i, "inf", 3) == 0) {
                put(u, "1e309");
                i += 2;
            }
            else {
                char ch[2] = {tmp.data[i], 0};
                put(u, ch);
            }
        }
    }
    else {
        put(u, tmp.data);
    }
    _PyStrBuf_Clear(&tmp);
}

/* A literal as 3.11's unparser writes it: its repr, keeping a u prefix,
   with infinities spelled 1e309. */
static void
unparse_constant(unparser *u, expr_ty e)
{
    _PyCompiledConst *k = _PyFold_Literal(&u->folder, e->v.Constant.value);
    if (k == NULL) {
        u->failed = 1;
        return;
    }
    if (e->v.Constant.kind != NULL && k->kind == _PyCC_STR) {
        put(u, "u");
    }
    put_const(u, k);
}

/* Comma-separated expressions at precedence LEVEL. */
static void
exprs(unparser *u, asdl_expr_seq *seq, int level)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        put_if(u, i > 0, ", ");
        expr(u, asdl_seq_GET(seq, i), level);
    }
}

/* A tuple display: parenthesized unless at the top of a subscript or
   statement, one-element tuples with a trailing comma. */
static void
tuple(unparser *u, expr_ty e, int level)
{
    asdl_expr_seq *elts = e->v.Tuple.elts;
    Py_ssize_t n = asdl_seq_LEN(elts);
    if (n == 0) {
        put(u, "()");
        return;
    }
    put_if(u, level > PR_TUPLE, "(");
    exprs(u, elts, PR_TEST);
    put_if(u, n == 1, ",");
    put_if(u, level > PR_TUPLE, ")");
}

/* A dict display, ** items included. */
static void
dict(unparser *u, expr_ty e)
{
    put(u, "{");
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(e->v.Dict.values); i++) {
        put_if(u, i > 0, ", ");
        expr_ty k = asdl_seq_GET(e->v.Dict.keys, i);
        if (k != NULL) {
            expr(u, k, PR_TEST);
            put(u, ": ");
            expr(u, asdl_seq_GET(e->v.Dict.values, i), PR_TEST);
        }
        else {
            put(u, "**");
            expr(u, asdl_seq_GET(e->v.Dict.values, i), PR_EXPR);
        }
    }
    put(u, "}");
}

/* The for/if clauses of a comprehension. */
static void
generators(unparser *u, asdl_comprehension_seq *gens)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(gens); i++) {
        comprehension_ty g = asdl_seq_GET(gens, i);
        put(u, g->is_async ? " async for " : " for ");
        expr(u, g->target, PR_TUPLE);
        put(u, " in ");
        expr(u, g->iter, PR_TEST + 1);
        for (Py_ssize_t j = 0; j < asdl_seq_LEN(g->ifs); j++) {
            put(u, " if ");
            expr(u, asdl_seq_GET(g->ifs, j), PR_TEST + 1);
        }
    }
}

/* One parameter (annotations are not part of a lambda). */
static void
arg(unparser *u, arg_ty a)
{
    put(u, a->arg);
}

/* Lambda parameters (annotations cannot occur). */
static void
arguments(unparser *u, arguments_ty args)
{
    int first = 1;
    Py_ssize_t nposonly = asdl_seq_LEN(args->posonlyargs);
    Py_ssize_t nargs = asdl_seq_LEN(args->args);
    Py_ssize_t ndefaults = asdl_seq_LEN(args->defaults);
    Py_ssize_t total = nposonly + nargs;
    for (Py_ssize_t i = 0; i < total; i++) {
        put_if(u, !first, ", ");
        first = 0;
        arg(u, i < nposonly ? asdl_seq_GET(args->posonlyargs, i)
                            : asdl_seq_GET(args->args, i - nposonly));
        Py_ssize_t di = i - (total - ndefaults);
        if (di >= 0) {
            put(u, "=");
            expr(u, asdl_seq_GET(args->defaults, di), PR_TEST);
        }
        if (nposonly > 0 && i == nposonly - 1) {
            put(u, ", /");
        }
    }
    if (args->vararg != NULL || asdl_seq_LEN(args->kwonlyargs) > 0) {
        put_if(u, !first, ", ");
        first = 0;
        put(u, "*");
        if (args->vararg != NULL) {
            arg(u, args->vararg);
        }
    }
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args->kwonlyargs); i++) {
        put(u, ", ");
        arg(u, asdl_seq_GET(args->kwonlyargs, i));
        expr_ty d = asdl_seq_GET(args->kw_defaults, i);
        if (d != NULL) {
            put(u, "=");
            expr(u, d, PR_TEST);
        }
    }
    if (args->kwarg != NULL) {
        put_if(u, !first, ", ");
        put(u, "**");
        arg(u, args->kwarg);
    }
}

/* A lambda with its full parameter list. */
static void
lambda(unparser *u, expr_ty e, int level)
{
    put_if(u, level > PR_TEST, "(");
    arguments_ty a = e->v.Lambda.args;
    int has_args = asdl_seq_LEN(a->posonlyargs) || asdl_seq_LEN(a->args)
                   || a->vararg || asdl_seq_LEN(a->kwonlyargs) || a->kwarg;
    put(u, has_args ? "lambda " : "lambda");
    arguments(u, a);
    put(u, ": ");
    expr(u, e->v.Lambda.body, PR_TEST);
    put_if(u, level > PR_TEST, ")");
}

/* A call with positional, starred, keyword and ** arguments. */
static void
call(unparser *u, expr_ty e)
{
    expr(u, e->v.Call.func, PR_ATOM);
    asdl_expr_seq *args = e->v.Call.args;
    asdl_keyword_seq *kws = e->v.Call.keywords;
    if (asdl_seq_LEN(args) == 1 && asdl_seq_LEN(kws) == 0) {
        expr_ty first = asdl_seq_GET(args, 0);
        if (first->kind == GeneratorExp_kind) {
            /* Special case: a single generator expression. */
            expr(u, first, PR_TEST);
            return;
        }
    }
    put(u, "(");
    int any = 0;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        put_if(u, any, ", ");
        any = 1;
        expr(u, asdl_seq_GET(args, i), PR_TEST);
    }
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(kws); i++) {
        keyword_ty kw = asdl_seq_GET(kws, i);
        put_if(u, any, ", ");
        any = 1;
        if (kw->arg == NULL) {
            put(u, "**");
        }
        else {
            put(u, kw->arg);
            put(u, "=");
        }
        expr(u, kw->value, PR_TEST);
    }
    put(u, ")");
}

/* The text of an f-string's body, with literal braces doubled. */
static void fstring_body(unparser *u, asdl_expr_seq *values);

/* One piece of an f-string body: literal text with braces doubled, or a
   replacement field. */
static void
fstring_part(unparser *u, expr_ty e)
{
    if (e->kind == Constant_kind) {
        _PyCompiledConst *k = _PyFold_Literal(&u->folder,
                                              e->v.Constant.value);
        if (k == NULL || k->kind != _PyCC_STR) {
            u->failed = 1;
            return;
        }
        for (Py_ssize_t i = 0; i < k->size; i++) {
            char ch[2] = {k->data[i], 0};
            put(u, ch);
            if (ch[0] == '{' || ch[0] == '}') {
                put(u, ch);
            }
        }
        return;
    }
    if (e->kind == JoinedStr_kind) {
        fstring_body(u, e->v.JoinedStr.values);
        return;
    }
    /* FormattedValue */
    unparser inner = {{0}, u->folder, 0};
    expr(&inner, e->v.FormattedValue.value, PR_TEST + 1);
    if (inner.failed) {
        u->failed = 1;
        _PyStrBuf_Clear(&inner.buf);
        return;
    }
    put(u, "{");
    if (inner.buf.len > 0 && inner.buf.data[0] == '{') {
        /* Expression starts with a brace, split it with a space from the
           outer one. */
        put(u, " ");
    }
    put(u, inner.buf.data ? inner.buf.data : "");
    _PyStrBuf_Clear(&inner.buf);
    int conv = e->v.FormattedValue.conversion;
    if (conv != -1) {
        char spec[3] = {'!', (char)conv, 0};
        put(u, spec);
    }
    if (e->v.FormattedValue.format_spec != NULL) {
        put(u, ":");
        fstring_part(u, e->v.FormattedValue.format_spec);
    }
    put(u, "}");
}

/* The pieces of an f-string body in order. */
static void
fstring_body(unparser *u, asdl_expr_seq *values)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(values); i++) {
        fstring_part(u, asdl_seq_GET(values, i));
    }
}

/* An f-string: the body is built first, then quoted as a str repr with an f
   prefix, as 3.11 does. */
static void
joined_str(unparser *u, expr_ty e)
{
    unparser body = {{0}, u->folder, 0};
    if (e->kind == JoinedStr_kind) {
        fstring_body(&body, e->v.JoinedStr.values);
    }
    else {
        fstring_part(&body, e);
    }
    if (body.failed) {
        u->failed = 1;
        _PyStrBuf_Clear(&body.buf);
        return;
    }
    _PyCompiledConst *k = _PyFold_MakeStr(&u->folder,
                                          body.buf.data ? body.buf.data : "",
                                          (Py_ssize_t)body.buf.len);
    _PyStrBuf_Clear(&body.buf);
    if (k == NULL) {
        u->failed = 1;
        return;
    }
    put(u, "f");
    put_const(u, k);
}

/* Spelling and precedence of a binary operator. */
static const char *
binop_text(operator_ty op, int *pr)
{
    switch (op) {
    case Add: *pr = PR_ARITH; return " + ";
    case Sub: *pr = PR_ARITH; return " - ";
    case Mult: *pr = PR_TERM; return " * ";
    case MatMult: *pr = PR_TERM; return " @ ";
    case Div: *pr = PR_TERM; return " / ";
    case Mod: *pr = PR_TERM; return " % ";
    case LShift: *pr = PR_SHIFT; return " << ";
    case RShift: *pr = PR_SHIFT; return " >> ";
    case BitOr: *pr = PR_BOR; return " | ";
    case BitXor: *pr = PR_BXOR; return " ^ ";
    case BitAnd: *pr = PR_BAND; return " & ";
    case FloorDiv: *pr = PR_TERM; return " // ";
    case Pow: *pr = PR_POWER; return " ** ";
    }
    *pr = PR_ATOM;
    return "?";
}

/* Spelling of a comparison operator. */
static const char *
cmpop_text(cmpop_ty op)
{
    switch (op) {
    case Eq: return " == ";
    case NotEq: return " != ";
    case Lt: return " < ";
    case LtE: return " <= ";
    case Gt: return " > ";
    case GtE: return " >= ";
    case Is: return " is ";
    case IsNot: return " is not ";
    case In: return " in ";
    case NotIn: return " not in ";
    }
    return "?";
}

/* Unparse E, parenthesized when its precedence is below LEVEL. */
static void
expr(unparser *u, expr_ty e, int level)
{
    int pr;
    const char *op;
    switch (e->kind) {
    case BoolOp_kind: {
        pr = e->v.BoolOp.op == And ? PR_AND : PR_OR;
        op = e->v.BoolOp.op == And ? " and " : " or ";
        put_if(u, level > pr, "(");
        asdl_expr_seq *values = e->v.BoolOp.values;
        for (Py_ssize_t i = 0; i < asdl_seq_LEN(values); i++) {
            put_if(u, i > 0, op);
            expr(u, asdl_seq_GET(values, i), pr + 1);
        }
        put_if(u, level > pr, ")");
        return;
    }
    case NamedExpr_kind:
        put_if(u, level > PR_TUPLE, "(");
        expr(u, e->v.NamedExpr.target, PR_ATOM);
        put(u, " := ");
        expr(u, e->v.NamedExpr.value, PR_ATOM);
        put_if(u, level > PR_TUPLE, ")");
        return;
    case BinOp_kind: {
        op = binop_text(e->v.BinOp.op, &pr);
        int rassoc = e->v.BinOp.op == Pow;
        put_if(u, level > pr, "(");
        expr(u, e->v.BinOp.left, pr + rassoc);
        put(u, op);
        expr(u, e->v.BinOp.right, pr + !rassoc);
        put_if(u, level > pr, ")");
        return;
    }
    case UnaryOp_kind:
        switch (e->v.UnaryOp.op) {
        case Invert: op = "~"; pr = PR_FACTOR; break;
        case Not: op = "not "; pr = PR_NOT; break;
        case UAdd: op = "+"; pr = PR_FACTOR; break;
        default: op = "-"; pr = PR_FACTOR; break;
        }
        put_if(u, level > pr, "(");
        put(u, op);
        expr(u, e->v.UnaryOp.operand, pr);
        put_if(u, level > pr, ")");
        return;
    case Lambda_kind:
        lambda(u, e, level);
        return;
    case IfExp_kind:
        put_if(u, level > PR_TEST, "(");
        expr(u, e->v.IfExp.body, PR_TEST + 1);
        put(u, " if ");
        expr(u, e->v.IfExp.test, PR_TEST + 1);
        put(u, " else ");
        expr(u, e->v.IfExp.orelse, PR_TEST);
        put_if(u, level > PR_TEST, ")");
        return;
    case Dict_kind:
        dict(u, e);
        return;
    case Set_kind:
        put(u, "{");
        exprs(u, e->v.Set.elts, PR_TEST);
        put(u, "}");
        return;
    case GeneratorExp_kind:
        put(u, "(");
        expr(u, e->v.GeneratorExp.elt, PR_TEST);
        generators(u, e->v.GeneratorExp.generators);
        put(u, ")");
        return;
    case ListComp_kind:
        put(u, "[");
        expr(u, e->v.ListComp.elt, PR_TEST);
        generators(u, e->v.ListComp.generators);
        put(u, "]");
        return;
    case SetComp_kind:
        put(u, "{");
        expr(u, e->v.SetComp.elt, PR_TEST);
        generators(u, e->v.SetComp.generators);
        put(u, "}");
        return;
    case DictComp_kind:
        put(u, "{");
        expr(u, e->v.DictComp.key, PR_TEST);
        put(u, ": ");
        expr(u, e->v.DictComp.value, PR_TEST);
        generators(u, e->v.DictComp.generators);
        put(u, "}");
        return;
    case Yield_kind:
        if (e->v.Yield.value == NULL) {
            put(u, "(yield)");
            return;
        }
        put(u, "(yield ");
        expr(u, e->v.Yield.value, PR_TEST);
        put(u, ")");
        return;
    case YieldFrom_kind:
        put(u, "(yield from ");
        expr(u, e->v.YieldFrom.value, PR_TEST);
        put(u, ")");
        return;
    case Await_kind:
        put_if(u, level > PR_AWAIT, "(");
        put(u, "await ");
        expr(u, e->v.Await.value, PR_ATOM);
        put_if(u, level > PR_AWAIT, ")");
        return;
    case Compare_kind:
        put_if(u, level > PR_CMP, "(");
        expr(u, e->v.Compare.left, PR_CMP + 1);
        for (Py_ssize_t i = 0; i < asdl_seq_LEN(e->v.Compare.ops); i++) {
            put(u, cmpop_text((cmpop_ty)asdl_seq_GET(e->v.Compare.ops, i)));
            expr(u, asdl_seq_GET(e->v.Compare.comparators, i), PR_CMP + 1);
        }
        put_if(u, level > PR_CMP, ")");
        return;
    case Call_kind:
        call(u, e);
        return;
    case FormattedValue_kind:
    case JoinedStr_kind:
        joined_str(u, e);
        return;
    case Constant_kind:
        unparse_constant(u, e);
        return;
    case Attribute_kind: {
        expr_ty v = e->v.Attribute.value;
        expr(u, v, PR_ATOM);
        /* Special case: integers require a space for attribute access to
           be unambiguous. */
        int is_int = v->kind == Constant_kind
                     && v->v.Constant.value->kind == _PyConst_INT;
        put(u, is_int ? " ." : ".");
        put(u, e->v.Attribute.attr);
        return;
    }
    case Subscript_kind:
        expr(u, e->v.Subscript.value, PR_ATOM);
        put(u, "[");
        expr(u, e->v.Subscript.slice, PR_TUPLE);
        put(u, "]");
        return;
    case Starred_kind:
        put(u, "*");
        expr(u, e->v.Starred.value, PR_EXPR);
        return;
    case Name_kind:
        put(u, e->v.Name.id);
        return;
    case List_kind:
        put(u, "[");
        exprs(u, e->v.List.elts, PR_TEST);
        put(u, "]");
        return;
    case Tuple_kind:
        tuple(u, e, level);
        return;
    case Slice_kind:
        if (e->v.Slice.lower != NULL) {
            expr(u, e->v.Slice.lower, PR_TEST);
        }
        put(u, ":");
        if (e->v.Slice.upper != NULL) {
            expr(u, e->v.Slice.upper, PR_TEST);
        }
        if (e->v.Slice.step != NULL) {
            put(u, ":");
            expr(u, e->v.Slice.step, PR_TEST);
        }
        return;
    }
}

/* The source text of annotation E as `from __future__ import annotations`
   stores it (3.11's ast unparser rules); an arena string, or NULL on memory
   error. */
char *
_PyAST_Unparse(expr_ty e, _PyArena *arena)
{
    unparser u = {{0}, {0}, 0};
    u.folder.arena = arena;
    expr(&u, e, PR_TEST);
    _PyFold_Clear(&u.folder);
    char *res = NULL;
    if (!u.failed && !u.folder.nomem) {
        res = _PyArena_Strndup(arena, u.buf.data ? u.buf.data : "",
                               u.buf.len);
    }
    _PyStrBuf_Clear(&u.buf);
    return res;
}
