/* The posix module (the C half of `os`): a first slice.
 *
 * Present: fspath, getcwd/getcwdb, chdir, mkdir, rmdir, unlink/remove,
 * rename/replace, listdir, access, umask, open/close/read/write/lseek,
 * isatty, dup/dup2, pipe, fsync, getpid/getppid, kill, strerror,
 * putenv/unsetenv, environ (bytes keys and values), urandom, cpu_count,
 * _exit, the WIFEXITED/WEXITSTATUS... macros, O_* / SEEK_* / F_OK... and
 * _have_functions.  Missing: stat & co. (need PyStructSequence), scandir,
 * fork/exec, the dir_fd/follow_symlinks keywords.
 *
 * Thread safety: the module holds immutable constants and functions;
 * `environ` is an ordinary dict (it locks itself).  The process-wide
 * C environment is only changed by putenv/unsetenv, which libc
 * serialises.  Blocking system calls detach the thread state. */
#ifndef _GNU_SOURCE
#  define _GNU_SOURCE 1   /* dup3, pipe2, O_PATH, SEEK_DATA, GNU strerror_r */
#endif
#include "Python.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* fspath(path): str/bytes unchanged, else the result of __fspath__;
   a new reference or NULL with TypeError as in 3.11. */
static PyObject *
posix_fspath_impl(PyObject *path)
{
    if (PyUnicode_Check(path) || PyBytes_Check(path)) {
        return Py_NewRef(path);
    }
    PyObject *meth = PyObject_GetAttrString((PyObject *)Py_TYPE(path),
                                            "__fspath__");
    if (meth == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "expected str, bytes or os.PathLike object, not %.200s",
                     Py_TYPE(path)->tp_name);
        return NULL;
    }
    PyObject *res = PyObject_CallOneArg(meth, path);
    Py_DECREF(meth);
    if (res == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(res) && !PyBytes_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "expected %.200s.__fspath__() to return str or bytes, "
                     "not %.200s", Py_TYPE(path)->tp_name,
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* A converted path argument: `obj` is the caller's object (borrowed),
   `bytes` a new bytes reference whose buffer is the C path. */
typedef struct {
    PyObject *obj;
    PyObject *bytes;
    int is_bytes;
} _PyPosix_Path;

/* Fills *p from a str, bytes or PathLike; 0 or -1 with an error.
   `func` and `arg` name the argument in TypeError messages. */
static int
posix_path_init(_PyPosix_Path *p, PyObject *obj, const char *func,
                const char *arg)
{
    p->obj = obj;
    p->bytes = NULL;
    PyObject *fs = posix_fspath_impl(obj);
    if (fs == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "%s: %s should be string, bytes or os.PathLike, "
                         "not %.200s", func, arg, Py_TYPE(obj)->tp_name);
        }
        return -1;
    }
    p->is_bytes = PyBytes_Check(fs);
    if (p->is_bytes) {
        p->bytes = fs;
    }
    else {
        p->bytes = PyUnicode_EncodeFSDefault(fs);
        Py_DECREF(fs);
        if (p->bytes == NULL) {
            return -1;
        }
    }
    if ((size_t)PyBytes_GET_SIZE(p->bytes)
        != strlen(PyBytes_AS_STRING(p->bytes))) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        Py_CLEAR(p->bytes);
        return -1;
    }
    return 0;
}

static void
posix_path_clear(_PyPosix_Path *p)
{
    Py_CLEAR(p->bytes);
}

#define PATH_C(p) PyBytes_AS_STRING((p)->bytes)

/* Raises OSError from errno with the path's original object as the
   filename; always NULL. */
static PyObject *
posix_error_path(_PyPosix_Path *p)
{
    return PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, p->obj);
}

static PyObject *
posix_error(void)
{
    return PyErr_SetFromErrno(PyExc_OSError);
}

/* fspath(path): see posix_fspath_impl; new reference. */
static PyObject *
posix_fspath(PyObject *self, PyObject *path)
{
    return posix_fspath_impl(path);
}

