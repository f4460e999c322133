/* The parser's token buffer, statements and entry points.
 *
 * Tokens are fetched lazily and kept, so any rule can back up.  Like
 * CPython, a failed parse is run a second time with p->invalid_pass set,
 * which lets rules report specific errors ("expected ':'"); if none does,
 * the error is "invalid syntax" at the furthest token the first pass
 * fetched.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser_state.h"
#include "pycore_parser_source.h"

#define TOK(i) (p->tokens[(i)])
#define POSARGS(pos) (pos).lineno, (pos).col_offset, (pos).end_lineno, \
                     (pos).end_col_offset, p->arena
#define EXTRA_FROM(start) POSARGS(_PyParser_Pos(p, (start)))
#define CHECK_ERROR() do { if (p->error) { return NULL; } } while (0)

/* ---------------------------------------------------------------------- */
/* Tokens */

static void unclosed_bracket_error(_PyParser *p);
static void check_rest_of_source(_PyParser *p);

static int
fill_token(_PyParser *p)
{
    if (p->fill == p->size) {
        int size = p->size ? p->size * 2 : 256;
        _PyToken **t = realloc(p->tokens, size * sizeof(_PyToken *));
        if (t == NULL) {
            _PyParser_ErrorNoMem(p);
            return -1;
        }
        p->tokens = t;
        p->size = size;
    }
    /* tokens come from the arena in blocks, so they never move */
    if (p->fill % 64 == 0) {
        p->token_block = _PyArena_Malloc(p->arena, 64 * sizeof(_PyToken));
        if (p->token_block == NULL) {
            _PyParser_ErrorNoMem(p);
            return -1;
        }
    }
    _PyToken *t = &p->token_block[p->fill % 64];
    p->tokens[p->fill] = t;
    int type = _PyTokenizer_Get(p->tok, t);
    p->fill++;
    if (type == TOK_ERRORTOKEN && p->tok->done == _PyTOK_ERROR) {
        p->error = 1;
        return -1;
    }
    if (type == TOK_ERRORTOKEN && p->tok->done == _PyTOK_EOF
        && p->tok->level > 0) {
        /* like CPython, the input ending inside brackets is an error as
           soon as the parser asks for the token after the end */
        unclosed_bracket_error(p);
        return -1;
    }
    return 0;
}

/* Once an error is set every rule must fail: they all see this token,
   which matches nothing. */
static const _PyToken error_token = {
    .type = TOK_ERRORTOKEN, .col_offset = -1, .end_col_offset = -1
};

_PyToken *
_PyParser_PeekAt(_PyParser *p, int index)
{
    if (p->error) {
        return (_PyToken *)&error_token;
    }
    while (index >= p->fill) {
        if (p->fill > 0 && p->tokens[p->fill - 1]->type == TOK_ENDMARKER) {
            return p->tokens[p->fill - 1];
        }
        if (fill_token(p) < 0) {
            return (_PyToken *)&error_token;
        }
    }
    return p->tokens[index];
}

_PyToken *
_PyParser_Peek(_PyParser *p)
{
    return _PyParser_PeekAt(p, p->mark);
}

_PyToken *
_PyParser_Expect(_PyParser *p, int type)
{
    _PyToken *t = _PyParser_Peek(p);
    if (t->type != type || p->error) {
        return NULL;
    }
    p->mark++;
    return t;
}

_PyToken *
_PyParser_ExpectKeyword(_PyParser *p, int kw)
{
    _PyToken *t = _PyParser_Peek(p);
    if (t->type != TOK_NAME || t->kw != kw || p->error) {
        return NULL;
    }
    p->mark++;
    return t;
}

_PyPos
_PyParser_Pos(_PyParser *p, int start)
{
    _PyPos pos;
    _PyToken *s = p->tokens[start];
    pos.lineno = s->lineno;
    pos.col_offset = s->col_offset;
    int m = p->mark - 1;
    while (m > start) {
        int type = p->tokens[m]->type;
        if (type != TOK_NEWLINE && type != TOK_INDENT && type != TOK_DEDENT
            && type != TOK_ENDMARKER) {
            break;
        }
        m--;
    }
    if (m < 0) {
        m = 0;
    }
    pos.end_lineno = p->tokens[m]->end_lineno;
    pos.end_col_offset = p->tokens[m]->end_col_offset;
    return pos;
}

int
_PyParser_SeqPush(_PyParser *p, _PySeqBuf *b, void *item)
{
    Py_ssize_t n = b->seq ? b->seq->size : 0;
    if (b->seq == NULL || n == b->cap) {
        Py_ssize_t cap = b->cap ? b->cap * 2 : 4;
        asdl_seq *s = _Py_asdl_generic_seq_new(cap, p->arena);
        if (s == NULL) {
            _PyParser_ErrorNoMem(p);
            return -1;
        }
        if (n) {
            memcpy(s->elements, b->seq->elements, n * sizeof(void *));
        }
        b->seq = s;
        b->cap = cap;
    }
    b->seq->elements[n] = item;
    b->seq->size = n + 1;
    return 0;
}

asdl_seq *
_PyParser_SeqFinish(_PyParser *p, _PySeqBuf *b)
{
    if (b->seq == NULL) {
        b->seq = _Py_asdl_generic_seq_new(0, p->arena);
        if (b->seq == NULL) {
            _PyParser_ErrorNoMem(p);
        }
    }
    return b->seq;
}

_PyMemo *
_PyParser_MemoSlot(_PyParser *p, int rule)
{
    if (p->mark >= p->memo_positions) {
        int n = p->memo_positions ? p->memo_positions : 256;
        while (n <= p->mark) {
            n *= 2;
        }
        for (int k = 0; k < 2; k++) {
            _PyMemo *m = realloc(p->memo[k], (size_t)n * _PyMEMO_N
                                             * sizeof(_PyMemo));
            if (m == NULL) {
                return NULL;
            }
            memset(m + (size_t)p->memo_positions * _PyMEMO_N, 0,
                   (size_t)(n - p->memo_positions) * _PyMEMO_N
                   * sizeof(_PyMemo));
            p->memo[k] = m;
        }
        p->memo_positions = n;
    }
    return &p->memo[p->second_pass][p->mark * _PyMEMO_N + rule];
}

void
_PyParser_MemoFree(_PyParser *p)
{
    free(p->memo[0]);
    free(p->memo[1]);
    p->memo[0] = p->memo[1] = NULL;
    p->memo_positions = 0;
}

/* ---------------------------------------------------------------------- */
/* Errors */

static const char *
line_start_of(_PyParser *p, int lineno)
{
    const char *s = p->source;
    int line = p->tok->first_lineno;
    while (line < lineno && s < p->source_end) {
        const char *nl = memchr(s, '\n', p->source_end - s);
        if (nl == NULL) {
            break;
        }
        s = nl + 1;
        line++;
    }
    return s;
}

/* An error raised while parsing an f-string's replacement field: CPython
   3.11 prefixes "f-string: " and counts columns from BASE. */
static void
fstring_error_form(_PySyntaxErrorInfo *err, int base)
{
    char msg[sizeof(err->msg)];
    snprintf(msg, sizeof(msg), "f-string: %.400s", err->msg);
    memcpy(err->msg, msg, sizeof(msg));
    err->offset -= base;
    if (err->end_offset > 0) {
        err->end_offset -= base;
    }
}

/* 1-based character offset of byte column COL on the line at LS, as
   CPython computes it: clamped to the line's length, -1 kept as 0. */
static int
char_offset(_PyParser *p, const char *ls, int col)
{
    if (col < 0) {
        return col + 1;
    }
    const char *le = memchr(ls, '\n', p->source_end - ls);
    if (le == NULL) {
        le = p->source_end;
    }
    const char *q = ls + col;
    if (q > le + 1) {
        q = le + 1;
    }
    if (q > p->source_end) {
        q = p->source_end;
    }
    return _PyTokenizer_CharCount(ls, q) + 1;
}

