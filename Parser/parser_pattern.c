/* Patterns of the match statement (PEP 634), following the 3.11 grammar:
   patterns, as/or patterns, literals, captures, values, groups,
   sequences, mappings and class patterns. */

#include <string.h>

#include "pycore_parser_state.h"

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
peek2_type(_PyParser *p)
{
    return _PyParser_PeekAt(p, p->mark + 1)->type;
}

static int
push(_PyParser *p, _PySeqBuf *b, void *x)
{
    return _PyParser_SeqPush(p, b, x);
}

static pattern_ty closed_pattern(_PyParser *p);

/* NAME as an identifier, consuming it. */
static identifier
take_name(_PyParser *p)
{
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t)) {
        return NULL;
    }
    p->mark++;
    return _PyParser_Identifier(p, t);
}

/* pattern_capture_target: !"_" NAME !('.' | '(' | '=') */
static identifier
capture_target(_PyParser *p)
{
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t) || t->kw == KW_UNDERSCORE) {
        return NULL;
    }
    int next = peek2_type(p);
    if (next == TOK_DOT || next == TOK_LPAR || next == TOK_EQUAL) {
        return NULL;
    }
    return take_name(p);
}

/* signed_number: NUMBER | '-' NUMBER; with IMAG_OK=0 a real number. */
static expr_ty
signed_number(_PyParser *p)
{
    int start = p->mark;
    int neg = 0;
    if (at(p, TOK_MINUS)) {
        neg = 1;
        p->mark++;
    }
    _PyToken *t = peek(p);
    if (t->type != TOK_NUMBER) {
        p->mark = start;
        return NULL;
    }
    p->mark++;
    expr_ty n = _PyParser_Number(p, t);
    if (n == NULL || !neg) {
        return n;
    }
    return _PyAST_UnaryOp(USub, n, EXTRA_FROM(start));
}

static int
is_imag(expr_ty e)
{
    if (e->kind == UnaryOp_kind) {
        e = e->v.UnaryOp.operand;
    }
    return e->kind == Constant_kind
           && e->v.Constant.value->kind == _PyConst_IMAG;
}

/* literal_expr (for patterns and mapping keys): signed_number
   !('+' | '-') | complex_number | strings | None | True | False.
   Singletons come back as Constant; *SINGLETON tells which. */
static expr_ty
literal_expr(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (t->type == TOK_NUMBER || t->type == TOK_MINUS) {
        expr_ty real = signed_number(p);
        if (real == NULL) {
            return NULL;
        }
        _PyToken *op = peek(p);
        if (op->type != TOK_PLUS && op->type != TOK_MINUS) {
            return real;
        }
        if (is_imag(real)) {
            return _PyParser_ErrorAt(p, "SyntaxError", real->lineno,
                                     real->col_offset, real->end_lineno,
                                     real->end_col_offset,
                                     "real number required in complex "
                                     "literal");
        }
        p->mark++;
        _PyToken *it = peek(p);
        if (it->type != TOK_NUMBER) {
            p->mark = start;
            return NULL;
        }
        p->mark++;
        expr_ty imag = _PyParser_Number(p, it);
        if (imag == NULL) {
            return NULL;
        }
        if (!is_imag(imag)) {
            return _PyParser_ErrorAt(p, "SyntaxError", imag->lineno,
                                     imag->col_offset, imag->end_lineno,
                                     imag->end_col_offset,
                                     "imaginary number required in complex "
                                     "literal");
        }
        return _PyAST_BinOp(real, op->type == TOK_PLUS ? Add : Sub, imag,
                            EXTRA_FROM(start));
    }
    if (t->type == TOK_STRING) {
        return _PyParser_Strings(p);
    }
    if (t->type == TOK_NAME && (t->kw == KW_NONE || t->kw == KW_TRUE
                                || t->kw == KW_FALSE)) {
        return _PyParser_Atom(p);
    }
    return NULL;
}

