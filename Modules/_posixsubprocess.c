/* _posixsubprocess.fork_exec: fork a child, set up its file descriptors,
 * ids, session and signals, and exec, as CPython 3.11's subprocess module
 * expects (Lib/subprocess.py, Popen._execute_child).
 *
 * Everything that allocates happens in the parent before fork: argv, the
 * executable list, envp, cwd, the fds to keep and the group list become C
 * arrays.  Without preexec_fn the child makes only async-signal-safe calls
 * until exec and never touches a Python object: other threads may have
 * held locks or been mid-allocation when fork() copied memory, and they do
 * not exist in the child.
 *
 * preexec_fn must run Python in the child.  To make that possible the
 * parent stops the world (every other thread suspended at a safe point,
 * with its critical sections released), takes the object allocator's
 * locks (_PyObmalloc_BeforeFork), forks, and both sides reset: the parent
 * releases the allocator and restarts the world, the child resets the
 * allocator and the parking lot (_PyParkingLot_AfterFork) before calling
 * preexec_fn.  A raw PyMutex held by a suspended thread outside a critical
 * section stays locked in the child, which is the documented "preexec_fn
 * is not safe with threads" hazard of CPython too.
 *
 * Errors in the child before exec are written to errpipe_write as
 * "ExceptionName:hex errno:message" and the child exits with 255; the
 * parent (subprocess.py) reads and re-raises them.
 *
 * The module has no mutable state. */
#ifndef _GNU_SOURCE
#  define _GNU_SOURCE 1   /* setresuid, close_range via syscall */
#endif
#include "Python.h"
#include "pycore_obmalloc.h"
#include "pycore_parking_lot.h"
#include "pycore_pystate.h"
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include "uidconv.h"

/* Everything the child needs, converted in the parent. */
typedef struct {
    char **argv;                /* NULL-terminated, or NULL (no args) */
    char **exec_list;           /* NULL-terminated */
    char **envp;                /* NULL-terminated, or NULL (inherit) */
    char *cwd;                  /* or NULL */
    int *keep;                  /* sorted fds to keep open */
    Py_ssize_t nkeep;
    int close_fds;
    int p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite;
    int errpipe_read, errpipe_write;
    int restore_signals, call_setsid;
    pid_t pgid_to_set;
    int set_gid, set_uid, set_groups;
    gid_t gid;
    uid_t uid;
    gid_t *groups;
    Py_ssize_t ngroups;
    int child_umask;
    PyObject *preexec_fn;       /* borrowed, or NULL */
    int max_fd;                 /* bound for the close loop fallback */
} child_config;

/* ---- parent-side conversion ------------------------------------------ */

/* New reference: OBJ (borrowed) as bytes: bytes as is, str through the
   filesystem encoding, an os.PathLike through __fspath__. */
static PyObject *
ps_fsencode(PyObject *obj)
{
    if (PyBytes_Check(obj)) {
        return Py_NewRef(obj);
    }
    if (PyUnicode_Check(obj)) {
        return PyUnicode_EncodeFSDefault(obj);
    }
    PyObject *meth = PyObject_GetAttrString((PyObject *)Py_TYPE(obj),
                                            "__fspath__");
    if (meth == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "expected str, bytes or os.PathLike object, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    PyObject *path = PyObject_CallOneArg(meth, obj);
    Py_DECREF(meth);
    if (path == NULL) {
        return NULL;
    }
    PyObject *res = NULL;
    if (PyBytes_Check(path) || PyUnicode_Check(path)) {
        res = ps_fsencode(path);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "expected %.200s.__fspath__() to return str or bytes, "
                     "not %.200s", Py_TYPE(obj)->tp_name,
                     Py_TYPE(path)->tp_name);
    }
    Py_DECREF(path);
    return res;
}

/* A PyMem copy of the C string of BYTES, with ValueError for an embedded
   NUL; NULL on error. */
