/* `from __future__ import ...`: which features a module turns on.

   Only the statements at the very start of a module count (after an
   optional docstring); the compiler rejects later ones by comparing their
   line with the one recorded here. */

#include <stdio.h>
#include <string.h>

#include "Python.h"
#include "pycore_compile.h"

typedef struct {
    const char *name;
    int flag;
} future_feature;

static const future_feature features[] = {
    {"nested_scopes", 0},
    {"generators", 0},
    /* Mandatory since Python 3: accepted, no flag (as in 3.11). */
    {"division", 0},
    {"absolute_import", 0},
    {"with_statement", 0},
    {"print_function", 0},
    {"unicode_literals", 0},
    {"barry_as_FLUFL", CO_FUTURE_BARRY_AS_BDFL},
    {"generator_stop", 0},
    {"annotations", CO_FUTURE_ANNOTATIONS},
};

/* 3.11 reports bad features at the statement with no end offset. */
static int
feature_error(stmt_ty s, const char *msg, _PySyntaxErrorInfo *err)
{
    _PyCompile_SetError(err, "SyntaxError", msg, s->lineno, s->col_offset,
                        s->lineno, -1);
    err->end_offset = _PyPARSER_NOVALUE;
    return -1;
}

/* Apply one `from __future__ import ...` statement: set the flags of the
   features that change compilation, reject unknown features with 3.11's
   messages. */
static int
future_names(stmt_ty s, int *flags, _PySyntaxErrorInfo *err)
{
    asdl_alias_seq *names = s->v.ImportFrom.names;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(names); i++) {
        const char *name = asdl_seq_GET(names, i)->name;
        size_t k;
        for (k = 0; k < sizeof(features) / sizeof(features[0]); k++) {
            if (strcmp(name, features[k].name) == 0) {
                *flags |= features[k].flag;
                break;
            }
        }
        if (k < sizeof(features) / sizeof(features[0])) {
            continue;
        }
        if (strcmp(name, "braces") == 0) {
            return feature_error(s, "not a chance", err);
        }
        char msg[300];
        snprintf(msg, sizeof(msg), "future feature %.200s is not defined",
                 name);
        return feature_error(s, msg, err);
    }
    return 0;
}

/* True if S is a string-literal expression statement (allowed before future
   imports). */
static int
is_docstring(stmt_ty s)
{
    return s->kind == Expr_kind
           && s->v.Expr.value->kind == Constant_kind
           && s->v.Expr.value->v.Constant.value->kind == _PyConst_STR;
}

/* Collect the future features of MOD into *FEATURES_OUT (CO_FUTURE_*
   flags); *LINENO receives the line of the last future import.  A future
   import after other statements is an error.  Returns 0, or -1 with ERR
   filled. */
int
_PyFuture_FromAST(mod_ty mod, int *features_out, int *lineno,
                  _PySyntaxErrorInfo *err)
{
    *lineno = -1;
    if (mod->kind != Module_kind && mod->kind != Interactive_kind) {
        return 0;
    }
    asdl_stmt_seq *body = mod->kind == Module_kind ? mod->v.Module.body
                                                   : mod->v.Interactive.body;
    /* A future statement after others on the same line is reported here;
       on later lines, by the compiler. */
    int done = 0, prev_line = 0;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(body); i++) {
        stmt_ty s = asdl_seq_GET(body, i);
        if (done && s->lineno > prev_line) {
            break;
        }
        prev_line = s->lineno;
        if (s->kind == ImportFrom_kind && s->v.ImportFrom.module != NULL
            && strcmp(s->v.ImportFrom.module, "__future__") == 0) {
            if (done) {
                /* 3.11 gives this one a 0-based offset. */
                feature_error(s, "from __future__ imports must occur at "
                              "the beginning of the file", err);
                err->offset = s->col_offset;
                return -1;
            }
            if (future_names(s, features_out, err) < 0) {
                return -1;
            }
            *lineno = s->lineno;
        }
        else if (i != 0 || !is_docstring(s)) {
            done = 1;
        }
    }
    return 0;
}
