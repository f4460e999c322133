/* The built-in exception types of Python 3.11: BaseException and its
 * whole hierarchy, with the attributes and str/repr of each.
 *
 * Thread safety: an exception instance belongs to the thread that raised
 * it until it is handed on; concurrent mutation of one instance from
 * several threads (setting __cause__ while another thread reads it) is
 * not synchronised beyond the atomicity of a pointer store, as in
 * CPython.  The types are static and immortal; ExceptionGroup (a heap
 * type, as in CPython) and the preallocated MemoryError are created once
 * during Py_Initialize. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"
#include "pycore_exceptions.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_unicodeobject.h"
#include "structmember.h"

#include <errno.h>
#include <stddef.h>

static int
is_traceback(PyObject *tb)
{
    return PyTraceBack_Check(tb);
}

/* ================================================================ BaseException */

static PyObject *
BaseException_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyBaseExceptionObject *self =
        (PyBaseExceptionObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->dict = NULL;
    self->notes = NULL;
    self->traceback = self->cause = self->context = NULL;
    self->suppress_context = 0;
    if (args != NULL) {
        self->args = Py_NewRef(args);
        return (PyObject *)self;
    }
    self->args = PyTuple_New(0);
    if (self->args == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
BaseException_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (!_PyArg_NoKeywords(Py_TYPE(self)->tp_name, kwds)) {
        return -1;
    }
    Py_XSETREF(self->args, Py_NewRef(args));
    return 0;
}

static int
BaseException_clear(PyObject *op)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    Py_CLEAR(self->dict);
    Py_CLEAR(self->args);
    Py_CLEAR(self->notes);
    Py_CLEAR(self->traceback);
    Py_CLEAR(self->cause);
    Py_CLEAR(self->context);
    return 0;
}

static void
BaseException_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    BaseException_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
BaseException_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    Py_VISIT(self->dict);
    Py_VISIT(self->args);
    Py_VISIT(self->notes);
    Py_VISIT(self->traceback);
    Py_VISIT(self->cause);
    Py_VISIT(self->context);
    return 0;
}

static PyObject *
BaseException_str(PyObject *op)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    switch (PyTuple_GET_SIZE(self->args)) {
    case 0:
        return PyUnicode_FromString("");
    case 1:
        return PyObject_Str(PyTuple_GET_ITEM(self->args, 0));
    default:
        return PyObject_Str(self->args);
    }
}

static PyObject *
BaseException_repr(PyObject *op)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    const char *name = _PyType_Name(Py_TYPE(self));
    if (PyTuple_GET_SIZE(self->args) == 1) {
        return PyUnicode_FromFormat("%s(%R)", name,
                                    PyTuple_GET_ITEM(self->args, 0));
    }
    return PyUnicode_FromFormat("%s%R", name, self->args);
}

static PyObject *
BaseException_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (self->args && self->dict && PyDict_GET_SIZE(self->dict) > 0) {
        return PyTuple_Pack(3, Py_TYPE(self), self->args, self->dict);
    }
    return PyTuple_Pack(2, Py_TYPE(self), self->args);
}

static PyObject *
BaseException_setstate(PyObject *self, PyObject *state)
{
    if (state != Py_None) {
        if (!PyDict_Check(state)) {
            PyErr_SetString(PyExc_TypeError, "state is not a dictionary");
            return NULL;
        }
        Py_ssize_t i = 0;
        PyObject *d_key, *d_value;
        while (PyDict_Next(state, &i, &d_key, &d_value)) {
            Py_INCREF(d_key);
            Py_INCREF(d_value);
            int res = PyObject_SetAttr(self, d_key, d_value);
            Py_DECREF(d_value);
            Py_DECREF(d_key);
            if (res < 0) {
                return NULL;
            }
        }
    }
    Py_RETURN_NONE;
}

static PyObject *
BaseException_with_traceback(PyObject *self, PyObject *tb)
{
    if (PyException_SetTraceback(self, tb)) {
        return NULL;
    }
    return Py_NewRef(self);
}

static PyObject *
BaseException_add_note(PyObject *self, PyObject *note)
{
    if (!PyUnicode_Check(note)) {
        PyErr_Format(PyExc_TypeError, "note must be a str, not '%s'",
                     Py_TYPE(note)->tp_name);
        return NULL;
    }
    PyObject *notes;
    if (_PyObject_LookupAttr(self, _Py_ID(__notes__), &notes) < 0) {
        return NULL;
    }
    if (notes == NULL) {
        notes = PyList_New(0);
        if (notes == NULL) {
            return NULL;
        }
        if (PyObject_SetAttr(self, _Py_ID(__notes__), notes) < 0) {
            Py_DECREF(notes);
            return NULL;
        }
    }
    else if (!PyList_Check(notes)) {
        Py_DECREF(notes);
        PyErr_SetString(PyExc_TypeError, "Cannot add note: __notes__ is not "
                        "a list");
        return NULL;
    }
    if (PyList_Append(notes, note) < 0) {
        Py_DECREF(notes);
        return NULL;
    }
    Py_DECREF(notes);
    Py_RETURN_NONE;
}

static PyMethodDef BaseException_methods[] = {
    {"__reduce__", BaseException_reduce, METH_NOARGS, NULL},
    {"__setstate__", BaseException_setstate, METH_O, NULL},
    {"with_traceback", BaseException_with_traceback, METH_O,
     "Exception.with_traceback(tb) --\n"
     "    set self.__traceback__ to tb and return self."},
    {"add_note", BaseException_add_note, METH_O,
     "Exception.add_note(note) --\n"
     "    add a note to the exception"},
    {NULL, NULL, 0, NULL}
};

static PyObject *
BaseException_get_args(PyObject *op, void *context)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (self->args == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(self->args);
}

static int
BaseException_set_args(PyObject *op, PyObject *val, void *context)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (val == NULL) {
        PyErr_SetString(PyExc_TypeError, "args may not be deleted");
        return -1;
    }
    PyObject *seq = PySequence_Tuple(val);
    if (seq == NULL) {
        return -1;
    }
    Py_XSETREF(self->args, seq);
    return 0;
}

static PyObject *
BaseException_get_tb(PyObject *op, void *context)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (self->traceback == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(self->traceback);
}

static int
BaseException_set_tb(PyObject *op, PyObject *tb, void *context)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (tb == NULL) {
        PyErr_SetString(PyExc_TypeError, "__traceback__ may not be deleted");
        return -1;
    }
    if (is_traceback(tb)) {
        Py_XSETREF(self->traceback, Py_NewRef(tb));
    }
    else if (tb == Py_None) {
        Py_CLEAR(self->traceback);
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "__traceback__ must be a traceback or None");
        return -1;
    }
    return 0;
}

static PyObject *
BaseException_get_context(PyObject *self, void *context)
{
    PyObject *res = PyException_GetContext(self);
    if (res) {
        return res;
    }
    Py_RETURN_NONE;
}

static int
BaseException_set_context(PyObject *self, PyObject *arg, void *context)
{
    if (arg == NULL) {
        PyErr_SetString(PyExc_TypeError, "__context__ may not be deleted");
        return -1;
    }
    if (arg == Py_None) {
        arg = NULL;
    }
    else if (!PyExceptionInstance_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "exception context must be None "
                        "or derive from BaseException");
        return -1;
    }
    else {
        Py_INCREF(arg);
    }
    PyException_SetContext(self, arg);
    return 0;
}

static PyObject *
BaseException_get_cause(PyObject *self, void *context)
{
    PyObject *res = PyException_GetCause(self);
    if (res) {
        return res;
    }
    Py_RETURN_NONE;
}

static int
BaseException_set_cause(PyObject *self, PyObject *arg, void *context)
{
    if (arg == NULL) {
        PyErr_SetString(PyExc_TypeError, "__cause__ may not be deleted");
        return -1;
    }
    if (arg == Py_None) {
        arg = NULL;
    }
    else if (!PyExceptionInstance_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "exception cause must be None "
                        "or derive from BaseException");
        return -1;
    }
    else {
        Py_INCREF(arg);
    }
    PyException_SetCause(self, arg);
    return 0;
}