static void *
verror(_PyParser *p, const char *type, int lineno, int col, int end_lineno,
       int end_col, const char *fmt, va_list ap)
{
    if (p->error) {
        return NULL;
    }
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    const char *ls = line_start_of(p, lineno);
    const char *els = end_lineno == lineno ? ls : line_start_of(p, end_lineno);
    p->err->type = type;
    snprintf(p->err->msg, sizeof(p->err->msg), "%s", msg);
    p->err->lineno = lineno;
    p->err->end_lineno = end_lineno;
    if (p->byte_offsets) {
        p->err->offset = col + 1;
        p->err->end_offset = end_col + 1;
    }
    else {
        p->err->offset = char_offset(p, ls, col);
        p->err->end_offset = char_offset(p, els, end_col);
    }
    if (p->fstring_expr) {
        fstring_error_form(p->err, p->fstring_col_base);
    }
    free(p->err->text);
    const char *e = memchr(ls, '\n', p->source_end - ls);
    size_t n = e ? (size_t)(e - ls + 1) : (size_t)(p->source_end - ls);
    p->err->text = malloc(n + 1);
    if (p->err->text) {
        memcpy(p->err->text, ls, n);
        p->err->text[n] = '\0';
    }
    p->error = 1;
    return NULL;
}

void *
_PyParser_ErrorAt(_PyParser *p, const char *type, int lineno, int col,
                  int end_lineno, int end_col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, type, lineno, col, end_lineno, end_col, fmt, ap);
    va_end(ap);
    return NULL;
}

void *
_PyParser_ErrorToken(_PyParser *p, _PyToken *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, "SyntaxError", t->lineno, t->col_offset, t->end_lineno,
           t->end_col_offset, fmt, ap);
    va_end(ap);
    return NULL;
}

/* RAISE_SYNTAX_ERROR of CPython's grammar: at the last token fetched;
   a token without columns (INDENT, DEDENT, ENDMARKER) is placed at the
   tokenizer's position instead, with no end. */
void *
_PyParser_RaiseLast(_PyParser *p, const char *type, const char *fmt, ...)
{
    if (p->error) {
        return NULL;
    }
    _PyToken *t = p->tokens[p->fill - 1];
    va_list ap;
    va_start(ap, fmt);
    verror(p, type, t->lineno, t->col_offset, t->end_lineno,
           t->end_col_offset, fmt, ap);
    va_end(ap);
    if (t->col_offset == -1) {
        p->err->offset = p->byte_offsets
            ? (int)(p->tok->cur - p->tok->line_start)
            : _PyTokenizer_CharCount(p->tok->line_start, p->tok->cur);
        if (p->fstring_expr) {
            p->err->offset -= p->fstring_col_base;
        }
    }
    if (t->end_col_offset == -1) {
        p->err->end_offset = -1;
    }
    return NULL;
}

void *
_PyParser_ErrorNoMem(_PyParser *p)
{
    if (!p->error) {
        p->err->type = "MemoryError";
        p->err->msg[0] = '\0';
        p->err->lineno = p->err->offset = _PyPARSER_NOVALUE;
        p->err->end_lineno = p->err->end_offset = _PyPARSER_NOVALUE;
        p->error = 1;
    }
    return NULL;
}

/* Depth guard of the recursive rules.  The level limit is CPython's
   (MAXSTACK, a MemoryError); the C stack is also measured, so that no
   input can overflow it whatever the frame sizes of this build. */
int
_PyParser_EnterRecursion(_PyParser *p)
{
    return _PyParser_EnterRecursionN(p, 1);
}

int
_PyParser_EnterRecursionN(_PyParser *p, int n)
{
    char here;
    if (p->error) {
        return -1;
    }
    if (p->stack_base == NULL) {
        p->stack_base = &here;
    }
    ptrdiff_t used = p->stack_base - &here;
    if (used < 0) {
        used = -used;
    }
    p->level += n;
    if (p->level > _PyPARSER_MAXSTACK || used > _PyPARSER_STACK_BUDGET) {
        p->level -= n;
        _PyParser_ErrorNoMem(p);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Helpers for statements */

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

static int
push(_PyParser *p, _PySeqBuf *b, void *x)
{
    return _PyParser_SeqPush(p, b, x);
}

static identifier
name_token(_PyParser *p, _PyToken **tp)
{
    _PyToken *t = peek(p);
    if (!_PyParser_IsName(t)) {
        return NULL;
    }
    p->mark++;
    if (tp) {
        *tp = t;
    }
    return _PyParser_Identifier(p, t);
}

static asdl_stmt_seq *statements(_PyParser *p);
static asdl_stmt_seq *simple_stmts(_PyParser *p);

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
static asdl_stmt_seq *
block(_PyParser *p)
{
    int start = p->mark;
    if (_PyParser_EnterRecursion(p) < 0) {
        return NULL;
    }
    asdl_stmt_seq *body = NULL;
    if (expect(p, TOK_NEWLINE)) {
        if (expect(p, TOK_INDENT)) {
            body = statements(p);
            if (body != NULL && !expect(p, TOK_DEDENT)) {
                body = NULL;
            }
        }
    }
    else {
        body = simple_stmts(p);
    }
    p->level--;
    if (body == NULL) {
        p->mark = start;
    }
    return body;
}

/* ':' block for the statement WHAT that started on line LINE.  A FORCED
   colon (after 'def', 'try', 'else', 'finally') is reported as soon as it
   is missing, as CPython's &&':' does; otherwise the second pass says
   "expected ':'" when the header ends the line.  The second pass also
   reports a block that is not indented. */
static asdl_stmt_seq *
colon_block(_PyParser *p, const char *what, int line, int forced)
{
    if (!at(p, TOK_COLON)) {
        if (forced) {
            _PyParser_ErrorToken(p, peek(p), "expected ':'");
        }
        else if (p->invalid_pass && at(p, TOK_NEWLINE)) {
            _PyParser_RaiseLast(p, "SyntaxError", "expected ':'");
        }
        return NULL;
    }
    p->mark++;
    if (p->invalid_pass && at(p, TOK_NEWLINE)
        && _PyParser_PeekAt(p, p->mark + 1)->type != TOK_INDENT) {
        _PyParser_RaiseLast(p, "IndentationError", "expected an indented "
                            "block after %s on line %d", what, line);
        return NULL;
    }
    return block(p);
}

/* ---------------------------------------------------------------------- */
/* Simple statements */

static int
augassign_op(int type)
{
    switch (type) {
    case TOK_PLUSEQUAL: return Add;
    case TOK_MINEQUAL: return Sub;
    case TOK_STAREQUAL: return Mult;
    case TOK_ATEQUAL: return MatMult;
    case TOK_SLASHEQUAL: return Div;
    case TOK_PERCENTEQUAL: return Mod;
    case TOK_AMPEREQUAL: return BitAnd;
    case TOK_VBAREQUAL: return BitOr;
    case TOK_CIRCUMFLEXEQUAL: return BitXor;
    case TOK_LEFTSHIFTEQUAL: return LShift;
    case TOK_RIGHTSHIFTEQUAL: return RShift;
    case TOK_DOUBLESTAREQUAL: return Pow;
    case TOK_DOUBLESLASHEQUAL: return FloorDiv;
    }
    return 0;
}

static expr_ty
annotated_rhs(_PyParser *p)
{
    if (at_kw(p, KW_YIELD)) {
        return _PyParser_YieldExpr(p);
    }
    return _PyParser_StarExpressions(p);
}

/* The second pass's invalid_assignment, tried where CPython tries it:
   after the valid forms of assignment failed at START.  Each check
   raises its error when its shape matches; otherwise nothing happens. */
static void
invalid_assignment(_PyParser *p, int start)
{
    /* (list | tuple | '(' ... ')') ':' expression */
    p->mark = start;
    if (at(p, TOK_LPAR) || at(p, TOK_LSQB)) {
        int depth = 0;
        while (at(p, TOK_LPAR) && _PyParser_PeekAt(p, p->mark + 1)->type
                                  == TOK_LPAR) {
            p->mark++;
            depth++;
        }
        expr_ty a = _PyParser_Atom(p);
        while (a != NULL && depth > 0 && expect(p, TOK_RPAR)) {
            depth--;
        }
        if (a != NULL && depth == 0 && (a->kind == List_kind
                                        || a->kind == Tuple_kind)
            && expect(p, TOK_COLON) && _PyParser_Expression(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                              a->end_lineno, a->end_col_offset,
                              "only single target (not %s) can be annotated",
                              a->kind == List_kind ? "list" : "tuple");
            return;
        }
        if (p->error) {
            return;
        }
    }
    /* star_named_expression ',' star_named_expressions* ':' expression */
    p->mark = start;
    expr_ty a = _PyParser_StarNamedExpression(p);
    if (p->error) {
        return;
    }
    if (a != NULL && expect(p, TOK_COMMA)) {
        /* star_named_expressions*: groups need no comma between them */
        while (1) {
            int save = p->mark;
            expr_ty e = _PyParser_StarNamedExpression(p);
            if (p->error) {
                return;
            }
            if (e == NULL) {
                p->mark = save;
                break;
            }
            expect(p, TOK_COMMA);
        }
        if (expect(p, TOK_COLON) && _PyParser_Expression(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                              a->end_lineno, a->end_col_offset,
                              "only single target (not tuple) can be "
                              "annotated");
            return;
        }
        if (p->error) {
            return;
        }
    }
    /* expression ':' expression */
    p->mark = start;
    a = _PyParser_Expression(p);
    if (a != NULL && expect(p, TOK_COLON) && _PyParser_Expression(p) != NULL) {
        _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                          a->end_lineno, a->end_col_offset,
                          "illegal target for annotation");
        return;
    }
    if (p->error) {
        return;
    }
    /* (star_targets '=')* (star_expressions | yield_expr) '=' */
    p->mark = start;
    while (1) {
        int save = p->mark;
        expr_ty t = _PyParser_StarTargets(p);
        if (p->error) {
            return;
        }
        if (t == NULL || !expect(p, TOK_EQUAL)) {
            p->mark = save;
            break;
        }
    }
    int rhs = p->mark;
    a = _PyParser_StarExpressions(p);
    if (a != NULL && at(p, TOK_EQUAL)) {
        _PyParser_RaiseInvalidTarget(p, a, _PyPARSER_STAR_TARGETS);
        return;
    }
    if (p->error) {
        return;
    }
    p->mark = rhs;
    a = _PyParser_YieldExpr(p);
    if (a != NULL && at(p, TOK_EQUAL)) {
        _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                          a->end_lineno, a->end_col_offset,
                          "assignment to yield expression not possible");
        return;
    }
    if (p->error) {
        return;
    }
    /* star_expressions augassign (yield_expr | star_expressions) */
    p->mark = start;
    a = _PyParser_StarExpressions(p);
    if (a != NULL && augassign_op(peek(p)->type) != 0) {
        p->mark++;
        if (annotated_rhs(p) != NULL) {
            _PyParser_ErrorAt(p, "SyntaxError", a->lineno, a->col_offset,
                              a->end_lineno, a->end_col_offset,
                              "'%s' is an illegal expression for augmented "
                              "assignment", _PyParser_ExprName(a));
            return;
        }
    }
}

