/* The posix module (the C half of `os`): a first slice.
 *
 * Present: fspath, getcwd/getcwdb, chdir, mkdir, rmdir, unlink/remove,
 * rename/replace, listdir, access, umask, open/close/read/write/lseek,
 * isatty, dup/dup2, pipe, fsync, getpid/getppid, kill, strerror,
 * putenv/unsetenv, environ (bytes keys and values), urandom, cpu_count,
 * _exit, the WIFEXITED/WEXITSTATUS... macros, O_* / SEEK_* / F_OK... and
 * _have_functions, stat/lstat/fstat (stat_result), statvfs/fstatvfs,
 * uname, times, get_terminal_size and scandir/DirEntry (their thread
 * safety is described above their code).  Missing: fork/exec, the
 * dir_fd/follow_symlinks keywords except on stat.
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
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "structmember.h"
#include "pycore_object.h"

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
        /* Only a missing __fspath__ is reworded; a bad __fspath__ result
           keeps its own message, as in 3.11. */
        if (PyErr_ExceptionMatches(PyExc_TypeError) &&
            !PyObject_HasAttrString((PyObject *)Py_TYPE(obj),
                                    "__fspath__")) {
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

/* ---------------------------------------------------------------- stat
 *
 * The result types are struct sequences finished once during the first
 * import of posix (imports of a module are serialised) and immutable
 * afterwards; their instances are immutable too. */

static PyStructSequence_Field stat_result_fields[] = {
    {"st_mode", "protection bits"},
    {"st_ino", "inode"},
    {"st_dev", "device"},
    {"st_nlink", "number of hard links"},
    {"st_uid", "user ID of owner"},
    {"st_gid", "group ID of owner"},
    {"st_size", "total size, in bytes"},
    /* The integer times, items 7..9: renamed PyStructSequence_UnnamedField
       (not a constant expression) before the type is made. */
    {"", "integer time of last access"},
    {"", "integer time of last modification"},
    {"", "integer time of last change"},
    {"st_atime", "time of last access"},
    {"st_mtime", "time of last modification"},
    {"st_ctime", "time of last change"},
    {"st_atime_ns", "time of last access in nanoseconds"},
    {"st_mtime_ns", "time of last modification in nanoseconds"},
    {"st_ctime_ns", "time of last change in nanoseconds"},
    {"st_blksize", "blocksize for filesystem I/O"},
    {"st_blocks", "number of blocks allocated"},
    {"st_rdev", "device type (if inode device)"},
    {NULL, NULL}
};

#define STAT_N_FIELDS 19
#define STAT_INT_TIMES 7        /* index of the integer atime */
#define STAT_FLOAT_TIMES 10     /* index of st_atime */

static PyStructSequence_Desc stat_result_desc = {
    "os.stat_result",
    "stat_result: Result from stat, fstat, or lstat.\n\n"
    "A tuple of\n"
    "  (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime)\n"
    "whose items are also the attributes st_mode, st_ino, ...; the float\n"
    "and nanosecond times, st_blksize, st_blocks and st_rdev are\n"
    "attributes only.\n\nSee os.stat for more information.",
    stat_result_fields,
    10
};

static PyStructSequence_Field statvfs_result_fields[] = {
    {"f_bsize", NULL}, {"f_frsize", NULL}, {"f_blocks", NULL},
    {"f_bfree", NULL}, {"f_bavail", NULL}, {"f_files", NULL},
    {"f_ffree", NULL}, {"f_favail", NULL}, {"f_flag", NULL},
    {"f_namemax", NULL}, {"f_fsid", NULL},
    {NULL, NULL}
};

static PyStructSequence_Desc statvfs_result_desc = {
    "os.statvfs_result",
    "statvfs_result: Result from statvfs or fstatvfs.\n\n"
    "A tuple of\n"
    "  (bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag,\n"
    "   namemax)\n"
    "whose items are also the attributes f_bsize, f_frsize, ...; f_fsid\n"
    "is an attribute only.\n\nSee os.statvfs for more information.",
    statvfs_result_fields,
    10
};

static PyStructSequence_Field uname_result_fields[] = {
    {"sysname", "operating system name"},
    {"nodename", "name of machine on network (implementation-defined)"},
    {"release", "operating system release"},
    {"version", "operating system version"},
    {"machine", "hardware identifier"},
    {NULL, NULL}
};

static PyStructSequence_Desc uname_result_desc = {
    "posix.uname_result",
    "uname_result: Result from os.uname().\n\n"
    "A tuple of (sysname, nodename, release, version, machine), also\n"
    "available as attributes of those names.\n\n"
    "See os.uname for more information.",
    uname_result_fields,
    5
};

static PyStructSequence_Field times_result_fields[] = {
    {"user", "user time"},
    {"system", "system time"},
    {"children_user", "user time of children"},
    {"children_system", "system time of children"},
    {"elapsed", "elapsed time since an arbitrary point in the past"},
    {NULL, NULL}
};

static PyStructSequence_Desc times_result_desc = {
    "posix.times_result",
    "times_result: Result from os.times().\n\n"
    "A tuple of (user, system, children_user, children_system, elapsed),\n"
    "also available as attributes of those names.\n\n"
    "See os.times for more information.",
    times_result_fields,
    5
};

static PyStructSequence_Field terminal_size_fields[] = {
    {"columns", "width of the terminal window in characters"},
    {"lines", "height of the terminal window in characters"},
    {NULL, NULL}
};

static PyStructSequence_Desc terminal_size_desc = {
    "os.terminal_size",
    "A tuple of (columns, lines) for holding terminal window size",
    terminal_size_fields,
    2
};

static PyTypeObject StatResultType;
static PyTypeObject StatVFSResultType;
static PyTypeObject UnameResultType;
static PyTypeObject TimesResultType;
static PyTypeObject TerminalSizeType;

/* The struct-sequence constructor of stat_result, saved before it is
   wrapped by statresult_new; written once at the first import. */
static newfunc structseq_new;

/* stat_result(seq[, dict]): as any struct sequence, then the float times
   default to the integer ones, as in CPython. */
static PyObject *
statresult_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *res = structseq_new(type, args, kwds);
    if (res == NULL) {
        return NULL;
    }
    for (int i = 0; i < 3; i++) {
        PyObject **slot = &((PyTupleObject *)res)->ob_item[
            STAT_FLOAT_TIMES + i];
        if (*slot == Py_None) {
            PyObject *v = PyStructSequence_GET_ITEM(res, STAT_INT_TIMES + i);
            Py_SETREF(*slot, Py_NewRef(v));
        }
    }
    return res;
}