static PyGetSetDef BaseException_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {"args", BaseException_get_args, BaseException_set_args, NULL, NULL},
    {"__traceback__", BaseException_get_tb, BaseException_set_tb, NULL,
     NULL},
    {"__context__", BaseException_get_context, BaseException_set_context,
     "exception context", NULL},
    {"__cause__", BaseException_get_cause, BaseException_set_cause,
     "exception cause", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMemberDef BaseException_members[] = {
    {"__suppress_context__", T_BOOL,
     offsetof(PyBaseExceptionObject, suppress_context), 0, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* ---- the C API on instances ---- */

PyObject *
PyException_GetTraceback(PyObject *self)
{
    return Py_XNewRef(((PyBaseExceptionObject *)self)->traceback);
}

int
PyException_SetTraceback(PyObject *self, PyObject *tb)
{
    return BaseException_set_tb(self, tb, NULL);
}

PyObject *
PyException_GetCause(PyObject *self)
{
    return Py_XNewRef(((PyBaseExceptionObject *)self)->cause);
}

void
PyException_SetCause(PyObject *self, PyObject *cause)
{
    ((PyBaseExceptionObject *)self)->suppress_context = 1;
    Py_XSETREF(((PyBaseExceptionObject *)self)->cause, cause);
}

PyObject *
PyException_GetContext(PyObject *self)
{
    return Py_XNewRef(((PyBaseExceptionObject *)self)->context);
}

void
PyException_SetContext(PyObject *self, PyObject *context)
{
    Py_XSETREF(((PyBaseExceptionObject *)self)->context, context);
}

PyObject *
PyException_GetArgs(PyObject *self)
{
    return Py_NewRef(((PyBaseExceptionObject *)self)->args);
}

void
PyException_SetArgs(PyObject *self, PyObject *args)
{
    Py_XSETREF(((PyBaseExceptionObject *)self)->args, Py_NewRef(args));
}

const char *
PyExceptionClass_Name(PyObject *ob)
{
    return ((PyTypeObject *)ob)->tp_name;
}

/* ================================================================ type macros */

#define EXC_FLAGS \
    (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | \
     Py_TPFLAGS_BASE_EXC_SUBCLASS)

static PyTypeObject _PyExc_BaseException = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "BaseException",
    .tp_basicsize = sizeof(PyBaseExceptionObject),
    .tp_dealloc = BaseException_dealloc,
    .tp_repr = BaseException_repr,
    .tp_str = BaseException_str,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Common base class for all exceptions",
    .tp_traverse = BaseException_traverse,
    .tp_clear = BaseException_clear,
    .tp_methods = BaseException_methods,
    .tp_members = BaseException_members,
    .tp_getset = BaseException_getset,
    .tp_dictoffset = offsetof(PyBaseExceptionObject, dict),
    .tp_init = BaseException_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = BaseException_new,
    .tp_free = PyObject_GC_Del,
};
PyObject *PyExc_BaseException = (PyObject *)&_PyExc_BaseException;

/* A subclass with BaseException's layout and behaviour. */
#define SimpleExtendsException(EXCBASE, EXCNAME, EXCDOC)                 \
    static PyTypeObject _PyExc_##EXCNAME = {                             \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                           \
        .tp_name = #EXCNAME,                                             \
        .tp_basicsize = sizeof(PyBaseExceptionObject),                   \
        .tp_dealloc = BaseException_dealloc,                             \
        .tp_flags = EXC_FLAGS,                                           \
        .tp_doc = EXCDOC,                                                \
        .tp_traverse = BaseException_traverse,                           \
        .tp_clear = BaseException_clear,                                 \
        .tp_base = &_PyExc_##EXCBASE,                                    \
        .tp_dictoffset = offsetof(PyBaseExceptionObject, dict),          \
        .tp_init = BaseException_init,                                   \
        .tp_new = BaseException_new,                                     \
    };                                                                   \
    PyObject *PyExc_##EXCNAME = (PyObject *)&_PyExc_##EXCNAME;

/* A subclass with its own object struct and slots. */
#define ComplexExtendsException(EXCBASE, EXCNAME, EXCSTORE, EXCNEW,      \
                                EXCMETHODS, EXCMEMBERS, EXCGETSET,       \
                                EXCSTR, EXCDOC)                          \
    static PyTypeObject _PyExc_##EXCNAME = {                             \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                           \
        .tp_name = #EXCNAME,                                             \
        .tp_basicsize = sizeof(Py##EXCSTORE##Object),                    \
        .tp_dealloc = EXCSTORE##_dealloc,                                \
        .tp_str = EXCSTR,                                                \
        .tp_flags = EXC_FLAGS,                                           \
        .tp_doc = EXCDOC,                                                \
        .tp_traverse = EXCSTORE##_traverse,                              \
        .tp_clear = EXCSTORE##_clear,                                    \
        .tp_methods = EXCMETHODS,                                        \
        .tp_members = EXCMEMBERS,                                        \
        .tp_getset = EXCGETSET,                                          \
        .tp_base = &_PyExc_##EXCBASE,                                    \
        .tp_dictoffset = offsetof(Py##EXCSTORE##Object, dict),           \
        .tp_init = EXCSTORE##_init,                                      \
        .tp_new = EXCNEW,                                                \
    };                                                                   \
    PyObject *PyExc_##EXCNAME = (PyObject *)&_PyExc_##EXCNAME;

SimpleExtendsException(BaseException, Exception,
                       "Common base class for all non-exit exceptions.")
SimpleExtendsException(Exception, TypeError,
                       "Inappropriate argument type.")

/* ---- StopIteration ---- */

static int
StopIteration_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyStopIterationObject *self = (PyStopIterationObject *)op;
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    Py_CLEAR(self->value);
    self->value = Py_NewRef(PyTuple_GET_SIZE(args) > 0
                            ? PyTuple_GET_ITEM(args, 0) : Py_None);
    return 0;
}

static int
StopIteration_clear(PyObject *op)
{
    Py_CLEAR(((PyStopIterationObject *)op)->value);
    return BaseException_clear(op);
}

static void
StopIteration_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    StopIteration_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
StopIteration_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((PyStopIterationObject *)op)->value);
    return BaseException_traverse(op, visit, arg);
}

static PyMemberDef StopIteration_members[] = {
    {"value", T_OBJECT, offsetof(PyStopIterationObject, value), 0,
     "generator return value"},
    {NULL, 0, 0, 0, NULL}
};

SimpleExtendsException(Exception, StopAsyncIteration,
                       "Signal the end from iterator.__anext__().")
ComplexExtendsException(Exception, StopIteration, StopIteration,
                        BaseException_new, 0, StopIteration_members, 0, 0,
                        "Signal the end from iterator.__next__().")

SimpleExtendsException(BaseException, GeneratorExit,
                       "Request that a generator exit.")

/* ---- SystemExit ---- */

static int
SystemExit_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PySystemExitObject *self = (PySystemExitObject *)op;
    Py_ssize_t size = PyTuple_GET_SIZE(args);
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    if (size == 0) {
        return 0;
    }
    if (size == 1) {
        Py_XSETREF(self->code, Py_NewRef(PyTuple_GET_ITEM(args, 0)));
    }
    else {
        Py_XSETREF(self->code, Py_NewRef(args));
    }
    return 0;
}

static int
SystemExit_clear(PyObject *op)
{
    Py_CLEAR(((PySystemExitObject *)op)->code);
    return BaseException_clear(op);
}

static void
SystemExit_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    SystemExit_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
SystemExit_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((PySystemExitObject *)op)->code);
    return BaseException_traverse(op, visit, arg);
}

static PyMemberDef SystemExit_members[] = {
    {"code", T_OBJECT, offsetof(PySystemExitObject, code), 0,
     "exception code"},
    {NULL, 0, 0, 0, NULL}
};

ComplexExtendsException(BaseException, SystemExit, SystemExit,
                        BaseException_new, 0, SystemExit_members, 0, 0,
                        "Request to exit from the interpreter.")

/* ================================================================ ExceptionGroup */

static PyObject *
BaseExceptionGroup_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *message = NULL, *exceptions = NULL;
    if (!PyArg_ParseTuple(args, "UO:BaseExceptionGroup.__new__", &message,
                          &exceptions)) {
        return NULL;
    }
    if (!PySequence_Check(exceptions)) {
        PyErr_SetString(PyExc_TypeError,
                        "second argument (exceptions) must be a sequence");
        return NULL;
    }
    exceptions = PySequence_Tuple(exceptions);
    if (!exceptions) {
        return NULL;
    }
    Py_ssize_t numexcs = PyTuple_GET_SIZE(exceptions);
    if (numexcs == 0) {
        PyErr_SetString(PyExc_ValueError,
                        "second argument (exceptions) must be a non-empty "
                        "sequence");
        goto error;
    }
    int nested_base_exceptions = 0;
    for (Py_ssize_t i = 0; i < numexcs; i++) {
        PyObject *exc = PyTuple_GET_ITEM(exceptions, i);
        if (!exc || !PyExceptionInstance_Check(exc)) {
            PyErr_Format(PyExc_ValueError,
                         "Item %zd of second argument (exceptions) is not "
                         "an exception", i);
            goto error;
        }
        int is_nonbase = PyObject_IsInstance(exc, PyExc_Exception);
        if (is_nonbase < 0) {
            goto error;
        }
        if (!is_nonbase) {
            nested_base_exceptions = 1;
        }
    }
    PyTypeObject *cls = type;
    if (cls == (PyTypeObject *)PyExc_ExceptionGroup) {
        if (nested_base_exceptions) {
            PyErr_SetString(PyExc_TypeError,
                            "Cannot nest BaseExceptions in an "
                            "ExceptionGroup");
            goto error;
        }
    }
    else if (cls == (PyTypeObject *)PyExc_BaseExceptionGroup) {
        if (!nested_base_exceptions) {
            /* All nested exceptions are Exceptions: an ExceptionGroup. */
            cls = (PyTypeObject *)PyExc_ExceptionGroup;
        }
    }
    else {
        if (nested_base_exceptions) {
            int nonbase = PyObject_IsSubclass((PyObject *)cls,
                                              PyExc_Exception);
            if (nonbase == -1) {
                goto error;
            }
            if (nonbase == 1) {
                PyErr_Format(PyExc_TypeError,
                             "Cannot nest BaseExceptions in '%.200s'",
                             cls->tp_name);
                goto error;
            }
        }
    }
    PyBaseExceptionGroupObject *self =
        (PyBaseExceptionGroupObject *)BaseException_new(cls, args, kwds);
    if (!self) {
        goto error;
    }
    self->msg = Py_NewRef(message);
    self->excs = exceptions;
    return (PyObject *)self;
error:
    Py_DECREF(exceptions);
    return NULL;
}

static int
BaseExceptionGroup_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (!_PyArg_NoKeywords(Py_TYPE(self)->tp_name, kwds)) {
        return -1;
    }
    if (BaseException_init(self, args, kwds) == -1) {
        return -1;
    }
    return 0;
}

static int
BaseExceptionGroup_clear(PyObject *op)
{
    PyBaseExceptionGroupObject *self = (PyBaseExceptionGroupObject *)op;
    Py_CLEAR(self->msg);
    Py_CLEAR(self->excs);
    return BaseException_clear(op);
}

static void
BaseExceptionGroup_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    BaseExceptionGroup_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
BaseExceptionGroup_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyBaseExceptionGroupObject *self = (PyBaseExceptionGroupObject *)op;
    Py_VISIT(self->msg);
    Py_VISIT(self->excs);
    return BaseException_traverse(op, visit, arg);
}

static PyObject *
BaseExceptionGroup_str(PyObject *op)
{
    PyBaseExceptionGroupObject *self = (PyBaseExceptionGroupObject *)op;
    Py_ssize_t num_excs = PyTuple_Size(self->excs);
    return PyUnicode_FromFormat("%S (%zd sub-exception%s)",
                                self->msg, num_excs,
                                num_excs > 1 ? "s" : "");
}

static PyObject *
BaseExceptionGroup_derive(PyObject *op, PyObject *excs)
{
    PyBaseExceptionGroupObject *self = (PyBaseExceptionGroupObject *)op;
    PyObject *args[2] = {self->msg, excs};
    return PyObject_Vectorcall(PyExc_BaseExceptionGroup, args, 2, NULL);
}

/* A derived group with `excs`, carrying over traceback, cause, context
   and notes of the original. */
