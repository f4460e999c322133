/* Descriptors: method, class-method, member, getset and slot-wrapper
 * descriptors (what PyType_Ready puts in type dicts), bound slot wrappers
 * (method-wrapper), mappingproxy, property, classmethod, staticmethod.
 *
 * Thread safety: descriptor objects are immutable after creation (a
 * property's getter()/setter()/deleter() return new properties), so
 * nothing locks.  Member access reads and writes the instance field with
 * atomic pointer operations for T_OBJECT/T_OBJECT_EX so that concurrent
 * readers never see a torn pointer, and the replaced object is released
 * after the store. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_abstract.h"
#include "structmember.h"

#include <stddef.h>

/* ================================================================ common */

static void
descr_dealloc(PyObject *self)
{
    PyDescrObject *descr = (PyDescrObject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(descr->d_type);
    Py_XDECREF(descr->d_name);
    Py_XDECREF(descr->d_qualname);
    PyObject_GC_Del(self);
}

static int
descr_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((PyDescrObject *)self)->d_type);
    return 0;
}

static PyObject *
descr_name(PyDescrObject *descr)
{
    if (descr->d_name != NULL && PyUnicode_Check(descr->d_name)) {
        return descr->d_name;
    }
    return NULL;
}

static PyObject *
descr_repr(PyDescrObject *descr, const char *format)
{
    PyObject *name = descr_name(descr);
    if (name == NULL) {
        name = _Py_ID(__name__);    /* never happens for our descriptors */
    }
    return PyUnicode_FromFormat(format, name, descr->d_type->tp_name);
}

static PyObject *
method_repr(PyObject *self)
{
    return descr_repr((PyDescrObject *)self, "<method '%U' of '%s' objects>");
}

static PyObject *
member_repr(PyObject *self)
{
    return descr_repr((PyDescrObject *)self, "<member '%U' of '%s' objects>");
}

static PyObject *
getset_repr(PyObject *self)
{
    return descr_repr((PyDescrObject *)self,
                      "<attribute '%U' of '%s' objects>");
}

static PyObject *
wrapperdescr_repr(PyObject *self)
{
    return descr_repr((PyDescrObject *)self,
                      "<slot wrapper '%U' of '%s' objects>");
}

/* obj must be an instance of the descriptor's class. */
static int
descr_check(PyDescrObject *descr, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, descr->d_type)) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' for '%.100s' objects doesn't apply to "
                     "a '%.100s' object", descr_name(descr),
                     descr->d_type->tp_name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

static PyObject *
calculate_qualname(PyDescrObject *descr)
{
    if (descr->d_name == NULL || !PyUnicode_Check(descr->d_name)) {
        PyErr_SetString(PyExc_TypeError,
                        "<descriptor>.__name__ is not a unicode object");
        return NULL;
    }
    PyObject *type_qualname = PyObject_GetAttr((PyObject *)descr->d_type,
                                               _Py_ID(__qualname__));
    if (type_qualname == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(type_qualname)) {
        PyErr_SetString(PyExc_TypeError, "<descriptor>.__objclass__."
                        "__qualname__ is not a unicode object");
        Py_XDECREF(type_qualname);
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("%S.%S", type_qualname,
                                         descr->d_name);
    Py_DECREF(type_qualname);
    return res;
}

static PyObject *
descr_get_qualname(PyObject *self, void *closure)
{
    PyDescrObject *descr = (PyDescrObject *)self;
    /* Computed each time: d_qualname is never cached (an unsynchronised
       cache would race). */
    return calculate_qualname(descr);
}

/* A method descriptor pickles as getattr(type, name). */
static PyObject *
descr_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyDescrObject *descr = (PyDescrObject *)self;
    return _PyObject_ReduceGetattr((PyObject *)descr->d_type,
                                   descr->d_name);
}

static PyMethodDef descr_methods[] = {
    {"__reduce__", descr_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef descr_members[] = {
    {"__objclass__", T_OBJECT, offsetof(PyDescrObject, d_type), READONLY,
     NULL},
    {"__name__", T_OBJECT, offsetof(PyDescrObject, d_name), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* ================================================================ creation */

static PyDescrObject *
descr_new(PyTypeObject *descrtype, PyTypeObject *type, const char *name)
{
    PyDescrObject *descr = (PyDescrObject *)PyType_GenericAlloc(descrtype, 0);
    if (descr == NULL) {
        return NULL;
    }
    descr->d_type = (PyTypeObject *)Py_XNewRef((PyObject *)type);
    descr->d_name = PyUnicode_InternFromString(name);
    if (descr->d_name == NULL) {
        Py_DECREF(descr);
        return NULL;
    }
    descr->d_qualname = NULL;
    return descr;
}

static PyObject *method_vectorcall_VARARGS(PyObject *, PyObject *const *,
                                           size_t, PyObject *);
static PyObject *method_vectorcall_VARARGS_KEYWORDS(PyObject *,
                                                    PyObject *const *,
                                                    size_t, PyObject *);
static PyObject *method_vectorcall_FASTCALL(PyObject *, PyObject *const *,
                                            size_t, PyObject *);
static PyObject *method_vectorcall_FASTCALL_KEYWORDS(PyObject *,
                                                     PyObject *const *,
                                                     size_t, PyObject *);
static PyObject *method_vectorcall_FASTCALL_KEYWORDS_METHOD(
    PyObject *, PyObject *const *, size_t, PyObject *);
static PyObject *method_vectorcall_NOARGS(PyObject *, PyObject *const *,
                                          size_t, PyObject *);
static PyObject *method_vectorcall_O(PyObject *, PyObject *const *, size_t,
                                     PyObject *);

PyObject *
PyDescr_NewMethod(PyTypeObject *type, PyMethodDef *method)
{
    vectorcallfunc vectorcall;
    switch (method->ml_flags & (METH_VARARGS | METH_FASTCALL | METH_NOARGS |
                                METH_O | METH_KEYWORDS | METH_METHOD)) {
    case METH_VARARGS:
        vectorcall = method_vectorcall_VARARGS;
        break;
    case METH_VARARGS | METH_KEYWORDS:
        vectorcall = method_vectorcall_VARARGS_KEYWORDS;
        break;
    case METH_FASTCALL:
        vectorcall = method_vectorcall_FASTCALL;
        break;
    case METH_FASTCALL | METH_KEYWORDS:
        vectorcall = method_vectorcall_FASTCALL_KEYWORDS;
        break;
    case METH_NOARGS:
        vectorcall = method_vectorcall_NOARGS;
        break;
    case METH_O:
        vectorcall = method_vectorcall_O;
        break;
    case METH_METHOD | METH_FASTCALL | METH_KEYWORDS:
        vectorcall = method_vectorcall_FASTCALL_KEYWORDS_METHOD;
        break;
    default:
        PyErr_Format(PyExc_SystemError,
                     "%s() method: bad call flags", method->ml_name);
        return NULL;
    }
    PyMethodDescrObject *descr =
        (PyMethodDescrObject *)descr_new(&PyMethodDescr_Type, type,
                                         method->ml_name);
    if (descr != NULL) {
        descr->d_method = method;
        descr->vectorcall = vectorcall;
    }
    return (PyObject *)descr;
}

PyObject *
PyDescr_NewClassMethod(PyTypeObject *type, PyMethodDef *method)
{
    PyMethodDescrObject *descr =
        (PyMethodDescrObject *)descr_new(&PyClassMethodDescr_Type, type,
                                         method->ml_name);
    if (descr != NULL) {
        descr->d_method = method;
    }
    return (PyObject *)descr;
}

PyObject *
PyDescr_NewMember(PyTypeObject *type, PyMemberDef *member)
{
    PyMemberDescrObject *descr =
        (PyMemberDescrObject *)descr_new(&PyMemberDescr_Type, type,
                                         member->name);
    if (descr != NULL) {
        descr->d_member = member;
    }
    return (PyObject *)descr;
}

PyObject *
PyDescr_NewGetSet(PyTypeObject *type, PyGetSetDef *getset)
{
    PyGetSetDescrObject *descr =
        (PyGetSetDescrObject *)descr_new(&PyGetSetDescr_Type, type,
                                         getset->name);
    if (descr != NULL) {
        descr->d_getset = getset;
    }
    return (PyObject *)descr;
}

PyObject *
PyDescr_NewWrapper(PyTypeObject *type, struct wrapperbase *base,
                   void *wrapped)
{
    PyWrapperDescrObject *descr =
        (PyWrapperDescrObject *)descr_new(&PyWrapperDescr_Type, type,
                                          base->name);
    if (descr != NULL) {
        descr->d_base = base;
        descr->d_wrapped = wrapped;
    }
    return (PyObject *)descr;
}

/* ================================================================ method descriptor */

static PyObject *
method_get(PyObject *self, PyObject *obj, PyObject *type)
{
    PyMethodDescrObject *descr = (PyMethodDescrObject *)self;
    if (obj == NULL) {
        return Py_NewRef(self);
    }
    if (descr_check((PyDescrObject *)descr, obj) < 0) {
        return NULL;
    }
    if (descr->d_method->ml_flags & METH_METHOD) {
        if (PyType_Check(type)) {
            return PyCMethod_New(descr->d_method, obj, NULL,
                                 descr->d_common.d_type);
        }
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' needs a type, not '%s', as arg 2",
                     descr_name((PyDescrObject *)descr),
                     Py_TYPE(type)->tp_name);
        return NULL;
    }
    return PyCFunction_NewEx(descr->d_method, obj, NULL);
}

/* The first argument of an unbound method call must be an instance. */
static inline int
method_check_args(PyObject *func, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames)
{
    if (nargs < 1) {
        PyObject *funcstr = calculate_qualname((PyDescrObject *)func);
        if (funcstr != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "unbound method %U() needs an argument", funcstr);
            Py_DECREF(funcstr);
        }
        return -1;
    }
    PyObject *self = args[0];
    if (descr_check((PyDescrObject *)func, self) < 0) {
        return -1;
    }
    if (kwnames && PyTuple_GET_SIZE(kwnames)) {
        PyObject *funcstr = calculate_qualname((PyDescrObject *)func);
        if (funcstr != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%U() takes no keyword arguments", funcstr);
            Py_DECREF(funcstr);
        }
        return -1;
    }
    return 0;
}

static inline int
method_enter_call(void)
{
    return Py_EnterRecursiveCall(" while calling a Python object");
}

static PyObject *
method_vectorcall_VARARGS(PyObject *func, PyObject *const *args,
                          size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, kwnames)) {
        return NULL;
    }
    PyObject *argstuple = _PyTuple_FromArray(args + 1, nargs - 1);
    if (argstuple == NULL) {
        return NULL;
    }
    PyCFunction meth = ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        Py_DECREF(argstuple);
        return NULL;
    }
    PyObject *result = meth(args[0], argstuple);
    Py_DECREF(argstuple);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_vectorcall_VARARGS_KEYWORDS(PyObject *func, PyObject *const *args,
                                   size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, NULL)) {
        return NULL;
    }
    PyObject *argstuple = _PyTuple_FromArray(args + 1, nargs - 1);
    if (argstuple == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    PyObject *kwdict = NULL;
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        kwdict = _PyStack_AsDict(args + nargs, kwnames);
        if (kwdict == NULL) {
            goto exit;
        }
    }
    PyCFunctionWithKeywords meth = (PyCFunctionWithKeywords)(void (*)(void))
        ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        goto exit;
    }
    result = meth(args[0], argstuple, kwdict);
    Py_LeaveRecursiveCall();