/* Sets the three forms of one time (integer item, float and nanosecond
   attributes) of the new stat_result V; -1 on error. */
static int
fill_time(PyObject *v, int index, time_t sec, long nsec)
{
    PyObject *s = PyLong_FromLongLong((long long)sec);
    PyObject *f = PyFloat_FromDouble((double)sec + (double)nsec * 1e-9);
    PyObject *billion = PyLong_FromLong(1000000000L);
    PyObject *ns = NULL;
    if (s != NULL && billion != NULL) {
        PyObject *prod = PyNumber_Multiply(s, billion);
        PyObject *n = PyLong_FromLong(nsec);
        if (prod != NULL && n != NULL) {
            ns = PyNumber_Add(prod, n);
        }
        Py_XDECREF(prod);
        Py_XDECREF(n);
    }
    Py_XDECREF(billion);
    if (s == NULL || f == NULL || ns == NULL) {
        Py_XDECREF(s);
        Py_XDECREF(f);
        Py_XDECREF(ns);
        return -1;
    }
    PyStructSequence_SET_ITEM(v, STAT_INT_TIMES + index, s);
    PyStructSequence_SET_ITEM(v, STAT_FLOAT_TIMES + index, f);
    PyStructSequence_SET_ITEM(v, STAT_FLOAT_TIMES + 3 + index, ns);
    return 0;
}

/* New reference: the stat_result of ST. */
static PyObject *
stat_result_from_stat(const struct stat *st)
{
    PyObject *v = PyStructSequence_New(&StatResultType);
    if (v == NULL) {
        return NULL;
    }
    PyObject *items[] = {
        PyLong_FromLong((long)st->st_mode),
        PyLong_FromUnsignedLongLong((unsigned long long)st->st_ino),
        PyLong_FromUnsignedLongLong((unsigned long long)st->st_dev),
        PyLong_FromLong((long)st->st_nlink),
        PyLong_FromLong((long)st->st_uid),
        PyLong_FromLong((long)st->st_gid),
        PyLong_FromLongLong((long long)st->st_size),
    };
    int err = 0;
    for (int i = 0; i < 7; i++) {
        if (items[i] == NULL) {
            err = 1;
        }
        PyStructSequence_SET_ITEM(v, i, items[i]);
    }
    PyObject *tail[] = {
        PyLong_FromLong((long)st->st_blksize),
        PyLong_FromLongLong((long long)st->st_blocks),
        PyLong_FromUnsignedLongLong((unsigned long long)st->st_rdev),
    };
    for (int i = 0; i < 3; i++) {
        if (tail[i] == NULL) {
            err = 1;
        }
        PyStructSequence_SET_ITEM(v, 16 + i, tail[i]);
    }
    if (err ||
        fill_time(v, 0, st->st_atim.tv_sec, st->st_atim.tv_nsec) < 0 ||
        fill_time(v, 1, st->st_mtim.tv_sec, st->st_mtim.tv_nsec) < 0 ||
        fill_time(v, 2, st->st_ctim.tv_sec, st->st_ctim.tv_nsec) < 0) {
        Py_DECREF(v);
        return NULL;
    }
    return v;
}

/* A path argument that may also be an open file descriptor (fd >= 0
   when it is one; then path.bytes is NULL). */
typedef struct {
    _PyPosix_Path path;
    int fd;
} path_or_fd;

/* Converts an fd argument (int or __index__); -1 with an error. */
static int
fd_converter(PyObject *obj, int *fd)
{
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "fd is greater than maximum");
        return -1;
    }
    if (v < INT_MIN) {
        PyErr_SetString(PyExc_OverflowError, "fd is less than minimum");
        return -1;
    }
    *fd = (int)v;
    return 0;
}

/* Fills *p from a str, bytes, PathLike or (when ALLOW_FD) an integer
   file descriptor; 0 or -1 with the 3.11 error for FUNC. */
static int
path_or_fd_init(path_or_fd *p, PyObject *obj, const char *func,
                int allow_fd)
{
    p->fd = -1;
    p->path.obj = obj;
    p->path.bytes = NULL;
    p->path.is_bytes = 0;
    if (allow_fd && !PyUnicode_Check(obj) && !PyBytes_Check(obj) &&
        PyIndex_Check(obj)) {
        return fd_converter(obj, &p->fd);
    }
    if (posix_path_init(&p->path, obj, func, "path") == 0) {
        return 0;
    }
    if (allow_fd && PyErr_ExceptionMatches(PyExc_TypeError) &&
        !PyObject_HasAttrString((PyObject *)Py_TYPE(obj), "__fspath__")) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s: path should be string, bytes, "
                     "os.PathLike or integer, not %.200s", func,
                     Py_TYPE(obj)->tp_name);
    }
    return -1;
}

static void
path_or_fd_clear(path_or_fd *p)
{
    posix_path_clear(&p->path);
}

/* Converts a dir_fd argument: None is AT_FDCWD. */
static int
dir_fd_converter(PyObject *obj, int *dir_fd)
{
    if (obj == NULL || obj == Py_None) {
        *dir_fd = AT_FDCWD;
        return 0;
    }
    if (!PyIndex_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "argument should be integer or None, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    return fd_converter(obj, dir_fd);
}

/* Raises the OSError of a failed call on P, naming the caller's path or
   fd object (none when the call took a bare fd, as fstat does). */
static PyObject *
path_or_fd_error(path_or_fd *p)
{
    if (p->path.obj == NULL) {
        return posix_error();
    }
    return posix_error_path(&p->path);
}

/* The 3.11 error for extra positional arguments before keyword-only
   ones; 0 when ARGS has at most one item. */
static int
check_one_positional(const char *func, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) > 1) {
        PyErr_Format(PyExc_TypeError, "%s() takes exactly 1 positional "
                     "argument (%zd given)", func, PyTuple_GET_SIZE(args));
        return -1;
    }
    return 0;
}