static int
exceptiongroup_subset(PyBaseExceptionGroupObject *orig, PyObject *excs,
                      PyObject **result)
{
    *result = NULL;
    Py_ssize_t num_excs = PySequence_Size(excs);
    if (num_excs < 0) {
        return -1;
    }
    if (num_excs == 0) {
        return 0;
    }
    PyObject *eg = PyObject_CallMethod((PyObject *)orig, "derive", "(O)",
                                       excs);
    if (!eg) {
        return -1;
    }
    if (!PyObject_TypeCheck(eg, (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        PyErr_SetString(PyExc_TypeError,
                        "derive must return an instance of "
                        "BaseExceptionGroup");
        goto error;
    }
    PyObject *tb = PyException_GetTraceback((PyObject *)orig);
    if (tb) {
        int res = PyException_SetTraceback(eg, tb);
        Py_DECREF(tb);
        if (res < 0) {
            goto error;
        }
    }
    PyException_SetContext(eg, PyException_GetContext((PyObject *)orig));
    PyException_SetCause(eg, PyException_GetCause((PyObject *)orig));
    ((PyBaseExceptionObject *)eg)->suppress_context =
        ((PyBaseExceptionObject *)orig)->suppress_context;
    PyObject *notes;
    if (_PyObject_LookupAttr((PyObject *)orig, _Py_ID(__notes__),
                             &notes) < 0) {
        goto error;
    }
    if (notes) {
        if (PySequence_Check(notes)) {
            PyObject *notes_copy = PySequence_List(notes);
            Py_DECREF(notes);
            if (notes_copy == NULL) {
                goto error;
            }
            int res = PyObject_SetAttr(eg, _Py_ID(__notes__), notes_copy);
            Py_DECREF(notes_copy);
            if (res < 0) {
                goto error;
            }
        }
        else {
            Py_DECREF(notes);
        }
    }
    *result = eg;
    return 0;
error:
    Py_DECREF(eg);
    return -1;
}

typedef enum {
    EXCEPTION_GROUP_MATCH_BY_TYPE = 0,
    EXCEPTION_GROUP_MATCH_PREDICATE = 1,
    EXCEPTION_GROUP_MATCH_INSTANCE_IDS = 2
} _exceptiongroup_split_matcher_type;

static int
get_matcher_type(PyObject *value, _exceptiongroup_split_matcher_type *type)
{
    if (PyCallable_Check(value) && !PyType_Check(value)) {
        *type = EXCEPTION_GROUP_MATCH_PREDICATE;
        return 0;
    }
    if (PyExceptionClass_Check(value)) {
        *type = EXCEPTION_GROUP_MATCH_BY_TYPE;
        return 0;
    }
    if (PyTuple_CheckExact(value)) {
        Py_ssize_t n = PyTuple_GET_SIZE(value);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (!PyExceptionClass_Check(PyTuple_GET_ITEM(value, i))) {
                goto error;
            }
        }
        *type = EXCEPTION_GROUP_MATCH_BY_TYPE;
        return 0;
    }
error:
    PyErr_SetString(PyExc_TypeError,
                    "expected a function, exception type or tuple of "
                    "exception types");
    return -1;
}

static int
exceptiongroup_split_check_match(PyObject *exc,
                                 _exceptiongroup_split_matcher_type type,
                                 PyObject *matcher_value)
{
    switch (type) {
    case EXCEPTION_GROUP_MATCH_BY_TYPE:
        return PyErr_GivenExceptionMatches(exc, matcher_value);
    case EXCEPTION_GROUP_MATCH_PREDICATE: {
        PyObject *exc_matches = PyObject_CallOneArg(matcher_value, exc);
        if (exc_matches == NULL) {
            return -1;
        }
        int is_true = PyObject_IsTrue(exc_matches);
        Py_DECREF(exc_matches);
        return is_true;
    }
    case EXCEPTION_GROUP_MATCH_INSTANCE_IDS:
        return 0;
    }
    return 0;
}

typedef struct {
    PyObject *match;
    PyObject *rest;
} _exceptiongroup_split_result;

static int
exceptiongroup_split_recursive(PyObject *exc,
                               _exceptiongroup_split_matcher_type type,
                               PyObject *matcher_value, int construct_rest,
                               _exceptiongroup_split_result *result)
{
    result->match = NULL;
    result->rest = NULL;
    int is_match = exceptiongroup_split_check_match(exc, type,
                                                    matcher_value);
    if (is_match < 0) {
        return -1;
    }
    if (is_match) {
        result->match = Py_NewRef(exc);
        return 0;
    }
    if (!PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        if (construct_rest) {
            result->rest = Py_NewRef(exc);
        }
        return 0;
    }
    PyBaseExceptionGroupObject *eg = (PyBaseExceptionGroupObject *)exc;
    Py_ssize_t num_excs = PySequence_Size(eg->excs);
    if (num_excs < 0) {
        return -1;
    }
    int retval = -1;
    PyObject *match_list = PyList_New(0);
    if (!match_list) {
        return -1;
    }
    PyObject *rest_list = NULL;
    if (construct_rest) {
        rest_list = PyList_New(0);
        if (!rest_list) {
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < num_excs; i++) {
        PyObject *e = PySequence_GetItem(eg->excs, i);
        if (!e) {
            goto done;
        }
        _exceptiongroup_split_result rec_result;
        if (Py_EnterRecursiveCall(" in exceptiongroup_split_recursive")) {
            Py_DECREF(e);
            goto done;
        }
        if (exceptiongroup_split_recursive(e, type, matcher_value,
                                           construct_rest, &rec_result) < 0) {
            Py_LeaveRecursiveCall();
            Py_DECREF(e);
            goto done;
        }
        Py_LeaveRecursiveCall();
        Py_DECREF(e);
        if (rec_result.match) {
            int r = PyList_Append(match_list, rec_result.match);
            Py_DECREF(rec_result.match);
            if (r < 0) {
                Py_XDECREF(rec_result.rest);
                goto done;
            }
        }
        if (rec_result.rest) {
            int r = PyList_Append(rest_list, rec_result.rest);
            Py_DECREF(rec_result.rest);
            if (r < 0) {
                goto done;
            }
        }
    }
    if (exceptiongroup_subset(eg, match_list, &result->match) < 0) {
        goto done;
    }
    if (construct_rest &&
        exceptiongroup_subset(eg, rest_list, &result->rest) < 0) {
        Py_CLEAR(result->match);
        goto done;
    }
    retval = 0;
done:
    Py_DECREF(match_list);
    Py_XDECREF(rest_list);
    if (retval < 0) {
        Py_CLEAR(result->match);
        Py_CLEAR(result->rest);
    }
    return retval;
}

static PyObject *
BaseExceptionGroup_split(PyObject *self, PyObject *matcher_value)
{
    _exceptiongroup_split_matcher_type matcher_type;
    if (get_matcher_type(matcher_value, &matcher_type) < 0) {
        return NULL;
    }
    _exceptiongroup_split_result split_result;
    if (exceptiongroup_split_recursive(self, matcher_type, matcher_value, 1,
                                       &split_result) < 0) {
        return NULL;
    }
    PyObject *result = PyTuple_Pack(
        2, split_result.match ? split_result.match : Py_None,
        split_result.rest ? split_result.rest : Py_None);
    Py_XDECREF(split_result.match);
    Py_XDECREF(split_result.rest);
    return result;
}

static PyObject *
BaseExceptionGroup_subgroup(PyObject *self, PyObject *matcher_value)
{
    _exceptiongroup_split_matcher_type matcher_type;
    if (get_matcher_type(matcher_value, &matcher_type) < 0) {
        return NULL;
    }
    _exceptiongroup_split_result split_result;
    if (exceptiongroup_split_recursive(self, matcher_type, matcher_value, 0,
                                       &split_result) < 0) {
        return NULL;
    }
    PyObject *result = Py_NewRef(split_result.match ? split_result.match
                                                    : Py_None);
    Py_XDECREF(split_result.match);
    return result;
}

static PyMemberDef BaseExceptionGroup_members[] = {
    {"message", T_OBJECT, offsetof(PyBaseExceptionGroupObject, msg),
     READONLY, "exception message"},
    {"exceptions", T_OBJECT, offsetof(PyBaseExceptionGroupObject, excs),
     READONLY, "nested exceptions"},
    {NULL, 0, 0, 0, NULL}
};

static PyMethodDef BaseExceptionGroup_methods[] = {
    {"__class_getitem__", Py_GenericAlias,
     METH_O | METH_CLASS, "See PEP 585"},
    {"derive", BaseExceptionGroup_derive, METH_O, NULL},
    {"split", BaseExceptionGroup_split, METH_O, NULL},
    {"subgroup", BaseExceptionGroup_subgroup, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

ComplexExtendsException(BaseException, BaseExceptionGroup,
                        BaseExceptionGroup, BaseExceptionGroup_new,
                        BaseExceptionGroup_methods,
                        BaseExceptionGroup_members, 0,
                        BaseExceptionGroup_str,
                        "A combination of multiple unrelated exceptions.")

/* Made in _PyExc_InitTypes: type('ExceptionGroup', (BaseExceptionGroup,
   Exception), {}). */
PyObject *PyExc_ExceptionGroup = NULL;

SimpleExtendsException(BaseException, KeyboardInterrupt,
                       "Program interrupted by user.")

/* ================================================================ ImportError */

/* Keyword-only arguments of ImportError/NameError/AttributeError. */
static int
parse_kwonly(PyObject *self, PyObject *kwds, const char *const *names,
             PyObject **values, const char *excname)
{
    if (kwds == NULL) {
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(kwds, &pos, &key, &value)) {
        int found = 0;
        for (int i = 0; names[i] != NULL; i++) {
            if (PyUnicode_Check(key) &&
                _PyUnicode_EqualToASCIIString(key, names[i])) {
                values[i] = value;
                found = 1;
                break;
            }
        }
        if (!found) {
            PyErr_Format(PyExc_TypeError,
                         "%R is an invalid keyword argument for %s()",
                         key, excname);
            return -1;
        }
    }
    return 0;
}

static int
ImportError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyImportErrorObject *self = (PyImportErrorObject *)op;
    static const char *const kwlist[] = {"name", "path", NULL};
    PyObject *values[2] = {NULL, NULL};
    if (BaseException_init(op, args, NULL) == -1) {
        return -1;
    }
    if (parse_kwonly(op, kwds, kwlist, values,
                     _PyType_Name(Py_TYPE(op))) < 0) {
        return -1;
    }
    Py_XSETREF(self->name, Py_XNewRef(values[0]));
    Py_XSETREF(self->path, Py_XNewRef(values[1]));
    PyObject *msg = NULL;
    if (PyTuple_GET_SIZE(args) == 1) {
        msg = Py_NewRef(PyTuple_GET_ITEM(args, 0));
    }
    Py_XSETREF(self->msg, msg);
    return 0;
}

static int
ImportError_clear(PyObject *op)
{
    PyImportErrorObject *self = (PyImportErrorObject *)op;
    Py_CLEAR(self->msg);
    Py_CLEAR(self->name);
    Py_CLEAR(self->path);
    return BaseException_clear(op);
}

static void
ImportError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    ImportError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
ImportError_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyImportErrorObject *self = (PyImportErrorObject *)op;
    Py_VISIT(self->msg);
    Py_VISIT(self->name);
    Py_VISIT(self->path);
    return BaseException_traverse(op, visit, arg);
}

static PyObject *
ImportError_str(PyObject *op)
{
    PyImportErrorObject *self = (PyImportErrorObject *)op;
    if (self->msg && PyUnicode_CheckExact(self->msg)) {
        return Py_NewRef(self->msg);
    }
    return BaseException_str(op);
}

static PyObject *
ImportError_getstate(PyImportErrorObject *self)
{
    PyObject *dict = self->dict;
    if (self->name || self->path) {
        dict = dict ? PyDict_Copy(dict) : PyDict_New();
        if (dict == NULL) {
            return NULL;
        }
        if (self->name &&
            PyDict_SetItem(dict, _Py_ID(name), self->name) < 0) {
            Py_DECREF(dict);
            return NULL;
        }
        if (self->path &&
            PyDict_SetItem(dict, _Py_ID(path), self->path) < 0) {
            Py_DECREF(dict);
            return NULL;
        }
        return dict;
    }
    if (dict) {
        return Py_NewRef(dict);
    }
    Py_RETURN_NONE;
}

static PyObject *
ImportError_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyImportErrorObject *self = (PyImportErrorObject *)op;
    PyObject *state = ImportError_getstate(self);
    if (state == NULL) {
        return NULL;
    }
    PyObject *args = self->args;
    PyObject *res;
    if (state == Py_None) {
        res = PyTuple_Pack(2, Py_TYPE(self), args);
    }
    else {
        res = PyTuple_Pack(3, Py_TYPE(self), args, state);
    }
    Py_DECREF(state);
    return res;
}

static PyMemberDef ImportError_members[] = {
    {"msg", T_OBJECT, offsetof(PyImportErrorObject, msg), 0,
     "exception message"},
    {"name", T_OBJECT, offsetof(PyImportErrorObject, name), 0,
     "module name"},
    {"path", T_OBJECT, offsetof(PyImportErrorObject, path), 0,
     "module path"},
    {NULL, 0, 0, 0, NULL}
};

static PyMethodDef ImportError_methods[] = {
    {"__reduce__", ImportError_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

ComplexExtendsException(Exception, ImportError, ImportError,
                        BaseException_new, ImportError_methods,
                        ImportError_members, 0, ImportError_str,
                        "Import can't find module, or can't find name in "
                        "module.")

static PyTypeObject _PyExc_ModuleNotFoundError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "ModuleNotFoundError",
    .tp_basicsize = sizeof(PyImportErrorObject),
    .tp_dealloc = ImportError_dealloc,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Module not found.",
    .tp_traverse = ImportError_traverse,
    .tp_clear = ImportError_clear,
    .tp_base = &_PyExc_ImportError,
    .tp_dictoffset = offsetof(PyImportErrorObject, dict),
    .tp_init = ImportError_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_ModuleNotFoundError = (PyObject *)&_PyExc_ModuleNotFoundError;

/* ================================================================ OSError */

static PyTypeObject *errnomap_lookup(int errcode);

/* Parses OSError's (errno, strerror[, filename[, winerror[, filename2]]])
   when 2..5 positional arguments are given. */
static int
oserror_parse_args(PyObject **p_args, PyObject **myerrno,
                   PyObject **strerror, PyObject **filename,
                   PyObject **filename2)
{
    PyObject *args = *p_args;
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs >= 2 && nargs <= 5) {
        PyObject *winerror = NULL;
        if (!PyArg_UnpackTuple(args, "OSError", 2, 5, myerrno, strerror,
                               filename, &winerror, filename2)) {
            return -1;
        }
    }
    return 0;
}

static int
oserror_init(PyOSErrorObject *self, PyObject **p_args, PyObject *myerrno,
             PyObject *strerror, PyObject *filename, PyObject *filename2)
{
    PyObject *args = *p_args;
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (filename && filename != Py_None) {
        if (Py_IS_TYPE(self, (PyTypeObject *)PyExc_BlockingIOError) &&
            PyNumber_Check(filename)) {
            /* BlockingIOError's 3rd argument can be the number of
               characters written. */
            self->written = PyNumber_AsSsize_t(filename, PyExc_ValueError);
            if (self->written == -1 && PyErr_Occurred()) {
                return -1;
            }
        }
        else {
            Py_XSETREF(self->filename, Py_NewRef(filename));
            if (filename2 && filename2 != Py_None) {
                Py_XSETREF(self->filename2, Py_NewRef(filename2));
            }
            if (nargs >= 2 && nargs <= 5) {
                /* filename, filename2 and winerror are removed from the
                   args tuple (for compatibility purposes). */
                PyObject *subslice = PyTuple_GetSlice(args, 0, 2);
                if (!subslice) {
                    return -1;
                }
                Py_DECREF(args);
                args = *p_args = subslice;
            }
        }
    }
    Py_XSETREF(self->myerrno, Py_XNewRef(myerrno));
    Py_XSETREF(self->strerror, Py_XNewRef(strerror));
    Py_XSETREF(self->args, args);
    *p_args = args = NULL;
    return 0;
}

static PyObject *OSError_new(PyTypeObject *type, PyObject *args,
                             PyObject *kwds);
static int OSError_init(PyObject *self, PyObject *args, PyObject *kwds);

/* Python subclasses may override __init__; then __new__ leaves the
   arguments to it. */
static int
oserror_use_init(PyTypeObject *type)
{
    if (type->tp_init != OSError_init && type->tp_new == OSError_new) {
        return 1;
    }
    return 0;
}

static PyObject *
OSError_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyOSErrorObject *self = NULL;
    PyObject *myerrno = NULL, *strerror = NULL;
    PyObject *filename = NULL, *filename2 = NULL;
    Py_INCREF(args);
    if (!oserror_use_init(type)) {
        if (!_PyArg_NoKeywords(type->tp_name, kwds)) {
            goto error;
        }
        if (oserror_parse_args(&args, &myerrno, &strerror, &filename,
                               &filename2) < 0) {
            goto error;
        }
        if (myerrno && PyLong_Check(myerrno) &&
            type == (PyTypeObject *)PyExc_OSError) {
            int errcode = _PyLong_AsInt(myerrno);
            if (errcode == -1 && PyErr_Occurred()) {
                goto error;
            }
            PyTypeObject *newtype = errnomap_lookup(errcode);
            if (newtype != NULL) {
                type = newtype;
            }
        }
    }
    self = (PyOSErrorObject *)type->tp_alloc(type, 0);
    if (!self) {
        goto error;
    }
    self->dict = NULL;
    self->traceback = self->cause = self->context = NULL;
    self->written = -1;
    if (!oserror_use_init(type)) {
        if (oserror_init(self, &args, myerrno, strerror, filename,
                         filename2) < 0) {
            goto error;
        }
    }
    else {
        self->args = PyTuple_New(0);
        if (self->args == NULL) {
            goto error;
        }
    }
    Py_XDECREF(args);
    return (PyObject *)self;
error:
    Py_XDECREF(args);
    Py_XDECREF(self);
    return NULL;
}

static int
OSError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    PyObject *myerrno = NULL, *strerror = NULL;
    PyObject *filename = NULL, *filename2 = NULL;
    if (!oserror_use_init(Py_TYPE(self))) {
        /* Everything already done in OSError_new. */
        return 0;
    }
    if (!_PyArg_NoKeywords(Py_TYPE(self)->tp_name, kwds)) {
        return -1;
    }
    Py_INCREF(args);
    if (oserror_parse_args(&args, &myerrno, &strerror, &filename,
                           &filename2) < 0) {
        goto error;
    }
    if (oserror_init(self, &args, myerrno, strerror, filename,
                     filename2) < 0) {
        goto error;
    }
    return 0;
error:
    Py_DECREF(args);
    return -1;
}

