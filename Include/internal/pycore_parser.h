/* Entry points of the parser: source bytes in, an AST (in an arena) or a
   syntax error description out.  No Python objects are involved, so the
   future compiler, the `ast` module and the tests can all call it. */

#ifndef Py_INTERNAL_PARSER_H
#define Py_INTERNAL_PARSER_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include <stddef.h>

#include "pycore_ast.h"

/* Modes, as for compile(): 'exec', 'eval', 'single', 'func_type'. */
enum {
    _PyParser_MODE_EXEC = 0,
    _PyParser_MODE_EVAL = 1,
    _PyParser_MODE_SINGLE = 2,
    _PyParser_MODE_FUNC_TYPE = 3
};

/* What CPython would put in the SyntaxError it raises.  `type` names the
   exception class: "SyntaxError", "IndentationError", "TabError", and for
   resource limits "MemoryError", "RecursionError" or "ValueError" (then
   only `msg` is meaningful).  Line numbers are 1-based; offsets are
   1-based character (code point) columns, as in SyntaxError.offset; an
   absent value is stored as _PyPARSER_NOVALUE. */
#define _PyPARSER_NOVALUE (-1000000)

typedef struct {
    const char *type;
    char msg[512];
    int lineno;
    int offset;
    int end_lineno;
    int end_offset;
    char *text;         /* the offending source line (malloc'ed) or NULL */
} _PySyntaxErrorInfo;

/* Parse SRC (LEN bytes, encoded as PEP 263 says: BOM, coding cookie or
   UTF-8).  Return the module in ARENA, or NULL with *ERR filled in.
   FILENAME is used only in messages; it may be NULL. */
extern mod_ty _PyParser_ParseString(const char *src, size_t len,
                                    const char *filename, int mode,
                                    _PyArena *arena, _PySyntaxErrorInfo *err);

/* Release what _PyParser_ParseString left in *ERR. */
extern void _PySyntaxErrorInfo_Clear(_PySyntaxErrorInfo *err);

/* Write ast.dump(node, include_attributes=...) of MOD to a malloc'ed,
   NUL-terminated string.  On failure (the tree nests deeper than CPython's
   ast construction allows) return NULL and fill *ERR. */
extern char *_PyAST_Dump(mod_ty mod, int include_attributes,
                         _PySyntaxErrorInfo *err);

#endif /* !Py_INTERNAL_PARSER_H */