static char *
ps_strdup(PyObject *bytes)
{
    Py_ssize_t n = PyBytes_GET_SIZE(bytes);
    const char *s = PyBytes_AS_STRING(bytes);
    if ((Py_ssize_t)strlen(s) != n) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    char *copy = PyMem_Malloc(n + 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(copy, s, n + 1);
    return copy;
}

/* Frees a NULL-terminated array from ps_strarray. */
static void
ps_free_strarray(char **arr)
{
    if (arr == NULL) {
        return;
    }
    for (char **p = arr; *p != NULL; p++) {
        PyMem_Free(*p);
    }
    PyMem_Free(arr);
}

/* A NULL-terminated array of C strings from the sequence SEQ (borrowed),
   each item fs-encoded; NULL with an error set. */
static char **
ps_strarray(PyObject *seq, const char *what)
{
    PyObject *fast = PySequence_Fast(seq, what);
    if (fast == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    char **arr = PyMem_Calloc(n + 1, sizeof(char *));
    if (arr == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = ps_fsencode(PySequence_Fast_GET_ITEM(fast, i));
        if (b == NULL) {
            goto fail;
        }
        arr[i] = ps_strdup(b);
        Py_DECREF(b);
        if (arr[i] == NULL) {
            goto fail;
        }
    }
    Py_DECREF(fast);
    return arr;
fail:
    Py_DECREF(fast);
    ps_free_strarray(arr);
    return NULL;
}

/* Fills CFG->keep from the tuple FDS (borrowed): non-negative ints in
   increasing order, else ValueError "bad value(s) in fds_to_keep". */
static int
ps_keep(child_config *cfg, PyObject *fds)
{
    Py_ssize_t n = PyTuple_GET_SIZE(fds);
    cfg->keep = PyMem_Malloc((n > 0 ? n : 1) * sizeof(int));
    if (cfg->keep == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    long prev = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GET_ITEM(fds, i);
        long v = PyLong_Check(o) ? PyLong_AsLong(o) : -1;
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        }
        if (v < 0 || v <= prev || v > INT_MAX) {
            PyErr_SetString(PyExc_ValueError, "bad value(s) in fds_to_keep");
            return -1;
        }
        cfg->keep[i] = (int)v;
        prev = v;
    }
    cfg->nkeep = n;
    return 0;
}

/* Fills CFG->groups from the list GROUPS (borrowed). */
static int
ps_groups(child_config *cfg, PyObject *groups)
{
    if (!PyList_Check(groups)) {
        PyErr_SetString(PyExc_TypeError,
                        "setgroups argument must be a list");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(groups);
    if (n > NGROUPS_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many groups");
        return -1;
    }
    cfg->groups = PyMem_Malloc((n > 0 ? n : 1) * sizeof(gid_t));
    if (cfg->groups == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *g = PyList_GetItem(groups, i);
        unsigned int id;
        if (g == NULL || _PyUidConv_Id(g, "gid", &id) < 0) {
            return -1;
        }
        cfg->groups[i] = (gid_t)id;
    }
    cfg->ngroups = n;
    cfg->set_groups = 1;
    return 0;
}

/* Releases what the parent allocated for CFG. */
static void
ps_config_clear(child_config *cfg)
{
    ps_free_strarray(cfg->argv);
    ps_free_strarray(cfg->exec_list);
    ps_free_strarray(cfg->envp);
    PyMem_Free(cfg->cwd);
    PyMem_Free(cfg->keep);
    PyMem_Free(cfg->groups);
}

/* Converts an int argument; 0 or -1. */
static int
ps_int(PyObject *obj, int *out)
{
    *out = _PyLong_AsInt(obj);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* ---- child side: async-signal-safe only --------------------------------- */

/* Writes all of BUF to FD, ignoring errors (the child is about to exit). */
static void
child_write(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        buf += w;
        n -= (size_t)w;
    }
}

/* Reports "OSError:<hex errno>:" (plus "noexec" when exec was never
   reached) on FD and exits with 255. */
static void _Py_NO_RETURN
child_fail_errno(int fd, int err, int noexec)
{
    char msg[64] = "OSError:";
    size_t n = 8;
    char hex[16];
    int k = 0;
    unsigned int v = (unsigned int)err;
    do {
        hex[k++] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v != 0);
    while (k > 0) {
        msg[n++] = hex[--k];
    }
    msg[n++] = ':';
    if (noexec) {
        memcpy(msg + n, "noexec", 6);
        n += 6;
    }
    child_write(fd, msg, n);
    _exit(255);
}

/* Reports a SubprocessError with MSG and exits with 255. */
static void _Py_NO_RETURN
child_fail_msg(int fd, const char *msg)
{
    child_write(fd, "SubprocessError:0:", 18);
    child_write(fd, msg, strlen(msg));
    _exit(255);
}

/* Clears or sets close-on-exec on FD; 0 or -1. */
static int
child_set_inheritable(int fd, int inheritable)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) {
        return -1;
    }
    int want = inheritable ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
    if (want == flags) {
        return 0;
    }
    return fcntl(fd, F_SETFD, want);
}