exit:
    Py_DECREF(argstuple);
    Py_XDECREF(kwdict);
    return result;
}

static PyObject *
method_vectorcall_FASTCALL_KEYWORDS_METHOD(PyObject *func,
                                           PyObject *const *args,
                                           size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, NULL)) {
        return NULL;
    }
    PyCMethod meth = (PyCMethod)(void (*)(void))
        ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        return NULL;
    }
    PyObject *result = meth(args[0],
                            ((PyMethodDescrObject *)func)->d_common.d_type,
                            args + 1, (size_t)(nargs - 1), kwnames);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_vectorcall_FASTCALL(PyObject *func, PyObject *const *args,
                           size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, kwnames)) {
        return NULL;
    }
    _PyCFunctionFast meth = (_PyCFunctionFast)(void (*)(void))
        ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        return NULL;
    }
    PyObject *result = meth(args[0], args + 1, nargs - 1);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_vectorcall_FASTCALL_KEYWORDS(PyObject *func, PyObject *const *args,
                                    size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, NULL)) {
        return NULL;
    }
    _PyCFunctionFastWithKeywords meth = (_PyCFunctionFastWithKeywords)
        (void (*)(void))((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        return NULL;
    }
    PyObject *result = meth(args[0], args + 1, nargs - 1, kwnames);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_vectorcall_NOARGS(PyObject *func, PyObject *const *args,
                         size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, kwnames)) {
        return NULL;
    }
    if (nargs != 1) {
        PyObject *funcstr = calculate_qualname((PyDescrObject *)func);
        if (funcstr != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%U() takes no arguments (%zd given)", funcstr,
                         nargs - 1);
            Py_DECREF(funcstr);
        }
        return NULL;
    }
    PyCFunction meth = ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        return NULL;
    }
    PyObject *result = meth(args[0], NULL);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_vectorcall_O(PyObject *func, PyObject *const *args, size_t nargsf,
                    PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (method_check_args(func, args, nargs, kwnames)) {
        return NULL;
    }
    if (nargs != 2) {
        PyObject *funcstr = calculate_qualname((PyDescrObject *)func);
        if (funcstr != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%U() takes exactly one argument (%zd given)",
                         funcstr, nargs - 1);
            Py_DECREF(funcstr);
        }
        return NULL;
    }
    PyCFunction meth = ((PyMethodDescrObject *)func)->d_method->ml_meth;
    if (method_enter_call()) {
        return NULL;
    }
    PyObject *result = meth(args[0], args[1]);
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
method_get_doc(PyObject *self, void *closure)
{
    PyMethodDescrObject *descr = (PyMethodDescrObject *)self;
    return _PyType_GetDocFromInternalDoc(descr->d_method->ml_name,
                                         descr->d_method->ml_doc);
}

static PyObject *
method_get_text_signature(PyObject *self, void *closure)
{
    PyMethodDescrObject *descr = (PyMethodDescrObject *)self;
    return _PyType_GetTextSignatureFromInternalDoc(descr->d_method->ml_name,
                                                   descr->d_method->ml_doc);
}

static PyGetSetDef method_getset[] = {
    {"__doc__", method_get_doc, NULL, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL, NULL},
    {"__text_signature__", method_get_text_signature, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyMethodDescr_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "method_descriptor",
    .tp_basicsize = sizeof(PyMethodDescrObject),
    .tp_dealloc = descr_dealloc,
    .tp_vectorcall_offset = offsetof(PyMethodDescrObject, vectorcall),
    .tp_repr = method_repr,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_traverse = descr_traverse,
    .tp_methods = descr_methods,
    .tp_members = descr_members,
    .tp_getset = method_getset,
    .tp_descr_get = method_get,
};

/* ================================================================ classmethod descriptor */

static PyObject *
classmethod_get(PyObject *self, PyObject *obj, PyObject *type)
{
    PyMethodDescrObject *descr = (PyMethodDescrObject *)self;
    if (type == NULL) {
        if (obj != NULL) {
            type = (PyObject *)Py_TYPE(obj);
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "descriptor '%U' for type '%.100s' needs either an "
                         "object or a type", descr_name((PyDescrObject *)descr),
                         descr->d_common.d_type->tp_name);
            return NULL;
        }
    }
    if (!PyType_Check(type)) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' for type '%.100s' needs a type, not a "
                     "'%.100s' as arg 2", descr_name((PyDescrObject *)descr),
                     descr->d_common.d_type->tp_name,
                     Py_TYPE(type)->tp_name);
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)type, descr->d_common.d_type)) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' requires a subtype of '%.100s' but "
                     "received '%.100s'", descr_name((PyDescrObject *)descr),
                     descr->d_common.d_type->tp_name,
                     ((PyTypeObject *)type)->tp_name);
        return NULL;
    }
    PyTypeObject *cls = NULL;
    if (descr->d_method->ml_flags & METH_METHOD) {
        cls = descr->d_common.d_type;
    }
    return PyCMethod_New(descr->d_method, type, NULL, cls);
}