/* getcwd() as str / getcwdb() as bytes; new references. */
static PyObject *
posix_getcwd_common(int as_bytes)
{
    char buf[4096];
    char *res;
    Py_BEGIN_ALLOW_THREADS
    res = getcwd(buf, sizeof(buf));
    Py_END_ALLOW_THREADS
    if (res == NULL) {
        return posix_error();
    }
    if (as_bytes) {
        return PyBytes_FromStringAndSize(buf, (Py_ssize_t)strlen(buf));
    }
    return PyUnicode_DecodeFSDefault(buf);
}

static PyObject *
posix_getcwd(PyObject *self, PyObject *unused)
{
    return posix_getcwd_common(0);
}

static PyObject *
posix_getcwdb(PyObject *self, PyObject *unused)
{
    return posix_getcwd_common(1);
}

/* Defines a one-path function calling CALL(path) -> int (-1 on error). */
#define POSIX_PATH_FUNC(NAME, CALL)                                     \
    static PyObject *                                                   \
    posix_##NAME(PyObject *self, PyObject *arg)                         \
    {                                                                   \
        _PyPosix_Path p;                                                \
        if (posix_path_init(&p, arg, #NAME, "path") < 0) {              \
            return NULL;                                                \
        }                                                               \
        int rc;                                                         \
        Py_BEGIN_ALLOW_THREADS                                          \
        rc = CALL(PATH_C(&p));                                          \
        Py_END_ALLOW_THREADS                                            \
        if (rc < 0) {                                                   \
            posix_error_path(&p);                                       \
            posix_path_clear(&p);                                       \
            return NULL;                                                \
        }                                                               \
        posix_path_clear(&p);                                           \
        Py_RETURN_NONE;                                                 \
    }

POSIX_PATH_FUNC(chdir, chdir)
POSIX_PATH_FUNC(rmdir, rmdir)
POSIX_PATH_FUNC(unlink, unlink)
POSIX_PATH_FUNC(remove, unlink)

/* mkdir(path, mode=0o777); None. */
static PyObject *
posix_mkdir(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int mode = 0777;
    if (!PyArg_ParseTuple(args, "O|i:mkdir", &obj, &mode)) {
        return NULL;
    }
    _PyPosix_Path p;
    if (posix_path_init(&p, obj, "mkdir", "path") < 0) {
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = mkdir(PATH_C(&p), (mode_t)mode);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        posix_error_path(&p);
        posix_path_clear(&p);
        return NULL;
    }
    posix_path_clear(&p);
    Py_RETURN_NONE;
}

/* rename(src, dst) / replace(src, dst): None; errors name both paths. */
static PyObject *
posix_rename_common(PyObject *args, const char *fmt, const char *func)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, fmt, &a, &b)) {
        return NULL;
    }
    _PyPosix_Path src, dst;
    if (posix_path_init(&src, a, func, "src") < 0) {
        return NULL;
    }
    if (posix_path_init(&dst, b, func, "dst") < 0) {
        posix_path_clear(&src);
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rename(PATH_C(&src), PATH_C(&dst));
    Py_END_ALLOW_THREADS
    PyObject *res = Py_None;
    if (rc < 0) {
        PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, a, b);
        res = NULL;
    }
    posix_path_clear(&src);
    posix_path_clear(&dst);
    return res;
}

static PyObject *
posix_rename(PyObject *self, PyObject *args)
{
    return posix_rename_common(args, "OO:rename", "rename");
}

static PyObject *
posix_replace(PyObject *self, PyObject *args)
{
    return posix_rename_common(args, "OO:replace", "replace");
}

/* listdir(path='.'): names as str (bytes for a bytes path), without
   '.' and '..'; a new list. */
