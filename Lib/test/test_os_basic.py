# Basic checks of the posix, errno, _stat and atexit C modules and the
# stdlib stat module on top of them.  Output must match python3.11.
import posix, errno, _stat, atexit, stat

# errno
print(errno.ENOENT, errno.EEXIST, errno.errorcode[errno.EAGAIN],
      errno.errorcode[errno.ENOTSUP], errno.EWOULDBLOCK == errno.EAGAIN)
print(all(errno.errorcode[getattr(errno, n)] == n
          for n in errno.errorcode.values()))

# _stat / stat
print(_stat.filemode(0o100644), _stat.filemode(0o41755),
      _stat.filemode(0o104755), _stat.filemode(0o102745),
      stat.filemode(0o120777))
print(_stat.S_IMODE(0o170777), _stat.S_IFMT(0o170777), _stat.S_ISDIR(0o40000),
      _stat.S_ISREG(0o40000), stat.S_ISLNK(0o120000), _stat.ST_MTIME)
for bad in ('x', -1, 2**40):
    try:
        _stat.S_ISDIR(bad)
    except Exception as e:
        print(type(e).__name__, e)

# posix: files and directories
d = '/tmp/plait_test_os_basic_%d' % posix.getpid()
posix.mkdir(d)
f = d + '/f.txt'
fd = posix.open(f, posix.O_WRONLY | posix.O_CREAT | posix.O_TRUNC, 0o644)
print(posix.write(fd, b'hello world'))
posix.close(fd)
fd = posix.open(f, posix.O_RDONLY)
print(posix.read(fd, 5), posix.lseek(fd, 0, 2), posix.isatty(fd))
fd2 = posix.dup(fd)
print(posix.lseek(fd2, 0, 0), posix.read(fd2, 100))
posix.close(fd2)
posix.close(fd)
print(posix.listdir(d), posix.listdir(d.encode()))
posix.rename(f, d + '/g.txt')
posix.replace(d + '/g.txt', d + '/h.txt')
print(posix.listdir(d), posix.access(d + '/h.txt', posix.R_OK),
      posix.access(d + '/nope', posix.F_OK))
for func, args in ((posix.unlink, (d + '/nope',)),
                   (posix.rmdir, (d + '/nope',)),
                   (posix.rename, (d + '/x', d + '/y')),
                   (posix.listdir, (d + '/nope',)),
                   (posix.mkdir, (d,))):
    try:
        func(*args)
    except OSError as e:
        print(type(e).__name__, e.errno, errno.errorcode[e.errno],
              e.filename == args[0],
              e.filename2 == (args[1] if len(args) > 1 else None))
for func, args in ((posix.mkdir, (1.5,)), (posix.open, ('a\0b', 0)),
                   (posix.fspath, (1,))):
    try:
        func(*args)
    except Exception as e:
        print(type(e).__name__, e)
posix.remove(d + '/h.txt')
posix.rmdir(d)
print(posix.access(d, posix.F_OK))

# posix: pipes, process, environment, misc
r, w = posix.pipe()
posix.write(w, b'xy')
print(posix.read(r, 10))
posix.close(r)
posix.close(w)
print(len(posix.urandom(16)), posix.cpu_count() > 0, posix.strerror(2),
      posix.getpid() > 0, posix.getppid() > 0)
posix.putenv('PLAIT_TEST_OS_BASIC', 'v')
posix.unsetenv('PLAIT_TEST_OS_BASIC')
print(type(posix.environ).__name__,
      all(type(k) is bytes and type(v) is bytes
          for k, v in posix.environ.items()))
print(posix.WIFEXITED(0), posix.WEXITSTATUS(256), posix.WIFSIGNALED(9),
      posix.WTERMSIG(9), posix.WIFSTOPPED(0x137f), posix.WSTOPSIG(0x137f))


class P:
    def __fspath__(self):
        return '/tmp'


print(posix.fspath(P()), posix.fspath(b'x'), posix.fspath('y'))
old = posix.umask(0o22)
print(posix.umask(old) == 0o22)
print(posix.O_RDONLY, posix.O_WRONLY, posix.O_RDWR, posix.F_OK, posix.R_OK,
      posix.W_OK, posix.X_OK, posix.WNOHANG)

# atexit
print(atexit.register(print) is print)
for bad in ((1,), ()):
    try:
        atexit.register(*bad)
    except TypeError as e:
        print(type(e).__name__, e)
atexit.unregister(print)


def g(*a, **k):
    print('g', a, k)


atexit.register(g, 1, 2, x=3)
atexit.register(g, 'again')
atexit._run_exitfuncs()
atexit.register(g, 'never')
atexit._clear()
atexit._run_exitfuncs()
print('done')