/* Closes every fd in [lo, hi] (hi may be INT_MAX). */
static void
child_close_range(const child_config *cfg, int lo, int hi)
{
    if (lo > hi) {
        return;
    }
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned int)lo, (unsigned int)hi, 0) == 0) {
        return;
    }
#endif
    int top = hi < cfg->max_fd ? hi : cfg->max_fd;
    for (int fd = lo; fd <= top; fd++) {
        close(fd);
    }
}

/* Closes fds >= 3 except those in cfg->keep (sorted). */
static void
child_close_fds(const child_config *cfg)
{
    int lo = 3;
    for (Py_ssize_t i = 0; i < cfg->nkeep; i++) {
        int k = cfg->keep[i];
        if (k < lo) {
            continue;
        }
        child_close_range(cfg, lo, k - 1);
        lo = k + 1;
    }
    child_close_range(cfg, lo, INT_MAX);
}

/* Points TARGET (0, 1 or 2) at FD: dup2, or just clear close-on-exec when
   FD already is TARGET.  0 or -1 (errno). */
static int
child_dup_to(int fd, int target)
{
    if (fd == target) {
        return child_set_inheritable(fd, 1);
    }
    if (fd != -1 && dup2(fd, target) < 0) {
        return -1;
    }
    return 0;
}

/* Runs the preexec_fn in the child (attached, the runtime reset for the
   only thread left).  Never returns on failure. */
static void
child_preexec(const child_config *cfg)
{
    PyObject *res = PyObject_CallNoArgs(cfg->preexec_fn);
    if (res == NULL) {
        child_fail_msg(cfg->errpipe_write,
                       "Exception occurred in preexec_fn.");
    }
    Py_DECREF(res);
}

