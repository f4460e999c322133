/* State shared by the parser's files (Parser/parser*.c, Parser/string_parser.c,
   Parser/parser_errors.c).  Not for use outside Parser/. */

#ifndef Py_INTERNAL_PARSER_STATE_H
#define Py_INTERNAL_PARSER_STATE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_tokenizer.h"

/* Deepest recursion of parsing functions, as CPython's MAXSTACK, and the
   most C stack a parse may use (bytes). */
#define _PyPARSER_MAXSTACK 6000
#define _PyPARSER_STACK_BUDGET (4 * 1024 * 1024)
/* Plait's rules nest less deeply than CPython's generated ones; starting
   a parse at this level makes the MemoryError come at the same depth of
   nesting as CPython's for the usual culprits (unary operators, `not`,
   conditional expressions). */
#define _PyPARSER_BASE_LEVEL 30
/* ... and a bracketed atom counts as this many levels. */
#define _PyPARSER_BRACKET_LEVELS 25

/* Memoised results of a few expression rules, per token position and per
   pass (the second pass's rules behave differently).  Without them,
   alternatives that re-parse a prefix would make nesting exponential.
   Like CPython's, the second pass's memo does not tell results computed
   with the invalid_* rules from those computed without them (inside
   expression_without_invalid): which one is found first decides some
   error messages. */
enum {
    _PyMEMO_EXPRESSION,
    _PyMEMO_NAMED_EXPRESSION,
    _PyMEMO_DISJUNCTION,
    _PyMEMO_BITWISE_OR,
    _PyMEMO_PRIMARY,
    _PyMEMO_N
};

typedef struct {
    void *node;
    int end;
    int known;
} _PyMemo;

typedef struct _PyParser {
    _PyTokenizer *tok;
    _PyToken **tokens;      /* tokens fetched so far; a token never moves,
                               so rules may keep pointers to them */
    _PyToken *token_block;  /* arena block the next tokens go to */
    int fill;
    int size;
    int mark;               /* index of the next token */
    _PyArena *arena;
    _PySyntaxErrorInfo *err;
    int error;              /* an error is set: unwind */
    int fstring_expr;       /* parsing an f-string's replacement field */
    int fstring_col_base;   /* its errors' columns count from here */
    int level;              /* recursion depth */
    char *stack_base;       /* C stack address where the parse began */
    int invalid_pass;       /* invalid_* rules are on (second pass) */
    int second_pass;        /* which memo table to use */
    int byte_offsets;       /* report parser errors' columns in bytes */
    int source_had_newline; /* the input itself ended with a newline */
    _PyMemo *memo[2];       /* [second_pass] */
    int memo_positions;
    const char *source;     /* start of the whole prepared source */
    const char *source_end;
} _PyParser;

/* Token access */
extern _PyToken *_PyParser_Peek(_PyParser *p);
extern _PyToken *_PyParser_PeekAt(_PyParser *p, int index);
extern _PyToken *_PyParser_Expect(_PyParser *p, int type);
extern _PyToken *_PyParser_ExpectKeyword(_PyParser *p, int kw);

static inline _PyToken *
_PyParser_Token(_PyParser *p, int index)
{
    return p->tokens[index];
}

static inline _PyToken *
_PyParser_Last(_PyParser *p)
{
    return p->tokens[p->mark - 1];
}

/* A sequence being built: the asdl_seq grows in the arena (old copies
   are simply left there) so no cleanup is needed on failure paths. */
typedef struct {
    asdl_seq *seq;
    Py_ssize_t cap;
} _PySeqBuf;

extern int _PyParser_SeqPush(_PyParser *p, _PySeqBuf *b, void *item);
/* The sequence (possibly empty, never NULL unless out of memory). */
extern asdl_seq *_PyParser_SeqFinish(_PyParser *p, _PySeqBuf *b);

/* Position of the rule that started at token index START and ended with
   the last non-whitespace token consumed. */
typedef struct {
    int lineno, col_offset, end_lineno, end_col_offset;
} _PyPos;
extern _PyPos _PyParser_Pos(_PyParser *p, int start);