/* name_or_attr: NAME ('.' NAME)* */
static expr_ty
name_or_attr(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t)) {
        return NULL;
    }
    identifier id = take_name(p);
    if (id == NULL) {
        return NULL;
    }
    expr_ty e = _PyAST_Name(id, Load, t->lineno, t->col_offset,
                            t->end_lineno, t->end_col_offset, p->arena);
    while (e != NULL && at(p, TOK_DOT)
           && _PyParser_IsName(_PyParser_PeekAt(p, p->mark + 1))) {
        p->mark++;
        identifier attr = take_name(p);
        if (attr == NULL) {
            return NULL;
        }
        e = _PyAST_Attribute(e, attr, Load, EXTRA_FROM(start));
    }
    return e;
}

/* star_pattern: '*' (pattern_capture_target | wildcard_pattern) */
static pattern_ty
star_pattern(_PyParser *p)
{
    int start = p->mark;
    p->mark++;
    _PyToken *t = peek(p);
    identifier name = NULL;
    if (t->type == TOK_NAME && t->kw == KW_UNDERSCORE) {
        p->mark++;
    }
    else {
        name = capture_target(p);
        if (name == NULL) {
            p->mark = start;
            return NULL;
        }
    }
    return _PyAST_MatchStar(name, EXTRA_FROM(start));
}

/* maybe_star_pattern: star_pattern | pattern */
static pattern_ty
maybe_star_pattern(_PyParser *p)
{
    if (at(p, TOK_STAR)) {
        return star_pattern(p);
    }
    return _PyParser_Pattern(p);
}

/* maybe_sequence_pattern: ','.maybe_star_pattern+ ','?  appended to B */
static int
maybe_sequence(_PyParser *p, _PySeqBuf *b)
{
    while (1) {
        int save = p->mark;
        pattern_ty pat = maybe_star_pattern(p);
        if (p->error) {
            return -1;
        }
        if (pat == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, b, pat) < 0) {
            return -1;
        }
        if (!at(p, TOK_COMMA)) {
            break;
        }
        p->mark++;
    }
    return 0;
}

/* mapping_pattern */
static pattern_ty
mapping_pattern(_PyParser *p)
{
    int start = p->mark;
    p->mark++;
    _PySeqBuf keys = {0}, pats = {0};
    identifier rest = NULL;
    while (!at(p, TOK_RBRACE)) {
        if (at(p, TOK_DOUBLESTAR)) {
            p->mark++;
            rest = capture_target(p);
            if (rest == NULL) {
                return NULL;
            }
            if (at(p, TOK_COMMA)) {
                p->mark++;
            }
            break;
        }
        expr_ty key;
        _PyToken *t = peek(p);
        if (_PyParser_IsName(t)) {
            key = name_or_attr(p);
            if (key != NULL && key->kind == Name_kind) {
                return NULL;    /* a bare name is not a key */
            }
        }
        else {
            key = literal_expr(p);
        }
        if (key == NULL || !_PyParser_Expect(p, TOK_COLON)) {
            return NULL;
        }
        pattern_ty val = _PyParser_Pattern(p);
        if (val == NULL) {
            return NULL;
        }
        if (push(p, &keys, key) < 0 || push(p, &pats, val) < 0) {
            return NULL;
        }
        if (!at(p, TOK_COMMA)) {
            break;
        }
        p->mark++;
    }
    if (!_PyParser_Expect(p, TOK_RBRACE)) {
        return NULL;
    }
    return _PyAST_MatchMapping(
        (asdl_expr_seq *)_PyParser_SeqFinish(p, &keys),
        (asdl_pattern_seq *)_PyParser_SeqFinish(p, &pats), rest,
        EXTRA_FROM(start));
}