static PyObject *
posix_listdir(PyObject *self, PyObject *args)
{
    PyObject *obj = NULL;
    if (!PyArg_ParseTuple(args, "|O:listdir", &obj)) {
        return NULL;
    }
    _PyPosix_Path p = {NULL, NULL, 0};
    const char *cpath = ".";
    if (obj != NULL && obj != Py_None) {
        if (posix_path_init(&p, obj, "listdir", "path") < 0) {
            return NULL;
        }
        cpath = PATH_C(&p);
    }
    DIR *dir;
    Py_BEGIN_ALLOW_THREADS
    dir = opendir(cpath);
    Py_END_ALLOW_THREADS
    if (dir == NULL) {
        if (p.obj != NULL) {
            posix_error_path(&p);
        }
        else {
            PyObject *dot = PyUnicode_FromString(".");
            if (dot != NULL) {
                PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, dot);
                Py_DECREF(dot);
            }
        }
        posix_path_clear(&p);
        return NULL;
    }
    PyObject *list = PyList_New(0);
    while (list != NULL) {
        struct dirent *ent;
        errno = 0;
        Py_BEGIN_ALLOW_THREADS
        ent = readdir(dir);
        Py_END_ALLOW_THREADS
        if (ent == NULL) {
            if (errno != 0) {
                Py_CLEAR(list);
                posix_error_path(&p);
            }
            break;
        }
        const char *n = ent->d_name;
        if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) {
            continue;
        }
        PyObject *item = p.is_bytes
            ? PyBytes_FromStringAndSize(n, (Py_ssize_t)strlen(n))
            : PyUnicode_DecodeFSDefault(n);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
    }
    closedir(dir);
    posix_path_clear(&p);
    return list;
}

/* access(path, mode): bool. */
static PyObject *
posix_access(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int mode;
    if (!PyArg_ParseTuple(args, "Oi:access", &obj, &mode)) {
        return NULL;
    }
    _PyPosix_Path p;
    if (posix_path_init(&p, obj, "access", "path") < 0) {
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = access(PATH_C(&p), mode);
    Py_END_ALLOW_THREADS
    posix_path_clear(&p);
    return PyBool_FromLong(rc == 0);
}

/* umask(mask): the previous mask. */
static PyObject *
posix_umask(PyObject *self, PyObject *args)
{
    int mask;
    if (!PyArg_ParseTuple(args, "i:umask", &mask)) {
        return NULL;
    }
    return PyLong_FromLong((long)umask((mode_t)mask));
}

/* open(path, flags, mode=0o777): a new file descriptor, non-inheritable
   as in 3.11 (O_CLOEXEC); retries on EINTR. */
static PyObject *
posix_open(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int flags, mode = 0777;
    if (!PyArg_ParseTuple(args, "Oi|i:open", &obj, &flags, &mode)) {
        return NULL;
    }
    _PyPosix_Path p;
    if (posix_path_init(&p, obj, "open", "path") < 0) {
        return NULL;
    }
    int fd;
    do {
        Py_BEGIN_ALLOW_THREADS
        fd = open(PATH_C(&p), flags | O_CLOEXEC, mode);
        Py_END_ALLOW_THREADS
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        posix_error_path(&p);
        posix_path_clear(&p);
        return NULL;
    }
    posix_path_clear(&p);
    return PyLong_FromLong(fd);
}

/* close(fd): None. */
static PyObject *
posix_close(PyObject *self, PyObject *args)
{
    int fd;
    if (!PyArg_ParseTuple(args, "i:close", &fd)) {
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = close(fd);
    Py_END_ALLOW_THREADS
    if (rc < 0 && errno != EINTR) {
        return posix_error();
    }
    Py_RETURN_NONE;
}

/* read(fd, n): at most n bytes; a new bytes object. */
static PyObject *
posix_read(PyObject *self, PyObject *args)
{
    int fd;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "in:read", &fd, &n)) {
        return NULL;
    }
    if (n < 0) {
        errno = EINVAL;
        return posix_error();
    }
    char *buf = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    ssize_t got;
    do {
        Py_BEGIN_ALLOW_THREADS
        got = read(fd, buf, (size_t)n);
        Py_END_ALLOW_THREADS
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        PyMem_Free(buf);
        return posix_error();
    }
    PyObject *res = PyBytes_FromStringAndSize(buf, got);
    PyMem_Free(buf);
    return res;
}