/* Statements starting with an expression: assignment (annotated, plain,
   augmented) or an expression statement.  The first expression is parsed
   once and turned into a target when an '=' follows. */
static stmt_ty
expr_or_assign_impl(_PyParser *p)
{
    int start = p->mark;
    int first_is_paren = at(p, TOK_LPAR);
    expr_ty e = annotated_rhs(p);
    if (e == NULL) {
        return NULL;
    }
    _PyToken *t = peek(p);
    if (t->type == TOK_COLON) {
        /* annotated assignment: single target only */
        int simple = 0;
        if (e->kind == Name_kind) {
            simple = !first_is_paren;
        }
        else if (e->kind != Attribute_kind && e->kind != Subscript_kind) {
            return NULL;
        }
        p->mark++;
        expr_ty ann = _PyParser_Expression(p);
        if (ann == NULL) {
            return NULL;
        }
        expr_ty value = NULL;
        if (at(p, TOK_EQUAL)) {
            int save = p->mark;
            p->mark++;
            value = annotated_rhs(p);
            CHECK_ERROR();
            if (value == NULL) {
                p->mark = save;
            }
        }
        e = _PyParser_WithContext(p, e, Store);
        if (e == NULL) {
            return NULL;
        }
        return _PyAST_AnnAssign(e, ann, value, simple, EXTRA_FROM(start));
    }
    if (t->type == TOK_EQUAL) {
        _PySeqBuf targets = {0};
        expr_ty value = e;
        while (at(p, TOK_EQUAL)) {
            expr_ty target = _PyParser_WithContext(p, value, Store);
            if (target == NULL) {
                return NULL;
            }
            if (push(p, &targets, target) < 0) {
                return NULL;
            }
            p->mark++;
            value = annotated_rhs(p);
            if (value == NULL) {
                return NULL;
            }
        }
        return _PyAST_Assign((asdl_expr_seq *)_PyParser_SeqFinish(p, &targets),
                             value, NULL, EXTRA_FROM(start));
    }
    int op = augassign_op(t->type);
    if (op != 0) {
        if (e->kind != Name_kind && e->kind != Attribute_kind
            && e->kind != Subscript_kind) {
            return NULL;
        }
        p->mark++;
        expr_ty value = annotated_rhs(p);
        if (value == NULL) {
            return NULL;
        }
        e = _PyParser_WithContext(p, e, Store);
        if (e == NULL) {
            return NULL;
        }
        return _PyAST_AugAssign(e, (operator_ty)op, value, EXTRA_FROM(start));
    }
    return _PyAST_Expr(e, EXTRA_FROM(start));
}

static stmt_ty
expr_or_assign(_PyParser *p)
{
    int start = p->mark;
    stmt_ty s = expr_or_assign_impl(p);
    /* CPython tries invalid_assignment whenever no assignment matched,
       before it settles for an expression statement */
    if (p->invalid_pass && !p->error && (s == NULL || s->kind == Expr_kind)) {
        int end = p->mark;
        invalid_assignment(p, start);
        if (p->error) {
            return NULL;
        }
        p->mark = s != NULL ? end : start;
    }
    return s;
}

