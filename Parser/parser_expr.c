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

#define NODE_RANGE(a, b) (a)->lineno, (a)->col_offset, (b)->end_lineno, \
                         (b)->end_col_offset

static expr_ty starred_expression(_PyParser *p);
static expr_ty expression_without_invalid(_PyParser *p);
static asdl_expr_seq *call_args(_PyParser *p, asdl_keyword_seq **kwout,
                                int *is_genexp);
static void *error_range(_PyParser *p, int l1, int c1, int l2, int c2,
                         const char *fmt, const char *arg);

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
   the offending part of E; nothing when every part is a valid target. */
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
    return NULL;
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
        int tstart = p->mark;
        expr_ty target = _PyParser_StarTargets(p);
        CHECK_ERROR();
        if (target == NULL || !expect_kw(p, KW_IN)) {
            if (p->invalid_pass) {
                p->mark = tstart;
                _PyParser_InvalidForTarget(p);
                CHECK_ERROR();
            }
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

/* invalid_comprehension, after the first element FIRST of a display:
   "iterable unpacking cannot be used in comprehension" and, for lists and
   sets (BRACKETS), a tuple target without parentheses. */
static int
invalid_comprehension(_PyParser *p, expr_ty first, int brackets)
{
    int save = p->mark;
    if (first->kind == Starred_kind && at_for(p)) {
        if (for_if_clauses(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", first->lineno,
                              first->col_offset, first->end_lineno,
                              first->end_col_offset, "iterable unpacking "
                              "cannot be used in comprehension");
            return -1;
        }
        if (p->error) {
            return -1;
        }
    }
    p->mark = save;
    if (brackets && at(p, TOK_COMMA)) {
        _PyToken *comma = peek(p);
        p->mark++;
        expr_ty last = NULL;
        while (1) {
            int s2 = p->mark;
            expr_ty e = _PyParser_StarNamedExpression(p);
            if (p->error) {
                return -1;
            }
            if (e == NULL) {
                p->mark = s2;
                break;
            }
            last = e;
            if (!at(p, TOK_COMMA)) {
                break;
            }
            p->mark++;
        }
        if (at_for(p) && for_if_clauses(p) != NULL) {
            if (last != NULL) {
                error_range(p, NODE_RANGE(first, last), "%s", "did you "
                            "forget parentheses around the comprehension "
                            "target?");
            }
            else {
                _PyParser_ErrorAt(p, "SyntaxError", first->lineno,
                                  first->col_offset, comma->end_lineno,
                                  comma->end_col_offset, "did you forget "
                                  "parentheses around the comprehension "
                                  "target?");
            }
            return -1;
        }
        if (p->error) {
            return -1;
        }
    }
    p->mark = save;
    return 0;
}

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
        if (p->invalid_pass && expect(p, TOK_DOUBLESTAR)
            && _PyParser_Expression(p) != NULL && at(p, TOK_RPAR)) {
            _PyToken *ds = p->tokens[start + 1];
            return _PyParser_ErrorToken(p, ds, "cannot use double starred "
                                        "expression here");
        }
        return NULL;
    }
    if (p->invalid_pass && invalid_comprehension(p, first, 0) < 0) {
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
        if (p->invalid_pass && at(p, TOK_RPAR)) {
            return _PyParser_ErrorAt(p, "SyntaxError", first->lineno,
                                     first->col_offset, first->end_lineno,
                                     first->end_col_offset,
                                     "cannot use starred expression here");
        }
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
        if (p->invalid_pass && invalid_comprehension(p, first, 1) < 0) {
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

/* invalid_kvpair at the current item of a dict display (second pass):
   a key with no ':' (KEY_CHECK, only after a first item), a starred
   value, or a ':' with no value.  CPython reports the missing ':' before
   any error inside such a key ({a: 1, b c} says "':' expected after
   dictionary key"), as if the key had been parsed without the second
   pass's rules; so it is here. */
static void
invalid_kvpair(_PyParser *p, int key_check)
{
    int start = p->mark;
    if (key_check) {
        expr_ty a = expression_without_invalid(p);
        if (a != NULL && !at(p, TOK_COLON)) {
            _PyParser_ErrorAt(p, "SyntaxError", a->lineno,
                              a->end_col_offset - 1, a->end_lineno, -1,
                              "':' expected after dictionary key");
            return;
        }
        if (p->error) {
            return;
        }
        p->mark = start;
    }
    expr_ty a = _PyParser_Expression(p);
    if (a != NULL && expect(p, TOK_COLON)) {
        _PyToken *colon = p->tokens[p->mark - 1];
        if (at(p, TOK_STAR)) {
            _PyToken *star = peek(p);
            p->mark++;
            if (_PyParser_BitwiseOr(p) != NULL) {
                _PyPos pos = _PyParser_Pos(p, p->mark - 1);
                _PyParser_ErrorAt(p, "SyntaxError", star->lineno,
                                  star->col_offset, pos.end_lineno,
                                  pos.end_col_offset, "cannot use a starred "
                                  "expression in a dictionary value");
                return;
            }
        }
        else if (at(p, TOK_RBRACE) || at(p, TOK_COMMA)) {
            _PyParser_ErrorToken(p, colon, "expression expected after "
                                 "dictionary key and ':'");
            return;
        }
    }
    p->mark = start;
}

static expr_ty
dict_rest(_PyParser *p, int start, _PySeqBuf *keys, _PySeqBuf *values)
{
    while (expect(p, TOK_COMMA)) {
        if (p->invalid_pass) {
            invalid_kvpair(p, 1);
            CHECK_ERROR();
        }
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
        _PyToken *ds = peek(p);
        int r = dict_item(p, &keys, &values);
        if (r <= 0) {
            return NULL;
        }
        if (p->invalid_pass && at_for(p)) {
            if (for_if_clauses(p) != NULL && at(p, TOK_RBRACE)) {
                return _PyParser_ErrorToken(p, ds, "dict unpacking cannot be "
                                            "used in dict comprehension");
            }
            CHECK_ERROR();
            return NULL;
        }
        return dict_rest(p, start, &keys, &values);
    }
    int save = p->mark;
    if (p->invalid_pass) {
        invalid_kvpair(p, 0);
        CHECK_ERROR();
    }
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
    if (p->invalid_pass && invalid_comprehension(p, first, 1) < 0) {
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
    case TOK_LSQB:
    case TOK_LBRACE: {
        if (_PyParser_EnterRecursionN(p, _PyPARSER_BRACKET_LEVELS) < 0) {
            return NULL;
        }
        expr_ty e = t->type == TOK_LPAR ? paren_atom(p)
                    : t->type == TOK_LSQB ? list_atom(p) : brace_atom(p);
        p->level -= _PyPARSER_BRACKET_LEVELS;
        return e;
    }
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
            asdl_expr_seq *args = _PyParser_CallArgs(p, &kw, &genexp);
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

static expr_ty
primary_impl(_PyParser *p)
{
    int start = p->mark;
    expr_ty e = _PyParser_Atom(p);
    if (e == NULL) {
        return NULL;
    }
    return primary_trailers(p, start, e);
}

/* primary, memoised as CPython's left-recursive rule is: targets,
   comprehensions and the second pass's alternatives re-parse the same
   primaries (nested calls would otherwise cost exponential time). */
expr_ty
_PyParser_Primary(_PyParser *p)
{
    return memoized(p, _PyMEMO_PRIMARY, primary_impl);
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
        /* CPython's grammar descends two rules per '**' */
        if (_PyParser_EnterRecursion(p) < 0) {
            return NULL;
        }
        expr_ty right = factor(p);
        p->level--;
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

static int
is_legacy_name(expr_ty e)
{
    return e->kind == Name_kind && (strcmp(e->v.Name.id, "print") == 0
                                    || strcmp(e->v.Name.id, "exec") == 0);
}

static void *
error_range(_PyParser *p, int l1, int c1, int l2, int c2, const char *fmt,
            const char *arg)
{
    return _PyParser_ErrorAt(p, "SyntaxError", l1, c1, l2, c2, fmt, arg);
}

/* CPython 3.11 tests for a soft keyword by comparing only as many bytes
   as the NAME has, so any prefix of "match", "case" or "_" counts. */
static int
soft_keyword_prefix(_PyToken *t)
{
    static const char *const soft[] = {"match", "case", "_"};
    size_t n = (size_t)(t->end - t->start);
    for (int i = 0; i < 3; i++) {
        if (n <= strlen(soft[i]) && strncmp(soft[i], t->start, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Second pass, before an expression: invalid_expression ("Perhaps you
   forgot a comma?", "expected 'else' after 'if' expression") and
   invalid_legacy_expression (print "x"). */
static void
invalid_expression(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    int skip = _PyParser_IsName(t) && (soft_keyword_prefix(t)
                                       || peek2_type(p) == TOK_STRING);
    if (!skip) {
        expr_ty a = _PyParser_Disjunction(p);
        if (a != NULL) {
            expr_ty b = expression_without_invalid(p);
            if (b != NULL && !is_legacy_name(a)
                && p->tokens[p->mark - 1]->level != 0) {
                error_range(p, NODE_RANGE(a, b), "%s", "invalid syntax. "
                            "Perhaps you forgot a comma?");
                return;
            }
        }
        if (p->error) {
            return;
        }
        p->mark = start;
    }
    expr_ty a = _PyParser_Disjunction(p);
    if (a != NULL && expect_kw(p, KW_IF)) {
        expr_ty b = _PyParser_Disjunction(p);
        if (b != NULL && !at_kw(p, KW_ELSE) && !at(p, TOK_COLON)) {
            error_range(p, NODE_RANGE(a, b), "%s", "expected 'else' after "
                        "'if' expression");
            return;
        }
    }
    if (p->error) {
        return;
    }
    p->mark = start;
    t = peek(p);
    if (_PyParser_IsName(t) && peek2_type(p) != TOK_LPAR) {
        /* invalid_legacy_expression: NAME !'(' star_expressions, the name
           being checked only after the expressions parsed (whose own
           second-pass rules may raise first) */
        size_t n = (size_t)(t->end - t->start);
        p->mark++;
        expr_ty b = _PyParser_StarExpressions(p);
        if (p->error) {
            return;
        }
        if ((n == 5 && memcmp(t->start, "print", 5) == 0)
            || (n == 4 && memcmp(t->start, "exec", 4) == 0)) {
            if (b != NULL) {
                char name[8];
                memcpy(name, t->start, n);
                name[n] = '\0';
                _PyParser_ErrorAt(p, "SyntaxError", t->lineno, t->col_offset,
                                  b->end_lineno, b->end_col_offset,
                                  "Missing parentheses in call to '%s'. Did "
                                  "you mean %s(...)?", name, name);
                return;
            }
        }
    }
    p->mark = start;
}

static expr_ty expression_guarded(_PyParser *p);

/* expression_without_invalid: an expression parsed with the invalid_*
   rules off; it is not memoised itself, the rules below it are. */
static expr_ty
expression_without_invalid(_PyParser *p)
{
    int saved = p->invalid_pass;
    p->invalid_pass = 0;
    expr_ty e = expression_guarded(p);
    p->invalid_pass = saved;
    return e;
}

static expr_ty
expression_impl(_PyParser *p)
{
    int start = p->mark;
    if (p->invalid_pass) {
        invalid_expression(p);
        CHECK_ERROR();
    }
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

/* Is a whole list, tuple or generator expression (or a singleton) next?
   invalid_named_expression leaves those to other rules. */
static int
at_display_or_singleton(_PyParser *p)
{
    _PyToken *t = peek(p);
    if (t->type == TOK_NAME) {
        return t->kw == KW_TRUE || t->kw == KW_NONE || t->kw == KW_FALSE;
    }
    if (t->type != TOK_LPAR && t->type != TOK_LSQB) {
        return 0;
    }
    int start = p->mark;
    expr_ty a = _PyParser_Atom(p);
    p->mark = start;
    return a != NULL && (a->kind == List_kind || a->kind == Tuple_kind
                         || a->kind == GeneratorExp_kind);
}

static void
invalid_named_expression(_PyParser *p)
{
    int start = p->mark;
    expr_ty a = _PyParser_Expression(p);
    if (a != NULL && expect(p, TOK_COLONEQUAL)
        && _PyParser_Expression(p) != NULL) {
        _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                          a->end_lineno, a->end_col_offset,
                          "cannot use assignment expressions with %s",
                          _PyParser_ExprName(a));
        return;
    }
    if (p->error) {
        return;
    }
    p->mark = start;
    _PyToken *t = peek(p);
    if (_PyParser_IsName(t) && peek2_type(p) == TOK_EQUAL) {
        p->mark += 2;
        expr_ty b = _PyParser_BitwiseOr(p);
        if (b != NULL && !at(p, TOK_EQUAL) && !at(p, TOK_COLONEQUAL)) {
            _PyParser_ErrorAt(p, "SyntaxError", t->lineno, t->col_offset,
                              b->end_lineno, b->end_col_offset,
                              "invalid syntax. Maybe you meant '==' or ':=' "
                              "instead of '='?");
            return;
        }
        if (p->error) {
            return;
        }
        p->mark = start;
    }
    if (!at_display_or_singleton(p)) {
        a = _PyParser_BitwiseOr(p);
        if (a != NULL && expect(p, TOK_EQUAL)) {
            expr_ty b = _PyParser_BitwiseOr(p);
            if (b != NULL && !at(p, TOK_EQUAL) && !at(p, TOK_COLONEQUAL)) {
                _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                                  a->end_lineno, a->end_col_offset,
                                  "cannot assign to %s here. Maybe you meant "
                                  "'==' instead of '='?",
                                  _PyParser_ExprName(a));
                return;
            }
        }
    }
    p->mark = start;
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
    if (p->invalid_pass) {
        invalid_named_expression(p);
        CHECK_ERROR();
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
    /* CPython does not memoise named_expression; only the first pass may,
       where no rule behaves differently on a second visit */
    if (p->second_pass) {
        int start = p->mark;
        expr_ty e = named_expression_impl(p);
        if (e == NULL) {
            p->mark = start;
        }
        return e;
    }
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

/* assignment_expression | expression !':=' (what a call's positional
   argument and a generator's element are; no invalid_named_expression) */
static expr_ty
assignment_or_expression(_PyParser *p)
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

static expr_ty
last_comprehension_item(asdl_comprehension_seq *gens)
{
    comprehension_ty c = asdl_seq_GET(gens, asdl_seq_LEN(gens) - 1);
    if (asdl_seq_LEN(c->ifs) > 0) {
        return asdl_seq_GET(c->ifs, asdl_seq_LEN(c->ifs) - 1);
    }
    return c->iter;
}

/* invalid_kwarg, tried (second pass) where CPython's grammar expects a
   keyword argument. */
static void
invalid_kwarg(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (t->type == TOK_NAME && (t->kw == KW_TRUE || t->kw == KW_FALSE
                                || t->kw == KW_NONE)
        && peek2_type(p) == TOK_EQUAL) {
        _PyToken *eq = _PyParser_PeekAt(p, p->mark + 1);
        _PyParser_ErrorAt(p, "SyntaxError", t->lineno, t->col_offset,
                          eq->end_lineno, eq->end_col_offset,
                          "cannot assign to %s", _PyKeyword_Text(t->kw));
        return;
    }
    if (_PyParser_IsName(t) && peek2_type(p) == TOK_EQUAL) {
        _PyToken *eq = _PyParser_PeekAt(p, p->mark + 1);
        p->mark += 2;
        if (_PyParser_Expression(p) != NULL && at_for(p)
            && for_if_clauses(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", t->lineno, t->col_offset,
                              eq->end_lineno, eq->end_col_offset,
                              "invalid syntax. Maybe you meant '==' or ':=' "
                              "instead of '='?");
            return;
        }
        p->mark = start;
        return;
    }
    expr_ty a = _PyParser_Expression(p);
    if (a != NULL && at(p, TOK_EQUAL)) {
        _PyToken *eq = peek(p);
        _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                          eq->end_lineno, eq->end_col_offset,
                          "expression cannot contain assignment, perhaps you "
                          "meant \"==\"?");
        return;
    }
    p->mark = start;
}

/* What CPython's `args` rule matched, for the second pass's messages. */
typedef struct {
    int first;              /* token indexes of the range */
    int npositional;
    expr_ty last_positional;
    int dstar;              /* a '**' keyword among them */
} args_info;

/* One keyword-phase item: invalid_kwarg | NAME '=' expression |
   starred_expression (STARRED_OK) | '**' expression (DSTAR_OK). */
static int
kwarg_item(_PyParser *p, int starred_ok, int dstar_ok, args_info *info)
{
    invalid_kwarg(p);
    if (p->error) {
        return -1;
    }
    int start = p->mark;
    if (_PyParser_IsName(peek(p)) && peek2_type(p) == TOK_EQUAL) {
        p->mark += 2;
        if (_PyParser_Expression(p) != NULL) {
            return 1;
        }
    }
    else if (starred_ok && at(p, TOK_STAR)) {
        if (starred_expression(p) != NULL) {
            return 1;
        }
    }
    else if (dstar_ok && expect(p, TOK_DOUBLESTAR)) {
        if (_PyParser_Expression(p) != NULL) {
            info->dstar = 1;
            return 1;
        }
    }
    p->mark = start;
    return p->error ? -1 : 0;
}

/* kwargs: ','.kwarg_or_starred+ [',' ','.kwarg_or_double_starred+]
         | ','.kwarg_or_double_starred+ */
static int
kwargs_rule(_PyParser *p, args_info *info)
{
    int n = 0, phase = 0;   /* phase 1: after a '**' */
    while (1) {
        int save = p->mark;
        if (n > 0 && !expect(p, TOK_COMMA)) {
            break;
        }
        int r = kwarg_item(p, phase == 0, 1, info);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            p->mark = save;
            break;
        }
        if (info->dstar) {
            phase = 1;
        }
        n++;
    }
    return n;
}

/* args: ','.(starred_expression | (assignment_expression |
          expression !':=') !'=')+ [',' kwargs] | kwargs */
static int
args_rule(_PyParser *p, args_info *info)
{
    memset(info, 0, sizeof(*info));
    info->first = p->mark;
    int n = 0;
    while (1) {
        int save = p->mark;
        if (n > 0 && !expect(p, TOK_COMMA)) {
            break;
        }
        expr_ty e = at(p, TOK_STAR) ? starred_expression(p)
                                    : assignment_or_expression(p);
        if (p->error) {
            return -1;
        }
        if (e == NULL || (e->kind != Starred_kind && at(p, TOK_EQUAL))) {
            p->mark = save;
            break;
        }
        info->npositional++;
        info->last_positional = e;
        n++;
    }
    if (n > 0) {
        int save = p->mark;
        if (expect(p, TOK_COMMA)) {
            int k = kwargs_rule(p, info);
            if (k < 0) {
                return -1;
            }
            if (k == 0) {
                p->mark = save;
            }
        }
        return 1;
    }
    int k = kwargs_rule(p, info);
    return k < 0 ? -1 : k > 0;
}

/* invalid_arguments, after a call's arguments failed to parse. */
static void
invalid_arguments(_PyParser *p, int start)
{
    args_info A, B;
    p->mark = start;
    if (args_rule(p, &A) > 0 && at(p, TOK_COMMA)
        && peek2_type(p) == TOK_STAR) {
        _PyPos pos = _PyParser_Pos(p, A.first);
        _PyParser_ErrorAt(p, "SyntaxError", pos.lineno, pos.col_offset,
                          pos.end_lineno, pos.end_col_offset,
                          "iterable argument unpacking follows keyword "
                          "argument unpacking");
        return;
    }
    if (p->error) {
        return;
    }
    p->mark = start;
    expr_ty a = _PyParser_Expression(p);
    if (a != NULL && at_for(p)) {
        asdl_comprehension_seq *g = for_if_clauses(p);
        if (g != NULL && expect(p, TOK_COMMA)) {
            /* [args | expression for_if_clauses]: parsed (and so read)
               before the error is raised */
            int save = p->mark;
            if (args_rule(p, &A) <= 0) {
                p->mark = save;
                if (_PyParser_Expression(p) != NULL && at_for(p)) {
                    for_if_clauses(p);
                }
            }
            if (p->error) {
                return;
            }
            expr_ty last = last_comprehension_item(g);
            error_range(p, NODE_RANGE(a, last), "%s", "Generator expression "
                        "must be parenthesized");
            return;
        }
    }
    if (p->error) {
        return;
    }
    p->mark = start;
    _PyToken *t = peek(p);
    if (_PyParser_IsName(t) && peek2_type(p) == TOK_EQUAL) {
        _PyToken *eq = _PyParser_PeekAt(p, p->mark + 1);
        p->mark += 2;
        if (_PyParser_Expression(p) != NULL && at_for(p)
            && for_if_clauses(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", t->lineno, t->col_offset,
                              eq->end_lineno, eq->end_col_offset,
                              "invalid syntax. Maybe you meant '==' or ':=' "
                              "instead of '='?");
            return;
        }
        if (p->error) {
            return;
        }
    }
    p->mark = start;
    if (args_rule(p, &A) > 0 && at_for(p)) {
        asdl_comprehension_seq *g = for_if_clauses(p);
        if (g != NULL && A.npositional > 1) {
            expr_ty last = last_comprehension_item(g);
            error_range(p, NODE_RANGE(A.last_positional, last), "%s",
                        "Generator expression must be parenthesized");
            return;
        }
    }
    if (p->error) {
        return;
    }
    p->mark = start;
    if (args_rule(p, &A) > 0 && expect(p, TOK_COMMA)) {
        int save = p->mark;
        a = _PyParser_Expression(p);
        if (a != NULL && at_for(p)) {
            asdl_comprehension_seq *g = for_if_clauses(p);
            if (g != NULL) {
                expr_ty last = last_comprehension_item(g);
                error_range(p, NODE_RANGE(a, last), "%s", "Generator "
                            "expression must be parenthesized");
                return;
            }
        }
        if (p->error) {
            return;
        }
        p->mark = save;
        if (args_rule(p, &B) > 0) {
            _PyParser_RaiseLast(p, "SyntaxError", A.dstar
                                ? "positional argument follows keyword "
                                  "argument unpacking"
                                : "positional argument follows keyword "
                                  "argument");
            return;
        }
    }
    p->mark = start;
}

/* '(' [arguments] ')' or, when *IS_GENEXP is set on return, a generator
   expression as the sole argument (IS_GENEXP NULL: a class's bases, where
   that is not allowed). */
asdl_expr_seq *
_PyParser_CallArgs(_PyParser *p, asdl_keyword_seq **kwout, int *is_genexp)
{
    int lpar = p->mark;
    asdl_expr_seq *r = call_args(p, kwout, is_genexp);
    if (r == NULL && p->invalid_pass && !p->error) {
        invalid_arguments(p, lpar + 1);
        p->mark = lpar;
    }
    return r;
}

static asdl_expr_seq *
call_args(_PyParser *p, asdl_keyword_seq **kwout, int *is_genexp)
{
    int lpar = p->mark;
    if (!expect(p, TOK_LPAR)) {
        return NULL;
    }
    if (p->invalid_pass && at(p, TOK_STAR)) {
        /* invalid_comprehension of a generator argument */
        expr_ty a = starred_expression(p);
        if (a != NULL && at_for(p) && for_if_clauses(p) != NULL) {
            return _PyParser_ErrorAt(p, "SyntaxError", a->lineno,
                                     a->col_offset, a->end_lineno,
                                     a->end_col_offset, "iterable unpacking "
                                     "cannot be used in comprehension");
        }
        CHECK_ERROR();
        p->mark = lpar + 1;
    }
    _PySeqBuf args = {0}, kws = {0};
    int seen_kw = 0, seen_dstar = 0, kw_phase = 0;
    int n = 0;
    while (!at(p, TOK_RPAR)) {
        int item = p->mark;
        _PyToken *t = peek(p);
        if (p->invalid_pass) {
            if (!kw_phase) {
                expr_ty e = t->type == TOK_STAR ? starred_expression(p)
                                                : assignment_or_expression(p);
                CHECK_ERROR();
                if (e == NULL || (e->kind != Starred_kind
                                  && at(p, TOK_EQUAL))) {
                    kw_phase = 1;
                }
                p->mark = item;
            }
            if (kw_phase) {
                invalid_kwarg(p);
                CHECK_ERROR();
            }
        }
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
            if (seen_kw) {
                /* after a keyword CPython's grammar tries keyword forms
                   only: fail without looking further */
                return NULL;
            }
            expr_ty e = assignment_or_expression(p);
            if (e == NULL) {
                return NULL;
            }
            if (n == 0 && is_genexp != NULL && at_for(p)) {
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
   allowed.  Lambda parameters have no annotations.  *DEFLT gets the
   default (NULL when there is none); with DEFLT NULL no default is
   parsed. */
static arg_ty
param_eq(_PyParser *p, int is_lambda, int star, expr_ty *deflt,
         _PyToken **eqtok)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (deflt != NULL) {
        *deflt = NULL;
    }
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
    if (deflt != NULL && at(p, TOK_EQUAL)) {
        _PyToken *eq = peek(p);
        if (eqtok != NULL) {
            *eqtok = eq;
        }
        p->mark++;
        *deflt = _PyParser_Expression(p);
        if (*deflt == NULL) {
            if (p->invalid_pass && (at(p, TOK_RPAR) || at(p, TOK_COMMA))) {
                return _PyParser_ErrorToken(p, eq, "expected default value "
                                            "expression");
            }
            return NULL;
        }
    }
    return a;
}

static arg_ty
param(_PyParser *p, int is_lambda, int star, expr_ty *deflt)
{
    return param_eq(p, is_lambda, star, deflt, NULL);
}

static int
params_end(_PyParser *p, int is_lambda)
{
    return at(p, is_lambda ? TOK_COLON : TOK_RPAR);
}

/* An error of the second pass at token T, or at node A. */
static void *
param_error_at_token(_PyParser *p, _PyToken *t, const char *msg)
{
    if (!p->invalid_pass) {
        return NULL;
    }
    return _PyParser_ErrorToken(p, t, "%s", msg);
}

static void *
param_error_at_arg(_PyParser *p, arg_ty a, const char *msg)
{
    if (!p->invalid_pass) {
        return NULL;
    }
    return _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                             a->end_lineno, a->end_col_offset, "%s", msg);
}

/* "named arguments must follow bare *": at the '*' for a def, at the
   last token for a lambda (CPython's two rules differ). */
static void *
bare_star_error(_PyParser *p, _PyToken *star, int is_lambda)
{
    if (!p->invalid_pass) {
        return NULL;
    }
    if (is_lambda) {
        return _PyParser_RaiseLast(p, "SyntaxError", "named arguments must "
                                   "follow bare *");
    }
    return _PyParser_ErrorToken(p, star, "named arguments must follow "
                                "bare *");
}

/* '(' param+ ')' where a parameter was expected: parenthesised
   parameters of Python 2. */
static void *
parenthesized_params(_PyParser *p, int is_lambda)
{
    _PyToken *lpar = peek(p);
    int save = p->mark;
    p->mark++;
    int n = 0;
    while (_PyParser_IsName(peek(p))) {
        expr_ty d;
        if (param(p, is_lambda, 0, &d) == NULL || d != NULL) {
            break;
        }
        n++;
        if (!expect(p, TOK_COMMA)) {
            break;
        }
    }
    CHECK_ERROR();
    if (n > 0 && at(p, TOK_RPAR)) {
        _PyToken *rpar = peek(p);
        return _PyParser_ErrorAt(p, "SyntaxError", lpar->lineno,
                                 lpar->col_offset, rpar->end_lineno,
                                 rpar->end_col_offset, "%s",
                                 is_lambda ? "Lambda expression parameters "
                                 "cannot be parenthesized" : "Function "
                                 "parameters cannot be parenthesized");
    }
    p->mark = save;
    return NULL;
}

/* parameters / lambda_parameters.  Returns NULL when the list is not
   valid; in the second pass, with CPython's message for the mistake. */
arguments_ty
_PyParser_Params(_PyParser *p, int is_lambda)
{
    _PySeqBuf posonly = {0}, args = {0}, defaults = {0};
    _PySeqBuf kwonly = {0}, kwdefaults = {0};
    arg_ty vararg = NULL, kwarg = NULL;
    int seen_slash = 0, seen_star = 0, seen_default = 0;
    while (!params_end(p, is_lambda)) {
        _PyToken *t = peek(p);
        if (t->type == TOK_SLASH) {
            if (seen_slash) {
                return param_error_at_token(p, t, "/ may appear only once");
            }
            if (seen_star) {
                return param_error_at_token(p, t, "/ must be ahead of *");
            }
            if (asdl_seq_LEN(args.seq) == 0) {
                if (p->invalid_pass && peek2_type(p) == TOK_COMMA) {
                    return param_error_at_token(p, t, "at least one argument "
                                                "must precede /");
                }
                return NULL;
            }
            p->mark++;
            posonly = args;
            args.seq = NULL;
            args.cap = 0;
            seen_slash = 1;
            if (at(p, TOK_STAR)) {
                return param_error_at_token(p, peek(p), "expected comma "
                                            "between / and *");
            }
        }
        else if (t->type == TOK_STAR) {
            if (seen_star) {
                /* '*' (param_no_default | ',') */
                if (p->invalid_pass) {
                    int save = p->mark;
                    p->mark++;
                    int again = at(p, TOK_COMMA);
                    if (!again && param_eq(p, is_lambda, 0, NULL, NULL)) {
                        again = at(p, TOK_COMMA) || params_end(p, is_lambda);
                    }
                    p->mark = save;
                    if (again) {
                        return param_error_at_token(p, t, "* argument may "
                                                    "appear only once");
                    }
                }
                return NULL;
            }
            p->mark++;
            seen_star = 1;
            if (!at(p, TOK_COMMA)) {
                vararg = param_eq(p, is_lambda, 1, NULL, NULL);
                if (vararg == NULL) {
                    if (!p->error && params_end(p, is_lambda)) {
                        return bare_star_error(p, t, is_lambda);
                    }
                    return NULL;
                }
                if (at(p, TOK_EQUAL)) {
                    return param_error_at_token(
                        p, peek(p), "var-positional argument cannot have "
                        "default value");
                }
            }
            else {
                int n2 = peek2_type(p);
                if (n2 == (is_lambda ? TOK_COLON : TOK_RPAR)
                    || n2 == TOK_DOUBLESTAR) {
                    return bare_star_error(p, t, is_lambda);
                }
            }
        }
        else if (t->type == TOK_DOUBLESTAR) {
            p->mark++;
            kwarg = param_eq(p, is_lambda, 0, NULL, NULL);
            if (kwarg == NULL) {
                return NULL;
            }
            if (at(p, TOK_EQUAL)) {
                return param_error_at_token(
                    p, peek(p), "var-keyword argument cannot have default "
                    "value");
            }
            if (expect(p, TOK_COMMA) && !params_end(p, is_lambda)) {
                _PyToken *n = peek(p);
                if (n->type == TOK_STAR || n->type == TOK_DOUBLESTAR
                    || n->type == TOK_SLASH) {
                    return param_error_at_token(
                        p, n, "arguments cannot follow var-keyword argument");
                }
                expr_ty d2;
                arg_ty a2 = param(p, is_lambda, 0, &d2);
                if (a2 != NULL) {
                    return param_error_at_arg(
                        p, a2, "arguments cannot follow var-keyword argument");
                }
                return NULL;
            }
            if (!params_end(p, is_lambda)) {
                return NULL;
            }
            break;
        }
        else {
            if (t->type == TOK_LPAR && p->invalid_pass && !seen_default
                && !seen_star && !seen_slash) {
                parenthesized_params(p, is_lambda);
                return NULL;
            }
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
                    /* only a complete param_no_default (followed by ','
                       or the end) makes CPython say so */
                    if (at(p, TOK_COMMA) || params_end(p, is_lambda)) {
                        return param_error_at_arg(p, a, "non-default "
                                                  "argument follows default "
                                                  "argument");
                    }
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
    /* CPython's grammar descends two rules per lambda */
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    expr_ty body = _PyParser_Expression(p);
    p->level--;
    if (body == NULL) {
        p->mark = start;
        return NULL;
    }
    return _PyAST_Lambda(args, body, EXTRA_FROM(start));
}