/* write(fd, data): the number of bytes written. */
static PyObject *
posix_write(PyObject *self, PyObject *args)
{
    int fd;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "iy*:write", &fd, &view)) {
        return NULL;
    }
    ssize_t done;
    do {
        Py_BEGIN_ALLOW_THREADS
        done = write(fd, view.buf, (size_t)view.len);
        Py_END_ALLOW_THREADS
    } while (done < 0 && errno == EINTR);
    PyBuffer_Release(&view);
    if (done < 0) {
        return posix_error();
    }
    return PyLong_FromSsize_t(done);
}

/* lseek(fd, pos, how): the new position. */
static PyObject *
posix_lseek(PyObject *self, PyObject *args)
{
    int fd, how;
    long long pos;
    if (!PyArg_ParseTuple(args, "iLi:lseek", &fd, &pos, &how)) {
        return NULL;
    }
    off_t res;
    Py_BEGIN_ALLOW_THREADS
    res = lseek(fd, (off_t)pos, how);
    Py_END_ALLOW_THREADS
    if (res < 0) {
        return posix_error();
    }
    return PyLong_FromLongLong((long long)res);
}

/* isatty(fd): bool. */
static PyObject *
posix_isatty(PyObject *self, PyObject *args)
{
    int fd;
    if (!PyArg_ParseTuple(args, "i:isatty", &fd)) {
        return NULL;
    }
    return PyBool_FromLong(isatty(fd));
}

/* dup(fd): a new non-inheritable descriptor. */
static PyObject *
posix_dup(PyObject *self, PyObject *args)
{
    int fd;
    if (!PyArg_ParseTuple(args, "i:dup", &fd)) {
        return NULL;
    }
    int res = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (res < 0) {
        return posix_error();
    }
    return PyLong_FromLong(res);
}

/* dup2(fd, fd2, inheritable=True): fd2. */
static PyObject *
posix_dup2(PyObject *self, PyObject *args)
{
    int fd, fd2, inheritable = 1;
    if (!PyArg_ParseTuple(args, "ii|p:dup2", &fd, &fd2, &inheritable)) {
        return NULL;
    }
    int res;
    Py_BEGIN_ALLOW_THREADS
    res = dup3(fd, fd2, inheritable ? 0 : O_CLOEXEC);
    if (res < 0 && errno == EINVAL && fd == fd2) {
        res = fcntl(fd, F_GETFD) < 0 ? -1 : fd2;
    }
    Py_END_ALLOW_THREADS
    if (res < 0) {
        return posix_error();
    }
    return PyLong_FromLong(res);
}

/* pipe(): (read_fd, write_fd), both non-inheritable. */
static PyObject *
posix_pipe(PyObject *self, PyObject *unused)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return posix_error();
    }
    return Py_BuildValue("(ii)", fds[0], fds[1]);
}

/* fsync(fd): None. */
static PyObject *
posix_fsync(PyObject *self, PyObject *args)
{
    int fd;
    if (!PyArg_ParseTuple(args, "i:fsync", &fd)) {
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = fsync(fd);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        return posix_error();
    }
    Py_RETURN_NONE;
}

static PyObject *
posix_getpid(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong((long)getpid());
}

static PyObject *
posix_getppid(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong((long)getppid());
}

/* kill(pid, sig): None. */
static PyObject *
posix_kill(PyObject *self, PyObject *args)
{
    int pid, sig;
    if (!PyArg_ParseTuple(args, "ii:kill", &pid, &sig)) {
        return NULL;
    }
    if (kill((pid_t)pid, sig) < 0) {
        return posix_error();
    }
    Py_RETURN_NONE;
}

/* strerror(code): the message as str. */
static PyObject *
posix_strerror(PyObject *self, PyObject *args)
{
    int code;
    if (!PyArg_ParseTuple(args, "i:strerror", &code)) {
        return NULL;
    }
    char buf[256];
    const char *msg = strerror_r(code, buf, sizeof(buf));
    return PyUnicode_DecodeFSDefault(msg);
}