static int
OSError_clear(PyObject *op)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    Py_CLEAR(self->myerrno);
    Py_CLEAR(self->strerror);
    Py_CLEAR(self->filename);
    Py_CLEAR(self->filename2);
    return BaseException_clear(op);
}

static void
OSError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    OSError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
OSError_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    Py_VISIT(self->myerrno);
    Py_VISIT(self->strerror);
    Py_VISIT(self->filename);
    Py_VISIT(self->filename2);
    return BaseException_traverse(op, visit, arg);
}

static PyObject *
OSError_str(PyObject *op)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
#define OR_NONE(x) ((x) ? (x) : Py_None)
    if (self->filename) {
        if (self->filename2) {
            return PyUnicode_FromFormat("[Errno %S] %S: %R -> %R",
                                        OR_NONE(self->myerrno),
                                        OR_NONE(self->strerror),
                                        self->filename, self->filename2);
        }
        return PyUnicode_FromFormat("[Errno %S] %S: %R",
                                    OR_NONE(self->myerrno),
                                    OR_NONE(self->strerror),
                                    self->filename);
    }
    if (self->myerrno && self->strerror) {
        return PyUnicode_FromFormat("[Errno %S] %S", self->myerrno,
                                    self->strerror);
    }
#undef OR_NONE
    return BaseException_str(op);
}