/* stat/lstat on P relative to DIR_FD; new stat_result or NULL. */
static PyObject *
do_stat(const char *func, path_or_fd *p, int dir_fd, int follow)
{
    struct stat st;
    int rc;
    if (p->fd >= 0 && dir_fd != AT_FDCWD) {
        PyErr_Format(PyExc_ValueError,
                     "%s: can't specify dir_fd without matching path", func);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (p->fd >= 0) {
        rc = fstat(p->fd, &st);
    }
    else {
        rc = fstatat(dir_fd, PATH_C(&p->path), &st,
                     follow ? 0 : AT_SYMLINK_NOFOLLOW);
    }
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        return path_or_fd_error(p);
    }
    return stat_result_from_stat(&st);
}

/* stat(path, *, dir_fd=None, follow_symlinks=True) */
static PyObject *
posix_stat(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", "dir_fd", "follow_symlinks", NULL};
    PyObject *obj, *odir = Py_None;
    int follow = 1, dir_fd;
    path_or_fd p;
    if (check_one_positional("stat", args) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|$Op:stat", kwlist,
                                     &obj, &odir, &follow) ||
        dir_fd_converter(odir, &dir_fd) < 0 ||
        path_or_fd_init(&p, obj, "stat", 1) < 0) {
        return NULL;
    }
    PyObject *res = do_stat("stat", &p, dir_fd, follow);
    path_or_fd_clear(&p);
    return res;
}

/* lstat(path, *, dir_fd=None) */
static PyObject *
posix_lstat(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", "dir_fd", NULL};
    PyObject *obj, *odir = Py_None;
    int dir_fd;
    path_or_fd p;
    if (check_one_positional("lstat", args) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:lstat", kwlist,
                                     &obj, &odir) ||
        dir_fd_converter(odir, &dir_fd) < 0 ||
        path_or_fd_init(&p, obj, "lstat", 0) < 0) {
        return NULL;
    }
    PyObject *res = do_stat("lstat", &p, dir_fd, 0);
    path_or_fd_clear(&p);
    return res;
}

/* fstat(fd) */
static PyObject *
posix_fstat(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"fd", NULL};
    int fd;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:fstat", kwlist, &fd)) {
        return NULL;
    }
    path_or_fd p = {{NULL, NULL, 0}, fd};
    return do_stat("fstat", &p, AT_FDCWD, 1);
}

/* New reference: the statvfs_result of ST. */
static PyObject *
statvfs_result_from(const struct statvfs *st)
{
    PyObject *v = PyStructSequence_New(&StatVFSResultType);
    if (v == NULL) {
        return NULL;
    }
    const unsigned long long f[11] = {
        st->f_bsize, st->f_frsize, st->f_blocks, st->f_bfree, st->f_bavail,
        st->f_files, st->f_ffree, st->f_favail, st->f_flag, st->f_namemax,
        st->f_fsid,
    };
    for (int i = 0; i < 11; i++) {
        PyObject *x = PyLong_FromUnsignedLongLong(f[i]);
        if (x == NULL) {
            Py_DECREF(v);
            return NULL;
        }
        PyStructSequence_SET_ITEM(v, i, x);
    }
    return v;
}

/* statvfs(path): path may be an open file descriptor. */
static PyObject *
posix_statvfs(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", NULL};
    PyObject *obj;
    path_or_fd p;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:statvfs", kwlist, &obj) ||
        path_or_fd_init(&p, obj, "statvfs", 1) < 0) {
        return NULL;
    }
    struct statvfs st;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = p.fd >= 0 ? fstatvfs(p.fd, &st) : statvfs(PATH_C(&p.path), &st);
    Py_END_ALLOW_THREADS
    PyObject *res = rc != 0 ? path_or_fd_error(&p) : statvfs_result_from(&st);
    path_or_fd_clear(&p);
    return res;
}

/* fstatvfs(fd) */
static PyObject *
posix_fstatvfs(PyObject *self, PyObject *args)
{
    int fd, rc;
    struct statvfs st;
    if (!PyArg_ParseTuple(args, "i:fstatvfs", &fd)) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = fstatvfs(fd, &st);
    Py_END_ALLOW_THREADS
    return rc != 0 ? posix_error() : statvfs_result_from(&st);
}

/* New reference: an instance of TYPE with the N items ITEMS (stolen;
   NULL items make it fail). */
static PyObject *
make_result(PyTypeObject *type, PyObject **items, int n)
{
    PyObject *v = PyStructSequence_New(type);
    int err = v == NULL;
    for (int i = 0; i < n; i++) {
        if (items[i] == NULL) {
            err = 1;
        }
        if (v != NULL) {
            PyStructSequence_SET_ITEM(v, i, items[i]);
        }
        else {
            Py_XDECREF(items[i]);
        }
    }
    if (err) {
        Py_XDECREF(v);
        return NULL;
    }
    return v;
}

/* uname() -> uname_result */
static PyObject *
posix_uname(PyObject *self, PyObject *unused)
{
    struct utsname u;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = uname(&u);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        return posix_error();
    }
    PyObject *items[5] = {
        PyUnicode_DecodeFSDefault(u.sysname),
        PyUnicode_DecodeFSDefault(u.nodename),
        PyUnicode_DecodeFSDefault(u.release),
        PyUnicode_DecodeFSDefault(u.version),
        PyUnicode_DecodeFSDefault(u.machine),
    };
    return make_result(&UnameResultType, items, 5);
}