/* The child after fork: set everything up and exec.  Never returns. */
static void _Py_NO_RETURN
child_exec(child_config *cfg)
{
    int errfd = cfg->errpipe_write;
    int p2cread = cfg->p2cread, c2pwrite = cfg->c2pwrite;
    int errwrite = cfg->errwrite;
    int pipes[4] = {cfg->p2cwrite, cfg->c2pread, cfg->errread,
                    cfg->errpipe_read};
    for (int i = 0; i < 4; i++) {
        if (pipes[i] != -1) {
            close(pipes[i]);
        }
    }
    /* Move fds that would be clobbered by an earlier dup2 out of the way. */
    if (c2pwrite == 0) {
        c2pwrite = dup(c2pwrite);
        if (c2pwrite < 0) {
            child_fail_errno(errfd, errno, 1);
        }
    }
    while (errwrite == 0 || errwrite == 1) {
        errwrite = dup(errwrite);
        if (errwrite < 0) {
            child_fail_errno(errfd, errno, 1);
        }
    }
    if (child_dup_to(p2cread, 0) < 0 || child_dup_to(c2pwrite, 1) < 0
            || child_dup_to(errwrite, 2) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->cwd != NULL && chdir(cfg->cwd) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->child_umask >= 0) {
        umask((mode_t)cfg->child_umask);
    }
    if (cfg->restore_signals) {
        signal(SIGPIPE, SIG_DFL);
        signal(SIGXFSZ, SIG_DFL);
    }
    if (cfg->call_setsid && setsid() < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->pgid_to_set >= 0 && setpgid(0, cfg->pgid_to_set) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->set_groups
            && setgroups((size_t)cfg->ngroups, cfg->groups) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->set_gid && setregid(cfg->gid, cfg->gid) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->set_uid && setreuid(cfg->uid, cfg->uid) < 0) {
        child_fail_errno(errfd, errno, 1);
    }
    if (cfg->preexec_fn != NULL) {
        child_preexec(cfg);
    }
    for (Py_ssize_t i = 0; i < cfg->nkeep; i++) {
        int k = cfg->keep[i];
        if (k != errfd && child_set_inheritable(k, 1) < 0) {
            child_fail_errno(errfd, errno, 1);
        }
    }
    if (cfg->close_fds) {
        child_close_fds(cfg);
    }
    int saved = 0;
    char *empty_argv[] = {NULL};
    char **argv = cfg->argv != NULL ? cfg->argv : empty_argv;
    for (char **exe = cfg->exec_list; *exe != NULL; exe++) {
        if (cfg->envp != NULL) {
            execve(*exe, argv, cfg->envp);
        }
        else {
            execv(*exe, argv);
        }
        if (errno != ENOENT && errno != ENOTDIR && saved == 0) {
            saved = errno;
        }
    }
    child_fail_errno(errfd, saved != 0 ? saved : errno, 0);
}

/* ---- fork ------------------------------------------------------------- */

/* Forks with the runtime made safe for Python code in the child (see the
   file comment).  Returns the pid (0 in the child) or -1 with errno. */
static pid_t
ps_fork_for_python(void)
{
    PyInterpreterState *interp = PyInterpreterState_Get();
    _PyEval_StopTheWorld(interp);
    _PyObmalloc_BeforeFork();
    pid_t pid = fork();
    int err = errno;
    if (pid == 0) {
        _PyObmalloc_AfterForkChild();
        _PyParkingLot_AfterFork();
        _PyEval_StartTheWorld(interp);
        return 0;
    }
    _PyObmalloc_AfterForkParent();
    _PyEval_StartTheWorld(interp);
    errno = err;
    return pid;
}

/* Converts the 23 arguments into CFG.  0 or -1. */
static int
ps_parse(PyObject *const *a, child_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->pgid_to_set = -1;
    if (!PyTuple_Check(a[3])) {
        PyErr_Format(PyExc_TypeError,
                     "fork_exec() argument 4 must be tuple, not %.200s",
                     Py_TYPE(a[3])->tp_name);
        return -1;
    }
    cfg->close_fds = PyObject_IsTrue(a[2]);
    if (cfg->close_fds < 0 || ps_int(a[13], &cfg->errpipe_write) < 0) {
        return -1;
    }
    if (cfg->close_fds && cfg->errpipe_write < 3) {
        PyErr_SetString(PyExc_ValueError, "errpipe_write must be >= 3");
        return -1;
    }
    if (a[0] != Py_None
            && (cfg->argv = ps_strarray(a[0], "args must be a sequence")) == NULL) {
        return -1;
    }
    cfg->exec_list = ps_strarray(a[1], "executable_list must be a sequence");
    if (cfg->exec_list == NULL || ps_keep(cfg, a[3]) < 0) {
        return -1;
    }
    if (a[4] != Py_None) {
        PyObject *b = ps_fsencode(a[4]);
        if (b == NULL) {
            return -1;
        }
        cfg->cwd = ps_strdup(b);
        Py_DECREF(b);
        if (cfg->cwd == NULL) {
            return -1;
        }
    }
    if (a[5] != Py_None
            && (cfg->envp = ps_strarray(a[5], "env must be a sequence")) == NULL) {
        return -1;
    }
    int *ints[8] = {&cfg->p2cread, &cfg->p2cwrite, &cfg->c2pread,
                    &cfg->c2pwrite, &cfg->errread, &cfg->errwrite,
                    &cfg->errpipe_read, &cfg->errpipe_write};
    for (int i = 0; i < 8; i++) {
        if (ps_int(a[6 + i], ints[i]) < 0) {
            return -1;
        }
    }
    if ((cfg->restore_signals = PyObject_IsTrue(a[14])) < 0
            || (cfg->call_setsid = PyObject_IsTrue(a[15])) < 0) {
        return -1;
    }
    int pgid;
    if (ps_int(a[16], &pgid) < 0) {
        return -1;
    }
    cfg->pgid_to_set = pgid;
    unsigned int id;
    if (a[17] != Py_None) {
        if (_PyUidConv_Id(a[17], "gid", &id) < 0) {
            return -1;
        }
        cfg->gid = (gid_t)id;
        cfg->set_gid = 1;
    }
    if (a[18] != Py_None && ps_groups(cfg, a[18]) < 0) {
        return -1;
    }
    if (a[19] != Py_None) {
        if (_PyUidConv_Id(a[19], "uid", &id) < 0) {
            return -1;
        }
        cfg->uid = (uid_t)id;
        cfg->set_uid = 1;
    }
    if (ps_int(a[20], &cfg->child_umask) < 0) {
        return -1;
    }
    if (a[21] != Py_None) {
        if (!PyCallable_Check(a[21])) {
            PyErr_SetString(PyExc_TypeError, "preexec_fn must be callable");
            return -1;
        }
        cfg->preexec_fn = a[21];
    }
    long maxfd = sysconf(_SC_OPEN_MAX);
    cfg->max_fd = (maxfd > 0 && maxfd < INT_MAX) ? (int)maxfd : 65536;
    return 0;
}