/* dict.__dict__['fromkeys'](dict, ...) */
static PyObject *
classmethoddescr_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyMethodDescrObject *descr = (PyMethodDescrObject *)self;
    Py_ssize_t argc = PyTuple_GET_SIZE(args);
    if (argc < 1) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' of '%.100s' object needs an argument",
                     descr_name((PyDescrObject *)descr),
                     descr->d_common.d_type->tp_name);
        return NULL;
    }
    PyObject *self_arg = PyTuple_GET_ITEM(args, 0);
    PyObject *bound = classmethod_get(self, NULL, self_arg);
    if (bound == NULL) {
        return NULL;
    }
    PyObject *rest = PyTuple_GetSlice(args, 1, argc);
    if (rest == NULL) {
        Py_DECREF(bound);
        return NULL;
    }
    PyObject *result = PyObject_Call(bound, rest, kwds);
    Py_DECREF(rest);
    Py_DECREF(bound);
    return result;
}

PyTypeObject PyClassMethodDescr_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "classmethod_descriptor",
    .tp_basicsize = sizeof(PyMethodDescrObject),
    .tp_dealloc = descr_dealloc,
    .tp_repr = method_repr,
    .tp_call = classmethoddescr_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = descr_traverse,
    .tp_members = descr_members,
    .tp_getset = method_getset,
    .tp_descr_get = classmethod_get,
};

/* ================================================================ members */

static PyObject *
member_get(PyObject *self, PyObject *obj, PyObject *type)
{
    PyMemberDescrObject *descr = (PyMemberDescrObject *)self;
    if (obj == NULL) {
        return Py_NewRef(self);
    }
    if (descr_check((PyDescrObject *)descr, obj) < 0) {
        return NULL;
    }
    if (descr->d_member->flags & PY_AUDIT_READ) {
        /* Audit hooks do not exist yet. */
    }
    return PyMember_GetOne((char *)obj, descr->d_member);
}

static int
member_set(PyObject *self, PyObject *obj, PyObject *value)
{
    PyMemberDescrObject *descr = (PyMemberDescrObject *)self;
    if (descr_check((PyDescrObject *)descr, obj) < 0) {
        return -1;
    }
    return PyMember_SetOne((char *)obj, descr->d_member, value);
}

static PyObject *
member_get_doc(PyObject *self, void *context)
{
    PyMemberDescrObject *descr = (PyMemberDescrObject *)self;
    if (descr->d_member->doc == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(descr->d_member->doc);
}

static PyGetSetDef member_getset[] = {
    {"__doc__", member_get_doc, NULL, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyMemberDescr_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "member_descriptor",
    .tp_basicsize = sizeof(PyMemberDescrObject),
    .tp_dealloc = descr_dealloc,
    .tp_repr = member_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = descr_traverse,
    .tp_methods = descr_methods,
    .tp_members = descr_members,
    .tp_getset = member_getset,
    .tp_descr_get = member_get,
    .tp_descr_set = member_set,
};

/* ================================================================ getset */

static PyObject *
getset_get(PyObject *self, PyObject *obj, PyObject *type)
{
    PyGetSetDescrObject *descr = (PyGetSetDescrObject *)self;
    if (obj == NULL) {
        return Py_NewRef(self);
    }
    if (descr_check((PyDescrObject *)descr, obj) < 0) {
        return NULL;
    }
    if (descr->d_getset->get != NULL) {
        return descr->d_getset->get(obj, descr->d_getset->closure);
    }
    PyErr_Format(PyExc_AttributeError,
                 "attribute '%U' of '%.100s' objects is not readable",
                 descr_name((PyDescrObject *)descr),
                 descr->d_common.d_type->tp_name);
    return NULL;
}

static int
getset_set(PyObject *self, PyObject *obj, PyObject *value)
{
    PyGetSetDescrObject *descr = (PyGetSetDescrObject *)self;
    if (descr_check((PyDescrObject *)descr, obj) < 0) {
        return -1;
    }
    if (descr->d_getset->set != NULL) {
        return descr->d_getset->set(obj, value, descr->d_getset->closure);
    }
    PyErr_Format(PyExc_AttributeError,
                 "attribute '%U' of '%.100s' objects is not writable",
                 descr_name((PyDescrObject *)descr),
                 descr->d_common.d_type->tp_name);
    return -1;
}

static PyObject *
getset_get_doc(PyObject *self, void *context)
{
    PyGetSetDescrObject *descr = (PyGetSetDescrObject *)self;
    if (descr->d_getset->doc == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(descr->d_getset->doc);
}

static PyGetSetDef getset_getset[] = {
    {"__doc__", getset_get_doc, NULL, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyGetSetDescr_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "getset_descriptor",
    .tp_basicsize = sizeof(PyGetSetDescrObject),
    .tp_dealloc = descr_dealloc,
    .tp_repr = getset_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = descr_traverse,
    .tp_members = descr_members,
    .tp_getset = getset_getset,
    .tp_descr_get = getset_get,
    .tp_descr_set = getset_set,
};

/* ================================================================ slot wrappers */

static PyObject *
wrapperdescr_raw_call(PyWrapperDescrObject *descr, PyObject *self,
                      PyObject *args, PyObject *kwds)
{
    wrapperfunc wrapper = descr->d_base->wrapper;
    if (descr->d_base->flags & PyWrapperFlag_KEYWORDS) {
        wrapperfunc_kwds wk = (wrapperfunc_kwds)(void (*)(void))wrapper;
        return (*wk)(self, args, descr->d_wrapped, kwds);
    }
    if (kwds != NULL && (!PyDict_Check(kwds) || PyDict_GET_SIZE(kwds) != 0)) {
        PyErr_Format(PyExc_TypeError,
                     "wrapper %s() takes no keyword arguments",
                     descr->d_base->name);
        return NULL;
    }
    return (*wrapper)(self, args, descr->d_wrapped);
}

static PyObject *
wrapperdescr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL) {
        return Py_NewRef(self);
    }
    if (descr_check((PyDescrObject *)self, obj) < 0) {
        return NULL;
    }
    return PyWrapper_New(self, obj);
}

/* int.__add__(1, 2) */
static PyObject *
wrapperdescr_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyWrapperDescrObject *d = (PyWrapperDescrObject *)self;
    Py_ssize_t argc = PyTuple_GET_SIZE(args);
    if (argc < 1) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' of '%.100s' object needs an argument",
                     descr_name((PyDescrObject *)d),
                     d->d_common.d_type->tp_name);
        return NULL;
    }
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    if (!PyObject_TypeCheck(obj, d->d_common.d_type)) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor '%U' requires a '%.100s' object but "
                     "received a '%.100s'", descr_name((PyDescrObject *)d),
                     d->d_common.d_type->tp_name,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    PyObject *rest = PyTuple_GetSlice(args, 1, argc);
    if (rest == NULL) {
        return NULL;
    }
    PyObject *result = wrapperdescr_raw_call(d, obj, rest, kwds);
    Py_DECREF(rest);
    return result;
}

