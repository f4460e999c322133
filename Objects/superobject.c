/* super: attribute lookup that starts after a given class in the MRO of
 * an object's type.  super() with no arguments asks the eval loop for the
 * enclosing class and first argument through a hook it registers.
 *
 * Thread safety: a super object is immutable once initialised (super()
 * calling __init__ again on a shared instance is not synchronised, as in
 * CPython); the hook pointer is read and written atomically.
 *
 * super() with no arguments reads the calling frame (only the running
 * thread touches its frames): the first argument and the __class__ cell
 * the compiler made for methods that use super or __class__. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "pycore_abstract.h"
#include "structmember.h"
#include "pycore_ceval.h"
#include "pycore_frame.h"
#include "pycore_code.h"

#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyTypeObject *type;     /* the class super() was called in */
    PyObject *obj;          /* the instance or class, or NULL */
    PyTypeObject *obj_type; /* the class lookups start from */
} superobject;

static int (*super_zero_args_hook)(PyTypeObject **, PyObject **);

void
_PySuper_SetZeroArgsHook(int (*hook)(PyTypeObject **, PyObject **))
{
    _Py_atomic_store_ptr(&super_zero_args_hook, (void *)hook);
}

static void
super_dealloc(PyObject *self)
{
    superobject *su = (superobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(su->obj);
    Py_XDECREF(su->type);
    Py_XDECREF(su->obj_type);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
super_repr(PyObject *self)
{
    superobject *su = (superobject *)self;
    if (su->obj_type) {
        return PyUnicode_FromFormat("<super: <class '%s'>, <%s object>>",
                                    su->type ? su->type->tp_name : "NULL",
                                    su->obj_type->tp_name);
    }
    return PyUnicode_FromFormat("<super: <class '%s'>, NULL>",
                                su->type ? su->type->tp_name : "NULL");
}

/* Finds `name` in the MRO of starttype after `type`; new reference or
   NULL (no exception) when missing. */
static PyObject *
super_lookup(PyTypeObject *type, PyObject *obj, PyTypeObject *starttype,
             PyObject *name)
{
    PyObject *mro = _PyType_GetMRO(starttype);
    if (mro == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(mro), i;
    for (i = 0; i + 1 < n; i++) {
        if ((PyObject *)type == PyTuple_GET_ITEM(mro, i)) {
            break;
        }
    }
    i++;
    PyObject *res = NULL;
    for (; i < n; i++) {
        PyObject *dict = ((PyTypeObject *)PyTuple_GET_ITEM(mro, i))->tp_dict;
        if (dict == NULL) {
            continue;
        }
        int r = PyDict_GetItemRef(dict, name, &res);
        if (r < 0) {
            Py_DECREF(mro);
            return NULL;
        }
        if (r > 0) {
            break;
        }
    }
    Py_DECREF(mro);
    if (res == NULL) {
        return NULL;
    }
    descrgetfunc f = Py_TYPE(res)->tp_descr_get;
    if (f != NULL) {
        PyObject *bound = f(res, obj == (PyObject *)starttype ? NULL : obj,
                            (PyObject *)starttype);
        Py_DECREF(res);
        return bound;
    }
    return res;
}

static PyObject *
super_getattro(PyObject *self, PyObject *name)
{
    superobject *su = (superobject *)self;
    if (su->obj_type != NULL &&
        !(PyUnicode_Check(name) &&
          _PyUnicode_EqualToASCIIString(name, "__class__"))) {
        PyObject *res = super_lookup(su->type, su->obj, su->obj_type, name);
        if (res != NULL || PyErr_Occurred()) {
            return res;
        }
    }
    return PyObject_GenericGetAttr(self, name);
}

/* The class lookups start from: type(obj) or obj itself (a class), or
   obj.__class__ for proxies. */
static PyTypeObject *
supercheck(PyTypeObject *type, PyObject *obj)
{
    if (PyType_Check(obj) && PyType_IsSubtype((PyTypeObject *)obj, type)) {
        return (PyTypeObject *)Py_NewRef(obj);
    }
    if (PyType_IsSubtype(Py_TYPE(obj), type)) {
        return (PyTypeObject *)Py_NewRef((PyObject *)Py_TYPE(obj));
    }
    PyObject *class_attr;
    if (_PyObject_LookupAttr(obj, _Py_ID(__class__), &class_attr) < 0) {
        return NULL;
    }
    if (class_attr != NULL && PyType_Check(class_attr) &&
        (PyTypeObject *)class_attr != Py_TYPE(obj)) {
        if (PyType_IsSubtype((PyTypeObject *)class_attr, type)) {
            return (PyTypeObject *)class_attr;
        }
    }
    Py_XDECREF(class_attr);
    PyErr_SetString(PyExc_TypeError,
                    "super(type, obj): obj must be an instance or subtype "
                    "of type");
    return NULL;
}

static int
super_init_impl(PyObject *self, PyTypeObject *type, PyObject *obj)
{
    superobject *su = (superobject *)self;
    PyTypeObject *obj_type = NULL;
    if (obj == Py_None) {
        obj = NULL;
    }
    if (obj != NULL) {
        obj_type = supercheck(type, obj);
        if (obj_type == NULL) {
            return -1;
        }
        Py_INCREF(obj);
    }
    Py_XSETREF(su->type, (PyTypeObject *)Py_NewRef((PyObject *)type));
    Py_XSETREF(su->obj, obj);
    Py_XSETREF(su->obj_type, obj_type);
    return 0;
}

/* (__class__, first argument) of the Python frame calling super():
   borrowed references, RuntimeError with CPython's messages when the
   frame has none. */
static int
super_from_frame(PyTypeObject **type_p, PyObject **obj_p)
{
    PyThreadState *tstate = _PyThreadState_GET();
    _PyInterpreterFrame *frame =
        _PyFrame_GetFirstComplete(_PyThreadState_GetFrame(tstate));
    if (frame == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "super(): no current frame");
        return -1;
    }
    PyCodeObject *co = frame->f_code;
    if (co->co_argcount == 0) {
        PyErr_SetString(PyExc_RuntimeError, "super(): no arguments");
        return -1;
    }
    PyObject *firstarg = _PyStackRef_AsPyObjectBorrow(frame->localsplus[0]);
    if (firstarg != NULL &&
        (_PyLocals_GetKind(co->co_localspluskinds, 0) & CO_FAST_CELL) &&
        PyCell_Check(firstarg)) {
        /* The first argument lives in a cell (MAKE_CELL ran). */
        firstarg = PyCell_GET(firstarg);
    }
    if (firstarg == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "super(): arg[0] deleted");
        return -1;
    }
    PyTypeObject *type = NULL;
    int i = co->co_nlocalsplus - co->co_nfreevars;
    for (; i < co->co_nlocalsplus; i++) {
        PyObject *name = _PyCode_LocalName(co, i);
        if (!_PyUnicode_Equal(name, _Py_ID(__class__))) {
            continue;
        }
        PyObject *cell = _PyStackRef_AsPyObjectBorrow(frame->localsplus[i]);
        if (cell == NULL || !PyCell_Check(cell)) {
            PyErr_SetString(PyExc_RuntimeError,
                            "super(): bad __class__ cell");
            return -1;
        }
        PyObject *value = PyCell_GET(cell);
        if (value == NULL) {
            PyErr_SetString(PyExc_RuntimeError,
                            "super(): empty __class__ cell");
            return -1;
        }
        if (!PyType_Check(value)) {
            PyErr_Format(PyExc_RuntimeError,
                         "super(): __class__ is not a type (%s)",
                         Py_TYPE(value)->tp_name);
            return -1;
        }
        type = (PyTypeObject *)value;
        break;
    }
    if (type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "super(): __class__ cell not found");
        return -1;
    }
    *type_p = type;
    *obj_p = firstarg;
    return 0;
}