/* times() -> times_result of float seconds. */
static PyObject *
posix_times(PyObject *self, PyObject *unused)
{
    struct tms t;
    clock_t c = times(&t);
    if (c == (clock_t)-1) {
        return posix_error();
    }
    double ticks = (double)sysconf(_SC_CLK_TCK);
    PyObject *items[5] = {
        PyFloat_FromDouble((double)t.tms_utime / ticks),
        PyFloat_FromDouble((double)t.tms_stime / ticks),
        PyFloat_FromDouble((double)t.tms_cutime / ticks),
        PyFloat_FromDouble((double)t.tms_cstime / ticks),
        PyFloat_FromDouble((double)c / ticks),
    };
    return make_result(&TimesResultType, items, 5);
}

/* get_terminal_size(fd=1) -> terminal_size(columns, lines) */
static PyObject *
posix_get_terminal_size(PyObject *self, PyObject *args)
{
    int fd = STDOUT_FILENO, rc;
    struct winsize w;
    if (!PyArg_ParseTuple(args, "|i:get_terminal_size", &fd)) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = ioctl(fd, TIOCGWINSZ, &w);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        return posix_error();
    }
    PyObject *items[2] = {
        PyLong_FromLong(w.ws_col), PyLong_FromLong(w.ws_row),
    };
    return make_result(&TerminalSizeType, items, 2);
}