/* class_pattern: name_or_attr '(' [positional] [keywords] ')' */
static pattern_ty
class_pattern(_PyParser *p, int start, expr_ty cls)
{
    p->mark++;      /* '(' */
    _PySeqBuf pats = {0}, attrs = {0}, kpats = {0};
    while (!at(p, TOK_RPAR)) {
        _PyToken *t = peek(p);
        if (_PyParser_IsName(t) && peek2_type(p) == TOK_EQUAL) {
            identifier a = take_name(p);
            if (a == NULL) {
                return NULL;
            }
            p->mark++;
            pattern_ty v = _PyParser_Pattern(p);
            if (v == NULL) {
                return NULL;
            }
            if (push(p, &attrs, (void *)a) < 0 || push(p, &kpats, v) < 0) {
                return NULL;
            }
        }
        else {
            if (attrs.seq != NULL) {
                /* positional pattern follows keyword */
                if (p->invalid_pass) {
                    pattern_ty first = _PyParser_Pattern(p), last = first;
                    while (last != NULL && at(p, TOK_COMMA)) {
                        int save = p->mark;
                        p->mark++;
                        pattern_ty q = _PyParser_Pattern(p);
                        if (q == NULL) {
                            p->mark = save;
                            break;
                        }
                        last = q;
                    }
                    if (first != NULL) {
                        _PyParser_ErrorAt(p, "SyntaxError", first->lineno,
                                          first->col_offset, last->end_lineno,
                                          last->end_col_offset, "positional "
                                          "patterns follow keyword patterns");
                    }
                }
                return NULL;
            }
            pattern_ty v = _PyParser_Pattern(p);
            if (v == NULL) {
                return NULL;
            }
            if (push(p, &pats, v) < 0) {
                return NULL;
            }
        }
        if (!at(p, TOK_COMMA)) {
            break;
        }
        p->mark++;
    }
    if (!_PyParser_Expect(p, TOK_RPAR)) {
        return NULL;
    }
    return _PyAST_MatchClass(
        cls, (asdl_pattern_seq *)_PyParser_SeqFinish(p, &pats),
        (asdl_identifier_seq *)_PyParser_SeqFinish(p, &attrs),
        (asdl_pattern_seq *)_PyParser_SeqFinish(p, &kpats),
        EXTRA_FROM(start));
}

static pattern_ty
closed_pattern_impl(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    switch (t->type) {
    case TOK_NAME:
        if (t->kw == KW_NONE || t->kw == KW_TRUE || t->kw == KW_FALSE) {
            p->mark++;
            constant c = _PyArena_Malloc(p->arena, sizeof(*c));
            if (c == NULL) {
                return _PyParser_ErrorNoMem(p);
            }
            memset(c, 0, sizeof(*c));
            c->kind = t->kw == KW_NONE ? _PyConst_NONE
                      : t->kw == KW_TRUE ? _PyConst_TRUE : _PyConst_FALSE;
            return _PyAST_MatchSingleton(c, EXTRA_FROM(start));
        }
        if (!_PyParser_IsName(t)) {
            return NULL;
        }
        {
            expr_ty e = name_or_attr(p);
            if (e == NULL) {
                return NULL;
            }
            if (at(p, TOK_LPAR)) {
                return class_pattern(p, start, e);
            }
            if (e->kind == Attribute_kind) {
                if (at(p, TOK_DOT) || at(p, TOK_EQUAL)) {
                    return NULL;
                }
                return _PyAST_MatchValue(e, EXTRA_FROM(start));
            }
            if (at(p, TOK_DOT) || at(p, TOK_EQUAL)) {
                return NULL;
            }
            if (t->kw == KW_UNDERSCORE) {
                return _PyAST_MatchAs(NULL, NULL, EXTRA_FROM(start));
            }
            return _PyAST_MatchAs(NULL, e->v.Name.id, EXTRA_FROM(start));
        }
    case TOK_NUMBER:
    case TOK_MINUS:
    case TOK_STRING: {
        expr_ty v = literal_expr(p);
        if (v == NULL) {
            return NULL;
        }
        if (v->kind == UnaryOp_kind || v->kind == Constant_kind
            || v->kind == BinOp_kind) {
            if (at(p, TOK_PLUS) || at(p, TOK_MINUS)) {
                return NULL;
            }
        }
        return _PyAST_MatchValue(v, EXTRA_FROM(start));
    }
    case TOK_LPAR: {
        p->mark++;
        if (at(p, TOK_RPAR)) {
            p->mark++;
            return _PyAST_MatchSequence(
                (asdl_pattern_seq *)_Py_asdl_generic_seq_new(0, p->arena),
                EXTRA_FROM(start));
        }
        pattern_ty first = maybe_star_pattern(p);
        if (first == NULL) {
            return NULL;
        }
        if (at(p, TOK_COMMA)) {
            p->mark++;
            _PySeqBuf b = {0};
            if (push(p, &b, first) < 0 || maybe_sequence(p, &b) < 0) {
                return NULL;
            }
            if (!_PyParser_Expect(p, TOK_RPAR)) {
                return NULL;
            }
            return _PyAST_MatchSequence(
                (asdl_pattern_seq *)_PyParser_SeqFinish(p, &b),
                EXTRA_FROM(start));
        }
        if (first->kind == MatchStar_kind || !_PyParser_Expect(p, TOK_RPAR)) {
            return NULL;
        }
        return first;
    }
    case TOK_LSQB: {
        p->mark++;
        _PySeqBuf b = {0};
        if (maybe_sequence(p, &b) < 0 || !_PyParser_Expect(p, TOK_RSQB)) {
            return NULL;
        }
        return _PyAST_MatchSequence(
            (asdl_pattern_seq *)_PyParser_SeqFinish(p, &b),
            EXTRA_FROM(start));
    }
    case TOK_LBRACE:
        return mapping_pattern(p);
    }
    return NULL;
}