/* dotted_name: NAME ('.' NAME)* as one identifier */
static identifier
dotted_name(_PyParser *p)
{
    if (!_PyParser_IsName(peek(p))) {
        return NULL;
    }
    identifier first = name_token(p, NULL);
    if (first == NULL) {
        return NULL;
    }
    if (!at(p, TOK_DOT)) {
        return first;
    }
    size_t len = strlen(first);
    char buf_small[256];
    char *buf = buf_small;
    size_t cap = sizeof(buf_small);
    memcpy(buf, first, len + 1);
    while (at(p, TOK_DOT) && _PyParser_IsName(_PyParser_PeekAt(p, p->mark + 1))) {
        p->mark++;
        identifier part = name_token(p, NULL);
        if (part == NULL) {
            if (buf != buf_small) {
                free(buf);
            }
            return NULL;
        }
        size_t pl = strlen(part);
        if (len + pl + 2 > cap) {
            size_t ncap = (len + pl + 2) * 2;
            char *nb = malloc(ncap);
            if (nb == NULL) {
                if (buf != buf_small) {
                    free(buf);
                }
                return _PyParser_ErrorNoMem(p);
            }
            memcpy(nb, buf, len + 1);
            if (buf != buf_small) {
                free(buf);
            }
            buf = nb;
            cap = ncap;
        }
        buf[len++] = '.';
        memcpy(buf + len, part, pl + 1);
        len += pl;
    }
    identifier r = _PyArena_Strndup(p->arena, buf, len);
    if (buf != buf_small) {
        free(buf);
    }
    if (r == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    return r;
}

/* import_name: 'import' ','.(dotted_name ['as' NAME])+ */
static stmt_ty
import_name(_PyParser *p)
{
    int start = p->mark;
    expect_kw(p, KW_IMPORT);
    _PySeqBuf names = {0};
    do {
        int astart = p->mark;
        identifier name = dotted_name(p);
        if (name == NULL) {
            return NULL;
        }
        identifier asname = NULL;
        if (expect_kw(p, KW_AS)) {
            asname = name_token(p, NULL);
            if (asname == NULL) {
                return NULL;
            }
        }
        alias_ty a = _PyAST_alias(name, asname, EXTRA_FROM(astart));
        if (a == NULL || push(p, &names, a) < 0) {
            return NULL;
        }
    } while (expect(p, TOK_COMMA));
    return _PyAST_Import((asdl_alias_seq *)_PyParser_SeqFinish(p, &names),
                         EXTRA_FROM(start));
}

/* import_from_as_names: ','.(NAME ['as' NAME])+ */
static asdl_alias_seq *
import_from_as_names(_PyParser *p)
{
    _PySeqBuf names = {0};
    while (1) {
        int astart = p->mark;
        identifier name = name_token(p, NULL);
        if (name == NULL) {
            break;
        }
        identifier asname = NULL;
        if (expect_kw(p, KW_AS)) {
            asname = name_token(p, NULL);
            if (asname == NULL) {
                return NULL;
            }
        }
        alias_ty a = _PyAST_alias(name, asname, EXTRA_FROM(astart));
        if (a == NULL || push(p, &names, a) < 0) {
            return NULL;
        }
        if (!at(p, TOK_COMMA)
            || !_PyParser_IsName(_PyParser_PeekAt(p, p->mark + 1))) {
            break;
        }
        p->mark++;
    }
    if (names.seq == NULL) {
        return NULL;
    }
    return (asdl_alias_seq *)_PyParser_SeqFinish(p, &names);
}

/* import_from: 'from' ('.' | '...')* dotted_name 'import' targets
              | 'from' ('.' | '...')+ 'import' targets */
static stmt_ty
import_from(_PyParser *p)
{
    int start = p->mark;
    expect_kw(p, KW_FROM);
    int level = 0;
    while (1) {
        if (expect(p, TOK_DOT)) {
            level++;
        }
        else if (expect(p, TOK_ELLIPSIS)) {
            level += 3;
        }
        else {
            break;
        }
    }
    identifier module = NULL;
    if (!at_kw(p, KW_IMPORT)) {
        module = dotted_name(p);
        if (module == NULL) {
            return NULL;
        }
    }
    else if (level == 0) {
        return NULL;
    }
    if (!expect_kw(p, KW_IMPORT)) {
        return NULL;
    }
    asdl_alias_seq *names;
    _PyToken *t = peek(p);
    if (t->type == TOK_STAR) {
        p->mark++;
        identifier star = _PyArena_Strndup(p->arena, "*", 1);
        alias_ty a = _PyAST_alias(star, NULL, t->lineno, t->col_offset,
                                  t->end_lineno, t->end_col_offset, p->arena);
        _PySeqBuf b = {0};
        if (a == NULL || push(p, &b, a) < 0) {
            return NULL;
        }
        names = (asdl_alias_seq *)_PyParser_SeqFinish(p, &b);
    }
    else if (t->type == TOK_LPAR) {
        p->mark++;
        names = import_from_as_names(p);
        if (names == NULL) {
            return NULL;
        }
        expect(p, TOK_COMMA);
        if (!expect(p, TOK_RPAR)) {
            return NULL;
        }
    }
    else {
        names = import_from_as_names(p);
        if (names == NULL) {
            return NULL;
        }
        if (at(p, TOK_COMMA)) {
            if (p->invalid_pass
                && _PyParser_PeekAt(p, p->mark + 1)->type == TOK_NEWLINE) {
                p->mark++;
                peek(p);
                _PyParser_RaiseLast(p, "SyntaxError", "trailing comma not "
                                    "allowed without surrounding "
                                    "parentheses");
            }
            return NULL;
        }
    }
    return _PyAST_ImportFrom(module, names, level, EXTRA_FROM(start));
}

static stmt_ty
global_or_nonlocal(_PyParser *p, int is_global)
{
    int start = p->mark;
    p->mark++;
    _PySeqBuf names = {0};
    do {
        identifier n = name_token(p, NULL);
        if (n == NULL) {
            return NULL;
        }
        if (push(p, &names, (void *)n) < 0) {
            return NULL;
        }
    } while (expect(p, TOK_COMMA));
    asdl_identifier_seq *seq =
        (asdl_identifier_seq *)_PyParser_SeqFinish(p, &names);
    if (is_global) {
        return _PyAST_Global(seq, EXTRA_FROM(start));
    }
    return _PyAST_Nonlocal(seq, EXTRA_FROM(start));
}

/* del_stmt: 'del' del_targets &(';' | NEWLINE) | invalid_del_stmt */
static stmt_ty
del_stmt(_PyParser *p)
{
    int start = p->mark;
    p->mark++;
    _PySeqBuf targets = {0};
    int ok = 1;
    do {
        if (at(p, TOK_SEMI) || at(p, TOK_NEWLINE)) {
            break;
        }
        expr_ty t = _PyParser_Primary(p);
        if (t != NULL) {
            t = _PyParser_WithContext(p, t, Del);
        }
        if (t == NULL || push(p, &targets, t) < 0) {
            ok = 0;
            break;
        }
    } while (expect(p, TOK_COMMA));
    CHECK_ERROR();
    if (ok && targets.seq != NULL && (at(p, TOK_SEMI) || at(p, TOK_NEWLINE))) {
        return _PyAST_Delete(
            (asdl_expr_seq *)_PyParser_SeqFinish(p, &targets),
            EXTRA_FROM(start));
    }
    if (p->invalid_pass) {
        p->mark = start + 1;
        expr_ty a = _PyParser_StarExpressions(p);
        if (a != NULL) {
            _PyParser_RaiseInvalidTarget(p, a, _PyPARSER_DEL_TARGETS);
        }
    }
    return NULL;
}

static stmt_ty
simple_stmt_impl(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (t->type == TOK_NAME) {
        switch (t->kw) {
        case KW_RETURN: {
            p->mark++;
            expr_ty value = NULL;
            if (!at(p, TOK_NEWLINE) && !at(p, TOK_SEMI)) {
                int save = p->mark;
                value = _PyParser_StarExpressions(p);
                CHECK_ERROR();
                if (value == NULL) {
                    p->mark = save;
                }
            }
            return _PyAST_Return(value, EXTRA_FROM(start));
        }
        case KW_IMPORT:
            return import_name(p);
        case KW_FROM:
            return import_from(p);
        case KW_RAISE: {
            p->mark++;
            expr_ty exc = NULL, cause = NULL;
            int save = p->mark;
            exc = _PyParser_Expression(p);
            CHECK_ERROR();
            if (exc == NULL) {
                p->mark = save;
            }
            else if (expect_kw(p, KW_FROM)) {
                cause = _PyParser_Expression(p);
                if (cause == NULL) {
                    return NULL;
                }
            }
            return _PyAST_Raise(exc, cause, EXTRA_FROM(start));
        }
        case KW_PASS:
            p->mark++;
            return _PyAST_Pass(EXTRA_FROM(start));
        case KW_BREAK:
            p->mark++;
            return _PyAST_Break(EXTRA_FROM(start));
        case KW_CONTINUE:
            p->mark++;
            return _PyAST_Continue(EXTRA_FROM(start));
        case KW_DEL:
            return del_stmt(p);
        case KW_ASSERT: {
            p->mark++;
            expr_ty test = _PyParser_Expression(p);
            if (test == NULL) {
                return NULL;
            }
            expr_ty msg = NULL;
            if (expect(p, TOK_COMMA)) {
                msg = _PyParser_Expression(p);
                if (msg == NULL) {
                    return NULL;
                }
            }
            return _PyAST_Assert(test, msg, EXTRA_FROM(start));
        }
        case KW_GLOBAL:
            return global_or_nonlocal(p, 1);
        case KW_NONLOCAL:
            return global_or_nonlocal(p, 0);
        }
    }
    return expr_or_assign(p);
}

static stmt_ty
simple_stmt(_PyParser *p)
{
    int start = p->mark;
    stmt_ty s = simple_stmt_impl(p);
    if (s == NULL) {
        p->mark = start;
    }
    return s;
}

/* simple_stmts: ';'.simple_stmt+ [';'] NEWLINE */
static asdl_stmt_seq *
simple_stmts(_PyParser *p)
{
    int start = p->mark;
    _PySeqBuf b = {0};
    while (1) {
        stmt_ty s = simple_stmt(p);
        if (s == NULL) {
            break;
        }
        if (push(p, &b, s) < 0) {
            return NULL;
        }
        if (!at(p, TOK_SEMI)) {
            break;
        }
        p->mark++;
        if (at(p, TOK_NEWLINE)) {
            break;
        }
    }
    CHECK_ERROR();
    if (b.seq == NULL || !expect(p, TOK_NEWLINE)) {
        p->mark = start;
        return NULL;
    }
    return (asdl_stmt_seq *)_PyParser_SeqFinish(p, &b);
}

/* ---------------------------------------------------------------------- */
/* Compound statements */

static asdl_stmt_seq *
else_block(_PyParser *p)
{
    if (!at_kw(p, KW_ELSE)) {
        return NULL;
    }
    int save = p->mark;
    int line = peek(p)->lineno;
    p->mark++;
    asdl_stmt_seq *b = colon_block(p, "'else' statement", line, 1);
    if (b == NULL) {
        p->mark = save;
    }
    return b;
}

static asdl_stmt_seq *
empty_stmts(_PyParser *p)
{
    return (asdl_stmt_seq *)_Py_asdl_generic_seq_new(0, p->arena);
}

/* if_stmt / elif_stmt */
static stmt_ty
if_stmt(_PyParser *p)
{
    int start = p->mark;
    _PyToken *kw = peek(p);
    p->mark++;      /* 'if' or 'elif' */
    expr_ty test = _PyParser_NamedExpression(p);
    if (test == NULL) {
        return NULL;
    }
    asdl_stmt_seq *body = colon_block(p, kw->kw == KW_IF ? "'if' statement"
                                      : "'elif' statement", kw->lineno, 0);
    if (body == NULL) {
        return NULL;
    }
    asdl_stmt_seq *orelse;
    if (at_kw(p, KW_ELIF)) {
        stmt_ty elif = if_stmt(p);
        if (elif == NULL) {
            return NULL;
        }
        _PySeqBuf b = {0};
        if (push(p, &b, elif) < 0) {
            return NULL;
        }
        orelse = (asdl_stmt_seq *)_PyParser_SeqFinish(p, &b);
    }
    else {
        orelse = else_block(p);
        CHECK_ERROR();
        if (orelse == NULL) {
            orelse = empty_stmts(p);
        }
    }
    return _PyAST_If(test, body, orelse, EXTRA_FROM(start));
}

static stmt_ty
while_stmt(_PyParser *p)
{
    int start = p->mark;
    int line = peek(p)->lineno;
    p->mark++;
    expr_ty test = _PyParser_NamedExpression(p);
    if (test == NULL) {
        return NULL;
    }
    asdl_stmt_seq *body = colon_block(p, "'while' statement", line, 0);
    if (body == NULL) {
        return NULL;
    }
    asdl_stmt_seq *orelse = else_block(p);
    CHECK_ERROR();
    if (orelse == NULL) {
        orelse = empty_stmts(p);
    }
    return _PyAST_While(test, body, orelse, EXTRA_FROM(start));
}

/* for_stmt: [ASYNC] 'for' star_targets 'in' ~ star_expressions ':'
             block [else_block] */
static stmt_ty
for_stmt(_PyParser *p, int start, int is_async)
{
    int line = TOK(start)->lineno;
    p->mark++;      /* 'for' */
    int tstart = p->mark;
    expr_ty target = _PyParser_StarTargets(p);
    if (target == NULL || !expect_kw(p, KW_IN)) {
        if (p->invalid_pass && !p->error) {
            p->mark = tstart;
            _PyParser_InvalidForTarget(p);
        }
        return NULL;
    }
    expr_ty iter = _PyParser_StarExpressions(p);
    if (iter == NULL) {
        return NULL;
    }
    asdl_stmt_seq *body = colon_block(p, "'for' statement", line, 0);
    if (body == NULL) {
        return NULL;
    }
    asdl_stmt_seq *orelse = else_block(p);
    CHECK_ERROR();
    if (orelse == NULL) {
        orelse = empty_stmts(p);
    }
    if (is_async) {
        return _PyAST_AsyncFor(target, iter, body, orelse, NULL,
                               EXTRA_FROM(start));
    }
    return _PyAST_For(target, iter, body, orelse, NULL, EXTRA_FROM(start));
}

/* with_item: expression 'as' star_target &(',' | ')' | ':') | expression */
static withitem_ty
with_item(_PyParser *p)
{
    expr_ty e = _PyParser_Expression(p);
    if (e == NULL) {
        return NULL;
    }
    expr_ty vars = NULL;
    if (at_kw(p, KW_AS)) {
        int save = p->mark;
        p->mark++;
        vars = _PyParser_StarTarget(p);
        CHECK_ERROR();
        if (vars == NULL || !(at(p, TOK_COMMA) || at(p, TOK_RPAR)
                              || at(p, TOK_COLON))) {
            if (p->invalid_pass) {
                /* invalid_with_item: expression 'as' expression &(...) */
                p->mark = save + 1;
                expr_ty a = _PyParser_Expression(p);
                if (a != NULL && (at(p, TOK_COMMA) || at(p, TOK_RPAR)
                                  || at(p, TOK_COLON))) {
                    return _PyParser_RaiseInvalidTarget(
                        p, a, _PyPARSER_STAR_TARGETS);
                }
                CHECK_ERROR();
            }
            p->mark = save;
            vars = NULL;
            return NULL;
        }
    }
    withitem_ty w = _PyAST_withitem(e, vars, p->arena);
    if (w == NULL) {
        return _PyParser_ErrorNoMem(p);
    }
    return w;
}

static asdl_withitem_seq *
with_items(_PyParser *p, int in_parens)
{
    _PySeqBuf b = {0};
    while (1) {
        withitem_ty w = with_item(p);
        if (w == NULL) {
            return NULL;
        }
        if (push(p, &b, w) < 0) {
            return NULL;
        }
        if (!at(p, TOK_COMMA)) {
            break;
        }
        p->mark++;
        if (in_parens && at(p, TOK_RPAR)) {
            break;
        }
    }
    return (asdl_withitem_seq *)_PyParser_SeqFinish(p, &b);
}

/* invalid_with_stmt: 'with' ','.(expression ['as' star_target])+ NEWLINE,
   also inside parentheses: "expected ':'". */
static void
invalid_with_stmt(_PyParser *p, int start)
{
    for (int paren = 0; paren < 2; paren++) {
        p->mark = start;
        if (paren && !expect(p, TOK_LPAR)) {
            break;
        }
        int n = 0;
        while (1) {
            int item = p->mark;
            if (n > 0 && !expect(p, TOK_COMMA)) {
                break;
            }
            expr_ty e = paren ? _PyParser_Expressions(p)
                              : _PyParser_Expression(p);
            if (e == NULL) {
                p->mark = item;     /* a trailing ',' is not consumed */
                break;
            }
            n++;
            if (at_kw(p, KW_AS)) {
                int save = p->mark;
                p->mark++;
                if (_PyParser_StarTarget(p) == NULL) {
                    p->mark = save;
                }
            }
        }
        if (paren) {
            expect(p, TOK_COMMA);
        }
        if (p->error) {
            return;
        }
        if (n > 0 && (!paren || expect(p, TOK_RPAR)) && at(p, TOK_NEWLINE)) {
            _PyParser_RaiseLast(p, "SyntaxError", "expected ':'");
            return;
        }
    }
    p->mark = start;
}

/* with_stmt: [ASYNC] 'with' '(' ','.with_item+ ','? ')' ':' block
            | [ASYNC] 'with' ','.with_item+ ':' block */
static stmt_ty
with_stmt(_PyParser *p, int start, int is_async)
{
    p->mark++;      /* 'with' */
    asdl_withitem_seq *items = NULL;
    if (at(p, TOK_LPAR)) {
        int save = p->mark;
        p->mark++;
        items = with_items(p, 1);
        CHECK_ERROR();
        if (items == NULL || !expect(p, TOK_RPAR) || !at(p, TOK_COLON)) {
            items = NULL;
            p->mark = save;
        }
    }
    int after_with = p->mark;
    if (items == NULL) {
        items = with_items(p, 0);
        CHECK_ERROR();
        if (items == NULL) {
            if (p->invalid_pass) {
                invalid_with_stmt(p, after_with);
            }
            return NULL;
        }
    }
    if (p->invalid_pass && !at(p, TOK_COLON)) {
        invalid_with_stmt(p, after_with);
        return NULL;
    }
    asdl_stmt_seq *body = colon_block(p, "'with' statement",
                                      TOK(start)->lineno, 0);
    if (body == NULL) {
        return NULL;
    }
    if (is_async) {
        return _PyAST_AsyncWith(items, body, NULL, EXTRA_FROM(start));
    }
    return _PyAST_With(items, body, NULL, EXTRA_FROM(start));
}

/* except_block / except_star_block */
static excepthandler_ty
except_block(_PyParser *p, int *is_star)
{
    int start = p->mark;
    _PyToken *kw = peek(p);
    if (!expect_kw(p, KW_EXCEPT)) {
        return NULL;
    }
    int star = 0;
    if (p->invalid_pass && at(p, TOK_NEWLINE)) {
        return _PyParser_RaiseLast(p, "SyntaxError", "expected ':'");
    }
    if (expect(p, TOK_STAR)) {
        star = 1;
        if (p->invalid_pass && (at(p, TOK_NEWLINE) || at(p, TOK_COLON))) {
            return _PyParser_RaiseLast(p, "SyntaxError", "expected one or "
                                       "more exception types");
        }
    }
    expr_ty type = NULL;
    identifier name = NULL;
    if (!at(p, TOK_COLON) || star) {
        type = _PyParser_Expression(p);
        if (type == NULL) {
            p->mark = start;
            return NULL;
        }
        if (p->invalid_pass && at(p, TOK_COMMA)) {
            /* except A, B: ...  (Python 2 style) */
            int save = p->mark;
            p->mark++;
            expr_ty rest = _PyParser_Expressions(p);
            if (rest != NULL) {
                if (expect_kw(p, KW_AS)) {
                    name_token(p, NULL);
                }
                if (at(p, TOK_COLON)) {
                    _PyPos pos = _PyParser_Pos(p, start);
                    return _PyParser_ErrorAt(
                        p, "SyntaxError", type->lineno, type->col_offset,
                        pos.end_lineno, pos.end_col_offset,
                        "multiple exception types must be parenthesized");
                }
            }
            if (p->error) {
                return NULL;
            }
            p->mark = save;
        }
        if (expect_kw(p, KW_AS)) {
            name = name_token(p, NULL);
            if (name == NULL) {
                p->mark = start;
                return NULL;
            }
        }
    }
    asdl_stmt_seq *body = colon_block(p, star ? "'except*' statement"
                                      : "'except' statement", kw->lineno, 0);
    if (body == NULL) {
        p->mark = start;
        return NULL;
    }
    *is_star = star;
    return _PyAST_ExceptHandler(type, name, body, EXTRA_FROM(start));
}

static stmt_ty
try_stmt(_PyParser *p)
{
    int start = p->mark;
    p->mark++;
    asdl_stmt_seq *body = colon_block(p, "'try' statement",
                                      TOK(start)->lineno, 1);
    if (body == NULL) {
        return NULL;
    }
    _PySeqBuf handlers = {0};
    int kind = -1;
    while (at_kw(p, KW_EXCEPT)) {
        int star = 0;
        int hstart = p->mark;
        excepthandler_ty h = except_block(p, &star);
        if (h == NULL) {
            break;
        }
        if (kind >= 0 && star != kind) {
            if (p->invalid_pass) {
                _PyToken *e = TOK(hstart);
                _PyToken *end = star ? TOK(hstart + 1) : e;
                return _PyParser_ErrorAt(p, "SyntaxError", e->lineno,
                                         e->col_offset, end->end_lineno,
                                         end->end_col_offset,
                                         "cannot have both 'except' and "
                                         "'except*' on the same 'try'");
            }
            p->mark = start;
            return NULL;
        }
        kind = star;
        if (push(p, &handlers, h) < 0) {
            return NULL;
        }
    }
    CHECK_ERROR();
    if (handlers.seq == NULL && p->invalid_pass && !at_kw(p, KW_FINALLY)
        && !at_kw(p, KW_EXCEPT)) {
        return _PyParser_RaiseLast(p, "SyntaxError", "expected 'except' or "
                                   "'finally' block");
    }
    asdl_stmt_seq *orelse = NULL, *finalbody = NULL;
    if (handlers.seq != NULL) {
        orelse = else_block(p);
        CHECK_ERROR();
    }
    if (at_kw(p, KW_FINALLY)) {
        int save = p->mark;
        int line = peek(p)->lineno;
        p->mark++;
        finalbody = colon_block(p, "'finally' statement", line, 1);
        CHECK_ERROR();
        if (finalbody == NULL) {
            p->mark = save;
        }
    }
    if (handlers.seq == NULL && finalbody == NULL) {
        return NULL;
    }
    asdl_excepthandler_seq *hs =
        (asdl_excepthandler_seq *)_PyParser_SeqFinish(p, &handlers);
    if (orelse == NULL) {
        orelse = empty_stmts(p);
    }
    if (finalbody == NULL) {
        finalbody = empty_stmts(p);
    }
    if (kind == 1) {
        return _PyAST_TryStar(body, hs, orelse, finalbody, EXTRA_FROM(start));
    }
    return _PyAST_Try(body, hs, orelse, finalbody, EXTRA_FROM(start));
}

/* function_def_raw: [ASYNC] 'def' NAME '(' [params] ')' ['->' expression]
                     ':' block */
static stmt_ty
function_def(_PyParser *p, int start, int is_async,
             asdl_expr_seq *decorators)
{
    int line = peek(p)->lineno;
    p->mark++;      /* 'def' */
    identifier name = name_token(p, NULL);
    if (name == NULL) {
        return NULL;
    }
    if (!expect(p, TOK_LPAR)) {
        return _PyParser_ErrorToken(p, peek(p), "expected '('");
    }
    arguments_ty args = _PyParser_Params(p, 0);
    if (args == NULL || !expect(p, TOK_RPAR)) {
        return NULL;
    }
    expr_ty returns = NULL;
    if (at(p, TOK_RARROW)) {
        int save = p->mark;
        p->mark++;
        returns = _PyParser_Expression(p);
        CHECK_ERROR();
        if (returns == NULL) {
            p->mark = save;
        }
    }
    asdl_stmt_seq *body = colon_block(p, "function definition", line, 1);
    if (body == NULL) {
        return NULL;
    }
    if (is_async) {
        return _PyAST_AsyncFunctionDef(name, args, body, decorators, returns,
                                       NULL, EXTRA_FROM(start));
    }
    return _PyAST_FunctionDef(name, args, body, decorators, returns, NULL,
                              EXTRA_FROM(start));
}

/* class_def_raw: 'class' NAME ['(' [arguments] ')'] ':' block */
static stmt_ty
class_def(_PyParser *p, asdl_expr_seq *decorators)
{
    int start = p->mark;
    p->mark++;
    identifier name = name_token(p, NULL);
    if (name == NULL) {
        return NULL;
    }
    asdl_expr_seq *bases = NULL;
    asdl_keyword_seq *keywords = NULL;
    if (at(p, TOK_LPAR)) {
        bases = _PyParser_CallArgs(p, &keywords, NULL);
        if (bases == NULL) {
            return NULL;
        }
    }
    asdl_stmt_seq *body = colon_block(p, "class definition",
                                      TOK(start)->lineno, 0);
    if (body == NULL) {
        return NULL;
    }
    if (bases == NULL) {
        bases = (asdl_expr_seq *)_Py_asdl_generic_seq_new(0, p->arena);
        keywords = (asdl_keyword_seq *)_Py_asdl_generic_seq_new(0, p->arena);
    }
    return _PyAST_ClassDef(name, bases, keywords, body, decorators,
                           EXTRA_FROM(start));
}

/* decorators: ('@' named_expression NEWLINE)+ then a def or class */
static stmt_ty
decorated(_PyParser *p)
{
    _PySeqBuf decs = {0};
    while (expect(p, TOK_AT)) {
        expr_ty d = _PyParser_NamedExpression(p);
        if (d == NULL || !expect(p, TOK_NEWLINE)) {
            return NULL;
        }
        if (push(p, &decs, d) < 0) {
            return NULL;
        }
    }
    asdl_expr_seq *ds = (asdl_expr_seq *)_PyParser_SeqFinish(p, &decs);
    int start = p->mark;
    if (at_kw(p, KW_DEF)) {
        return function_def(p, start, 0, ds);
    }
    if (at_kw(p, KW_ASYNC)) {
        p->mark++;
        if (at_kw(p, KW_DEF)) {
            return function_def(p, start, 1, ds);
        }
        return NULL;
    }
    if (at_kw(p, KW_CLASS)) {
        return class_def(p, ds);
    }
    return NULL;
}

/* match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT */
static stmt_ty
match_stmt(_PyParser *p)
{
    int start = p->mark;
    p->mark++;      /* "match" */
    int sstart = p->mark;
    expr_ty subject = _PyParser_StarNamedExpression(p);
    if (subject == NULL) {
        return NULL;
    }
    if (at(p, TOK_COMMA)) {
        _PySeqBuf b = {0};
        if (push(p, &b, subject) < 0) {
            return NULL;
        }
        while (expect(p, TOK_COMMA)) {
            int save = p->mark;
            expr_ty e = _PyParser_StarNamedExpression(p);
            CHECK_ERROR();
            if (e == NULL) {
                p->mark = save;
                break;
            }
            if (push(p, &b, e) < 0) {
                return NULL;
            }
        }
        subject = _PyAST_Tuple((asdl_expr_seq *)_PyParser_SeqFinish(p, &b),
                               Load, EXTRA_FROM(sstart));
    }
    else if (subject->kind == Starred_kind) {
        return NULL;
    }
    if (!at(p, TOK_COLON)) {
        if (p->invalid_pass && at(p, TOK_NEWLINE)) {
            _PyParser_RaiseLast(p, "SyntaxError", "expected ':'");
        }
        return NULL;
    }
    p->mark++;
    if (!expect(p, TOK_NEWLINE)) {
        return NULL;
    }
    if (!at(p, TOK_INDENT)) {
        if (p->invalid_pass) {
            _PyParser_RaiseLast(p, "IndentationError", "expected an indented "
                                "block after 'match' statement on line %d",
                                TOK(start)->lineno);
        }
        return NULL;
    }
    p->mark++;
    _PySeqBuf cases = {0};
    while (at_kw(p, KW_CASE)) {
        int cstart = p->mark;
        p->mark++;
        pattern_ty pat = _PyParser_Patterns(p);
        if (pat == NULL) {
            p->mark = cstart;
            break;
        }
        expr_ty guard = NULL;
        if (expect_kw(p, KW_IF)) {
            guard = _PyParser_NamedExpression(p);
            if (guard == NULL) {
                p->mark = cstart;
                break;
            }
        }
        asdl_stmt_seq *body = colon_block(p, "'case' statement",
                                          TOK(cstart)->lineno, 0);
        if (body == NULL) {
            p->mark = cstart;
            break;
        }
        match_case_ty c = _PyAST_match_case(pat, guard, body, p->arena);
        if (c == NULL || push(p, &cases, c) < 0) {
            return _PyParser_ErrorNoMem(p);
        }
    }
    CHECK_ERROR();
    if (cases.seq == NULL || !expect(p, TOK_DEDENT)) {
        return NULL;
    }
    return _PyAST_Match(subject,
                        (asdl_match_case_seq *)_PyParser_SeqFinish(p, &cases),
                        EXTRA_FROM(start));
}

static stmt_ty
compound_stmt_impl(_PyParser *p)
{
    int start = p->mark;
    _PyToken *t = peek(p);
    if (t->type == TOK_AT) {
        return decorated(p);
    }
    if (t->type != TOK_NAME) {
        return NULL;
    }
    switch (t->kw) {
    case KW_DEF:
        return function_def(p, start, 0,
                             (asdl_expr_seq *)_Py_asdl_generic_seq_new(0, p->arena));
    case KW_IF:
        return if_stmt(p);
    case KW_CLASS:
        return class_def(p, (asdl_expr_seq *)_Py_asdl_generic_seq_new(0, p->arena));
    case KW_WITH:
        return with_stmt(p, start, 0);
    case KW_FOR:
        return for_stmt(p, start, 0);
    case KW_TRY:
        return try_stmt(p);
    case KW_WHILE:
        return while_stmt(p);
    case KW_ASYNC: {
        p->mark++;
        _PyToken *n = peek(p);
        if (n->type != TOK_NAME) {
            return NULL;
        }
        if (n->kw == KW_DEF) {
            return function_def(p, start, 1,
                                (asdl_expr_seq *)_Py_asdl_generic_seq_new(0, p->arena));
        }
        if (n->kw == KW_WITH) {
            return with_stmt(p, start, 1);
        }
        if (n->kw == KW_FOR) {
            return for_stmt(p, start, 1);
        }
        return NULL;
    }
    case KW_MATCH:
        return match_stmt(p);
    }
    return NULL;
}

static stmt_ty
compound_stmt(_PyParser *p)
{
    int start = p->mark;
    stmt_ty s = compound_stmt_impl(p);
    if (s == NULL) {
        p->mark = start;
    }
    return s;
}

/* statement: compound_stmt | simple_stmts; appends to B. */
static int
statement(_PyParser *p, _PySeqBuf *b)
{
    stmt_ty s = compound_stmt(p);
    if (s != NULL) {
        return push(p, b, s) < 0 ? -1 : 1;
    }
    if (p->error) {
        return -1;
    }
    asdl_stmt_seq *ss = simple_stmts(p);
    if (ss == NULL) {
        return p->error ? -1 : 0;
    }
    for (Py_ssize_t i = 0; i < ss->size; i++) {
        if (push(p, b, ss->typed_elements[i]) < 0) {
            return -1;
        }
    }
    return 1;
}

/* statements: statement+ */
static asdl_stmt_seq *
statements(_PyParser *p)
{
    _PySeqBuf b = {0};
    while (1) {
        int r = statement(p, &b);
        if (r < 0) {
            return NULL;
        }
        if (r == 0) {
            break;
        }
    }
    if (b.seq == NULL) {
        return NULL;
    }
    return (asdl_stmt_seq *)_PyParser_SeqFinish(p, &b);
}

/* ---------------------------------------------------------------------- */
/* Start rules */

/* file: [statements] ENDMARKER */
mod_ty
_PyParser_File(_PyParser *p)
{
    asdl_stmt_seq *body = statements(p);
    CHECK_ERROR();
    if (!expect(p, TOK_ENDMARKER)) {
        return NULL;
    }
    if (body == NULL) {
        body = empty_stmts(p);
    }
    asdl_type_ignore_seq *ti =
        (asdl_type_ignore_seq *)_Py_asdl_generic_seq_new(0, p->arena);
    return _PyAST_Module(body, ti, p->arena);
}

/* eval: expressions NEWLINE* ENDMARKER */
mod_ty
_PyParser_Eval(_PyParser *p)
{
    expr_ty e = _PyParser_Expressions(p);
    if (e == NULL) {
        return NULL;
    }
    while (expect(p, TOK_NEWLINE)) {
    }
    if (!expect(p, TOK_ENDMARKER)) {
        return NULL;
    }
    return _PyAST_Expression(e, p->arena);
}

/* interactive: statement_newline, for a string compiled in 'single' mode:
   compound_stmt (NEWLINE | end of input) | simple_stmts.  An empty input
   is an error (CPython's interactive exit), and so is anything after the
   statement ("multiple statements found"). */
mod_ty
_PyParser_Interactive(_PyParser *p)
{
    _PySeqBuf b = {0};
    asdl_stmt_seq *body;
    stmt_ty s = compound_stmt(p);
    CHECK_ERROR();
    if (s != NULL) {
        /* CPython ends a compound statement given as a string with the
           NEWLINE of a final empty line, or with the end of its block */
        int ended = p->tokens[p->mark - 1]->type == TOK_DEDENT
                    || p->source_had_newline;
        if (!expect(p, TOK_NEWLINE) && !(ended && at(p, TOK_ENDMARKER))) {
            return NULL;
        }
        if (push(p, &b, s) < 0) {
            return NULL;
        }
        body = (asdl_stmt_seq *)_PyParser_SeqFinish(p, &b);
    }
    else {
        body = simple_stmts(p);
        if (body == NULL) {
            return NULL;
        }
    }
    if (!at(p, TOK_ENDMARKER)) {
        CHECK_ERROR();
        return _PyParser_ErrorToken(p, p->tokens[p->mark - 1],
                                    "multiple statements found while "
                                    "compiling a single statement");
    }
    return _PyAST_Interactive(body, p->arena);
}

/* func_type: '(' [type_expressions] ')' '->' expression NEWLINE*
              ENDMARKER */
mod_ty
_PyParser_FuncType(_PyParser *p)
{
    if (!expect(p, TOK_LPAR)) {
        return NULL;
    }
    _PySeqBuf b = {0};
    while (!at(p, TOK_RPAR)) {
        if (!expect(p, TOK_STAR)) {
            expect(p, TOK_DOUBLESTAR);
        }
        expr_ty e = _PyParser_Expression(p);
        if (e == NULL || push(p, &b, e) < 0) {
            return NULL;
        }
        if (!expect(p, TOK_COMMA)) {
            break;
        }
    }
    if (!expect(p, TOK_RPAR) || !expect(p, TOK_RARROW)) {
        return NULL;
    }
    expr_ty returns = _PyParser_Expression(p);
    if (returns == NULL) {
        return NULL;
    }
    while (expect(p, TOK_NEWLINE)) {
    }
    if (!expect(p, TOK_ENDMARKER)) {
        return NULL;
    }
    return _PyAST_FunctionType((asdl_expr_seq *)_PyParser_SeqFinish(p, &b),
                               returns, p->arena);
}

static mod_ty
run_start_rule(_PyParser *p, int mode)
{
    switch (mode) {
    case _PyParser_MODE_EVAL:
        return _PyParser_Eval(p);
    case _PyParser_MODE_SINGLE:
        return _PyParser_Interactive(p);
    case _PyParser_MODE_FUNC_TYPE:
        return _PyParser_FuncType(p);
    default:
        return _PyParser_File(p);
    }
}

/* "'(' was never closed" at the innermost open bracket; it replaces any
   error already set. */
static void
unclosed_bracket_error(_PyParser *p)
{
    _PyTokenizer *tok = p->tok;
    int i = tok->level - 1;
    p->error = 0;
    _PyParser_ErrorAt(p, "SyntaxError", tok->parenlinenostack[i],
                      tok->parencolstack[i], tok->parenlinenostack[i], -1,
                      "'%c' was never closed", tok->parenstack[i]);
}

/* The generic error after both passes failed: "invalid syntax" at the
   furthest token of the first pass, unless the source ends inside
   brackets or at an unexpected indent.  As CPython does, the rest of the
   file is then tokenized: a tokenizer error there wins, and so does a
   bracket left open on a line before the error. */
void
_PyParser_SetGenericError(_PyParser *p, int last_fill)
{
    _PyToken *last = p->tokens[last_fill - 1];
    _PyTokenizer *tok = p->tok;
    if (last->type == TOK_ERRORTOKEN && tok->done == _PyTOK_EOF) {
        if (tok->level) {
            unclosed_bracket_error(p);
        }
        else {
            _PyParser_ErrorToken(p, last, "unexpected EOF while parsing");
        }
        return;
    }
    if (last->type == TOK_INDENT || last->type == TOK_DEDENT) {
        p->fill = last_fill;
        _PyParser_RaiseLast(p, "IndentationError",
                            last->type == TOK_INDENT ? "unexpected indent"
                            : "unexpected unindent");
        return;
    }
    _PyParser_ErrorToken(p, last, "invalid syntax");
    check_rest_of_source(p);
}

/* After the parser (not the tokenizer) raised a SyntaxError, CPython
   tokenizes the rest of the input: a tokenizer error there replaces the
   parser's, and so does a bracket still open at the end when the last
   token fetched is on a later line than the bracket. */
static void
check_rest_of_source(_PyParser *p)
{
    _PyTokenizer *tok = p->tok;
    int syntax = strcmp(p->err->type, "SyntaxError") == 0
                 || strcmp(p->err->type, "IndentationError") == 0
                 || strcmp(p->err->type, "TabError") == 0;
    if (tok->done != _PyTOK_OK || p->fill == 0 || !syntax) {
        return;
    }
    int current_line = p->tokens[p->fill - 1]->lineno;
    _PySyntaxErrorInfo saved = *p->err;
    p->err->text = NULL;
    while (1) {
        _PyToken t;
        int type = _PyTokenizer_Get(tok, &t);
        if (type == TOK_ERRORTOKEN || type == TOK_ENDMARKER) {
            break;
        }
    }
    if (tok->done == _PyTOK_ERROR && !tok->error_is_status) {
        free(saved.text);
        if (tok->decode_error) {
            /* raised as it is, not turned into a SyntaxError */
            static const char prefix[] = "(unicode error) ";
            char *m = p->err->msg;
            if (strncmp(m, prefix, sizeof(prefix) - 1) == 0) {
                memmove(m, m + sizeof(prefix) - 1,
                        strlen(m) - (sizeof(prefix) - 1) + 1);
            }
            p->err->type = "UnicodeDecodeError";
        }
        return;
    }
    free(p->err->text);
    *p->err = saved;
    if (tok->level && current_line > tok->parenlinenostack[tok->level - 1]) {
        unclosed_bracket_error(p);
    }
}

/* Both passes over prepared source, and the error when they fail. */
static mod_ty
parse_prepared(const char *buf, size_t len, int mode, int flags,
               int byte_offsets, int had_newline, _PyArena *arena,
               _PySyntaxErrorInfo *err)
{
    _PyTokenizer tok;
    _PyTokenizer_Init(&tok, buf, len, err);
    _PyParser p;
    memset(&p, 0, sizeof(p));
    p.tok = &tok;
    p.arena = arena;
    p.err = err;
    p.source = buf;
    p.source_end = buf + len;
    p.byte_offsets = byte_offsets;
    tok.byte_offsets = byte_offsets;
    tok.dont_imply_dedent = (flags & _PyParser_FLAG_DONT_IMPLY_DEDENT) != 0;
    p.source_had_newline = had_newline;
    p.level = _PyPARSER_BASE_LEVEL;
    mod_ty res = run_start_rule(&p, mode);
    if (res == NULL && (flags & _PyParser_FLAG_ALLOW_INCOMPLETE)
        && (tok.done == _PyTOK_EOF || tok.string_at_eof)) {
        /* the input ended before the statement did: whatever went wrong,
           more input may fix it */
        p.error = 0;
        free(p.err->text);
        p.err->text = NULL;
        _PyParser_RaiseLast(&p, "SyntaxError", "incomplete input");
    }
    else if (res == NULL && !p.error) {
        int last_fill = p.fill;
        p.mark = 0;
        p.invalid_pass = 1;
        p.second_pass = 1;
        p.level = _PyPARSER_BASE_LEVEL;
        run_start_rule(&p, mode);
        if (!p.error) {
            _PyParser_SetGenericError(&p, last_fill);
        }
        else {
            check_rest_of_source(&p);
        }
    }
    else if (res == NULL) {
        check_rest_of_source(&p);
    }
    _PyParser_MemoFree(&p);
    free(p.tokens);
    return p.error ? NULL : res;
}

mod_ty
_PyParser_ParseStringEx(const char *src, size_t len, const char *filename,
                        int mode, int flags, _PyArena *arena,
                        _PySyntaxErrorInfo *err)
{
    (void)filename;
    memset(err, 0, sizeof(*err));
    size_t n;
    int declared;
    int is_str = (flags & _PyParser_FLAG_SOURCE_IS_STR) != 0;
    char *buf = _PyParser_PrepareSource(src, len, mode == _PyParser_MODE_EXEC,
                                        !is_str, &n, &declared, err);
    if (buf == NULL) {
        return NULL;
    }
    int byte_offsets = !declared && !(flags & _PyParser_FLAG_SOURCE_IS_STR);
    int had_newline = len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r');
    /* Identifiers and strings point into the arena, never into BUF. */
    mod_ty m = parse_prepared(buf, n, mode, flags, byte_offsets, had_newline,
                              arena, err);
    free(buf);
    return m;
}

mod_ty
_PyParser_ParseString(const char *src, size_t len, const char *filename,
                      int mode, _PyArena *arena, _PySyntaxErrorInfo *err)
{
    return _PyParser_ParseStringEx(src, len, filename, mode, 0, arena, err);
}

void
_PySyntaxErrorInfo_Clear(_PySyntaxErrorInfo *err)
{
    free(err->text);
    err->text = NULL;
}
