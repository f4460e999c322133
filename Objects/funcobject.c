/* Python functions and cells.
 *
 * Thread safety: see Include/funcobject.h and Include/cellobject.h.  In
 * short: the fields a call reads are fixed at creation (or replaced with
 * the publish-then-read protocol), every setter runs in a critical
 * section on the function, every value stored where a concurrent reader
 * may find it is marked shared first, and readers take conditional
 * increments.  Functions defined at module or class level get a deferred
 * reference count (pushed uncounted by the eval loop). */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_function.h"
#include "pycore_critical_section.h"
#include "pycore_ceval_helpers.h"
#include "structmember.h"

PyFunctionObject *
_PyFunction_New(PyObject *code, PyObject *globals, PyObject *builtins,
                PyObject *qualname)
{
    if (!PyCode_Check(code)) {
        PyErr_SetString(PyExc_SystemError, "function needs a code object");
        return NULL;
    }
    PyCodeObject *co = (PyCodeObject *)code;
    PyObject *module = NULL;
    if (PyDict_GetItemRef(globals, _Py_STR(__name__), &module) < 0) {
        return NULL;
    }
    PyFunctionObject *op = PyObject_GC_New(PyFunctionObject,
                                           &PyFunction_Type);
    if (op == NULL) {
        Py_XDECREF(module);
        return NULL;
    }
    PyObject *doc = Py_None;
    if (PyTuple_GET_SIZE(co->co_consts) >= 1) {
        PyObject *first = PyTuple_GET_ITEM(co->co_consts, 0);
        if (PyUnicode_Check(first)) {
            doc = first;
        }
    }
    op->func_globals = Py_NewRef(globals);
    op->func_builtins = Py_NewRef(builtins);
    op->func_name = Py_NewRef(co->co_name);
    op->func_qualname = Py_NewRef(qualname != NULL ? qualname
                                                   : co->co_qualname);
    op->func_code = Py_NewRef(code);
    op->func_defaults = NULL;
    op->func_kwdefaults = NULL;
    op->func_closure = NULL;
    op->func_doc = Py_NewRef(doc);
    op->func_dict = NULL;
    op->func_weakreflist = NULL;
    op->func_module = module;
    op->func_annotations = NULL;
    op->vectorcall = _PyFunction_Vectorcall;
    op->func_version = 0;
    if (!(co->co_flags & CO_NESTED)) {
        _PyObject_SetDeferredRefcount((PyObject *)op);
    }
    PyObject_GC_Track(op);
    return op;
}

PyObject *
PyFunction_NewWithQualName(PyObject *code, PyObject *globals,
                           PyObject *qualname)
{
    PyObject *builtins = NULL;
    if (PyDict_GetItemRef(globals, _Py_STR(__builtins__), &builtins) < 0) {
        return NULL;
    }
    if (builtins != NULL && PyModule_Check(builtins)) {
        Py_SETREF(builtins, Py_NewRef(PyModule_GetDict(builtins)));
    }
    if (builtins == NULL) {
        builtins = Py_NewRef(_PyEval_GetBuiltins(_PyThreadState_GET()));
    }
    PyObject *f = (PyObject *)_PyFunction_New(code, globals, builtins,
                                              qualname);
    Py_DECREF(builtins);
    return f;
}

PyObject *
PyFunction_New(PyObject *code, PyObject *globals)
{
    return PyFunction_NewWithQualName(code, globals, NULL);
}