static int
super_init_args(PyObject *const *args, Py_ssize_t nargs,
                PyTypeObject **ptype, PyObject **pobj)
{
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError,
                     "super() takes at most 2 arguments (%zd given)", nargs);
        return -1;
    }
    if (nargs == 0) {
        int (*hook)(PyTypeObject **, PyObject **) =
            _Py_atomic_load_ptr(&super_zero_args_hook);
        if (hook != NULL) {
            return hook(ptype, pobj);
        }
        return super_from_frame(ptype, pobj);
    }
    if (!PyType_Check(args[0])) {
        PyErr_Format(PyExc_TypeError,
                     "super() argument 1 must be a type, not %.200s",
                     Py_TYPE(args[0])->tp_name);
        return -1;
    }
    *ptype = (PyTypeObject *)args[0];
    *pobj = nargs == 2 ? args[1] : NULL;
    return 0;
}

static int
super_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "super() takes no keyword arguments");
        return -1;
    }
    PyTypeObject *type = NULL;
    PyObject *obj = NULL;
    if (super_init_args(_PyTuple_ITEMS(args), PyTuple_GET_SIZE(args),
                        &type, &obj) < 0) {
        return -1;
    }
    return super_init_impl(self, type, obj);
}

static PyObject *
super_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "super() takes no keyword arguments");
        return NULL;
    }
    PyTypeObject *stype = (PyTypeObject *)self;
    if (stype != &PySuper_Type) {
        return _PyObject_MakeTpCall(self, args, PyVectorcall_NARGS(nargsf),
                                    kwnames);
    }
    PyTypeObject *type = NULL;
    PyObject *obj = NULL;
    if (super_init_args(args, PyVectorcall_NARGS(nargsf), &type, &obj) < 0) {
        return NULL;
    }
    PyObject *su = PyType_GenericAlloc(&PySuper_Type, 0);
    if (su == NULL) {
        return NULL;
    }
    if (super_init_impl(su, type, obj) < 0) {
        Py_DECREF(su);
        return NULL;
    }
    return su;
}