static const char ps_fork_exec_doc[] =
"fork_exec(args, executable_list, close_fds, pass_fds, cwd, env,\n"
"          p2cread, p2cwrite, c2pread, c2pwrite,\n"
"          errread, errwrite, errpipe_read, errpipe_write,\n"
"          restore_signals, call_setsid, pgid_to_set,\n"
"          gid, groups_list, uid,\n"
"          preexec_fn)\n\n"
"Forks a child process, closes parent file descriptors as appropriate in the\n"
"child and dups the few that are needed before calling exec() in the child\n"
"process.\n\n"
"If close_fds is true, close file descriptors 3 and higher, except those listed\n"
"in the sorted tuple pass_fds.\n\n"
"The preexec_fn, if supplied, will be called immediately before closing file\n"
"descriptors and exec.\n"
"WARNING: preexec_fn is NOT SAFE if your application uses threads.\n"
"         It may trigger infrequent, difficult to debug deadlocks.\n\n"
"If an error occurs in the child process before the exec, it is\n"
"serialized and written to the errpipe_write fd per subprocess.py.\n\n"
"Returns: the child process's PID.\n\n"
"Raises: Only on an error in the parent process.\n";

/* fork_exec(...23 args...) -> child pid (new reference). */
static PyObject *
ps_fork_exec(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 23) {
        PyErr_Format(PyExc_TypeError,
                     "fork_exec() takes exactly 23 arguments (%zd given)",
                     nargs);
        return NULL;
    }
    child_config cfg;
    if (ps_parse(args, &cfg) < 0) {
        ps_config_clear(&cfg);
        return NULL;
    }
    pid_t pid;
    if (cfg.preexec_fn != NULL) {
        pid = ps_fork_for_python();
    }
    else {
        pid = fork();
    }
    if (pid == 0) {
        child_exec(&cfg);
    }
    int err = errno;
    ps_config_clear(&cfg);
    if (pid < 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromLong((long)pid);
}

static PyMethodDef ps_methods[] = {
    {"fork_exec", (PyCFunction)(void (*)(void))ps_fork_exec, METH_FASTCALL,
     ps_fork_exec_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef ps_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_posixsubprocess",
    .m_doc = "A POSIX helper for the subprocess module.",
    .m_size = 0,
    .m_methods = ps_methods,
};

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit__posixsubprocess(void)
{
    return PyModule_Create(&ps_module);
}