PyObject *
_PyFunction_AnnotationsFromTuple(PyObject *tuple)
{
    if (PyDict_Check(tuple)) {
        return Py_NewRef(tuple);
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    for (Py_ssize_t i = 0; i + 1 < n; i += 2) {
        if (PyDict_SetItem(d, PyTuple_GET_ITEM(tuple, i),
                           PyTuple_GET_ITEM(tuple, i + 1)) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

void
_PyFunction_StoreField(PyFunctionObject *func, PyObject **field,
                       PyObject *value)
{
    if (value != NULL) {
        _PyObject_SetMaybeWeakref(value);
    }
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(func);
    old = *field;
    _Py_atomic_store_ptr_release(field, value);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
}

PyObject *
_PyFunction_Vectorcall(PyObject *func, PyObject *const *stack,
                       size_t nargsf, PyObject *kwnames)
{
    PyThreadState *tstate = _PyThreadState_GET();
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    return _PyEval_Vector(tstate, (PyFunctionObject *)func, NULL, stack,
                          (size_t)nargs, kwnames);
}

/* Borrowed accessors (documented as borrowed: safe while the caller
   knows no other thread replaces the attribute). */
#define CHECK_FUNC(op, ret)                                             \
    do {                                                                \
        if (!PyFunction_Check(op)) {                                    \
            PyErr_BadInternalCall();                                    \
            return ret;                                                 \
        }                                                               \
    } while (0)

PyObject *
PyFunction_GetCode(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_code;
}

PyObject *
PyFunction_GetGlobals(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_globals;
}

PyObject *
PyFunction_GetModule(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_module;
}

PyObject *
PyFunction_GetDefaults(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_defaults;
}

PyObject *
PyFunction_GetKwDefaults(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_kwdefaults;
}

PyObject *
PyFunction_GetClosure(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_closure;
}

PyObject *
PyFunction_GetAnnotations(PyObject *op)
{
    CHECK_FUNC(op, NULL);
    return ((PyFunctionObject *)op)->func_annotations;
}

int
PyFunction_SetDefaults(PyObject *op, PyObject *defaults)
{
    CHECK_FUNC(op, -1);
    if (defaults == Py_None) {
        defaults = NULL;
    }
    else if (defaults != NULL && !PyTuple_Check(defaults)) {
        PyErr_SetString(PyExc_SystemError, "non-tuple default args");
        return -1;
    }
    _PyFunction_StoreField((PyFunctionObject *)op,
                           &((PyFunctionObject *)op)->func_defaults,
                           Py_XNewRef(defaults));
    return 0;
}

int
PyFunction_SetKwDefaults(PyObject *op, PyObject *defaults)
{
    CHECK_FUNC(op, -1);
    if (defaults == Py_None) {
        defaults = NULL;
    }
    else if (defaults != NULL && !PyDict_Check(defaults)) {
        PyErr_SetString(PyExc_SystemError,
                        "non-dict keyword only default args");
        return -1;
    }
    _PyFunction_StoreField((PyFunctionObject *)op,
                           &((PyFunctionObject *)op)->func_kwdefaults,
                           Py_XNewRef(defaults));
    return 0;
}

int
PyFunction_SetClosure(PyObject *op, PyObject *closure)
{
    CHECK_FUNC(op, -1);
    if (closure == Py_None) {
        closure = NULL;
    }
    else if (closure != NULL && !PyTuple_Check(closure)) {
        PyErr_Format(PyExc_SystemError,
                     "expected tuple for closure, got '%.100s'",
                     Py_TYPE(closure)->tp_name);
        return -1;
    }
    _PyFunction_StoreField((PyFunctionObject *)op,
                           &((PyFunctionObject *)op)->func_closure,
                           Py_XNewRef(closure));
    return 0;
}

int
PyFunction_SetAnnotations(PyObject *op, PyObject *annotations)
{
    CHECK_FUNC(op, -1);
    if (annotations == Py_None) {
        annotations = NULL;
    }
    else if (annotations != NULL && !PyDict_Check(annotations)) {
        PyErr_SetString(PyExc_SystemError, "non-dict annotations");
        return -1;
    }
    _PyFunction_StoreField((PyFunctionObject *)op,
                           &((PyFunctionObject *)op)->func_annotations,
                           Py_XNewRef(annotations));
    return 0;
}

/* ---- attributes ---- */

static PyObject *
func_get_code(PyObject *self, void *c)
{
    return _PyFunction_LoadField(&((PyFunctionObject *)self)->func_code);
}

static int
func_set_code(PyObject *self, PyObject *value, void *c)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    if (value == NULL || !PyCode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__code__ must be set to a code object");
        return -1;
    }
    Py_ssize_t nfree = ((PyCodeObject *)value)->co_nfreevars;
    Py_ssize_t nclosure = op->func_closure == NULL
                              ? 0 : PyTuple_GET_SIZE(op->func_closure);
    if (nclosure != nfree) {
        PyErr_Format(PyExc_ValueError,
                     "%U() requires a code object with %zd free vars, "
                     "not %zd", op->func_name, nclosure, nfree);
        return -1;
    }
    _PyFunction_StoreField(op, &op->func_code, Py_NewRef(value));
    return 0;
}

static PyObject *
field_or_none(PyObject **field)
{
    PyObject *v = _PyFunction_LoadField(field);
    return v != NULL ? v : Py_NewRef(Py_None);
}

static PyObject *
func_get_defaults(PyObject *self, void *c)
{
    return field_or_none(&((PyFunctionObject *)self)->func_defaults);
}

static int
func_set_defaults(PyObject *self, PyObject *value, void *c)
{
    if (value == Py_None) {
        value = NULL;
    }
    if (value != NULL && !PyTuple_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__defaults__ must be set to a tuple object");
        return -1;
    }
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_defaults, Py_XNewRef(value));
    return 0;
}

static PyObject *
func_get_kwdefaults(PyObject *self, void *c)
{
    return field_or_none(&((PyFunctionObject *)self)->func_kwdefaults);
}

static int
func_set_kwdefaults(PyObject *self, PyObject *value, void *c)
{
    if (value == Py_None) {
        value = NULL;
    }
    if (value != NULL && !PyDict_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__kwdefaults__ must be set to a dict object");
        return -1;
    }
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_kwdefaults, Py_XNewRef(value));
    return 0;
}

static PyObject *
func_get_annotations(PyObject *self, void *c)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    PyObject *ann = _PyFunction_LoadField(&op->func_annotations);
    if (ann != NULL) {
        return ann;
    }
    ann = PyDict_New();
    if (ann == NULL) {
        return NULL;
    }
    /* First access creates the dict; a racing creator's dict may win. */
    PyObject *cur;
    Py_BEGIN_CRITICAL_SECTION(op);
    cur = op->func_annotations;
    if (cur == NULL) {
        _PyObject_SetMaybeWeakref(ann);
        _Py_atomic_store_ptr_release(&op->func_annotations, Py_NewRef(ann));
        cur = ann;
    }
    Py_INCREF(cur);
    Py_END_CRITICAL_SECTION();
    Py_DECREF(ann);
    return cur;
}