static PyObject *
OSError_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    PyObject *args = self->args;
    PyObject *res = NULL;
    if (PyTuple_GET_SIZE(args) == 2 && self->filename) {
        Py_ssize_t size = self->filename2 ? 5 : 3;
        args = PyTuple_New(size);
        if (!args) {
            return NULL;
        }
        PyTuple_SET_ITEM(args, 0,
                         Py_NewRef(PyTuple_GET_ITEM(self->args, 0)));
        PyTuple_SET_ITEM(args, 1,
                         Py_NewRef(PyTuple_GET_ITEM(self->args, 1)));
        PyTuple_SET_ITEM(args, 2, Py_NewRef(self->filename));
        if (self->filename2) {
            PyTuple_SET_ITEM(args, 3, Py_NewRef(Py_None));
            PyTuple_SET_ITEM(args, 4, Py_NewRef(self->filename2));
        }
    }
    else {
        Py_INCREF(args);
    }
    if (self->dict) {
        res = PyTuple_Pack(3, Py_TYPE(self), args, self->dict);
    }
    else {
        res = PyTuple_Pack(2, Py_TYPE(self), args);
    }
    Py_DECREF(args);
    return res;
}

static PyObject *
OSError_written_get(PyObject *op, void *context)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    if (self->written == -1) {
        PyErr_SetString(PyExc_AttributeError, "characters_written");
        return NULL;
    }
    return PyLong_FromSsize_t(self->written);
}

static int
OSError_written_set(PyObject *op, PyObject *arg, void *context)
{
    PyOSErrorObject *self = (PyOSErrorObject *)op;
    if (arg == NULL) {
        if (self->written == -1) {
            PyErr_SetString(PyExc_AttributeError, "characters_written");
            return -1;
        }
        self->written = -1;
        return 0;
    }
    Py_ssize_t n = PyNumber_AsSsize_t(arg, PyExc_ValueError);
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    self->written = n;
    return 0;
}

static PyMemberDef OSError_members[] = {
    {"errno", T_OBJECT, offsetof(PyOSErrorObject, myerrno), 0,
     "POSIX exception code"},
    {"strerror", T_OBJECT, offsetof(PyOSErrorObject, strerror), 0,
     "exception strerror"},
    {"filename", T_OBJECT, offsetof(PyOSErrorObject, filename), 0,
     "exception filename"},
    {"filename2", T_OBJECT, offsetof(PyOSErrorObject, filename2), 0,
     "second exception filename"},
    {NULL, 0, 0, 0, NULL}
};

static PyMethodDef OSError_methods[] = {
    {"__reduce__", OSError_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef OSError_getset[] = {
    {"characters_written", OSError_written_get, OSError_written_set, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

ComplexExtendsException(Exception, OSError, OSError, OSError_new,
                        OSError_methods, OSError_members, OSError_getset,
                        OSError_str,
                        "Base class for I/O related errors.")

#define MiddlingExtendsException(EXCBASE, EXCNAME, EXCSTORE, EXCDOC)     \
    static PyTypeObject _PyExc_##EXCNAME = {                             \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                           \
        .tp_name = #EXCNAME,                                             \
        .tp_basicsize = sizeof(Py##EXCSTORE##Object),                    \
        .tp_dealloc = EXCSTORE##_dealloc,                                \
        .tp_flags = EXC_FLAGS,                                           \
        .tp_doc = EXCDOC,                                                \
        .tp_traverse = EXCSTORE##_traverse,                              \
        .tp_clear = EXCSTORE##_clear,                                    \
        .tp_base = &_PyExc_##EXCBASE,                                    \
        .tp_dictoffset = offsetof(Py##EXCSTORE##Object, dict),           \
        .tp_init = EXCSTORE##_init,                                      \
        .tp_new = EXCSTORE##_new,                                        \
    };                                                                   \
    PyObject *PyExc_##EXCNAME = (PyObject *)&_PyExc_##EXCNAME;

MiddlingExtendsException(OSError, BlockingIOError, OSError,
                         "I/O operation would block.")
MiddlingExtendsException(OSError, ConnectionError, OSError,
                         "Connection error.")
MiddlingExtendsException(OSError, ChildProcessError, OSError,
                         "Child process error.")
MiddlingExtendsException(ConnectionError, BrokenPipeError, OSError,
                         "Broken pipe.")
MiddlingExtendsException(ConnectionError, ConnectionAbortedError, OSError,
                         "Connection aborted.")
MiddlingExtendsException(ConnectionError, ConnectionRefusedError, OSError,
                         "Connection refused.")
MiddlingExtendsException(ConnectionError, ConnectionResetError, OSError,
                         "Connection reset.")
MiddlingExtendsException(OSError, FileExistsError, OSError,
                         "File already exists.")
MiddlingExtendsException(OSError, FileNotFoundError, OSError,
                         "File not found.")
MiddlingExtendsException(OSError, IsADirectoryError, OSError,
                         "Operation doesn't work on directories.")
MiddlingExtendsException(OSError, NotADirectoryError, OSError,
                         "Operation only works on directories.")
MiddlingExtendsException(OSError, InterruptedError, OSError,
                         "Interrupted by signal.")
MiddlingExtendsException(OSError, PermissionError, OSError,
                         "Not enough permissions.")
MiddlingExtendsException(OSError, ProcessLookupError, OSError,
                         "Process not found.")
MiddlingExtendsException(OSError, TimeoutError, OSError,
                         "Timeout expired.")

PyObject *PyExc_EnvironmentError = (PyObject *)&_PyExc_OSError;
PyObject *PyExc_IOError = (PyObject *)&_PyExc_OSError;

/* errno -> OSError subclass (PEP 3151). */
static PyTypeObject *
errnomap_lookup(int errcode)
{
    switch (errcode) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EALREADY:
    case EINPROGRESS:
        return &_PyExc_BlockingIOError;
    case ECHILD:
        return &_PyExc_ChildProcessError;
    case EPIPE:
#ifdef ESHUTDOWN
    case ESHUTDOWN:
#endif
        return &_PyExc_BrokenPipeError;
    case ECONNABORTED:
        return &_PyExc_ConnectionAbortedError;
    case ECONNREFUSED:
        return &_PyExc_ConnectionRefusedError;
    case ECONNRESET:
        return &_PyExc_ConnectionResetError;
    case EEXIST:
        return &_PyExc_FileExistsError;
    case ENOENT:
        return &_PyExc_FileNotFoundError;
    case EISDIR:
        return &_PyExc_IsADirectoryError;
    case ENOTDIR:
        return &_PyExc_NotADirectoryError;
    case EINTR:
        return &_PyExc_InterruptedError;
    case EACCES:
    case EPERM:
        return &_PyExc_PermissionError;
    case ESRCH:
        return &_PyExc_ProcessLookupError;
    case ETIMEDOUT:
        return &_PyExc_TimeoutError;
    default:
        return NULL;
    }
}

SimpleExtendsException(Exception, EOFError, "Read beyond end of file.")
SimpleExtendsException(Exception, RuntimeError,
                       "Unspecified run-time error.")
SimpleExtendsException(RuntimeError, RecursionError,
                       "Recursion limit exceeded.")
SimpleExtendsException(RuntimeError, NotImplementedError,
                       "Method or function hasn't been implemented yet.")

/* ================================================================ NameError */

static int
NameError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyNameErrorObject *self = (PyNameErrorObject *)op;
    static const char *const kwlist[] = {"name", NULL};
    PyObject *values[1] = {NULL};
    if (BaseException_init(op, args, NULL) == -1) {
        return -1;
    }
    if (parse_kwonly(op, kwds, kwlist, values,
                     _PyType_Name(Py_TYPE(op))) < 0) {
        return -1;
    }
    Py_XSETREF(self->name, Py_XNewRef(values[0]));
    return 0;
}

static int
NameError_clear(PyObject *op)
{
    Py_CLEAR(((PyNameErrorObject *)op)->name);
    return BaseException_clear(op);
}

static void
NameError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    NameError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
NameError_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((PyNameErrorObject *)op)->name);
    return BaseException_traverse(op, visit, arg);
}

static PyMemberDef NameError_members[] = {
    {"name", T_OBJECT, offsetof(PyNameErrorObject, name), 0, "name"},
    {NULL, 0, 0, 0, NULL}
};

ComplexExtendsException(Exception, NameError, NameError, BaseException_new,
                        0, NameError_members, 0, BaseException_str,
                        "Name not found globally.")

static PyTypeObject _PyExc_UnboundLocalError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "UnboundLocalError",
    .tp_basicsize = sizeof(PyNameErrorObject),
    .tp_dealloc = NameError_dealloc,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Local name referenced but not bound to a value.",
    .tp_traverse = NameError_traverse,
    .tp_clear = NameError_clear,
    .tp_base = &_PyExc_NameError,
    .tp_dictoffset = offsetof(PyNameErrorObject, dict),
    .tp_init = NameError_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_UnboundLocalError = (PyObject *)&_PyExc_UnboundLocalError;

/* ================================================================ AttributeError */

static int
AttributeError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyAttributeErrorObject *self = (PyAttributeErrorObject *)op;
    static const char *const kwlist[] = {"name", "obj", NULL};
    PyObject *values[2] = {NULL, NULL};
    if (BaseException_init(op, args, NULL) == -1) {
        return -1;
    }
    if (parse_kwonly(op, kwds, kwlist, values,
                     _PyType_Name(Py_TYPE(op))) < 0) {
        return -1;
    }
    Py_XSETREF(self->name, Py_XNewRef(values[0]));
    Py_XSETREF(self->obj, Py_XNewRef(values[1]));
    return 0;
}

static int
AttributeError_clear(PyObject *op)
{
    PyAttributeErrorObject *self = (PyAttributeErrorObject *)op;
    Py_CLEAR(self->obj);
    Py_CLEAR(self->name);
    return BaseException_clear(op);
}

static void
AttributeError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    AttributeError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
AttributeError_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyAttributeErrorObject *self = (PyAttributeErrorObject *)op;
    Py_VISIT(self->obj);
    Py_VISIT(self->name);
    return BaseException_traverse(op, visit, arg);
}

static PyMemberDef AttributeError_members[] = {
    {"name", T_OBJECT, offsetof(PyAttributeErrorObject, name), 0,
     "attribute name"},
    {"obj", T_OBJECT, offsetof(PyAttributeErrorObject, obj), 0, "object"},
    {NULL, 0, 0, 0, NULL}
};

ComplexExtendsException(Exception, AttributeError, AttributeError,
                        BaseException_new, 0, AttributeError_members, 0,
                        BaseException_str, "Attribute not found.")

/* Fills .name and .obj of an AttributeError raised by attribute lookup
   (only when not set yet, as CPython does). */