/* Converts an environment key or value (str or bytes) to new bytes. */
static PyObject *
posix_env_bytes(PyObject *obj, const char *what)
{
    PyObject *b;
    if (PyBytes_Check(obj)) {
        b = Py_NewRef(obj);
    }
    else if (PyUnicode_Check(obj)) {
        b = PyUnicode_EncodeFSDefault(obj);
        if (b == NULL) {
            return NULL;
        }
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "%s: expected str, bytes or os.PathLike object, "
                     "not %.200s", what, Py_TYPE(obj)->tp_name);
        return NULL;
    }
    if ((size_t)PyBytes_GET_SIZE(b) != strlen(PyBytes_AS_STRING(b))) {
        Py_DECREF(b);
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    return b;
}

/* putenv(name, value): None. */
static PyObject *
posix_putenv(PyObject *self, PyObject *args)
{
    PyObject *name, *value;
    if (!PyArg_ParseTuple(args, "OO:putenv", &name, &value)) {
        return NULL;
    }
    PyObject *n = posix_env_bytes(name, "putenv");
    if (n == NULL) {
        return NULL;
    }
    PyObject *v = posix_env_bytes(value, "putenv");
    if (v == NULL) {
        Py_DECREF(n);
        return NULL;
    }
    const char *cn = PyBytes_AS_STRING(n);
    int rc = -1;
    if (cn[0] == '\0' || strchr(cn, '=') != NULL) {
        PyErr_SetString(PyExc_ValueError, "illegal environment variable name");
    }
    else if (setenv(cn, PyBytes_AS_STRING(v), 1) < 0) {
        posix_error();
    }
    else {
        rc = 0;
    }
    Py_DECREF(n);
    Py_DECREF(v);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* unsetenv(name): None. */
static PyObject *
posix_unsetenv(PyObject *self, PyObject *name)
{
    PyObject *n = posix_env_bytes(name, "unsetenv");
    if (n == NULL) {
        return NULL;
    }
    const char *cn = PyBytes_AS_STRING(n);
    int rc = -1;
    if (cn[0] == '\0' || strchr(cn, '=') != NULL) {
        PyErr_SetString(PyExc_ValueError, "illegal environment variable name");
    }
    else if (unsetenv(cn) < 0) {
        posix_error();
    }
    else {
        rc = 0;
    }
    Py_DECREF(n);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* urandom(size): size random bytes from getrandom(2). */
static PyObject *
posix_urandom(PyObject *self, PyObject *args)
{
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "n:urandom", &size)) {
        return NULL;
    }
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "negative argument not allowed");
        return NULL;
    }
    char *buf = PyMem_Malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t done = 0;
    while (done < size) {
        ssize_t got;
        Py_BEGIN_ALLOW_THREADS
        got = getrandom(buf + done, (size_t)(size - done), 0);
        Py_END_ALLOW_THREADS
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            PyMem_Free(buf);
            return posix_error();
        }
        done += got;
    }
    PyObject *res = PyBytes_FromStringAndSize(buf, size);
    PyMem_Free(buf);
    return res;
}

/* cpu_count(): online processors, or None. */
static PyObject *
posix_cpu_count(PyObject *self, PyObject *unused)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        Py_RETURN_NONE;
    }
    return PyLong_FromLong(n);
}

/* _exit(status): exits the process at once, without cleanup. */
static PyObject *
posix__exit(PyObject *self, PyObject *args)
{
    int status;
    if (!PyArg_ParseTuple(args, "i:_exit", &status)) {
        return NULL;
    }
    _exit(status);
}