static PyObject *
wrapperdescr_get_doc(PyObject *self, void *closure)
{
    PyWrapperDescrObject *descr = (PyWrapperDescrObject *)self;
    return _PyType_GetDocFromInternalDoc(descr->d_base->name,
                                         descr->d_base->doc);
}

static PyObject *
wrapperdescr_get_text_signature(PyObject *self, void *closure)
{
    PyWrapperDescrObject *descr = (PyWrapperDescrObject *)self;
    return _PyType_GetTextSignatureFromInternalDoc(descr->d_base->name,
                                                   descr->d_base->doc);
}

static PyGetSetDef wrapperdescr_getset[] = {
    {"__doc__", wrapperdescr_get_doc, NULL, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL, NULL},
    {"__text_signature__", wrapperdescr_get_text_signature, NULL, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyWrapperDescr_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "wrapper_descriptor",
    .tp_basicsize = sizeof(PyWrapperDescrObject),
    .tp_dealloc = descr_dealloc,
    .tp_repr = wrapperdescr_repr,
    .tp_call = wrapperdescr_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_traverse = descr_traverse,
    .tp_methods = descr_methods,
    .tp_members = descr_members,
    .tp_getset = wrapperdescr_getset,
    .tp_descr_get = wrapperdescr_get,
};

/* ---- method-wrapper: a slot wrapper bound to an object ---- */

typedef struct {
    PyObject_HEAD
    PyWrapperDescrObject *descr;
    PyObject *self;
} wrapperobject;

static void
wrapper_dealloc(PyObject *self)
{
    wrapperobject *wp = (wrapperobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(wp->descr);
    Py_XDECREF(wp->self);
    PyObject_GC_Del(self);
}

static PyObject *
wrapper_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) ||
        !Py_IS_TYPE(a, &_PyMethodWrapper_Type) ||
        !Py_IS_TYPE(b, &_PyMethodWrapper_Type)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    wrapperobject *wa = (wrapperobject *)a, *wb = (wrapperobject *)b;
    int eq = (wa->descr == wb->descr && wa->self == wb->self);
    if (eq == (op == Py_EQ)) {
        Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

static Py_hash_t
wrapper_hash(PyObject *self)
{
    wrapperobject *wp = (wrapperobject *)self;
    Py_hash_t x = PyObject_Hash(wp->self);
    if (x == -1) {
        return -1;
    }
    Py_hash_t y = _Py_HashPointer(wp->descr);
    x = x ^ y;
    if (x == -1) {
        x = -2;
    }
    return x;
}

static PyObject *
wrapper_repr(PyObject *self)
{
    wrapperobject *wp = (wrapperobject *)self;
    return PyUnicode_FromFormat("<method-wrapper '%s' of %s object at %p>",
                                wp->descr->d_base->name,
                                Py_TYPE(wp->self)->tp_name, wp->self);
}

static PyObject *
wrapper_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    wrapperobject *wp = (wrapperobject *)self;
    return wrapperdescr_raw_call(wp->descr, wp->self, args, kwds);
}

static int
wrapper_traverse(PyObject *self, visitproc visit, void *arg)
{
    wrapperobject *wp = (wrapperobject *)self;
    Py_VISIT(wp->descr);
    Py_VISIT(wp->self);
    return 0;
}

static PyObject *
wrapper_objclass(PyObject *self, void *ignored)
{
    return Py_NewRef((PyObject *)PyDescr_TYPE(((wrapperobject *)self)->descr));
}

static PyObject *
wrapper_name(PyObject *self, void *ignored)
{
    return PyUnicode_FromString(((wrapperobject *)self)->descr->d_base->name);
}

static PyObject *
wrapper_doc(PyObject *self, void *ignored)
{
    return wrapperdescr_get_doc((PyObject *)((wrapperobject *)self)->descr,
                                NULL);
}

static PyObject *
wrapper_qualname(PyObject *self, void *ignored)
{
    return descr_get_qualname((PyObject *)((wrapperobject *)self)->descr,
                              NULL);
}

static PyObject *
wrapper_self(PyObject *self, void *ignored)
{
    return Py_NewRef(((wrapperobject *)self)->self);
}

/* A method-wrapper pickles as getattr(self, name). */
static PyObject *
wrapper_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    wrapperobject *w = (wrapperobject *)self;
    return _PyObject_ReduceGetattr(w->self, ((PyDescrObject *)w->descr)->d_name);
}

static PyMethodDef wrapper_methods[] = {
    {"__reduce__", wrapper_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef wrapper_getsets[] = {
    {"__objclass__", wrapper_objclass, NULL, NULL, NULL},
    {"__name__", wrapper_name, NULL, NULL, NULL},
    {"__qualname__", wrapper_qualname, NULL, NULL, NULL},
    {"__doc__", wrapper_doc, NULL, NULL, NULL},
    {"__self__", wrapper_self, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject _PyMethodWrapper_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "method-wrapper",
    .tp_basicsize = sizeof(wrapperobject),
    .tp_dealloc = wrapper_dealloc,
    .tp_repr = wrapper_repr,
    .tp_hash = wrapper_hash,
    .tp_call = wrapper_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = wrapper_traverse,
    .tp_richcompare = wrapper_richcompare,
    .tp_methods = wrapper_methods,
    .tp_getset = wrapper_getsets,
};

PyObject *
PyWrapper_New(PyObject *d, PyObject *self)
{
    PyWrapperDescrObject *descr = (PyWrapperDescrObject *)d;
    wrapperobject *wp = PyObject_GC_New(wrapperobject,
                                        &_PyMethodWrapper_Type);
    if (wp != NULL) {
        wp->descr = (PyWrapperDescrObject *)Py_NewRef(d);
        wp->self = Py_NewRef(self);
        PyObject_GC_Track(wp);
    }
    (void)descr;
    return (PyObject *)wp;
}

/* ================================================================ mappingproxy */

typedef struct {
    PyObject_HEAD
    PyObject *mapping;
} mappingproxyobject;

static Py_ssize_t
mappingproxy_len(PyObject *self)
{
    return PyObject_Size(((mappingproxyobject *)self)->mapping);
}

static PyObject *
mappingproxy_getitem(PyObject *self, PyObject *key)
{
    return PyObject_GetItem(((mappingproxyobject *)self)->mapping, key);
}

static int
mappingproxy_contains(PyObject *self, PyObject *key)
{
    PyObject *mapping = ((mappingproxyobject *)self)->mapping;
    if (PyDict_CheckExact(mapping)) {
        return PyDict_Contains(mapping, key);
    }
    return PySequence_Contains(mapping, key);
}

static PyObject *
mappingproxy_or(PyObject *left, PyObject *right)
{
    if (Py_IS_TYPE(left, &PyDictProxy_Type)) {
        left = ((mappingproxyobject *)left)->mapping;
    }
    if (Py_IS_TYPE(right, &PyDictProxy_Type)) {
        right = ((mappingproxyobject *)right)->mapping;
    }
    return PyNumber_Or(left, right);
}

static PyObject *
mappingproxy_ior(PyObject *self, PyObject *other)
{
    return PyErr_Format(PyExc_TypeError,
                        "'|=' is not supported by %s; use '|' instead",
                        Py_TYPE(self)->tp_name);
}

static PyNumberMethods mappingproxy_as_number = {
    .nb_or = mappingproxy_or,
    .nb_inplace_or = mappingproxy_ior,
};

static PyMappingMethods mappingproxy_as_mapping = {
    .mp_length = mappingproxy_len,
    .mp_subscript = mappingproxy_getitem,
};

static PySequenceMethods mappingproxy_as_sequence = {
    .sq_contains = mappingproxy_contains,
};

static PyObject *
mappingproxy_call_method(PyObject *self, PyObject *name)
{
    return PyObject_CallMethodNoArgs(((mappingproxyobject *)self)->mapping,
                                     name);
}

static PyObject *
mappingproxy_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("get", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *newargs[3] = {((mappingproxyobject *)self)->mapping, args[0],
                            nargs == 2 ? args[1] : Py_None};
    return PyObject_VectorcallMethod(_Py_ID(get), newargs, 3, NULL);
}

static PyObject *
mappingproxy_keys(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return mappingproxy_call_method(self, _Py_ID(keys));
}

static PyObject *
mappingproxy_values(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return mappingproxy_call_method(self, _Py_ID(values));
}

static PyObject *
mappingproxy_items(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return mappingproxy_call_method(self, _Py_ID(items));
}

static PyObject *
mappingproxy_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return mappingproxy_call_method(self, _Py_ID(copy));
}

static PyObject *
mappingproxy_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return mappingproxy_call_method(self, _Py_ID(__reversed__));
}

static PyMethodDef mappingproxy_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"get", _PyCFunction_CAST(mappingproxy_get), METH_FASTCALL,
     "D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None."},
    {"keys", mappingproxy_keys, METH_NOARGS,
     "D.keys() -> a set-like object providing a view on D's keys"},
    {"values", mappingproxy_values, METH_NOARGS,
     "D.values() -> an object providing a view on D's values"},
    {"items", mappingproxy_items, METH_NOARGS,
     "D.items() -> a set-like object providing a view on D's items"},
    {"copy", mappingproxy_copy, METH_NOARGS,
     "D.copy() -> a shallow copy of D"},
    {"__reversed__", mappingproxy_reversed, METH_NOARGS,
     "D.__reversed__() -> reverse iterator"},
    {NULL, NULL, 0, NULL}
};

