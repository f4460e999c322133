/* The bridge between the parser's C AST and the `_ast` module's node
   objects (Python/Python-ast.c): compile(..., PyCF_ONLY_AST) and
   compile(ast_object, ...). */

#ifndef Py_INTERNAL_AST_OBJECT_H
#define Py_INTERNAL_AST_OBJECT_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_ast.h"

/* Return a new reference to the tree of `_ast` node objects equal to MOD,
   or NULL with an exception set.  MOD is only read. */
extern PyObject *_PyAST_ToObject(mod_ty mod);

/* 1 if OBJ (borrowed) is an instance of _ast.AST, 0 if not, -1 with an
   exception set if the node classes could not be created. */
extern int _PyAST_Check(PyObject *obj);

/* Convert the node object tree AST (borrowed) into a C AST allocated in
   ARENA, checking that its root suits MODE (_PyParser_MODE_*) and
   validating it as 3.11's compile() does.  Return the tree, or NULL with
   the TypeError/ValueError 3.11 raises. */
extern mod_ty _PyAST_FromObject(PyObject *ast, _PyArena *arena, int mode);

#endif /* !Py_INTERNAL_AST_OBJECT_H */