void
_PyExc_SetAttributeErrorContext(PyObject *exc, PyObject *obj, PyObject *name)
{
    if (!PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_AttributeError)) {
        return;
    }
    PyAttributeErrorObject *ae = (PyAttributeErrorObject *)exc;
    if (ae->name == NULL && ae->obj == NULL) {
        ae->name = Py_NewRef(name);
        ae->obj = Py_NewRef(obj);
    }
}

/* ================================================================ SyntaxError */

static int
SyntaxError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PySyntaxErrorObject *self = (PySyntaxErrorObject *)op;
    PyObject *info = NULL;
    Py_ssize_t lenargs = PyTuple_GET_SIZE(args);
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    if (lenargs >= 1) {
        Py_XSETREF(self->msg, Py_NewRef(PyTuple_GET_ITEM(args, 0)));
    }
    if (lenargs == 2) {
        info = PySequence_Tuple(PyTuple_GET_ITEM(args, 1));
        if (!info) {
            return -1;
        }
        PyObject *filename = NULL, *lineno = NULL, *offset = NULL;
        PyObject *text = NULL, *end_lineno = NULL, *end_offset = NULL;
        if (!PyArg_ParseTuple(info, "OOOO|OO", &filename, &lineno, &offset,
                              &text, &end_lineno, &end_offset)) {
            Py_DECREF(info);
            return -1;
        }
        Py_XSETREF(self->filename, Py_NewRef(filename));
        Py_XSETREF(self->lineno, Py_NewRef(lineno));
        Py_XSETREF(self->offset, Py_NewRef(offset));
        Py_XSETREF(self->text, Py_NewRef(text));
        Py_XSETREF(self->end_lineno, Py_XNewRef(end_lineno));
        Py_XSETREF(self->end_offset, Py_XNewRef(end_offset));
        Py_DECREF(info);
        if (self->end_lineno != NULL && self->end_offset == NULL) {
            PyErr_SetString(PyExc_TypeError, "end_offset must be provided "
                            "when end_lineno is provided");
            return -1;
        }
    }
    return 0;
}

static int
SyntaxError_clear(PyObject *op)
{
    PySyntaxErrorObject *self = (PySyntaxErrorObject *)op;
    Py_CLEAR(self->msg);
    Py_CLEAR(self->filename);
    Py_CLEAR(self->lineno);
    Py_CLEAR(self->offset);
    Py_CLEAR(self->end_lineno);
    Py_CLEAR(self->end_offset);
    Py_CLEAR(self->text);
    Py_CLEAR(self->print_file_and_line);
    return BaseException_clear(op);
}

static void
SyntaxError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    SyntaxError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
SyntaxError_traverse(PyObject *op, visitproc visit, void *arg)
{
    PySyntaxErrorObject *self = (PySyntaxErrorObject *)op;
    Py_VISIT(self->msg);
    Py_VISIT(self->filename);
    Py_VISIT(self->lineno);
    Py_VISIT(self->offset);
    Py_VISIT(self->end_lineno);
    Py_VISIT(self->end_offset);
    Py_VISIT(self->text);
    Py_VISIT(self->print_file_and_line);
    return BaseException_traverse(op, visit, arg);
}

/* The last path component of a filename (str). */
static PyObject *
my_basename(PyObject *name)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(name);
    Py_ssize_t offset = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        if (PyUnicode_READ_CHAR(name, i) == '/') {
            offset = i + 1;
        }
    }
    if (offset != 0) {
        return PyUnicode_Substring(name, offset, size);
    }
    return Py_NewRef(name);
}

/* "msg (file.py, line N)" */
static PyObject *
SyntaxError_str(PyObject *op)
{
    PySyntaxErrorObject *self = (PySyntaxErrorObject *)op;
    PyObject *filename = NULL, *result;
    if (self->filename && PyUnicode_Check(self->filename)) {
        filename = my_basename(self->filename);
        if (filename == NULL) {
            return NULL;
        }
    }
    int have_lineno = 0;
    long lineno = 0;
    if (self->lineno && PyLong_CheckExact(self->lineno)) {
        int overflow;
        lineno = PyLong_AsLongAndOverflow(self->lineno, &overflow);
        if (lineno == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        }
        else if (!overflow) {
            have_lineno = 1;
        }
    }
    PyObject *msg = self->msg ? self->msg : Py_None;
    if (filename && have_lineno) {
        result = PyUnicode_FromFormat("%S (%U, line %ld)", msg, filename,
                                      lineno);
    }
    else if (filename) {
        result = PyUnicode_FromFormat("%S (%U)", msg, filename);
    }
    else if (have_lineno) {
        result = PyUnicode_FromFormat("%S (line %ld)", msg, lineno);
    }
    else {
        result = PyObject_Str(msg);
    }
    Py_XDECREF(filename);
    return result;
}

static PyMemberDef SyntaxError_members[] = {
    {"msg", T_OBJECT, offsetof(PySyntaxErrorObject, msg), 0,
     "exception msg"},
    {"filename", T_OBJECT, offsetof(PySyntaxErrorObject, filename), 0,
     "exception filename"},
    {"lineno", T_OBJECT, offsetof(PySyntaxErrorObject, lineno), 0,
     "exception lineno"},
    {"offset", T_OBJECT, offsetof(PySyntaxErrorObject, offset), 0,
     "exception offset"},
    {"text", T_OBJECT, offsetof(PySyntaxErrorObject, text), 0,
     "exception text"},
    {"end_lineno", T_OBJECT, offsetof(PySyntaxErrorObject, end_lineno), 0,
     "exception end lineno"},
    {"end_offset", T_OBJECT, offsetof(PySyntaxErrorObject, end_offset), 0,
     "exception end offset"},
    {"print_file_and_line", T_OBJECT,
     offsetof(PySyntaxErrorObject, print_file_and_line), 0,
     "exception print_file_and_line"},
    {NULL, 0, 0, 0, NULL}
};

ComplexExtendsException(Exception, SyntaxError, SyntaxError,
                        BaseException_new, 0, SyntaxError_members, 0,
                        SyntaxError_str, "Invalid syntax.")

#define SyntaxSubclass(EXCBASE, EXCNAME, EXCDOC)                         \
    static PyTypeObject _PyExc_##EXCNAME = {                             \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                           \
        .tp_name = #EXCNAME,                                             \
        .tp_basicsize = sizeof(PySyntaxErrorObject),                     \
        .tp_dealloc = SyntaxError_dealloc,                               \
        .tp_flags = EXC_FLAGS,                                           \
        .tp_doc = EXCDOC,                                                \
        .tp_traverse = SyntaxError_traverse,                             \
        .tp_clear = SyntaxError_clear,                                   \
        .tp_base = &_PyExc_##EXCBASE,                                    \
        .tp_dictoffset = offsetof(PySyntaxErrorObject, dict),            \
        .tp_init = SyntaxError_init,                                     \
        .tp_new = BaseException_new,                                     \
    };                                                                   \
    PyObject *PyExc_##EXCNAME = (PyObject *)&_PyExc_##EXCNAME;

SyntaxSubclass(SyntaxError, IndentationError, "Improper indentation.")
SyntaxSubclass(IndentationError, TabError,
               "Improper mixture of spaces and tabs.")

/* ================================================================ lookup */

SimpleExtendsException(Exception, LookupError,
                       "Base class for lookup errors.")
SimpleExtendsException(LookupError, IndexError,
                       "Sequence index out of range.")

/* str(KeyError('a')) is "'a'": the repr of a single argument. */
static PyObject *
KeyError_str(PyObject *op)
{
    PyBaseExceptionObject *self = (PyBaseExceptionObject *)op;
    if (PyTuple_GET_SIZE(self->args) == 1) {
        return PyObject_Repr(PyTuple_GET_ITEM(self->args, 0));
    }
    return BaseException_str(op);
}

static PyTypeObject _PyExc_KeyError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "KeyError",
    .tp_basicsize = sizeof(PyBaseExceptionObject),
    .tp_dealloc = BaseException_dealloc,
    .tp_str = KeyError_str,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Mapping key not found.",
    .tp_traverse = BaseException_traverse,
    .tp_clear = BaseException_clear,
    .tp_base = &_PyExc_LookupError,
    .tp_dictoffset = offsetof(PyBaseExceptionObject, dict),
    .tp_init = BaseException_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_KeyError = (PyObject *)&_PyExc_KeyError;

SimpleExtendsException(Exception, ValueError,
                       "Inappropriate argument value (of correct type).")

/* ================================================================ UnicodeError */

SimpleExtendsException(ValueError, UnicodeError, "Unicode related error.")

static int
UnicodeError_clear(PyObject *op)
{
    PyUnicodeErrorObject *self = (PyUnicodeErrorObject *)op;
    Py_CLEAR(self->encoding);
    Py_CLEAR(self->object);
    Py_CLEAR(self->reason);
    return BaseException_clear(op);
}

static void
UnicodeError_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    UnicodeError_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static int
UnicodeError_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyUnicodeErrorObject *self = (PyUnicodeErrorObject *)op;
    Py_VISIT(self->encoding);
    Py_VISIT(self->object);
    Py_VISIT(self->reason);
    return BaseException_traverse(op, visit, arg);
}

static PyMemberDef UnicodeError_members[] = {
    {"encoding", T_OBJECT, offsetof(PyUnicodeErrorObject, encoding), 0,
     "exception encoding"},
    {"object", T_OBJECT, offsetof(PyUnicodeErrorObject, object), 0,
     "exception object"},
    {"start", T_PYSSIZET, offsetof(PyUnicodeErrorObject, start), 0,
     "exception start"},
    {"end", T_PYSSIZET, offsetof(PyUnicodeErrorObject, end), 0,
     "exception end"},
    {"reason", T_OBJECT, offsetof(PyUnicodeErrorObject, reason), 0,
     "exception reason"},
    {NULL, 0, 0, 0, NULL}
};

/* One character shown as '\xNN', '\uNNNN' or '\UNNNNNNNN'. */
static PyObject *
char_escape(Py_UCS4 ch)
{
    if (ch <= 0xff) {
        return PyUnicode_FromFormat("\\x%02x", ch);
    }
    if (ch <= 0xffff) {
        return PyUnicode_FromFormat("\\u%04x", ch);
    }
    return PyUnicode_FromFormat("\\U%08x", ch);
}

