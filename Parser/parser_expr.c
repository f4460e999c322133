/* Expressions, targets, call arguments and parameter lists.
 *
 * A recursive-descent parser following the 3.11 PEG grammar rule for
 * rule.  Each function returns NULL without consuming anything when its
 * rule does not match (the caller restores p->mark), or NULL with
 * p->error set when parsing must stop.  Left-recursive rules are loops;
 * node positions run from the rule's first token to the last token it
 * consumed, as in CPython (so `(a).b` starts at the parenthesis).
 */

#include <stdint.h>
#include <string.h>

#include "pycore_parser_state.h"

#define TOK(i) (p->tokens[(i)])
#define POSARGS(pos) (pos).lineno, (pos).col_offset, (pos).end_lineno, \
                     (pos).end_col_offset, p->arena
#define EXTRA_FROM(start) POSARGS(_PyParser_Pos(p, (start)))

#define CHECK_ERROR() do { if (p->error) { return NULL; } } while (0)

static inline _PyToken *
peek(_PyParser *p)
{
    return _PyParser_Peek(p);
}

static inline int
at(_PyParser *p, int type)
{
    return _PyParser_Peek(p)->type == type;
}

static inline int
at_kw(_PyParser *p, int kw)
{
    _PyToken *t = _PyParser_Peek(p);
    return t->type == TOK_NAME && t->kw == kw;
}

static inline _PyToken *
expect(_PyParser *p, int type)
{
    return _PyParser_Expect(p, type);
}

static inline _PyToken *
expect_kw(_PyParser *p, int kw)
{
    return _PyParser_ExpectKeyword(p, kw);
}

/* Type of the token after the next one. */
static inline int
peek2_type(_PyParser *p)
{
    _PyToken *t = _PyParser_PeekAt(p, p->mark + 1);
    return t ? t->type : TOK_ERRORTOKEN;
}

int
_PyParser_IsName(_PyToken *t)
{
    return t->type == TOK_NAME && (t->kw == 0 || t->kw >= KW_FIRST_SOFT);
}

static expr_ty
name_expr(_PyParser *p, expr_context_ty ctx)
{
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t)) {
        return NULL;
    }
    p->mark++;
    identifier id = _PyParser_Identifier(p, t);
    if (id == NULL) {
        return NULL;
    }
    return _PyAST_Name(id, ctx, t->lineno, t->col_offset, t->end_lineno,
                       t->end_col_offset, p->arena);
}

typedef expr_ty (*rule_fn)(_PyParser *);

