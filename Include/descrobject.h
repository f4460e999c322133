/* Descriptors (Objects/descrobject.c): method, class-method, member,
 * getset and slot-wrapper descriptors that PyType_Ready puts in a type's
 * dict, mappingproxy, property, classmethod and staticmethod.  CPython
 * 3.11's documented API.  Descriptor objects are immutable once made
 * (property's setter()/getter()/deleter() return new objects). */
#ifndef Py_DESCROBJECT_H
#define Py_DESCROBJECT_H

typedef PyObject *(*getter)(PyObject *, void *);
typedef int (*setter)(PyObject *, PyObject *, void *);

struct PyGetSetDef {
    const char *name;
    getter get;
    setter set;             /* NULL: read-only */
    const char *doc;
    void *closure;
};
typedef struct PyGetSetDef PyGetSetDef;

/* Members: a field at a fixed offset of the instance (types and flags in
   Include/structmember.h). */
struct PyMemberDef {
    const char *name;
    int type;
    Py_ssize_t offset;
    int flags;
    const char *doc;
};
typedef struct PyMemberDef PyMemberDef;

/* Slot wrappers: `int.__add__` is a wrapper descriptor calling nb_add
   through `wrapper`. */
typedef PyObject *(*wrapperfunc)(PyObject *self, PyObject *args,
                                 void *wrapped);
typedef PyObject *(*wrapperfunc_kwds)(PyObject *self, PyObject *args,
                                      void *wrapped, PyObject *kwds);

struct wrapperbase {
    const char *name;
    int offset;             /* of the slot in the heap type object */
    void *function;         /* the slot_* function filling the slot */
    wrapperfunc wrapper;
    const char *doc;
    int flags;
    PyObject *name_strobj;  /* unused in Plait: names are interned on use */
};
#define PyWrapperFlag_KEYWORDS 1

typedef struct {
    PyObject_HEAD
    PyTypeObject *d_type;
    PyObject *d_name;
    PyObject *d_qualname;
} PyDescrObject;

#define PyDescr_COMMON PyDescrObject d_common

typedef struct {
    PyDescr_COMMON;
    PyMethodDef *d_method;
    vectorcallfunc vectorcall;
} PyMethodDescrObject;

typedef struct {
    PyDescr_COMMON;
    PyMemberDef *d_member;
} PyMemberDescrObject;

typedef struct {
    PyDescr_COMMON;
    PyGetSetDef *d_getset;
} PyGetSetDescrObject;

typedef struct {
    PyDescr_COMMON;
    struct wrapperbase *d_base;
    void *d_wrapped;        /* the C slot function this wraps */
} PyWrapperDescrObject;

#define PyDescr_TYPE(x) (((PyDescrObject *)(x))->d_type)
#define PyDescr_NAME(x) (((PyDescrObject *)(x))->d_name)

PyAPI_DATA(PyTypeObject) PyClassMethodDescr_Type;
PyAPI_DATA(PyTypeObject) PyGetSetDescr_Type;
PyAPI_DATA(PyTypeObject) PyMemberDescr_Type;
PyAPI_DATA(PyTypeObject) PyMethodDescr_Type;
PyAPI_DATA(PyTypeObject) PyWrapperDescr_Type;
PyAPI_DATA(PyTypeObject) PyDictProxy_Type;
PyAPI_DATA(PyTypeObject) _PyMethodWrapper_Type;
PyAPI_DATA(PyTypeObject) PyProperty_Type;
PyAPI_DATA(PyTypeObject) PyClassMethod_Type;
PyAPI_DATA(PyTypeObject) PyStaticMethod_Type;

/* New references. */
PyAPI_FUNC(PyObject *) PyDescr_NewMethod(PyTypeObject *type,
                                         PyMethodDef *method);
PyAPI_FUNC(PyObject *) PyDescr_NewClassMethod(PyTypeObject *type,
                                              PyMethodDef *method);
PyAPI_FUNC(PyObject *) PyDescr_NewMember(PyTypeObject *type,
                                         PyMemberDef *member);
PyAPI_FUNC(PyObject *) PyDescr_NewGetSet(PyTypeObject *type,
                                         PyGetSetDef *getset);
PyAPI_FUNC(PyObject *) PyDescr_NewWrapper(PyTypeObject *type,
                                          struct wrapperbase *base,
                                          void *wrapped);
#define PyDescr_IsData(d) (Py_TYPE(d)->tp_descr_set != NULL)

/* A read-only view of a mapping (type.__dict__). */
PyAPI_FUNC(PyObject *) PyDictProxy_New(PyObject *mapping);
/* A wrapper descriptor bound to `self` (`(1).__add__`). */
PyAPI_FUNC(PyObject *) PyWrapper_New(PyObject *descr, PyObject *self);

/* classmethod(callable) and staticmethod(callable). */
PyAPI_FUNC(PyObject *) PyClassMethod_New(PyObject *callable);
PyAPI_FUNC(PyObject *) PyStaticMethod_New(PyObject *callable);

/* Member access by PyMemberDef (Objects/descrobject.c). */
PyAPI_FUNC(PyObject *) PyMember_GetOne(const char *obj_addr,
                                       PyMemberDef *member);
PyAPI_FUNC(int) PyMember_SetOne(char *obj_addr, PyMemberDef *member,
                                PyObject *value);

#endif /* !Py_DESCROBJECT_H */