static int
UnicodeEncodeError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyUnicodeErrorObject *err = (PyUnicodeErrorObject *)op;
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    PyObject *encoding, *object, *reason;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "UUnnU", &encoding, &object, &start, &end,
                          &reason)) {
        return -1;
    }
    Py_XSETREF(err->encoding, Py_NewRef(encoding));
    Py_XSETREF(err->object, Py_NewRef(object));
    err->start = start;
    err->end = end;
    Py_XSETREF(err->reason, Py_NewRef(reason));
    return 0;
}

static PyObject *
UnicodeEncodeError_str(PyObject *op)
{
    PyUnicodeErrorObject *exc = (PyUnicodeErrorObject *)op;
    if (exc->object == NULL) {
        return PyUnicode_FromString("");
    }
    PyObject *reason_str = PyObject_Str(exc->reason);
    if (reason_str == NULL) {
        return NULL;
    }
    PyObject *encoding_str = PyObject_Str(exc->encoding);
    if (encoding_str == NULL) {
        Py_DECREF(reason_str);
        return NULL;
    }
    PyObject *result;
    Py_ssize_t len = PyUnicode_GET_LENGTH(exc->object);
    if (exc->start < len && exc->end == exc->start + 1) {
        PyObject *ch = char_escape(PyUnicode_READ_CHAR(exc->object,
                                                       exc->start));
        if (ch == NULL) {
            result = NULL;
        }
        else {
            result = PyUnicode_FromFormat(
                "'%U' codec can't encode character '%U' in position %zd: %U",
                encoding_str, ch, exc->start, reason_str);
            Py_DECREF(ch);
        }
    }
    else {
        result = PyUnicode_FromFormat(
            "'%U' codec can't encode characters in position %zd-%zd: %U",
            encoding_str, exc->start, exc->end - 1, reason_str);
    }
    Py_DECREF(reason_str);
    Py_DECREF(encoding_str);
    return result;
}

static PyTypeObject _PyExc_UnicodeEncodeError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "UnicodeEncodeError",
    .tp_basicsize = sizeof(PyUnicodeErrorObject),
    .tp_dealloc = UnicodeError_dealloc,
    .tp_str = UnicodeEncodeError_str,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Unicode encoding error.",
    .tp_traverse = UnicodeError_traverse,
    .tp_clear = UnicodeError_clear,
    .tp_members = UnicodeError_members,
    .tp_base = &_PyExc_UnicodeError,
    .tp_dictoffset = offsetof(PyUnicodeErrorObject, dict),
    .tp_init = UnicodeEncodeError_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_UnicodeEncodeError = (PyObject *)&_PyExc_UnicodeEncodeError;

static int
UnicodeDecodeError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyUnicodeErrorObject *ude = (PyUnicodeErrorObject *)op;
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    PyObject *encoding, *object, *reason;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "UOnnU", &encoding, &object, &start, &end,
                          &reason)) {
        return -1;
    }
    if (PyBytes_Check(object)) {
        Py_INCREF(object);
    }
    else {
        Py_buffer view;
        if (PyObject_GetBuffer(object, &view, PyBUF_SIMPLE) != 0) {
            return -1;
        }
        object = PyBytes_FromStringAndSize(view.buf, view.len);
        PyBuffer_Release(&view);
        if (object == NULL) {
            return -1;
        }
    }
    Py_XSETREF(ude->encoding, Py_NewRef(encoding));
    Py_XSETREF(ude->object, object);
    ude->start = start;
    ude->end = end;
    Py_XSETREF(ude->reason, Py_NewRef(reason));
    return 0;
}

static PyObject *
UnicodeDecodeError_str(PyObject *op)
{
    PyUnicodeErrorObject *exc = (PyUnicodeErrorObject *)op;
    if (exc->object == NULL) {
        return PyUnicode_FromString("");
    }
    PyObject *reason_str = PyObject_Str(exc->reason);
    if (reason_str == NULL) {
        return NULL;
    }
    PyObject *encoding_str = PyObject_Str(exc->encoding);
    if (encoding_str == NULL) {
        Py_DECREF(reason_str);
        return NULL;
    }
    PyObject *result;
    Py_ssize_t len = PyBytes_GET_SIZE(exc->object);
    if (exc->start < len && exc->end == exc->start + 1) {
        int byte = (int)(PyBytes_AS_STRING(exc->object)[exc->start] & 0xff);
        result = PyUnicode_FromFormat(
            "'%U' codec can't decode byte 0x%02x in position %zd: %U",
            encoding_str, byte, exc->start, reason_str);
    }
    else {
        result = PyUnicode_FromFormat(
            "'%U' codec can't decode bytes in position %zd-%zd: %U",
            encoding_str, exc->start, exc->end - 1, reason_str);
    }
    Py_DECREF(reason_str);
    Py_DECREF(encoding_str);
    return result;
}

static PyTypeObject _PyExc_UnicodeDecodeError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "UnicodeDecodeError",
    .tp_basicsize = sizeof(PyUnicodeErrorObject),
    .tp_dealloc = UnicodeError_dealloc,
    .tp_str = UnicodeDecodeError_str,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Unicode decoding error.",
    .tp_traverse = UnicodeError_traverse,
    .tp_clear = UnicodeError_clear,
    .tp_members = UnicodeError_members,
    .tp_base = &_PyExc_UnicodeError,
    .tp_dictoffset = offsetof(PyUnicodeErrorObject, dict),
    .tp_init = UnicodeDecodeError_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_UnicodeDecodeError = (PyObject *)&_PyExc_UnicodeDecodeError;

static int
UnicodeTranslateError_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyUnicodeErrorObject *self = (PyUnicodeErrorObject *)op;
    if (BaseException_init(op, args, kwds) == -1) {
        return -1;
    }
    PyObject *object, *reason;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "UnnU", &object, &start, &end, &reason)) {
        return -1;
    }
    Py_XSETREF(self->object, Py_NewRef(object));
    self->start = start;
    self->end = end;
    Py_XSETREF(self->reason, Py_NewRef(reason));
    return 0;
}

static PyObject *
UnicodeTranslateError_str(PyObject *op)
{
    PyUnicodeErrorObject *exc = (PyUnicodeErrorObject *)op;
    if (exc->object == NULL) {
        return PyUnicode_FromString("");
    }
    PyObject *reason_str = PyObject_Str(exc->reason);
    if (reason_str == NULL) {
        return NULL;
    }
    PyObject *result;
    Py_ssize_t len = PyUnicode_GET_LENGTH(exc->object);
    if (exc->start < len && exc->end == exc->start + 1) {
        PyObject *ch = char_escape(PyUnicode_READ_CHAR(exc->object,
                                                       exc->start));
        if (ch == NULL) {
            result = NULL;
        }
        else {
            result = PyUnicode_FromFormat(
                "can't translate character '%U' in position %zd: %U",
                ch, exc->start, reason_str);
            Py_DECREF(ch);
        }
    }
    else {
        result = PyUnicode_FromFormat(
            "can't translate characters in position %zd-%zd: %U",
            exc->start, exc->end - 1, reason_str);
    }
    Py_DECREF(reason_str);
    return result;
}

static PyTypeObject _PyExc_UnicodeTranslateError = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "UnicodeTranslateError",
    .tp_basicsize = sizeof(PyUnicodeErrorObject),
    .tp_dealloc = UnicodeError_dealloc,
    .tp_str = UnicodeTranslateError_str,
    .tp_flags = EXC_FLAGS,
    .tp_doc = "Unicode translation error.",
    .tp_traverse = UnicodeError_traverse,
    .tp_clear = UnicodeError_clear,
    .tp_members = UnicodeError_members,
    .tp_base = &_PyExc_UnicodeError,
    .tp_dictoffset = offsetof(PyUnicodeErrorObject, dict),
    .tp_init = UnicodeTranslateError_init,
    .tp_new = BaseException_new,
};
PyObject *PyExc_UnicodeTranslateError =
    (PyObject *)&_PyExc_UnicodeTranslateError;

PyObject *
PyUnicodeDecodeError_Create(const char *encoding, const char *object,
                            Py_ssize_t length, Py_ssize_t start,
                            Py_ssize_t end, const char *reason)
{
    return PyObject_CallFunction(PyExc_UnicodeDecodeError, "sy#nns",
                                 encoding, object, length, start, end,
                                 reason);
}

/* ---- accessors ---- */

static PyObject *
get_attr_str(PyObject *attr, const char *name, int want_bytes)
{
    if (!attr) {
        PyErr_Format(PyExc_TypeError, "%s attribute not set", name);
        return NULL;
    }
    if (want_bytes ? !PyBytes_Check(attr) : !PyUnicode_Check(attr)) {
        PyErr_Format(PyExc_TypeError, "%s attribute must be %s", name,
                     want_bytes ? "bytes" : "unicode");
        return NULL;
    }
    return Py_NewRef(attr);
}

PyObject *
PyUnicodeEncodeError_GetEncoding(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->encoding, "encoding",
                        0);
}

PyObject *
PyUnicodeDecodeError_GetEncoding(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->encoding, "encoding",
                        0);
}

PyObject *
PyUnicodeEncodeError_GetObject(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->object, "object", 0);
}

PyObject *
PyUnicodeDecodeError_GetObject(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->object, "object", 1);
}

PyObject *
PyUnicodeTranslateError_GetObject(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->object, "object", 0);
}

/* start/end are clamped to the object's length as CPython does. */
static int
unicode_error_get_bound(PyObject *exc, Py_ssize_t *out, int is_start,
                        int bytes)
{
    PyUnicodeErrorObject *e = (PyUnicodeErrorObject *)exc;
    PyObject *obj = get_attr_str(e->object, "object", bytes);
    if (!obj) {
        return -1;
    }
    Py_ssize_t size = bytes ? PyBytes_GET_SIZE(obj)
                            : PyUnicode_GET_LENGTH(obj);
    Py_DECREF(obj);
    Py_ssize_t v = is_start ? e->start : e->end;
    if (is_start) {
        if (v < 0) {
            v = 0;
        }
        if (v >= size) {
            v = size == 0 ? 0 : size - 1;
        }
    }
    else {
        if (v < 1) {
            v = 1;
        }
        if (v > size) {
            v = size;
        }
    }
    *out = v;
    return 0;
}

int
PyUnicodeEncodeError_GetStart(PyObject *exc, Py_ssize_t *start)
{
    return unicode_error_get_bound(exc, start, 1, 0);
}