static pattern_ty
closed_pattern(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    pattern_ty r = closed_pattern_impl(p);
    p->level--;
    if (r == NULL) {
        p->mark = start;
    }
    return r;
}

/* or_pattern: '|'.closed_pattern+ */
static pattern_ty
or_pattern(_PyParser *p)
{
    int start = p->mark;
    pattern_ty first = closed_pattern(p);
    if (first == NULL || !at(p, TOK_VBAR)) {
        return first;
    }
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0) {
        return NULL;
    }
    while (at(p, TOK_VBAR)) {
        int save = p->mark;
        p->mark++;
        pattern_ty alt = closed_pattern(p);
        CHECK_ERROR();
        if (alt == NULL) {
            p->mark = save;
            break;
        }
        if (push(p, &b, alt) < 0) {
            return NULL;
        }
    }
    return _PyAST_MatchOr((asdl_pattern_seq *)_PyParser_SeqFinish(p, &b),
                          EXTRA_FROM(start));
}

/* invalid_as_pattern, just after 'as': "_" or something that is no
   name. */
static void
invalid_as_pattern(_PyParser *p)
{
    _PyToken *t = peek(p);
    if (t->type == TOK_NAME && t->kw == KW_UNDERSCORE) {
        _PyParser_ErrorToken(p, t, "cannot use '_' as a target");
        return;
    }
    if (!_PyParser_IsName(t)) {
        expr_ty a = _PyParser_Expression(p);
        if (a != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                              a->end_lineno, a->end_col_offset,
                              "invalid pattern target");
        }
    }
}

/* pattern: or_pattern 'as' pattern_capture_target | or_pattern */
pattern_ty
_PyParser_Pattern(_PyParser *p)
{
    int start = p->mark;
    pattern_ty pat = or_pattern(p);
    if (pat == NULL) {
        return NULL;
    }
    _PyToken *t = peek(p);
    if (t->type == TOK_NAME && t->kw == KW_AS) {
        int save = p->mark;
        p->mark++;
        identifier name = capture_target(p);
        if (name == NULL) {
            if (p->invalid_pass && !p->error) {
                invalid_as_pattern(p);
            }
            p->mark = save;
            return pat;
        }
        return _PyAST_MatchAs(pat, name, EXTRA_FROM(start));
    }
    return pat;
}

/* patterns: open_sequence_pattern | pattern */
pattern_ty
_PyParser_Patterns(_PyParser *p)
{
    int start = p->mark;
    pattern_ty first = maybe_star_pattern(p);
    if (first == NULL) {
        return NULL;
    }
    if (!at(p, TOK_COMMA)) {
        if (first->kind == MatchStar_kind) {
            p->mark = start;
            return NULL;
        }
        return first;
    }
    p->mark++;
    _PySeqBuf b = {0};
    if (push(p, &b, first) < 0 || maybe_sequence(p, &b) < 0) {
        return NULL;
    }
    return _PyAST_MatchSequence((asdl_pattern_seq *)_PyParser_SeqFinish(p, &b),
                                EXTRA_FROM(start));
}