static void
mappingproxy_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_DECREF(((mappingproxyobject *)self)->mapping);
    PyObject_GC_Del(self);
}

static PyObject *
mappingproxy_getiter(PyObject *self)
{
    return PyObject_GetIter(((mappingproxyobject *)self)->mapping);
}

static PyObject *
mappingproxy_str(PyObject *self)
{
    return PyObject_Str(((mappingproxyobject *)self)->mapping);
}

static PyObject *
mappingproxy_repr(PyObject *self)
{
    return PyUnicode_FromFormat("mappingproxy(%R)",
                                ((mappingproxyobject *)self)->mapping);
}

static int
mappingproxy_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((mappingproxyobject *)self)->mapping);
    return 0;
}

static PyObject *
mappingproxy_richcompare(PyObject *self, PyObject *w, int op)
{
    return PyObject_RichCompare(((mappingproxyobject *)self)->mapping, w, op);
}

static int
mappingproxy_check_mapping(PyObject *mapping)
{
    if (!PyMapping_Check(mapping) || PyList_Check(mapping) ||
        PyTuple_Check(mapping)) {
        PyErr_Format(PyExc_TypeError,
                     "mappingproxy() argument must be a mapping, not %s",
                     Py_TYPE(mapping)->tp_name);
        return -1;
    }
    return 0;
}

static PyObject *
mappingproxy_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"mapping", NULL};
    PyObject *mapping;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:mappingproxy", kwlist,
                                     &mapping)) {
        return NULL;
    }
    if (mappingproxy_check_mapping(mapping) == -1) {
        return NULL;
    }
    return PyDictProxy_New(mapping);
}

PyTypeObject PyDictProxy_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "mappingproxy",
    .tp_basicsize = sizeof(mappingproxyobject),
    .tp_dealloc = mappingproxy_dealloc,
    .tp_repr = mappingproxy_repr,
    .tp_as_number = &mappingproxy_as_number,
    .tp_as_sequence = &mappingproxy_as_sequence,
    .tp_as_mapping = &mappingproxy_as_mapping,
    .tp_str = mappingproxy_str,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_MAPPING,
    .tp_traverse = mappingproxy_traverse,
    .tp_richcompare = mappingproxy_richcompare,
    .tp_iter = mappingproxy_getiter,
    .tp_methods = mappingproxy_methods,
    .tp_new = mappingproxy_new,
};

PyObject *
PyDictProxy_New(PyObject *mapping)
{
    if (mappingproxy_check_mapping(mapping) == -1) {
        return NULL;
    }
    mappingproxyobject *pp = PyObject_GC_New(mappingproxyobject,
                                             &PyDictProxy_Type);
    if (pp != NULL) {
        pp->mapping = Py_NewRef(mapping);
        PyObject_GC_Track(pp);
    }
    return (PyObject *)pp;
}

/* ================================================================ property */

typedef struct {
    PyObject_HEAD
    PyObject *prop_get;
    PyObject *prop_set;
    PyObject *prop_del;
    PyObject *prop_doc;
    PyObject *prop_name;
    int getter_doc;
} propertyobject;

static void
property_dealloc(PyObject *self)
{
    propertyobject *gs = (propertyobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(gs->prop_get);
    Py_XDECREF(gs->prop_set);
    Py_XDECREF(gs->prop_del);
    Py_XDECREF(gs->prop_doc);
    Py_XDECREF(gs->prop_name);
    Py_TYPE(self)->tp_free(self);
}

static int
property_traverse(PyObject *self, visitproc visit, void *arg)
{
    propertyobject *pp = (propertyobject *)self;
    Py_VISIT(pp->prop_get);
    Py_VISIT(pp->prop_set);
    Py_VISIT(pp->prop_del);
    Py_VISIT(pp->prop_doc);
    Py_VISIT(pp->prop_name);
    return 0;
}

static int
property_clear(PyObject *self)
{
    Py_CLEAR(((propertyobject *)self)->prop_doc);
    return 0;
}

static PyObject *
property_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    propertyobject *gs = (propertyobject *)self;
    if (gs->prop_get == NULL) {
        PyObject *qualname = PyType_GetQualName(Py_TYPE(obj));
        if (qualname == NULL) {
            return NULL;
        }
        if (gs->prop_name != NULL) {
            PyErr_Format(PyExc_AttributeError,
                         "property %R of %R object has no getter",
                         gs->prop_name, qualname);
        }
        else {
            PyErr_Format(PyExc_AttributeError,
                         "property of %R object has no getter", qualname);
        }
        Py_DECREF(qualname);
        return NULL;
    }
    return PyObject_CallOneArg(gs->prop_get, obj);
}

static int
property_descr_set(PyObject *self, PyObject *obj, PyObject *value)
{
    propertyobject *gs = (propertyobject *)self;
    PyObject *func = value == NULL ? gs->prop_del : gs->prop_set;
    if (func == NULL) {
        PyObject *qualname = NULL;
        if (obj != NULL) {
            qualname = PyType_GetQualName(Py_TYPE(obj));
        }
        if (gs->prop_name != NULL && obj != NULL) {
            PyErr_Format(PyExc_AttributeError,
                         value == NULL ?
                         "property %R of %R object has no deleter" :
                         "property %R of %R object has no setter",
                         gs->prop_name, qualname);
        }
        else if (obj != NULL) {
            PyErr_Format(PyExc_AttributeError,
                         value == NULL ?
                         "property of %R object has no deleter" :
                         "property of %R object has no setter", qualname);
        }
        else {
            PyErr_SetString(PyExc_AttributeError,
                            value == NULL ? "can't delete attribute"
                                          : "can't set attribute");
        }
        Py_XDECREF(qualname);
        return -1;
    }
    PyObject *res;
    if (value == NULL) {
        res = PyObject_CallOneArg(func, obj);
    }
    else {
        PyObject *args[2] = {obj, value};
        res = PyObject_Vectorcall(func, args, 2, NULL);
    }
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

/* A copy of the property with one accessor replaced (getter()/setter()/
   deleter()); the class of a subclassed property is kept. */
static PyObject *
property_copy(PyObject *old, PyObject *get, PyObject *set, PyObject *del)
{
    propertyobject *pold = (propertyobject *)old;
    if (get == NULL || get == Py_None) {
        get = pold->prop_get ? pold->prop_get : Py_None;
    }
    if (set == NULL || set == Py_None) {
        set = pold->prop_set ? pold->prop_set : Py_None;
    }
    if (del == NULL || del == Py_None) {
        del = pold->prop_del ? pold->prop_del : Py_None;
    }
    PyObject *doc;
    if (pold->getter_doc && get != Py_None) {
        doc = Py_None;
    }
    else {
        doc = pold->prop_doc ? pold->prop_doc : Py_None;
    }
    PyObject *type = (PyObject *)Py_TYPE(old);
    PyObject *new = PyObject_CallFunctionObjArgs(type, get, set, del, doc,
                                                 NULL);
    if (new == NULL) {
        return NULL;
    }
    if (PyObject_TypeCheck(new, &PyProperty_Type)) {
        Py_XSETREF(((propertyobject *)new)->prop_name,
                   Py_XNewRef(pold->prop_name));
    }
    return new;
}

static PyObject *
property_getter(PyObject *self, PyObject *getter)
{
    return property_copy(self, getter, NULL, NULL);
}

static PyObject *
property_setter(PyObject *self, PyObject *setter)
{
    return property_copy(self, NULL, setter, NULL);
}

static PyObject *
property_deleter(PyObject *self, PyObject *deleter)
{
    return property_copy(self, NULL, NULL, deleter);
}

static PyObject *
property_set_name(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_Format(PyExc_TypeError,
                     "__set_name__() takes 2 positional arguments but %zd "
                     "were given", PyTuple_GET_SIZE(args));
        return NULL;
    }
    propertyobject *prop = (propertyobject *)self;
    Py_XSETREF(prop->prop_name, Py_NewRef(PyTuple_GET_ITEM(args, 1)));
    Py_RETURN_NONE;
}

