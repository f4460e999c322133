/* Building blocks of the AST that the generated pycore_ast.h relies on:
   sequences, identifiers, constants and the field tables' layout. */

#ifndef Py_INTERNAL_AST_BASE_H
#define Py_INTERNAL_AST_BASE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include <stddef.h>
#include <sys/types.h>

#include "pycore_parser_arena.h"

#ifndef PY_SSIZE_T_MAX
/* The runtime's pyport.h is not included here; its definition is the
   same type, and C11 allows repeating an identical typedef. */
typedef ssize_t Py_ssize_t;
#endif

/* Identifiers (NFKC-normalised) and strings (type comments, `kind`) are
   NUL-terminated UTF-8 in the arena. */
typedef const char *identifier;
typedef const char *string;

/* A literal as the parser saw it, for a later compiler to turn into an
   object.  The parser never needs Python objects. */
typedef enum {
    _PyConst_NONE = 1,
    _PyConst_TRUE,
    _PyConst_FALSE,
    _PyConst_ELLIPSIS,
    _PyConst_INT,       /* data: digits in BASE, lower case, no '_' */
    _PyConst_FLOAT,     /* value */
    _PyConst_IMAG,      /* value: the imaginary part */
    _PyConst_STR,       /* data: UTF-8, lone surrogates encoded as if
                           they were ordinary code points (WTF-8) */
    _PyConst_BYTES      /* data: raw bytes */
} _PyConstKind;

typedef struct _PyASTConstant {
    _PyConstKind kind;
    int base;
    double value;
    const char *data;
    Py_ssize_t size;    /* bytes in DATA, excluding the trailing NUL */
} *constant;

/* Sequences: the typed variants (asdl_expr_seq, ...) in pycore_ast.h share
   this layout, so generic code may walk any of them as asdl_seq. */
typedef struct {
    Py_ssize_t size;
    void *elements[];
} asdl_seq;

typedef struct {
    Py_ssize_t size;
    int typed_elements[];
} asdl_int_seq;

typedef struct {
    Py_ssize_t size;
    identifier typed_elements[];
} asdl_identifier_seq;

#define asdl_seq_LEN(S) ((S) == NULL ? 0 : (S)->size)
#define asdl_seq_GET(S, I) ((S)->typed_elements[(I)])
#define asdl_seq_SET(S, I, V) ((S)->typed_elements[(I)] = (V))

/* Return a sequence of SIZE pointer-sized slots, or NULL. */
extern asdl_seq *_Py_asdl_generic_seq_new(Py_ssize_t size, _PyArena *arena);
extern asdl_int_seq *_Py_asdl_int_seq_new(Py_ssize_t size, _PyArena *arena);

/* Field tables, generated into Parser/ast_nodes.c: enough to walk any node
   without knowing its type at compile time (dump, conversion to objects). */
typedef enum {
    _PyAST_F_NODE,      /* pointer to another node type */
    _PyAST_F_ENUM,      /* operator, expr_context, ... stored as int */
    _PyAST_F_IDENT,
    _PyAST_F_STRING,
    _PyAST_F_INT,
    _PyAST_F_CONST
} _PyAST_FieldKind;

typedef struct {
    const char *name;
    unsigned char kind;     /* _PyAST_FieldKind */
    unsigned char type;     /* _PyAST_TypeId for NODE and ENUM */
    unsigned char seq;
    unsigned char opt;
    unsigned short offset;
} _PyAST_Field;

typedef struct {
    const char *name;
    const _PyAST_Field *fields;
    int nfields;
} _PyAST_Cons;

typedef enum { _PyAST_SUM, _PyAST_PRODUCT, _PyAST_ENUM } _PyAST_Form;

/* A sum node starts with its `kind` (1-based index into conses); a product
   has exactly one cons; an enum value is 1-based too. */
typedef struct {
    const char *name;
    _PyAST_Form form;
    const _PyAST_Cons *conses;
    int nconses;
    const _PyAST_Field *attrs;
    int nattrs;
} _PyAST_TypeInfo;

#endif /* !Py_INTERNAL_AST_BASE_H */