int
PyUnicodeDecodeError_GetStart(PyObject *exc, Py_ssize_t *start)
{
    return unicode_error_get_bound(exc, start, 1, 1);
}

int
PyUnicodeTranslateError_GetStart(PyObject *exc, Py_ssize_t *start)
{
    return unicode_error_get_bound(exc, start, 1, 0);
}

int
PyUnicodeEncodeError_GetEnd(PyObject *exc, Py_ssize_t *end)
{
    return unicode_error_get_bound(exc, end, 0, 0);
}

int
PyUnicodeDecodeError_GetEnd(PyObject *exc, Py_ssize_t *end)
{
    return unicode_error_get_bound(exc, end, 0, 1);
}

int
PyUnicodeTranslateError_GetEnd(PyObject *exc, Py_ssize_t *end)
{
    return unicode_error_get_bound(exc, end, 0, 0);
}

int
PyUnicodeEncodeError_SetStart(PyObject *exc, Py_ssize_t start)
{
    ((PyUnicodeErrorObject *)exc)->start = start;
    return 0;
}

int
PyUnicodeDecodeError_SetStart(PyObject *exc, Py_ssize_t start)
{
    ((PyUnicodeErrorObject *)exc)->start = start;
    return 0;
}

int
PyUnicodeTranslateError_SetStart(PyObject *exc, Py_ssize_t start)
{
    ((PyUnicodeErrorObject *)exc)->start = start;
    return 0;
}

int
PyUnicodeEncodeError_SetEnd(PyObject *exc, Py_ssize_t end)
{
    ((PyUnicodeErrorObject *)exc)->end = end;
    return 0;
}

int
PyUnicodeDecodeError_SetEnd(PyObject *exc, Py_ssize_t end)
{
    ((PyUnicodeErrorObject *)exc)->end = end;
    return 0;
}

int
PyUnicodeTranslateError_SetEnd(PyObject *exc, Py_ssize_t end)
{
    ((PyUnicodeErrorObject *)exc)->end = end;
    return 0;
}

PyObject *
PyUnicodeEncodeError_GetReason(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->reason, "reason", 0);
}

PyObject *
PyUnicodeDecodeError_GetReason(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->reason, "reason", 0);
}

PyObject *
PyUnicodeTranslateError_GetReason(PyObject *exc)
{
    return get_attr_str(((PyUnicodeErrorObject *)exc)->reason, "reason", 0);
}

static int
set_reason(PyObject *exc, const char *reason)
{
    PyObject *obj = PyUnicode_FromString(reason);
    if (obj == NULL) {
        return -1;
    }
    Py_XSETREF(((PyUnicodeErrorObject *)exc)->reason, obj);
    return 0;
}

int
PyUnicodeEncodeError_SetReason(PyObject *exc, const char *reason)
{
    return set_reason(exc, reason);
}

int
PyUnicodeDecodeError_SetReason(PyObject *exc, const char *reason)
{
    return set_reason(exc, reason);
}

int
PyUnicodeTranslateError_SetReason(PyObject *exc, const char *reason)
{
    return set_reason(exc, reason);
}

/* ================================================================ the rest */

SimpleExtendsException(Exception, AssertionError, "Assertion failed.")
SimpleExtendsException(Exception, ArithmeticError,
                       "Base class for arithmetic errors.")
SimpleExtendsException(ArithmeticError, FloatingPointError,
                       "Floating point operation failed.")
SimpleExtendsException(ArithmeticError, OverflowError,
                       "Result too large to be represented.")
SimpleExtendsException(ArithmeticError, ZeroDivisionError,
                       "Second argument to a division or modulo operation "
                       "was zero.")
SimpleExtendsException(Exception, SystemError,
                       "Internal error in the Python interpreter.\n\n"
                       "Please report this to the Python maintainer, along "
                       "with the traceback,\nthe Python version, and the "
                       "hardware/OS platform and version.")
SimpleExtendsException(Exception, ReferenceError,
                       "Weak ref proxy used after referent went away.")
SimpleExtendsException(Exception, MemoryError, "Out of memory.")
SimpleExtendsException(Exception, BufferError, "Buffer error.")

SimpleExtendsException(Exception, Warning,
                       "Base class for warning categories.")
SimpleExtendsException(Warning, UserWarning,
                       "Base class for warnings generated by user code.")
SimpleExtendsException(Warning, DeprecationWarning,
                       "Base class for warnings about deprecated features.")
SimpleExtendsException(Warning, PendingDeprecationWarning,
                       "Base class for warnings about features which will "
                       "be deprecated\nin the future.")
SimpleExtendsException(Warning, SyntaxWarning,
                       "Base class for warnings about dubious syntax.")
SimpleExtendsException(Warning, RuntimeWarning,
                       "Base class for warnings about dubious runtime "
                       "behavior.")
SimpleExtendsException(Warning, FutureWarning,
                       "Base class for warnings about constructs that will "
                       "change semantically\nin the future.")
SimpleExtendsException(Warning, ImportWarning,
                       "Base class for warnings about probable mistakes in "
                       "module imports")
SimpleExtendsException(Warning, UnicodeWarning,
                       "Base class for warnings about Unicode related "
                       "problems, mostly\nrelated to conversion problems.")
SimpleExtendsException(Warning, BytesWarning,
                       "Base class for warnings about bytes and buffer "
                       "related problems, mostly\nrelated to conversion from "
                       "str or comparing to str.")
SimpleExtendsException(Warning, EncodingWarning,
                       "Base class for warnings about encodings.")
SimpleExtendsException(Warning, ResourceWarning,
                       "Base class for warnings about resource usage.")

/* ================================================================ init */

/* Every static exception type, in an order where bases come first. */
static PyTypeObject *const static_exceptions[] = {
    &_PyExc_BaseException, &_PyExc_Exception, &_PyExc_TypeError,
    &_PyExc_StopAsyncIteration, &_PyExc_StopIteration,
    &_PyExc_GeneratorExit, &_PyExc_SystemExit,
    &_PyExc_BaseExceptionGroup, &_PyExc_KeyboardInterrupt,
    &_PyExc_ImportError, &_PyExc_ModuleNotFoundError, &_PyExc_OSError,
    &_PyExc_BlockingIOError, &_PyExc_ConnectionError,
    &_PyExc_ChildProcessError, &_PyExc_BrokenPipeError,
    &_PyExc_ConnectionAbortedError, &_PyExc_ConnectionRefusedError,
    &_PyExc_ConnectionResetError, &_PyExc_FileExistsError,
    &_PyExc_FileNotFoundError, &_PyExc_IsADirectoryError,
    &_PyExc_NotADirectoryError, &_PyExc_InterruptedError,
    &_PyExc_PermissionError, &_PyExc_ProcessLookupError,
    &_PyExc_TimeoutError, &_PyExc_EOFError, &_PyExc_RuntimeError,
    &_PyExc_RecursionError, &_PyExc_NotImplementedError,
    &_PyExc_NameError, &_PyExc_UnboundLocalError, &_PyExc_AttributeError,
    &_PyExc_SyntaxError, &_PyExc_IndentationError, &_PyExc_TabError,
    &_PyExc_LookupError, &_PyExc_IndexError, &_PyExc_KeyError,
    &_PyExc_ValueError, &_PyExc_UnicodeError, &_PyExc_UnicodeEncodeError,
    &_PyExc_UnicodeDecodeError, &_PyExc_UnicodeTranslateError,
    &_PyExc_AssertionError, &_PyExc_ArithmeticError,
    &_PyExc_FloatingPointError, &_PyExc_OverflowError,
    &_PyExc_ZeroDivisionError, &_PyExc_SystemError, &_PyExc_ReferenceError,
    &_PyExc_MemoryError, &_PyExc_BufferError, &_PyExc_Warning,
    &_PyExc_UserWarning, &_PyExc_DeprecationWarning,
    &_PyExc_PendingDeprecationWarning, &_PyExc_SyntaxWarning,
    &_PyExc_RuntimeWarning, &_PyExc_FutureWarning, &_PyExc_ImportWarning,
    &_PyExc_UnicodeWarning, &_PyExc_BytesWarning,
    &_PyExc_EncodingWarning, &_PyExc_ResourceWarning,
};

/* The MemoryError raised when even allocating the instance fails. */
static PyObject *last_resort_memory_error;

PyObject *
_PyExc_NewMemoryError(void)
{
    PyTypeObject *type = &_PyExc_MemoryError;
    PyObject *exc = BaseException_new(type, NULL, NULL);
    if (exc != NULL) {
        return exc;
    }
    /* Allocation failed: hand out the preallocated instance (immortal;
       its traceback and context are not meaningful). */
    PyErr_Clear();
    return last_resort_memory_error;
}

int
_PyExc_InitTypes(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(static_exceptions); i++) {
        PyTypeObject *t = static_exceptions[i];
        if (t->tp_getattro == NULL) {
            t->tp_getattro = PyObject_GenericGetAttr;
        }
        if (PyType_Ready(t) < 0) {
            return -1;
        }
    }
    if (PyExc_ExceptionGroup == NULL) {
        PyObject *bases = PyTuple_Pack(2, PyExc_BaseExceptionGroup,
                                       PyExc_Exception);
        if (bases == NULL) {
            return -1;
        }
        PyObject *eg = PyErr_NewException("builtins.ExceptionGroup", bases,
                                          NULL);
        Py_DECREF(bases);
        if (eg == NULL) {
            return -1;
        }
        _Py_SetImmortal(eg);
        PyExc_ExceptionGroup = eg;
    }
    if (last_resort_memory_error == NULL) {
        PyObject *exc = BaseException_new(&_PyExc_MemoryError, NULL, NULL);
        if (exc == NULL) {
            return -1;
        }
        _Py_SetImmortal(exc);
        last_resort_memory_error = exc;
    }
    return 0;
}

int
_PyExc_AddToDict(PyObject *dict)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(static_exceptions); i++) {
        PyTypeObject *t = static_exceptions[i];
        if (PyDict_SetItemString(dict, t->tp_name, (PyObject *)t) < 0) {
            return -1;
        }
    }
    if (PyDict_SetItemString(dict, "ExceptionGroup",
                             PyExc_ExceptionGroup) < 0 ||
        PyDict_SetItemString(dict, "EnvironmentError", PyExc_OSError) < 0 ||
        PyDict_SetItemString(dict, "IOError", PyExc_OSError) < 0) {
        return -1;
    }
    return 0;
}