static PyObject *
super_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    superobject *su = (superobject *)self;
    if (obj == NULL || obj == Py_None || su->obj != NULL) {
        return Py_NewRef(self);
    }
    if (!Py_IS_TYPE(su, &PySuper_Type)) {
        return PyObject_CallFunctionObjArgs((PyObject *)Py_TYPE(su),
                                            su->type, obj, NULL);
    }
    PyTypeObject *obj_type = supercheck(su->type, obj);
    if (obj_type == NULL) {
        return NULL;
    }
    superobject *newobj = (superobject *)PyType_GenericAlloc(&PySuper_Type,
                                                             0);
    if (newobj == NULL) {
        Py_DECREF(obj_type);
        return NULL;
    }
    newobj->type = (PyTypeObject *)Py_NewRef((PyObject *)su->type);
    newobj->obj = Py_NewRef(obj);
    newobj->obj_type = obj_type;
    return (PyObject *)newobj;
}

static int
super_traverse(PyObject *self, visitproc visit, void *arg)
{
    superobject *su = (superobject *)self;
    Py_VISIT(su->obj);
    Py_VISIT(su->type);
    Py_VISIT(su->obj_type);
    return 0;
}

static PyMemberDef super_members[] = {
    {"__thisclass__", T_OBJECT, offsetof(superobject, type), READONLY,
     "the class invoking super()"},
    {"__self__", T_OBJECT, offsetof(superobject, obj), READONLY,
     "the instance invoking super(); may be None"},
    {"__self_class__", T_OBJECT, offsetof(superobject, obj_type), READONLY,
     "the type of the instance invoking super(); may be None"},
    {NULL, 0, 0, 0, NULL}
};

PyTypeObject PySuper_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "super",
    .tp_basicsize = sizeof(superobject),
    .tp_dealloc = super_dealloc,
    .tp_repr = super_repr,
    .tp_getattro = super_getattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE,
    .tp_doc = "super() -> same as super(__class__, <first argument>)\n"
              "super(type) -> unbound super object\n"
              "super(type, obj) -> bound super object; requires "
              "isinstance(obj, type)\n"
              "super(type, type2) -> bound super object; requires "
              "issubclass(type2, type)",
    .tp_traverse = super_traverse,
    .tp_members = super_members,
    .tp_descr_get = super_descr_get,
    .tp_init = super_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
    .tp_vectorcall = super_vectorcall,
};