static PyMethodDef property_methods[] = {
    {"getter", property_getter, METH_O,
     "Descriptor to obtain a copy of the property with a different getter."},
    {"setter", property_setter, METH_O,
     "Descriptor to obtain a copy of the property with a different setter."},
    {"deleter", property_deleter, METH_O,
     "Descriptor to obtain a copy of the property with a different "
     "deleter."},
    {"__set_name__", property_set_name, METH_VARARGS,
     "Method to set name of a property."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef property_members[] = {
    {"fget", T_OBJECT, offsetof(propertyobject, prop_get), READONLY, NULL},
    {"fset", T_OBJECT, offsetof(propertyobject, prop_set), READONLY, NULL},
    {"fdel", T_OBJECT, offsetof(propertyobject, prop_del), READONLY, NULL},
    {"__doc__", T_OBJECT, offsetof(propertyobject, prop_doc), 0, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* True if any accessor has __isabstractmethod__ true. */
static PyObject *
property_get___isabstractmethod__(PyObject *self, void *closure)
{
    propertyobject *prop = (propertyobject *)self;
    PyObject *fns[3] = {prop->prop_get, prop->prop_set, prop->prop_del};
    for (int i = 0; i < 3; i++) {
        if (fns[i] == NULL) {
            continue;
        }
        PyObject *v;
        if (_PyObject_LookupAttr(fns[i], _Py_ID(__isabstractmethod__),
                                 &v) < 0) {
            return NULL;
        }
        if (v == NULL) {
            continue;
        }
        int r = PyObject_IsTrue(v);
        Py_DECREF(v);
        if (r < 0) {
            return NULL;
        }
        if (r) {
            Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

static PyGetSetDef property_getsetlist[] = {
    {"__isabstractmethod__", property_get___isabstractmethod__, NULL, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static int
property_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"fget", "fset", "fdel", "doc", NULL};
    PyObject *fget = NULL, *fset = NULL, *fdel = NULL, *doc = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OOOO:property", kwlist,
                                     &fget, &fset, &fdel, &doc)) {
        return -1;
    }
    propertyobject *prop = (propertyobject *)self;
    if (fget == Py_None) {
        fget = NULL;
    }
    if (fset == Py_None) {
        fset = NULL;
    }
    if (fdel == Py_None) {
        fdel = NULL;
    }
    Py_XSETREF(prop->prop_get, Py_XNewRef(fget));
    Py_XSETREF(prop->prop_set, Py_XNewRef(fset));
    Py_XSETREF(prop->prop_del, Py_XNewRef(fdel));
    Py_XSETREF(prop->prop_doc, NULL);
    Py_XSETREF(prop->prop_name, NULL);
    prop->getter_doc = 0;
    PyObject *prop_doc = NULL;
    if (doc != NULL && doc != Py_None) {
        prop_doc = Py_NewRef(doc);
    }
    else if (fget != NULL) {
        /* The getter's __doc__ becomes the property's. */
        if (_PyObject_LookupAttr(fget, _Py_ID(__doc__), &prop_doc) < 0) {
            return -1;
        }
        if (prop_doc != NULL && prop_doc == Py_None) {
            Py_CLEAR(prop_doc);
        }
        if (prop_doc != NULL) {
            prop->getter_doc = 1;
        }
    }
    if (Py_IS_TYPE(self, &PyProperty_Type)) {
        Py_XSETREF(prop->prop_doc, prop_doc);
    }
    else {
        /* Subclasses keep __doc__ in their instance dict. */
        if (prop_doc == NULL) {
            prop_doc = Py_NewRef(Py_None);
        }
        int err = PyObject_SetAttr(self, _Py_ID(__doc__), prop_doc);
        Py_DECREF(prop_doc);
        if (err < 0) {
            return -1;
        }
    }
    return 0;
}

PyTypeObject PyProperty_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "property",
    .tp_basicsize = sizeof(propertyobject),
    .tp_dealloc = property_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE,
    .tp_doc = "property(fget=None, fset=None, fdel=None, doc=None)\n--\n\n"
              "Property attribute.",
    .tp_traverse = property_traverse,
    .tp_clear = property_clear,
    .tp_methods = property_methods,
    .tp_members = property_members,
    .tp_getset = property_getsetlist,
    .tp_descr_get = property_descr_get,
    .tp_descr_set = property_descr_set,
    .tp_init = property_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

/* ================================================================ classmethod / staticmethod */

static PyObject *
bind_method(PyObject *func, PyObject *self)
{
    return PyMethod_New(func, self);
}

typedef struct {
    PyObject_HEAD
    PyObject *cm_callable;
    PyObject *cm_dict;
} classmethod_object;

static void
cm_dealloc(PyObject *self)
{
    classmethod_object *cm = (classmethod_object *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(cm->cm_callable);
    Py_XDECREF(cm->cm_dict);
    Py_TYPE(self)->tp_free(self);
}

static int
cm_traverse(PyObject *self, visitproc visit, void *arg)
{
    classmethod_object *cm = (classmethod_object *)self;
    Py_VISIT(cm->cm_callable);
    Py_VISIT(cm->cm_dict);
    return 0;
}

static int
cm_clear(PyObject *self)
{
    classmethod_object *cm = (classmethod_object *)self;
    Py_CLEAR(cm->cm_callable);
    Py_CLEAR(cm->cm_dict);
    return 0;
}

/* Copies __module__, __name__, __qualname__, __doc__ of the wrapped
   callable into the wrapper's __dict__ (functools.wraps-style, 3.10+). */
static int
wraps_copy_attrs(PyObject *wrapper, PyObject *wrapped)
{
    PyObject *names[4] = {_Py_ID(__module__), _Py_ID(__name__),
                          _Py_ID(__qualname__), _Py_ID(__doc__)};
    for (int i = 0; i < 4; i++) {
        PyObject *value;
        if (_PyObject_LookupAttr(wrapped, names[i], &value) < 0) {
            return -1;
        }
        if (value == NULL) {
            continue;
        }
        int r = PyObject_SetAttr(wrapper, names[i], value);
        Py_DECREF(value);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
cm_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    classmethod_object *cm = (classmethod_object *)self;
    if (cm->cm_callable == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "uninitialized classmethod object");
        return NULL;
    }
    if (type == NULL) {
        type = (PyObject *)Py_TYPE(obj);
    }
    /* 3.9-3.12: wrap other descriptors' __get__ (chaining). */
    if (Py_TYPE(cm->cm_callable)->tp_descr_get != NULL) {
        return Py_TYPE(cm->cm_callable)->tp_descr_get(cm->cm_callable, type,
                                                      type);
    }
    return bind_method(cm->cm_callable, type);
}

static int
cm_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    classmethod_object *cm = (classmethod_object *)self;
    PyObject *callable;
    if (!_PyArg_NoKeywords("classmethod", kwds)) {
        return -1;
    }
    if (!PyArg_UnpackTuple(args, "classmethod", 1, 1, &callable)) {
        return -1;
    }
    Py_XSETREF(cm->cm_callable, Py_NewRef(callable));
    return wraps_copy_attrs(self, callable);
}

static PyMemberDef cm_memberlist[] = {
    {"__func__", T_OBJECT, offsetof(classmethod_object, cm_callable),
     READONLY, NULL},
    {"__wrapped__", T_OBJECT, offsetof(classmethod_object, cm_callable),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* __isabstractmethod__ of a wrapper (classmethod, staticmethod): that of
   the wrapped callable, False when it has none.  New reference. */
static PyObject *
wrapped_isabstractmethod(PyObject *callable)
{
    PyObject *v;
    if (_PyObject_LookupAttr(callable, _Py_ID(__isabstractmethod__),
                             &v) < 0) {
        return NULL;
    }
    if (v == NULL) {
        Py_RETURN_FALSE;
    }
    int r = PyObject_IsTrue(v);
    Py_DECREF(v);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

static PyObject *
cm_get___isabstractmethod__(PyObject *self, void *closure)
{
    return wrapped_isabstractmethod(((classmethod_object *)self)->cm_callable);
}

static PyGetSetDef cm_getsetlist[] = {
    {"__isabstractmethod__", cm_get___isabstractmethod__, NULL, NULL, NULL},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyObject *
cm_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<classmethod(%R)>",
                                ((classmethod_object *)self)->cm_callable);
}

PyTypeObject PyClassMethod_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "classmethod",
    .tp_basicsize = sizeof(classmethod_object),
    .tp_dealloc = cm_dealloc,
    .tp_repr = cm_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "classmethod(function) -> method\n\n"
              "Convert a function to be a class method.",
    .tp_traverse = cm_traverse,
    .tp_clear = cm_clear,
    .tp_members = cm_memberlist,
    .tp_getset = cm_getsetlist,
    .tp_descr_get = cm_descr_get,
    .tp_dictoffset = offsetof(classmethod_object, cm_dict),
    .tp_init = cm_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

PyObject *
PyClassMethod_New(PyObject *callable)
{
    classmethod_object *cm = (classmethod_object *)
        PyType_GenericAlloc(&PyClassMethod_Type, 0);
    if (cm != NULL) {
        cm->cm_callable = Py_NewRef(callable);
    }
    return (PyObject *)cm;
}

typedef struct {
    PyObject_HEAD
    PyObject *sm_callable;
    PyObject *sm_dict;
} staticmethod_object;

static void
sm_dealloc(PyObject *self)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(sm->sm_callable);
    Py_XDECREF(sm->sm_dict);
    Py_TYPE(self)->tp_free(self);
}

static int
sm_traverse(PyObject *self, visitproc visit, void *arg)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    Py_VISIT(sm->sm_callable);
    Py_VISIT(sm->sm_dict);
    return 0;
}

static int
sm_clear(PyObject *self)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    Py_CLEAR(sm->sm_callable);
    Py_CLEAR(sm->sm_dict);
    return 0;
}

static PyObject *
sm_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    if (sm->sm_callable == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "uninitialized staticmethod object");
        return NULL;
    }
    return Py_NewRef(sm->sm_callable);
}

static int
sm_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    PyObject *callable;
    if (!_PyArg_NoKeywords("staticmethod", kwds)) {
        return -1;
    }
    if (!PyArg_UnpackTuple(args, "staticmethod", 1, 1, &callable)) {
        return -1;
    }
    Py_XSETREF(sm->sm_callable, Py_NewRef(callable));
    return wraps_copy_attrs(self, callable);
}

/* staticmethod objects are callable since 3.10. */
static PyObject *
sm_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    staticmethod_object *sm = (staticmethod_object *)self;
    return PyObject_Call(sm->sm_callable, args, kwargs);
}