static int
func_set_annotations(PyObject *self, PyObject *value, void *c)
{
    if (value == Py_None) {
        value = NULL;
    }
    if (value != NULL && !PyDict_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__annotations__ must be set to a dict object");
        return -1;
    }
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_annotations, Py_XNewRef(value));
    return 0;
}

static PyObject *
func_get_name(PyObject *self, void *c)
{
    return _PyFunction_LoadField(&((PyFunctionObject *)self)->func_name);
}

static int
func_set_name(PyObject *self, PyObject *value, void *c)
{
    if (value == NULL || !PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__name__ must be set to a string object");
        return -1;
    }
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_name, Py_NewRef(value));
    return 0;
}

static PyObject *
func_get_qualname(PyObject *self, void *c)
{
    return _PyFunction_LoadField(&((PyFunctionObject *)self)->func_qualname);
}

static int
func_set_qualname(PyObject *self, PyObject *value, void *c)
{
    if (value == NULL || !PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__qualname__ must be set to a string object");
        return -1;
    }
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_qualname, Py_NewRef(value));
    return 0;
}

static PyObject *
func_get_doc(PyObject *self, void *c)
{
    return field_or_none(&((PyFunctionObject *)self)->func_doc);
}

static int
func_set_doc(PyObject *self, PyObject *value, void *c)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_doc,
                           Py_NewRef(value ? value : Py_None));
    return 0;
}

static PyObject *
func_get_module(PyObject *self, void *c)
{
    return field_or_none(&((PyFunctionObject *)self)->func_module);
}

static int
func_set_module(PyObject *self, PyObject *value, void *c)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    _PyFunction_StoreField(op, &op->func_module, Py_XNewRef(value));
    return 0;
}

static PyObject *
func_get_closure(PyObject *self, void *c)
{
    return field_or_none(&((PyFunctionObject *)self)->func_closure);
}

static PyObject *
func_get_globals(PyObject *self, void *c)
{
    return Py_NewRef(((PyFunctionObject *)self)->func_globals);
}

static PyObject *
func_get_builtins(PyObject *self, void *c)
{
    return Py_NewRef(((PyFunctionObject *)self)->func_builtins);
}

static PyGetSetDef func_getset[] = {
    {"__code__", func_get_code, func_set_code, NULL, NULL},
    {"__defaults__", func_get_defaults, func_set_defaults, NULL, NULL},
    {"__kwdefaults__", func_get_kwdefaults, func_set_kwdefaults, NULL,
     NULL},
    {"__annotations__", func_get_annotations, func_set_annotations, NULL,
     NULL},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {"__name__", func_get_name, func_set_name, NULL, NULL},
    {"__qualname__", func_get_qualname, func_set_qualname, NULL, NULL},
    {"__doc__", func_get_doc, func_set_doc, NULL, NULL},
    {"__module__", func_get_module, func_set_module, NULL, NULL},
    {"__closure__", func_get_closure, NULL, NULL, NULL},
    {"__globals__", func_get_globals, NULL, NULL, NULL},
    {"__builtins__", func_get_builtins, NULL, NULL, NULL},
    {NULL}
};

