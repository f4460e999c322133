# posix.stat/lstat/fstat and stat_result, statvfs, uname, times,
# get_terminal_size and scandir/DirEntry.  Only comparisons and types are
# printed (inode numbers and times differ between runs).  Output must
# match python3.11.
import posix, stat, _thread

def show(f, *args, **kw):
    try:
        r = f(*args, **kw)
        print(type(r).__name__)
    except Exception as e:
        print(type(e).__name__, str(e).replace(d, 'D'),
              str(getattr(e, 'filename', None)).replace(d, 'D'))

d = '/tmp/plait_test_os_stat_%d' % posix.getpid()
posix.mkdir(d)
f = d + '/file.txt'
fd = posix.open(f, posix.O_WRONLY | posix.O_CREAT | posix.O_TRUNC, 0o640)
posix.write(fd, b'x' * 1234)
posix.mkdir(d + '/sub')

st = posix.stat(f)
print(type(st).__name__, type(st).__module__, len(st), stat.S_ISREG(st.st_mode),
      stat.S_IMODE(st.st_mode) == 0o640 & ~0 or True, st.st_size, st.st_nlink)
print(st[0] == st.st_mode, st[1] == st.st_ino, st[2] == st.st_dev,
      st[6] == st.st_size, st[stat.ST_MTIME] == int(st.st_mtime))
print(type(st.st_atime), type(st.st_mtime_ns), type(st[8]),
      st.st_mtime_ns // 10**9 == st[8],
      abs(st.st_mtime - st.st_mtime_ns / 1e9) < 1e-6)
print(st.st_blksize > 0, st.st_blocks >= 0, type(st.st_rdev),
      hasattr(st, 'st_flags'), hasattr(st, 'st_birthtime'))
print(posix.fstat(fd) == st, posix.stat(f.encode()) == st,
      posix.lstat(f) == st, posix.stat(fd) == st)
posix.close(fd)

ds = posix.stat(d)
print(stat.S_ISDIR(ds.st_mode), stat.S_ISDIR(posix.stat(d + '/sub').st_mode))
dfd = posix.open(d, posix.O_RDONLY)
print(posix.stat('file.txt', dir_fd=dfd) == st)
posix.close(dfd)

class P:
    def __init__(self, p):
        self.p = p
    def __fspath__(self):
        return self.p
print(posix.stat(P(f)) == st, posix.stat(P(f.encode())) == st)

for args, kw in (((1.5,), {}), (('',), {}), ((d + '/nope',), {}),
                 ((0,), {'dir_fd': 3}), ((f,), {'dir_fd': 'a'}),
                 (('a\0b',), {}), ((), {}), ((f, 1), {}),
                 ((f,), {'bogus': 1}), ((P(5),), {})):
    show(posix.stat, *args, **kw)
show(posix.lstat, 0)
show(posix.lstat, f, follow_symlinks=True)
show(posix.fstat, 'x')
show(posix.fstat, 999999)
show(posix.stat, 999999)

# statvfs
v = posix.statvfs(d)
print(type(v).__name__, len(v), v.f_bsize == v[0], v.f_namemax > 0,
      type(v.f_fsid), posix.statvfs(d.encode()) == v)
show(posix.statvfs, 1.5)
show(posix.statvfs, d + '/nope')
dfd = posix.open(d, posix.O_RDONLY)
print(posix.fstatvfs(dfd).f_bsize == v.f_bsize,
      posix.statvfs(dfd).f_bsize == v.f_bsize)
posix.close(dfd)

# uname, times, get_terminal_size
u = posix.uname()
print(type(u).__name__, len(u), u.sysname, u[0] == u.sysname,
      all(type(x) is str for x in u))
t = posix.times()
print(type(t).__name__, len(t), all(type(x) is float for x in t),
      t.elapsed == t[4])
show(posix.get_terminal_size, 999999)
show(posix.get_terminal_size, 'x')
r, w = posix.pipe()
show(posix.get_terminal_size, r)
posix.close(r)
posix.close(w)

# scandir / DirEntry
def entries(path):
    with posix.scandir(path) as it:
        return sorted(it, key=lambda e: e.name)

for e in entries(d):
    print(repr(e), e.name, e.path == d + '/' + e.name, e.is_dir(),
          e.is_file(), e.is_symlink(), e.is_dir(follow_symlinks=False),
          e.is_file(follow_symlinks=False),
          e.inode() == posix.stat(e.path, follow_symlinks=False).st_ino,
          e.stat() == posix.stat(e.path),
          e.stat(follow_symlinks=False) == posix.lstat(e.path),
          posix.fspath(e) == e.path, e.stat() is e.stat())
for e in entries(d.encode()):
    print(repr(e), type(e.path).__name__, e.path == d.encode() + b'/' + e.name)
for e in entries(P(d)):
    print(e.name, type(e.path).__name__)
for e in entries(d + '/'):
    print(e.path == d + '/' + e.name)
dfd = posix.open(d, posix.O_RDONLY)
for e in entries(dfd):
    print('fd', e.name, e.path == e.name, e.is_file(), e.stat() == posix.stat(d + '/' + e.name))
posix.close(dfd)
it = posix.scandir(d)
print(type(it).__name__, type(it).__module__, iter(it) is it)
it.close()
print(list(it))
show(next, it)
show(posix.scandir, d + '/nope')
show(posix.scandir, 1.5)
show(posix.DirEntry)
print(sorted(n for n in dir(posix.DirEntry) if not n.startswith('_')))
cwd = posix.getcwd()
posix.chdir(d)
print(sorted(e.path for e in posix.scandir()))
posix.chdir(cwd)

# a file removed after listing: stat raises, is_dir()/is_file() are False
e = [e for e in entries(d) if e.name == 'file.txt'][0]
posix.unlink(f)
show(e.stat)
print(e.is_dir(), e.is_file(), e.name)
posix.rmdir(d + '/sub')
posix.rmdir(d)

# stat from several threads at once
lock = _thread.allocate_lock()
res = []
def work():
    ok = all(posix.stat('/').st_mode == posix.stat('/').st_mode
             for _ in range(200))
    with lock:
        res.append(ok)
for i in range(4):
    _thread.start_new_thread(work, ())
import time
while True:
    with lock:
        if len(res) == 4:
            break
    time.sleep(0.01)
print('threads', res)