static PyMemberDef sm_memberlist[] = {
    {"__func__", T_OBJECT, offsetof(staticmethod_object, sm_callable),
     READONLY, NULL},
    {"__wrapped__", T_OBJECT, offsetof(staticmethod_object, sm_callable),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyObject *
sm_get___isabstractmethod__(PyObject *self, void *closure)
{
    return wrapped_isabstractmethod(((staticmethod_object *)self)->sm_callable);
}

static PyGetSetDef sm_getsetlist[] = {
    {"__isabstractmethod__", sm_get___isabstractmethod__, NULL, NULL, NULL},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyObject *
sm_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<staticmethod(%R)>",
                                ((staticmethod_object *)self)->sm_callable);
}

PyTypeObject PyStaticMethod_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "staticmethod",
    .tp_basicsize = sizeof(staticmethod_object),
    .tp_dealloc = sm_dealloc,
    .tp_repr = sm_repr,
    .tp_call = sm_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "staticmethod(function) -> method\n\n"
              "Convert a function to be a static method.",
    .tp_traverse = sm_traverse,
    .tp_clear = sm_clear,
    .tp_members = sm_memberlist,
    .tp_getset = sm_getsetlist,
    .tp_descr_get = sm_descr_get,
    .tp_dictoffset = offsetof(staticmethod_object, sm_dict),
    .tp_init = sm_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

PyObject *
PyStaticMethod_New(PyObject *callable)
{
    staticmethod_object *sm = (staticmethod_object *)
        PyType_GenericAlloc(&PyStaticMethod_Type, 0);
    if (sm != NULL) {
        sm->sm_callable = Py_NewRef(callable);
    }
    return (PyObject *)sm;
}

/* ================================================================ members */

/* Reads the member at obj_addr + offset.  Object members are read with an
   acquire load and a conditional reference (another thread may be
   replacing them). */
PyObject *
PyMember_GetOne(const char *obj_addr, PyMemberDef *l)
{
    const char *addr = obj_addr + l->offset;
    PyObject *v;
    switch (l->type) {
    case T_BOOL:
        v = PyBool_FromLong(*(char *)addr);
        break;
    case T_BYTE:
        v = PyLong_FromLong(*(char *)addr);
        break;
    case T_UBYTE:
        v = PyLong_FromUnsignedLong(*(unsigned char *)addr);
        break;
    case T_SHORT:
        v = PyLong_FromLong(*(short *)addr);
        break;
    case T_USHORT:
        v = PyLong_FromUnsignedLong(*(unsigned short *)addr);
        break;
    case T_INT:
        v = PyLong_FromLong(*(int *)addr);
        break;
    case T_UINT:
        v = PyLong_FromUnsignedLong(*(unsigned int *)addr);
        break;
    case T_LONG:
        v = PyLong_FromLong(*(long *)addr);
        break;
    case T_ULONG:
        v = PyLong_FromUnsignedLong(*(unsigned long *)addr);
        break;
    case T_PYSSIZET:
        v = PyLong_FromSsize_t(*(Py_ssize_t *)addr);
        break;
    case T_FLOAT:
        v = PyFloat_FromDouble((double)*(float *)addr);
        break;
    case T_DOUBLE:
        v = PyFloat_FromDouble(*(double *)addr);
        break;
    case T_STRING:
        if (*(char **)addr == NULL) {
            v = Py_NewRef(Py_None);
        }
        else {
            v = PyUnicode_FromString(*(char **)addr);
        }
        break;
    case T_STRING_INPLACE:
        v = PyUnicode_FromString((char *)addr);
        break;
    case T_CHAR:
        v = PyUnicode_FromStringAndSize((char *)addr, 1);
        break;
    case T_OBJECT:
    case T_OBJECT_EX:
        for (;;) {
            v = _Py_atomic_load_ptr_acquire((void *)addr);
            if (v == NULL) {
                break;
            }
            if (_Py_TryIncref(v)) {
                if (_Py_atomic_load_ptr_acquire((void *)addr) == v) {
                    break;
                }
                Py_DECREF(v);
                continue;
            }
            /* Not countable lock-free: take the object's lock. */
            PyObject *obj = (PyObject *)obj_addr;
            Py_BEGIN_CRITICAL_SECTION(obj);
            v = *(PyObject **)addr;
            Py_XINCREF(v);
            Py_END_CRITICAL_SECTION();
            break;
        }
        if (v == NULL) {
            if (l->type == T_OBJECT) {
                v = Py_NewRef(Py_None);
            }
            else {
                PyTypeObject *tp = Py_TYPE((PyObject *)obj_addr);
                PyErr_Format(PyExc_AttributeError,
                             "'%.200s' object has no attribute '%s'",
                             tp->tp_name, l->name);
            }
        }
        break;
    case T_LONGLONG:
        v = PyLong_FromLongLong(*(long long *)addr);
        break;
    case T_ULONGLONG:
        v = PyLong_FromUnsignedLongLong(*(unsigned long long *)addr);
        break;
    case T_NONE:
        v = Py_NewRef(Py_None);
        break;
    default:
        PyErr_SetString(PyExc_SystemError, "bad memberdescr type");
        v = NULL;
    }
    return v;
}

#define WARN(msg)                                                       \
    do {                                                                \
        if (PyErr_WarnEx(PyExc_RuntimeWarning, msg, 1) < 0) {           \
            return -1;                                                  \
        }                                                               \
    } while (0)

int
PyMember_SetOne(char *addr, PyMemberDef *l, PyObject *v)
{
    PyObject *obj = (PyObject *)addr;
    addr += l->offset;
    if ((l->flags & READONLY)) {
        PyErr_SetString(PyExc_AttributeError, "readonly attribute");
        return -1;
    }
    if (v == NULL) {
        if (l->type == T_OBJECT_EX) {
            if (_Py_atomic_load_ptr_acquire(addr) == NULL) {
                PyErr_SetString(PyExc_AttributeError, l->name);
                return -1;
            }
        }
        else if (l->type != T_OBJECT) {
            PyErr_SetString(PyExc_TypeError,
                            "can't delete numeric/char attribute");
            return -1;
        }
    }
    switch (l->type) {
    case T_BOOL:
        if (!PyBool_Check(v)) {
            PyErr_SetString(PyExc_TypeError,
                            "attribute value type must be bool");
            return -1;
        }
        *(char *)addr = (v == Py_True) ? 1 : 0;
        break;
    case T_BYTE: {
        long long_val = PyLong_AsLong(v);
        if (long_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(char *)addr = (char)long_val;
        if (long_val > CHAR_MAX || long_val < CHAR_MIN) {
            WARN("Truncation of value to char");
        }
        break;
    }
    case T_UBYTE: {
        long long_val = PyLong_AsLong(v);
        if (long_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(unsigned char *)addr = (unsigned char)long_val;
        if (long_val > UCHAR_MAX || long_val < 0) {
            WARN("Truncation of value to unsigned char");
        }
        break;
    }
    case T_SHORT: {
        long long_val = PyLong_AsLong(v);
        if (long_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(short *)addr = (short)long_val;
        if (long_val > SHRT_MAX || long_val < SHRT_MIN) {
            WARN("Truncation of value to short");
        }
        break;
    }
    case T_USHORT: {
        long long_val = PyLong_AsLong(v);
        if (long_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(unsigned short *)addr = (unsigned short)long_val;
        if (long_val > USHRT_MAX || long_val < 0) {
            WARN("Truncation of value to unsigned short");
        }
        break;
    }
    case T_INT: {
        long long_val = PyLong_AsLong(v);
        if (long_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(int *)addr = (int)long_val;
        if (long_val > INT_MAX || long_val < INT_MIN) {
            WARN("Truncation of value to int");
        }
        break;
    }
    case T_UINT: {
        unsigned long ulong_val = PyLong_AsUnsignedLong(v);
        if (ulong_val == (unsigned long)-1 && PyErr_Occurred()) {
            return -1;
        }
        *(unsigned int *)addr = (unsigned int)ulong_val;
        if (ulong_val > UINT_MAX) {
            WARN("Truncation of value to unsigned int");
        }
        break;
    }
    case T_LONG:
        *(long *)addr = PyLong_AsLong(v);
        if (*(long *)addr == -1 && PyErr_Occurred()) {
            return -1;
        }
        break;
    case T_ULONG:
        *(unsigned long *)addr = PyLong_AsUnsignedLong(v);
        if (*(unsigned long *)addr == (unsigned long)-1 && PyErr_Occurred()) {
            return -1;
        }
        break;
    case T_PYSSIZET:
        *(Py_ssize_t *)addr = PyLong_AsSsize_t(v);
        if (*(Py_ssize_t *)addr == (Py_ssize_t)-1 && PyErr_Occurred()) {
            return -1;
        }
        break;
    case T_FLOAT: {
        double double_val = PyFloat_AsDouble(v);
        if (double_val == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(float *)addr = (float)double_val;
        break;
    }
    case T_DOUBLE:
        *(double *)addr = PyFloat_AsDouble(v);
        if (*(double *)addr == -1 && PyErr_Occurred()) {
            return -1;
        }
        break;
    case T_OBJECT:
    case T_OBJECT_EX: {
        if (v != NULL) {
            _PyObject_SetMaybeWeakref(v);
        }
        PyObject *oldv;
        Py_BEGIN_CRITICAL_SECTION(obj);
        oldv = _Py_atomic_exchange_ptr(addr, Py_XNewRef(v));
        Py_END_CRITICAL_SECTION();
        Py_XDECREF(oldv);
        break;
    }
    case T_CHAR: {
        Py_ssize_t len;
        const char *string = PyUnicode_AsUTF8AndSize(v, &len);
        if (string == NULL || len != 1) {
            PyErr_BadArgument();
            return -1;
        }
        *(char *)addr = string[0];
        break;
    }
    case T_STRING:
    case T_STRING_INPLACE:
        PyErr_SetString(PyExc_TypeError, "readonly attribute");
        return -1;
    case T_LONGLONG: {
        long long value = PyLong_AsLongLong(v);
        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        *(long long *)addr = value;
        break;
    }
    case T_ULONGLONG: {
        unsigned long long value;
        if (PyLong_Check(v)) {
            value = PyLong_AsUnsignedLongLong(v);
        }
        else {
            value = (unsigned long long)PyLong_AsLong(v);
        }
        if (value == (unsigned long long)-1 && PyErr_Occurred()) {
            return -1;
        }
        *(unsigned long long *)addr = value;
        break;
    }
    default:
        PyErr_Format(PyExc_SystemError, "bad memberdescr type for %s",
                     l->name);
        return -1;
    }
    return 0;
}

int
_PyDescr_InitTypes(void)
{
    PyTypeObject *types[] = {
        &PyMethodDescr_Type, &PyClassMethodDescr_Type, &PyMemberDescr_Type,
        &PyGetSetDescr_Type, &PyWrapperDescr_Type, &_PyMethodWrapper_Type,
        &PyDictProxy_Type, &PyProperty_Type, &PyClassMethod_Type,
        &PyStaticMethod_Type,
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(types); i++) {
        if (PyType_Ready(types[i]) < 0) {
            return -1;
        }
    }
    return 0;
}