/* Finishes TYPE from DESC once and adds it to MOD under its short name. */
static int
add_result_type(PyObject *mod, PyTypeObject *type,
                PyStructSequence_Desc *desc, const char *name)
{
    if (type->tp_dict == NULL &&
        PyStructSequence_InitType2(type, desc) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(mod, name, (PyObject *)type);
}

/* Adds the struct-sequence result types; stat_result's constructor also
   derives the float times. */
static int
add_result_types(PyObject *mod)
{
    if (StatResultType.tp_dict == NULL) {
        for (int i = 0; i < 3; i++) {
            stat_result_fields[STAT_INT_TIMES + i].name =
                PyStructSequence_UnnamedField;
        }
        if (PyStructSequence_InitType2(&StatResultType,
                                       &stat_result_desc) < 0) {
            return -1;
        }
        structseq_new = StatResultType.tp_new;
        StatResultType.tp_new = statresult_new;
    }
    if (PyModule_AddObjectRef(mod, "stat_result",
                              (PyObject *)&StatResultType) < 0 ||
        add_result_type(mod, &StatVFSResultType, &statvfs_result_desc,
                        "statvfs_result") < 0 ||
        add_result_type(mod, &UnameResultType, &uname_result_desc,
                        "uname_result") < 0 ||
        add_result_type(mod, &TimesResultType, &times_result_desc,
                        "times_result") < 0 ||
        add_result_type(mod, &TerminalSizeType, &terminal_size_desc,
                        "terminal_size") < 0) {
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------- scandir
 *
 * DirEntry: immutable name/path/d_type/inode from readdir, plus two
 * write-once caches (stat and lstat results).  A cache is computed
 * without any lock (a stat call blocks) and published with a CAS; the
 * loser of a race drops its result and uses the winner's.  Published
 * results are only released in dealloc, so readers just incref them.
 *
 * ScandirIterator: the DIR stream is used under the iterator's own
 * PyMutex (readdir is not safe on one stream from two threads, and the
 * call may block, so it cannot run inside a critical section); entries
 * are built after the mutex is released. */

typedef struct {
    PyObject_HEAD
    PyObject *name;         /* str or bytes */
    PyObject *path;         /* str or bytes */
    PyObject *cpath;        /* bytes: the path or the name under dir_fd */
    PyObject *stat;         /* write-once cache, CAS */
    PyObject *lstat;        /* write-once cache, CAS */
    unsigned long long ino;
    unsigned char d_type;
    int dir_fd;             /* the directory's fd, or AT_FDCWD */
} DirEntryObject;

typedef struct {
    PyObject_HEAD
    PyMutex mutex;          /* guards dirp */
    DIR *dirp;              /* NULL once closed */
    PyObject *base;         /* bytes: the directory path with a '/' */
    int is_bytes;
    int fd;                 /* the fd given to scandir(), or -1 */
} ScandirIteratorObject;

static PyTypeObject DirEntryType;
static PyTypeObject ScandirIteratorType;

static void
direntry_dealloc(PyObject *self)
{
    DirEntryObject *e = (DirEntryObject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(e->name);
    Py_XDECREF(e->path);
    Py_XDECREF(e->cpath);
    Py_XDECREF(e->stat);
    Py_XDECREF(e->lstat);
    PyObject_GC_Del(self);
}

static int
direntry_traverse(PyObject *self, visitproc visit, void *arg)
{
    DirEntryObject *e = (DirEntryObject *)self;
    Py_VISIT(e->stat);
    Py_VISIT(e->lstat);
    return 0;
}

/* New reference: the entry's stat (FOLLOW) or lstat result, cached. */
static PyObject *
direntry_fetch_stat(DirEntryObject *e, int follow)
{
    PyObject **slot = follow ? &e->stat : &e->lstat;
    PyObject *cached = _Py_atomic_load_ptr_acquire(slot);
    if (cached != NULL) {
        return Py_NewRef(cached);
    }
    struct stat st;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = fstatat(e->dir_fd, PyBytes_AS_STRING(e->cpath), &st,
                 follow ? 0 : AT_SYMLINK_NOFOLLOW);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        return PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, e->path);
    }
    PyObject *res = stat_result_from_stat(&st);
    if (res == NULL) {
        return NULL;
    }
    _PyObject_SetMaybeWeakref(res);
    PyObject *expected = NULL;
    if (_Py_atomic_compare_exchange_ptr(slot, &expected, res)) {
        return Py_NewRef(res);      /* the slot owns the first reference */
    }
    Py_DECREF(res);
    return Py_NewRef(expected);
}

/* Parses the keyword-only follow_symlinks=True of FUNC. */
static int
parse_follow(PyObject *args, PyObject *kwds, const char *fmt, int *follow)
{
    static char *kwlist[] = {"follow_symlinks", NULL};
    *follow = 1;
    return PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, follow);
}

static PyObject *
direntry_stat(PyObject *self, PyObject *args, PyObject *kwds)
{
    int follow;
    if (!parse_follow(args, kwds, "|$p:stat", &follow)) {
        return NULL;
    }
    DirEntryObject *e = (DirEntryObject *)self;
    if (follow && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN) {
        follow = 0;     /* not a symlink: stat and lstat agree */
    }
    return direntry_fetch_stat(e, follow);
}

/* 1 when the entry is a symlink, 0 if not, -1 on error. */
static int
direntry_test_symlink(DirEntryObject *e)
{
    if (e->d_type != DT_UNKNOWN) {
        return e->d_type == DT_LNK;
    }
    PyObject *st = direntry_fetch_stat(e, 0);
    if (st == NULL) {
        if (PyErr_ExceptionMatches(PyExc_FileNotFoundError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    long mode = PyLong_AsLong(PyStructSequence_GET_ITEM(st, 0));
    Py_DECREF(st);
    return S_ISLNK(mode);
}

/* 1 when the entry's mode matches MODE_BITS (S_IFDIR or S_IFREG), from
   d_type when it tells, else from a (cached) stat. */
static int
direntry_test_mode(DirEntryObject *e, int follow, mode_t mode_bits)
{
    int is_link = e->d_type == DT_LNK;
    if (e->d_type != DT_UNKNOWN && !(follow && is_link)) {
        if (is_link) {
            return 0;
        }
        return mode_bits == S_IFDIR ? e->d_type == DT_DIR
                                    : e->d_type == DT_REG;
    }
    PyObject *st = direntry_fetch_stat(e, follow);
    if (st == NULL) {
        if (PyErr_ExceptionMatches(PyExc_FileNotFoundError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    long mode = PyLong_AsLong(PyStructSequence_GET_ITEM(st, 0));
    Py_DECREF(st);
    return ((mode_t)mode & S_IFMT) == mode_bits;
}

static PyObject *
direntry_is_dir(PyObject *self, PyObject *args, PyObject *kwds)
{
    int follow;
    if (!parse_follow(args, kwds, "|$p:is_dir", &follow)) {
        return NULL;
    }
    int r = direntry_test_mode((DirEntryObject *)self, follow, S_IFDIR);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
direntry_is_file(PyObject *self, PyObject *args, PyObject *kwds)
{
    int follow;
    if (!parse_follow(args, kwds, "|$p:is_file", &follow)) {
        return NULL;
    }
    int r = direntry_test_mode((DirEntryObject *)self, follow, S_IFREG);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
direntry_is_symlink(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    int r = direntry_test_symlink((DirEntryObject *)self);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
direntry_inode(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLongLong(((DirEntryObject *)self)->ino);
}

static PyObject *
direntry_fspath(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(((DirEntryObject *)self)->path);
}

static PyObject *
direntry_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<DirEntry %R>",
                                ((DirEntryObject *)self)->name);
}

static PyMemberDef direntry_members[] = {
    {"name", T_OBJECT_EX, offsetof(DirEntryObject, name), READONLY,
     "the entry's base filename, relative to scandir() \"path\" argument"},
    {"path", T_OBJECT_EX, offsetof(DirEntryObject, path), READONLY,
     "the entry's full path name; equivalent to os.path.join(scandir_path,"
     " entry.name)"},
    {NULL, 0, 0, 0, NULL}
};

static PyMethodDef direntry_methods[] = {
    {"stat", _PyCFunction_CAST(direntry_stat), METH_VARARGS | METH_KEYWORDS,
     "Return stat_result object for the entry; cached per entry."},
    {"is_dir", _PyCFunction_CAST(direntry_is_dir),
     METH_VARARGS | METH_KEYWORDS, "Return True if the entry is a directory;"
     " cached per entry."},
    {"is_file", _PyCFunction_CAST(direntry_is_file),
     METH_VARARGS | METH_KEYWORDS, "Return True if the entry is a file; "
     "cached per entry."},
    {"is_symlink", direntry_is_symlink, METH_NOARGS,
     "Return True if the entry is a symbolic link; cached per entry."},
    {"inode", direntry_inode, METH_NOARGS,
     "Return inode of the entry; cached per entry."},
    {"__fspath__", direntry_fspath, METH_NOARGS,
     "Returns the path for the entry."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject DirEntryType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "posix.DirEntry",
    .tp_basicsize = sizeof(DirEntryObject),
    .tp_dealloc = direntry_dealloc,
    .tp_repr = direntry_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_traverse = direntry_traverse,
    .tp_methods = direntry_methods,
    .tp_members = direntry_members,
};

/* New reference: the DirEntry for NAME (d_name) read from IT. */
static PyObject *
direntry_new(ScandirIteratorObject *it, const char *name,
             unsigned char d_type, unsigned long long ino)
{
    DirEntryObject *e = PyObject_GC_New(DirEntryObject, &DirEntryType);
    if (e == NULL) {
        return NULL;
    }
    e->name = e->path = e->cpath = e->stat = e->lstat = NULL;
    e->ino = ino;
    e->d_type = d_type;
    e->dir_fd = it->fd >= 0 ? it->fd : AT_FDCWD;
    Py_ssize_t nlen = (Py_ssize_t)strlen(name);
    if (it->fd >= 0) {
        e->cpath = PyBytes_FromStringAndSize(name, nlen);
    }
    else {
        Py_ssize_t blen = PyBytes_GET_SIZE(it->base);
        e->cpath = PyBytes_FromStringAndSize(NULL, blen + nlen);
        if (e->cpath != NULL) {
            memcpy(PyBytes_AS_STRING(e->cpath), PyBytes_AS_STRING(it->base),
                   (size_t)blen);
            memcpy(PyBytes_AS_STRING(e->cpath) + blen, name, (size_t)nlen);
        }
    }
    if (e->cpath == NULL) {
        Py_DECREF(e);
        return NULL;
    }
    if (it->is_bytes) {
        e->name = PyBytes_FromStringAndSize(name, nlen);
        e->path = Py_NewRef(e->cpath);
    }
    else {
        e->name = PyUnicode_DecodeFSDefault(name);
        e->path = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(e->cpath));
    }
    if (e->name == NULL || e->path == NULL) {
        Py_DECREF(e);
        return NULL;
    }
    PyObject_GC_Track(e);
    return (PyObject *)e;
}

/* Closes the stream (once, whoever gets there first). */
static void
scandir_close_stream(ScandirIteratorObject *it)
{
    PyMutex_Lock(&it->mutex);
    DIR *d = it->dirp;
    it->dirp = NULL;
    PyMutex_Unlock(&it->mutex);
    if (d != NULL) {
        Py_BEGIN_ALLOW_THREADS
        closedir(d);
        Py_END_ALLOW_THREADS
    }
}

static PyObject *
scandir_next(PyObject *self)
{
    ScandirIteratorObject *it = (ScandirIteratorObject *)self;
    for (;;) {
        char name[sizeof(((struct dirent *)0)->d_name)];
        unsigned char d_type = DT_UNKNOWN;
        unsigned long long ino = 0;
        struct dirent *ent = NULL;
        int err = 0, open;
        PyMutex_Lock(&it->mutex);
        open = it->dirp != NULL;
        if (open) {
            Py_BEGIN_ALLOW_THREADS
            errno = 0;
            ent = readdir(it->dirp);
            err = errno;
            Py_END_ALLOW_THREADS
            if (ent != NULL) {
                snprintf(name, sizeof(name), "%s", ent->d_name);
                d_type = ent->d_type;
                ino = (unsigned long long)ent->d_ino;
            }
        }
        PyMutex_Unlock(&it->mutex);
        if (!open) {
            return NULL;
        }
        if (ent == NULL) {
            scandir_close_stream(it);
            if (err != 0) {
                errno = err;
                return posix_error();
            }
            return NULL;
        }
        if (name[0] == '.' &&
            (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) {
            continue;
        }
        return direntry_new(it, name, d_type, ino);
    }
}

static PyObject *
scandir_close(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    scandir_close_stream((ScandirIteratorObject *)self);
    Py_RETURN_NONE;
}

static PyObject *
scandir_enter(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self);
}

static PyObject *
scandir_exit(PyObject *self, PyObject *args)
{
    scandir_close_stream((ScandirIteratorObject *)self);
    Py_RETURN_NONE;
}

static void
scandir_dealloc(PyObject *self)
{
    ScandirIteratorObject *it = (ScandirIteratorObject *)self;
    if (it->dirp != NULL) {
        closedir(it->dirp);
    }
    Py_XDECREF(it->base);
    PyObject_Free(self);
}

static PyMethodDef scandir_methods[] = {
    {"__enter__", scandir_enter, METH_NOARGS, NULL},
    {"__exit__", scandir_exit, METH_VARARGS, NULL},
    {"close", scandir_close, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject ScandirIteratorType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "posix.ScandirIterator",
    .tp_basicsize = sizeof(ScandirIteratorObject),
    .tp_dealloc = scandir_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = scandir_next,
    .tp_methods = scandir_methods,
};

/* Opens the stream of IT for P; -1 with OSError. */
static int
scandir_open(ScandirIteratorObject *it, path_or_fd *p, const char *cpath)
{
    DIR *d = NULL;
    int fd = -1;
    Py_BEGIN_ALLOW_THREADS
    if (p->fd >= 0) {
        fd = dup(p->fd);
        if (fd >= 0) {
            d = fdopendir(fd);
            if (d == NULL) {
                close(fd);
            }
            else {
                rewinddir(d);
            }
        }
    }
    else {
        d = opendir(cpath);
    }
    Py_END_ALLOW_THREADS
    if (d == NULL) {
        if (p->path.bytes == NULL && p->fd < 0) {
            PyObject *dot = PyUnicode_FromString(".");
            if (dot != NULL) {
                PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, dot);
                Py_DECREF(dot);
            }
        }
        else {
            path_or_fd_error(p);
        }
        return -1;
    }
    it->dirp = d;
    return 0;
}

/* scandir(path='.') -> iterator of DirEntry */
static PyObject *
posix_scandir(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", NULL};
    PyObject *obj = Py_None;
    path_or_fd p = {{NULL, NULL, 0}, -1};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:scandir", kwlist,
                                     &obj)) {
        return NULL;
    }
    if (obj != Py_None && path_or_fd_init(&p, obj, "scandir", 1) < 0) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "scandir: path should be string, "
                         "bytes, os.PathLike, integer or None, not %.200s",
                         Py_TYPE(obj)->tp_name);
        }
        return NULL;
    }
    const char *cpath = p.path.bytes ? PATH_C(&p.path) : ".";
    ScandirIteratorObject *it = PyObject_New(ScandirIteratorObject,
                                             &ScandirIteratorType);
    if (it == NULL) {
        path_or_fd_clear(&p);
        return NULL;
    }
    it->mutex = (PyMutex){0};
    it->dirp = NULL;
    it->is_bytes = p.path.bytes != NULL && p.path.is_bytes;
    it->fd = p.fd;
    size_t len = strlen(cpath);
    int slash = len > 0 && cpath[len - 1] != '/';
    it->base = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(len + slash));
    if (it->base == NULL || scandir_open(it, &p, cpath) < 0) {
        path_or_fd_clear(&p);
        Py_DECREF(it);
        return NULL;
    }
    memcpy(PyBytes_AS_STRING(it->base), cpath, len);
    if (slash) {
        PyBytes_AS_STRING(it->base)[len] = '/';
    }
    path_or_fd_clear(&p);
    return (PyObject *)it;
}


/* ------------------------------------------------- processes and ids */

/* waitpid(pid, options) -> (pid, status).  Detached while waiting; an
   interrupting signal runs its handler and the wait goes on (PEP 475). */
static PyObject *
posix_waitpid(PyObject *self, PyObject *args)
{
    int pid, options;
    if (!PyArg_ParseTuple(args, "ii:waitpid", &pid, &options)) {
        return NULL;
    }
    int status = 0;
    pid_t res;
    for (;;) {
        Py_BEGIN_ALLOW_THREADS
        res = waitpid((pid_t)pid, &status, options);
        Py_END_ALLOW_THREADS
        if (res >= 0 || errno != EINTR) {
            break;
        }
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    if (res < 0) {
        return posix_error();
    }
    return Py_BuildValue("(ii)", (int)res, status);
}

/* wait() -> (pid, status). */
static PyObject *
posix_wait(PyObject *self, PyObject *unused)
{
    int status = 0;
    pid_t res;
    for (;;) {
        Py_BEGIN_ALLOW_THREADS
        res = wait(&status);
        Py_END_ALLOW_THREADS
        if (res >= 0 || errno != EINTR) {
            break;
        }
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    if (res < 0) {
        return posix_error();
    }
    return Py_BuildValue("(ii)", (int)res, status);
}

/* waitstatus_to_exitcode(status): the exit code, or -signal. */
static PyObject *
posix_waitstatus_to_exitcode(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"status", NULL};
    int status;
    if (!PyArg_ParseTupleAndKeywords(args, kwds,
                                     "i:waitstatus_to_exitcode", kwlist,
                                     &status)) {
        return NULL;
    }
    if (WIFEXITED(status)) {
        return PyLong_FromLong(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return PyLong_FromLong(-WTERMSIG(status));
    }
    return PyErr_Format(PyExc_ValueError, "invalid wait status: %i", status);
}

static PyObject *
posix_getuid(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLong((unsigned long)getuid());
}

static PyObject *
posix_geteuid(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLong((unsigned long)geteuid());
}

static PyObject *
posix_getgid(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLong((unsigned long)getgid());
}

static PyObject *
posix_getegid(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLong((unsigned long)getegid());
}

static PyObject *
posix_getpgrp(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong((long)getpgrp());
}

/* getgroups() -> list of supplementary group ids. */
static PyObject *
posix_getgroups(PyObject *self, PyObject *unused)
{
    int n = getgroups(0, NULL);
    if (n < 0) {
        return posix_error();
    }
    gid_t *groups = PyMem_Malloc(sizeof(gid_t) * (size_t)(n > 0 ? n : 1));
    if (groups == NULL) {
        return PyErr_NoMemory();
    }
    n = getgroups(n, groups);
    if (n < 0) {
        PyMem_Free(groups);
        return posix_error();
    }
    PyObject *list = PyList_New(n);
    for (int i = 0; list != NULL && i < n; i++) {
        PyObject *g = PyLong_FromUnsignedLong((unsigned long)groups[i]);
        if (g == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, g);
    }
    PyMem_Free(groups);
    return list;
}

/* ------------------------------------------------- fd flags */

static int
fd_arg(PyObject *args, const char *fmt, int *fd, int *flag)
{
    return flag != NULL ? PyArg_ParseTuple(args, fmt, fd, flag)
                        : PyArg_ParseTuple(args, fmt, fd);
}

static PyObject *
posix_get_inheritable(PyObject *self, PyObject *args)
{
    int fd;
    if (!fd_arg(args, "i:get_inheritable", &fd, NULL)) {
        return NULL;
    }
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) {
        return posix_error();
    }
    return PyBool_FromLong(!(flags & FD_CLOEXEC));
}

static PyObject *
posix_set_inheritable(PyObject *self, PyObject *args)
{
    int fd, inheritable;
    if (!fd_arg(args, "ip:set_inheritable", &fd, &inheritable)) {
        return NULL;
    }
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) {
        return posix_error();
    }
    int nflags = inheritable ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
    if (nflags != flags && fcntl(fd, F_SETFD, nflags) < 0) {
        return posix_error();
    }
    Py_RETURN_NONE;
}

static PyObject *
posix_get_blocking(PyObject *self, PyObject *args)
{
    int fd;
    if (!fd_arg(args, "i:get_blocking", &fd, NULL)) {
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return posix_error();
    }
    return PyBool_FromLong(!(flags & O_NONBLOCK));
}

static PyObject *
posix_set_blocking(PyObject *self, PyObject *args)
{
    int fd, blocking;
    if (!fd_arg(args, "ip:set_blocking", &fd, &blocking)) {
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return posix_error();
    }
    int nflags = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (nflags != flags && fcntl(fd, F_SETFL, nflags) < 0) {
        return posix_error();
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------- links and modes */

/* chmod(path, mode): path may be an fd. */
static PyObject *
posix_chmod(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", "mode", "dir_fd", "follow_symlinks",
                             NULL};
    PyObject *path_obj, *dir_fd = Py_None;
    int mode, follow = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "Oi|$Op:chmod", kwlist,
                                     &path_obj, &mode, &dir_fd, &follow)) {
        return NULL;
    }
    if (dir_fd != Py_None || !follow) {
        PyErr_SetString(PyExc_NotImplementedError,
                        "chmod: dir_fd and follow_symlinks=False are not "
                        "supported yet");
        return NULL;
    }
    if (PyLong_Check(path_obj)) {
        int fd = _PyLong_AsInt(path_obj);
        if (fd == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (fchmod(fd, (mode_t)mode) < 0) {
            return posix_error();
        }
        Py_RETURN_NONE;
    }
    _PyPosix_Path p;
    if (posix_path_init(&p, path_obj, "chmod", "path") < 0) {
        return NULL;
    }
    int r = chmod(PATH_C(&p), (mode_t)mode);
    PyObject *res = r < 0 ? posix_error_path(&p) : Py_NewRef(Py_None);
    posix_path_clear(&p);
    return res;
}

/* readlink(path) -> str or bytes, as the argument. */
static PyObject *
posix_readlink(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", "dir_fd", NULL};
    PyObject *path_obj, *dir_fd = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:readlink", kwlist,
                                     &path_obj, &dir_fd)) {
        return NULL;
    }
    _PyPosix_Path p;
    if (posix_path_init(&p, path_obj, "readlink", "path") < 0) {
        return NULL;
    }
    char buf[4096];
    ssize_t n = readlink(PATH_C(&p), buf, sizeof(buf));
    PyObject *res;
    if (n < 0) {
        res = posix_error_path(&p);
    }
    else if (p.is_bytes) {
        res = PyBytes_FromStringAndSize(buf, n);
    }
    else {
        res = PyUnicode_DecodeFSDefaultAndSize(buf, n);
    }
    posix_path_clear(&p);
    return res;
}

