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

/* What CPython would put in the exception it raises.  `type` names the
   class: "SyntaxError", "IndentationError", "TabError"; otherwise only
   `msg` is meaningful: "MemoryError" (too deep), "RecursionError" (from
   _PyAST_Dump), "ValueError" (NUL bytes), "UnicodeDecodeError".  Line
   numbers are 1-based; offsets are SyntaxError.offset and end_offset as
   CPython computes them (see _PyParser_ParseStringEx for bytes versus
   characters); an absent value is _PyPARSER_NOVALUE. */
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
   UTF-8), like compile(bytes).  Return the module in ARENA, or NULL with
   *ERR filled in.  FILENAME is not used yet; it may be NULL. */
extern mod_ty _PyParser_ParseString(const char *src, size_t len,
                                    const char *filename, int mode,
                                    _PyArena *arena, _PySyntaxErrorInfo *err);

/* Flags for _PyParser_ParseStringEx. */
#define _PyParser_FLAG_SOURCE_IS_STR 0x1   /* SRC is the UTF-8 of a str:
                                              no coding cookie applies */
#define _PyParser_FLAG_ALLOW_INCOMPLETE 0x2 /* PyCF_ALLOW_INCOMPLETE_INPUT:
                                              a source that ends too early
                                              fails with "incomplete
                                              input" (codeop, the REPL) */
#define _PyParser_FLAG_DONT_IMPLY_DEDENT 0x4 /* PyCF_DONT_IMPLY_DEDENT: the
                                              end of an input without a final
                                              newline closes no block */

/* As _PyParser_ParseString.  Like compile(), offsets of errors found by
   the parser count bytes when SRC is bytes with no BOM or coding cookie,
   and characters otherwise (always for a str: FLAG_SOURCE_IS_STR). */
extern mod_ty _PyParser_ParseStringEx(const char *src, size_t len,
                                      const char *filename, int mode,
                                      int flags, _PyArena *arena,
                                      _PySyntaxErrorInfo *err);

/* Release what _PyParser_ParseString left in *ERR. */
extern void _PySyntaxErrorInfo_Clear(_PySyntaxErrorInfo *err);

/* Write ast.dump(node, include_attributes=...) of MOD to a malloc'ed,
   NUL-terminated string.  On failure (the tree nests deeper than CPython's
   ast construction allows) return NULL and fill *ERR. */
extern char *_PyAST_Dump(mod_ty mod, int include_attributes,
                         _PySyntaxErrorInfo *err);

#endif /* !Py_INTERNAL_PARSER_H */