static void
func_dealloc(PyObject *self)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    Py_XDECREF(op->func_globals);
    Py_XDECREF(op->func_builtins);
    Py_XDECREF(op->func_name);
    Py_XDECREF(op->func_qualname);
    Py_XDECREF(op->func_code);
    Py_XDECREF(op->func_defaults);
    Py_XDECREF(op->func_kwdefaults);
    Py_XDECREF(op->func_closure);
    Py_XDECREF(op->func_doc);
    Py_XDECREF(op->func_dict);
    Py_XDECREF(op->func_module);
    Py_XDECREF(op->func_annotations);
    PyObject_GC_Del(self);
}

static int
func_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    Py_VISIT(op->func_globals);
    Py_VISIT(op->func_builtins);
    Py_VISIT(op->func_code);
    Py_VISIT(op->func_defaults);
    Py_VISIT(op->func_kwdefaults);
    Py_VISIT(op->func_closure);
    Py_VISIT(op->func_doc);
    Py_VISIT(op->func_dict);
    Py_VISIT(op->func_module);
    Py_VISIT(op->func_annotations);
    Py_VISIT(op->func_name);
    Py_VISIT(op->func_qualname);
    return 0;
}

static PyObject *
func_repr(PyObject *self)
{
    PyFunctionObject *op = (PyFunctionObject *)self;
    PyObject *qn = _PyFunction_LoadField(&op->func_qualname);
    PyObject *r = PyUnicode_FromFormat("<function %U at %p>", qn, self);
    Py_XDECREF(qn);
    return r;
}

static PyObject *
func_descr_get(PyObject *func, PyObject *obj, PyObject *type)
{
    if (obj == Py_None || obj == NULL) {
        return Py_NewRef(func);
    }
    return PyMethod_New(func, obj);
}

/* function(code, globals, name=None, argdefs=None, closure=None) */
static PyObject *
func_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"code", "globals", "name", "argdefs",
                             "closure", NULL};
    PyObject *code, *globals, *name = Py_None, *defaults = Py_None;
    PyObject *closure = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!O!|OOO:function", kwlist,
                                     &PyCode_Type, &code, &PyDict_Type,
                                     &globals, &name, &defaults, &closure)) {
        return NULL;
    }
    if (name != Py_None && !PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "arg 3 (name) must be None or string");
        return NULL;
    }
    if (defaults != Py_None && !PyTuple_Check(defaults)) {
        PyErr_SetString(PyExc_TypeError, "arg 4 (defaults) must be None or tuple");
        return NULL;
    }
    Py_ssize_t nfree = ((PyCodeObject *)code)->co_nfreevars;
    if (closure != Py_None && !PyTuple_Check(closure)) {
        PyErr_SetString(PyExc_TypeError,
                        "arg 5 (closure) must be tuple");
        return NULL;
    }
    Py_ssize_t nclosure = closure == Py_None ? 0
                                             : PyTuple_GET_SIZE(closure);
    if (nfree != nclosure) {
        return PyErr_Format(PyExc_ValueError,
                            "%U requires closure of length %zd, not %zd",
                            ((PyCodeObject *)code)->co_name, nfree,
                            nclosure);
    }
    PyFunctionObject *f = (PyFunctionObject *)PyFunction_New(code, globals);
    if (f == NULL) {
        return NULL;
    }
    if (name != Py_None) {
        Py_SETREF(f->func_name, Py_NewRef(name));
    }
    if (defaults != Py_None) {
        f->func_defaults = Py_NewRef(defaults);
    }
    if (closure != Py_None) {
        f->func_closure = Py_NewRef(closure);
    }
    return (PyObject *)f;
}

PyTypeObject PyFunction_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "function",
    .tp_basicsize = sizeof(PyFunctionObject),
    .tp_dealloc = func_dealloc,
    .tp_vectorcall_offset = offsetof(PyFunctionObject, vectorcall),
    .tp_repr = func_repr,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_traverse = func_traverse,
    .tp_weaklistoffset = offsetof(PyFunctionObject, func_weakreflist),
    .tp_getset = func_getset,
    .tp_descr_get = func_descr_get,
    .tp_dictoffset = offsetof(PyFunctionObject, func_dict),
    .tp_new = func_new,
};