/* Run FN at the current position unless its result there is known. */
static expr_ty
memoized(_PyParser *p, int rule, rule_fn fn)
{
    int pos = p->mark;
    _PyMemo *m = _PyParser_MemoSlot(p, rule);
    if (m == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    if (m->known) {
        if (m->node != NULL) {
            p->mark = m->end;
        }
        return m->node;
    }
    expr_ty r = fn(p);
    if (p->error) {
        return NULL;
    }
    int end = p->mark;
    p->mark = pos;
    m = _PyParser_MemoSlot(p, rule);
    if (m == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    m->known = 1;
    m->node = r;
    m->end = end;
    p->mark = r != NULL ? end : pos;
    return r;
}

static int
push(_PyParser *p, _PySeqBuf *b, void *x)
{
    if (_PyParser_SeqPush(p, b, x) < 0) {
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Targets and contexts */

const char *
_PyParser_ExprName(expr_ty e)
{
    switch (e->kind) {
    case Attribute_kind: return "attribute";
    case Subscript_kind: return "subscript";
    case Starred_kind: return "starred";
    case Name_kind: return "name";
    case List_kind: return "list";
    case Tuple_kind: return "tuple";
    case Lambda_kind: return "lambda";
    case Call_kind: return "function call";
    case BoolOp_kind:
    case BinOp_kind:
    case UnaryOp_kind: return "expression";
    case GeneratorExp_kind: return "generator expression";
    case Yield_kind:
    case YieldFrom_kind: return "yield expression";
    case Await_kind: return "await expression";
    case ListComp_kind: return "list comprehension";
    case SetComp_kind: return "set comprehension";
    case DictComp_kind: return "dict comprehension";
    case Dict_kind: return "dict literal";
    case Set_kind: return "set display";
    case JoinedStr_kind:
    case FormattedValue_kind: return "f-string expression";
    case Constant_kind: {
        constant c = e->v.Constant.value;
        if (c->kind == _PyConst_NONE) {
            return "None";
        }
        if (c->kind == _PyConst_TRUE) {
            return "True";
        }
        if (c->kind == _PyConst_FALSE) {
            return "False";
        }
        if (c->kind == _PyConst_ELLIPSIS) {
            return "ellipsis";
        }
        return "literal";
    }
    case Compare_kind: return "comparison";
    case IfExp_kind: return "conditional expression";
    case NamedExpr_kind: return "named expression";
    default: return "expression";
    }
}

/* A copy of target E with context CTX (Tuple, List and Starred copied
   down to their leaves), or NULL if E is not a valid target.  Nodes are
   copied rather than changed because memoised subtrees may be shared by
   alternatives that were tried before. */
expr_ty
_PyParser_WithContext(_PyParser *p, expr_ty e, expr_context_ty ctx)
{
    expr_ty c = _PyArena_Malloc(p->arena, sizeof(*c));
    if (c == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    *c = *e;
    switch (e->kind) {
    case Name_kind:
        c->v.Name.ctx = ctx;
        return c;
    case Attribute_kind:
        c->v.Attribute.ctx = ctx;
        return c;
    case Subscript_kind:
        c->v.Subscript.ctx = ctx;
        return c;
    case Starred_kind:
        if (ctx == Del) {
            return NULL;
        }
        c->v.Starred.ctx = ctx;
        c->v.Starred.value = _PyParser_WithContext(p, e->v.Starred.value,
                                                   ctx);
        return c->v.Starred.value ? c : NULL;
    case Tuple_kind:
    case List_kind: {
        asdl_expr_seq *elts = e->kind == Tuple_kind ? e->v.Tuple.elts
                                                    : e->v.List.elts;
        Py_ssize_t n = asdl_seq_LEN(elts);
        asdl_expr_seq *ne =
            (asdl_expr_seq *)_Py_asdl_generic_seq_new(n, p->arena);
        if (ne == NULL) {
            return _PyParser_ErrorNoMem(p);
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            expr_ty x = _PyParser_WithContext(p, asdl_seq_GET(elts, i), ctx);
            if (x == NULL) {
                return NULL;
            }
            asdl_seq_SET(ne, i, x);
        }
        if (e->kind == Tuple_kind) {
            c->v.Tuple.elts = ne;
            c->v.Tuple.ctx = ctx;
        }
        else {
            c->v.List.elts = ne;
            c->v.List.ctx = ctx;
        }
        return c;
    }
    default:
        return NULL;
    }
}

/* The part of E that cannot be a target of kind KIND, as CPython finds it
   for its messages ("cannot assign to ..."), or NULL. */
expr_ty
_PyParser_InvalidTarget(expr_ty e, int kind)
{
    if (e == NULL) {
        return NULL;
    }
    switch (e->kind) {
    case List_kind:
    case Tuple_kind: {
        asdl_expr_seq *elts = e->kind == Tuple_kind ? e->v.Tuple.elts
                                                    : e->v.List.elts;
        for (Py_ssize_t i = 0; i < asdl_seq_LEN(elts); i++) {
            expr_ty bad = _PyParser_InvalidTarget(asdl_seq_GET(elts, i),
                                                  kind);
            if (bad != NULL) {
                return bad;
            }
        }
        return NULL;
    }
    case Starred_kind:
        if (kind == _PyPARSER_DEL_TARGETS) {
            return e;
        }
        return _PyParser_InvalidTarget(e->v.Starred.value, kind);
    case Compare_kind:
        /* `for a in b` parses as a comparison: look at its left side */
        if (kind == _PyPARSER_FOR_TARGETS) {
            if (asdl_seq_GET(e->v.Compare.ops, 0) == In) {
                return _PyParser_InvalidTarget(e->v.Compare.left, kind);
            }
            return NULL;
        }
        return e;
    case Name_kind:
    case Subscript_kind:
    case Attribute_kind:
        return NULL;
    default:
        return e;
    }
}

/* RAISE_SYNTAX_ERROR_INVALID_TARGET: "cannot assign to X" (or delete) at
   the offending part of E, else "invalid syntax" at the last token. */
void *
_PyParser_RaiseInvalidTarget(_PyParser *p, expr_ty e, int kind)
{
    expr_ty bad = _PyParser_InvalidTarget(e, kind);
    if (bad != NULL) {
        return _PyParser_ErrorAt(p, "SyntaxError", bad->lineno,
                                 bad->col_offset, bad->end_lineno,
                                 bad->end_col_offset,
                                 kind == _PyPARSER_DEL_TARGETS
                                 ? "cannot delete %s" : "cannot assign to %s",
                                 _PyParser_ExprName(bad));
    }
    return _PyParser_RaiseLast(p, "SyntaxError", "invalid syntax");
}

/* invalid_for_target: 'for' star_expressions, at the targets. */
void *
_PyParser_InvalidForTarget(_PyParser *p)
{
    expr_ty e = _PyParser_StarExpressions(p);
    if (e == NULL) {
        return NULL;
    }
    return _PyParser_RaiseInvalidTarget(p, e, _PyPARSER_FOR_TARGETS);
}

/* star_target: '*' (!'*' star_target) | target_with_star_atom */
expr_ty
_PyParser_StarTarget(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    expr_ty res = NULL;
    if (expect(p, TOK_STAR)) {
        if (!at(p, TOK_STAR)) {
            expr_ty t = _PyParser_StarTarget(p);
            if (t != NULL) {
                res = _PyAST_Starred(t, Store, EXTRA_FROM(start));
            }
        }
    }
    else {
        expr_ty e = _PyParser_Primary(p);
        if (e != NULL && e->kind != Starred_kind) {
            res = _PyParser_WithContext(p, e, Store);
        }
    }
    p->level--;
    if (res == NULL) {
        p->mark = start;
    }
    return res;
}

/* star_targets: star_target !',' | star_target (',' star_target)* [','] */
expr_ty
_PyParser_StarTargets(_PyParser *p)
{
    int start = p->mark;
    expr_ty first = _PyParser_StarTarget(p);
    if (first == NULL) {
        return NULL;
    }
    if (!at(p, TOK_COMMA)) {
        return first;
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0) {
        return NULL;
    }
    while (expect(p, TOK_COMMA)) {
        int save = p->mark;
        expr_ty t = _PyParser_StarTarget(p);
        CHECK_ERROR();
        if (t == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, &b, t) < 0) {
            return NULL;
        }
    }
    return _PyAST_Tuple((asdl_expr_seq *)_PyParser_SeqFinish(p, &b), Store,
                        EXTRA_FROM(start));
}

/* ---------------------------------------------------------------------- */
/* Comprehensions */

/* for_if_clauses: (ASYNC? 'for' star_targets 'in' ~ disjunction
                    ('if' disjunction)*)+ */
static asdl_comprehension_seq *
for_if_clauses(_PyParser *p)
{
    _PySeqBuf gens = {0};
    while (at_kw(p, KW_FOR) || (at_kw(p, KW_ASYNC)
                                && _PyParser_PeekAt(p, p->mark + 1)->kw
                                   == KW_FOR)) {
        int save = p->mark;
        int is_async = 0;
        if (expect_kw(p, KW_ASYNC)) {
            is_async = 1;
        }
        expect_kw(p, KW_FOR);
        expr_ty target = _PyParser_StarTargets(p);
        CHECK_ERROR();
        if (target == NULL || !expect_kw(p, KW_IN)) {
            p->mark = save;
            break;
        }
        expr_ty iter = _PyParser_Disjunction(p);
        CHECK_ERROR();
        if (iter == NULL) {
            /* the cut: no other alternative can match */
            p->mark = save;
            return NULL;
        }
        _PySeqBuf ifs = {0};
        while (at_kw(p, KW_IF)) {
            int s2 = p->mark;
            p->mark++;
            expr_ty cond = _PyParser_Disjunction(p);
            CHECK_ERROR();
            if (cond == NULL) {
                p->mark = s2;
                break;
            }
            if (push(p, &ifs, cond) < 0) {
                return NULL;
            }
        }
        comprehension_ty c = _PyAST_comprehension(
            target, iter, (asdl_expr_seq *)_PyParser_SeqFinish(p, &ifs),
            is_async, p->arena);
        if (c == NULL || push(p, &gens, c) < 0) {
            return _PyParser_ErrorNoMem(p);
        }
    }
    if (asdl_seq_LEN(gens.seq) == 0) {
        return NULL;
    }
    return (asdl_comprehension_seq *)_PyParser_SeqFinish(p, &gens);
}

static int
at_for(_PyParser *p)
{
    return at_kw(p, KW_FOR) || (at_kw(p, KW_ASYNC)
                                && _PyParser_PeekAt(p, p->mark + 1)->kw
                                   == KW_FOR);
}

/* ---------------------------------------------------------------------- */
/* Atoms */

/* Elements of a list, tuple or set display after the first, up to the
   closing token (not consumed). */
static int
more_elements(_PyParser *p, _PySeqBuf *b)
{
    while (expect(p, TOK_COMMA)) {
        int save = p->mark;
        expr_ty e = _PyParser_StarNamedExpression(p);
        if (p->error) {
            return -1;
        }
        if (e == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, b, e) < 0) {
            return -1;
        }
    }
    return 0;
}

/* '(' (tuple | group | genexp) */
static expr_ty
paren_atom(_PyParser *p)
{
    int start = p->mark;
    expect(p, TOK_LPAR);
    if (expect(p, TOK_RPAR)) {
        return _PyAST_Tuple((asdl_expr_seq *)_Py_asdl_generic_seq_new(0, p->arena),
                            Load, EXTRA_FROM(start));
    }
    if (at_kw(p, KW_YIELD)) {
        expr_ty y = _PyParser_YieldExpr(p);
        if (y != NULL && expect(p, TOK_RPAR)) {
            return y;
        }
        return NULL;
    }
    expr_ty first = _PyParser_StarNamedExpression(p);
    CHECK_ERROR();
    if (first == NULL) {
        return NULL;
    }
    if (first->kind != Starred_kind && at_for(p)) {
        asdl_comprehension_seq *gens = for_if_clauses(p);
        CHECK_ERROR();
        if (gens == NULL || !expect(p, TOK_RPAR)) {
            return NULL;
        }
        return _PyAST_GeneratorExp(first, gens, EXTRA_FROM(start));
    }
    if (at(p, TOK_COMMA)) {
        _PySeqBuf b = {0};
        if (push(p, &b, first) < 0 || more_elements(p, &b) < 0) {
            return NULL;
        }
        if (!expect(p, TOK_RPAR)) {
            return NULL;
        }
        return _PyAST_Tuple((asdl_expr_seq *)_PyParser_SeqFinish(p, &b), Load,
                            EXTRA_FROM(start));
    }
    if (first->kind == Starred_kind) {
        return NULL;
    }
    if (!expect(p, TOK_RPAR)) {
        return NULL;
    }
    return first;
}

/* '[' (list | listcomp) */
static expr_ty
list_atom(_PyParser *p)
{
    int start = p->mark;
    expect(p, TOK_LSQB);
    _PySeqBuf b = {0};
    if (!at(p, TOK_RSQB)) {
        expr_ty first = _PyParser_StarNamedExpression(p);
        CHECK_ERROR();
        if (first == NULL) {
            return NULL;
        }
        if (first->kind != Starred_kind && at_for(p)) {
            asdl_comprehension_seq *gens = for_if_clauses(p);
            CHECK_ERROR();
            if (gens == NULL || !expect(p, TOK_RSQB)) {
                return NULL;
            }
            return _PyAST_ListComp(first, gens, EXTRA_FROM(start));
        }
        if (push(p, &b, first) < 0 || more_elements(p, &b) < 0) {
            return NULL;
        }
    }
    if (!expect(p, TOK_RSQB)) {
        return NULL;
    }
    return _PyAST_List((asdl_expr_seq *)_PyParser_SeqFinish(p, &b), Load,
                       EXTRA_FROM(start));
}

/* double_starred_kvpair: '**' bitwise_or | expression ':' expression.
   Appends to KEYS (NULL for '**') and VALUES. */
static int
dict_item(_PyParser *p, _PySeqBuf *keys, _PySeqBuf *values)
{
    int save = p->mark;
    if (expect(p, TOK_DOUBLESTAR)) {
        expr_ty v = _PyParser_BitwiseOr(p);
        if (v == NULL) {
            p->mark = save;
            return 0;
        }
        if (push(p, keys, NULL) < 0 || push(p, values, v) < 0) {
            return -1;
        }
        return 1;
    }
    expr_ty k = _PyParser_Expression(p);
    if (k == NULL || !expect(p, TOK_COLON)) {
        p->mark = save;
        return p->error ? -1 : 0;
    }
    expr_ty v = _PyParser_Expression(p);
    if (v == NULL) {
        p->mark = save;
        return p->error ? -1 : 0;
    }
    if (push(p, keys, k) < 0 || push(p, values, v) < 0) {
        return -1;
    }
    return 1;
}

static expr_ty
dict_rest(_PyParser *p, int start, _PySeqBuf *keys, _PySeqBuf *values)
{
    while (expect(p, TOK_COMMA)) {
        int r = dict_item(p, keys, values);
        if (r < 0) {
            return NULL;
        }
        if (r == 0) {
            break;
        }
    }
    if (!expect(p, TOK_RBRACE)) {
        return NULL;
    }
    return _PyAST_Dict((asdl_expr_seq *)_PyParser_SeqFinish(p, keys),
                       (asdl_expr_seq *)_PyParser_SeqFinish(p, values),
                       EXTRA_FROM(start));
}

/* '{' (dict | set | dictcomp | setcomp) */
static expr_ty
brace_atom(_PyParser *p)
{
    int start = p->mark;
    expect(p, TOK_LBRACE);
    _PySeqBuf keys = {0}, values = {0};
    if (at(p, TOK_RBRACE)) {
        return dict_rest(p, start, &keys, &values);
    }
    if (at(p, TOK_DOUBLESTAR)) {
        int r = dict_item(p, &keys, &values);
        if (r <= 0) {
            return NULL;
        }
        return dict_rest(p, start, &keys, &values);
    }
    int save = p->mark;
    /* dict and dictcomp come first: expression ':' */
    expr_ty k = _PyParser_Expression(p);
    CHECK_ERROR();
    if (k != NULL && expect(p, TOK_COLON)) {
        expr_ty v = _PyParser_Expression(p);
        CHECK_ERROR();
        if (v == NULL) {
            return NULL;
        }
        if (at_for(p)) {
            asdl_comprehension_seq *gens = for_if_clauses(p);
            CHECK_ERROR();
            if (gens == NULL || !expect(p, TOK_RBRACE)) {
                return NULL;
            }
            return _PyAST_DictComp(k, v, gens, EXTRA_FROM(start));
        }
        if (push(p, &keys, k) < 0 || push(p, &values, v) < 0) {
            return NULL;
        }
        return dict_rest(p, start, &keys, &values);
    }
    p->mark = save;
    expr_ty first = _PyParser_StarNamedExpression(p);
    CHECK_ERROR();
    if (first == NULL) {
        return NULL;
    }
    if (first->kind != Starred_kind && at_for(p)) {
        asdl_comprehension_seq *gens = for_if_clauses(p);
        CHECK_ERROR();
        if (gens == NULL || !expect(p, TOK_RBRACE)) {
            return NULL;
        }
        return _PyAST_SetComp(first, gens, EXTRA_FROM(start));
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0 || more_elements(p, &b) < 0) {
        return NULL;
    }
    if (!expect(p, TOK_RBRACE)) {
        return NULL;
    }
    return _PyAST_Set((asdl_expr_seq *)_PyParser_SeqFinish(p, &b),
                      EXTRA_FROM(start));
}

static expr_ty
singleton(_PyParser *p, _PyConstKind kind)
{
    _PyToken *t = peek(p);
    p->mark++;
    constant c = _PyArena_Malloc(p->arena, sizeof(*c));
    if (c == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    return _PyAST_Constant(c, NULL, t->lineno, t->col_offset, t->end_lineno,
                           t->end_col_offset, p->arena);
}

static expr_ty
atom_impl(_PyParser *p)
{
    _PyToken *t = peek(p);
    switch (t->type) {
    case TOK_NAME:
        switch (t->kw) {
        case KW_TRUE:
            return singleton(p, _PyConst_TRUE);
        case KW_FALSE:
            return singleton(p, _PyConst_FALSE);
        case KW_NONE:
            return singleton(p, _PyConst_NONE);
        }
        return name_expr(p, Load);
    case TOK_STRING:
        return _PyParser_Strings(p);
    case TOK_NUMBER:
        p->mark++;
        return _PyParser_Number(p, t);
    case TOK_LPAR:
        return paren_atom(p);
    case TOK_LSQB:
        return list_atom(p);
    case TOK_LBRACE:
        return brace_atom(p);
    case TOK_ELLIPSIS:
        return singleton(p, _PyConst_ELLIPSIS);
    }
    return NULL;
}

expr_ty
_PyParser_Atom(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    expr_ty e = atom_impl(p);
    p->level--;
    if (e == NULL) {
        p->mark = start;
    }
    return e;
}

/* ---------------------------------------------------------------------- */
/* Primaries: attribute references, calls, subscriptions */

static expr_ty starred_expression(_PyParser *p);

/* slice: [expression] ':' [expression] [':' [expression]] |
          named_expression */
static expr_ty
slice(_PyParser *p)
{
    int start = p->mark;
    expr_ty lower = NULL, upper = NULL, step = NULL;
    if (!at(p, TOK_COLON)) {
        lower = _PyParser_Expression(p);
        CHECK_ERROR();
        if (!at(p, TOK_COLON)) {
            p->mark = start;
            return _PyParser_NamedExpression(p);
        }
    }
    expect(p, TOK_COLON);
    if (!at(p, TOK_COLON) && !at(p, TOK_COMMA) && !at(p, TOK_RSQB)) {
        int save = p->mark;
        upper = _PyParser_Expression(p);
        CHECK_ERROR();
        if (upper == NULL) {
            p->mark = save;
        }
    }
    if (expect(p, TOK_COLON)) {
        int save = p->mark;
        step = _PyParser_Expression(p);
        CHECK_ERROR();
        if (step == NULL) {
            p->mark = save;
        }
    }
    return _PyAST_Slice(lower, upper, step, EXTRA_FROM(start));
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static expr_ty
slices(_PyParser *p)
{
    int start = p->mark;
    expr_ty first;
    if (at(p, TOK_STAR)) {
        first = starred_expression(p);
    }
    else {
        first = slice(p);
        if (first != NULL && !at(p, TOK_COMMA)) {
            return first;
        }
    }
    if (first == NULL) {
        return NULL;
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0) {
        return NULL;
    }
    while (expect(p, TOK_COMMA)) {
        int save = p->mark;
        expr_ty e = at(p, TOK_STAR) ? starred_expression(p) : slice(p);
        CHECK_ERROR();
        if (e == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, &b, e) < 0) {
            return NULL;
        }
    }
    return _PyAST_Tuple((asdl_expr_seq *)_PyParser_SeqFinish(p, &b), Load,
                        EXTRA_FROM(start));
}

static expr_ty
primary_trailers(_PyParser *p, int start, expr_ty e)
{
    while (e != NULL) {
        _PyToken *t = peek(p);
        if (t->type == TOK_DOT) {
            int save = p->mark;
            p->mark++;
            _PyToken *n = peek(p);
            if (!_PyParser_IsName(n)) {
                p->mark = save;
                break;
            }
            p->mark++;
            identifier id = _PyParser_Identifier(p, n);
            if (id == NULL) {
                return NULL;
            }
            e = _PyAST_Attribute(e, id, Load, EXTRA_FROM(start));
        }
        else if (t->type == TOK_LPAR) {
            int save = p->mark;
            asdl_keyword_seq *kw = NULL;
            int genexp = 0;
            asdl_expr_seq *args = _PyParser_CallArgs(p, &kw, &genexp, start);
            CHECK_ERROR();
            if (args == NULL) {
                p->mark = save;
                break;
            }
            e = _PyAST_Call(e, args, kw, EXTRA_FROM(start));
        }
        else if (t->type == TOK_LSQB) {
            int save = p->mark;
            p->mark++;
            expr_ty s = slices(p);
            CHECK_ERROR();
            if (s == NULL || !expect(p, TOK_RSQB)) {
                p->mark = save;
                break;
            }
            e = _PyAST_Subscript(e, s, Load, EXTRA_FROM(start));
        }
        else {
            break;
        }
    }
    return e;
}

expr_ty
_PyParser_Primary(_PyParser *p)
{
    int start = p->mark;
    expr_ty e = _PyParser_Atom(p);
    if (e == NULL) {
        return NULL;
    }
    return primary_trailers(p, start, e);
}

/* ---------------------------------------------------------------------- */
/* Operators */

/* await_primary: AWAIT primary | primary */
static expr_ty
await_primary(_PyParser *p)
{
    int start = p->mark;
    if (expect_kw(p, KW_AWAIT)) {
        expr_ty e = _PyParser_Primary(p);
        if (e == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_Await(e, EXTRA_FROM(start));
    }
    return _PyParser_Primary(p);
}

static expr_ty factor(_PyParser *p);

/* power: await_primary '**' factor | await_primary */
static expr_ty
power(_PyParser *p)
{
    int start = p->mark;
    expr_ty left = await_primary(p);
    if (left == NULL) {
        return NULL;
    }
    if (at(p, TOK_DOUBLESTAR)) {
        int save = p->mark;
        p->mark++;
        expr_ty right = factor(p);
        CHECK_ERROR();
        if (right == NULL) {
            p->mark = save;
            return left;
        }
        return _PyAST_BinOp(left, Pow, right, EXTRA_FROM(start));
    }
    return left;
}

/* factor: '+' factor | '-' factor | '~' factor | power */
static expr_ty
factor_impl(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    unaryop_ty op;
    switch (t->type) {
    case TOK_PLUS: op = UAdd; break;
    case TOK_MINUS: op = USub; break;
    case TOK_TILDE: op = Invert; break;
    default:
        return power(p);
    }
    p->mark++;
    expr_ty operand = factor(p);
    if (operand == NULL) {
        p->mark = start;
        return NULL;
    }
    return _PyAST_UnaryOp(op, operand, EXTRA_FROM(start));
}

static expr_ty
factor(_PyParser *p)
{
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    expr_ty e = factor_impl(p);
    p->level--;
    return e;
}

/* Map a token to a binary operator of one precedence level, or 0. */
static int
term_op(int type)
{
    switch (type) {
    case TOK_STAR: return Mult;
    case TOK_SLASH: return Div;
    case TOK_DOUBLESLASH: return FloorDiv;
    case TOK_PERCENT: return Mod;
    case TOK_AT: return MatMult;
    }
    return 0;
}

static int
sum_op(int type)
{
    return type == TOK_PLUS ? Add : type == TOK_MINUS ? Sub : 0;
}

static int
shift_op(int type)
{
    return type == TOK_LEFTSHIFT ? LShift : type == TOK_RIGHTSHIFT ? RShift
           : 0;
}

static int
and_op(int type)
{
    return type == TOK_AMPER ? BitAnd : 0;
}

static int
xor_op(int type)
{
    return type == TOK_CIRCUMFLEX ? BitXor : 0;
}

static int
or_op(int type)
{
    return type == TOK_VBAR ? BitOr : 0;
}

/* A left-associative level: operand (op operand)* */
static expr_ty
binary_level(_PyParser *p, rule_fn operand, int (*opof)(int))
{
    int start = p->mark;
    expr_ty left = operand(p);
    if (left == NULL) {
        return NULL;
    }
    while (1) {
        int op = opof(peek(p)->type);
        if (op == 0) {
            break;
        }
        int save = p->mark;
        p->mark++;
        expr_ty right = operand(p);
        CHECK_ERROR();
        if (right == NULL) {
            p->mark = save;
            break;
        }
        left = _PyAST_BinOp(left, (operator_ty)op, right, EXTRA_FROM(start));
        if (left == NULL) {
            return _PyParser_ErrorNoMem(p);
        }
    }
    return left;
}

static expr_ty
term(_PyParser *p)
{
    return binary_level(p, factor, term_op);
}

static expr_ty
sum(_PyParser *p)
{
    return binary_level(p, term, sum_op);
}

static expr_ty
shift_expr(_PyParser *p)
{
    return binary_level(p, sum, shift_op);
}

static expr_ty
bitwise_and(_PyParser *p)
{
    return binary_level(p, shift_expr, and_op);
}

static expr_ty
bitwise_xor(_PyParser *p)
{
    return binary_level(p, bitwise_and, xor_op);
}

static expr_ty
bitwise_or_impl(_PyParser *p)
{
    return binary_level(p, bitwise_xor, or_op);
}

expr_ty
_PyParser_BitwiseOr(_PyParser *p)
{
    return memoized(p, _PyMEMO_BITWISE_OR, bitwise_or_impl);
}

/* Comparison operator at the current position; sets *WIDTH to the number
   of tokens it takes. */
static int
compare_op(_PyParser *p, int *width)
{
    _PyToken *t = peek(p);
    *width = 1;
    switch (t->type) {
    case TOK_EQEQUAL: return Eq;
    case TOK_NOTEQUAL:
        /* '<>' is only accepted under barry_as_FLUFL */
        if (t->end - t->start == 2 && t->start[0] == '<') {
            return 0;
        }
        return NotEq;
    case TOK_LESSEQUAL: return LtE;
    case TOK_LESS: return Lt;
    case TOK_GREATEREQUAL: return GtE;
    case TOK_GREATER: return Gt;
    case TOK_NAME:
        if (t->kw == KW_IN) {
            return In;
        }
        if (t->kw == KW_NOT) {
            if (_PyParser_PeekAt(p, p->mark + 1)->kw == KW_IN) {
                *width = 2;
                return NotIn;
            }
            return 0;
        }
        if (t->kw == KW_IS) {
            _PyToken *n = _PyParser_PeekAt(p, p->mark + 1);
            if (n->type == TOK_NAME && n->kw == KW_NOT) {
                *width = 2;
                return IsNot;
            }
            return Is;
        }
    }
    return 0;
}

static expr_ty
comparison(_PyParser *p)
{
    int start = p->mark;
    expr_ty left = _PyParser_BitwiseOr(p);
    if (left == NULL) {
        return NULL;
    }
    _PySeqBuf ops = {0}, comps = {0};
    int nops = 0;
    int opv[16];
    while (1) {
        int width;
        int op = compare_op(p, &width);
        if (op == 0) {
            break;
        }
        int save = p->mark;
        p->mark += width;
        expr_ty right = _PyParser_BitwiseOr(p);
        CHECK_ERROR();
        if (right == NULL) {
            p->mark = save;
            break;
        }
        if (nops < 16) {
            opv[nops] = op;
        }
        else if (push(p, &ops, (void *)(intptr_t)op) < 0) {
            return NULL;
        }
        nops++;
        if (push(p, &comps, right) < 0) {
            return NULL;
        }
    }
    if (nops == 0) {
        return left;
    }
    asdl_int_seq *ops_seq = _Py_asdl_int_seq_new(nops, p->arena);
    if (ops_seq == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    for (int i = 0; i < nops; i++) {
        ops_seq->typed_elements[i] = i < 16 ? opv[i]
            : (int)(intptr_t)ops.seq->elements[i - 16];
    }
    return _PyAST_Compare(left, ops_seq,
                          (asdl_expr_seq *)_PyParser_SeqFinish(p, &comps),
                          EXTRA_FROM(start));
}

/* inversion: 'not' inversion | comparison */
static expr_ty
inversion(_PyParser *p)
{
    int start = p->mark;
    if (at_kw(p, KW_NOT)) {
        if (_PyParser_EnterRecursion(p) < 0) {
            return NULL;
        }
        p->mark++;
        expr_ty e = inversion(p);
        p->level--;
        if (e == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_UnaryOp(Not, e, EXTRA_FROM(start));
    }
    return comparison(p);
}

static expr_ty
bool_level(_PyParser *p, rule_fn operand, int kw, boolop_ty op)
{
    int start = p->mark;
    expr_ty first = operand(p);
    if (first == NULL || !at_kw(p, kw)) {
        return first;
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0) {
        return NULL;
    }
    while (at_kw(p, kw)) {
        int save = p->mark;
        p->mark++;
        expr_ty e = operand(p);
        CHECK_ERROR();
        if (e == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, &b, e) < 0) {
            return NULL;
        }
    }
    if (b.seq->size == 1) {
        return first;
    }
    return _PyAST_BoolOp(op, (asdl_expr_seq *)_PyParser_SeqFinish(p, &b),
                         EXTRA_FROM(start));
}

static expr_ty
conjunction(_PyParser *p)
{
    return bool_level(p, inversion, KW_AND, And);
}

static expr_ty
disjunction_impl(_PyParser *p)
{
    return bool_level(p, conjunction, KW_OR, Or);
}

expr_ty
_PyParser_Disjunction(_PyParser *p)
{
    return memoized(p, _PyMEMO_DISJUNCTION, disjunction_impl);
}

/* ---------------------------------------------------------------------- */
/* Expressions */

static expr_ty lambdef(_PyParser *p);

static expr_ty
expression_impl(_PyParser *p)
{
    int start = p->mark;
    if (at_kw(p, KW_LAMBDA)) {
        return lambdef(p);
    }
    expr_ty body = _PyParser_Disjunction(p);
    if (body == NULL) {
        return NULL;
    }
    if (at_kw(p, KW_IF)) {
        int save = p->mark;
        p->mark++;
        expr_ty test = _PyParser_Disjunction(p);
        CHECK_ERROR();
        if (test != NULL && expect_kw(p, KW_ELSE)) {
            expr_ty orelse = _PyParser_Expression(p);
            CHECK_ERROR();
            if (orelse != NULL) {
                return _PyAST_IfExp(test, body, orelse, EXTRA_FROM(start));
            }
        }
        p->mark = save;
    }
    return body;
}

/* expression: disjunction 'if' disjunction 'else' expression
             | disjunction | lambdef */
static expr_ty
expression_guarded(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    expr_ty e = expression_impl(p);
    p->level--;
    if (e == NULL) {
        p->mark = start;
    }
    return e;
}

expr_ty
_PyParser_Expression(_PyParser *p)
{
    return memoized(p, _PyMEMO_EXPRESSION, expression_guarded);
}

/* named_expression: NAME ':=' ~ expression | expression !':=' */
static expr_ty
named_expression_impl(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_IsName(peek(p)) && peek2_type(p) == TOK_COLONEQUAL) {
        expr_ty target = name_expr(p, Store);
        if (target == NULL) {
            return NULL;
        }
        p->mark++;
        expr_ty value = _PyParser_Expression(p);
        if (value == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_NamedExpr(target, value, EXTRA_FROM(start));
    }
    expr_ty e = _PyParser_Expression(p);
    if (e != NULL && at(p, TOK_COLONEQUAL)) {
        p->mark = start;
        return NULL;
    }
    return e;
}

expr_ty
_PyParser_NamedExpression(_PyParser *p)
{
    return memoized(p, _PyMEMO_NAMED_EXPRESSION, named_expression_impl);
}

/* star_named_expression: '*' bitwise_or | named_expression */
expr_ty
_PyParser_StarNamedExpression(_PyParser *p)
{
    int start = p->mark;
    if (expect(p, TOK_STAR)) {
        expr_ty e = _PyParser_BitwiseOr(p);
        if (e == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_Starred(e, Load, EXTRA_FROM(start));
    }
    return _PyParser_NamedExpression(p);
}

/* star_expression: '*' bitwise_or | expression */
static expr_ty
star_expression(_PyParser *p)
{
    int start = p->mark;
    if (expect(p, TOK_STAR)) {
        expr_ty e = _PyParser_BitwiseOr(p);
        if (e == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_Starred(e, Load, EXTRA_FROM(start));
    }
    return _PyParser_Expression(p);
}

/* A comma-separated list of ITEM making a tuple when there is a comma. */
static expr_ty
tuple_of(_PyParser *p, rule_fn item)
{
    int start = p->mark;
    expr_ty first = item(p);
    if (first == NULL || !at(p, TOK_COMMA)) {
        return first;
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0) {
        return NULL;
    }
    while (expect(p, TOK_COMMA)) {
        int save = p->mark;
        expr_ty e = item(p);
        CHECK_ERROR();
        if (e == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, &b, e) < 0) {
            return NULL;
        }
    }
    return _PyAST_Tuple((asdl_expr_seq *)_PyParser_SeqFinish(p, &b), Load,
                        EXTRA_FROM(start));
}

/* star_expressions: star_expression (',' star_expression)* [','] */
expr_ty
_PyParser_StarExpressions(_PyParser *p)
{
    return tuple_of(p, star_expression);
}

/* expressions: expression (',' expression)* [','] */
expr_ty
_PyParser_Expressions(_PyParser *p)
{
    return tuple_of(p, _PyParser_Expression);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
expr_ty
_PyParser_YieldExpr(_PyParser *p)
{
    int start = p->mark;
    if (!expect_kw(p, KW_YIELD)) {
        return NULL;
    }
    if (expect_kw(p, KW_FROM)) {
        expr_ty e = _PyParser_Expression(p);
        if (e == NULL) {
            p->mark = start;
            return NULL;
        }
        return _PyAST_YieldFrom(e, EXTRA_FROM(start));
    }
    int save = p->mark;
    expr_ty value = _PyParser_StarExpressions(p);
    CHECK_ERROR();
    if (value == NULL) {
        p->mark = save;
    }
    return _PyAST_Yield(value, EXTRA_FROM(start));
}

/* starred_expression: '*' expression */
static expr_ty
starred_expression(_PyParser *p)
{
    int start = p->mark;
    if (!expect(p, TOK_STAR)) {
        return NULL;
    }
    expr_ty e = _PyParser_Expression(p);
    if (e == NULL) {
        p->mark = start;
        return NULL;
    }
    return _PyAST_Starred(e, Load, EXTRA_FROM(start));
}

/* ---------------------------------------------------------------------- */
/* Call arguments */

/* '(' [arguments] ')' or, when IS_GENEXP is set on return, a generator
   expression as the sole argument.  START is the primary's first token,
   needed for nothing but symmetry with the grammar. */
asdl_expr_seq *
_PyParser_CallArgs(_PyParser *p, asdl_keyword_seq **kwout, int *is_genexp,
                   int start)
{
    (void)start;
    int lpar = p->mark;
    if (!expect(p, TOK_LPAR)) {
        return NULL;
    }
    _PySeqBuf args = {0}, kws = {0};
    int seen_kw = 0, seen_dstar = 0;
    int n = 0;
    while (!at(p, TOK_RPAR)) {
        int item = p->mark;
        _PyToken *t = peek(p);
        if (t->type == TOK_STAR) {
            expr_ty e = starred_expression(p);
            if (e == NULL) {
                return NULL;
            }
            if (seen_dstar) {
                return NULL;
            }
            if (push(p, &args, e) < 0) {
                return NULL;
            }
        }
        else if (t->type == TOK_DOUBLESTAR) {
            p->mark++;
            expr_ty e = _PyParser_Expression(p);
            if (e == NULL) {
                return NULL;
            }
            keyword_ty k = _PyAST_keyword(NULL, e, EXTRA_FROM(item));
            if (k == NULL || push(p, &kws, k) < 0) {
                return NULL;
            }
            seen_kw = seen_dstar = 1;
        }
        else if (_PyParser_IsName(t) && peek2_type(p) == TOK_EQUAL) {
            p->mark += 2;
            expr_ty e = _PyParser_Expression(p);
            if (e == NULL) {
                return NULL;
            }
            identifier id = _PyParser_Identifier(p, t);
            if (id == NULL) {
                return NULL;
            }
            keyword_ty k = _PyAST_keyword(id, e, EXTRA_FROM(item));
            if (k == NULL || push(p, &kws, k) < 0) {
                return NULL;
            }
            seen_kw = 1;
        }
        else {
            expr_ty e = _PyParser_NamedExpression(p);
            if (e == NULL) {
                return NULL;
            }
            if (n == 0 && at_for(p)) {
                asdl_comprehension_seq *gens = for_if_clauses(p);
                if (gens == NULL || !at(p, TOK_RPAR)) {
                    return NULL;
                }
                p->mark++;
                expr_ty g = _PyAST_GeneratorExp(e, gens, EXTRA_FROM(lpar));
                if (g == NULL || push(p, &args, g) < 0) {
                    return NULL;
                }
                *is_genexp = 1;
                *kwout = (asdl_keyword_seq *)_PyParser_SeqFinish(p, &kws);
                return (asdl_expr_seq *)_PyParser_SeqFinish(p, &args);
            }
            if (seen_kw || at(p, TOK_EQUAL)) {
                return NULL;
            }
            if (push(p, &args, e) < 0) {
                return NULL;
            }
        }
        n++;
        if (!expect(p, TOK_COMMA)) {
            break;
        }
    }
    if (!expect(p, TOK_RPAR)) {
        return NULL;
    }
    *kwout = (asdl_keyword_seq *)_PyParser_SeqFinish(p, &kws);
    return (asdl_expr_seq *)_PyParser_SeqFinish(p, &args);
}

/* ---------------------------------------------------------------------- */
/* Parameters */

/* param: NAME [annotation] [default]; for '*' a starred annotation is
   allowed.  Lambda parameters have no annotations. */
static arg_ty
param(_PyParser *p, int is_lambda, int star, expr_ty *deflt)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t)) {
        return NULL;
    }
    p->mark++;
    identifier id = _PyParser_Identifier(p, t);
    if (id == NULL) {
        return NULL;
    }
    expr_ty ann = NULL;
    if (!is_lambda && at(p, TOK_COLON)) {
        int save = p->mark;
        p->mark++;
        ann = star ? star_expression(p) : _PyParser_Expression(p);
        CHECK_ERROR();
        if (ann == NULL) {
            p->mark = save;
            return NULL;
        }
    }
    arg_ty a = _PyAST_arg(id, ann, NULL, EXTRA_FROM(start));
    if (a == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    *deflt = NULL;
    if (deflt != NULL && at(p, TOK_EQUAL)) {
        p->mark++;
        *deflt = _PyParser_Expression(p);
        if (*deflt == NULL) {
            return NULL;
        }
    }
    return a;
}

static int
params_end(_PyParser *p, int is_lambda)
{
    return at(p, is_lambda ? TOK_COLON : TOK_RPAR);
}

/* parameters / lambda_parameters.  Returns NULL when the list is not
   valid; the caller reports the generic error. */
arguments_ty
_PyParser_Params(_PyParser *p, int is_lambda)
{
    _PySeqBuf posonly = {0}, args = {0}, defaults = {0};
    _PySeqBuf kwonly = {0}, kwdefaults = {0};
    arg_ty vararg = NULL, kwarg = NULL;
    int seen_slash = 0, seen_star = 0, seen_default = 0;
    while (!params_end(p, is_lambda)) {
        if (at(p, TOK_SLASH)) {
            if (seen_slash || seen_star || asdl_seq_LEN(args.seq) == 0) {
                return NULL;
            }
            p->mark++;
            posonly = args;
            args.seq = NULL;
            args.cap = 0;
            seen_slash = 1;
        }
        else if (at(p, TOK_STAR)) {
            if (seen_star) {
                return NULL;
            }
            p->mark++;
            seen_star = 1;
            if (!at(p, TOK_COMMA)) {
                expr_ty d;
                vararg = param(p, is_lambda, 1, &d);
                if (vararg == NULL || d != NULL) {
                    return NULL;
                }
            }
            else if (peek2_type(p) == (is_lambda ? TOK_COLON : TOK_RPAR)
                     || peek2_type(p) == TOK_DOUBLESTAR) {
                return NULL;    /* named arguments must follow bare * */
            }
        }
        else if (at(p, TOK_DOUBLESTAR)) {
            p->mark++;
            expr_ty d;
            kwarg = param(p, is_lambda, 0, &d);
            if (kwarg == NULL || d != NULL) {
                return NULL;
            }
            expect(p, TOK_COMMA);
            if (!params_end(p, is_lambda)) {
                return NULL;
            }
            break;
        }
        else {
            expr_ty d;
            arg_ty a = param(p, is_lambda, 0, &d);
            if (a == NULL) {
                return NULL;
            }
            if (seen_star) {
                if (push(p, &kwonly, a) < 0 || push(p, &kwdefaults, d) < 0) {
                    return NULL;
                }
            }
            else {
                if (d != NULL) {
                    seen_default = 1;
                    if (push(p, &defaults, d) < 0) {
                        return NULL;
                    }
                }
                else if (seen_default) {
                    return NULL;
                }
                if (push(p, &args, a) < 0) {
                    return NULL;
                }
            }
        }
        if (!expect(p, TOK_COMMA)) {
            break;
        }
    }
    if (!params_end(p, is_lambda)) {
        return NULL;
    }
    if (seen_star && vararg == NULL && asdl_seq_LEN(kwonly.seq) == 0) {
        return NULL;
    }
    arguments_ty r = _PyAST_arguments(
        (asdl_arg_seq *)_PyParser_SeqFinish(p, &posonly),
        (asdl_arg_seq *)_PyParser_SeqFinish(p, &args), vararg,
        (asdl_arg_seq *)_PyParser_SeqFinish(p, &kwonly),
        (asdl_expr_seq *)_PyParser_SeqFinish(p, &kwdefaults), kwarg,
        (asdl_expr_seq *)_PyParser_SeqFinish(p, &defaults), p->arena);
    if (r == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    return r;
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static expr_ty
lambdef(_PyParser *p)
{
    int start = p->mark;
    expect_kw(p, KW_LAMBDA);
    arguments_ty args = _PyParser_Params(p, 1);
    CHECK_ERROR();
    if (args == NULL || !expect(p, TOK_COLON)) {
        p->mark = start;
        return NULL;
    }
    expr_ty body = _PyParser_Expression(p);
    if (body == NULL) {
        p->mark = start;
        return NULL;
    }
    return _PyAST_Lambda(args, body, EXTRA_FROM(start));
}