/* symlink(src, dst) / link(src, dst). */
static PyObject *
two_paths(PyObject *args, PyObject *kwds, const char *fmt, const char *name,
          int (*fn)(const char *, const char *))
{
    static char *kwlist[] = {"src", "dst", "target_is_directory", NULL};
    PyObject *src_obj, *dst_obj;
    int isdir = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &src_obj,
                                     &dst_obj, &isdir)) {
        return NULL;
    }
    _PyPosix_Path src, dst;
    if (posix_path_init(&src, src_obj, name, "src") < 0) {
        return NULL;
    }
    if (posix_path_init(&dst, dst_obj, name, "dst") < 0) {
        posix_path_clear(&src);
        return NULL;
    }
    PyObject *res = NULL;
    if (fn(PATH_C(&src), PATH_C(&dst)) < 0) {
        PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, src.obj,
                                              dst.obj);
    }
    else {
        res = Py_NewRef(Py_None);
    }
    posix_path_clear(&src);
    posix_path_clear(&dst);
    return res;
}

static PyObject *
posix_symlink(PyObject *self, PyObject *args, PyObject *kwds)
{
    return two_paths(args, kwds, "OO|p:symlink", "symlink", symlink);
}

static PyObject *
posix_link(PyObject *self, PyObject *args, PyObject *kwds)
{
    return two_paths(args, kwds, "OO|p:link", "link", link);
}