/* ------------------------------------------------------------------ */
/* Cells. */

PyObject *
PyCell_New(PyObject *obj)
{
    PyCellObject *op = PyObject_GC_New(PyCellObject, &PyCell_Type);
    if (op == NULL) {
        return NULL;
    }
    if (obj != NULL) {
        _PyObject_SetMaybeWeakref(obj);
        Py_INCREF(obj);
    }
    op->ob_ref = obj;
    PyObject_GC_Track(op);
    return (PyObject *)op;
}

PyObject *
PyCell_Get(PyObject *op)
{
    if (!PyCell_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return _PyCell_GetRef((PyCellObject *)op);
}

void
_PyCell_SetTakeRef(PyCellObject *cell, PyObject *value)
{
    if (value != NULL) {
        _PyObject_SetMaybeWeakref(value);
    }
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(cell);
    old = cell->ob_ref;
    _Py_atomic_store_ptr_release(&cell->ob_ref, value);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
}

int
PyCell_Set(PyObject *op, PyObject *value)
{
    if (!PyCell_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    _PyCell_SetTakeRef((PyCellObject *)op, Py_XNewRef(value));
    return 0;
}

static void
cell_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((PyCellObject *)self)->ob_ref);
    PyObject_GC_Del(self);
}

static int
cell_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((PyCellObject *)self)->ob_ref);
    return 0;
}

static int
cell_clear(PyObject *self)
{
    _PyCell_SetTakeRef((PyCellObject *)self, NULL);
    return 0;
}

static PyObject *
cell_repr(PyObject *self)
{
    PyObject *v = _PyCell_GetRef((PyCellObject *)self);
    if (v == NULL) {
        return PyUnicode_FromFormat("<cell at %p: empty>", self);
    }
    PyObject *r = PyUnicode_FromFormat("<cell at %p: %.80s object at %p>",
                                       self, Py_TYPE(v)->tp_name, v);
    Py_DECREF(v);
    return r;
}

static PyObject *
cell_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyCell_Check(a) || !PyCell_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *x = _PyCell_GetRef((PyCellObject *)a);
    PyObject *y = _PyCell_GetRef((PyCellObject *)b);
    PyObject *res;
    if (x != NULL && y != NULL) {
        res = PyObject_RichCompare(x, y, op);
    }
    else {
        int ex = x != NULL, ey = y != NULL;
        switch (op) {
        case Py_EQ: res = PyBool_FromLong(ex == ey); break;
        case Py_NE: res = PyBool_FromLong(ex != ey); break;
        case Py_LT: res = PyBool_FromLong(ex < ey); break;
        case Py_LE: res = PyBool_FromLong(ex <= ey); break;
        case Py_GT: res = PyBool_FromLong(ex > ey); break;
        default: res = PyBool_FromLong(ex >= ey); break;
        }
    }
    Py_XDECREF(x);
    Py_XDECREF(y);
    return res;
}

static PyObject *
cell_get_contents(PyObject *self, void *c)
{
    PyObject *v = _PyCell_GetRef((PyCellObject *)self);
    if (v == NULL) {
        PyErr_SetString(PyExc_ValueError, "Cell is empty");
    }
    return v;
}

static int
cell_set_contents(PyObject *self, PyObject *value, void *c)
{
    _PyCell_SetTakeRef((PyCellObject *)self, Py_XNewRef(value));
    return 0;
}

static PyGetSetDef cell_getset[] = {
    {"cell_contents", cell_get_contents, cell_set_contents, NULL, NULL},
    {NULL}
};

static PyObject *
cell_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *obj = NULL;
    if (!_PyArg_NoKeywords("cell", kw)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "cell", 0, 1, &obj)) {
        return NULL;
    }
    return PyCell_New(obj);
}

PyTypeObject PyCell_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "cell",
    .tp_basicsize = sizeof(PyCellObject),
    .tp_dealloc = cell_dealloc,
    .tp_repr = cell_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = cell_traverse,
    .tp_clear = cell_clear,
    .tp_richcompare = cell_richcompare,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getset = cell_getset,
    .tp_new = cell_new,
};

int
_PyFunction_InitTypes(void)
{
    if (PyType_Ready(&PyFunction_Type) < 0
        || PyType_Ready(&PyCell_Type) < 0) {
        return -1;
    }
    return 0;
}
