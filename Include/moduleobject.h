/* Module objects and module definitions (Objects/moduleobject.c).
 * CPython 3.11's documented API.  A module's dict is a regular dict
 * (thread-safe on its own); the module object's other fields are set once
 * at creation. */
#ifndef Py_MODULEOBJECT_H
#define Py_MODULEOBJECT_H

PyAPI_DATA(PyTypeObject) PyModule_Type;
PyAPI_DATA(PyTypeObject) PyModuleDef_Type;

#define PyModule_Check(op) PyObject_TypeCheck((op), &PyModule_Type)
#define PyModule_CheckExact(op) Py_IS_TYPE((op), &PyModule_Type)

typedef struct PyModuleDef_Base {
    PyObject_HEAD
    PyObject *(*m_init)(void);
    Py_ssize_t m_index;
    PyObject *m_copy;
} PyModuleDef_Base;

#define PyModuleDef_HEAD_INIT {     \
        PyObject_HEAD_INIT(NULL)    \
        NULL,                       \
        0,                          \
        NULL,                       \
    }

struct PyModuleDef_Slot;
typedef struct PyModuleDef_Slot {
    int slot;
    void *value;
} PyModuleDef_Slot;

#define Py_mod_create 1
#define Py_mod_exec 2
#define _Py_mod_LAST_SLOT 2

typedef struct PyModuleDef {
    PyModuleDef_Base m_base;
    const char *m_name;
    const char *m_doc;
    Py_ssize_t m_size;
    PyMethodDef *m_methods;
    PyModuleDef_Slot *m_slots;
    traverseproc m_traverse;
    inquiry m_clear;
    freefunc m_free;
} PyModuleDef;

/* New references. */
PyAPI_FUNC(PyObject *) PyModule_NewObject(PyObject *name);
PyAPI_FUNC(PyObject *) PyModule_New(const char *name);
/* Borrowed. */
PyAPI_FUNC(PyObject *) PyModule_GetDict(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetNameObject(PyObject *module);
/* Borrowed UTF-8 of the module's name. */
PyAPI_FUNC(const char *) PyModule_GetName(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetFilenameObject(PyObject *module);
PyAPI_FUNC(PyModuleDef *) PyModule_GetDef(PyObject *module);
PyAPI_FUNC(void *) PyModule_GetState(PyObject *module);
/* Borrowed: returns `def` as an object for multi-phase init. */
PyAPI_FUNC(PyObject *) PyModuleDef_Init(PyModuleDef *def);
PyAPI_FUNC(int) PyModule_ExecDef(PyObject *module, PyModuleDef *def);

#endif /* !Py_MODULEOBJECT_H */