#define F_ARGS(name) (PyCFunction)(void (*)(void))posix_##name, METH_VARARGS
#define F_NOARGS(name) posix_##name, METH_NOARGS
#define F_O(name) posix_##name, METH_O
#define F_KW(name) (PyCFunction)(void (*)(void))posix_##name, \
    METH_VARARGS | METH_KEYWORDS

static PyMethodDef posix_methods[] = {
    {"fspath", F_O(fspath), "Return the file system path representation "
     "of the object."},
    {"stat", F_KW(stat), "Perform a stat system call on the given path."},
    {"lstat", F_KW(lstat), "Perform a stat system call on the given path, "
     "without following symbolic links."},
    {"fstat", F_KW(fstat), "Perform a stat system call on the given file "
     "descriptor."},
    {"statvfs", F_KW(statvfs), "Perform a statvfs system call on the given "
     "path."},
    {"fstatvfs", F_ARGS(fstatvfs), "Perform an fstatvfs system call on the "
     "given fd."},
    {"uname", F_NOARGS(uname), "Return an object identifying the current "
     "operating system."},
    {"times", F_NOARGS(times), "Return a collection containing process "
     "timing information."},
    {"get_terminal_size", F_ARGS(get_terminal_size), "Return the size of "
     "the terminal window as (columns, lines)."},
    {"scandir", F_KW(scandir), "Return an iterator of DirEntry objects for "
     "given path."},
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
    {"waitpid", F_ARGS(waitpid), "Wait for completion of a given child "
     "process."},
    {"wait", F_NOARGS(wait), "Wait for completion of a child process."},
    {"waitstatus_to_exitcode",
     (PyCFunction)(void (*)(void))posix_waitstatus_to_exitcode,
     METH_VARARGS | METH_KEYWORDS, "Convert a wait status to an exit code."},
    {"getuid", F_NOARGS(getuid), "Return the current process's user id."},
    {"geteuid", F_NOARGS(geteuid), "Return the current process's effective "
     "user id."},
    {"getgid", F_NOARGS(getgid), "Return the current process's group id."},
    {"getegid", F_NOARGS(getegid), "Return the current process's effective "
     "group id."},
    {"getpgrp", F_NOARGS(getpgrp), "Return the current process group id."},
    {"getgroups", F_NOARGS(getgroups), "Return list of supplemental group "
     "IDs for the process."},
    {"get_inheritable", F_ARGS(get_inheritable), "Get the close-on-exe "
     "flag of the specified file descriptor."},
    {"set_inheritable", F_ARGS(set_inheritable), "Set the inheritable flag "
     "of the specified file descriptor."},
    {"get_blocking", F_ARGS(get_blocking), "Get the blocking mode of the "
     "file descriptor."},
    {"set_blocking", F_ARGS(set_blocking), "Set the blocking mode of the "
     "specified file descriptor."},
    {"chmod", (PyCFunction)(void (*)(void))posix_chmod,
     METH_VARARGS | METH_KEYWORDS, "Change the access permissions of a file."},
    {"readlink", (PyCFunction)(void (*)(void))posix_readlink,
     METH_VARARGS | METH_KEYWORDS, "Return a string representing the path "
     "to which the symbolic link points."},
    {"symlink", (PyCFunction)(void (*)(void))posix_symlink,
     METH_VARARGS | METH_KEYWORDS, "Create a symbolic link pointing to src "
     "named dst."},
    {"link", (PyCFunction)(void (*)(void))posix_link,
     METH_VARARGS | METH_KEYWORDS, "Create a hard link to a file."},
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
    /* Only stat() takes dir_fd and follow_symlinks, and only statvfs()
       takes an fd among the functions os.py asks about. */
    if (add_result_types(mod) < 0 ||
        PyType_Ready(&DirEntryType) < 0 ||
        PyType_Ready(&ScandirIteratorType) < 0 ||
        PyModule_AddObjectRef(mod, "DirEntry", (PyObject *)&DirEntryType) < 0) {
        goto error;
    }
    if (PyModule_AddObjectRef(mod, "error", PyExc_OSError) < 0) {
        goto error;
    }
    PyObject *have = Py_BuildValue("[ss]", "HAVE_FSTATAT", "HAVE_FSTATVFS");
    if (have == NULL || PyModule_AddObject(mod, "_have_functions", have) < 0) {
        Py_XDECREF(have);
        goto error;
    }
    return mod;

error:
    Py_DECREF(mod);
    return NULL;
}