/* The memo slot of RULE at the current position (NULL when out of
   memory), and the release of all slots. */
extern _PyMemo *_PyParser_MemoSlot(_PyParser *p, int rule);
extern void _PyParser_MemoFree(_PyParser *p);

/* Errors.  Each returns NULL for convenience. */
extern void *_PyParser_ErrorAt(_PyParser *p, const char *type,
                               int lineno, int col, int end_lineno,
                               int end_col, const char *fmt, ...);
extern void *_PyParser_ErrorToken(_PyParser *p, _PyToken *t,
                                  const char *fmt, ...);
extern void *_PyParser_RaiseLast(_PyParser *p, const char *type,
                                 const char *fmt, ...);
extern void *_PyParser_ErrorNoMem(_PyParser *p);
extern int _PyParser_EnterRecursion(_PyParser *p);
extern int _PyParser_EnterRecursionN(_PyParser *p, int n);

/* Rules other files call */
extern expr_ty _PyParser_Expression(_PyParser *p);
extern expr_ty _PyParser_NamedExpression(_PyParser *p);
extern expr_ty _PyParser_StarNamedExpression(_PyParser *p);
extern expr_ty _PyParser_YieldExpr(_PyParser *p);
extern expr_ty _PyParser_StarTargets(_PyParser *p);
extern expr_ty _PyParser_StarTarget(_PyParser *p);
extern expr_ty _PyParser_BitwiseOr(_PyParser *p);
extern expr_ty _PyParser_Disjunction(_PyParser *p);
extern expr_ty _PyParser_Primary(_PyParser *p);
extern expr_ty _PyParser_Atom(_PyParser *p);
extern expr_ty _PyParser_Expressions(_PyParser *p);
extern arguments_ty _PyParser_Params(_PyParser *p, int is_lambda);
extern asdl_expr_seq *_PyParser_CallArgs(_PyParser *p, asdl_keyword_seq **kw,
                                         int *is_genexp);
extern pattern_ty _PyParser_Patterns(_PyParser *p);
extern pattern_ty _PyParser_Pattern(_PyParser *p);
extern int _PyParser_IsName(_PyToken *t);
/* Targets: a copy of E in context CTX, or NULL if E is no target. */
extern expr_ty _PyParser_WithContext(_PyParser *p, expr_ty e,
                                     expr_context_ty ctx);
enum {
    _PyPARSER_STAR_TARGETS,
    _PyPARSER_DEL_TARGETS,
    _PyPARSER_FOR_TARGETS
};
extern expr_ty _PyParser_InvalidTarget(expr_ty e, int kind);
extern void *_PyParser_RaiseInvalidTarget(_PyParser *p, expr_ty e, int kind);
extern void *_PyParser_InvalidForTarget(_PyParser *p);
extern const char *_PyParser_ExprName(expr_ty e);
extern mod_ty _PyParser_File(_PyParser *p);
extern mod_ty _PyParser_Eval(_PyParser *p);
extern mod_ty _PyParser_Interactive(_PyParser *p);
extern mod_ty _PyParser_FuncType(_PyParser *p);
extern expr_ty _PyParser_StarExpressions(_PyParser *p);
extern expr_ty _PyParser_Strings(_PyParser *p);
extern void _PyParser_SetGenericError(_PyParser *p, int last_fill);

/* String literals (Parser/string_parser.c): concatenate the STRING tokens
   [FIRST, LAST] into a Constant or JoinedStr. */
extern expr_ty _PyParser_ConcatenateStrings(_PyParser *p, int first,
                                            int last);

/* Number literal of token T. */
extern expr_ty _PyParser_Number(_PyParser *p, _PyToken *t);

/* An identifier of the token (NFKC-normalised, in the arena). */
extern identifier _PyParser_Identifier(_PyParser *p, _PyToken *t);

/* Parse an f-string replacement field's expression held in
   [START, END) of the source at LINENO/COL (of the '{'). */
extern expr_ty _PyParser_FStringExpr(_PyParser *p, const char *start,
                                     const char *end, int lineno,
                                     int col, _PyToken *t);

#endif /* !Py_INTERNAL_PARSER_STATE_H */
