/* Struct sequences (Objects/structseq.c): named tuples made in C, such as
 * os.stat_result, time.struct_time and sys.version_info.  CPython 3.11's
 * documented API.
 *
 * An instance is a tuple whose visible length is the desc's n_in_sequence;
 * the remaining fields follow in the same item array and are reachable as
 * attributes only.  Instances are filled by their creator before being
 * shared (PyStructSequence_SetItem is only for a new, unpublished
 * instance) and are immutable afterwards, so reads take no lock. */
#ifndef Py_STRUCTSEQ_H
#define Py_STRUCTSEQ_H

typedef struct PyStructSequence_Field {
    const char *name;           /* PyStructSequence_UnnamedField: no name */
    const char *doc;
} PyStructSequence_Field;

typedef struct PyStructSequence_Desc {
    const char *name;           /* "module.typename" */
    const char *doc;
    PyStructSequence_Field *fields;     /* terminated by a NULL name */
    int n_in_sequence;          /* fields visible as tuple items */
} PyStructSequence_Desc;

/* Marks a field that is visible by index only ("unnamed field"). */
PyAPI_DATA(const char * const) PyStructSequence_UnnamedField;

/* Finish the static type TYPE (zero-filled by its owner) from DESC. */
PyAPI_FUNC(void) PyStructSequence_InitType(PyTypeObject *type,
                                           PyStructSequence_Desc *desc);
PyAPI_FUNC(int) PyStructSequence_InitType2(PyTypeObject *type,
                                           PyStructSequence_Desc *desc);
/* New reference: a heap type built from DESC. */
PyAPI_FUNC(PyTypeObject *) PyStructSequence_NewType(
    PyStructSequence_Desc *desc);

/* New reference: an instance with every field NULL, to be filled with
   PyStructSequence_SetItem before it is shared. */
PyAPI_FUNC(PyObject *) PyStructSequence_New(PyTypeObject *type);
/* Steals V; POS may name a visible or an attribute-only field. */
PyAPI_FUNC(void) PyStructSequence_SetItem(PyObject *p, Py_ssize_t pos,
                                          PyObject *v);
/* Borrowed. */
PyAPI_FUNC(PyObject *) PyStructSequence_GetItem(PyObject *p,
                                                Py_ssize_t pos);

typedef PyTupleObject PyStructSequence;

/* Unchecked forms (steals / borrowed), any field index. */
#define PyStructSequence_SET_ITEM(op, i, v) PyTuple_SET_ITEM((op), (i), (v))
#define PyStructSequence_GET_ITEM(op, i) PyTuple_GET_ITEM((op), (i))

#endif /* !Py_STRUCTSEQ_H */
