# pwd and grp: root's entries, struct shapes and 3.11's errors.
import pwd
import grp

print(sorted(n for n in dir(pwd) if not n.startswith('_')))
print(sorted(n for n in dir(grp) if not n.startswith('_')))

root = pwd.getpwuid(0)
print(root.pw_name, root.pw_uid, root.pw_gid, root.pw_dir)
print(type(root).__name__, len(root), root[0], root[2])
print(pwd.getpwnam('root') == root)
print(isinstance(root, tuple), pwd.struct_passwd.n_fields)
g = grp.getgrgid(0)
print(g.gr_name, g.gr_gid, type(g.gr_mem).__name__, len(g))
print(grp.getgrnam('root') == g, grp.getgrgid(id=0) == g,
      grp.getgrnam(name='root') == g)
all_pw = pwd.getpwall()
print(type(all_pw).__name__, any(p.pw_uid == 0 for p in all_pw))
all_gr = grp.getgrall()
print(type(all_gr).__name__, any(e.gr_gid == 0 for e in all_gr))

cases = [
    (pwd.getpwuid, 4123456), (pwd.getpwuid, -1), (pwd.getpwuid, -2),
    (pwd.getpwuid, 2**40), (pwd.getpwuid, 'a'), (pwd.getpwuid, 1.5),
    (pwd.getpwnam, 'no-such-user-xq'), (pwd.getpwnam, 'a\0b'),
    (pwd.getpwnam, 1),
    (grp.getgrgid, 4123456), (grp.getgrgid, -1), (grp.getgrgid, -2),
    (grp.getgrgid, 2**40), (grp.getgrgid, 2**70), (grp.getgrgid, 'x'),
    (grp.getgrnam, 'no-such-group-xq'), (grp.getgrnam, 'a\0'),
]
for f, a in cases:
    try:
        f(a)
        print(f.__name__, 'no error')
    except Exception as e:
        print(f.__name__, type(e).__name__, e)
print(pwd.getpwuid(True).pw_uid)