/* The wait-status macros: int -> int or bool. */
#define POSIX_WAIT_MACRO(NAME, EXPR, MAKE)                              \
    static PyObject *                                                   \
    posix_##NAME(PyObject *self, PyObject *args)                        \
    {                                                                   \
        int status;                                                     \
        if (!PyArg_ParseTuple(args, "i:" #NAME, &status)) {             \
            return NULL;                                                \
        }                                                               \
        return MAKE(EXPR(status));                                      \
    }

POSIX_WAIT_MACRO(WIFEXITED, WIFEXITED, PyBool_FromLong)
POSIX_WAIT_MACRO(WEXITSTATUS, WEXITSTATUS, PyLong_FromLong)
POSIX_WAIT_MACRO(WIFSIGNALED, WIFSIGNALED, PyBool_FromLong)
POSIX_WAIT_MACRO(WTERMSIG, WTERMSIG, PyLong_FromLong)
POSIX_WAIT_MACRO(WIFSTOPPED, WIFSTOPPED, PyBool_FromLong)
POSIX_WAIT_MACRO(WSTOPSIG, WSTOPSIG, PyLong_FromLong)
POSIX_WAIT_MACRO(WCOREDUMP, WCOREDUMP, PyBool_FromLong)
POSIX_WAIT_MACRO(WIFCONTINUED, WIFCONTINUED, PyBool_FromLong)

#define F_ARGS(name) (PyCFunction)(void (*)(void))posix_##name, METH_VARARGS
#define F_NOARGS(name) posix_##name, METH_NOARGS
#define F_O(name) posix_##name, METH_O

static PyMethodDef posix_methods[] = {
    {"fspath", F_O(fspath), "Return the file system path representation "
     "of the object."},
    {"getcwd", F_NOARGS(getcwd), "Return a unicode string representing "
     "the current working directory."},
    {"getcwdb", F_NOARGS(getcwdb), "Return a bytes string representing "
     "the current working directory."},
    {"chdir", F_O(chdir), "Change the current working directory."},
    {"rmdir", F_O(rmdir), "Remove a directory."},
    {"unlink", F_O(unlink), "Remove a file (same as remove())."},
    {"remove", F_O(remove), "Remove a file (same as unlink())."},
    {"mkdir", F_ARGS(mkdir), "Create a directory."},
    {"rename", F_ARGS(rename), "Rename a file or directory."},
    {"replace", F_ARGS(replace), "Rename a file or directory, overwriting "
     "the destination."},
    {"listdir", F_ARGS(listdir), "Return a list containing the names of "
     "the files in the directory."},
    {"access", F_ARGS(access), "Use the real uid/gid to test for access "
     "to a path."},
    {"umask", F_ARGS(umask), "Set the current numeric umask and return "
     "the previous umask."},
    {"open", F_ARGS(open), "Open a file for low level IO."},
    {"close", F_ARGS(close), "Close a file descriptor."},
    {"read", F_ARGS(read), "Read from a file descriptor."},
    {"write", F_ARGS(write), "Write a bytes object to a file descriptor."},
    {"lseek", F_ARGS(lseek), "Set the position of a file descriptor."},
    {"isatty", F_ARGS(isatty), "Return True if the fd is connected to a "
     "terminal."},
    {"dup", F_ARGS(dup), "Return a duplicate of a file descriptor."},
    {"dup2", F_ARGS(dup2), "Duplicate file descriptor."},
    {"pipe", F_NOARGS(pipe), "Create a pipe."},
    {"fsync", F_ARGS(fsync), "Force write of fd to disk."},
    {"getpid", F_NOARGS(getpid), "Return the current process id."},
    {"getppid", F_NOARGS(getppid), "Return the parent's process id."},
    {"kill", F_ARGS(kill), "Kill a process with a signal."},
    {"strerror", F_ARGS(strerror), "Translate an error code to a message "
     "string."},
    {"putenv", F_ARGS(putenv), "Change or add an environment variable."},
    {"unsetenv", F_O(unsetenv), "Delete an environment variable."},
    {"urandom", F_ARGS(urandom), "Return a bytes object containing random "
     "bytes suitable for cryptographic use."},
    {"cpu_count", F_NOARGS(cpu_count), "Return the number of CPUs in the "
     "system; return None if indeterminable."},
    {"_exit", F_ARGS(_exit), "Exit to the system with specified status, "
     "without normal exit processing."},
    {"WIFEXITED", F_ARGS(WIFEXITED), "Return True if the process returning "
     "status exited via the exit() system call."},
    {"WEXITSTATUS", F_ARGS(WEXITSTATUS), "Return the process return code "
     "from status."},
    {"WIFSIGNALED", F_ARGS(WIFSIGNALED), "Return True if the process "
     "returning status was terminated by a signal."},
    {"WTERMSIG", F_ARGS(WTERMSIG), "Return the signal that terminated the "
     "process that provided the status value."},
    {"WIFSTOPPED", F_ARGS(WIFSTOPPED), "Return True if the process "
     "returning status was stopped."},
    {"WSTOPSIG", F_ARGS(WSTOPSIG), "Return the signal that stopped the "
     "process that provided the status value."},
    {"WCOREDUMP", F_ARGS(WCOREDUMP), "Return True if the process returning "
     "status was dumped to a core file."},
    {"WIFCONTINUED", F_ARGS(WIFCONTINUED), "Return True if a particular "
     "process was continued from a job control stop."},
    {NULL, NULL, 0, NULL},
};

typedef struct {
    const char *name;
    long value;
} _PyPosix_Const;

static const _PyPosix_Const posix_constants[] = {
    {"F_OK", F_OK}, {"R_OK", R_OK}, {"W_OK", W_OK}, {"X_OK", X_OK},
    {"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR},
    {"O_APPEND", O_APPEND}, {"O_CREAT", O_CREAT}, {"O_EXCL", O_EXCL},
    {"O_TRUNC", O_TRUNC}, {"O_NONBLOCK", O_NONBLOCK},
    {"O_NDELAY", O_NDELAY}, {"O_SYNC", O_SYNC}, {"O_DSYNC", O_DSYNC},
    {"O_NOCTTY", O_NOCTTY}, {"O_CLOEXEC", O_CLOEXEC},
    {"O_DIRECTORY", O_DIRECTORY}, {"O_NOFOLLOW", O_NOFOLLOW},
    {"O_ACCMODE", O_ACCMODE}, {"O_ASYNC", O_ASYNC}, {"O_DIRECT", O_DIRECT},
    {"O_LARGEFILE", O_LARGEFILE}, {"O_NOATIME", O_NOATIME},
    {"O_PATH", O_PATH}, {"O_TMPFILE", O_TMPFILE}, {"O_RSYNC", O_RSYNC},
    {"SEEK_DATA", SEEK_DATA}, {"SEEK_HOLE", SEEK_HOLE},
    {"WNOHANG", WNOHANG}, {"WUNTRACED", WUNTRACED},
    {"WCONTINUED", WCONTINUED}, {"WEXITED", WEXITED},
    {"WSTOPPED", WSTOPPED}, {"WNOWAIT", WNOWAIT},
    {"EX_OK", 0},
    {NULL, 0},
};

/* Builds posix.environ: a dict of bytes -> bytes from the C environment
   (entries without '=' are skipped, the first of duplicate keys wins). */
static PyObject *
posix_build_environ(void)
{
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL) {
            continue;
        }
        PyObject *k = PyBytes_FromStringAndSize(*e, eq - *e);
        PyObject *v = PyBytes_FromString(eq + 1);
        int rc = -1;
        if (k != NULL && v != NULL) {
            rc = PyDict_SetDefault(d, k, v) == NULL ? -1 : 0;
        }
        Py_XDECREF(k);
        Py_XDECREF(v);
        if (rc < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

static struct PyModuleDef posix_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "posix",
    .m_doc = "This module provides access to operating system functionality "
             "that is\nstandardized by the C Standard and the POSIX standard "
             "(a thinly\ndisguised Unix interface).  Refer to the library "
             "manual and\ncorresponding Unix manual entries for more "
             "information on calls.",
    .m_size = 0,
    .m_methods = posix_methods,
};

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit_posix(void)
{
    PyObject *mod = PyModule_Create(&posix_module);
    if (mod == NULL) {
        return NULL;
    }
    for (const _PyPosix_Const *c = posix_constants; c->name != NULL; c++) {
        if (PyModule_AddIntConstant(mod, c->name, c->value) < 0) {
            goto error;
        }
    }
    PyObject *env = posix_build_environ();
    if (env == NULL || PyModule_AddObject(mod, "environ", env) < 0) {
        Py_XDECREF(env);
        goto error;
    }
    /* No dir_fd / fd / follow_symlinks variants yet: os.py's supports_*
       sets stay empty. */
    PyObject *have = PyList_New(0);
    if (have == NULL || PyModule_AddObject(mod, "_have_functions", have) < 0) {
        Py_XDECREF(have);
        goto error;
    }
    return mod;

error:
    Py_DECREF(mod);
    return NULL;
}
